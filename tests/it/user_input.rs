//! What a user writes must build, or fail with the right place: headings in
//! containers, data printed into fences, one bad report among many, broken
//! data under `check`, numbers that are not unambiguous, error places after
//! non-ASCII text, Jinja comments.

use crate::common::*;

const HEAD: &str = "---\ntitle: T\nlang: en\n---\n\n";

fn failing(f: &Fixture, args: &[&str]) -> String {
    let run = f.folio(args);
    assert_eq!(run.code, 1, "expected a failure:\n{}", run.stderr);
    run.stderr
}

#[test]
fn headings_inside_quotes_and_list_items_build() {
    let body = format!("{HEAD}# Real chapter\n\n> # Quoted heading\n> quoted text\n\n- ## Listed heading\n  item text\n\n# Second chapter\n\nend\n");
    let f = Fixture::new(&[("content/report.md", &body)]);
    f.folio(&["build"]).ok();
    let text = f.pdf_text("report.pdf");
    for want in ["Quotedheading", "Listedheading", "Realchapter", "Secondchapter"] {
        assert!(text.contains(want), "{want} missing from the PDF");
    }
    let html = f.html("report.html");
    assert_eq!(select_text(&html, "blockquote h1"), vec!["Quoted heading"]);
    // Only the report's own sections are numbered and listed.
    let toc = select_text(&html, "nav a");
    assert!(toc.iter().all(|t| !t.contains("Quoted") && !t.contains("Listed")), "{toc:?}");
}

