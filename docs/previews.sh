#!/usr/bin/env bash
# Regenerates the README's preview images from a fresh build of the flagship.
# Needs poppler-utils (pdftoppm).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -- build
pdftoppm -r 70 -png -f 1 -l 1 -singlefile output/report.pdf docs/cover
pdftoppm -r 70 -png -f 8 -l 8 -singlefile output/report.pdf docs/inner
