//! Charts of public data sets nobody here wrote (the npm package
//! vega-datasets, unchanged, in tests/data/vega-datasets/): long tables
//! split by a column, dates in several notations on a time axis, two value
//! axes, annotations, hundreds of points, labels that stay inside the
//! drawing and legible on a phone.

use std::sync::OnceLock;

use crate::common::*;

const VEGA: [&str; 8] = [
    "stocks.csv",
    "co2-concentration.csv",
    "iowa-electricity.csv",
    "github.csv",
    "gapminder-health-income.csv",
    "sp500.csv",
    "cars.json",
    "unemployment-across-industries.json",
];

const REPORT: &str = r#"---
title: Real data
lang: en
---

```chart
kind: line
data: stocks
x: date
y: price
color: symbol
end_labels: true
annotations:
  - {y: 400, label: "USD 400"}
  - {x: 2008-09-15, label: Lehman}
  - {from: 2007-12-01, to: 2009-06-01, label: Recession}
caption: Monthly prices, one line per symbol
label: fig:stocks
alt: Five stock prices from 2000 to 2010
```

```chart
kind: line
data: stocks
x: date
y: price
color: symbol
order: [AAPL, GOOG]
caption: The same, AAPL and GOOG first
label: fig:order
alt: Five stock prices
```

```chart
kind: line
data: co2-concentration
x: Date
y: CO2
caption: CO2 at Mauna Loa, monthly
label: fig:co2
alt: A rising line
```

```chart
kind: bar
data: iowa-electricity
x: year
y: net_generation
color: source
caption: Iowa generation by source, grouped
label: fig:iowa-grouped
alt: Grouped bars
```

```chart
kind: area
data: iowa-electricity
x: year
y: net_generation
color: source
stacked: true
caption: Iowa generation by source, stacked
label: fig:iowa-area
alt: Stacked areas
```

```chart
kind: line
data: unemployment-across-industries
x: date
y: rate
color: series
caption: Unemployment by industry
label: fig:unemployment
alt: Fourteen lines
```

```chart
kind: line
data: github
x: time
y: count
caption: Commits per hour
label: fig:github
alt: A spiky line
```

```chart
kind: scatter
data: cars
x: Horsepower
y: Miles_per_Gallon
color: Origin
caption: Horsepower and fuel use
label: fig:cars
alt: A falling cloud of points
```

```chart
kind: scatter
data: gapminder-health-income
x: income
y: health
x_log: true
caption: Income and health
label: fig:gapminder
alt: Points rising with income
```

```chart
kind: bar
rows:
  - {year: 2019A, revenue: 456.1, growth: 0.153}
  - {year: 2020A, revenue: 498.6, growth: 0.093}
  - {year: 2021A, revenue: 612.3, growth: 0.228}
  - {year: 2022A, revenue: 598.0, growth: -0.023}
x: year
y: revenue
y2: growth
y2_format: pct
labels: true
caption: Revenue and growth
label: fig:dual
alt: Bars and a line
```

```chart
kind: bar
data: unemployment-across-industries
where: {series: Construction}
x: date
y: count
y2: rate
y2_format: pct
y2_ratio: false
series: [Unemployed (thousands), Rate]
caption: Construction, unemployed and the rate
label: fig:construction
alt: Monthly bars of unemployed construction workers and a line of their rate
```

```chart
kind: bar
rows: [{k: A, v: 14.0, m: 0.111}, {k: B, v: 468.0, m: 0.107}, {k: C, v: 27.5, m: 0.114}]
x: k
y: v
labels: true
caption: Labels as written
label: fig:written
alt: Three bars
```

```chart
kind: line
rows: [{k: A, m: 0.111}, {k: B, m: 0.107}, {k: C, m: 0.114}]
x: k
y: m
y_format: pct
labels: true
caption: Margins
label: fig:margins
alt: A line of margins
```

```chart
kind: line
rows: [{d: 2020-01, v: 1}, {d: 2020-02, v: 2}, {d: 2021-01, v: 3}]
x: d
y: v
caption: Uneven gaps
label: fig:gaps
alt: Three points
```
"#;

