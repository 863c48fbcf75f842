#!/usr/bin/env bash
# Builds the libFuzzer target on the stable toolchain (coverage flags set by
# hand, as cargo-fuzz would) and fuzzes for SECONDS (default 60), starting
# from the committed seeds. New inputs go to a scratch folder; crashes are
# written to fuzz/artifacts/. Usage: fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
export CARGO_TARGET_DIR="${FOLIO_FUZZ_TARGET_DIR:-$HOME/.cache/folio/fuzz-target}"
host="$(rustc -vV | sed -n 's/^host: //p')"
RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares" \
  cargo build --release --target "$host" --bin markdown
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp corpus/markdown/* "$scratch/"
mkdir -p artifacts
"$CARGO_TARGET_DIR/$host/release/markdown" "$scratch" -max_total_time="$seconds" -max_len=4096 \
  -rss_limit_mb=4096 -artifact_prefix=artifacts/ -print_final_stats=1
