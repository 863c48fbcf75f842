//! Markdown stage: comrak's tree becomes folio's document model (before
//! numbering). folio's own syntax is recognised here:
//!
//! - `{#fig:x}` / `{#tbl:x}` / `{#sec:x}` at the end of an image paragraph,
//!   a table caption or a heading gives it a label;
//! - a paragraph of one image is a figure (caption = the image text); two or
//!   more images in one paragraph are figures side by side;
//! - `Table: caption` / `表：caption` right before a table makes it a table float;
//! - `数据来源：…` / `资料来源：…` / `Source: …` right after a float is its source
//!   line, `注：…` / `Note: …` its note;
//! - `@fig:x`, `@tbl:x`, `@sec:x` in text are cross-references;
//! - `[@key]`, `[@key, p. 20]`, `[@a; @b]` and (with a bibliography) `@key`
//!   are citations (`cite.rs`); `<div id="refs"></div>` places the references.

use std::path::Path;

use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};
use comrak::{parse_document, Arena, Options};

use crate::core::diag::Diagnostic;
use crate::doc::*;
use crate::core::paths::resolve_inside;
use crate::core::sourcemap::SourceMap;

mod chart_blocks;
pub mod cite;
pub mod front_text;
mod inline_html;
mod raw_html;
use inline_html::{Piece, Tag};
pub use inline_html::SUBSET as HTML_SUBSET;

/// What the Markdown stage hands to numbering.
#[derive(Debug)]
pub struct Parsed {
    pub blocks: Vec<Block>,
    /// Footnote definitions by name.
    pub footnote_defs: Vec<(String, Vec<Block>)>,
    /// Cross-references in order: (label, rendered line).
    pub refs: Vec<(String, usize)>,
    /// Labels in order: (label, rendered line).
    pub labels: Vec<(String, usize)>,
    pub errors: Vec<Diagnostic>,
    /// E.g. figures without alt text.
    pub warnings: Vec<Diagnostic>,
    /// The rendered line each top-level block starts on (same order as `blocks`).
    pub block_lines: Vec<usize>,
}

pub struct Context<'a> {
    pub data: &'a crate::input::data::DataSet,
    pub project_root: &'a Path,
    pub base_dir: &'a Path,
    pub raw_html: bool,
    /// `check --comments`: each HTML comment is a warning at its place.
    pub list_comments: bool,
    pub map: &'a SourceMap,
    /// Chart drawings reused across builds of a session.
    pub drawn: Option<&'a crate::chart::DrawnCache>,
    /// The report's language, for the date ticks of charts.
    pub lang: crate::doc::Lang,
    /// Where the data sets charts read are noted (for incremental builds).
    pub reads: Option<&'a crate::input::reads::Reads>,
    /// The report's front matter: parameters of query data sets.
    pub params: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// The report has a bibliography: `@key` in running text cites.
    pub cites: bool,
    /// A core is free (fewer reports than cores): charts are drawn on it
    /// ahead of the walk, into `drawn`.
    pub spare_core: bool,
}

/// Deepest nesting of lists and quotes: typst lays out at most 64 nested
/// show rules, and each such level costs it two.
const MAX_BLOCK_DEPTH: usize = 30;
/// Longest paragraph, in characters: typst's line breaking takes about
/// three seconds at this length and grows with its square.
const MAX_PARAGRAPH_CHARS: usize = 100_000;
/// Deepest nesting of inline formatting.
const MAX_INLINE_DEPTH: usize = 100;
const SOURCE_PREFIXES: [&str; 6] = ["数据来源：", "资料来源：", "来源：", "Source:", "Sources:", "Data source:"];
const NOTE_PREFIXES: [&str; 3] = ["注：", "Note:", "Notes:"];
const TABLE_PREFIXES: [&str; 3] = ["Table:", "表：", "表:"];

pub fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.superscript = false;
    o.extension.math_dollars = true;
    o.parse.escaped_char_spans = true;
    o
}

pub fn parse(markdown: &str, cx: &Context<'_>) -> Parsed {
    let arena = Arena::new();
    let root = parse_document(&arena, markdown, &options());
    let ahead = chart_blocks::DrawnAhead::default();
    let mut conv =
        Converter { cx, ahead: &ahead, refs: vec![], labels: vec![], errors: vec![], warnings: vec![], footnote_defs: vec![], block_lines: vec![] };
    // Two charts or more are drawn on a free core too (they are most of
    // this stage's time), into the cache the walk then finds them in; a
    // family's members keep both cores busy without.
    let charts = cx.drawn.filter(|_| cx.spare_core).map(|cache| (chart_blocks::blocks(root), cache)).filter(|(b, _)| b.len() > 1);
    let empty = serde_json::Map::new();
    let blocks = std::thread::scope(|s| {
        if let Some((charts, cache)) = &charts {
            s.spawn(|| chart_blocks::draw_ahead(charts, cx.data, cx.params.unwrap_or(&empty), cx.lang, cache, &ahead));
        }
        conv.blocks(root, 0)
    });
    Parsed {
        blocks,
        footnote_defs: conv.footnote_defs,
        refs: conv.refs,
        labels: conv.labels,
        errors: conv.errors,
        warnings: conv.warnings,
        block_lines: conv.block_lines,
    }
}

struct Converter<'c> {
    cx: &'c Context<'c>,
    /// Chart blocks drawn on the other core (see `chart_blocks::draw_ahead`).
    ahead: &'c chart_blocks::DrawnAhead,
    refs: Vec<(String, usize)>,
    labels: Vec<(String, usize)>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    footnote_defs: Vec<(String, Vec<Block>)>,
    block_lines: Vec<usize>,
}

