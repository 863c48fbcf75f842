//! Resource limits: oversized data, runaway loops and absurd nesting end with
//! a clear error instead of a hang or an out-of-memory kill.

use crate::common::*;

const REPORT: &str = "---\ntitle: T\nlang: en\n---\n\nRows: {{ data.big | length }}\n";

fn failing(f: &Fixture) -> String {
    let start = std::time::Instant::now();
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(start.elapsed() < std::time::Duration::from_secs(30), "took {:?}", start.elapsed());
    assert!(!f.out("report.pdf").exists());
    run.stderr
}

#[test]
fn a_hundred_megabyte_data_file_is_refused_unread() {
    let f = Fixture::new(&[("content/report.md", REPORT)]);
    let path = f.root().join("content/data/big.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::File::create(&path).unwrap().set_len(100 * 1024 * 1024).unwrap();
    let err = failing(&f);
    assert!(
        err.starts_with("error: data file content/data/big.csv is too large: 100 MiB, over the limit of 32 MiB\n  = hint: split the file, or raise the limit in folio.toml: [limits] data_mb = …\n"),
        "{err}"
    );
}

#[test]
fn a_million_row_csv_stops_at_the_row_limit_which_a_project_can_raise() {
    let mut csv = String::from("v\n");
    for i in 0..1_000_000 {
        csv.push_str(&format!("{}\n", i % 10));
    }
    let f = Fixture::new(&[("content/report.md", REPORT), ("content/data/big.csv", &csv)]);
    let err = failing(&f);
    assert!(err.contains("is too large: more than 100000 rows"), "{err}");
    f.write("folio.toml", "[limits]\ndata_rows = 1000001\ndata_mb = 64\ndata_values = 3000000\n");
    f.folio(&["build", "--format", "html"]).ok();
    assert!(f.html_source("report.html").contains("Rows: 1000000"));
}

#[test]
fn a_billion_iteration_loop_runs_out_of_fuel() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: T\n---\n\n{% for i in range(1000000000) %}{% endfor %}\n")]);
    let err = failing(&f);
    assert!(err.contains("template ran too long (loop limit reached)") || err.contains("range has too many elements"), "{err}");
    assert!(err.contains(" --> content/report.md:5:"), "{err}");
}

#[test]
fn ten_thousand_nested_list_levels_are_an_error() {
    // One line: written with indents, 10,000 levels take 96 MiB, over the
    // size of a report (16 MiB, see the next test).
    let body = format!("---\ntitle: T\nlang: en\n---\n\n{}x\n", "- ".repeat(10_000));
    let f = Fixture::new(&[("content/report.md", &body)]);
    let err = failing(&f);
    assert!(err.starts_with("error: content is nested more than 30 levels deep\n"), "{err}");
    // As deep as typst lays out, lists and quotes alike, builds.
    for unit in ["- ", "> "] {
        let f = Fixture::new(&[("content/report.md", &format!("---\ntitle: T\nlang: en\n---\n\n{}x\n", unit.repeat(30)))]);
        f.folio(&["build"]).ok();
    }
}

#[test]
fn deeply_nested_emphasis_is_an_error() {
    let body = format!("---\ntitle: T\nlang: en\n---\n\n{}x{}\n", "*a ".repeat(5000), " b*".repeat(5000));
    let f = Fixture::new(&[("content/report.md", &body)]);
    let err = failing(&f);
    assert!(err.starts_with("error: inline formatting is nested more than 100 levels deep\n --> content/report.md:6:1\n"), "{err}");
}
