//! Determinism, crash safety, valid PDF, PDF standards and alt-text warnings.

use crate::common::*;

use std::process::Command;
use std::time::Duration;



#[test]
fn builds_are_byte_identical_across_runs_and_folders() {
    let a = flagship();
    let b = flagship();
    a.folio(&["build", "--ignore-system-fonts"]).ok();
    b.folio(&["build", "--ignore-system-fonts"]).ok();
    let pdf = std::fs::read(a.out("report.pdf")).unwrap();
    assert_eq!(pdf, std::fs::read(b.out("report.pdf")).unwrap(), "PDF differs between two folders");
    assert_eq!(a.html_source("report.html"), b.html_source("report.html"), "HTML differs");
    a.folio(&["build", "--ignore-system-fonts"]).ok();
    assert_eq!(pdf, std::fs::read(a.out("report.pdf")).unwrap(), "PDF differs between two runs");
    // No machine paths leak into the outputs.
    let root = a.root().to_string_lossy().into_owned();
    let pdf_text = String::from_utf8_lossy(&pdf);
    assert!(!pdf_text.contains(&root) && !a.html_source("report.html").contains(&root));
    assert!(!pdf_text.contains("/tmp/"), "a temp path is in the PDF");
}

#[test]
fn source_date_epoch_sets_the_document_date_when_front_matter_has_none() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: Dated\nlang: en\n---\n\nText.\n")]);
    let run = |epoch: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_folio"));
        cmd.arg("build").arg("--format").arg("pdf").current_dir(f.root());
        if let Some(e) = epoch {
            cmd.env("SOURCE_DATE_EPOCH", e);
        }
        assert!(cmd.status().unwrap().success());
        std::fs::read(f.out("report.pdf")).unwrap()
    };
    let undated = run(None);
    assert!(!String::from_utf8_lossy(&undated).contains("CreationDate"), "a clock date leaked into the PDF");
    let dated = run(Some("1683158400")); // 2023-05-04T00:00:00Z
    assert!(String::from_utf8_lossy(&dated).contains("D:20230504"), "SOURCE_DATE_EPOCH was not used");
    assert_eq!(dated, run(Some("1683158400")));
}

/// Kill builds at pseudo-random moments: every output is always either the
/// previous complete file or the new one, and the next build leaves no temp files.
#[test]
fn killed_builds_never_leave_partial_outputs() {
    let f = flagship();
    f.folio(&["build"]).ok();
    let good_pdf = std::fs::read(f.out("report.pdf")).unwrap();
    let good_html = std::fs::read(f.out("report.html")).unwrap();
    let mut seed: u64 = 0x2545F4914F6CDD1D;
    for _ in 0..25 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_millis(seed % 400);
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("build")
            .current_dir(f.root())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_eq!(std::fs::read(f.out("report.pdf")).unwrap(), good_pdf, "PDF changed or truncated after a kill at {delay:?}");
        assert_eq!(std::fs::read(f.out("report.html")).unwrap(), good_html, "HTML changed or truncated after a kill at {delay:?}");
    }
    f.folio(&["build"]).ok();
    let stray: Vec<_> = std::fs::read_dir(f.root().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".folio-tmp-"))
        .collect();
    assert!(stray.is_empty(), "stray temp files: {stray:?}");
}

#[test]
fn flagship_pdf_passes_qpdf_and_poppler() {
    let f = flagship();
    f.folio(&["build", "--format", "pdf"]).ok();
    let pdf = f.out("report.pdf");
    if tool("qpdf") {
        let out = Command::new("qpdf").arg("--check").arg(&pdf).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains("No syntax or stream encoding errors found"), "{text}");
    }
    if tool("pdfinfo") {
        let out = Command::new("pdfinfo").arg(&pdf).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Tagged:          yes"), "{text}");
        assert!(text.contains("Title:           逐浪大模型"), "{text}");
        let pages: usize = text.lines().find(|l| l.starts_with("Pages:")).unwrap()[6..].trim().parse().unwrap();
        assert!(pages >= 20);
        let txt = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
        assert!(String::from_utf8_lossy(&txt.stdout).contains("互联网巨头"));
    }
}

#[test]
fn flagship_meets_pdf_ua_1_and_pdf_a_2b() {
    let f = flagship();
    for standard in ["ua-1", "a-2b"] {
        let run = f.folio(&["build", "--format", "pdf", "--pdf-standard", standard]).ok();
        assert!(!run.stderr.contains("warning"), "{standard}: {}", run.stderr);
        let pdf = String::from_utf8_lossy(&std::fs::read(f.out("report.pdf")).unwrap()).into_owned();
        let marker = if standard == "ua-1" { "pdfuaid" } else { "pdfaid" };
        assert!(pdf.contains(marker), "{standard}: no {marker} metadata");
    }
}

#[test]
fn figures_without_alt_text_warn_and_fail_under_strict() {
    let f = Fixture::new(&[
        ("content/report.md", "---\ntitle: Alt\nlang: en\n---\n\n![](img/a.svg)\n\n```chart\nkind: bar\nrows: [{a: x, b: 1}]\nx: a\ny: b\ncaption: C\n```\n"),
        ("content/img/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>"),
    ]);
    let run = f.folio(&["build"]).ok();
    assert!(run.stderr.contains("warning: image `img/a.svg` has no alt text\n --> content/report.md:6:5\n"), "{}", run.stderr);
    assert!(run.stderr.contains("warning: chart \"C\" has no alt text\n --> content/report.md:9:1\n"), "{}", run.stderr);
    assert_eq!(f.folio(&["build", "--strict"]).code, 1);
}
