//! folio's own stages cost the same per chapter in a long document as in a
//! short one: the benchmark's book-shaped project at 12 and at 96 chapters
//! (8×), its generated markup only (typst's layout is typst's), the fastest
//! of seven alternating builds each (up to 21 on a loaded machine). A scan
//! from the document's start per block (as the source map once did) makes
//! the long one several times dearer per chapter.

use std::path::Path;
use std::process::Command;

/// templates + markdown + model + formulas + typst markup, in ms.
fn own_stages(dir: &Path) -> f64 {
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--format", "typst", "--force", "--timings", "-q"])
        .current_dir(dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let mut sum = 0.0;
    for stage in ["templates", "markdown", "model", "formulas", "typst markup"] {
        let line = err.lines().find(|l| l.trim_start().starts_with(stage) && l.ends_with(" ms")).unwrap_or_else(|| panic!("no `{stage}` in {err}"));
        sum += line.trim_end_matches(" ms").rsplit(' ').next().unwrap().parse::<f64>().unwrap();
    }
    sum
}

fn book(chapters: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_folio-bench")).arg("generate-book").arg(dir.path()).arg(chapters.to_string()).status().unwrap();
    assert!(status.success());
    dir
}

#[test]
fn cost_per_chapter_stays_flat_from_1x_to_8x() {
    let (short, long) = (book(12), book(96));
    // Builds alternate, so that a slow spell of the machine falls on both
    // sizes alike; the fastest of seven each is what the stages cost. The
    // machine's noise only ever adds time: while other tests load it, up
    // to 21 pairs are run before the fastest are compared (a scan from the
    // document's start is 3.5 times dearer however many are run).
    let (mut s, mut l) = (f64::MAX, f64::MAX);
    for round in 1..=21 {
        s = s.min(own_stages(short.path()) / 12.0);
        l = l.min(own_stages(long.path()) / 96.0);
        if round >= 7 && l <= s * 1.3 {
            break;
        }
    }
    assert!(l <= s * 1.3, "per chapter: {s:.3} ms at 12 chapters, {l:.3} ms at 96");
}
