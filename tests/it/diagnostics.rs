//! Bad input: the exact diagnostic (file:line:col, source line, caret, hint),
//! exit status 1, nothing written, previous outputs untouched.

use crate::common::*;

const GOOD: &str = "---\ntitle: T\nlang: en\n---\n\nhello\n";

/// Build a good project, break it with `files`, and check that the build
/// fails with exactly `expected` on stderr and leaves the outputs as they were.
fn fails_with(files: &[(&str, &str)], expected: &str) {
    let f = Fixture::new(&[("content/report.md", GOOD)]);
    f.folio(&["build"]).ok();
    let pdf_before = std::fs::read(f.out("report.pdf")).unwrap();
    let html_before = std::fs::read(f.out("report.html")).unwrap();
    for (path, text) in files {
        f.write(path, text);
    }
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1, "expected failure, got:\n{}", run.stderr);
    assert_eq!(run.stderr, format!("{expected}build failed with 1 error(s); no output was written\n"));
    assert_eq!(std::fs::read(f.out("report.pdf")).unwrap(), pdf_before, "PDF changed");
    assert_eq!(std::fs::read(f.out("report.html")).unwrap(), html_before, "HTML changed");
    let mut names: Vec<String> = std::fs::read_dir(f.root().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["manifest", "report.html", "report.pdf"], "stray files in output/");
}

#[test]
fn malformed_front_matter() {
    fails_with(
        &[("content/report.md", "---\ntitle: [unclosed\n---\nbody\n")],
        "error: invalid YAML front matter: unclosed bracket '['
 --> content/report.md:2:8
  |
2 | title: [unclosed
  |        ^
  = hint: front matter is YAML; quote values that contain `: ` or start with a special character
",
    );
}

#[test]
fn unclosed_front_matter() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\n\nbody\n")],
        "error: front matter is not closed
 --> content/report.md:1:1
  |
1 | ---
  | ^^^
  = hint: end the YAML front matter with a line of three dashes: ---
",
    );
}

#[test]
fn malformed_json() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\n---\n\n{{ data.m.a }}\n"), ("content/data/m.json", "{\n  \"a\": 1,\n  \"b\": ]\n}\n")],
        "error: invalid JSON in data file: expected value
 --> content/data/m.json:3:8
  |
3 |   \"b\": ]
  |        ^
  = hint: check the brackets, commas and quotes around this point
",
    );
}

#[test]
fn malformed_toml() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\n---\n\n{{ data.m.a }}\n"), ("content/data/m.toml", "a = 1\nb = = 2\n")],
        "error: invalid TOML in data file: extra `=`, expected nothing
 --> content/data/m.toml:2:5
  |
2 | b = = 2
  |     ^
  = hint: see https://toml.io for the syntax
",
    );
}

#[test]
fn malformed_yaml_data() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\n---\n\n{{ data.m.a }}\n"), ("content/data/m.yaml", "a: 1\n  b: 2\n")],
        "error: invalid YAML in data file: mapping values are not allowed in this context
 --> content/data/m.yaml:2:4
  |
2 |   b: 2
  |    ^
  = hint: check the indentation and quoting around this point
",
    );
}

#[test]
fn ragged_csv() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\n---\n\n{{ data.m | length }}\n"), ("content/data/m.csv", "a,b\n1,2\n3,4,5\n")],
        "error: CSV row has 3 cells but the header has 2
 --> content/data/m.csv:3:1
  |
3 | 3,4,5
  | ^
  = hint: every row needs as many comma-separated cells as the header; quote cells that contain commas
",
    );
}

#[test]
fn undefined_variable() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\n---\n\nline\n\nHello {{ nam }}\n"), ("content/data/m.csv", "a\n1\n")],
        "error: undefined value
 --> content/report.md:7:10
  |
7 | Hello {{ nam }}
  |          ^^^
  = hint: data files available as data.<name>: m
  = hint: front matter keys (also under meta.): title
",
    );
}

#[test]
fn template_syntax_error() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\n---\n\n{% for x in [1] %}\nx\n")],
        "error: template syntax error: unexpected end of input, expected end of block
 --> content/report.md:5:1
  |
5 | {% for x in [1] %}
  | ^^^^^^^^^^^^^^^^^^
  = hint: `{% for x in [1] %}` is not closed: add its {% endfor %}
",
    );
}

