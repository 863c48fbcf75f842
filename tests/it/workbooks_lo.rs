//! Workbooks written by LibreOffice (tests/data/workbooks/libreoffice/,
//! made by its cells.py): every cell of the same sheet, saved by
//! LibreOffice as .xlsx, .ods and .xls in the 1900 and the 1904 date
//! systems, read through folio and compared with what LibreOffice shows
//! (its own CSV export of the displayed text). No cell may differ silently.
//! `data.<stem>.shown` of the `.xlsx` gives LibreOffice's text itself.

use std::path::Path;

use crate::common::*;

/// A fixture with `content/data/` made, for a workbook to be copied in.
fn project(report: &str) -> Fixture {
    let f = Fixture::new(&[("content/report.md", report)]);
    std::fs::create_dir_all(f.root().join("content/data")).unwrap();
    f
}

fn corpus(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/workbooks/libreoffice").join(name)
}

/// What LibreOffice shows, by the row's label.
fn shown(system: &str) -> Vec<(String, String)> {
    shown_csv(&corpus(&format!("lo-{system}.shown.csv")))
}

/// A two-column CSV as LibreOffice exports it (quoted where a comma is).
fn shown_csv(path: &Path) -> Vec<(String, String)> {
    csv::Reader::from_path(path).unwrap().records().map(|r| {
        let r = r.unwrap();
        (r[0].to_string(), r[1].to_string())
    }).collect()
}

/// Where folio prints the value itself and LibreOffice a format of it, the
/// printed value and the filter that gives LibreOffice's text.
fn as_folio_prints(what: &str, shown: &str, book: &str) -> (String, Option<&'static str>) {
    match what {
        // LibreOffice saves 1900-02-28 as serial 60, which Excel shows as
        // its 1900-02-29; folio reads serials as Excel does and warns.
        "early date" if book.starts_with("lo-1900.xls") => ("1900-02-29".into(), None),
        // The value, 0.121; `pct(1)` prints it as LibreOffice's 0.0% does.
        "percent" => ("0.121".into(), Some("pct(1)")),
        // ISO 8601, where LibreOffice's format leaves out the T and seconds.
        "date and time" => (format!("{}:00", shown.replace(' ', "T")), None),
        // A formula's cached error is printed as it is, with a warning.
        _ => (shown.to_string(), None),
    }
}

#[test]
fn every_cell_libreoffice_wrote_reads_as_libreoffice_shows_it() {
    for system in ["1900", "1904"] {
        let expected = shown(system);
        for ext in ["xlsx", "ods", "xls"] {
            let book = format!("lo-{system}.{ext}");
            let mut template = String::from("---\ntitle: T\nlang: en\n---\n\n");
            for (i, (what, value)) in expected.iter().enumerate() {
                let (_, filter) = as_folio_prints(what, value, &book);
                template.push_str(&format!("- {what}: {{{{ data.book.Cells[{i}].value }}}}"));
                if let Some(filter) = filter {
                    template.push_str(&format!(" / {{{{ data.book.Cells[{i}].value | {filter} }}}}"));
                }
                template.push('\n');
            }
            let f = project(&template);
            std::fs::copy(corpus(&book), f.root().join(format!("content/data/book.{ext}"))).unwrap();
            let run = f.folio(&["build", "--format", "html"]).ok();
            let got = select_text(&f.html("report.html"), "main li");
            let want: Vec<String> = expected
                .iter()
                .map(|(what, value)| match as_folio_prints(what, value, &book) {
                    (printed, Some(_)) => format!("{what}: {printed} / {value}"),
                    (printed, None) => format!("{what}: {printed}"),
                })
                .collect();
            assert_eq!(got, want, "{book}");
            // The one cell that holds an error says so, naming it.
            let row = expected.iter().position(|(w, _)| w == "division by zero").unwrap() + 2;
            assert!(
                run.stderr.contains(&format!("prints the formula error `#DIV/0!` cached in content/data/book.{ext}, cell Cells!B{row}")),
                "{book}: {}",
                run.stderr
            );
            // The date before 1900-03-01 (or 1904-01-01) is one the programs
            // disagree on: a warning names it, except in the .ods (an ISO date).
            let early = expected.iter().position(|(w, _)| w == "early date").unwrap() + 2;
            let says = match (system, ext) {
                (_, "ods") => None,
                ("1900", _) => Some("Excel shows 1900-02-29, LibreOffice 1900-02-28; folio prints Excel's"),
                _ => Some("Excel shows no date before 1904-01-01 in the 1904 date system, LibreOffice shows 1900-02-28; folio prints that"),
            };
            let warning = format!("warning: content/data/book.{ext}, cell Cells!B{early} holds a date the spreadsheet programs disagree on: ");
            match says {
                Some(says) => assert!(run.stderr.contains(&format!("{warning}{says}")), "{book}: {}", run.stderr),
                None => assert!(!run.stderr.contains(&warning), "{book}: {}", run.stderr),
            }
        }
    }
}

