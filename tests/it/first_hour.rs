//! A user's first report looks finished: date and author on the cover,
//! English typography, a footer that promises only what is there, an
//! English starter project.

use crate::common::*;

fn new_project(lang: &str) -> Fixture {
    let f = Fixture::new(&[]);
    let dir = f.root().join("p");
    run_in(f.root(), &["new", "p", "--lang", lang]).ok();
    run_in(&dir, &["build"]).ok();
    f
}

fn raw_pdf_text(path: &std::path::Path) -> String {
    pdf_extract::extract_text(path).unwrap()
}

#[test]
fn the_english_sample_shows_date_author_and_english_typography() {
    let f = new_project("en");
    let out = f.root().join("p/output");
    let pdf = raw_pdf_text(&out.join("report.pdf"));
    let first = &pdf_pages(&out.join("report.pdf"))[0];
    assert!(first.contains("January15,2024") && first.contains("YourName"), "{first}");
    // A two-section note: no contents page, the body starts on page 1.
    let pages = pdf_pages(&out.join("report.pdf"));
    assert!(pages.len() <= 2, "{} pages", pages.len());
    assert!(first.contains("1Overview") && first.contains("Revenueinthelatestquarter"), "{first}");
    assert!(!squash(&pdf).contains("Contents"), "a contents page for two sections");
    let lead = pdf.find("Data-driven.").expect("the summary's lead") + "Data-driven.".len();
    assert!(pdf[lead..].starts_with(char::is_whitespace), "no space after the bold lead: {}", &pdf[lead - 12..lead + 20]);
    assert!(!squash(&pdf).contains("disclaimer"), "a footer promises a disclaimer the report does not have");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<title>Sample Report: Research reports with folio</title>"), "{html}");
    assert!(html.contains("<time datetime=\"2024-01-15\">January 15, 2024</time> · <span class=\"authors\">Your Name</span>"), "{html}");
    assert!(html.contains("<strong>Data-driven.</strong> 4 quarters"), "{html}");
    assert!(!html.contains("class=\"page-footer\""), "footer without a disclaimer to point to");
    run_in(&f.root().join("p"), &["build", "--site"]).ok();
    let index = std::fs::read_to_string(out.join("site/index.html")).unwrap();
    assert!(index.contains("<span class=\"card-subtitle\">: Research reports with folio</span>"), "{index}");
}

#[test]
fn the_chinese_sample_shows_the_date_the_chinese_way() {
    let f = new_project("zh");
    let out = f.root().join("p/output");
    let first = &pdf_pages(&out.join("report.pdf"))[0];
    assert!(first.contains("2024年1月15日") && first.contains("你的名字"), "{first}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains(">2024年1月15日</time>"), "{html}");
    assert!(html.contains("<title>示例报告：用 folio 写研究报告</title>"), "{html}");
}

#[test]
fn a_report_with_back_matter_keeps_the_disclaimer_footer() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: T\nlang: en\nback_matter: [{title: Disclaimer, paragraphs: [Read this.]}]\n---\n\nBody.\n",
    )]);
    f.folio(&["build"]).ok();
    assert!(f.pdf_text("report.pdf").contains("Pleasereadthedisclaimer"));
    assert!(f.html_source("report.html").contains("Please read the disclaimer at the end of this report."));
}

/// `back_matter` paragraphs are Markdown in both outputs: code, emphasis
/// and links set as such, never their marks; typst syntax stays text.
#[test]
fn back_matter_paragraphs_are_markdown() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: T\nlang: en\nback_matter:\n  - title: Disclosures\n    paragraphs:\n      - \"Run `folio check` first; **buy** means [this](https://example.com/ratings).\"\n      - \"#read(\\\"/etc/passwd\\\") stays *text* $x$.\"\n---\n\nBody.\n",
    )]);
    f.folio(&["build"]).ok();
    let pdf = f.pdf_text("report.pdf");
    assert!(pdf.contains("Runfoliocheckfirst;buymeansthis."), "{pdf}");
    assert!(pdf.contains("#read(\"/etc/passwd\")staystext$x$."), "{pdf}");
    let doc = f.html("report.html");
    assert_eq!(select_text(&doc, ".back-matter code"), ["folio check"]);
    assert_eq!(select_text(&doc, ".back-matter strong"), ["buy"]);
    assert_eq!(select_text(&doc, ".back-matter em"), ["text"]);
    let sel = scraper::Selector::parse(".back-matter a").unwrap();
    assert_eq!(doc.select(&sel).map(|a| a.value().attr("href").unwrap()).collect::<Vec<_>>(), ["https://example.com/ratings"]);
}

#[test]
fn new_into_a_full_folder_says_so_without_a_build_failure() {
    let f = Fixture::new(&[("p/x.txt", "mine")]);
    let run = run_in(f.root(), &["new", "p"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("p already exists and is not empty"), "{}", run.stderr);
    assert!(!run.stderr.contains("build failed"), "{}", run.stderr);
}

#[test]
fn pdf_table_columns_share_the_width_by_content() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: T\nlang: en\n---\n\n| Company | Note | Revenue | Margin |\n|---|---|---:|---:|\n| Alpha | A long comment about the quarter and its outlook | 1,234.5 | 11.1% |\n",
    )]);
    f.folio(&["build", "--format", "typst"]).ok();
    let body = std::fs::read_to_string(f.out("report.typst/body/00.typ")).unwrap();
    assert!(body.contains("#folio-table(columns: (7fr, 40fr, 7fr, 6fr,)"), "{body}");
}

/// The rating's computed `display` at a window width, as Chromium lays the
/// page out: (the side box, the pill under the title).
fn rating_display(html: &str, width: u32) -> Option<(String, String)> {
    let js = "(function(){var d=function(s){return getComputedStyle(document.querySelector(s)).display};return d('.cover-side .rating-box')+' '+d('.rating-inline')})()";
    let got = chromium_probe(html, width, js)?;
    let (a, b) = got.split_once(' ').expect(&got);
    Some((a.to_string(), b.to_string()))
}

#[test]
fn the_rating_shows_once_at_any_width() {
    let f = new_project("en");
    let html = std::fs::read_to_string(f.root().join("p/output/report.html")).unwrap();
    let Some(wide) = rating_display(&html, 1280) else { return };
    assert_eq!(wide, ("flex".to_string(), "none".to_string()), "at 1280 px");
    let phone = rating_display(&html, 390).unwrap();
    assert_eq!(phone, ("none".to_string(), "inline-block".to_string()), "at 390 px");
}
