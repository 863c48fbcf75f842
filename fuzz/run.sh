#!/usr/bin/env bash
# Builds the libFuzzer targets on the stable toolchain (coverage flags set by
# hand, as cargo-fuzz would) and fuzzes each from its committed seeds:
# markdown for SECONDS (default 60); data files, chart specs, formulas and
# manifest records with shard folders for a third of that each. Inputs that
# once failed (fuzz/regressions/<target>/) are replayed first. New inputs go
# to a scratch folder; crashes are written to fuzz/artifacts/, and the script
# exits non-zero. Usage: fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
export CARGO_TARGET_DIR="${FOLIO_FUZZ_TARGET_DIR:-$HOME/.cache/folio/fuzz-target}"
host="$(rustc -vV | sed -n 's/^host: //p')"
RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares" \
  cargo build --release --target "$host" --bin markdown --bin data --bin chart --bin formula --bin records
mkdir -p artifacts
for target in markdown data chart formula records; do
  if compgen -G "regressions/$target/*" >/dev/null; then
    "$CARGO_TARGET_DIR/$host/release/$target" regressions/"$target"/* -rss_limit_mb=4096 -timeout=10
  fi
  scratch="$(mktemp -d)"
  cp corpus/"$target"/* "$scratch/"
  t="$seconds"
  [ "$target" = markdown ] || t=$(( seconds / 3 > 1 ? seconds / 3 : 1 ))
  "$CARGO_TARGET_DIR/$host/release/$target" "$scratch" -max_total_time="$t" -max_len=4096 \
    -rss_limit_mb=4096 -timeout=10 -artifact_prefix=artifacts/"$target"- -print_final_stats=1
  rm -rf "$scratch"
done
