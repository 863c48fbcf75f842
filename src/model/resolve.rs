//! Numbering and cross-references, resolved once for both backends.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::core::diag::Diagnostic;
use crate::markdown::Parsed;
use crate::doc::*;
use crate::core::sourcemap::SourceMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingStyle {
    /// 一、 / 1、 / 1.1
    Zh,
    /// 1 / 1.1 / 1.1.1
    Decimal,
    None,
}

/// The document's metadata from its front matter; or what is wrong with it,
/// and the key that is.
pub fn meta_from_front(front: &Map<String, Value>, fallback_title: &str) -> Result<Meta, (&'static str, String)> {
    let text = |k: &str| -> Option<String> {
        match front.get(k)? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    };
    let title = text("title").unwrap_or_else(|| fallback_title.to_string());
    let lang = match text("lang").as_deref() {
        Some(l) if l.starts_with("zh") => Lang::Zh,
        Some(l) if l.starts_with("en") => Lang::En,
        Some(l) => return Err(("lang", format!("unsupported `lang: {l}`; folio typesets `zh` and `en`"))),
        None if title.chars().any(is_cjk) => Lang::Zh,
        None => Lang::En,
    };
    let mut authors = Vec::new();
    for key in ["author", "authors"] {
        match front.get(key) {
            Some(Value::String(s)) => authors.push(s.clone()),
            Some(Value::Array(items)) => {
                for it in items {
                    match it {
                        Value::String(s) => authors.push(s.clone()),
                        Value::Object(m) => {
                            if let Some(Value::String(n)) = m.get("name") {
                                authors.push(n.clone());
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    // A date the cover cannot read would print as written, wrong or not.
    let date = text("date");
    if let Some(d) = date.as_deref().filter(|d| crate::core::dates::parse(d).is_none()) {
        return Err(("date", format!("`date: {d}` is not a date; write it like 2024-01-15 (or 2024/01/15, 2024年1月15日)")));
    }
    Ok(Meta { title, subtitle: text("subtitle"), lang, date, authors, front: front.clone() })
}

/// `back_matter: [{title, paragraphs: [..]}]`, each paragraph Markdown.
fn back_matter(meta: &Meta) -> Vec<BackSection> {
    let Some(Value::Array(sections)) = meta.front.get("back_matter") else { return vec![] };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    sections
        .iter()
        .map(|s| BackSection {
            title: s.get("title").map(text).unwrap_or_default(),
            paragraphs: match s.get("paragraphs") {
                Some(Value::Array(ps)) => ps.iter().map(|p| crate::markdown::front_text::inlines(&text(p))).collect(),
                Some(p) => vec![crate::markdown::front_text::inlines(&text(p))],
                None => vec![],
            },
        })
        .collect()
}

fn heading_style(meta: &Meta) -> Result<HeadingStyle, String> {
    match meta.front.get("heading_numbers").and_then(Value::as_str) {
        None => Ok(if meta.lang == Lang::Zh { HeadingStyle::Zh } else { HeadingStyle::Decimal }),
        Some("zh") => Ok(HeadingStyle::Zh),
        Some("decimal") => Ok(HeadingStyle::Decimal),
        Some("none") => Ok(HeadingStyle::None),
        Some(other) => Err(format!("unknown `heading_numbers: {other}`; use zh, decimal or none")),
    }
}

fn per_chapter(meta: &Meta) -> bool {
    meta.front.get("float_numbers").and_then(Value::as_str) == Some("chapter")
}

struct Target {
    text: String,
    id: String,
}

struct Resolver<'a> {
    lang: Lang,
    style: HeadingStyle,
    per_chapter: bool,
    counters: [usize; 6],
    figures: usize,
    tables: usize,
    equations: usize,
    nested_headings: usize,
    targets: HashMap<String, Target>,
    headings: Vec<HeadingEntry>,
    floats: Vec<FloatEntry>,
    footnote_names: Vec<String>,
    /// How many footnotes deep each footnote is first referenced.
    footnote_depths: Vec<usize>,
    footnote_level: usize,
    errors: Vec<Diagnostic>,
    map: &'a SourceMap,
    labels: std::collections::VecDeque<(String, usize)>,
}

/// Deepest chain of footnotes inside footnotes.
const MAX_FOOTNOTE_DEPTH: usize = 8;

pub fn resolve(parsed: Parsed, meta: Meta, map: &SourceMap) -> Result<Document, Vec<Diagnostic>> {
    let style = heading_style(&meta).map_err(|e| vec![Diagnostic::error(e)])?;
    let mut r = Resolver {
        lang: meta.lang,
        style,
        per_chapter: per_chapter(&meta),
        counters: [0; 6],
        figures: 0,
        tables: 0,
        equations: 0,
        nested_headings: 0,
        targets: HashMap::new(),
        headings: vec![],
        floats: vec![],
        footnote_names: vec![],
        footnote_depths: vec![],
        footnote_level: 0,
        errors: parsed.errors,
        map,
        labels: parsed.labels.into_iter().collect(),
    };
    let mut blocks = parsed.blocks;
    let mut footnote_defs = parsed.footnote_defs;
    if meta.lang == Lang::Zh {
        super::spacing::space(&mut blocks);
        footnote_defs.iter_mut().for_each(|(_, body)| super::spacing::space(body));
    }
    let block_lines = parsed.block_lines;
    r.number_blocks(&mut blocks, false);
    let mut refs = parsed.refs.into_iter();
    r.resolve_blocks(&mut blocks, &mut refs);
    let mut defs: HashMap<String, Vec<Block>> = footnote_defs.into_iter().collect();
    let mut footnotes = Vec::new();
    let mut i = 0;
    // Footnotes may reference further footnotes: resolve until no new ones.
    while i < r.footnote_names.len() {
        // A footnote is typeset inside the one that refers to it: a long
        // chain would nest past what the stack (ours and typst's) holds.
        r.footnote_level = r.footnote_depths[i] + 1;
        if r.footnote_level > MAX_FOOTNOTE_DEPTH {
            let name = &r.footnote_names[i];
            r.errors.push(
                Diagnostic::error(format!("footnotes refer to footnotes more than {MAX_FOOTNOTE_DEPTH} deep"))
                    .at(r.map.find(&format!("[^{name}]"), 0))
                    .hint("let a footnote refer to at most a few others; put long chains in the text"),
            );
            break;
        }
        let mut body = defs.remove(&r.footnote_names[i]).unwrap_or_default();
        // What a footnote holds is numbered like quoted text: a heading
        // there gets an id of its own but no number (it had none at all).
        r.number_blocks(&mut body, true);
        r.resolve_blocks(&mut body, &mut refs);
        footnotes.push(body);
        i += 1;
    }
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    let back_matter = back_matter(&meta);
    Ok(Document { meta, blocks, footnotes, headings: r.headings, floats: r.floats, cover_chart: None, math_svg: Default::default(), block_lines, value_sources: vec![], chart_sources: Default::default(), references: None, back_matter })
}

impl Resolver<'_> {
    fn register(&mut self, label: &str, text: String, id: String) {
        // Labels were recorded in document order; find this one's line.
        let line = match self.labels.iter().position(|(l, _)| l == label) {
            Some(i) => self.labels.remove(i).map_or(0, |(_, line)| line),
            None => 0,
        };
        if self.targets.contains_key(label) {
            self.errors.push(
                Diagnostic::error(format!("duplicate label `{label}`"))
                    .at(self.map.find(&format!("{{#{label}}}"), line))
                    .hint("every label must be unique in a report; rename one of them"),
            );
            return;
        }
        self.targets.insert(label.to_string(), Target { text, id });
    }

    fn heading_number(&mut self, level: u8) -> Option<String> {
        let l = (level as usize).clamp(1, 6) - 1;
        self.counters[l] += 1;
        for c in &mut self.counters[l + 1..] {
            *c = 0;
        }
        if l == 0 && self.per_chapter {
            self.figures = 0;
            self.tables = 0;
        }
        // A report that starts below level 1 (### before any #) numbers
        // from its first level instead of printing 0.0.1.
        let first = self.counters[..l].iter().position(|&n| n != 0).unwrap_or(l);
        let c = &self.counters;
        let path = |from: usize| c[from.max(first).min(l)..=l].iter().map(|n| n.to_string()).collect::<Vec<_>>().join(".");
        match self.style {
            HeadingStyle::None => None,
            HeadingStyle::Zh => Some(match l {
                0 => format!("{}、", zh_numeral(c[0])),
                1 => format!("{}、", c[1]),
                _ => path(1),
            }),
            HeadingStyle::Decimal => Some(path(0)),
        }
    }

    fn section_ref_text(&self, level: u8) -> String {
        let l = (level as usize).clamp(1, 6) - 1;
        let path = self.counters[..=l].iter().map(|n| n.to_string()).collect::<Vec<_>>().join(".");
        match (self.lang, l) {
            (Lang::Zh, 0) => format!("第{}节", zh_numeral(self.counters[0])),
            (Lang::Zh, _) => format!("{path} 节"),
            (Lang::En, _) => format!("Section {path}"),
        }
    }

    /// `nested`: inside a block quote or list, where a heading is part of
    /// the quoted or listed text, not a section of the report: it gets no
    /// number and no place in the contents.
    fn number_blocks(&mut self, blocks: &mut [Block], nested: bool) {
        for b in blocks {
            match b {
                Block::Heading(h) if nested => {
                    self.nested_headings += 1;
                    let label = std::mem::take(&mut h.id);
                    h.id = if label.is_empty() { format!("sec-q{}", self.nested_headings) } else { label.clone() };
                    if !label.is_empty() {
                        self.register(&label, plain_text(&h.content), h.id.clone());
                    }
                }
                Block::Heading(h) => {
                    h.number = self.heading_number(h.level);
                    let label = std::mem::take(&mut h.id);
                    h.id = if label.is_empty() { format!("sec-{}", self.headings.len() + 1) } else { label.clone() };
                    if !label.is_empty() {
                        let text = self.section_ref_text(h.level);
                        self.register(&label, text, h.id.clone());
                    }
                    self.headings.push(HeadingEntry {
                        level: h.level,
                        number: h.number.clone(),
                        id: h.id.clone(),
                        text: plain_text(&h.content),
                    });
                }
                Block::Figure(f) => self.number_figure(f),
                Block::FigureRow(fs) => fs.iter_mut().for_each(|f| self.number_figure(f)),
                Block::Math { id, number, .. } if !id.is_empty() => {
                    self.equations += 1;
                    let n = format!("({})", self.equations);
                    let text = match self.lang {
                        Lang::Zh => format!("式 {n}"),
                        Lang::En => format!("Eq. {n}"),
                    };
                    *number = Some(n);
                    let label = id.clone();
                    self.register(&label, text, label.clone());
                }
                Block::Quote(inner) => self.number_blocks(inner, true),
                // A div only styles what it holds: its headings are sections.
                Block::Div { blocks: inner, .. } => self.number_blocks(inner, nested),
                Block::List(l) => l.items.iter_mut().for_each(|it| self.number_blocks(&mut it.blocks, true)),
                _ => {}
            }
        }
    }

    fn number_figure(&mut self, f: &mut Figure) {
        let (counter, name, prefix) = match (f.kind, self.lang) {
            (FloatKind::Figure, Lang::Zh) => (&mut self.figures, "图 ", "fig"),
            (FloatKind::Figure, Lang::En) => (&mut self.figures, "Figure ", "fig"),
            (FloatKind::Table, Lang::Zh) => (&mut self.tables, "表 ", "tbl"),
            (FloatKind::Table, Lang::En) => (&mut self.tables, "Table ", "tbl"),
        };
        *counter += 1;
        let n = *counter;
        f.label = if self.per_chapter { format!("{name}{}-{n}", self.counters[0]) } else { format!("{name}{n}") };
        let label = std::mem::take(&mut f.id);
        f.id = if label.is_empty() { format!("{prefix}-{}", f.label.rsplit(' ').next().unwrap_or("")) } else { label.clone() };
        if !label.is_empty() {
            self.register(&label, f.label.clone(), f.id.clone());
        }
        self.floats.push(FloatEntry { kind: f.kind, label: f.label.clone(), id: f.id.clone(), caption: plain_text(&f.caption) });
    }

    fn resolve_blocks(&mut self, blocks: &mut [Block], refs: &mut impl Iterator<Item = (String, usize)>) {
        inline_lists_mut(blocks, &mut |inlines| self.resolve_inlines(inlines, refs));
    }

    fn resolve_inlines(&mut self, inlines: &mut [Inline], refs: &mut impl Iterator<Item = (String, usize)>) {
        for i in inlines {
            match i {
                Inline::Ref { id, .. } if id.starts_with('^') => {
                    let name = id[1..].to_string();
                    let n = match self.footnote_names.iter().position(|x| *x == name) {
                        Some(p) => p + 1,
                        None => {
                            self.footnote_names.push(name);
                            self.footnote_depths.push(self.footnote_level);
                            self.footnote_names.len()
                        }
                    };
                    *i = Inline::FootnoteRef(n);
                }
                Inline::Ref { id, text } => {
                    let line = refs.next().map_or(0, |(_, line)| line);
                    match self.targets.get(id.as_str()) {
                        Some(t) => {
                            *text = t.text.clone();
                            *id = t.id.clone();
                        }
                        None => {
                            let mut d = Diagnostic::error(format!("unknown label `{id}`"))
                                .at(self.map.find(&format!("@{id}"), line));
                            let kind = id.split(':').next().unwrap_or("");
                            let known: Vec<&String> =
                                self.targets.keys().filter(|k| k.starts_with(kind)).collect();
                            d = d.hint(format!("give the target a label with {{#{id}}} after its caption or heading"));
                            if !known.is_empty() {
                                let mut known: Vec<&str> = known.iter().map(|s| s.as_str()).collect();
                                known.sort();
                                d = d.hint(format!("known labels: {}", known.join(", ")));
                            }
                            self.errors.push(d);
                            *text = format!("??{id}");
                        }
                    }
                }
                other => {
                    if let Some(c) = other.children_mut() {
                        self.resolve_inlines(c, refs);
                    }
                }
            }
        }
    }
}
