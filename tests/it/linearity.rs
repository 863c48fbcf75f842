//! folio's own stages cost the same per chapter in a long document as in a
//! short one: the benchmark's book-shaped project at 12 and at 96 chapters
//! (8×), its generated markup only (typst's layout is typst's), the fastest
//! of five builds each. A scan from the document's start per block (as the
//! source map once did) makes the long one several times dearer per chapter.

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

fn per_chapter(chapters: usize) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_folio-bench")).arg("generate-book").arg(dir.path()).arg(chapters.to_string()).status().unwrap();
    assert!(status.success());
    (0..5).map(|_| own_stages(dir.path())).fold(f64::MAX, f64::min) / chapters as f64
}

#[test]
fn cost_per_chapter_stays_flat_from_1x_to_8x() {
    let short = per_chapter(12);
    let long = per_chapter(96);
    assert!(long <= short * 1.3, "per chapter: {short:.3} ms at 12 chapters, {long:.3} ms at 96");
}
