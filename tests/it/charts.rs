//! Charts drawn from data: SVG structure in the HTML, labels in the PDF,
//! data changes reaching the drawing, determinism, and spec errors.

use crate::common::*;

const MARKET: &str = "date,sector,spx\n2022-05-30,0,0\n2022-06-30,-6.2,-8.4\n2022-09-30,-14,-13.7\n2022-12-30,21.4,-7.4\n2023-04-28,86,0.6\n";
const MODELS: &str = "model,params_b,year\nBERT-large,0.33,2018\nGPT-2,1.5,2019\nGPT-3,175,2020\nPaLM,540,2022\n";
const CALENDAR: &str = "date,event\n2023-02-27,Meta 开源 LLaMA\n2023-03-15,OpenAI 发布 GPT-4\n2023-04-11,阿里巴巴发布通义千问\n";

const REPORT: &str = r#"---
title: 图表
lang: zh
---

```chart
kind: line
data: market
x: date
x_date: zh_month
y: [sector, spx]
series: [互联网指数, 标普500]
y_format: pct
y_ratio: false
caption: 相对表现
label: fig:market
source: 数据来源：示例
```

```chart
kind: bar
data: models
x: model
y: params_b
log: true
labels: true
caption: 参数规模
label: fig:sizes
```

```charts
- kind: bar
  horizontal: true
  stacked: true
  rows: [{c: 甲, a: 1, b: 2}, {c: 乙, a: 3, b: -1}]
  x: c
  y: [a, b]
  caption: 横向堆叠
  label: fig:hbar
- kind: donut
  rows: [{k: API, v: 45}, {k: PaaS, v: 30}, {k: MaaS, v: 25}]
  x: k
  y: v
  caption: 商业模式
  label: fig:donut
```

```chart
kind: pie
rows: [{k: 甲, v: 1}, {k: 乙, v: 3}]
x: k
y: v
caption: 饼图
label: fig:pie
```

```chart
kind: timeline
data: calendar
x: date
text: event
caption: 发布时间线
label: fig:timeline
```

```chart
kind: scatter
data: models
x: year
y: params_b
text: model
caption: 散点
label: fig:scatter
```

```chart
kind: area
stacked: true
rows: [{q: Q1, a: 1, b: 2}, {q: Q2, a: 2, b: 3}]
x: q
y: [a, b]
caption: 面积
label: fig:area
```

如@fig:market、@fig:sizes 和@fig:timeline 所示。
"#;

fn fixture() -> Fixture {
    Fixture::new(&[
        ("content/report.md", REPORT),
        ("content/data/market.csv", MARKET),
        ("content/data/models.csv", MODELS),
        ("content/data/calendar.csv", CALENDAR),
    ])
}

fn count(doc: &scraper::Html, css: &str) -> usize {
    doc.select(&scraper::Selector::parse(css).unwrap()).count()
}

#[test]
fn every_kind_is_a_numbered_figure() {
    let f = fixture();
    f.folio(&["build"]).ok();
    let html = f.html("report.html");
    assert_eq!(
        select_text(&html, "figure figcaption"),
        ["图 1：相对表现", "图 2：参数规模", "图 3：横向堆叠", "图 4：商业模式", "图 5：饼图", "图 6：发布时间线", "图 7：散点", "图 8：面积"]
    );
    assert_eq!(count(&html, ".figure-row figure svg"), 2);
    assert_eq!(select_text(&html, "a.xref"), ["图 1", "图 2", "图 6"]);
    assert_eq!(select_text(&html, "[id='fig:market'] .float-source"), ["数据来源：示例"]);
}

#[test]
fn line_chart_has_percent_ticks_series_and_legend() {
    let f = fixture();
    f.folio(&["build", "--format", "html"]).ok();
    let html = f.html("report.html");
    let texts = select_text(&html, "[id='fig:market'] .chart-box:not(.chart-narrow) svg text");
    let ticks: Vec<&str> = texts.iter().filter(|t| t.ends_with('%')).map(String::as_str).collect();
    assert_eq!(ticks, ["-20%", "0%", "20%", "40%", "60%", "80%", "100%"]);
    // Month-end dates on a time axis: ticks at the first of every other month.
    for s in ["互联网指数", "标普 500", "2022 年 7 月", "2023 年 3 月"] {
        assert!(texts.iter().any(|t| t == s), "missing {s}: {texts:?}");
    }
    assert_eq!(count(&html, "[id='fig:market'] .chart-box:not(.chart-narrow) svg path.series"), 2);
    // A zero line is drawn for signed data.
    assert!(f.html_source("report.html").contains("stroke=\"#555555\""));
}

