//! The repository's own report: size, elements, no warnings, and one data
//! value flowing into prose, table and chart of both outputs.

use crate::common::*;



fn count(doc: &scraper::Html, css: &str) -> usize {
    doc.select(&scraper::Selector::parse(css).unwrap()).count()
}

#[test]
fn flagship_is_a_complete_report() {
    let f = flagship();
    let run = f.folio(&["build", "--ignore-system-fonts"]).ok();
    assert!(!run.stderr.contains("warning"), "the flagship builds with warnings:\n{}", run.stderr);
    let pages = pdf_pages(&f.out("report.pdf"));
    assert!(pages.len() >= 20, "only {} pages", pages.len());
    let html = f.html("report.html");
    let floats = count(&html, "main figure.float");
    assert!(floats >= 15, "only {floats} numbered figures and tables");
    let charts = count(&html, "main figure.float svg.chart") + count(&html, ".cover-chart svg.chart");
    assert!(charts >= 6, "only {charts} charts");
    assert!(count(&html, "main .figure-row") >= 2, "no side-by-side pairs");
    assert!(count(&html, "main a.xref") >= 15, "few cross-references");
    assert_eq!(count(&html, "main figure.float"), count(&html, "main figure.float .float-source"), "a float lacks its source line");
    // Cover: rating box and the market chart from data.
    assert!(pages[0].contains("维持强于大市"), "{}", pages[0]);
    assert!(pages[0].contains("市场表现（示意数据）"));
    // Back matter.
    let text = pages.concat();
    for s in ["分析师声明", "投资评级说明", "免责声明", "示例证券研究所"] {
        assert!(text.contains(s), "missing {s}");
    }
    // It cites the papers it discusses in GB/T 7714, numbered in order of
    // first citation, the same in both outputs; the English note in an
    // author-date style.
    let entries = select_text(&html, "section.references .csl-entry");
    assert_eq!(entries.len(), 10, "{entries:?}");
    assert!(entries[0].starts_with("[1]DEVLIN J, CHANG M W, LEE K, 等. BERT"), "{}", entries[0]);
    assert!(entries.iter().any(|e| e.contains("Attention Is All You Need[C]//Advances in Neural Information Processing Systems 30. 2017: 5998-6008.")), "{entries:?}");
    let refs = &text[text.find("参考文献[1]").expect("the PDF's references")..];
    for e in &entries {
        assert!(refs.contains(&squash(e)), "{e} not in the PDF's references");
    }
    assert!(text.contains("ELMo与BERT[1]确立了"), "the first citation");
    // Company notes as a house sends them: the stock rating, the rating
    // scale and a disclaimer under the body, on one page, no file names.
    let alibaba = pdf_pages(&f.out("note-alibaba.pdf"));
    assert_eq!(alibaba.len(), 1);
    for s in ["维持增持", "评级说明", "买入，优于基准15%以上", "免责声明", "不构成投资建议", "请务必阅读正文之后的免责条款和声明。"] {
        assert!(alibaba[0].contains(s), "the note lacks {s}: {}", alibaba[0]);
    }
    for s in ["giants.yaml", ".sql", "research.db", "强于大市"] {
        assert!(!alibaba[0].contains(s), "the note shows {s}");
    }
    assert!(pdf_pages(&f.out("note-bytedance.pdf"))[0].contains("非上市不评级"));
    let note = f.pdf_text("note-scaling.pdf");
    assert!(note.contains("(Kaplanetal.,2020)"), "{note}");
    assert!(note.contains("Ouyang,L.etal.(2022)“TrainingLanguageModelstoFollowInstructionswithHumanFeedback,”"), "{note}");
    // Every float caption of the HTML is in the PDF's lists and body.
    let mut captions = select_text(&html, "main figure.float > figcaption");
    captions.sort();
    for c in &captions {
        assert!(text.matches(&squash(c)).count() >= 2, "{c} not in both the list and the body of the PDF");
    }
}

#[test]
fn one_data_value_changes_prose_table_and_chart_in_both_outputs() {
    let f = flagship();
    f.folio(&["build"]).ok();
    let before_pdf = f.pdf_text("report.pdf");
    assert!(before_pdf.contains("PaLM以540十亿参数位居榜首"), "prose lacks the value");
    let models = std::fs::read_to_string(f.root().join("content/data/models.csv")).unwrap();
    assert!(models.contains("PaLM,Google,540,"));
    f.write("content/data/models.csv", &models.replace("PaLM,Google,540,", "PaLM,Google,563,"));
    f.folio(&["build"]).ok();

    let html = f.html("report.html");
    let prose = select_text(&html, "main p").join("\n");
    assert!(prose.contains("PaLM 以 563 十亿参数位居榜首"), "HTML prose");
    assert!(prose.contains("（5,630 亿）"), "HTML prose, derived value");
    let rows = select_text(&html, "[id='tbl:models'] tr");
    assert!(rows.iter().any(|r| r.starts_with("PaLMGoogleGPT 类563")), "HTML table: {rows:?}");
    let chart = select_text(&html, "[id='fig:sizes'] svg text");
    assert!(chart.contains(&"563".to_string()) && !chart.contains(&"540".to_string()), "HTML chart: {chart:?}");
    let src = f.html_source("report.html");
    assert!(!src.contains(">540<") && !src.contains("540.00") && !src.contains(" 540 "), "old value left in HTML");

    let pdf = f.pdf_text("report.pdf");
    assert!(pdf.contains("PaLM以563十亿参数位居榜首"), "PDF prose");
    assert!(pdf.contains("PaLMGoogleGPT类563"), "PDF table");
    assert!(!pdf.contains("540"), "old value left in the PDF");
    // Prose (twice), table and chart label.
    assert!(pdf.matches("563").count() >= 4, "PDF has {} mentions", pdf.matches("563").count());
}