fn fixture() -> &'static Fixture {
    static CELL: OnceLock<Fixture> = OnceLock::new();
    shared(&CELL, "charts-real-data", |root| {
        let data = root.join("content/data");
        std::fs::create_dir_all(&data).unwrap();
        let vega = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vega-datasets");
        for name in VEGA {
            std::fs::copy(vega.join(name), data.join(name)).unwrap();
        }
        std::fs::write(root.join("content/report.md"), REPORT).unwrap();
        run_in(root, &["build"]).ok();
    })
}

/// The wide drawing of figure `id` (the one the PDF also gets).
fn svg(id: &str) -> scraper::Html {
    let html = fixture().html_source("report.html");
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse(&format!("[id='{id}'] .chart-box:not(.chart-narrow) svg")).unwrap();
    let svg = doc.select(&sel).next().unwrap_or_else(|| panic!("no chart {id}")).html();
    scraper::Html::parse_fragment(&svg)
}

fn all<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap()).collect()
}

fn texts(doc: &scraper::Html) -> Vec<String> {
    all(doc, "text").iter().map(|e| e.text().collect()).collect()
}

fn num(e: &scraper::ElementRef<'_>, attr: &str) -> f64 {
    e.value().attr(attr).unwrap_or_else(|| panic!("no {attr}")).parse().unwrap()
}

/// Points of a path's `d` (M/L commands only).
fn points(d: &str) -> Vec<(f64, f64)> {
    d.split(['M', 'L']).filter(|s| !s.trim().is_empty()).map(|p| {
        let mut it = p.split_whitespace().map(|v| v.parse::<f64>().unwrap());
        (it.next().unwrap(), it.next().unwrap())
    }).collect()
}

fn legend(doc: &scraper::Html, n: usize) -> Vec<String> {
    texts(doc).into_iter().take(n).collect()
}

#[test]
fn a_long_table_splits_into_one_line_per_symbol() {
    let doc = svg("fig:stocks");
    assert_eq!(all(&doc, "path.series").len(), 5);
    // Legend in order of first appearance in the file.
    assert_eq!(legend(&doc, 5), ["MSFT", "AMZN", "IBM", "GOOG", "AAPL"]);
    // 123 months each (GOOG starts in Aug 2004: 68).
    let lens: Vec<usize> = all(&doc, "path.series").iter().map(|p| points(p.value().attr("d").unwrap()).len()).collect();
    assert_eq!(lens, [123, 123, 123, 68, 123]);
    assert_eq!(legend(&svg("fig:order"), 5), ["AAPL", "GOOG", "MSFT", "AMZN", "IBM"]);
}

#[test]
fn a_split_works_for_grouped_bars_stacked_areas_and_scatter() {
    let bars = svg("fig:iowa-grouped");
    // 17 years × 3 sources, plus 3 legend swatches.
    assert_eq!(all(&bars, "rect").len(), 17 * 3 + 3);
    assert_eq!(legend(&bars, 3), ["Fossil Fuels", "Nuclear Energy", "Renewables"]);
    let area = svg("fig:iowa-area");
    assert_eq!(all(&area, "path").len(), 3);
    let cars = svg("fig:cars");
    assert_eq!(legend(&cars, 3), ["USA", "Europe", "Japan"]);
    let colours: std::collections::BTreeSet<&str> = all(&cars, "circle").iter().map(|c| c.value().attr("fill").unwrap()).collect();
    assert_eq!(colours.len(), 3);
}

#[test]
fn dates_in_four_notations_make_time_axes() {
    // `Jan 1 2000` (stocks), `1958-03-01` (CO2), `2000-01-01T08:00:00.000Z`
    // (unemployment), `2015/01/01 01:00:00` (GitHub): ticks are periods, not
    // one label per row.
    let year_ticks = |id: &str| -> Vec<String> { texts(&svg(id)).into_iter().filter(|t| t.len() == 4 && t.parse::<u32>().is_ok()).collect() };
    assert_eq!(year_ticks("fig:stocks"), ["2000", "2002", "2004", "2006", "2008", "2010"]);
    assert_eq!(year_ticks("fig:co2"), ["1960", "1970", "1980", "1990", "2000", "2010", "2020"]);
    assert_eq!(year_ticks("fig:unemployment"), ["2000", "2002", "2004", "2006", "2008", "2010"]);
    let github = texts(&svg("fig:github"));
    assert!(github.contains(&"Feb 2015".to_string()) || github.contains(&"Jan 2015".to_string()), "{github:?}");
    assert!(github.len() < 20, "a few ticks, not one per row: {github:?}");
}

