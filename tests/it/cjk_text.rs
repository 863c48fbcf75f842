//! Chinese text as a house sets it: no space typed after full-width
//! punctuation survives into either output (`**模型。** 阿里` printed
//! "模型。 阿里", a gap in the middle of a sentence), and English keeps its.

use crate::common::*;

#[test]
fn a_space_after_fullwidth_punctuation_prints_in_neither_output() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: T\nlang: zh\n---\n\n**模型。** 阿里巴巴的平台。 2022 年发布，  随后推出（见表 1） 等。\n\nEnglish. Stays, as typed.\n",
    )]);
    f.folio(&["build"]).ok();
    assert_eq!(
        select_text(&f.html("report.html"), "main p"),
        ["模型。阿里巴巴的平台。2022 年发布，随后推出（见表 1）等。", "English. Stays, as typed."]
    );
    // poppler joins the runs of one line as a reader sees them.
    let out = std::process::Command::new("pdftotext").arg(f.out("report.pdf")).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("模型。阿里巴巴的平台。2022 年发布，随后推出（见表 1）等。"), "{text}");
    assert!(text.contains("English. Stays, as typed."), "{text}");
}
