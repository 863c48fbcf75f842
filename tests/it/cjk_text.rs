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