fn line_of<'a>(node: &'a AstNode<'a>) -> usize {
    node.data().sourcepos.start.line
}

impl<'c> Converter<'c> {
    fn blocks<'a>(&mut self, parent: &'a AstNode<'a>, depth: usize) -> Vec<Block> {
        if depth > MAX_BLOCK_DEPTH {
            let line = line_of(parent);
            self.errors.push(
                Diagnostic::error(format!("content is nested more than {MAX_BLOCK_DEPTH} levels deep"))
                    .at(self.cx.map.rendered_line(line))
                    .hint("flatten the nested lists or block quotes"),
            );
            return vec![];
        }
        let mut out: Vec<Block> = Vec::new();
        let mut pending_table_caption: Option<(Vec<Inline>, Option<String>)> = None;
        let mut prev_line = 1;
        // `<div …>` blocks not yet closed: (class, where its content starts in `out`, line).
        let mut divs: Vec<(Option<String>, usize, usize)> = Vec::new();
        for node in parent.children() {
            if depth == 0 {
                self.block_lines.resize(out.len(), prev_line);
                prev_line = line_of(node);
            }
            let value = node.data().value.clone();
            let caption = pending_table_caption.take();
            match value {
                NodeValue::Paragraph => {
                    // Source and note lines may share a paragraph: take them line by line.
                    if matches!(out.last(), Some(Block::Figure(_) | Block::FigureRow(_))) {
                        let lines: Vec<Vec<Inline>> =
                            split_lines(node).into_iter().map(|l| self.inline_nodes(l, depth)).collect();
                        if lines.iter().all(|l| float_line_kind(l).is_some()) {
                            for l in &lines {
                                attach_to_previous_float(&mut out, l);
                            }
                            continue;
                        }
                    }
                    let inlines = self.inlines(node, depth);
                    if let Some(cap) = strip_prefix_inlines(&inlines, &TABLE_PREFIXES) {
                        if node.next_sibling().is_some_and(|n| matches!(n.data().value, NodeValue::Table(_))) {
                            let (cap, label) = self.take_label(node, cap, line_of(node));
                            pending_table_caption = Some((cap, label));
                            continue;
                        }
                    }
                    let chars = plain_text(&inlines).chars().count();
                    if chars > MAX_PARAGRAPH_CHARS {
                        self.errors.push(
                            Diagnostic::error(format!("this paragraph holds {chars} characters, more than the {MAX_PARAGRAPH_CHARS} folio sets in one"))
                                .at(self.cx.map.rendered_line(line_of(node)))
                                .hint("split it with blank lines: line breaking costs grow with the square of a paragraph's length"),
                        );
                        continue;
                    }
                    out.push(self.paragraph(node, inlines, line_of(node)));
                }
                NodeValue::Heading(h) => {
                    let inlines = self.inlines(node, depth);
                    let (content, label) = self.take_label(node, inlines, line_of(node));
                    out.push(Block::Heading(Heading {
                        level: h.level,
                        number: None,
                        id: label.unwrap_or_default(),
                        content,
                    }));
                }
                NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => {
                    out.push(Block::Quote(self.blocks(node, depth + 1)))
                }
                NodeValue::List(l) => {
                    let items = node
                        .children()
                        .map(|item| {
                            let checked = match &item.data().value {
                                NodeValue::TaskItem(t) => Some(t.symbol.is_some()),
                                _ => None,
                            };
                            ListItem { checked, blocks: self.blocks(item, depth + 1) }
                        })
                        .collect();
                    out.push(Block::List(List {
                        ordered: l.list_type == ListType::Ordered,
                        start: l.start,
                        tight: l.tight,
                        items,
                    }));
                }
                NodeValue::CodeBlock(cb) if matches!(cb.info.trim(), "chart" | "charts") => {
                    let mut figures = self.charts(&strip_marks(&cb.literal), cb.info.trim() == "charts", line_of(node));
                    match figures.len() {
                        0 => {}
                        1 => out.push(Block::Figure(figures.remove(0))),
                        _ => out.push(Block::FigureRow(figures)),
                    }
                }
                NodeValue::CodeBlock(cb) => {
                    let lang = cb.info.split_whitespace().next().map(str::to_string).filter(|s| !s.is_empty());
                    out.push(Block::Code { lang, text: strip_marks(&cb.literal) });
                }
                NodeValue::HtmlBlock(h) => self.html_block(&strip_marks(&h.literal), line_of(node), &mut out, &mut divs),
                NodeValue::ThematicBreak => out.push(Block::Rule),
                NodeValue::Table(t) => {
                    let table = self.table(node, &t.alignments, depth);
                    match caption {
                        Some((cap, label)) => out.push(Block::Figure(Figure {
                            kind: FloatKind::Table,
                            label: String::new(),
                            id: label.unwrap_or_default(),
                            caption: cap,
                            source: None,
                            note: None,
                            body: FigureBody::Table(table),
                        })),
                        None => out.push(Block::Table(table)),
                    }
                }
                NodeValue::FootnoteDefinition(def) => {
                    let blocks = self.blocks(node, depth + 1);
                    self.footnote_defs.push((def.name.clone(), blocks));
                }
                NodeValue::Math(m) => out.push(Block::Math { tex: strip_marks(&m.literal), id: String::new(), number: None }),
                NodeValue::Item(_) | NodeValue::TaskItem(_) => out.extend(self.blocks(node, depth + 1)),
                _ => {
                    // Other block kinds (none enabled today) fall back to their text.
                    let inlines = self.inlines(node, depth);
                    if !inlines.is_empty() {
                        out.push(Block::Paragraph(inlines));
                    }
                }
            }
        }
        for (_, _, line) in divs {
            self.warnings.push(
                Diagnostic::warning("this `<div>` is never closed")
                    .at(self.cx.map.find("<div", line))
                    .hint("end it with `</div>` on a line of its own, after a blank line"),
            );
        }
        if depth == 0 {
            self.block_lines.resize(out.len(), prev_line);
        }
        out
    }

    /// An HTML block: comments go (an author's notes reach neither output),
    /// a `<div>` line opens or closes a division around the blocks between,
    /// anything else is the project's raw HTML or shown as text with a warning.
    fn html_block(&mut self, literal: &str, line: usize, out: &mut Vec<Block>, divs: &mut Vec<(Option<String>, usize, usize)>) {
        self.note_comments(literal, line);
        let Some(html) = inline_html::without_comments(literal) else { return };
        if is_refs_marker(&html) {
            return out.push(Block::References);
        }
        match inline_html::classify(&html) {
            Piece::Open { tag: Tag::Div, class, .. } => return divs.push((class, out.len(), line)),
            Piece::Close(Tag::Div) => {
                if let Some((class, start, _)) = divs.pop() {
                    let blocks = out.split_off(start);
                    out.push(Block::Div { class, blocks });
                    return;
                }
                if !self.cx.raw_html {
                    self.warnings.push(
                        Diagnostic::warning("this `</div>` closes no `<div>`")
                            .at(self.cx.map.find("</div", line))
                            .hint("remove it, or open the division with `<div>` on a line of its own"),
                    );
                }
            }
            _ => {}
        }
        if self.cx.raw_html {
            let clean = raw_html::block(&html);
            if !clean.trim().is_empty() {
                out.push(Block::RawHtml(clean));
            }
            return;
        }
        let text = html.trim_matches('\n').trim_end().to_string();
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        self.warnings.push(
            Diagnostic::warning("this HTML is shown as text")
                .at(self.cx.map.find(first, line))
                .hint(format!(
                    "folio sets {HTML_SUBSET}; put a blank line after `<div …>` and before `</div>`, write `&lt;` for a literal `<`, or set raw_html = true in folio.toml to pass sanitised HTML to the web page"
                )),
        );
        out.push(Block::Paragraph(vec![Inline::Text(text)]));
    }

    /// With `check --comments`, each comment of a piece of HTML seen on
    /// rendered `line` is a warning at its place.
    fn note_comments(&mut self, html: &str, line: usize) {
        if !self.cx.list_comments {
            return;
        }
        for comment in inline_html::comments(html) {
            let first = comment.lines().next().unwrap_or(comment);
            let shown: String = comment.split_whitespace().collect::<Vec<_>>().join(" ");
            let shown = match shown.char_indices().nth(80) {
                Some((at, _)) => format!("{}…", &shown[..at]),
                None => shown,
            };
            self.warnings.push(
                Diagnostic::warning(format!("HTML comment: {shown}"))
                    .at(self.cx.map.find(first, line))
                    .hint("comments reach neither output; remove it before the report is sent if it should not travel with the source"),
            );
        }
    }

    fn paragraph<'a>(&mut self, node: &'a AstNode<'a>, inlines: Vec<Inline>, line: usize) -> Block {
        // `$$ … $$ {#eq:x}` alone in a paragraph is a (labelled) equation.
        if let [Inline::Math { display: true, tex }, rest @ ..] = inlines.as_slice() {
            let label = match rest {
                [] => Some(None),
                [Inline::Text(t)] => match leading_label(t.trim_start()) {
                    Some((l, after)) if after.trim().is_empty() && authored(node, &l) => Some(Some(l)),
                    _ if t.trim().is_empty() => Some(None),
                    _ => None,
                },
                _ => None,
            };
            if let Some(label) = label {
                if let Some(l) = &label {
                    self.labels.push((l.clone(), line));
                }
                return Block::Math { tex: tex.clone(), id: label.unwrap_or_default(), number: None };
            }
        }
        // Images alone in a paragraph (with optional labels) become figures.
        let mut figures = Vec::new();
        let mut rest_is_blank = true;
        let mut i = 0;
        while i < inlines.len() {
            match &inlines[i] {
                Inline::Image(img) => {
                    let mut label = None;
                    if let Some(Inline::Text(t)) = inlines.get(i + 1) {
                        if let Some((l, after)) = leading_label(t).filter(|(l, _)| authored(node, l)) {
                            label = Some(l);
                            if !after.trim().is_empty() {
                                rest_is_blank = false;
                            }
                            i += 1;
                        }
                    }
                    if let Some(l) = &label {
                        self.labels.push((l.clone(), line));
                    }
                    figures.push(Figure {
                        kind: FloatKind::Figure,
                        label: String::new(),
                        id: label.unwrap_or_default(),
                        caption: vec![Inline::Text(img.alt.clone())],
                        source: None,
                        note: None,
                        body: FigureBody::Image(img.clone()),
                    });
                }
                Inline::Text(t) if t.trim().is_empty() => {}
                Inline::LineBreak => {}
                _ => rest_is_blank = false,
            }
            i += 1;
        }
        if rest_is_blank && !figures.is_empty() {
            return if figures.len() == 1 { Block::Figure(figures.remove(0)) } else { Block::FigureRow(figures) };
        }
        Block::Paragraph(inlines)
    }

    /// A ```chart block (one YAML spec) or ```charts block (a YAML list of
    /// specs, drawn side by side) becomes numbered figures.
    fn charts(&mut self, literal: &str, many: bool, line: usize) -> Vec<Figure> {
        let first = literal.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        // A block drawn ahead comes read and drawn, as this walk would have.
        if let Some(drawn) = self.ahead.take(literal, many) {
            return self.chart_figures(drawn.into_iter().map(|(spec, chart)| (spec, Ok(chart))).collect(), line, first);
        }
        if let Some(d) = chart_blocks::over_bounds(literal, self.cx.data) {
            self.errors.push(d.at(self.block_start(first, line)));
            return vec![];
        }
        let specs: Vec<crate::chart::ChartSpec> = chart_blocks::specs(literal, many).unwrap_or_else(|(msg, index)| {
            // Point into the block when its text stands unchanged in a source.
            let loc = match (self.cx.map.locate(literal, line + 1), index) {
                (Some(block), Some(i)) => crate::core::diag::Location::new(block.path, block.text, block.range.start + i..block.range.start + i + 1),
                _ => self.block_start(first, line),
            };
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            let mut d = Diagnostic::error(format!("invalid chart spec: {msg}")).at(loc);
            // A block made by a template is not in the writer's file as such:
            // show the rendered line YAML rejected.
            if let Some(i) = index.filter(|_| self.cx.map.locate(literal, line + 1).is_none()) {
                let i = i.min(literal.len());
                let n = literal[..i].matches('\n').count();
                let rejected = literal.lines().nth(n).unwrap_or("");
                d = d.hint(format!("YAML rejected line {} of the rendered block: {rejected}", n + 1));
            }
            self.errors.push(d.hint(
                "a chart block holds YAML: kind (line, bar, area, pie, donut, scatter, timeline), data, x, y, caption, …",
            ));
            vec![]
        });
        let side_by_side = specs.len() > 1;
        let empty = serde_json::Map::new();
        let drawn = specs
            .into_iter()
            .map(|mut spec| {
                chart_blocks::sized(&mut spec, self.cx.lang, side_by_side);
                let drawn = crate::chart::rows_for_report(&spec, self.cx.data, self.cx.params.unwrap_or(&empty)).and_then(|rows| match self.cx.drawn {
                    Some(cache) => crate::chart::render_cached(&spec, &rows, cache),
                    None => crate::chart::render(&spec, &rows),
                });
                (spec, drawn)
            })
            .collect();
        self.chart_figures(drawn, line, first)
    }

    /// Where a chart block starts in the writer's file: its first line
    /// (`first`), after the fence on `line`.
    fn block_start(&self, first: &str, line: usize) -> crate::core::diag::Location {
        self.cx.map.find(first.trim(), line + 1)
    }

    /// A chart block's figures: each spec with its drawing, or the error
    /// that kept it from being drawn (`first`: the block's first line).
    fn chart_figures(&mut self, drawn: Vec<(crate::chart::ChartSpec, Result<crate::chart::Chart, Diagnostic>)>, line: usize, first: &str) -> Vec<Figure> {
        let mut figures = Vec::new();
        let side_by_side = drawn.len() > 1;
        for (spec, drawn) in drawn {
            if let (Some(reads), Some(stem)) = (self.cx.reads, &spec.data) {
                reads.stem(stem);
            }
            // Where this chart is written: its caption line in a `charts`
            // list (so the second chart's messages do not point at the
            // first), else the block's first line.
            let here = match side_by_side.then(|| self.cx.map.locate(&spec.caption, line + 1)).flatten() {
                Some(l) => l,
                None => self.block_start(first, line),
            };
            let chart = match drawn {
                Ok(c) => {
                    if spec.alt.is_none() {
                        self.warnings.push(
                            Diagnostic::warning(format!("chart \"{}\" has no alt text", spec.caption))
                                .at(here)
                                .hint("add `alt:` describing what the chart shows, for readers who cannot see it"),
                        );
                    }
                    c
                }
                Err(mut d) => {
                    if d.location.is_none() {
                        // An unknown column: point at the key that names it.
                        let key = match d.kind.as_deref() {
                            Some(crate::core::diag::Kind::UnknownColumn(col)) => self.column_key(col, line),
                            _ => None,
                        };
                        d = d.at(key.unwrap_or(here));
                    } else {
                        d = d.hint(format!("in the chart \"{}\" at {}", spec.caption, here.describe()));
                    }
                    self.errors.push(d);
                    // An empty stand-in keeps the chart's label defined, so that
                    // references to it raise no second, misleading error (the
                    // error above keeps the build from writing it).
                    crate::chart::Chart::default()
                }
            };
            if let Some(l) = &spec.label {
                self.labels.push((l.clone(), line));
            }
            // A chart's source and note may cite (`数据来源：[@nbs2024]`) and refer.
            let mut inline = |s: &Option<String>| {
                s.as_ref().map(|t| {
                    let mut out = Vec::new();
                    self.text_with_refs(t, line, &mut out);
                    out
                })
            };
            let (source, note) = (inline(&spec.source), inline(&spec.note));
            figures.push(Figure {
                kind: FloatKind::Figure,
                label: String::new(),
                id: spec.label.clone().unwrap_or_default(),
                caption: vec![Inline::Text(spec.caption.clone())],
                source,
                note,
                body: FigureBody::Chart(chart),
            });
        }
        figures
    }

    /// The place in a chart block where a key (`x:`, `y:`, `text:`) names
    /// `col`, for a message about that column.
    fn column_key(&self, col: &str, line: usize) -> Option<crate::core::diag::Location> {
        ["y: ", "x: ", "text: ", "- "].iter().find_map(|key| {
            let mut loc = self.cx.map.locate(&format!("{key}{col}"), line + 1)?;
            let after = &loc.text[loc.range.end..];
            // The whole name, not the start of a longer one.
            if after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                return None;
            }
            loc.range.start += key.len();
            Some(loc)
        })
    }

    /// Strip a trailing `{#label}` from inlines.
    fn take_label<'a>(&mut self, node: &'a AstNode<'a>, mut inlines: Vec<Inline>, line: usize) -> (Vec<Inline>, Option<String>) {
        if let Some(Inline::Text(t)) = inlines.last_mut() {
            if let Some((before, label)) = trailing_label(t).filter(|(_, l)| authored(node, l)) {
                *t = before.trim_end().to_string();
                if t.is_empty() {
                    inlines.pop();
                }
                self.labels.push((label.clone(), line));
                return (inlines, Some(label));
            }
        }
        (inlines, None)
    }

    fn table<'a>(&mut self, node: &'a AstNode<'a>, aligns: &[TableAlignment], depth: usize) -> Table {
        let mut header = Vec::new();
        let mut rows = Vec::new();
        for row in node.children() {
            let is_header = matches!(row.data().value, NodeValue::TableRow(true));
            let cells: Vec<Vec<Inline>> = row.children().map(|c| self.inlines(c, depth)).collect();
            // A very long cell (no place to break a line) takes typst
            // minutes to lay out: refuse it with its place.
            let limit = self.cx.data.limits().cell_chars;
            if let Some(long) = cells.iter().find(|c| plain_text(c).chars().count() > limit) {
                let n = plain_text(long).chars().count();
                self.errors.push(
                    Diagnostic::error(format!("a table cell holds {n} characters, over the limit of {limit}"))
                        .at(self.cx.map.rendered_line(line_of(row)))
                        .hint("move long text out of the table, or raise the limit in folio.toml: [limits] cell_chars = …"),
                );
                return Table { align: vec![], header: vec![], rows: vec![] };
            }
            if is_header {
                header = cells;
            } else {
                rows.push(cells);
            }
        }
        let align = aligns
            .iter()
            .map(|a| match a {
                TableAlignment::Left => Align::Left,
                TableAlignment::Center => Align::Center,
                TableAlignment::Right => Align::Right,
                TableAlignment::None => Align::None,
            })
            .collect();
        Table { align, header, rows }
    }

    fn inlines<'a>(&mut self, parent: &'a AstNode<'a>, depth: usize) -> Vec<Inline> {
        self.inline_nodes(parent.children().collect(), depth)
    }

    fn inline_nodes<'a>(&mut self, nodes: Vec<&'a AstNode<'a>>, depth: usize) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        if depth > MAX_INLINE_DEPTH {
            if let Some(first) = nodes.first() {
                self.errors.push(
                    Diagnostic::error(format!("inline formatting is nested more than {MAX_INLINE_DEPTH} levels deep"))
                        .at(self.cx.map.rendered_line(line_of(first)))
                        .hint("simplify the nested emphasis, links or strikethrough"),
                );
            }
            return out;
        }
        // `<x>…</x>` is one mistake: said once per paragraph.
        let mut said: Vec<String> = Vec::new();
        let mut i = 0;
        while i < nodes.len() {
            let node = nodes[i];
            i += 1;
            let line = line_of(node);
            let value = node.data().value.clone();
            match value {
                NodeValue::Text(t) => {
                    // `**模型。** 阿里`: the space after a bold or italic lead-in
                    // that ends in full-width punctuation. Text itself (and a
                    // data value in it) prints as written.
                    let after_lead = matches!(out.last(), Some(Inline::Strong(_) | Inline::Emph(_))) && last_char(&out).is_some_and(crate::core::text::is_fullwidth_close);
                    let mut run = std::borrow::Cow::Borrowed(if after_lead { t.trim_start_matches(' ') } else { &t[..] });
                    // comrak splits `[@a, p. 3]` at its brackets: a citation is
                    // looked for in the whole run of text.
                    while let Some(n) = nodes.get(i) {
                        let NodeValue::Text(more) = &n.data().value else { break };
                        run.to_mut().push_str(more);
                        i += 1;
                    }
                    self.text_with_refs(&run, line, &mut out)
                }
                NodeValue::Escaped => push_text(&mut out, &plain_children(node)),
                NodeValue::SoftBreak => {
                    // Between two CJK characters a line break is no space.
                    let prev = last_char(&out);
                    let next = node.next_sibling().and_then(|n| first_char_of(n));
                    let join = matches!((prev, next), (Some(a), Some(b)) if is_cjk(a) && is_cjk(b));
                    if !join {
                        push_text(&mut out, " ");
                    }
                }
                NodeValue::LineBreak => out.push(Inline::LineBreak),
                NodeValue::Code(c) => out.push(Inline::Code(strip_marks(&c.literal))),
                NodeValue::HtmlInline(h) => {
                    let why = match inline_html::classify(&h) {
                        Piece::Comment => {
                            self.note_comments(&h, line);
                            continue;
                        }
                        Piece::Break => {
                            out.push(Inline::LineBreak);
                            continue;
                        }
                        Piece::Open { tag: Tag::Div, .. } | Piece::Close(Tag::Div) => {
                            "a `<div>` stands on a line of its own, with blank lines around what it holds".to_string()
                        }
                        Piece::Open { tag, class, title } => match closing(&nodes[i..], tag) {
                            Some(len) => {
                                let content = self.inline_nodes(nodes[i..i + len].to_vec(), depth + 1);
                                i += len + 1;
                                out.push(match tag {
                                    Tag::Sup => Inline::Sup(content),
                                    Tag::Sub => Inline::Sub(content),
                                    Tag::Inline(tag) => Inline::Tagged(Tagged { tag, class, title, content }),
                                    Tag::Div => unreachable!("a div is matched above"),
                                });
                                continue;
                            }
                            None => format!("`<{}>` is not closed in the same paragraph", tag.name()),
                        },
                        Piece::Close(tag) => format!("`</{}>` closes nothing opened before it", tag.name()),
                        Piece::Other(why) => why,
                    };
                    if self.cx.raw_html {
                        i = self.raw_inline(&nodes, i, &h, depth, &mut out);
                        continue;
                    } else {
                        if !said.contains(&why) {
                            self.warnings.push(
                                Diagnostic::warning(format!("this HTML is shown as text: {why}"))
                                    .at(self.cx.map.find(&h, line))
                                    .hint(format!("folio sets {HTML_SUBSET}; write `&lt;` for a literal `<`")),
                            );
                            said.push(why);
                        }
                        push_text(&mut out, &h);
                    }
                }
                NodeValue::Emph => out.push(Inline::Emph(self.inlines(node, depth + 1))),
                NodeValue::Strong => out.push(Inline::Strong(self.inlines(node, depth + 1))),
                NodeValue::Strikethrough => out.push(Inline::Strike(self.inlines(node, depth + 1))),
                NodeValue::Superscript => out.push(Inline::Sup(self.inlines(node, depth + 1))),
                NodeValue::Subscript => out.push(Inline::Sub(self.inlines(node, depth + 1))),
                NodeValue::Link(l) => {
                    out.push(Inline::Link { url: strip_marks(&l.url), content: self.inlines(node, depth + 1) })
                }
                NodeValue::Image(l) => {
                    let alt = plain_text(&self.inlines(node, depth + 1));
                    out.push(self.image(&l.url, alt, line));
                }
                NodeValue::FootnoteReference(r) => {
                    // Resolved to a number later; keep the name for now.
                    out.push(Inline::Ref { id: format!("^{}", r.name), text: String::new() });
                }
                NodeValue::Math(m) => {
                    out.push(Inline::Math { display: m.display_math, tex: strip_marks(&m.literal) })
                }
                _ => out.extend(self.inlines(node, depth + 1)),
            }
        }
        group_values(out)
    }

    /// The project's own inline HTML (`raw_html = true`) at `nodes[i - 1]`,
    /// cleaned; an element written in pieces is cleaned with its closing
    /// tag and keeps its Markdown content. Returns where to go on.
    fn raw_inline<'a>(&mut self, nodes: &[&'a AstNode<'a>], i: usize, html: &str, depth: usize, out: &mut Vec<Inline>) -> usize {
        let close = match raw_html::tag_name(html) {
            Some((name, false)) => closing_named(&nodes[i..], &name).map(|len| (len, name)),
            _ => None,
        };
        let Some((len, _)) = close else {
            let clean = raw_html::piece(html);
            if !clean.is_empty() {
                out.push(Inline::RawHtml(clean));
            }
            return i;
        };
        let NodeValue::HtmlInline(end) = &nodes[i + len].data().value else { unreachable!("closing_named finds HTML") };
        if let Some((open, shut)) = raw_html::pair(html, end) {
            let content = self.inline_nodes(nodes[i..i + len].to_vec(), depth + 1);
            if !open.is_empty() {
                out.push(Inline::RawHtml(open));
            }
            out.extend(content);
            if !shut.is_empty() {
                out.push(Inline::RawHtml(shut));
            }
        }
        i + len + 1
    }

    fn image(&mut self, url: &str, alt: String, line: usize) -> Inline {
        if url.contains("://") || url.starts_with("data:") {
            return Inline::RemoteImage { url: url.to_string(), alt };
        }
        let decoded = crate::core::paths::percent_decode(url);
        match resolve_inside(self.cx.project_root, self.cx.base_dir, &decoded) {
            Ok(path) if path.is_file() => {
                if alt.trim().is_empty() {
                    self.warnings.push(
                        Diagnostic::warning(format!("image `{url}` has no alt text"))
                            .at(self.cx.map.find(url, line))
                            .hint("describe the image in the brackets: ![what it shows](path)"),
                    );
                }
                let rel = path.strip_prefix(self.cx.project_root).unwrap_or(&path);
                Inline::Image(Image { path: rel.to_string_lossy().replace('\\', "/"), alt })
            }
            Ok(_) => {
                self.errors.push(
                    Diagnostic::error(format!("image `{url}` not found"))
                        .at(self.cx.map.find(url, line))
                        .hint("image paths are relative to the Markdown file; check the name and folder"),
                );
                Inline::Text(alt)
            }
            Err(e) => {
                self.errors.push(Diagnostic::error(format!("image refused: {e}")).at(self.cx.map.find(url, line)));
                Inline::Text(alt)
            }
        }
    }

    /// Split `@fig:x`-style references and citations out of a text run.
    fn text_with_refs(&mut self, t: &str, line: usize, out: &mut Vec<Inline>) {
        let mut rest = t;
        loop {
            let at_ref = find_ref(rest);
            let found = cite::find(rest, self.cx.cites).filter(|c| at_ref.is_none_or(|r| c.range.start < r));
            if let Some(c) = found {
                push_text(out, &rest[..c.range.start]);
                if !self.cx.cites {
                    let key = &c.items[0].key;
                    self.errors.push(
                        Diagnostic::error(format!("`@{key}` cites, but this report has no bibliography"))
                            .at(self.cx.map.find(&format!("@{key}"), line))
                            .hint("name the file with `bibliography: refs.bib` in the front matter (or in folio.toml), or write `\\@` for a literal @"),
                    );
                    push_text(out, &rest[c.range.clone()]);
                } else {
                    out.push(Inline::Cite(Cite { items: c.items, prose: c.prose, line, content: vec![] }));
                }
                rest = &rest[c.range.end..];
                continue;
            }
            let Some(at) = at_ref else { break };
            let (before, after) = rest.split_at(at);
            push_text(out, before);
            let len = ref_len(&after[1..]);
            let label = &after[1..1 + len];
            self.refs.push((label.to_string(), line));
            out.push(Inline::Ref { id: label.to_string(), text: String::new() });
            rest = &after[1 + len..];
        }
        push_text(out, rest);
    }
}

