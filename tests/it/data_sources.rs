//! Data where analysts keep it: workbooks (a real .xlsx with merged
//! headers, dates, cached formulas, two sheets and a named range, plus .ods
//! and .xls; see tests/data/workbooks/make.py), SQL on SQLite, and SQL on a
//! real PostgreSQL server that `.ci/run` starts (skipped outside CI only).

use std::path::Path;

use crate::common::*;

fn workbook(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/workbooks").join(name).display().to_string()
}

fn copy_in(f: &Fixture, from: &str, to: &str) {
    let dest = f.root().join(to);
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::copy(from, dest).unwrap();
}

/// A project with the test workbook as `data.model` and `report` as its report.
fn with_workbook(report: &str) -> Fixture {
    let f = Fixture::new(&[("content/report.md", report), ("folio.toml", "[workbooks.model]\nQuarterly = \"QuarterTable\"\n")]);
    copy_in(&f, &workbook("model.xlsx"), "content/data/model.xlsx");
    f
}

fn paragraphs(f: &Fixture) -> Vec<String> {
    select_text(&f.html("report.html"), "main p")
}

#[test]
fn a_workbook_is_sheets_of_typed_records() {
    let f = with_workbook(
        "---\ntitle: W\nlang: en\n---\n\n{{ data.model.Model[1] | tojson }}\n\n{{ data.model.rows[0].Ticker }} {{ data.model.Quarterly | length }} {{ data.model.Quarterly[4].quarter }}\n",
    );
    let run = f.folio(&["build", "--format", "html"]).ok();
    let p = paragraphs(&f);
    // Merged header cells name their columns with the row under them;
    // numbers stay numbers, a formula gives its cached value, dates are ISO.
    assert_eq!(
        p[0],
        r#"{"Ticker": "BIDU", "营业收入 2022A": 1236.8, "营业收入 2023E": 1344.2, "营业收入 2024E": 1452, "Margin 2023E": 0.152, "Margin 2024E": 0.161, "Reported": "2023-05-16"}"#
    );
    // `rows` is the first sheet; the named range picks the second sheet's table.
    assert_eq!(p[1], "BABA 5 2023Q1");
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn a_range_in_folio_toml_picks_a_table_that_does_not_start_at_a1() {
    let f = with_workbook("---\ntitle: W\nlang: en\n---\n\n{{ data.model.Quarterly[0] | tojson }}\n");
    f.write("folio.toml", "[workbooks.model]\nQuarterly = \"B3:D8\"\n");
    f.folio(&["build", "--format", "html"]).ok();
    assert_eq!(paragraphs(&f)[0], r#"{"quarter": "2022Q1", "revenue": 2040.5, "growth": 0.09}"#);
    f.write("folio.toml", "[workbooks.model]\nQuartely = \"B3:D8\"\n");
    let run = f.folio(&["build", "--format", "html"]);
    assert!(run.stderr.contains("error: folio.toml names sheet `Quartely`, which content/data/model.xlsx does not have\n  = hint: its sheets: Model, Quarterly"), "{}", run.stderr);
}

#[test]
fn ods_and_xls_workbooks_read_the_same_table() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: W\nlang: en\n---\n\n{{ data.a.rows | tojson }}\n\n{{ data.b.rows | tojson }}\n")]);
    copy_in(&f, &workbook("model.ods"), "content/data/a.ods");
    copy_in(&f, &workbook("model.xls"), "content/data/b.xls");
    f.folio(&["build", "--format", "html"]).ok();
    let p = paragraphs(&f);
    let want = r#"[{"ticker": "BABA", "revenue": 8530.6, "reported": "2023-05-18"}, {"ticker": "BIDU", "revenue": 1236.8, "reported": "2023-05-16"}, {"ticker": "TCEHY", "revenue": 5545.5, "reported": "2023-05-17"}]"#;
    assert_eq!(p, [want, want]);
}

#[test]
fn a_chart_of_a_sheet_and_errors_that_name_the_cell() {
    let f = with_workbook("---\ntitle: W\nlang: en\n---\n\n```chart\nkind: bar\ndata: model.Quarterly\nx: quarter\ny: revenue\nlabels: true\ncaption: Q\nalt: Q\n```\n");
    f.folio(&["build", "--format", "html"]).ok();
    let labels = select_text(&f.html("report.html"), "figure .chart-box:not(.chart-narrow) svg text");
    assert!(labels.contains(&"2,477.6".to_string()), "{labels:?}");
    // A chart of a column holding a cached #DIV/0!.
    f.write("content/report.md", "---\ntitle: W\nlang: en\n---\n\n```chart\nkind: bar\ndata: model\nx: Ticker\ny: Margin 2023E\ncaption: M\nalt: M\n```\n");
    let run = f.folio(&["build"]);
    assert_eq!(
        run.stderr,
        "error: column `Margin 2023E` holds a non-numeric value `#DIV/0!` in data row 3
 --> content/report.md:7:1
  |
7 | kind: bar
  | ^^^^^^^^^
  = hint: chart values must be numbers; fix the cell or chart another column
  = hint: the value is in content/data/model.xlsx, cell Model!E5
build failed with 1 error(s); no output was written
"
    );
    // A report that prints that cell builds, with a warning naming it.
    f.write("content/report.md", "---\ntitle: W\nlang: en\n---\n\nMargin {{ data.model.rows[2][\"Margin 2023E\"] }}.\n");
    let run = f.folio(&["build"]).ok();
    assert!(
        run.stderr.starts_with("warning: content/report.md prints the formula error `#DIV/0!` cached in content/data/model.xlsx, cell Model!E5\n  = hint: fix the formula in the workbook and save it there, or print another cell\n"),
        "{}",
        run.stderr
    );
}

/// A SQLite database made from tests/data/sql/research.sql.
fn sqlite_project(report: &str, query: &str) -> Fixture {
    let f = Fixture::new(&[("content/report.md", report), ("content/data/prices.sql", query), ("folio.toml", "database = \"data/research.db\"\n")]);
    let schema = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sql/research.sql")).unwrap();
    let conn = rusqlite::Connection::open(f.root().join("content/data/research.db")).unwrap();
    conn.execute_batch(&schema).unwrap();
    f
}

const QUERY: &str = "-- Month-end closes of one company.\nSELECT day, close\nFROM prices\nWHERE ticker = :ticker\nORDER BY day\n";
const PRINT: &str = "---\ntitle: S\nlang: en\nticker: BIDU\n---\n\n{% for p in data.prices %}{{ p.day }} {{ p.close }}; {% endfor %}\n";

#[test]
fn a_query_binds_front_matter_set_and_family_values() {
    let f = sqlite_project(PRINT, QUERY);
    f.folio(&["build", "--format", "html"]).ok();
    assert_eq!(paragraphs(&f), ["2023-01-31 150; 2023-02-28 140.1; 2023-03-31 151.72;"]);
    f.folio(&["build", "--format", "html", "--set", "ticker=BABA"]).ok();
    assert_eq!(paragraphs(&f), ["2023-01-31 110.5; 2023-02-28 98.2; 2023-03-31 99.82;"]);
    // A family: each member's row binds `:ticker`.
    f.write("content/data/names.csv", "ticker\nBABA\nBIDU\n");
    f.write("content/report.md", &PRINT.replace("ticker: BIDU\n", "each: names\nname: \"{{ row.ticker }}\"\n"));
    f.folio(&["build", "--format", "html"]).ok();
    assert_eq!(select_text(&f.html("BABA.html"), "main p"), ["2023-01-31 110.5; 2023-02-28 98.2; 2023-03-31 99.82;"]);
    assert_eq!(select_text(&f.html("BIDU.html"), "main p"), ["2023-01-31 150; 2023-02-28 140.1; 2023-03-31 151.72;"]);
}

#[test]
fn each_family_member_charts_its_own_query_rows() {
    // The same chart block and query text for every member: the drawing
    // of one member's rows must not be reused for another's.
    let chart = "```chart\nkind: line\ndata: prices\nx: day\ny: close\nlabels: true\ncaption: Closes\nalt: closes\n```\n";
    let f = sqlite_project(&format!("---\ntitle: S\nlang: en\neach: names\nname: \"{{{{ row.ticker }}}}\"\n---\n\n{chart}"), QUERY);
    f.write("content/data/names.csv", "ticker\nBABA\nBIDU\n");
    // One worker builds the members in turn, as on a one-core machine.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio")).arg("build").current_dir(f.root()).env("FOLIO_JOBS", "1").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (name, own, other) in [("BABA", "99.82", "151.72"), ("BIDU", "151.72", "99.82")] {
        let pdf = f.pdf_text(&format!("{name}.pdf"));
        assert!(pdf.contains(own) && !pdf.contains(other), "{name}.pdf: {pdf}");
        let html = f.html_source(&format!("{name}.html"));
        assert!(html.contains(&format!(">{own}<")) && !html.contains(&format!(">{other}<")), "{name}.html");
    }
}