#[test]
fn unknown_filter() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\n---\n\n{{ 3 | thousands }}\n")],
        "error: unknown filter `thousands`
 --> content/report.md:5:8
  |
5 | {{ 3 | thousands }}
  |        ^^^^^^^^^
  = hint: folio's filters: num, fixed, signed, pct, signed_pct, currency, cn_unit, date, markdown; minijinja's built-ins (length, sort, join, round, …) work too
",
    );
}

#[test]
fn filter_given_text() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\n---\n\n{{ 'abc' | num }}\n")],
        "error: template error: invalid operation: `num` needs a number, got string `abc`
 --> content/report.md:5:12
  |
5 | {{ 'abc' | num }}
  |            ^^^
",
    );
}

#[test]
fn missing_include() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\n---\n\n{% include \"chapters/nope.md\" %}\n")],
        "error: included file not found: tried to include non-existing template 'chapters/nope.md'
 --> content/report.md:5:4
  |
5 | {% include \"chapters/nope.md\" %}
  |    ^^^^^^^^^^^^^^^^^^^^^^^^^^
  = hint: include paths are relative to content/, e.g. {% include \"chapters/intro.md\" %}
",
    );
}

#[test]
fn error_inside_an_included_chapter() {
    fails_with(
        &[
            ("content/report.md", "---\ntitle: T\n---\n\n{% include \"ch/one.md\" %}\n"),
            ("content/ch/one.md", "# One\n\n{{ missing.value }}\n"),
        ],
        "error: undefined value
 --> content/ch/one.md:3:4
  |
3 | {{ missing.value }}
  |    ^^^^^^^^^^^^^
  = hint: data files available as data.<name>: none
  = hint: front matter keys (also under meta.): title
",
    );
}

#[test]
fn include_outside_project_is_refused() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: T\n---\n\n{% include \"../../etc/passwd\" %}\n")]);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("leads outside the project folder"), "{}", run.stderr);
    assert!(run.stderr.contains(" --> content/report.md:5:"), "{}", run.stderr);
}

#[test]
fn missing_image() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\n---\n\n![pic](img/nope.png)\n")],
        "error: image `img/nope.png` not found
 --> content/report.md:5:8
  |
5 | ![pic](img/nope.png)
  |        ^^^^^^^^^^^^
  = hint: image paths are relative to the Markdown file; check the name and folder
",
    );
}

#[test]
fn image_outside_project() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\n---\n\n![x](../../etc/passwd)\n")],
        "error: image refused: path `../../etc/passwd` leads outside the project folder
 --> content/report.md:5:6
  |
5 | ![x](../../etc/passwd)
  |      ^^^^^^^^^^^^^^^^
",
    );
}

#[test]
fn unknown_label() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\nlang: en\n---\n\n# A {#sec:a}\n\nSee @fig:nope here.\n")],
        "error: unknown label `fig:nope`
 --> content/report.md:8:5
  |
8 | See @fig:nope here.
  |     ^^^^^^^^^
  = hint: give the target a label with {#fig:nope} after its caption or heading
",
    );
}

#[test]
fn duplicate_label() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\nlang: en\n---\n\n# A {#sec:a}\n\n# B {#sec:a}\n")],
        "error: duplicate label `sec:a`
 --> content/report.md:8:5
  |
8 | # B {#sec:a}
  |     ^^^^^^^^
  = hint: every label must be unique in a report; rename one of them
",
    );
}

#[test]
fn typst_error_in_custom_template() {
    fails_with(
        &[(
            "templates/research.typ",
            "#let report(meta, body) = {\n  let x = 1 + \"a\"\n  body\n}\n#let folio-figure(..a) = none\n#let folio-row(..a) = none\n#let folio-table(..a) = none\n#let folio-equation(..a) = none\n",
        )],
        "error: cannot add integer and string
 --> templates/research.typ:2:11
  |
2 |   let x = 1 + \"a\"
  |           ^^^^^^^
  = hint: while typesetting content/report.md
",
    );
}

