#!/bin/bash
# The same batch as a Slurm job array: 8 tasks, SLURM_ARRAY_TASK_ID 0-7 and
# SLURM_ARRAY_TASK_COUNT, which `folio build --shard auto` reads. Submit with
#   sbatch docs/shards/slurm-array.sh
# then, when all tasks are done:
#   folio site --from out/shard-{0..7} --out out/site-build
#SBATCH --job-name=folio-nightly
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
set -euo pipefail
folio build --site --shard auto --out "out/shard-${SLURM_ARRAY_TASK_ID}"