#[test]
fn a_value_that_looks_like_sql_is_only_a_value() {
    let f = sqlite_project(PRINT, QUERY);
    f.folio(&["build", "--format", "html", "--set", "ticker=x'; DROP TABLE prices; --"]).ok();
    assert_eq!(paragraphs(&f), Vec::<String>::new(), "no company has that ticker");
    f.folio(&["build", "--format", "html", "--force"]).ok();
    assert_eq!(paragraphs(&f), ["2023-01-31 150; 2023-02-28 140.1; 2023-03-31 151.72;"], "the table is still there");
}

#[test]
fn queries_only_read_and_stop_at_the_row_limit() {
    let f = sqlite_project(PRINT, "DELETE FROM prices WHERE ticker = :ticker\n");
    let run = f.folio(&["build"]);
    assert!(run.stderr.starts_with("error: the query would change the database; folio only reads\n --> content/data/prices.sql:1:1\n"), "{}", run.stderr);
    f.write("content/data/prices.sql", "SELECT * FROM prices\n");
    f.write("folio.toml", "database = \"data/research.db\"\n[limits]\ndata_rows = 5\n");
    let run = f.folio(&["build"]);
    assert!(run.stderr.starts_with("error: the query of content/data/prices.sql returns more than 5 rows\n"), "{}", run.stderr);
}

