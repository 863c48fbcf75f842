//! Chinese text as a house sets it: the space typed after a bold lead-in
//! that ends in full-width punctuation (`**模型。** 阿里` printed "模型。 阿里",
//! a gap in the middle of a sentence) prints in neither output; Chinese
//! and Latin letters or digits are spaced by one rule in text, data values,
//! tables and charts alike (`2022 年 7 月`, `标普 500`, typed either way).

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

/// Whether `a` and `b` are an ideograph and a Latin letter or digit side by
/// side (the test's own statement of the rule).
fn unspaced(a: char, b: char) -> bool {
    let han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let latin = |c: char| c.is_ascii_alphanumeric();
    (han(a) && latin(b)) || (latin(a) && han(b))
}

#[test]
fn chinese_and_latin_are_spaced_one_way_in_text_data_tables_and_charts() {
    let f = Fixture::new(&[
        ("content/data/idx.csv", "月份,标普500,指数\n2022年7月,1.5,2\n2022年8月,-2.0,3\n"),
        (
            "content/r.md",
            "---\ntitle: 行业\nlang: zh\n---\n\n截至{{ data.idx[0]['月份'] }}，标普500与标普 500 写法不同；2022 年 7 月与2022年7月也是。**模型**GPT-4发布。\n\n| 月份 | 标普500 |\n|---|---|\n{% for r in data.idx %}| {{ r['月份'] }} | {{ r['标普500'] }} |\n{% endfor %}\n```chart\nkind: bar\ndata: idx\nx: 月份\ny: [标普500, 指数]\ncaption: 标普500与指数\nalt: 两个月的标普500涨跌\n```\n",
        ),
    ]);
    f.folio(&["build"]).ok();
    let html = f.html_source("r.html");
    let doc = scraper::Html::parse_document(&html);
    let main = doc.select(&scraper::Selector::parse("main").unwrap()).next().unwrap();
    // Within each text node (a chart's labels are nodes of their own), and
    // across the runs of a paragraph or cell.
    let cells = scraper::Selector::parse("main p, main td, main th").unwrap();
    let units: Vec<String> = main.text().map(str::to_string).chain(doc.select(&cells).map(|e| e.text().collect())).collect();
    let bad: Vec<String> = units
        .iter()
        .flat_map(|u| u.chars().collect::<Vec<char>>().windows(2).filter(|w| unspaced(w[0], w[1])).map(|w| w.iter().collect::<String>()).collect::<Vec<_>>())
        .collect();
    assert!(bad.is_empty(), "unspaced: {bad:?}");
    let text: String = main.text().collect();
    // One spelling in the text, the table, the chart's legend and axis.
    assert_eq!(text.matches("标普 500").count(), 6, "{text}");
    assert!(!text.contains("标普500") && text.matches("2022 年 7 月").count() >= 4, "{text}");
    assert!(text.contains("模型 GPT-4 发布"), "{text}");
    // The PDF prints the same words (poppler reads the spaces typst sets).
    let out = std::process::Command::new("pdftotext").arg(f.out("r.pdf")).arg("-").output().expect("pdftotext (poppler-utils)");
    let pdf = String::from_utf8_lossy(&out.stdout);
    assert!(pdf.contains("截至 2022 年 7 月，标普 500 与标普 500 写法不同；2022 年 7 月与 2022 年 7 月也是。"), "{pdf}");
}
