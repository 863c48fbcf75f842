//! Paper sizes: `paper:` in front matter or folio.toml (typst's names);
//! A4 when neither says; a name typst does not know is an error where it
//! is written, with a did-you-mean.

use crate::common::*;

/// The first page's size in points, as poppler reads it.
fn page_size(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&out.stdout).to_string();
    let line = info.lines().find(|l| l.starts_with("Page size:")).unwrap_or_else(|| panic!("{info}"));
    line.trim_start_matches("Page size:").trim().to_string()
}

#[test]
fn paper_comes_from_front_matter_then_folio_toml_then_a4() {
    let f = Fixture::new(&[
        ("content/letter.md", "---\ntitle: T\nlang: en\npaper: us-letter\n---\n\nText.\n"),
        ("content/plain.md", "---\ntitle: T\nlang: en\n---\n\nText.\n"),
    ]);
    f.folio(&["build", "--format", "pdf"]).ok();
    assert_eq!(page_size(&f.out("letter.pdf")), "612 x 792 pts (letter)");
    assert_eq!(page_size(&f.out("plain.pdf")), "595.276 x 841.89 pts (A4)");
    f.write("folio.toml", "paper = \"A5\"\n");
    f.folio(&["build", "--format", "pdf"]).ok();
    assert_eq!(page_size(&f.out("letter.pdf")), "612 x 792 pts (letter)", "the front matter wins");
    assert_eq!(page_size(&f.out("plain.pdf")), "419.528 x 595.276 pts");
}

#[test]
fn a_paper_typst_does_not_know_is_an_error_at_its_key() {
    let f = Fixture::new(&[("content/r.md", "---\ntitle: T\nlang: en\npaper: us-leter\n---\n\nText.\n")]);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("error: `paper: us-leter` is no paper size typst knows\n --> content/r.md:4:1\n"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("= hint: did you mean `us-letter`?"), "{}", run.stderr);
    f.write("content/r.md", "---\ntitle: T\nlang: en\n---\n\nText.\n");
    f.write("folio.toml", "paper = \"letter-ish\"\n");
    let run = f.folio(&["build"]);
    assert!(run.stderr.contains("error: `paper = \"letter-ish\"` in folio.toml is no paper size typst knows"), "{}", run.stderr);
}