#[test]
fn a_typst_error_names_the_report_and_the_markdown_line() {
    let template = "#let report(meta, body) = body\n#let folio-figure(..a) = none\n#let folio-row(..a) = none\n#let folio-table(..a) = { let x = 1 + \"a\"; x }\n#let folio-equation(..a) = none\n";
    let body = format!("{HEAD}Intro.\n\nTable: Numbers\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
    let f = Fixture::new(&[("content/report.md", &body), ("templates/research.typ", template)]);
    let err = failing(&f, &["build"]);
    assert!(err.contains("error: cannot add integer and string\n --> templates/research.typ:4:"), "{err}");
    assert!(err.contains("= hint: while laying out content/report.md:10:1"), "{err}");
    assert!(err.contains("= hint: while typesetting content/report.md"), "{err}");
}

#[test]
fn values_printed_in_fences_and_code_keep_their_text() {
    let csv = "date,close\n2001-01-01,1.5\n2001-02-01,-2\n2001-03-01,3.25\n";
    let body = format!(
        "{HEAD}```chart\nkind: line\nrows:\n{{% for r in data.px %}}\n  - {{date: {{{{ r.date }}}}, close: {{{{ r.close }}}}}}\n{{% endfor %}}\nx: date\ny: close\ncaption: \"Close since {{{{ data.px[0].date }}}}\"\nalt: a line\n```\n\n```text\nfirst {{{{ data.px[0].date }}}} *x*\n```\n\nInline `{{{{ data.px[1].date }}}}` and text {{{{ data.px[1].date }}}}.\n"
    );
    let f = Fixture::new(&[("content/report.md", &body), ("content/data/px.csv", csv)]);
    f.folio(&["build", "--format", "html"]).ok();
    let html = f.html("report.html");
    assert_eq!(select_text(&html, "pre code"), vec!["first 2001-01-01 *x*\n"]);
    assert!(select_text(&html, "p code").contains(&"2001-02-01".to_string()));
    assert!(f.html_source("report.html").contains("Close since 2001-01-01"));
    assert!(select_text(&html, "p").iter().any(|p| p.contains("and text 2001-02-01.")));
}

#[test]
fn a_value_that_would_break_the_chart_yaml_is_an_error_showing_the_rendered_line() {
    let body = format!("{HEAD}```chart\nkind: bar\nrows: [{{a: x, v: 1}}]\nx: a\ny: v\ncaption: Sales {{{{ meta.note }}}} here\n```\n");
    let f = Fixture::new(&[("content/report.md", &body.replace("lang: en\n", "lang: en\nnote: \"a: b\"\n"))]);
    let err = failing(&f, &["build"]);
    assert!(err.contains("error: the printed value `a: b` would change the chart's YAML"), "{err}");
    assert!(err.contains("| caption: Sales a: b here"), "{err}");
}

#[test]
fn one_failing_report_does_not_stop_the_others() {
    let f = Fixture::new(&[
        ("content/a.md", &format!("{HEAD}Alpha text.\n")),
        ("content/b.md", &format!("{HEAD}Beta.\n\n![missing](img/none.png)\n")),
        ("content/c.md", &format!("{HEAD}Gamma text.\n")),
    ]);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error: image `img/none.png` not found\n --> content/b.md:8:12"), "{}", run.stderr);
    assert!(run.stderr.contains("note: 1 of 3 reports failed (content/b.md); the other 2 were written"), "{}", run.stderr);
    assert!(run.stderr.ends_with("build failed with 1 error(s)\n"), "{}", run.stderr);
    for name in ["a.pdf", "a.html", "c.pdf", "c.html"] {
        assert!(f.out(name).is_file(), "{name} not written");
    }
    assert!(!f.out("b.pdf").exists() && !f.out("b.html").exists());
    assert!(f.pdf_text("c.pdf").contains("Gammatext"));
}

#[test]
fn check_parses_every_data_file() {
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}No data used.\n")), ("content/data/x.yaml", "a: [1,\n")]);
    f.folio(&["build", "--format", "html"]).ok();
    let err = failing(&f, &["check"]);
    assert!(err.contains("error: invalid YAML in data file") && err.contains("--> content/data/x.yaml:"), "{err}");
}

#[test]
fn ambiguous_numbers_are_errors_naming_the_cell() {
    let f = Fixture::new(&[
        ("content/report.md", &format!("{HEAD}Revenue {{{{ data.q[1].revenue | num(1) }}}}.\n")),
        ("content/data/q.csv", "quarter,revenue\nQ1,12.5\nQ2,\"489,6\"\n"),
    ]);
    let err = failing(&f, &["build"]);
    assert!(err.contains("`num` needs a number, got string `489,6`: a decimal comma"), "{err}");
    assert!(err.contains(" --> content/report.md:6:"), "{err}");
    assert!(err.contains("= hint: `489,6` comes from content/data/q.csv:3:5 (row 2, column `revenue`)"), "{err}");
    for (cell, why) in [("1.234,5", "needs a number"), ("NaN", "not a finite number"), ("inf", "not a finite number")] {
        f.write("content/data/q.csv", &format!("quarter,revenue\nQ1,1\nQ2,\"{cell}\"\n"));
        let err = failing(&f, &["build"]);
        assert!(err.contains(why), "{cell}: {err}");
    }
    f.write("content/data/q.csv", "quarter,revenue\nQ1,1\nQ2,9007199254740993\n");
    f.folio(&["build", "--format", "html"]).ok();
    assert!(f.html_source("report.html").contains("Revenue 9,007,199,254,740,993.0."));
}

#[test]
fn template_errors_point_at_the_right_place_after_non_ascii_text() {
    let front = "---\ntitle: 季度点评 — “增长” € 🚀\nsubtitle: Café crème 中文标题\n---\n";
    let body = format!("{front}\n中文段落，含表情 🚀 与重音 é。\n\n见 {{{{ q.quarter }}}} 数据。\n");
    let f = Fixture::new(&[("content/report.md", &body)]);
    let err = failing(&f, &["build"]);
    assert!(err.contains(" --> content/report.md:8:6\n"), "{err}");
    // The same in an included file after CJK text.
    let f = Fixture::new(&[
        ("content/report.md", &format!("{front}\n{{% include \"chapters/one.md\" %}}\n")),
        ("content/chapters/one.md", "# 第一章 🚀\n\nÉtude {{ nope }}\n"),
    ]);
    let err = failing(&f, &["build"]);
    assert!(err.contains(" --> content/chapters/one.md:3:10\n"), "{err}");
}

#[test]
fn jinja_comments_are_an_error_not_output() {
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}# Intro {{# note to self #}}\n\ntext\n"))]);
    let err = failing(&f, &["build"]);
    assert!(err.starts_with("error: `{# … #}` is not a comment in folio: it would print into the report\n --> content/report.md:6:9\n"), "{err}");
    assert!(err.contains("write template comments as {## … ##}"), "{err}");
    // Labels and folio's own comments are fine.
    f.write("content/report.md", &format!("{HEAD}# Intro {{#sec:intro}}\n\n{{## a comment ##}}See @sec:intro.\n"));
    f.folio(&["build", "--format", "html"]).ok();
}