#[test]
fn log_bar_chart_ticks_and_labels() {
    let f = fixture();
    f.folio(&["build", "--format", "html"]).ok();
    let html = f.html("report.html");
    let texts = select_text(&html, "[id='fig:sizes'] .chart-box:not(.chart-narrow) svg text");
    assert_eq!(texts[..5], ["0.1", "1", "10", "100", "1,000"]);
    for s in ["0.33", "1.5", "175", "540", "PaLM", "BERT-large"] {
        assert!(texts.iter().any(|t| t == s), "missing {s}: {texts:?}");
    }
    assert_eq!(count(&html, "[id='fig:sizes'] .chart-box:not(.chart-narrow) svg rect"), 4);
}

#[test]
fn pie_donut_timeline_scatter_area_draw_their_marks() {
    let f = fixture();
    f.folio(&["build", "--format", "html"]).ok();
    let html = f.html("report.html");
    assert_eq!(count(&html, "[id='fig:donut'] .chart-box:not(.chart-narrow) svg path"), 3);
    assert_eq!(select_text(&html, "[id='fig:pie'] .chart-box:not(.chart-narrow) svg text"), ["甲 25.0%", "乙 75.0%"]);
    assert_eq!(count(&html, "[id='fig:timeline'] .chart-box:not(.chart-narrow) svg circle"), 3);
    let events = select_text(&html, "[id='fig:timeline'] .chart-box:not(.chart-narrow) svg text");
    assert!(events.contains(&"2023-03-15".to_string()) && events.iter().any(|t| t.contains("GPT-4")), "{events:?}");
    assert_eq!(count(&html, "[id='fig:scatter'] .chart-box:not(.chart-narrow) svg circle"), 4);
    assert!(select_text(&html, "[id='fig:scatter'] .chart-box:not(.chart-narrow) svg text").contains(&"2018".to_string()));
    assert_eq!(count(&html, "[id='fig:area'] .chart-box:not(.chart-narrow) svg path"), 2);
    // Stacked horizontal bars: one rect per non-empty segment.
    assert_eq!(count(&html, "[id='fig:hbar'] .chart-box:not(.chart-narrow) svg rect"), 4 + 2);
}

#[test]
fn chart_labels_are_text_in_the_pdf() {
    let f = fixture();
    f.folio(&["build", "--ignore-system-fonts"]).ok();
    let text = f.pdf_text("report.pdf");
    for s in ["标普500", "互联网指数", "2023年3月", "PaLM", "阿里巴巴发布通义千问", "商业模式"] {
        assert!(text.contains(s), "PDF lacks {s}");
    }
}

/// In the PDF a chart is typst's own drawing: its alt text is the
/// figure's, for screen readers, and its labels are text in the body font.
#[test]
fn a_chart_in_the_pdf_carries_its_alt_text() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: Alt\nlang: en\n---\n\n```chart\nkind: donut\nrows: [{k: Cloud, v: 3}, {k: Ads, v: 1}]\nx: k\ny: v\ncaption: Mix\nalt: A donut, cloud three quarters\n```\n",
    )]);
    f.folio(&["build", "--format", "pdf", "--ignore-system-fonts"]).ok();
    let text = f.pdf_text("report.pdf");
    assert!(text.contains("Cloud") && text.contains("75.0%"), "{text}");
    if tool("qpdf") {
        let plain = f.root().join("plain.pdf");
        let status = std::process::Command::new("qpdf").args(["--qdf", "--object-streams=disable"]).arg(f.out("report.pdf")).arg(&plain).status().unwrap();
        assert!(status.success());
        let plain = String::from_utf8_lossy(&std::fs::read(&plain).unwrap()).into_owned();
        assert!(plain.contains("/Alt (A donut, cloud three quarters)"), "no /Alt for the chart");
    }
}