/// How many of `nodes` lie before the tag closing `tag` (same nesting level).
fn closing<'a>(nodes: &[&'a AstNode<'a>], tag: Tag) -> Option<usize> {
    let mut open = 0usize;
    for (k, n) in nodes.iter().enumerate() {
        if let NodeValue::HtmlInline(h) = &n.data().value {
            match inline_html::classify(h) {
                Piece::Open { tag: t, .. } if t == tag => open += 1,
                Piece::Close(t) if t == tag => {
                    if open == 0 {
                        return Some(k);
                    }
                    open -= 1;
                }
                _ => {}
            }
        }
    }
    None
}

/// Where, among the nodes after an opening tag, the tag `name` closes.
fn closing_named<'a>(nodes: &[&'a AstNode<'a>], name: &str) -> Option<usize> {
    let mut open = 0usize;
    for (k, n) in nodes.iter().enumerate() {
        if let NodeValue::HtmlInline(h) = &n.data().value {
            match raw_html::tag_name(h) {
                Some((t, false)) if t == name => open += 1,
                Some((t, true)) if t == name => {
                    if open == 0 {
                        return Some(k);
                    }
                    open -= 1;
                }
                _ => {}
            }
        }
    }
    None
}

/// Labels come only from the author's Markdown: `{#label}` must stand
/// unescaped in one text node. A printed data value is escaped
/// (`\{\#sec:x\}`), so its braces arrive as escaped characters instead.
fn authored<'a>(node: &'a AstNode<'a>, label: &str) -> bool {
    let written = format!("{{#{label}}}");
    let mut text = String::new();
    for d in node.descendants() {
        let escaped = d.parent().is_some_and(|p| matches!(p.data().value, NodeValue::Escaped));
        match &d.data().value {
            NodeValue::Text(t) if !escaped => text.push_str(t),
            _ => text.push('\0'),
        }
    }
    text.contains(&written)
}

