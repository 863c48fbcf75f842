//! Chinese text as a house sets it: the space typed after a bold lead-in
//! that ends in full-width punctuation (`**模型。** 阿里` printed "模型。 阿里",
//! a gap in the middle of a sentence) prints in neither output; text
//! itself, data values included, prints as written.

use crate::common::*;

#[test]
fn a_space_after_fullwidth_punctuation_prints_in_neither_output() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: T\nlang: zh\n---\n\n**模型。** 阿里巴巴的平台，*算力。* 2022 年发布。\n\n**Model.** English. Stays, as typed.\n",
    )]);
    f.folio(&["build"]).ok();
    assert_eq!(
        select_text(&f.html("report.html"), "main p"),
        ["模型。阿里巴巴的平台，算力。2022 年发布。", "Model. English. Stays, as typed."]
    );
    // poppler joins the runs of one line as a reader sees them.
    let out = std::process::Command::new("pdftotext").arg(f.out("report.pdf")).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("模型。阿里巴巴的平台，算力。2022 年发布。"), "{text}");
    assert!(text.contains("Model. English. Stays, as typed."), "{text}");
}

/// At 390 px, a table's short labels stay on one line (汽车, not 汽/车),
/// Chinese paragraphs are not justified letter by letter, and a table's
/// caption has one rule under it, the table's own.
#[test]
fn html_tables_and_paragraphs_read_well_on_a_phone() {
    let long = "大模型带动云计算、广告与办公软件的收入增长，国内平台加快推出行业应用";
    let rows: String = (0..4).map(|_| format!("| 汽车 | {long} | {long} | 2023E |\n")).collect();
    let f = Fixture::new(&[(
        "content/r.md",
        &format!("---\ntitle: 行业\nlang: zh\n---\n\n资料来源：示例证券研究所整理，本段用于检查窄屏上的两端对齐是否把字拉开。\n\n表：行业应用 {{#tbl:a}}\n\n| 行业 | 进展 | 影响 | 年份 |\n|---|---|---|---|\n{rows}"),
    )]);
    f.folio(&["build", "--format", "html"]).ok();
    let page = f.html_source("r.html");
    let js = "[(() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('td.nw')); return r.getClientRects().length; })(), getComputedStyle(document.querySelector('.content > p')).textAlign, getComputedStyle(document.querySelector('.float figcaption')).borderBottomStyle].join(' ')";
    let Some(seen) = chromium_probe(&page, 390, js) else { return };
    assert_eq!(seen, "1 start none");
    let wide = chromium_probe(&page, 1280, js).unwrap();
    assert_eq!(wide, "1 justify none");
}