#[test]
fn labels_come_only_from_the_authors_markdown() {
    let f = Fixture::new(&[
        ("content/report.md", &format!("{HEAD}# Intro {{#sec:intro}}\n\n# {{{{ data.t[0].name }}}}\n\nSee @sec:intro.\n")),
        ("content/data/t.csv", "name\nEvil {#sec:intro}\n"),
    ]);
    f.folio(&["build", "--format", "html"]).ok();
    let html = f.html("report.html");
    assert!(select_text(&html, "h1").iter().any(|h| h.contains("Evil {#sec:intro}")), "{:?}", select_text(&html, "h1"));
}

#[test]
fn a_bad_templated_chart_spec_shows_the_rendered_line() {
    let body = "---\ntitle: T\nlang: en\nn: 7\n---\n\n```chart\nkind: bar\nrows: [{a: {{ meta.n }}, v: 1}\nx: a\ny: v\ncaption: C\n```\n";
    let f = Fixture::new(&[("content/report.md", body)]);
    let err = failing(&f, &["build"]);
    assert!(err.contains("error: invalid chart spec"), "{err}");
    assert!(err.contains("= hint: YAML rejected line"), "{err}");
    assert!(err.contains("rows: [{a: 7, v: 1}") || err.contains("x: a"), "{err}");
}