/// A project's copy of a template from before charts were typst shapes
/// has no `folio-chart`: its charts stay SVG images and still build.
#[test]
fn a_template_copy_without_folio_chart_keeps_svg_charts() {
    let builtin = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/research.typ")).unwrap();
    let start = builtin.find("#let folio-chart(").unwrap();
    let end = start + builtin[start..].find("\n\n").unwrap();
    let old = format!("{}{}", &builtin[..start], &builtin[end..]);
    let f = Fixture::new(&[
        ("templates/research.typ", old.as_str()),
        ("content/report.md", "---\ntitle: Old\nlang: en\n---\n\n```chart\nkind: bar\nrows: [{k: North, v: 3}, {k: South, v: 1}]\nx: k\ny: v\ncaption: Sales\nalt: Two bars\n```\n"),
    ]);
    f.folio(&["build", "--format", "typst", "--ignore-system-fonts"]).ok();
    assert!(f.out("report.typst/charts/1.svg").is_file() && !f.out("report.typst/charts/1.typ").exists());
    f.folio(&["build", "--format", "pdf", "--ignore-system-fonts"]).ok();
    let text = f.pdf_text("report.pdf");
    assert!(text.contains("North") && text.contains("South"), "{text}");
}

#[test]
fn changing_a_csv_value_changes_the_chart() {
    let f = fixture();
    f.folio(&["build"]).ok();
    let before = f.html_source("report.html");
    f.write("content/data/models.csv", &MODELS.replace("540", "980"));
    f.folio(&["build"]).ok();
    let html = f.html("report.html");
    let texts = select_text(&html, "[id='fig:sizes'] .chart-box:not(.chart-narrow) svg text");
    assert!(texts.contains(&"980".to_string()) && !texts.contains(&"540".to_string()), "{texts:?}");
    assert_ne!(before, f.html_source("report.html"));
    let pdf = f.pdf_text("report.pdf");
    assert!(pdf.contains("980") && !pdf.contains("540"));
}

#[test]
fn same_data_gives_identical_charts() {
    let f = fixture();
    f.folio(&["build"]).ok();
    let html1 = f.html_source("report.html");
    let pdf1 = std::fs::read(f.out("report.pdf")).unwrap();
    f.folio(&["build"]).ok();
    assert_eq!(html1, f.html_source("report.html"));
    assert_eq!(pdf1, std::fs::read(f.out("report.pdf")).unwrap());
}

fn chart_error(spec: &str, data: &[(&str, &str)]) -> String {
    let report = format!("---\ntitle: T\nlang: zh\n---\n\nText.\n\n```chart\n{spec}```\n");
    let mut files = vec![("content/report.md", report.as_str())];
    files.extend_from_slice(data);
    let f = Fixture::new(&files);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!f.out("report.pdf").exists());
    run.stderr
}

#[test]
fn unknown_column_names_the_chart() {
    let err = chart_error("kind: bar\ndata: models\nx: model\ny: params\ncaption: C\n", &[("content/data/models.csv", MODELS)]);
    assert_eq!(
        err,
        "error: chart names unknown column `params`
  --> content/report.md:12:4
   |
12 | y: params
   |    ^^^^^^
  = hint: columns: model, params_b, year
  = hint: did you mean `params_b`?
build failed with 1 error(s); no output was written
"
    );
}

#[test]
fn non_numeric_value_names_the_data_row() {
    let bad = MODELS.replace("175", "n/a");
    let err = chart_error("kind: bar\ndata: models\nx: model\ny: params_b\ncaption: C\n", &[("content/data/models.csv", &bad)]);
    assert_eq!(
        err,
        "error: column `params_b` holds a non-numeric value `n/a` in data row 3
 --> content/data/models.csv:4:7
  |
4 | GPT-3,n/a,2020
  |       ^
  = hint: chart values must be numbers; fix the cell or chart another column
  = hint: in the chart \"C\" at content/report.md:9:1
build failed with 1 error(s); no output was written
"
    );
}