#[test]
fn a_query_that_runs_too_long_is_stopped() {
    let endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) AS c FROM n WHERE :ticker = :ticker\n";
    let f = sqlite_project(PRINT, endless);
    f.write("folio.toml", "database = \"data/research.db\"\n[limits]\nquery_seconds = 1\n");
    let start = std::time::Instant::now();
    let run = f.folio(&["build"]);
    assert!(start.elapsed() < std::time::Duration::from_secs(8), "stopped after a second");
    assert!(run.stderr.starts_with("error: the query ran longer than 1 s and was stopped\n --> content/data/prices.sql:1:1\n"), "{}", run.stderr);
}

#[test]
fn an_xlsm_workbook_reads_as_an_xlsx_one() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: W\nlang: en\n---\n\n{{ data.m.rows[0].Ticker }} {{ data.m.rows[0].Reported }}\n")]);
    copy_in(&f, &workbook("model.xlsx"), "content/data/m.xlsm");
    f.folio(&["build", "--format", "html"]).ok();
    assert_eq!(paragraphs(&f), ["BABA 2023-05-18"]);
}

#[test]
fn query_errors_name_the_sql_file_line_and_the_database() {
    let f = sqlite_project(PRINT, &QUERY.replace("WHERE ticker", "WHERE tickr"));
    let run = f.folio(&["build"]);
    assert_eq!(
        run.stderr,
        "error: SQL error: no such column: tickr
 --> content/data/prices.sql:4:7
  |
4 | WHERE tickr = :ticker
  |       ^
  = hint: the database is the SQLite file content/data/research.db, from `database` in folio.toml
build failed with 1 error(s); no output was written
"
    );
    let f = sqlite_project(&PRINT.replace("ticker: BIDU\n", ""), QUERY);
    let run = f.folio(&["build"]);
    assert!(run.stderr.starts_with("error: the query binds `:ticker`, which the report does not set\n --> content/data/prices.sql:4:16\n"), "{}", run.stderr);
    f.write("folio.toml", "");
    let run = f.folio(&["build"]);
    assert!(run.stderr.contains("error: content/data/prices.sql is a query, but the project names no database"), "{}", run.stderr);
}

#[test]
fn a_changed_database_file_rebuilds_the_reports_that_queried_it() {
    let f = sqlite_project(PRINT, QUERY);
    f.folio(&["build", "--format", "html"]).ok();
    assert!(f.folio(&["build", "--format", "html"]).ok().stderr.contains("1 report(s) up to date"));
    let conn = rusqlite::Connection::open(f.root().join("content/data/research.db")).unwrap();
    conn.execute("UPDATE prices SET close = 160 WHERE ticker = 'BIDU' AND day = '2023-03-31'", []).unwrap();
    drop(conn);
    f.folio(&["build", "--format", "html"]).ok();
    assert_eq!(paragraphs(&f), ["2023-01-31 150; 2023-02-28 140.1; 2023-03-31 160;"]);
}

