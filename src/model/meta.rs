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
        "figures": floats(doc, FloatKind::Figure),
        "tables": floats(doc, FloatKind::Table),
        "words": {
            "contents": w.contents, "figures": w.figures, "tables": w.tables,
            "caption_sep": w.caption_sep,
        },
    })
}

fn floats(doc: &Document, kind: FloatKind) -> Vec<Value> {
    doc.floats
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| json!({ "label": f.label, "id": f.id, "caption": f.caption }))
        .collect()
}

