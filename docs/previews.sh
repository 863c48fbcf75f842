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
# The last page whose text holds $1 (a figure's caption: not its line in
# the list of figures).
page_of() {
  local n found=""
  n=$(pdfinfo output/report.pdf | awk '/^Pages:/ {print $2}')
  for p in $(seq 1 "$n"); do
    if pdftotext -f "$p" -l "$p" output/report.pdf - | grep -q "$1"; then found=$p; fi
  done
  echo "$found"
}
p=$(page_of "图 7：")
pdftoppm -r 60 -png -f "$p" -l "$p" -singlefile output/report.pdf "$ba/timeline-after"
p=$(page_of "图 10：")
pdftoppm -r 60 -png -f "$p" -l "$p" -singlefile output/report.pdf "$ba/charts-after"
# Where the chapter whose last line once stood alone on a page ends now.
p=$(page_of "后两条路径的商业确定性更高")
pdftoppm -r 60 -png -f "$p" -l "$p" -singlefile output/report.pdf "$ba/chapter-tail-after"
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$note/zh/output/report.pdf" "$ba/sample-zh-p1-after"
pdftoppm -r 60 -png -f 2 -l 2 -singlefile "$note/zh/output/report.pdf" "$ba/sample-zh-p2-after"
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$note/note/output/report.pdf" "$ba/sample-en-after"