/// A source or note line right after a figure or table attaches to it;
/// returns whether the paragraph was consumed.
fn attach_to_previous_float(out: &mut [Block], inlines: &[Inline]) -> bool {
    let figures: Vec<&mut Figure> = match out.last_mut() {
        Some(Block::Figure(f)) => vec![f],
        Some(Block::FigureRow(fs)) => fs.iter_mut().collect(),
        _ => return false,
    };
    let Some(is_source) = float_line_kind(inlines) else { return false };
    for f in figures {
        let slot = if is_source { &mut f.source } else { &mut f.note };
        if slot.is_none() {
            // The writer's own prefix (数据来源： / 资料来源： / Source:) is kept.
            *slot = Some(inlines.to_vec());
        }
    }
    true
}

/// `Some(true)` for a source line, `Some(false)` for a note line.
fn float_line_kind(inlines: &[Inline]) -> Option<bool> {
    if strip_prefix_inlines(inlines, &SOURCE_PREFIXES).is_some() {
        Some(true)
    } else if strip_prefix_inlines(inlines, &NOTE_PREFIXES).is_some() {
        Some(false)
    } else {
        None
    }
}

/// A paragraph's inline nodes split at its line breaks.
fn split_lines<'a>(para: &'a AstNode<'a>) -> Vec<Vec<&'a AstNode<'a>>> {
    let mut lines = vec![vec![]];
    for n in para.children() {
        if matches!(n.data().value, NodeValue::SoftBreak | NodeValue::LineBreak) {
            lines.push(vec![]);
        } else {
            lines.last_mut().expect("never empty").push(n);
        }
    }
    lines.retain(|l| !l.is_empty());
    lines
}