#[test]
fn uneven_dates_keep_their_gaps() {
    let doc = svg("fig:gaps");
    let p = points(all(&doc, "path.series")[0].value().attr("d").unwrap());
    let (a, b) = (p[1].0 - p[0].0, p[2].0 - p[1].0);
    // January to February is 31 days, February to next January 335.
    assert!((b / a - 335.0 / 31.0).abs() < 0.2, "{a} {b}");
}

#[test]
fn a_741_point_line_draws_as_one_clean_line() {
    let doc = svg("fig:co2");
    let path = all(&doc, "path.series");
    assert_eq!(path.len(), 1);
    assert_eq!(points(path[0].value().attr("d").unwrap()).len(), 741);
    assert_eq!(all(&doc, "circle").len(), 0, "no markers on a long series");
    assert_eq!(path[0].value().attr("stroke-width"), Some("1.6"));
}

#[test]
fn scatters_of_hundreds_of_points_and_a_log_axis() {
    let cars = svg("fig:cars");
    // 406 cars, 14 without horsepower or mileage.
    assert_eq!(all(&cars, "circle").len(), 392);
    let gap = texts(&svg("fig:gapminder"));
    for t in ["1,000", "10,000", "100,000"] {
        assert!(gap.contains(&t.to_string()), "{gap:?}");
    }
    assert_eq!(all(&svg("fig:gapminder"), "circle").len(), 187);
}

#[test]
fn bars_and_a_line_on_two_axes_share_gridlines() {
    let doc = svg("fig:dual");
    let texts = all(&doc, "text");
    let left: Vec<_> = texts.iter().filter(|t| t.value().attr("text-anchor") == Some("end") && t.text().collect::<String>().parse::<f64>().is_ok()).collect();
    let right: Vec<_> = texts.iter().filter(|t| t.value().attr("text-anchor") == Some("start") && t.text().collect::<String>().ends_with('%')).collect();
    assert_eq!(left.len(), right.len(), "as many ticks on each axis");
    for (l, r) in left.iter().zip(&right) {
        assert_eq!(num(l, "y"), num(r, "y"), "the right axis's ticks sit on the left's gridlines");
    }
    let right_labels: Vec<String> = right.iter().map(|t| t.text().collect()).collect();
    assert_eq!(right_labels, ["-10%", "0%", "10%", "20%", "30%"]);
    assert_eq!(all(&doc, "rect").len(), 4 + 1, "four bars and the swatch of their legend key (the line's key is a line)");
    assert_eq!(all(&doc, "path.series").len(), 1, "growth is a line");
    let labels: Vec<String> = texts.iter().map(|t| t.text().collect()).collect();
    for l in ["456.1", "15.3%", "-2.3%"] {
        assert!(labels.contains(&l.to_string()), "{labels:?}");
    }
}

#[test]
fn a_real_monthly_series_as_bars_and_its_rate_on_a_right_axis() {
    let doc = svg("fig:construction");
    assert_eq!(all(&doc, "rect").len(), 122 + 1, "one bar a month (Jan 2000 to Feb 2010) and the legend swatch");
    let line = all(&doc, "path.series");
    assert_eq!(line.len(), 1);
    assert_eq!(points(line[0].value().attr("d").unwrap()).len(), 122);
    let texts = all(&doc, "text");
    let left: Vec<f64> = texts.iter().filter(|t| t.value().attr("text-anchor") == Some("end") && t.text().collect::<String>().replace(',', "").parse::<f64>().is_ok()).map(|t| num(t, "y")).collect();
    let right: Vec<f64> = texts.iter().filter(|t| t.value().attr("text-anchor") == Some("start") && t.text().collect::<String>().ends_with('%')).map(|t| num(t, "y")).collect();
    assert!(left.len() >= 3 && left == right, "gridlines shared: {left:?} {right:?}");
    // Dates on bars print as months and are thinned to fit.
    let months = texts.iter().filter(|t| t.text().collect::<String>().starts_with("Jan ")).count();
    assert!(months > 0 && texts.len() < 60, "{} texts", texts.len());
}

