//! Page flow as a head of production checks it: no page but the last
//! nearly empty, and no heading left as the last line of a page (its text
//! on the next), on the flagship and both `folio new` samples.

use crate::common::*;

/// One page's body lines (running header and footer left out), top down,
/// each with its words joined, and the share of the body height used.
struct Page {
    lines: Vec<String>,
    /// Each line's top and bottom.
    spans: Vec<(f64, f64)>,
    used: f64,
}

fn pages(pdf: &std::path::Path) -> Vec<Page> {
    let out = std::process::Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let num = |w: &str, k: &str| w.split(&format!("{k}=\"")).nth(1).and_then(|r| r.split('"').next()).and_then(|v| v.parse::<f64>().ok()).unwrap();
    text.split("<page ")
        .skip(1)
        .map(|page| {
            // The template's margins: 2.4 cm above, 2.2 cm below.
            let height = num(page, "height");
            let (top, bottom) = (68.0, height - 62.0);
            let mut words: Vec<(f64, f64, String)> = page
                .split("<word ")
                .skip(1)
                .map(|w| (num(w, "yMin"), num(w, "yMax"), w.split('>').nth(1).and_then(|r| r.split('<').next()).unwrap_or("").to_string()))
                .filter(|(y0, y1, _)| *y0 > top - 2.0 && *y1 < bottom)
                .collect();
            words.sort_by(|a, b| a.1.total_cmp(&b.1));
            let mut lines: Vec<(f64, f64, String)> = Vec::new();
            for (y0, y1, w) in words {
                match lines.last_mut() {
                    Some((top, y, l)) if (y1 - *y).abs() < 2.0 => {
                        l.push_str(&w);
                        *top = top.min(y0);
                    }
                    _ => lines.push((y0, y1, w)),
                }
            }
            let used = lines.last().map_or(0.0, |(_, y, _)| (y - top) / (bottom - top));
            Page { spans: lines.iter().map(|(a, b, _)| (*a, *b)).collect(), lines: lines.into_iter().map(|(_, _, l)| l).collect(), used }
        })
        .collect()
}

/// The headings of a report's body, from its HTML, spaces removed.
fn headings(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(".content h1, .content h2, .content h3").unwrap();
    doc.select(&sel).map(|h| h.text().collect::<String>().split_whitespace().collect::<String>()).filter(|h| !h.is_empty()).collect()
}

fn check(f: &Fixture, name: &str) {
    let pages = pages(&f.out(&format!("{name}.pdf")));
    let heads = headings(&f.html_source(&format!("{name}.html")));
    assert!(!heads.is_empty());
    let last = pages.len();
    for (i, p) in pages.iter().enumerate() {
        let n = i + 1;
        if n < last {
            assert!(p.used >= 0.12, "{name}: page {n} of {last} is {:.0}% used: {:?}", p.used * 100.0, p.lines);
        }
        if let Some(line) = p.lines.last() {
            assert!(!heads.contains(line), "{name}: page {n} ends with the heading {line}");
        }
        // A heading stands clear of the line after it.
        for (k, line) in p.lines.iter().enumerate().filter(|(_, l)| heads.contains(l)) {
            if let Some(next) = p.spans.get(k + 1) {
                assert!(next.0 >= p.spans[k].1, "{name}: page {n}: the heading {line} runs into {:?}", p.lines[k + 1]);
            }
        }
    }
}

#[test]
fn the_flagship_has_no_near_empty_page_and_no_heading_at_a_page_foot() {
    if !tool("pdftotext") {
        return;
    }
    let f = flagship();
    f.folio(&["build"]).ok();
    check(&f, "report");
    check(&f, "note-alibaba");
}

#[test]
fn the_new_project_samples_keep_each_heading_with_its_text() {
    if !tool("pdftotext") {
        return;
    }
    for lang in ["zh", "en"] {
        let f = Fixture::new(&[]);
        run_in(f.root(), &["new", "p", "--lang", lang]).ok();
        run_in(&f.root().join("p"), &["build"]).ok();
        std::fs::create_dir_all(f.out("")).unwrap();
        check(&f, "../p/output/report");
    }
}

/// A long table starts where its caption, header and at least three rows
/// fit: wherever the text before it ends, never one or two rows at a foot.
#[test]
fn a_long_table_never_starts_with_fewer_than_three_rows_on_a_page() {
    if !tool("pdftotext") {
        return;
    }
    let rows: String = (1..=30).map(|i| format!("| 行{i:02} | {i} |\n")).collect();
    for k in 0..14 {
        let filler: String = (0..k).map(|_| "为检查表格在页脚的拆分而写的一段较长的正文，".repeat(6) + "\n\n").collect();
        let f = Fixture::new(&[("content/r.md", &format!("---\ntitle: 拆分\nlang: zh\n---\n\n{}\n\n表：长表 {{#tbl:long}}\n\n| 项目 | 数值 |\n|---|---|\n{rows}", "引言。\n\n".repeat(8) + &filler))]);
        f.folio(&["build", "--format", "pdf"]).ok();
        let pages = pages(&f.out("r.pdf"));
        let start = pages.iter().position(|p| p.lines.iter().any(|l| l.starts_with("表1：长表"))).expect("the caption");
        let first: Vec<&String> = pages[start].lines.iter().filter(|l| l.starts_with('行')).collect();
        assert!(first.len() >= 3, "{k} paragraphs before it: the table starts with {} rows on page {}", first.len(), start + 1);
    }
}