#[test]
fn toml_dates_print_as_iso_text_and_nan_is_an_error_at_its_value() {
    let f = Fixture::new(&[
        ("content/report.md", "---\ntitle: T\nlang: en\n---\n\nOn {{ data.events.day }} at {{ data.events.at }}.\n"),
        ("content/data/events.toml", "day = 2023-04-01\nat = 08:30:00\n"),
    ]);
    f.folio(&["build", "--format", "html"]).ok();
    assert_eq!(select_text(&f.html("report.html"), "main p"), ["On 2023-04-01 at 08:30:00."]);
    f.write("content/data/events.toml", "day = 2023-04-01\nat = 08:30:00\nv = nan\n");
    let run = f.folio(&["build", "--format", "html"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error: `v` is `nan`, not a finite number\n --> content/data/events.toml:3:5\n"), "{}", run.stderr);
    assert!(run.stderr.contains("= hint: a chart or a table cannot show it; leave the value out for a gap\n"), "{}", run.stderr);
}

/// Each literal a float or a 64-bit integer cannot hold is an error at it,
/// in each format; the same value quoted prints exactly.
#[test]
fn number_literals_print_exactly_or_are_an_error_at_them() {
    let report = "---\ntitle: T\nlang: en\n---\n\n{{ data.d.v }} / {{ data.d.v | num(16) }}\n";
    let cases = [
        ("d.json", "{\"ok\": 1.5,\n \"v\": 18446744073709551616}\n", "error: `18446744073709551616` is an integer past 64 bits, which JSON readers round: it would not print as written\n --> content/data/d.json:2:7\n"),
        ("d.json", "{\"v\": 1.0000000000000001}\n", "error: `1.0000000000000001` has more digits than a float holds (it would read as 1): it would not print as written\n --> content/data/d.json:1:7\n"),
        ("d.json", "{\"v\": [1, 1e-400]}\n", "error: `1e-400` is below the smallest number a float holds (it would read as 0): it would not print as written\n --> content/data/d.json:1:11\n"),
        ("d.yaml", "ok: 2\nv: 1.0000000000000001\n", "error: `1.0000000000000001` has more digits than a float holds (it would read as 1): it would not print as written\n --> content/data/d.yaml:2:4\n"),
        ("d.yaml", "v: .nan\n", "error: invalid YAML in data file: non-finite float `.nan` rejected by the configured policy\n --> content/data/d.yaml:1:4\n"),
        ("d.toml", "ok = 2\nv = 1.0000000000000001\n", "error: `v` is `1.0000000000000001`, which a float does not hold exactly (it would read as 1): it would not print as written\n --> content/data/d.toml:2:5\n"),
    ];
    for (file, text, expected) in cases {
        let f = Fixture::new(&[("content/report.md", report), (&format!("content/data/{file}"), text)]);
        let run = f.folio(&["build", "--format", "html"]);
        assert_eq!(run.code, 1, "{file}: {text}");
        assert!(run.stderr.starts_with(expected), "{file}: {text}\n{}", run.stderr);
        assert!(!f.out("report.html").exists());
    }
    // Written as text, each prints as written, through `num` too.
    for (file, text) in [("d.json", "{\"v\": \"1.0000000000000001\"}"), ("d.yaml", "v: '1.0000000000000001'\n"), ("d.toml", "v = \"1.0000000000000001\"\n")] {
        let f = Fixture::new(&[("content/report.md", report), (&format!("content/data/{file}"), text)]);
        f.folio(&["build", "--format", "html"]).ok();
        assert_eq!(select_text(&f.html("report.html"), "main p"), ["1.0000000000000001 / 1.0000000000000001"], "{file}");
    }
}

/// A decimal prints as the data wrote it (`1.50`, `2023.10`); a number
/// filter formats the value; a column that writes one number two ways
/// (`2023.1` and `2023.10`) is labels, printed and charted as written.
#[test]
fn decimals_print_as_written() {
    let report = "---\ntitle: T\nlang: en\n---\n\n{% for r in data.p %}{{ r.period }} {{ r.price }} {{ r.price | num(1) }} {{ r.price * 2 }};{% endfor %}\n\n{% for r in data.q %}{{ r.m }}={{ r.v }};{% endfor %}\n\n{{ data.j.a }} {{ data.j.b }} {{ data.y.a }} {{ data.y.b }}\n\n```chart\nkind: bar\ndata: q\nx: m\ny: v\ncaption: Months\n```\n";
    let f = Fixture::new(&[
        ("content/report.md", report),
        ("content/data/p.csv", "period,price\n2023.09,1.50\n2023.10,2.25\n2023.11,10.10\n"),
        ("content/data/q.csv", "m,v\n2023.1,1\n2023.10,2\n"),
        ("content/data/j.json", "{\"a\": 0.250, \"b\": 12.5}\n"),
        ("content/data/y.yaml", "a: 3.10\nb: '4.50'\n"),
    ]);
    f.folio(&["build"]).ok();
    let html = f.html("report.html");
    assert_eq!(select_text(&html, "main p")[0], "2023.09 1.50 1.5 3.0;2023.10 2.25 2.3 4.5;2023.11 10.10 10.1 20.2; 2023.1=1;2023.10=2; 0.250 12.5 3.10 4.50");
    let pdf = f.pdf_text("report.pdf");
    assert!(pdf.contains("2023.091.501.53.0;2023.102.252.34.5;2023.1110.1010.120.2;2023.1=1;2023.10=2;0.25012.53.104.50"), "{pdf}");
    // The chart has both months, not one bar at 2023.1.
    let labels: Vec<String> = html.select(&scraper::Selector::parse("figure svg text").unwrap()).map(|t| t.text().collect()).collect();
    assert!(labels.contains(&"Jan 2023".to_string()) && labels.contains(&"Oct 2023".to_string()), "{labels:?}");
}

/// An error about a value names the cell the expression read: by index, in
/// a loop (the first row holding it in that column), a family member's own
/// row, a workbook cell; never the first matching text of another file.
#[test]
fn a_bad_value_names_the_cell_the_expression_read() {
    let d = "x,a,b\nr1,n/a,1\nr2,5,n/a\nr3,,7\n";
    let cases = [
        ("{{ data.d[1].b | num(1) }}", "= hint: `n/a` comes from content/data/d.csv:3:6 (row 2, column `b`)"),
        ("{% for r in data.d %}{{ r.b | num }} {% endfor %}", "= hint: `n/a` comes from content/data/d.csv:3:6 (row 2, column `b`)"),
        ("{% for r in data.d %}{{ r.a | num }} {% endfor %}", "= hint: `n/a` comes from content/data/d.csv:2:4 (row 1, column `a`)"),
        ("{{ data.d[2].a | num }}", "= hint: the empty cell is content/data/d.csv:4:4 (row 3, column `a`)"),
    ];
    for (body, hint) in cases {
        // `a.csv` holds the same text first: it is not where the value came from.
        let f = Fixture::new(&[("content/report.md", &format!("{HEAD}{body}\n")), ("content/data/d.csv", d), ("content/data/a.csv", "k\nn/a\n")]);
        let err = failing(&f, &["build"]);
        assert!(err.contains(hint), "{body}:\n{err}");
        assert!(!err.contains("a.csv"), "{body}:\n{err}");
    }
    // A value the template computed names no cell rather than a wrong one.
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}{{% set v = \"n/a\" %}}{{{{ v | num }}}}\n")), ("content/data/d.csv", d)]);
    let err = failing(&f, &["build"]);
    assert!(!err.contains("comes from"), "{err}");
}