#[test]
fn each_annotation_is_drawn_with_its_label() {
    let doc = svg("fig:stocks");
    let labels = texts(&doc);
    for l in ["USD 400", "Lehman", "Recession"] {
        assert!(labels.contains(&l.to_string()), "{labels:?}");
    }
    let range = all(&doc, "rect.range");
    assert_eq!(range.len(), 1);
    let rule = all(&doc, "line[stroke-dasharray='5 3']");
    assert_eq!(rule.len(), 1);
    let event = all(&doc, "line[stroke-dasharray='3 3']");
    assert_eq!(event.len(), 1);
    // The event lies inside the shaded range, and 2008-09-15 is 8.7/10 of the
    // way from the 2000 tick to the 2010 tick.
    let x = num(&event[0], "x1");
    assert!(x > num(&range[0], "x") && x < num(&range[0], "x") + num(&range[0], "width"));
    let tick = |y: &str| all(&doc, "text").into_iter().find(|t| t.text().collect::<String>() == y).map(|t| num(&t, "x")).unwrap();
    let at = (x - tick("2000")) / (tick("2010") - tick("2000"));
    assert!((at - 0.8706).abs() < 0.01, "{at}");
    // End labels name each line's last price.
    assert!(labels.contains(&"AAPL 223.02".to_string()), "{labels:?}");
}

#[test]
fn data_labels_print_as_written_and_tell_values_apart() {
    let written = texts(&svg("fig:written"));
    for l in ["14.0", "468.0", "27.5"] {
        assert!(written.contains(&l.to_string()), "{written:?}");
    }
    let margins = texts(&svg("fig:margins"));
    for l in ["11.1%", "10.7%", "11.4%"] {
        assert!(margins.contains(&l.to_string()), "{margins:?}");
    }
}

/// Width of a label as the drawing estimates it (the same rule).
/// Public data drawn as a reader sees it: Chromium's layout of every label,
/// in the face the page ships, inside its drawing and clear of the others,
/// on a desktop and on a phone.
#[test]
fn no_label_reaches_past_the_drawing_or_another_label() {
    let f = fixture();
    for width in [1280, 390] {
        if let Some(bad) = crate::chart_labels::probe_with_fonts(f, "report.html", width, crate::chart_labels::CHECK_JS) {
            assert_eq!(bad, "", "at {width} px");
        }
    }
}

#[test]
fn on_a_phone_chart_text_stays_legible() {
    let f = fixture();
    let html = f.html_source("report.html");
    // The narrow drawing is laid out for phones: 360 px wide, 11 px text.
    let doc = scraper::Html::parse_document(&html);
    let narrow = doc.select(&scraper::Selector::parse("[id='fig:stocks'] .chart-narrow svg").unwrap()).next().expect("a narrow drawing");
    assert_eq!(narrow.value().attr("width"), Some("360"));
    let css = std::fs::read_to_string(f.out("style.css")).unwrap_or_default();
    let page = html.replace("<link rel=\"stylesheet\" href=\"style.css\">", &format!("<style>{css}</style>"));
    let js = "(function(){var t=[].slice.call(document.querySelectorAll('figure svg text')).filter(function(e){return e.getClientRects().length>0});\
              return Math.min.apply(null,t.map(function(e){return e.getBoundingClientRect().height}))+' '+t.length})()";
    let Some(phone) = chromium_probe(&page, 390, js) else { return };
    let (smallest, shown) = phone.split_once(' ').unwrap();
    assert!(shown.parse::<usize>().unwrap() > 50, "{phone}");
    // A text box is about 1.2× its font size: 10 px type is a 12 px box.
    assert!(smallest.parse::<f64>().unwrap() >= 11.5, "smallest chart text at 390 px: {phone}");
    let wide = chromium_probe(&page, 1280, js).unwrap();
    assert!(wide.split(' ').next().unwrap().parse::<f64>().unwrap() >= 11.5, "at 1280 px: {wide}");
}
