#!/usr/bin/env bash
# Proves docs/shards/slurm-array.sh on a real Slurm: starts a one-node
# cluster from Debian's slurm-wlm and munge (state, spool, logs and the
# munge key in a temp folder), submits the script unchanged as a 4-task
# array over a generated family of 240 notes, merges the shard folders with
# `folio site --from`, and requires the result to be byte-identical to one
# `folio build --site` of the same project. Then a family with one broken
# member: its task must fail, and the merge must refuse the missing report.
# The cluster is stopped and its files removed however the script ends.
# Usage: .ci/slurm.sh PATH-TO-FOLIO
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
folio="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
[ -x "$folio" ] || { echo "slurm: no folio binary at $1"; exit 1; }

export DEBIAN_FRONTEND=noninteractive
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq slurm-wlm munge >/dev/null
fi

work="$(mktemp -d /tmp/folio-slurm.XXXXXX)"
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# munge, as the munge user, on a socket of its own.
mkdir -p "$work/munge" "$work/munge-key"
dd if=/dev/urandom of="$work/munge-key/munge.key" bs=1024 count=1 status=none
chown -R munge: "$work/munge" "$work/munge-key"
chmod 755 "$work/munge"
chmod 700 "$work/munge-key"
chmod 400 "$work/munge-key/munge.key"
runuser -u munge -- /usr/sbin/munged --foreground --force \
  --key-file="$work/munge-key/munge.key" --socket="$work/munge/munge.socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" \
  --seed-file="$work/munge/munged.seed" >"$work/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$work/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$work/munge/munge.socket" ] || { echo "slurm: munged did not start"; cat "$work/munged.out" || true; exit 1; }

# One node, named as this host; ports chosen free so that CI never meets
# another Slurm.
host="$(hostname -s)"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ctld_port="$(port)"
d_port="$(port)"
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<EOF
ClusterName=folio-ci
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=600
NodeName=$host CPUs=8 RealMemory=8192 State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=30 State=UP
EOF
export SLURM_CONF="$work/slurm.conf"
/usr/sbin/slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
/usr/sbin/slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
pids+=($!)
ready=""
for _ in $(seq 150); do
  if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then ready=1; break; fi
  sleep 0.2
done
if [ -z "$ready" ]; then
  echo "slurm: the node did not come up"
  tail -n 20 "$work/slurmctld.log" "$work/slurmd.log" 2>/dev/null || true
  exit 1
fi
echo "slurm: one-node cluster $(sinfo -h -o '%P %D %c' | head -n 1) (nodes, CPUs) up on $host"

# A family of 240 notes; `broken` makes one member's template fail.
make_project() {
  local dir="$1" broken="$2"
  mkdir -p "$dir/content/data"
  {
    echo "ticker,name,revenue"
    for i in $(seq 1 240); do printf 'T%03d,Company %03d,%d.5\n' "$i" "$i" $((i * 37)); done
  } > "$dir/content/data/firms.csv"
  if [ "$broken" = yes ]; then sed -i 's/^T117,Company 117,.*/T117,Company 117,n\/a/' "$dir/content/data/firms.csv"; fi
  cat > "$dir/content/notes.md" <<'EOF'
---
each: firms
name: "{{ row.ticker }}"
title: "{{ row.name }}：一页纸"
date: 2024-06-30
lang: zh
---

# 概览

{{ row.name }} 的收入为 {{ row.revenue | num(1) }} 百万元。
EOF
  printf '[site]\nname = "Nightly"\n' > "$dir/folio.toml"
}

# Submit the script as the docs show it, with four tasks and one CPU each
# (command-line options override its #SBATCH lines), wait, and report.
run_array() {
  local dir="$1" label="$2" job state
  job="$(cd "$dir" && PATH="$(dirname "$folio"):$PATH" sbatch --parsable --array=0-3 --cpus-per-task=1 --mem=256M \
    --output="$dir/slurm-%A_%a.out" "$repo/docs/shards/slurm-array.sh")"
  job="${job%%;*}"
  echo "slurm: $label: submitted job $job (array 0-3)"
  local deadline=$((SECONDS + 240))
  while squeue -h -j "$job" 2>/dev/null | grep -q .; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "slurm: $label: job $job did not finish within 240 s"; scancel "$job" || true; return 2; }
    sleep 1
  done
  local failed=0
  for t in 0 1 2 3; do
    state="$(scontrol -o show job "${job}_$t" 2>/dev/null | tr ' ' '\n' | grep -E '^(JobState|ExitCode|StartTime)=' | tr '\n' ' ')"
    echo "slurm: $label: task $t: $state"
    case "$state" in *"JobState=COMPLETED"*"ExitCode=0:0"*) ;; *) failed=$((failed + 1)) ;; esac
  done
  return "$failed"
}

# 1. The whole family: the array's merge is the single build, byte for byte.
good="$work/good"
make_project "$good" no
(cd "$good" && "$folio" build --site --out single >/dev/null 2>"$work/single.err") || { cat "$work/single.err"; exit 1; }
run_array "$good" "whole family" || { echo "slurm: whole family: a task failed"; cat "$good"/slurm-*.out; exit 1; }
(cd "$good" && "$folio" site --from out/shard-0 out/shard-1 out/shard-2 out/shard-3 --out merged)
if diff -r "$good/single" "$good/merged" >"$work/diff.txt"; then
  echo "slurm: whole family: the merge of 4 shards is byte-identical to one build ($(find "$good/single" -type f | wc -l) files)"
else
  echo "slurm: whole family: the merge DIFFERS from one build:"
  head -n 20 "$work/diff.txt"
  exit 1
fi

# 2. One broken member: its task fails visibly, and the merge refuses.
bad="$work/bad"
make_project "$bad" yes
set +e
run_array "$bad" "one broken member"
failed=$?
set -e
if [ "$failed" -ne 1 ]; then
  echo "slurm: one broken member: expected exactly one failed task, saw $failed"
  exit 1
fi
grep -h "error:" "$bad"/slurm-*.out | head -n 3
set +e
(cd "$bad" && "$folio" site --from out/shard-0 out/shard-1 out/shard-2 out/shard-3 --out merged) 2>"$work/merge.err"
code=$?
set -e
cat "$work/merge.err"
if [ "$code" -ne 1 ] || ! grep -q "are in none of the folders (\`T117\`)" "$work/merge.err"; then
  echo "slurm: one broken member: the merge did not refuse the missing report (exit $code)"
  exit 1
fi
echo "slurm: one broken member: its task failed and the merge refused the missing report"
