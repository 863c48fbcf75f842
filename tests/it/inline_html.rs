//! HTML in a report: comments never reach either output, folio's safe
//! subset is set in both, everything else is shown as text with a warning
//! at its place (or, with `raw_html = true`, cleaned into the web page).

use crate::common::{select_text, Fixture};

const COMMENTS: &str = r#"---
title: Notes
lang: en
---
# Results

<!-- TODO: check the Q3 number with Jane before sending -->

Revenue grew <!-- SECRET-INLINE --> strongly.

<!--
SECRET-MULTI line one
line two
-->

- first item <!-- SECRET-LIST -->
- second item

| Year | Value |
|---|---|
| 2024 <!-- SECRET-TABLE --> | 12 |

> quoted <!-- SECRET-QUOTE --> text

{% include "chapters/part.md" %}
"#;

#[test]
fn comments_reach_neither_output() {
    let f = Fixture::new(&[
        ("content/report.md", COMMENTS),
        ("content/chapters/part.md", "Included text. <!-- SECRET-INCLUDE -->\n\n<!-- SECRET-INCLUDE-BLOCK -->\n"),
    ]);
    let run = f.folio(&["build"]).ok();
    assert!(!run.stderr.contains("warning"), "comments are not a warning: {}", run.stderr);
    let html = f.html_source("report.html");
    let pdf = f.pdf_text("report.pdf");
    for secret in ["Jane", "SECRET", "line two", "<!--"] {
        assert!(!html.contains(secret), "`{secret}` is in the HTML");
        assert!(!pdf.contains(secret), "`{secret}` is in the PDF: {pdf}");
    }
    // What stood around the comments is all there.
    for kept in ["Revenuegrewstrongly.", "firstitem", "seconditem", "2024", "quotedtext", "Includedtext."] {
        assert!(pdf.contains(kept), "`{kept}` is missing from the PDF: {pdf}");
    }
    let doc = f.html("report.html");
    assert_eq!(select_text(&doc, "main p")[0], "Revenue grew  strongly.");
}

#[test]
fn check_comments_lists_every_comment_at_its_place() {
    let f = Fixture::new(&[
        ("content/report.md", COMMENTS),
        ("content/chapters/part.md", "Included text. <!-- SECRET-INCLUDE -->\n"),
    ]);
    let run = f.folio(&["check", "--comments"]);
    let notes: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("warning: HTML comment")).collect();
    assert_eq!(
        notes,
        vec![
            "warning: HTML comment: <!-- TODO: check the Q3 number with Jane before sending -->",
            "warning: HTML comment: <!-- SECRET-INLINE -->",
            "warning: HTML comment: <!-- SECRET-MULTI line one line two -->",
            "warning: HTML comment: <!-- SECRET-LIST -->",
            "warning: HTML comment: <!-- SECRET-TABLE -->",
            "warning: HTML comment: <!-- SECRET-QUOTE -->",
            "warning: HTML comment: <!-- SECRET-INCLUDE -->",
        ],
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> content/report.md:7:1"), "{}", run.stderr);
    assert!(run.stderr.contains("--> content/chapters/part.md:1:16"), "{}", run.stderr);
    // Listing is a review step: with --strict it fails, so a release script can insist on none.
    assert_ne!(f.folio(&["check", "--comments", "--strict"]).code, 0);
    assert_eq!(f.folio(&["check", "--strict"]).code, 0, "comments alone are no warning");
}

const SUBSET: &str = r#"---
title: Tags
lang: en
---
# Tags

Press <kbd>Ctrl</kbd> and <mark>MARKED</mark>, <small>SMALLPRINT</small>, <abbr title="Hong Kong">HK</abbr>,
<ins>INSERTED</ins>, <del>DELETED</del>, <u>UNDER</u>, <s>STRUCK</s>, H<sub>2</sub>O, 12%<sup>1</sup>,
<span class="filename">data.csv</span>, <span>plain</span>,<br>next line, <br/>again.

<div class="callout">

Inside the **division**.

</div>
"#;

