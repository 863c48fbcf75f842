//! Citations and the list of references, rendered once by hayagriva (the
//! bibliography engine typst itself uses) in the report's CSL style, so
//! that the PDF and the HTML print the same numbers, names and entries.

use std::sync::OnceLock;

use hayagriva::citationberg::{FontStyle, FontWeight, Locale, LocaleCode, TextDecoration, VerticalAlign};
use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild, ElemChildren, Formatting, LocatorPayload, SpecificLocator};

use crate::core::diag::Diagnostic;
use crate::core::sourcemap::SourceMap;
use crate::doc::*;
use crate::input::bibliography::Sources;

/// The CSL locales (terms such as "et al.", "等", "pp.") folio's reports
/// use: Chinese, and English, also CSL's fallback; read once. Only these two
/// are parsed: all 63 of hayagriva's archive took 78 ms, most of a cited
/// report's model stage.
fn locales() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(|| {
        let wanted = |bytes: &&&[u8]| lang_of(bytes).is_some_and(|l| l == "zh-CN" || l == "en-US");
        let picked: Vec<Locale> = hayagriva::archive::LOCALES.iter().filter(wanted).filter_map(|b| ciborium::de::from_reader(*b).ok()).collect();
        // An archive laid out otherwise: every locale, as before.
        if picked.len() == 2 { picked } else { hayagriva::archive::locales() }
    })
}

/// Read the locales now (3 ms), so that a build can do it on another core
/// before its first report cites.
pub fn prepare() {
    let _ = locales();
}

/// The language code an archived (CBOR) locale starts with: its map's
/// first key is `@xml:lang`, its value a short text.
fn lang_of(cbor: &[u8]) -> Option<&str> {
    let rest = cbor.get(1..)?.strip_prefix(b"i@xml:lang")?;
    let head = *rest.first()?;
    let len = (head & 0x1f) as usize;
    if head >> 5 != 3 || len >= 24 {
        return None;
    }
    std::str::from_utf8(rest.get(1..1 + len)?).ok()
}