#[test]
fn empty_data_and_unknown_kind_are_errors() {
    let err = chart_error("kind: bar\ndata: models\nx: model\ny: params_b\ncaption: C\n", &[("content/data/models.csv", "model,params_b\n")]);
    assert!(err.starts_with("error: chart data is empty\n --> content/data/models.csv:1:1\n"), "{err}");
    let err = chart_error("kind: radar\nx: a\ny: b\ncaption: C\nrows: [{a: 1, b: 2}]\n", &[]);
    assert!(err.starts_with("error: invalid chart spec: unknown variant `radar`"), "{err}");
    assert!(err.contains(" --> content/report.md:9:7\n"), "{err}");
    let err = chart_error("kind: bar\ndata: nope\nx: a\ny: b\ncaption: C\n", &[]);
    assert!(err.starts_with("error: chart names unknown data set `nope`\n --> content/report.md:9:1"), "{err}");
}

/// The texts of the one chart of a report with `spec` and `data`, in the HTML.
fn chart_texts(spec: &str, data: &[(&str, &str)]) -> Vec<String> {
    let report = format!("---\ntitle: T\nlang: en\n---\n\nText.\n\n```chart\n{spec}```\n");
    let mut files = vec![("content/report.md", report.as_str())];
    files.extend_from_slice(data);
    let f = Fixture::new(&files);
    f.folio(&["build", "--format", "html"]).ok();
    select_text(&f.html("report.html"), ".chart-box:not(.chart-narrow) svg text")
}

#[test]
fn every_tick_label_is_the_value_at_its_gridline() {
    // Values 12, 5, 9: gridlines every 2.5, each labelled with its value.
    let texts = chart_texts("kind: bar\nrows: [{a: x, v: 12}, {a: y, v: 5}, {a: z, v: 9}]\nx: a\ny: v\ncaption: C\nalt: Three bars.\n", &[]);
    assert_eq!(texts[..6], ["0.0", "2.5", "5.0", "7.5", "10.0", "12.5"], "{texts:?}");
    let texts = chart_texts("kind: bar\nrows: [{a: x, v: 0.12}, {a: y, v: 0.05}, {a: z, v: 0.09}]\nx: a\ny: v\ny_format: pct\ncaption: C\nalt: Three bars.\n", &[]);
    assert!(texts.iter().any(|t| t == "2.5%") && texts.iter().any(|t| t == "12.5%"), "{texts:?}");
}

#[test]
fn data_labels_keep_every_decimal_written() {
    let texts = chart_texts("kind: bar\ndata: d\nx: a\ny: v\nlabels: true\ncaption: C\nalt: Bars.\n", &[("content/data/d.json", "[{\"a\": \"x\", \"v\": 0.1234567}, {\"a\": \"y\", \"v\": 12.3456789}]\n")]);
    assert!(texts.iter().any(|t| t == "0.1234567") && texts.iter().any(|t| t == "12.3456789"), "{texts:?}");
}

#[test]
fn values_too_small_or_too_large_to_label_are_an_error_naming_the_chart() {
    let err = chart_error("kind: bar\nrows: [{a: x, v: 0.000000000000001234}]\nx: a\ny: v\ncaption: C\n", &[]);
    assert!(err.starts_with("error: series `v` has values so small that its axis would need more than six decimals\n --> content/report.md:"), "{err}");
    let err = chart_error("kind: bar\nrows: [{a: x, v: 12345678901234567}]\nx: a\ny: v\ncaption: C\n", &[]);
    assert!(err.starts_with("error: series `v` has values past 10^15"), "{err}");
}

#[test]
fn a_series_list_of_another_length_than_the_columns_is_an_error() {
    // Unquoted, `[Gross investment ($m, left), Share (right)]` is three names.
    let err = chart_error("kind: bar\nrows: [{a: x, g: 1, s: 2}]\nx: a\ny: g\ny2: s\nseries: [Gross investment ($m, left), Share (right)]\ncaption: C\n", &[]);
    assert!(err.starts_with("error: `series:` gives 3 name(s), but the chart has 2 series (g, s)\n"), "{err}");
    assert!(err.contains("  = hint: the names read: `Gross investment ($m`, `left)`, `Share (right)`\n"), "{err}");
}