#[test]
fn shown_cells_of_an_xlsx_are_exactly_what_libreoffice_shows() {
    for system in ["1900", "1904"] {
        let expected = shown(system);
        let f = project("---\ntitle: T\nlang: en\n---\n\n{% for r in data.book.shown.Cells %}\n- {{ r.what }}: {{ r.value }}\n{% endfor %}\n");
        std::fs::copy(corpus(&format!("lo-{system}.xlsx")), f.root().join("content/data/book.xlsx")).unwrap();
        f.folio(&["build", "--format", "html"]).ok();
        // Excel's reading of LibreOffice's serial 60, as in the values (with a warning).
        let want: Vec<String> = expected
            .iter()
            .map(|(what, value)| if what == "early date" && system == "1900" { format!("{what}: 1900-02-29") } else { format!("{what}: {value}") })
            .collect();
        assert_eq!(select_text(&f.html("report.html"), "main li"), want, "lo-{system}.xlsx");
    }
}

#[test]
fn shown_is_refused_by_name_for_a_workbook_that_keeps_no_formats() {
    let f = project("---\ntitle: T\nlang: en\n---\n\n{{ data.book.shown.Cells[0].value }}\n");
    std::fs::copy(corpus("lo-1900.ods"), f.root().join("content/data/book.ods")).unwrap();
    let run = f.folio(&["build", "--format", "html"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error: `data.book.shown` gives cells as a spreadsheet shows them, which folio reads from .xlsx workbooks only; content/data/book.ods is another format"), "{}", run.stderr);
}

/// XlsxWriter's workbook of the number formats analysts use
/// (tests/data/workbooks/formats.py), shown as LibreOffice shows it.
#[test]
fn number_formats_of_an_xlsxwriter_workbook_show_as_libreoffice_shows_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/workbooks");
    let expected = shown_csv(&dir.join("formats.shown.csv"));
    let f = project("---\ntitle: T\nlang: en\n---\n\n{% for r in data.formats.shown.Formats %}\n- {{ r.what }}: {{ r.value }}\n{% endfor %}\n");
    std::fs::copy(dir.join("formats.xlsx"), f.root().join("content/data/formats.xlsx")).unwrap();
    f.folio(&["build", "--format", "html"]).ok();
    let want: Vec<String> = expected.iter().map(|(what, value)| format!("{what}: {}", value.trim_end())).collect();
    assert_eq!(select_text(&f.html("report.html"), "main li").iter().map(|t| t.trim_end().to_string()).collect::<Vec<_>>(), want);
    // A fraction format is refused at its cell, not guessed.
    f.write("content/report.md", "---\ntitle: T\nlang: en\n---\n\n{{ data.formats.shown.Fractions[0].value }}\n");
    let run = f.folio(&["build", "--format", "html"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error: content/data/formats.xlsx, cell Fractions!B2: folio cannot show it as the spreadsheet does: the format `# ?/?` splits its digits with text or a fraction, which folio does not render"), "{}", run.stderr);
}

/// A header merged over two columns and a data cell merged over two, each
/// covering a cell that still holds text from before the merge (LibreOffice
/// keeps it hidden): the keys join the merged header with the names under
/// it, and a covered cell is empty, in the .ods and the .xlsx alike.
#[test]
fn a_cell_a_merge_covers_reads_as_empty_as_it_shows() {
    for ext in ["ods", "xlsx"] {
        let f = project(
            "---\ntitle: T\nlang: en\n---\n\n{% for r in data.m.Model %}\n- {{ r | items | map('join', '=') | join(', ') }}\n{% endfor %}\n",
        );
        std::fs::copy(corpus(&format!("merged.{ext}")), f.root().join(format!("content/data/m.{ext}"))).unwrap();
        f.folio(&["build", "--format", "html"]).ok();
        assert_eq!(
            select_text(&f.html("report.html"), "main li"),
            ["Ticker=BABA, 营业收入 2022A=8530.6, 营业收入 2023E=8686.9", "Ticker=BIDU, 营业收入 2022A=n/a, 营业收入 2023E=None"],
            "merged.{ext}"
        );
    }
}