/// Fills every citation's text and the document's references; an unknown
/// key is an error at its place with the nearest key.
pub fn cite(doc: &mut Document, sources: &Sources, map: &SourceMap) -> Result<(), Vec<Diagnostic>> {
    let lang = doc.meta.lang;
    let markers = count_markers(&doc.blocks);
    let mut cites = Vec::new();
    inline_lists_mut(&mut doc.blocks, &mut |inlines| collect_inlines(inlines, &mut cites));
    for note in &mut doc.footnotes {
        inline_lists_mut(note, &mut |inlines| collect_inlines(inlines, &mut cites));
    }
    let library = &sources.library;
    let mut errors = Vec::new();
    for c in &cites {
        for item in &c.items {
            if library.get(&item.key).is_none() {
                let mut d = Diagnostic::error(format!("no entry `{}` in the bibliography", item.key)).at(map.find(&format!("@{}", item.key), c.line));
                if let Some(near) = crate::core::text::closest(&item.key, library.keys()) {
                    d = d.hint(format!("did you mean `@{near}`?"));
                }
                errors.push(d.hint(format!("the keys are those of {}", crate::core::diag::display_path(&sources.path))));
            }
        }
    }
    if markers > 1 {
        errors.push(Diagnostic::error(format!("the references are placed {markers} times")).hint("keep one `<div id=\"refs\"></div>` (or `{{ references }}`)"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let locale = LocaleCode(if lang == Lang::Zh { "zh-CN" } else { "en-US" }.to_string());
    let style = &*sources.style;
    // The locators' text, kept apart so the requests can borrow it while
    // the citations are written to.
    let locators: Vec<Vec<Option<(hayagriva::citationberg::taxonomy::Locator, String)>>> = cites
        .iter()
        .map(|c| c.items.iter().map(|i| i.locator.as_deref().map(|l| { let (k, t) = crate::markdown::cite::locator_kind(l); (k, t.to_string()) })).collect())
        .collect();
    let mut driver = BibliographyDriver::new();
    for (c, locs) in cites.iter().zip(&locators) {
        let items = c
            .items
            .iter()
            .zip(locs)
            .map(|(item, loc)| {
                let entry = library.get(&item.key).expect("keys checked above");
                let locator = loc.as_ref().map(|(k, t)| SpecificLocator(*k, LocatorPayload::Str(t)));
                CitationItem::new(entry, locator, None, false, c.prose.then_some(CitePurpose::Prose))
            })
            .collect();
        driver.citation(CitationRequest::new(items, style, Some(locale.clone()), locales(), None));
    }
    let rendered = driver.finish(BibliographyRequest::new(style, Some(locale), locales()));
    for (c, r) in cites.iter_mut().zip(&rendered.citations) {
        c.content = inlines(&r.citation);
    }
    if let Some(bib) = rendered.bibliography.filter(|b| !b.items.is_empty()) {
        let entries = bib
            .items
            .iter()
            .map(|item| Reference {
                key: item.key.clone(),
                id: ref_id(&item.key),
                label: item.first_field.as_ref().map(|f| inlines(&ElemChildren(vec![f.clone()]))),
                content: trim(inlines(&item.content)),
            })
            .collect();
        doc.references = Some(References { title: crate::core::words::words(lang).references.to_string(), hanging: bib.hanging_indent, entries });
        if markers == 0 {
            doc.blocks.push(Block::References);
        }
    }
    Ok(())
}

/// The anchor of an entry, which citations link to.
pub fn ref_id(key: &str) -> String {
    format!("ref-{key}")
}

fn count_markers(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .map(|b| match b {
            Block::References => 1,
            Block::Quote(inner) | Block::Div { blocks: inner, .. } => count_markers(inner),
            Block::List(l) => l.items.iter().map(|it| count_markers(&it.blocks)).sum(),
            _ => 0,
        })
        .sum()
}

fn collect_inlines<'a>(inlines: &'a mut [Inline], out: &mut Vec<&'a mut Cite>) {
    for i in inlines {
        match i {
            Inline::Cite(c) => out.push(c),
            other => {
                if let Some(c) = other.children_mut() {
                    collect_inlines(c, out);
                }
            }
        }
    }
}

/// What hayagriva rendered, as the document's inlines.
fn inlines(children: &ElemChildren) -> Vec<Inline> {
    let mut out = Vec::new();
    for c in &children.0 {
        child(c, &mut out);
    }
    out
}

fn child(c: &ElemChild, out: &mut Vec<Inline>) {
    match c {
        ElemChild::Text(t) => push(out, formatted(&t.text, &t.formatting)),
        ElemChild::Elem(e) => {
            for c in &e.children.0 {
                child(c, out);
            }
        }
        ElemChild::Markup(m) => push(out, Inline::Text(m.clone())),
        ElemChild::Link { text, url } => out.push(Inline::Link { url: url.clone(), content: vec![formatted(&text.text, &text.formatting)] }),
        ElemChild::Transparent { .. } => {}
    }
}

fn formatted(text: &str, f: &Formatting) -> Inline {
    let mut i = Inline::Text(text.to_string());
    if f.font_style == FontStyle::Italic {
        i = Inline::Emph(vec![i]);
    }
    if f.font_weight == FontWeight::Bold {
        i = Inline::Strong(vec![i]);
    }
    if f.text_decoration == TextDecoration::Underline {
        i = Inline::Tagged(Tagged { tag: HtmlTag::U, class: None, title: None, content: vec![i] });
    }
    match f.vertical_align {
        VerticalAlign::Sup => Inline::Sup(vec![i]),
        VerticalAlign::Sub => Inline::Sub(vec![i]),
        _ => i,
    }
}

/// Adjacent text of one formatting is one run (hayagriva formats `[`, `1`
/// and `]` of a superscript citation one by one).
fn push(out: &mut Vec<Inline>, i: Inline) {
    match (out.last_mut(), i) {
        (Some(Inline::Text(last)), Inline::Text(t)) => last.push_str(&t),
        (Some(Inline::Sup(a)), Inline::Sup(b)) | (Some(Inline::Sub(a)), Inline::Sub(b)) | (Some(Inline::Emph(a)), Inline::Emph(b)) | (Some(Inline::Strong(a)), Inline::Strong(b)) => {
            for x in b {
                push(a, x);
            }
        }
        (_, i) => out.push(i),
    }
}

fn trim(mut v: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text(t)) = v.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline::Text(t)) = v.last_mut() {
        *t = t.trim_end().to_string();
    }
    v
}

#[cfg(test)]
mod locale_tests {
    #[test]
    fn only_the_chinese_and_english_locales_are_read() {
        let codes: Vec<&str> = hayagriva::archive::LOCALES.iter().filter_map(|b| super::lang_of(b)).collect();
        assert_eq!(codes.len(), hayagriva::archive::LOCALES.len(), "every archived locale names its language first");
        let got: Vec<String> = super::locales().iter().filter_map(|l| l.lang.as_ref().map(|c| c.0.clone())).collect();
        assert_eq!(got, ["en-US", "zh-CN"]);
    }
}
