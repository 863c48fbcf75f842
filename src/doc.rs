//! The document tree: what the Markdown stage builds, the model passes
//! complete (numbering, cross-references) and both backends print.
//! Backends never look at Markdown.

pub use crate::core::words::{is_cjk, zh_numeral, Lang};
use serde_json::{Map, Value};

/// Typed view of the front matter fields folio itself uses; `front` keeps
/// everything (templates may use any key).
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub subtitle: Option<String>,
    pub lang: Lang,
    pub date: Option<String>,
    pub authors: Vec<String>,
    pub front: Map<String, Value>,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub meta: Meta,
    pub blocks: Vec<Block>,
    /// Footnote bodies, numbered from 1 in order of first reference.
    pub footnotes: Vec<Vec<Block>>,
    /// Every heading, for tables of contents and outlines.
    pub headings: Vec<HeadingEntry>,
    /// Every numbered figure and table, in document order.
    pub floats: Vec<FloatEntry>,
    /// The cover's market-performance chart (front matter `cover_chart`).
    pub cover_chart: Option<CoverChart>,
    /// Formulas MathML cannot express, drawn as SVG by typst (by TeX and
    /// whether displayed); the build fills it, the HTML backend shows them.
    pub math_svg: std::collections::HashMap<(String, bool), String>,
    /// The rendered Markdown line each of `blocks` starts on, so that an
    /// error typst raises while laying a block out can name that line.
    pub block_lines: Vec<usize>,
    /// With `--lineage`: each printed value's sources, by value index.
    pub value_sources: Vec<SourceNote>,
    /// With `--lineage`: the sources of each chart's value labels, by the
    /// figure's id (its label when it has none), then by series column
    /// and point.
    pub chart_sources: std::collections::HashMap<String, std::collections::HashMap<(String, usize), SourceNote>>,
    /// The cited bibliography entries, when the report cites.
    pub references: Option<References>,
    /// `back_matter:` (disclosures, ratings, disclaimer), its paragraphs read
    /// as Markdown.
    pub back_matter: Vec<BackSection>,
}

#[derive(Debug, Clone)]
pub struct BackSection {
    pub title: String,
    pub paragraphs: Vec<Vec<Inline>>,
}

/// Where a printed value came from, as the HTML of `--lineage` says it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceNote {
    /// `data-src`: `models.csv:15:params_b`, space-separated when several.
    pub src: String,
    /// For people, a line per cell: file, row, column, the cell's text.
    pub info: String,
}

impl Figure {
    /// What `chart_sources` knows the figure by.
    pub fn lineage_key(&self) -> &str {
        if self.id.is_empty() { &self.label } else { &self.id }
    }
}

#[derive(Debug, Clone)]
pub struct CoverChart {
    pub title: Option<String>,
    pub source: Option<String>,
    pub chart: crate::chart::Chart,
}

