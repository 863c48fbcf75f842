//! PDF tables whose cells hold long numbers: a column too narrow for its
//! number is widened (never printed over its neighbour), a table whose
//! numbers cannot stand side by side is set smaller, and one that cannot
//! hold a number even then is a warning naming the table, row and column.

use crate::common::*;

/// Every word pdftotext finds on the PDF's pages: (text, x min, x max, y min).
fn words(pdf: &std::path::Path) -> Vec<(String, f64, f64, f64)> {
    let out = std::process::Command::new("pdftotext").args(["-bbox"]).arg(pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let html = String::from_utf8_lossy(&out.stdout).to_string();
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("word").unwrap();
    doc.select(&sel)
        .map(|w| {
            let n = |a: &str| w.value().attr(a).unwrap().parse::<f64>().unwrap();
            (w.text().collect(), n("xmin"), n("xmax"), n("ymin"))
        })
        .collect()
}

const LONG: &str = "123456789012345678901234567890123456789012345678901234567890";

fn report(rows: &str) -> String {
    format!("---\ntitle: Fit\nlang: en\n---\n\nTable: Long numbers {{#tbl:long}}\n\n{rows}\n")
}

#[test]
fn a_column_too_narrow_for_its_number_is_widened_not_overprinted() {
    let prose = "A description long enough to take the largest share of the width in proportion to its text, as a browser would give it";
    let f = Fixture::new(&[("content/report.md", &report(&format!("| Note | Value | Tail |\n|---|---:|---|\n| {prose} | {LONG} | end |\n")))]);
    let run = f.folio(&["build", "--format", "pdf"]).ok();
    assert!(!run.stderr.contains("cannot hold"), "{}", run.stderr);
    let words = words(&f.out("report.pdf"));
    let number = words.iter().find(|w| w.0 == LONG).unwrap_or_else(|| panic!("the number is whole in the PDF: {words:?}"));
    let tail = words.iter().find(|w| w.0 == "end" && (w.3 - number.3).abs() < 2.0).expect("the next cell on the same line");
    assert!(number.2 <= tail.1, "the number ({:.1}–{:.1}) runs into the next cell ({:.1})", number.1, number.2, tail.1);
    let description = words.iter().find(|w| w.0 == "description").unwrap();
    assert!(description.2 < number.1, "the prose wraps within its narrower column");
}

#[test]
fn numbers_that_cannot_stand_side_by_side_are_set_smaller() {
    let half = &LONG[..36];
    let f = Fixture::new(&[("content/report.md", &report(&format!("| A | B | C |\n|---:|---:|---:|\n| {half} | {half} | {half} |\n")))]);
    let run = f.folio(&["build", "--format", "pdf"]).ok();
    assert!(!run.stderr.contains("cannot hold"), "{}", run.stderr);
    let words = words(&f.out("report.pdf"));
    let cells: Vec<_> = words.iter().filter(|w| w.0 == half).collect();
    assert_eq!(cells.len(), 3, "{words:?}");
    assert!(cells[0].2 <= cells[1].1 && cells[1].2 <= cells[2].1, "cells overlap: {cells:?}");
}

#[test]
fn a_number_no_column_can_hold_is_a_warning_naming_its_table_row_and_column() {
    let huge = LONG.repeat(7);
    let f = Fixture::new(&[("content/report.md", &report(&format!("| Company | 2024E |\n|---|---:|\n| A | 1 |\n| B | {huge} |\n")))]);
    let run = f.folio(&["build", "--format", "pdf"]).ok();
    let shown = &huge[..37];
    assert!(
        run.stderr.contains(&format!("warning: Table 1 cannot hold `{shown}…` (row 2, column `2024E`) even set at 6.0pt: in the PDF it runs past its column")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> content/report.md:"), "{}", run.stderr);
    assert_eq!(f.folio(&["check", "--strict"]).code, 1, "--strict fails on it");
}