/// Text without value marks (`core::value_marks`): a value printed in code,
/// a formula or a link target is no element of its own.
fn strip_marks(s: &str) -> String {
    crate::core::value_marks::strip(s).into_owned()
}

/// Text runs holding value marks, as `Inline::Value`s around their text.
/// Marks that open and close at different depths make no element.
fn group_values(items: Vec<Inline>) -> Vec<Inline> {
    use crate::core::value_marks::{has_marks, pieces, Piece};
    if !items.iter().any(|i| matches!(i, Inline::Text(t) if has_marks(t))) {
        return items;
    }
    let mut stack: Vec<(usize, Vec<Inline>)> = Vec::new();
    let mut out: Vec<Inline> = Vec::new();
    // Where the next inline goes: the innermost open value, or the run.
    fn top<'a>(stack: &'a mut [(usize, Vec<Inline>)], out: &'a mut Vec<Inline>) -> &'a mut Vec<Inline> {
        match stack.last_mut() {
            Some((_, content)) => content,
            None => out,
        }
    }
    for item in items {
        match item {
            Inline::Text(t) if has_marks(&t) => {
                for p in pieces(&t) {
                    match p {
                        Piece::Text(s) => push_text(top(&mut stack, &mut out), s),
                        Piece::Open(index) => stack.push((index, Vec::new())),
                        Piece::End => {
                            if let Some((index, content)) = stack.pop() {
                                top(&mut stack, &mut out).push(Inline::Value { index, content });
                            }
                        }
                    }
                }
            }
            other => top(&mut stack, &mut out).push(other),
        }
    }
    // Never closed here: the text stays, without an element.
    while let Some((_, content)) = stack.pop() {
        for i in content {
            match i {
                Inline::Text(t) => push_text(top(&mut stack, &mut out), &t),
                i => top(&mut stack, &mut out).push(i),
            }
        }
    }
    out
}

