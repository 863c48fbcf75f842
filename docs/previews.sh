#!/usr/bin/env bash
# Regenerates the README's preview images from fresh builds: the flagship
# (cover and an inner page), a company note of its family, its English note
# with author-date citations, and the English one-page note that
# `folio new --lang en` writes; and the "after" half of
# docs/before-after/ (its "before" images are of commit 5f91522, built the
# same way). Needs poppler-utils (pdftoppm).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -- build
pdftoppm -r 70 -png -f 1 -l 1 -singlefile output/report.pdf docs/cover
pdftoppm -r 70 -png -f 8 -l 8 -singlefile output/report.pdf docs/inner
pdftoppm -r 70 -png -f 1 -l 1 -singlefile output/note-alibaba.pdf docs/note-company
pdftoppm -r 70 -png -f 1 -l 1 -singlefile output/note-scaling.pdf docs/note-cited
note="$(mktemp -d)"
trap 'rm -rf "$note"' EXIT
cargo run --release -- new "$note/note" --lang en
cargo run --release -- build "$note/note"
pdftoppm -r 70 -png -f 1 -l 1 -singlefile "$note/note/output/report.pdf" docs/note-en
cargo run --release -- new "$note/zh"
cargo run --release -- build "$note/zh"
ba=docs/before-after
pdftoppm -r 60 -png -f 9 -l 9 -singlefile output/report.pdf "$ba/timeline-after"
pdftoppm -r 60 -png -f 12 -l 12 -singlefile output/report.pdf "$ba/charts-after"
pdftoppm -r 60 -png -f 13 -l 13 -singlefile output/report.pdf "$ba/chapter-tail-after"
pdftoppm -r 60 -png -f 1 -l 1 -singlefile output/note-alibaba.pdf "$ba/note-after"
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$note/zh/output/report.pdf" "$ba/sample-zh-p1-after"
pdftoppm -r 60 -png -f 2 -l 2 -singlefile "$note/zh/output/report.pdf" "$ba/sample-zh-p2-after"
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$note/note/output/report.pdf" "$ba/sample-en-after"
