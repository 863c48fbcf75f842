//! Page flow that passes for a house's: a short note is a note whatever its
//! chapters (one page, its disclosures under the body), and Chinese text
//! takes its quotes and dashes from the CJK font; a table that runs on to
//! another page says so there.

use crate::common::*;

fn fonts_on(pdf: &std::path::Path, page: usize) -> String {
    let out = std::process::Command::new("pdffonts").args(["-f", &page.to_string(), "-l", &page.to_string()]).arg(pdf).output().expect("pdffonts (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn a_one_page_english_note_with_chapters_and_a_disclaimer_stays_on_one_page() {
    let f = Fixture::new(&[(
        "content/note.md",
        "---\ntitle: Chips outlook\nlang: en\nback_matter:\n  - title: Disclaimer\n    paragraphs: [\"This note is for professional investors only. It is not advice; past performance is no guide to the future.\"]\n---\n\n# Demand\n\nAccelerators remain scarce through 2024.\n\n# Supply\n\nFoundries add capacity for advanced packaging.\n\n# Risks\n\nExport rules may tighten further.\n",
    )]);
    f.folio(&["build"]).ok();
    let pages = pdf_pages(&f.out("note.pdf"));
    assert_eq!(pages.len(), 1, "{pages:?}");
    assert!(pages[0].contains("3Risks") && pages[0].contains("Disclaimer") && pages[0].contains("notadvice"), "{}", pages[0]);
    assert!(!pages[0].contains("Contents"), "a note has no contents page");
    // A long report still gets its contents page and chapter breaks.
    let long: String = (1..=4).map(|i| format!("# Part {i}\n\n{}\n\n", "Demand for accelerators keeps rising as models grow. ".repeat(60))).collect();
    f.write("content/note.md", &format!("---\ntitle: Chips outlook\nlang: en\n---\n\n{long}"));
    f.folio(&["build"]).ok();
    let pages = pdf_pages(&f.out("note.pdf"));
    assert!(pages[1].starts_with("ChipsoutlookChipsoutlookContents") || pages.iter().any(|p| p.contains("Contents1Part1")), "{pages:?}");
}

#[test]
fn chinese_text_takes_quotes_and_dashes_from_the_cjk_font_english_keeps_latin_ones() {
    let f = Fixture::new(&[
        ("content/zh.md", "---\ntitle: 大模型\nlang: zh\n---\n\n他说：“模型即平台”——这是‘新’范式……\n"),
        ("content/en.md", "---\ntitle: Models\nlang: en\n---\n\nHe said: “models are platforms” — a ‘new’ paradigm…\n"),
    ]);
    f.folio(&["build", "--ignore-system-fonts"]).ok();
    let zh = fonts_on(&f.out("zh.pdf"), 1);
    assert!(!zh.contains("Libertinus"), "Chinese text set its punctuation in the Latin font:\n{zh}");
    let en = fonts_on(&f.out("en.pdf"), 1);
    assert!(en.contains("LibertinusSerif"), "{en}");
}

#[test]
fn a_table_that_runs_on_says_so_above_its_repeated_header() {
    let rows: String = (1..=70).map(|i| format!("| 公司{i} | {i}.00 |\n")).collect();
    let f = Fixture::new(&[(
        "content/t.md",
        &format!("---\ntitle: 长表\nlang: zh\n---\n\n# 数据\n\n表：各公司参数 {{#tbl:long}}\n\n| 公司 | 参数 |\n|---|---:|\n{rows}\n资料来源：示例\n"),
    )]);
    f.folio(&["build"]).ok();
    let pages = pdf_pages(&f.out("t.pdf"));
    assert!(pages.len() >= 2, "{pages:?}");
    assert!(!pages[0].contains("（续）"), "{}", pages[0]);
    assert!(pages[1].contains("表1（续）公司参数"), "{}", pages[1]);
    let en = rows.replace("公司", "Firm ");
    f.write("content/t.md", &format!("---\ntitle: Long\nlang: en\n---\n\n# Data\n\nTable: Parameters {{#tbl:long}}\n\n| Firm | Value |\n|---|---:|\n{en}\nSource: example\n"));
    f.folio(&["build"]).ok();
    let pages = pdf_pages(&f.out("t.pdf"));
    assert!(pages[1].contains("Table1(continued)FirmValue"), "{}", pages[1]);
}