#[test]
fn a_family_members_bad_value_names_its_own_row() {
    let f = Fixture::new(&[
        ("content/notes.md", "---\neach: firms\nname: \"{{ row.t }}\"\ntitle: \"{{ row.t }}\"\nlang: en\n---\n\nPrice {{ row.p | num(2) }}.\n"),
        ("content/data/firms.csv", "t,p\nAAA,n/a\nBBB,2\nCCC,n/a\n"),
    ]);
    let err = failing(&f, &["build", "--only", "CCC"]);
    assert!(err.contains("= hint: `n/a` comes from content/data/firms.csv:4:5 (row 3, column `p`)"), "{err}");
}

#[test]
fn a_bad_workbook_value_names_its_sheet_and_cell() {
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}{{{{ data.model.Quarterly[2].quarter | num }}}}\n"))]);
    let from = format!("{}/tests/data/workbooks/model.xlsx", env!("CARGO_MANIFEST_DIR"));
    f.write("folio.toml", "[workbooks.model]\nQuarterly = \"B3:D8\"\n");
    std::fs::create_dir_all(f.root().join("content/data")).unwrap();
    std::fs::copy(from, f.root().join("content/data/model.xlsx")).unwrap();
    let err = failing(&f, &["build"]);
    assert!(err.contains("= hint: `2022Q3` comes from content/data/model.xlsx, cell Quarterly!B6"), "{err}");
}

/// `[numbers]` says how CSV files write decimals; without it a file that
/// writes a decimal comma somewhere makes `1.234` an error, not a guess.
#[test]
fn decimal_commas_are_read_as_the_project_says() {
    let report = format!("{HEAD}{{% for r in data.de %}}{{{{ r.v | num(2) }}}} {{{{ r.w | num }}}};{{% endfor %}}\n");
    let f = Fixture::new(&[("content/report.md", &report), ("content/data/de.csv", "k,v,w\na,\"489,6\",1.234\nb,\"1.234,5\",2\n")]);
    let err = failing(&f, &["build", "--format", "html"]);
    assert!(err.starts_with("error: `1.234` in row 1, column `w` could be 1.234 or 1234: this file writes a decimal comma elsewhere (`489,6` in row 1, column `v`, content/data/de.csv:2:4)\n --> content/data/de.csv:2:11\n"), "{err}");
    assert!(err.contains("= hint: say how content/data/de.csv writes numbers in folio.toml: [numbers.file.de] decimal = \",\" (and thousands = \".\"), or decimal = \".\""), "{err}");
    f.write("folio.toml", "[numbers.file.de]\ndecimal = \",\"\nthousands = \".\"\n");
    f.folio(&["build", "--format", "html"]).ok();
    assert_eq!(select_text(&f.html("report.html"), "main p"), ["489.60 1,234;1,234.50 2;"]);
    // Project-wide, and a file of its own that writes points.
    f.write("folio.toml", "[numbers]\ndecimal = \",\"\n[numbers.file.en]\ndecimal = \".\"\n");
    f.write("content/data/en.csv", "v\n1.5\n");
    f.write("content/report.md", &format!("{HEAD}{{{{ data.de[0].v | num(1) }}}} {{{{ data.en[0].v | num(1) }}}}\n"));
    f.folio(&["build", "--format", "html"]).ok();
    assert_eq!(select_text(&f.html("report.html"), "main p"), ["489.6 1.5"]);
    f.write("folio.toml", "[numbers]\ndecimal = \";\"\n");
    let err = failing(&f, &["build", "--format", "html"]);
    assert!(err.starts_with("error: folio.toml: [numbers] decimal = \";\": a decimal separator is \".\" or \",\"\n"), "{err}");
    // Without a setting a decimal comma alone is text, and `num` says where it is and what to set.
    std::fs::remove_file(f.root().join("folio.toml")).unwrap();
    f.write("content/data/de.csv", "k,v\na,\"489,6\"\n");
    f.write("content/report.md", &format!("{HEAD}{{{{ data.de[0].v | num(1) }}}}\n"));
    let err = failing(&f, &["build", "--format", "html"]);
    assert!(err.contains("= hint: `489,6` comes from content/data/de.csv:2:4 (row 1, column `v`)"), "{err}");
    assert!(err.contains("[numbers.file.<stem>] decimal = \",\""), "{err}");
}