/// The PostgreSQL server `.ci/run` starts, or None (skipped) outside CI.
fn postgres_url() -> Option<String> {
    match std::env::var("FOLIO_TEST_POSTGRES_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            assert!(std::env::var_os("CI").is_none(), "CI must start PostgreSQL (.ci/run sets FOLIO_TEST_POSTGRES_URL)");
            eprintln!("skipped: no PostgreSQL (set FOLIO_TEST_POSTGRES_URL, as .ci/run does)");
            None
        }
    }
}

fn folio_with_db(f: &Fixture, url: &str, args: &[&str]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio")).args(args).current_dir(f.root()).env("FOLIO_DATABASE_URL", url).output().unwrap();
    Run { code: out.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

#[test]
fn postgresql_queries_bind_values_and_keep_types() {
    let Some(url) = postgres_url() else { return };
    let f = Fixture::new(&[("content/report.md", PRINT), ("content/data/prices.sql", QUERY)]);
    let run = folio_with_db(&f, &url, &["build", "--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // CI's server is connected to as its superuser: said once, with the role to use.
    assert_eq!(run.stderr.matches("as a superuser: a project's query could read the server's files").count(), 1, "{}", run.stderr);
    // NUMERIC(10,2) becomes a number as a CSV cell would (150.00 → 150.0), DATE is ISO.
    assert_eq!(paragraphs(&f), ["2023-01-31 150.0; 2023-02-28 140.1; 2023-03-31 151.72;"]);
    let run = folio_with_db(&f, &url, &["build", "--format", "html", "--set", "ticker=x'; DROP TABLE prices; --"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(paragraphs(&f), Vec::<String>::new());
    f.write("content/data/prices.sql", "DELETE FROM prices WHERE ticker = :ticker RETURNING *\n");
    let run = folio_with_db(&f, &url, &["build"]);
    assert!(run.stderr.contains("error: SQL error:") && run.stderr.contains("--> content/data/prices.sql"), "{}", run.stderr);
    f.write("content/data/prices.sql", QUERY);
    let run = folio_with_db(&f, &url, &["build", "--format", "html", "--force"]);
    assert_eq!(paragraphs(&f), ["2023-01-31 150.0; 2023-02-28 140.1; 2023-03-31 151.72;"], "nothing was deleted: {}", run.stderr);
}

#[test]
fn an_unreachable_server_is_named_without_its_password() {
    let f = Fixture::new(&[("content/report.md", PRINT), ("content/data/prices.sql", QUERY)]);
    let run = folio_with_db(&f, "postgres://analyst:hunter2@127.0.0.1:1/research", &["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error: cannot reach the PostgreSQL server 127.0.0.1:1/research"), "{}", run.stderr);
    assert!(run.stderr.contains("= hint: the database is the PostgreSQL server 127.0.0.1:1/research, from the environment variable FOLIO_DATABASE_URL"), "{}", run.stderr);
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
}

#[test]
fn workbook_dates_read_as_excel_shows_them_in_either_date_system() {
    // XlsxWriter's workbooks (tests/data/workbooks/dates.py): the same
    // cells in the 1900 and the 1904 date systems.
    for book in ["dates-1900.xlsx", "dates-1904.xlsx"] {
        let f = Fixture::new(&[("content/report.md", "---\ntitle: T\nlang: en\n---\n\n{% for r in data.d.Dates %}{{ r.what }} {{ r.when }} {{ r['2021-01-01'] }}; {% endfor %}\n")]);
        copy_in(&f, &workbook(book), "content/data/d.xlsx");
        f.folio(&["build", "--format", "html"]).ok();
        let early = if book == "dates-1900.xlsx" { " early 1900-02-28 3;" } else { "" };
        assert_eq!(select_text(&f.html("report.html"), "main p"), [format!("day 2023-04-01 0; time 12:30:00 1; duration 36:00:00 2;{early}")], "{book}");
    }
}

#[test]
fn a_formula_with_no_saved_value_is_a_warning_naming_its_cell() {
    // openpyxl saves formulas without computing them.
    let f = Fixture::new(&[("content/report.md", "---\ntitle: T\nlang: en\n---\n\n{{ data.u.Model[0].revenue }}\n")]);
    copy_in(&f, &workbook("uncached.xlsx"), "content/data/u.xlsx");
    let run = f.folio(&["build", "--format", "html"]).ok();
    assert!(run.stderr.starts_with("warning: content/data/u.xlsx, cell Model!C2 holds the formula `=B2*1.08` with no value saved: folio reads such cells as empty\n"), "{}", run.stderr);
    assert_eq!(f.folio(&["check", "--strict"]).code, 1, "--strict fails on it");
}

#[test]
fn printing_a_formula_with_no_saved_value_is_an_error_at_its_place() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: T\nlang: en\n---\n\n{% for r in data.u.Model %}{{ r.ticker }}: {% if r.next %}{{ r.next }}{% else %}n/a{% endif %}{% endfor %}\n",
    )]);
    copy_in(&f, &workbook("uncached.xlsx"), "content/data/u.xlsx");
    // A test of it is false, as of an empty cell: the report builds.
    f.folio(&["build", "--format", "html"]).ok();
    assert_eq!(select_text(&f.html("report.html"), "main p"), ["BABA: n/a"]);
    // Printed, it fails where it is printed, naming the cell and its formula.
    f.write("content/report.md", "---\ntitle: T\nlang: en\n---\n\n{% for r in data.u.Model %}{{ r.ticker }} {{ r.next }}{% endfor %}\n");
    let run = f.folio(&["build", "--format", "html"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: template error: invalid operation: this prints content/data/u.xlsx, cell Model!C2, a formula with no value saved (`=B2*1.08`)\n --> content/report.md:6:46"),
        "{}",
        run.stderr
    );
    f.write("content/report.md", "---\ntitle: T\nlang: en\n---\n\n{{ data.u.shown.Model[0].next }}\n");
    let run = f.folio(&["build", "--format", "html"]);
    assert!(run.stderr.contains("this prints content/data/u.xlsx, cell Model!C2, a formula with no value saved"), "as shown, too: {}", run.stderr);
    f.write("content/report.md", "---\ntitle: T\nlang: en\n---\n\n{{ data.u.Model[0].next | num(1) }}\n");
    let run = f.folio(&["build", "--format", "html"]);
    assert!(run.stderr.contains("`num` needs a number, got content/data/u.xlsx, cell Model!C2, a formula with no value saved (`=B2*1.08`)"), "{}", run.stderr);
}

#[test]
fn an_xlsb_workbook_is_refused_by_name() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: T\nlang: en\n---\n\nText.\n"), ("content/data/model.xlsb", "PK")]);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error: content/data/model.xlsb is an Excel binary workbook (.xlsb), which folio does not read\n  = hint: save it from Excel as .xlsx"), "{}", run.stderr);
}

