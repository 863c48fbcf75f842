//! What the report templates receive besides the body: the front matter
//! plus the model's resolved headings and floats (`meta.json` for typst,
//! `meta` in `page.html`).

use serde_json::{json, Value};

use crate::doc::{Document, FloatKind};

/// What the template reads besides the body: front matter plus the model's
/// resolved headings and floats.
pub fn template_meta(doc: &Document) -> Value {
    let w = crate::core::words::words(doc.meta.lang);
    let pages = estimated_pages(doc);
    json!({
        "front": doc.meta.front,
        "title": doc.meta.title,
        "subtitle": doc.meta.subtitle,
        "lang": doc.meta.lang.code(),
        "date": doc.meta.date,
        "authors": doc.meta.authors,
        "headings": doc.headings.iter().map(|h| json!({
            "level": h.level, "number": h.number, "id": h.id, "text": h.text,
        })).collect::<Vec<_>>(),
        "cover_chart": doc.cover_chart.as_ref().map(|c| json!({
            "path": "charts/cover.svg", "title": c.title, "source": c.source, "alt": c.chart.alt,
        })),
        "short": pages < 2.0,
        "long": pages >= LONG_PAGES,
        "figures": floats(doc, FloatKind::Figure),
        "tables": floats(doc, FloatKind::Table),
        "words": {
            "contents": w.contents, "figures": w.figures, "tables": w.tables,
            "caption_sep": w.caption_sep,
        },
    })
}

/// Characters of Chinese and of Latin text a page holds at the template's
/// 10.5 pt, and the share of a page a figure or table takes, roughly.
const CJK_PER_PAGE: f64 = 1300.0;
const LATIN_PER_PAGE: f64 = 3200.0;
const PAGES_PER_FLOAT: f64 = 0.3;

/// The pages a report's body comes to, roughly, from its text and floats.
/// Under two, it is a note: the template sets it without a contents page or
/// chapter breaks, and its disclosures under the body. From [`LONG_PAGES`],
/// it is a book: each chapter starts a page. Front matter `toc` and
/// `chapter_break` still decide.
fn estimated_pages(doc: &Document) -> f64 {
    let (mut cjk, mut latin, mut floats) = (0usize, 0usize, 0usize);
    doc.visit(
        &mut |b| {
            if matches!(b, crate::doc::Block::Figure(_) | crate::doc::Block::Table(_) | crate::doc::Block::Code { .. }) {
                floats += 1;
            }
            if let crate::doc::Block::FigureRow(fs) = b {
                floats += fs.len();
            }
        },
        &mut |i| {
            if let crate::doc::Inline::Text(t) = i {
                for c in t.chars() {
                    if crate::doc::is_cjk(c) {
                        cjk += 1;
                    } else {
                        latin += 1;
                    }
                }
            }
        },
    );
    cjk as f64 / CJK_PER_PAGE + latin as f64 / LATIN_PER_PAGE + floats as f64 * PAGES_PER_FLOAT
}

/// A body this long is a book: its chapters start pages, as a book's do.
/// typst then lays each chapter's pages out as a run of their own, on all
/// cores; run on, a book shape of 120 pages took 40% longer to lay out.
const LONG_PAGES: f64 = 100.0;

fn floats(doc: &Document, kind: FloatKind) -> Vec<Value> {
    doc.floats
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| json!({ "label": f.label, "id": f.id, "caption": f.caption }))
        .collect()
}

