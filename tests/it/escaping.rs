//! Data never becomes markup: values from data files and --set print
//! literally in both outputs and never run as typst code or inject HTML.

use crate::common::*;

/// The strings the pipeline must carry through untouched.
const NASTY: [&str; 12] = [
    "<script>alert(1)</script>",
    "#sys.exit()",
    "#read(\"/etc/passwd\")",
    "*bold*",
    "_x_",
    "$x$",
    "]",
    "\\",
    "@ref",
    "{{ 7*7 }}",
    "`",
    "<!-- -->",
];

/// The only script in a page is folio's own table-of-contents follower.
fn assert_no_foreign_script(html: &scraper::Html) {
    for text in select_text(html, "script") {
        assert!(text.trim_start().starts_with("/* The table of contents follows the reader"), "foreign script: {text}");
    }
}

fn csv_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn fixture() -> Fixture {
    let mut csv = String::from("id,value\n");
    for (i, s) in NASTY.iter().enumerate() {
        csv.push_str(&format!("{i},{}\n", csv_quote(s)));
    }
    let report = "---\ntitle: Escaping\nlang: en\n---\n\n# Values\n\n\
        {% for r in data.cells %}\nP{{ r.id }}: {{ r.value }} :END\n\n{% endfor %}\n\
        | id | value |\n|---|---|\n{% for r in data.cells %}\n| {{ r.id }} | {{ r.value }} |\n{% endfor %}\n";
    Fixture::new(&[("content/report.md", report), ("content/data/cells.csv", &csv)])
}

#[test]
fn data_strings_are_literal_in_html() {
    let f = fixture();
    f.folio(&["build"]).ok();
    let html = f.html("report.html");
    let cells = select_text(&html, "main td");
    let values: Vec<String> = cells.chunks(2).map(|c| c[1].clone()).collect();
    assert_eq!(values, NASTY.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let paras = select_text(&html, "main p");
    for (i, s) in NASTY.iter().enumerate() {
        assert!(paras.contains(&format!("P{i}: {s} :END")), "paragraph {i} wrong: {paras:?}");
    }
    // Nothing was injected: no script element, no comment, no emphasis.
    assert_no_foreign_script(&html);
    for css in ["main script", "main em", "main strong", "main code"] {
        assert_eq!(html.select(&scraper::Selector::parse(css).unwrap()).count(), 0, "found {css}");
    }
    assert!(!f.html_source("report.html").contains("<!-- -->"));
}

#[test]
fn data_strings_are_literal_in_pdf() {
    let f = fixture();
    f.folio(&["build"]).ok();
    let text = f.pdf_text("report.pdf");
    for (i, s) in NASTY.iter().enumerate() {
        let expected = squash(&format!("P{i}: {s} :END"));
        assert!(text.contains(&expected), "PDF lacks {expected:?}: {text}");
    }
    assert!(!text.contains("root:"), "a file was read into the PDF");
    assert!(!text.contains("49"), "a template expression from data ran");
}

#[test]
fn set_values_are_literal() {
    let f = fixture();
    f.folio(&["build", "--set", "title=<script>alert(1)</script>", "--set", "subtitle=#read(\"/etc/passwd\")", "--set", "author={{ 7*7 }}"]).ok();
    let html = f.html("report.html");
    assert_eq!(select_text(&html, "h1.title"), vec!["<script>alert(1)</script>"]);
    assert_eq!(select_text(&html, "p.subtitle"), vec!["#read(\"/etc/passwd\")"]);
    assert_no_foreign_script(&html);
    let text = f.pdf_text("report.pdf");
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    assert!(text.contains("#read(\"/etc/passwd\")"), "{text}");
    let doc = pdf_extract::Document::load(f.out("report.pdf")).unwrap();
    let info = doc.get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap()).unwrap();
    assert_eq!(pdf_extract::decode_text_string(info.get(b"Author").unwrap()).unwrap(), "{{ 7*7 }}");
}

#[test]
fn front_matter_templates_reach_data_but_data_stays_literal() {
    let f = Fixture::new(&[
        ("content/report.md", "---\ntitle: \"Count: {{ data.d | length }} rows, first {{ data.d[0].v }}\"\nlang: en\n---\n\nBody.\n"),
        ("content/data/d.csv", "v\n<b>*x*</b>\n2\n"),
    ]);
    f.folio(&["build"]).ok();
    assert_eq!(select_text(&f.html("report.html"), "h1.title"), vec!["Count: 2 rows, first <b>*x*</b>"]);
    assert!(f.pdf_text("report.pdf").contains("Count:2rows,first<b>*x*</b>"));
}

#[test]
fn markdown_filter_opts_in_to_markup() {
    let f = Fixture::new(&[
        ("content/report.md", "---\ntitle: Opt in\nlang: en\n---\n\n{{ data.t[0].v | markdown }}\n"),
        ("content/data/t.csv", "v\n*really bold*\n"),
    ]);
    f.folio(&["build"]).ok();
    assert_eq!(select_text(&f.html("report.html"), "main em"), vec!["really bold"]);
}

#[test]
fn raw_html_in_markdown_is_escaped_unless_enabled() {
    let body = "---\ntitle: Raw\nlang: en\n---\n\nA <b>bold</b> word.\n\n<div class=\"x\">block</div>\n";
    let f = Fixture::new(&[("content/report.md", body)]);
    f.folio(&["build"]).ok();
    let html = f.html("report.html");
    assert_eq!(html.select(&scraper::Selector::parse("main b, main div.x").unwrap()).count(), 0);
    assert_eq!(select_text(&html, "main p"), vec!["A <b>bold</b> word.", "<div class=\"x\">block</div>"]);
    assert!(f.pdf_text("report.pdf").contains("A<b>bold</b>word."));

    f.write("folio.toml", "raw_html = true\n");
    f.folio(&["build"]).ok();
    let html = f.html("report.html");
    assert_eq!(select_text(&html, "main b"), vec!["bold"]);
    assert_eq!(select_text(&html, "main div.x"), vec!["block"]);
}

#[test]
fn javascript_links_are_neutralised() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: Links\nlang: en\n---\n\n[click](javascript:alert(1))\n")]);
    f.folio(&["build", "--format", "html"]).ok();
    let src = f.html_source("report.html");
    assert!(!src.contains("javascript:"), "{src}");
}