/// What PostgreSQL answers that no page can show as it is — a non-finite
/// number, binary data, a type folio does not decode — is an error naming
/// the row and column, never an empty cell or garbage.
#[test]
fn postgresql_cells_that_cannot_print_are_errors_naming_them() {
    let Some(url) = postgres_url() else { return };
    let cases = [
        ("SELECT 1 AS n, 'NaN'::float8 AS x", "answers `NaN`, not a finite number in row 1, column `x`"),
        ("SELECT 'Infinity'::numeric AS x", "answers `Infinity`, not a finite number in row 1, column `x`"),
        ("SELECT 'NaN'::numeric AS x", "answers `NaN`, not a finite number in row 1, column `x`"),
        ("SELECT 'a' AS t, '\\xdeadbeef'::bytea AS b", "answers binary data (BYTEA) in row 1, column `b`"),
        ("SELECT '11111111-2222-3333-4444-555555555555'::uuid AS id", "answers a value of type `uuid`, which folio does not read (CAST it to text) in row 1, column `id`"),
    ];
    for (sql, says) in cases {
        let f = Fixture::new(&[("content/report.md", "---\ntitle: T\nlang: en\n---\n\n{{ data.q | length }}\n"), ("content/data/q.sql", sql)]);
        let run = folio_with_db(&f, &url, &["build", "--format", "html"]);
        assert_eq!(run.code, 1, "{sql}: {}", run.stderr);
        assert!(run.stderr.contains(&format!("error: the query of content/data/q.sql {says}")), "{sql}: {}", run.stderr);
    }
    // Cast to text, each prints.
    let f = Fixture::new(&[("content/report.md", "---\ntitle: T\nlang: en\n---\n\n{{ data.q[0].id }} {{ data.q[0].x }}\n"), ("content/data/q.sql", "SELECT '11111111-2222-3333-4444-555555555555'::uuid::text AS id, 2.50::numeric AS x")]);
    let run = folio_with_db(&f, &url, &["build", "--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(paragraphs(&f), ["11111111-2222-3333-4444-555555555555 2.5"]);
}