#[test]
fn template_error_in_custom_html_page() {
    fails_with(
        &[("templates/page.html", "<html>\n<body>{{ body }\n</html>\n")],
        "error: error in template page.html: unexpected `}`, expected end of variable block
 --> templates/page.html:2:15
  |
2 | <body>{{ body }
  |               ^
",
    );
}

#[test]
fn unknown_config_key() {
    fails_with(
        &[("folio.toml", "bogus = 1\n")],
        "error: invalid folio.toml: unknown field `bogus`, expected one of `raw_html`, `limits`, `workbooks`, `database`, `site`, `numbers`, `paper`, `bibliography`, `csl`, `brand`
 --> folio.toml:1:1
  |
1 | bogus = 1
  | ^^^^^
  = hint: folio.toml knows: raw_html = true|false, database = \"…\", paper = \"a4\"|\"us-letter\"|…, bibliography = \"refs.bib\", csl = \"apa\"|\"x.csl\", [brand] primary, accent, logo, body_font, heading_font, footer, [site] name, lang, base_url, description, per_page, logo, [workbooks.<stem>] <sheet> = \"B3:F20\", [numbers] decimal, thousands (also [numbers.file.<stem>]), and [limits] data_mb, data_rows, data_values, data_depth, template_fuel, chart_points, cell_chars, output_mb, query_seconds, report_seconds, memory_mb
",
    );
}

#[test]
fn unsupported_language() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\nlang: fr\n---\n\nbonjour\n")],
        "error: unsupported `lang: fr`; folio typesets `zh` and `en`
 --> content/report.md:3:1
  |
3 | lang: fr
  | ^^^^
",
    );
}

#[test]
fn missing_content_folder_is_an_application_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: . has no `content/` folder\n  = hint: a project keeps its reports in content/<name>.md; `folio new DIR` creates one\nbuild failed with 1 error(s); no output was written\n"
    );
}

#[test]
fn uncovered_characters_warn_and_strict_fails() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: T\nlang: en\n---\n\nA rare one: \u{20000}.\n")]);
    let run = f.folio(&["build", "--ignore-system-fonts"]).ok();
    assert!(
        run.stderr.starts_with(
            "warning: no font covers 1 character(s): \u{20000} (U+20000)\n --> content/report.md:6:13\n  |\n6 | A rare one: \u{20000}.\n"
        ),
        "{}",
        run.stderr
    );
    let run = f.folio(&["build", "--ignore-system-fonts", "--strict"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error: 1 warning(s) with --strict"), "{}", run.stderr);
}

#[test]
fn bad_set_argument_is_a_usage_error() {
    let f = Fixture::new(&[("content/report.md", GOOD)]);
    let run = f.folio(&["build", "--set", "novalue"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("`novalue` is not key=value"), "{}", run.stderr);
}

#[test]
fn typst_error_from_generated_markup_points_at_the_writers_file() {
    fails_with(
        &[
            ("content/report.md", "---\ntitle: T\nlang: en\n---\n\nIntro.\n\n![A broken picture](img/bad.png)\n"),
            ("content/img/bad.png", "not a png\n"),
        ],
        "error: failed to decode image (Format error decoding Png: Invalid PNG signature.)
 --> content/report.md:8:21
  |
8 | ![A broken picture](img/bad.png)
  |                     ^^^^^^^^^^^
  = hint: typst reported this at line 5, column 123 of body/00.typ in the generated markup (folio build --format typst writes it)
",
    );
}

#[test]
fn check_reports_every_error_at_once_each_at_its_place() {
    // Two reports with the same mistake in different files, a chart of an
    // unknown column, and two data files no report reads: `check` names all
    // of them in one run, the two identical messages each at its own file.
    let f = Fixture::new(&[
        ("content/a.md", "---\ntitle: A\nlang: en\n---\n\n{{ data.nope }}\n"),
        ("content/b.md", "---\ntitle: B\nlang: en\n---\n\n{{ data.nope }}\n"),
        ("content/c.md", "---\ntitle: C\nlang: en\n---\n\n```chart\nkind: bar\nrows: [{a: x, b: 1}]\nx: a\ny: bb\ncaption: C\nalt: A bar.\n```\n"),
        ("content/data/broken.json", "{\"a\": [1, 2,}\n"),
        ("content/data/short.csv", "a,b\n1,2\n3\n"),
    ]);
    let run = f.folio(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("error: ") || l.trim_start().starts_with("--> ")).collect();
    assert_eq!(
        errors,
        [
            "error: `data` has no `nope`",
            " --> content/a.md:6:9",
            "error: `data` has no `nope`",
            " --> content/b.md:6:9",
            "error: chart names unknown column `bb`",
            "  --> content/c.md:10:4",
            "error: invalid JSON in data file: expected value",
            " --> content/data/broken.json:1:13",
            "error: CSV row has 1 cells but the header has 2",
            " --> content/data/short.csv:3:1",
        ],
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("with 5 error(s)"), "{}", run.stderr);
}

#[test]
fn a_cell_of_a_csv_whose_quoted_cells_span_lines_is_located_exactly() {
    let csv = "name,note,value\nA,\"line one\nline two\",1\nB,\"x\ny\nz\",oops\n";
    let f = Fixture::new(&[
        ("content/report.md", "---\ntitle: T\nlang: en\n---\n\n```chart\nkind: bar\ndata: q\nx: name\ny: value\ncaption: C\nalt: Two bars.\n```\n"),
        ("content/data/q.csv", csv),
    ]);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error: column `value` holds a non-numeric value `oops` in data row 2\n --> content/data/q.csv:6:4\n  |\n6 | z\",oops\n  |    ^\n"), "{}", run.stderr);
}

