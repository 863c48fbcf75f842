//! What the report templates receive besides the body: the front matter
//! plus the model's resolved headings and floats (`meta.json` for typst,
//! `meta` in `page.html`).

use serde_json::{json, Value};

use crate::doc::{Document, FloatKind};

/// What the template reads besides the body: front matter plus the model's
/// resolved headings and floats.
pub fn template_meta(doc: &Document) -> Value {
    let w = crate::core::words::words(doc.meta.lang);
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
        "short": is_short(doc),
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

/// A report whose body comes to under two pages is a note: the template
/// sets it without a contents page or chapter breaks, and its disclosures
/// under the body (front matter `toc`/`chapter_break` still decide).
fn is_short(doc: &Document) -> bool {
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
    let pages = cjk as f64 / CJK_PER_PAGE + latin as f64 / LATIN_PER_PAGE + floats as f64 * PAGES_PER_FLOAT;
    pages < 2.0
}

fn floats(doc: &Document, kind: FloatKind) -> Vec<Value> {
    doc.floats
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| json!({ "label": f.label, "id": f.id, "caption": f.caption }))
        .collect()
}