#[test]
fn the_subset_is_set_in_both_outputs() {
    let f = Fixture::new(&[("content/report.md", SUBSET)]);
    let run = f.folio(&["build", "--strict"]).ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let doc = f.html("report.html");
    for (css, text) in [
        ("main kbd", "Ctrl"),
        ("main mark", "MARKED"),
        ("main small", "SMALLPRINT"),
        ("main abbr[title='Hong Kong']", "HK"),
        ("main ins", "INSERTED"),
        ("main del", "DELETED"),
        ("main u", "UNDER"),
        ("main s", "STRUCK"),
        ("main sub", "2"),
        ("main sup", "1"),
        ("main span.filename", "data.csv"),
        ("main div.callout p", "Inside the division."),
    ] {
        assert_eq!(select_text(&doc, css), vec![text], "{css}");
    }
    assert_eq!(doc.select(&scraper::Selector::parse("main p br").unwrap()).count(), 2);
    let source = f.html_source("report.html");
    assert!(!source.contains("&lt;kbd") && !source.contains("&lt;br"), "no tag is shown as text");
    let pdf = f.pdf_text("report.pdf");
    assert!(pdf.contains("PressCtrlandMARKED,SMALLPRINT,HK,INSERTED,DELETED,UNDER,STRUCK,H2O,12%1,data.csv,plain,nextline,again."), "{pdf}");
    assert!(pdf.contains("Insidethedivision."), "{pdf}");
    assert!(!pdf.contains('<'), "{pdf}");
    // How the PDF sets each one, in the markup typst lays out.
    f.folio(&["build", "--format", "typst"]).ok();
    let body = std::fs::read_to_string(f.out("report.typst/body/00.typ")).unwrap();
    for call in ["#box(stroke:", "#highlight[MARKED]", "#text(size: 0.85em)[SMALLPRINT]", "#underline[INSERTED]", "#strike[DELETED]", "#underline[UNDER]", "#strike[STRUCK]", "#sub[2]", "#super[1]", "#linebreak()"] {
        assert!(body.contains(call), "`{call}` missing from {body}");
    }
}

#[test]
fn other_html_is_shown_as_text_with_a_warning_at_its_place() {
    let report = "---\ntitle: T\nlang: en\n---\nA <blink>blinking</blink> word and <span style=\"color:red\">red</span>.\n\n<script>alert(1)</script>\n";
    let f = Fixture::new(&[("content/report.md", report)]);
    let run = f.folio(&["build"]).ok();
    let heads: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("warning") || l.contains("-->")).collect();
    assert_eq!(
        heads,
        vec![
            "warning: this HTML is shown as text: folio does not set `<blink>`",
            " --> content/report.md:5:3",
            "warning: this HTML is shown as text: folio does not keep the attribute `style` of `<span>`",
            " --> content/report.md:5:36",
            "warning: this HTML is shown as text: `</span>` closes nothing opened before it",
            " --> content/report.md:5:63",
            "warning: this HTML is shown as text",
            " --> content/report.md:7:1",
        ],
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: folio sets sup, sub, br, kbd, mark, small, abbr (title), ins, del, u, s, span and div (class)"));
    let doc = f.html("report.html");
    assert_eq!(select_text(&doc, "main p")[1], "<script>alert(1)</script>");
    assert_eq!(doc.select(&scraper::Selector::parse("script:not([src])").unwrap()).filter(|s| s.inner_html().contains("alert")).count(), 0);
    assert!(f.pdf_text("report.pdf").contains("<blink>blinking</blink>"));
    assert_ne!(f.folio(&["build", "--strict"]).code, 0);
}

#[test]
fn raw_html_passes_only_what_the_cleaner_keeps() {
    let report = "---\ntitle: T\nlang: en\n---\nA <a href=\"https://example.com\" onclick=\"steal()\">*linked*</a> and <a href=\"javascript:alert(1)\">js</a>, <img src=\"x.png\" onerror=\"alert(2)\"> and <script>alert(3)</script> end.\n\n<iframe src=\"https://example.com\"></iframe>\n\n<table style=\"color:red\"><tr><td onclick=\"x()\">CELL</td></tr></table>\n";
    let f = Fixture::new(&[("content/report.md", report), ("folio.toml", "raw_html = true\n")]);
    let run = f.folio(&["build"]).ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let source = f.html_source("report.html");
    let main = &source[source.find("<main").unwrap()..source.find("</main>").unwrap()];
    for gone in ["onclick", "onerror", "javascript:", "alert", "<iframe", "style="] {
        assert!(!main.contains(gone), "`{gone}` reached the page: {main}");
    }
    let doc = f.html("report.html");
    assert_eq!(select_text(&doc, "main a[href='https://example.com'] em"), vec!["linked"]);
    assert_eq!(select_text(&doc, "main table td"), vec!["CELL"]);
    // The PDF prints the Markdown around the HTML, never the tags.
    let pdf = f.pdf_text("report.pdf");
    assert!(pdf.contains("Alinkedandjs,andend."), "{pdf}");
}