#[test]
fn a_slash_date_is_the_same_date_in_the_html_and_the_pdf() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: T\nlang: en\ndate: 2024/01/15\n---\n\nBody.\n")]);
    f.folio(&["build"]).ok();
    let html = std::fs::read_to_string(f.out("report.html")).unwrap();
    assert!(html.contains("<time datetime=\"2024-01-15\">January 15, 2024</time>"), "{html}");
    assert!(f.pdf_text("report.pdf").contains("January15,2024"));
    if tool("pdfinfo") {
        let info = std::process::Command::new("pdfinfo").arg(f.out("report.pdf")).output().unwrap();
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.lines().any(|l| l.starts_with("CreationDate:") && l.contains("Jan 15") && l.contains("2024")), "{info}");
    }
}

#[test]
fn an_error_every_member_of_a_family_meets_is_said_once_with_a_count() {
    let f = Fixture::new(&[
        ("content/notes.md", "---\neach: rows\nname: \"{{ row.t }}\"\ntitle: \"{{ row.t }}\"\nlang: en\n---\n\n{{ data.broken.a }}\n"),
        ("content/data/rows.csv", "t\nA\nB\nC\n"),
        ("content/data/broken.json", "{\"a\": [1, 2,}\n"),
    ]);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("error: invalid JSON in data file").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("  = hint: said 2 more time(s), by other reports\n"), "{}", run.stderr);
}

#[test]
fn a_front_matter_date_that_is_no_date_is_an_error_at_its_key() {
    fails_with(
        &[("content/report.md", "---\ntitle: T\nlang: en\ndate: 2024-13-45\n---\n\nBody.\n")],
        "error: `date: 2024-13-45` is not a date; write it like 2024-01-15 (or 2024/01/15, 2024年1月15日)
 --> content/report.md:4:1
  |
4 | date: 2024-13-45
  | ^^^^
",
    );
}

#[test]
fn a_set_key_no_report_has_is_an_error_with_a_did_you_mean() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: T\nlang: en\nrating: {action: Hold}\n---\n\n{{ title }}\n")]);
    let run = f.folio(&["build", "--set", "titel=X"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("error: --set titel=X: no report's front matter has `titel`, and folio reads no such key\n  = hint: did you mean `title`?\n"), "{}", run.stderr);
    let run = f.folio(&["build", "--set", "ratng.action=Upgrade"]);
    assert!(run.stderr.contains("did you mean `rating.action`?"), "{}", run.stderr);
    assert_eq!(run.code, 1);
    // A key the front matter has, nested or not, and one folio reads.
    f.folio(&["build", "--set", "rating.action=Upgrade", "--set", "subtitle=S"]).ok();
    assert!(f.pdf_text("report.pdf").contains("Upgrade"));
}

#[test]
fn a_misspelled_key_in_a_family_members_front_matter_lists_the_keys_once() {
    let f = Fixture::new(&[
        ("content/notes.md", "---\neach: rows\nname: \"{{ row.t }}\"\ntitle: \"{{ row.nme }}\"\nlang: en\n---\n\nBody.\n"),
        ("content/data/rows.csv", "t,name\nA,Alpha\nB,Beta\n"),
    ]);
    let run = f.folio(&["build", "-q"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: `row` has no `nme`
 --> content/notes.md:4:16
  |
4 | title: \"{{ row.nme }}\"
  |                ^^^
  = hint: `row` has: t, name
  = hint: did you mean `name`?
  = hint: said 1 more time(s), by other reports
build failed with 1 error(s); no output was written
"
    );
}
