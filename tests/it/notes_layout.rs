//! Page flow that passes for a house's: a short note is a note whatever its
//! chapters (one page, its disclosures under the body), and Chinese text
//! takes its quotes and dashes from the CJK font.

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