fn push_text(out: &mut Vec<Inline>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Inline::Text(t)) = out.last_mut() {
        t.push_str(s);
    } else {
        out.push(Inline::Text(s.to_string()));
    }
}

fn plain_children<'a>(node: &'a AstNode<'a>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        if let NodeValue::Text(t) = &d.data().value {
            s.push_str(t);
        }
    }
    s
}

fn last_char(out: &[Inline]) -> Option<char> {
    match out.last()? {
        Inline::Text(t) => t.chars().last(),
        other => plain_text(std::slice::from_ref(other)).chars().last(),
    }
}

fn first_char_of<'a>(node: &'a AstNode<'a>) -> Option<char> {
    for d in node.descendants() {
        if let NodeValue::Text(t) = &d.data().value {
            if let Some(c) = t.chars().next() {
                return Some(c);
            }
        }
    }
    None
}

/// `<div id="refs"></div>` (Pandoc's), where the references go.
fn is_refs_marker(html: &str) -> bool {
    let squeezed: String = html.split_whitespace().collect::<Vec<_>>().join(" ").replace('\'', "\"");
    matches!(squeezed.as_str(), "<div id=\"refs\"></div>" | "<div id=\"refs\"/>" | "<div id=\"refs\"> </div>")
}

const REF_KINDS: [&str; 4] = ["fig:", "tbl:", "sec:", "eq:"];