#[derive(Debug, Clone)]
pub struct HeadingEntry {
    pub level: u8,
    pub number: Option<String>,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct FloatEntry {
    pub kind: FloatKind,
    /// Display label, e.g. "图 5" or "Table 2".
    pub label: String,
    pub id: String,
    pub caption: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatKind {
    Figure,
    Table,
}

#[derive(Debug, Clone)]
pub enum Block {
    Heading(Heading),
    Paragraph(Vec<Inline>),
    Quote(Vec<Block>),
    List(List),
    Code { lang: Option<String>, text: String },
    /// Display math (kept as TeX source); labelled equations are numbered.
    Math { tex: String, id: String, number: Option<String> },
    Table(Table),
    Figure(Figure),
    /// Figures set side by side, each with its own number.
    FigureRow(Vec<Figure>),
    Rule,
    /// Raw HTML the project chose to pass through (HTML output only).
    RawHtml(String),
    /// `<div>` or `<div class="…">` around blocks: the HTML keeps the
    /// class; the PDF sets the blocks as if it were not there.
    Div { class: Option<String>, blocks: Vec<Block> },
    /// Where the list of references goes (`<div id="refs"></div>`, or
    /// `{{ references }}` in a template); at the end when not placed.
    References,
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub number: Option<String>,
    pub id: String,
    pub content: Vec<Inline>,
}

#[derive(Debug, Clone)]
pub struct List {
    pub ordered: bool,
    pub start: usize,
    pub tight: bool,
    pub items: Vec<ListItem>,
}

#[derive(Debug, Clone)]
pub struct ListItem {
    pub checked: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub align: Vec<Align>,
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub kind: FloatKind,
    /// Display label ("图 5"); empty until numbering.
    pub label: String,
    pub id: String,
    pub caption: Vec<Inline>,
    pub source: Option<Vec<Inline>>,
    pub note: Option<Vec<Inline>>,
    pub body: FigureBody,
}

#[derive(Debug, Clone)]
pub enum FigureBody {
    Image(Image),
    Table(Table),
    Chart(crate::chart::Chart),
}

#[derive(Debug, Clone)]
pub struct Image {
    /// Path relative to the project root, with forward slashes.
    pub path: String,
    pub alt: String,
}

#[derive(Debug, Clone)]
pub enum Inline {
    Text(String),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Sup(Vec<Inline>),
    Sub(Vec<Inline>),
    Code(String),
    Link { url: String, content: Vec<Inline> },
    Image(Image),
    /// An image whose URL is remote: shown as a link, never fetched.
    RemoteImage { url: String, alt: String },
    LineBreak,
    Math { display: bool, tex: String },
    /// Footnote number (1-based index into `Document::footnotes`).
    FootnoteRef(usize),
    /// A resolved cross-reference: the printed text and the target's id.
    Ref { id: String, text: String },
    RawHtml(String),
    /// One of the inline HTML tags folio sets in both outputs.
    Tagged(Tagged),
    /// A printed data value (`--lineage`): index into the report's lineage.
    Value { index: usize, content: Vec<Inline> },
    /// A citation of bibliography entries.
    Cite(Cite),
}

impl Inline {
    /// The inlines this one holds as its own text (emphasis, a link's or a
    /// data value's words), for the passes that walk into them; a
    /// citation's rendered text is not the writer's and is left out.
    pub fn children_mut(&mut self) -> Option<&mut Vec<Inline>> {
        match self {
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Sup(c) | Inline::Sub(c) => Some(c),
            Inline::Link { content, .. } | Inline::Value { content, .. } => Some(content),
            Inline::Tagged(t) => Some(&mut t.content),
            _ => None,
        }
    }
}

/// `[@key, p. 20; @other]`, or `@key` in running text.
#[derive(Debug, Clone)]
pub struct Cite {
    pub items: Vec<CiteItem>,
    /// `@key` in running text: the author is part of the sentence.
    pub prose: bool,
    /// The rendered Markdown line it stands on.
    pub line: usize,
    /// What the citation style prints; filled by the citation pass.
    pub content: Vec<Inline>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CiteItem {
    pub key: String,
    /// `p. 20`, `chap. 3`, or a bare page number.
    pub locator: Option<String>,
}

/// The cited entries, as the style sets them, in its order.
#[derive(Debug, Clone)]
pub struct References {
    /// "参考文献" / "References".
    pub title: String,
    /// Entries set with a hanging indent (author-date styles).
    pub hanging: bool,
    pub entries: Vec<Reference>,
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub key: String,
    /// The anchor citations link to: `ref-<key>`.
    pub id: String,
    /// A numeric style's label (`[1]`), set in a column of its own.
    pub label: Option<Vec<Inline>>,
    pub content: Vec<Inline>,
}

/// An inline HTML element of the safe subset (`markdown/inline_html.rs`).
#[derive(Debug, Clone)]
pub struct Tagged {
    pub tag: HtmlTag,
    /// Kept by the HTML (`<span class="…">`).
    pub class: Option<String>,
    /// An `<abbr>`'s expansion.
    pub title: Option<String>,
    pub content: Vec<Inline>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HtmlTag {
    Kbd,
    Mark,
    Small,
    Abbr,
    Ins,
    Del,
    U,
    S,
    Span,
}

impl HtmlTag {
    pub const ALL: [HtmlTag; 9] =
        [HtmlTag::Kbd, HtmlTag::Mark, HtmlTag::Small, HtmlTag::Abbr, HtmlTag::Ins, HtmlTag::Del, HtmlTag::U, HtmlTag::S, HtmlTag::Span];

    pub fn name(self) -> &'static str {
        match self {
            HtmlTag::Kbd => "kbd",
            HtmlTag::Mark => "mark",
            HtmlTag::Small => "small",
            HtmlTag::Abbr => "abbr",
            HtmlTag::Ins => "ins",
            HtmlTag::Del => "del",
            HtmlTag::U => "u",
            HtmlTag::S => "s",
            HtmlTag::Span => "span",
        }
    }
}

impl Document {
    /// Visits every block and inline of the body and the footnotes, outer first.
    pub fn visit<'a>(&'a self, on_block: &mut dyn FnMut(&'a Block), on_inline: &mut dyn FnMut(&'a Inline)) {
        fn blocks<'a>(bs: &'a [Block], ob: &mut dyn FnMut(&'a Block), oi: &mut dyn FnMut(&'a Inline)) {
            for b in bs {
                ob(b);
                match b {
                    Block::Paragraph(i) => inlines(i, oi),
                    Block::Heading(h) => inlines(&h.content, oi),
                    Block::Quote(inner) | Block::Div { blocks: inner, .. } => blocks(inner, ob, oi),
                    Block::List(l) => l.items.iter().for_each(|it| blocks(&it.blocks, ob, oi)),
                    Block::Figure(f) => figure(f, oi),
                    Block::FigureRow(fs) => fs.iter().for_each(|f| figure(f, oi)),
                    Block::Table(t) => table(t, oi),
                    _ => {}
                }
            }
        }
        fn table<'a>(t: &'a Table, oi: &mut dyn FnMut(&'a Inline)) {
            t.header.iter().chain(t.rows.iter().flatten()).for_each(|c| inlines(c, oi));
        }
        fn figure<'a>(f: &'a Figure, oi: &mut dyn FnMut(&'a Inline)) {
            inlines(&f.caption, oi);
            f.source.iter().chain(&f.note).for_each(|c| inlines(c, oi));
            if let FigureBody::Table(t) = &f.body {
                table(t, oi);
            }
        }
        fn inlines<'a>(is: &'a [Inline], oi: &mut dyn FnMut(&'a Inline)) {
            for i in is {
                oi(i);
                match i {
                    Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Sup(c) | Inline::Sub(c) => inlines(c, oi),
                    Inline::Tagged(t) => inlines(&t.content, oi),
                    Inline::Value { content, .. } => inlines(content, oi),
                    Inline::Link { content, .. } => inlines(content, oi),
                    Inline::Cite(c) => inlines(&c.content, oi),
                    _ => {}
                }
            }
        }
        blocks(&self.blocks, on_block, on_inline);
        self.footnotes.iter().for_each(|f| blocks(f, on_block, on_inline));
    }

    /// Project-relative paths of every image the document shows.
    pub fn images(&self) -> impl Iterator<Item = &str> {
        let out = std::cell::RefCell::new(Vec::new());
        self.visit(
            &mut |b| match b {
                Block::Figure(Figure { body: FigureBody::Image(img), .. }) => out.borrow_mut().push(img.path.as_str()),
                Block::FigureRow(fs) => fs.iter().for_each(|f| {
                    if let FigureBody::Image(img) = &f.body {
                        out.borrow_mut().push(img.path.as_str())
                    }
                }),
                _ => {}
            },
            &mut |i| {
                if let Inline::Image(img) = i {
                    out.borrow_mut().push(img.path.as_str())
                }
            },
        );
        let mut out = out.into_inner();
        out.sort_unstable();
        out.dedup();
        out.into_iter()
    }

    /// Every formula's TeX, and whether it is set as a display, in order.
    pub fn formulas(&self) -> Vec<(&str, bool)> {
        let out = std::cell::RefCell::new(Vec::new());
        self.visit(
            &mut |b| {
                if let Block::Math { tex, .. } = b {
                    out.borrow_mut().push((tex.as_str(), true))
                }
            },
            &mut |i| {
                if let Inline::Math { tex, display } = i {
                    out.borrow_mut().push((tex.as_str(), *display))
                }
            },
        );
        out.into_inner()
    }
}

/// Every list of inlines `blocks` hold, in document order, nested blocks
/// (quotes, lists, divisions) included: a paragraph's or heading's text, a
/// caption, a table's cells, a source or note line. For the model passes
/// that change inlines in place (cross-references, citations).
pub fn inline_lists_mut<'a>(blocks: &'a mut [Block], f: &mut dyn FnMut(&'a mut Vec<Inline>)) {
    fn table<'a>(t: &'a mut Table, f: &mut dyn FnMut(&'a mut Vec<Inline>)) {
        t.header.iter_mut().chain(t.rows.iter_mut().flatten()).for_each(|cell| f(cell));
    }
    fn figure<'a>(fig: &'a mut Figure, f: &mut dyn FnMut(&'a mut Vec<Inline>)) {
        f(&mut fig.caption);
        if let FigureBody::Table(t) = &mut fig.body {
            table(t, f);
        }
        for part in [&mut fig.source, &mut fig.note].into_iter().flatten() {
            f(part);
        }
    }
    for b in blocks {
        match b {
            Block::Heading(h) => f(&mut h.content),
            Block::Paragraph(i) => f(i),
            Block::Quote(inner) | Block::Div { blocks: inner, .. } => inline_lists_mut(inner, f),
            Block::List(l) => l.items.iter_mut().for_each(|it| inline_lists_mut(&mut it.blocks, f)),
            Block::Table(t) => table(t, f),
            Block::Figure(fig) => figure(fig, f),
            Block::FigureRow(figs) => figs.iter_mut().for_each(|fig| figure(fig, f)),
            Block::Code { .. } | Block::Math { .. } | Block::Rule | Block::RawHtml(_) | Block::References => {}
        }
    }
}

/// Plain text of inlines (for outlines, lists of figures, alt text).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    collect_text(inlines, &mut s);
    s
}

fn collect_text(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) | Inline::RawHtml(t) => out.push_str(t),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Sup(c) | Inline::Sub(c) => {
                collect_text(c, out)
            }
            Inline::Link { content, .. } => collect_text(content, out),
            Inline::Tagged(t) => collect_text(&t.content, out),
            Inline::Value { content, .. } => collect_text(content, out),
            Inline::Image(img) => out.push_str(&img.alt),
            Inline::RemoteImage { alt, .. } => out.push_str(alt),
            Inline::LineBreak => out.push(' '),
            Inline::Math { tex, .. } => out.push_str(tex),
            Inline::FootnoteRef(_) => {}
            Inline::Ref { text, .. } => out.push_str(text),
            Inline::Cite(c) => collect_text(&c.content, out),
        }
    }
}