fn is_label_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.')
}

/// Byte index of the next `@kind:label` that is not part of a word or e-mail.
fn find_ref(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find('@') {
        let at = from + i;
        let before_ok = s[..at].chars().last().is_none_or(|c| !c.is_ascii_alphanumeric());
        let after = &s[at + 1..];
        if before_ok && REF_KINDS.iter().any(|k| after.starts_with(k)) && ref_len(after) > after.find(':').unwrap() + 1 {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Length of the label starting at `s` (a trailing `.` or `:` is punctuation).
fn ref_len(s: &str) -> usize {
    let mut len: usize = s.char_indices().find(|&(_, c)| !is_label_char(c)).map_or(s.len(), |(i, _)| i);
    while len > 0 && matches!(s.as_bytes()[len - 1], b'.' | b':') {
        len -= 1;
    }
    len
}

/// `caption {#label}` → (caption, label).
fn trailing_label(t: &str) -> Option<(String, String)> {
    let trimmed = t.trim_end();
    let inner = trimmed.strip_suffix('}')?;
    let open = inner.rfind("{#")?;
    let label = &inner[open + 2..];
    (!label.is_empty() && label.chars().all(is_label_char)).then(|| (inner[..open].to_string(), label.to_string()))
}

/// `{#label} rest` → (label, rest).
fn leading_label(t: &str) -> Option<(String, &str)> {
    let s = t.strip_prefix("{#")?;
    let close = s.find('}')?;
    let label = &s[..close];
    (!label.is_empty() && label.chars().all(is_label_char)).then(|| (label.to_string(), &s[close + 1..]))
}

/// If the inlines start with one of `prefixes` (in a text run), the rest.
fn strip_prefix_inlines(inlines: &[Inline], prefixes: &[&str]) -> Option<Vec<Inline>> {
    let (first, rest) = inlines.split_first()?;
    let (t, bold) = match first {
        Inline::Text(t) => (t.as_str(), false),
        Inline::Strong(inner) => match inner.as_slice() {
            [Inline::Text(t)] => (t.as_str(), true),
            _ => return None,
        },
        _ => return None,
    };
    let tail = prefixes.iter().find_map(|p| t.strip_prefix(p))?;
    if bold && !tail.trim().is_empty() {
        return None;
    }
    let mut out = Vec::new();
    let tail = tail.trim_start();
    if !tail.is_empty() {
        out.push(Inline::Text(tail.to_string()));
    }
    out.extend_from_slice(rest);
    if let Some(Inline::Text(t)) = out.first_mut() {
        *t = t.trim_start().to_string();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_are_found() {
        assert_eq!(find_ref("见@fig:a。"), Some(3));
        assert_eq!(find_ref("mail a@fig:b"), None);
        assert_eq!(find_ref("@foo:x"), None);
        assert_eq!(ref_len("fig:a-b. next"), 7);
    }

    #[test]
    fn labels() {
        assert_eq!(trailing_label("Intro {#sec:intro}"), Some(("Intro ".into(), "sec:intro".into())));
        assert_eq!(trailing_label("Intro {x}"), None);
        assert_eq!(leading_label("{#fig:a} more").unwrap().0, "fig:a");
    }
}
