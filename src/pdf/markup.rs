//! Typst backend, first half: prints the document model as typst markup that
//! calls the research template (`research.typ`). Every piece of text is
//! escaped, so nothing from the content can run as typst code.

use std::fmt::Write as _;


use crate::doc::*;
use crate::pdf::literal::string_lit;

/// Escape text for typst markup: every ASCII symbol that markup could read
/// as syntax gets a backslash.
pub fn escape_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '`' | '<' | '>' | '@' | '[' | ']' | '~' | '-' | '\'' | '"' | '/' | '='
            | '+' | ':' | '.' | '{' | '}' | '(' | ')' | '%' | ';' | ',' | '!' | '?' | '&' | '|' | '^' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
}

/// Width in columns: CJK characters count double.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum()
}

/// Typst math trimmed for its `$ … $`, but never so far that a trailing
/// `\ ` (a space, escaped) becomes a `\` that escapes the closing `$`.
fn math_body(m: &str) -> String {
    let t = m.trim();
    let escaped_end = t.len() - t.trim_end_matches('\\').len();
    if escaped_end % 2 == 1 {
        format!("{t} ")
    } else {
        t.to_string()
    }
}

/// A formula in a code block of its own that imports the names mitex's
/// translations use, so they are visible there and nowhere else; its TeX is
/// its alt text (what PDF/UA asks of every equation).
fn math_block(equation: &str, tex: &str) -> String {
    format!("{{ import \"{}\": *; set math.equation(alt: {}); {equation} }}", crate::pdf::math::SCOPE_PATH, string_lit(tex.trim()))
}

/// What each part of the body imports from the template.
const PART_IMPORT: &str = "#import \"/research.typ\": folio-figure, folio-row, folio-table, folio-equation\n";

/// The entry file (importing the template and handing it the body) and the
/// Whether a typst template defines function `name` at its top level
/// (`#let folio-chart(…) = …`), read by typst's parser, not by searching
/// its text: a comment or a string naming it is no definition.
pub fn defines_function(template: &str, name: &str) -> bool {
    defines_function_in(&typst_syntax::parse(template), name)
}

/// As [`defines_function`], in a template already parsed.
pub fn defines_function_in(template: &typst_syntax::SyntaxNode, name: &str) -> bool {
    use typst_syntax::ast::{Expr, LetBinding, LetBindingKind, Pattern};
    template.children().any(|node| {
        node.cast::<LetBinding>().is_some_and(|b| match b.kind() {
            LetBindingKind::Closure(id) => id.as_str() == name,
            // `#let folio-chart = (spec, w) => …`
            LetBindingKind::Normal(Pattern::Normal(Expr::Ident(id))) => id.as_str() == name && matches!(b.init(), Some(Expr::Closure(_))),
            LetBindingKind::Normal(_) => false,
        })
    })
}

/// files it reads that folio generated, by virtual path: the body in parts,
/// a new one at each top-level heading (`/body/00.typ`, …), and the chart
/// drawings. typst evaluates a part again only when its text changed.
///
/// `native_charts`: the template defines `folio-chart`, so charts are typst
/// shapes (a project's copy of an older template does not: SVG images).
pub fn main_source(doc: &Document, native_charts: bool) -> Generated {
    let mut p = Printer {
        out: String::new(),
        files: vec![],
        seen_footnotes: vec![false; doc.footnotes.len()],
        doc,
        depth: 0,
        native_charts,
        tables: vec![],
        figure_label: None,
        block_line: None,
    };
    let mut parts: Vec<String> = Vec::new();
    let mut places = Vec::new();
    for (i, b) in doc.blocks.iter().enumerate() {
        let chapter = matches!(b, Block::Heading(h) if h.level == 1);
        if p.out.is_empty() || (chapter && p.out.len() > PART_IMPORT.len()) {
            if !p.out.is_empty() {
                parts.push(std::mem::take(&mut p.out));
            }
            p.out.push_str(PART_IMPORT);
        }
        let start = p.out.len();
        p.block_line = doc.block_lines.get(i).copied();
        p.block(b);
        if let Some(&line) = doc.block_lines.get(i) {
            places.push(BlockPlace { file: format!("/body/{:02}.typ", parts.len()), range: start..p.out.len(), line });
        }
        p.out.push_str("\n\n");
    }
    if !p.out.is_empty() {
        parts.push(std::mem::take(&mut p.out));
    }
    let mut main = String::new();
    main.push_str("#import \"/research.typ\": report\n");
    main.push_str("#let meta = json(\"/meta.json\")\n");
    main.push_str("#show: report.with(meta)\n\n");
    let mut files = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        let path = format!("/body/{i:02}.typ");
        main.push_str(&format!("#include \"{path}\"\n\n"));
        files.push((path, part.into_bytes()));
    }
    files.append(&mut p.files);
    if let Some(c) = &doc.cover_chart {
        files.push(("/charts/cover.svg".to_string(), c.chart.svg().as_bytes().to_vec()));
    }
    Generated { main, files, places, tables: p.tables }
}

/// Inline content as typst markup, for text the template sets itself
/// (`back_matter`): escaped like the body, so it holds no code but folio's
/// own calls.
pub fn inline_markup(doc: &Document, inlines: &[Inline]) -> String {
    let mut p = Printer { out: String::new(), files: vec![], seen_footnotes: vec![true; doc.footnotes.len()], doc, depth: 1, native_charts: false, tables: vec![], figure_label: None, block_line: None };
    p.inlines(inlines);
    p.out
}

/// The generated typst of one report.
pub struct Generated {
    /// The entry file.
    pub main: String,
    /// What it reads, by virtual path: body parts and chart drawings.
    pub files: Vec<(String, Vec<u8>)>,
    /// Where each top-level block stands in the body parts.
    pub places: Vec<BlockPlace>,
    /// Every table, by the `fit.id` its markup passes to `folio-table`.
    pub tables: Vec<TableFit>,
}

/// What a table must hold on one line: in each column, the longest text of
/// a cell that cannot wrap (a number, a code, a Latin word, a short name
/// such as 阿里巴巴). The template
/// widens a column to it, or sets the table smaller; when even that cannot
/// hold it, the build names the cell (`crate::pdf::table_fit`).
#[derive(Debug, Clone)]
pub struct TableFit {
    /// "表 4", or empty for a table with no caption.
    pub label: String,
    /// The rendered Markdown line of the top-level block holding it.
    pub line: Option<usize>,
    pub columns: Vec<ColumnFit>,
}

#[derive(Debug, Clone, Default)]
pub struct ColumnFit {
    /// The column's header text.
    pub name: String,
    /// The longest unbreakable text of the body and the header.
    pub body: String,
    pub header: String,
    /// The body row holding `body` (1-based).
    pub row: usize,
}

/// What of a cell's text must stay on one line: a short label or name
/// (`阿里巴巴`, `2023E`: six characters at most, no space) whole, else the
/// longest run a line cannot break. A CJK name broken one character per
/// line (阿/里/巴/巴) reads as no name at all.
fn kept_whole(s: &str) -> &str {
    let t = s.trim();
    if crate::core::text::is_short_label(t) {
        t
    } else {
        longest_unbreakable(t)
    }
}

/// The longest run of text in `s` that a line cannot break: no space, no
/// CJK character (each of which is a break opportunity), no hyphen after
/// which typst may break.
fn longest_unbreakable(s: &str) -> &str {
    let mut best = "";
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        let breaks = c.is_whitespace() || is_cjk(c);
        match (start, breaks) {
            (None, false) => start = Some(i),
            (Some(st), true) => {
                if s[st..i].chars().count() > best.chars().count() {
                    best = &s[st..i];
                }
                start = None;
            }
            _ => {}
        }
    }
    best
}

/// A top-level block's markup: which body part, which bytes, and the
/// rendered Markdown line it came from.
#[derive(Debug, Clone)]
pub struct BlockPlace {
    pub file: String,
    pub range: std::ops::Range<usize>,
    pub line: usize,
}

struct Printer<'a> {
    out: String,
    files: Vec<(String, Vec<u8>)>,
    seen_footnotes: Vec<bool>,
    doc: &'a Document,
    /// Block quotes and list items around the block being printed.
    depth: usize,
    native_charts: bool,
    /// Tables printed so far, with their widest unbreakable text.
    tables: Vec<TableFit>,
    /// The figure label ("表 4") of the table being printed, if any.
    figure_label: Option<String>,
    /// The rendered Markdown line of the top-level block being printed.
    block_line: Option<usize>,
}

impl Printer<'_> {
    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            self.block(b);
            self.out.push_str("\n\n");
        }
    }

    /// Content in brackets: `[...]`.
    fn content(&mut self, inlines: &[Inline]) {
        self.out.push('[');
        self.inlines(inlines);
        self.out.push(']');
    }

    fn block_content(&mut self, blocks: &[Block]) {
        self.out.push('[');
        self.depth += 1;
        self.blocks(blocks);
        self.depth -= 1;
        self.out.push(']');
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Heading(h) => {
                // A heading in a quote or list is no section: not in the
                // outline, and no chapter page break (typst cannot break
                // a page inside a container).
                let outlined = if self.depth > 0 { ", outlined: false" } else { "" };
                let _ = write!(self.out, "#heading(level: {}{outlined})[", h.level.clamp(1, 6));
                if let Some(n) = &h.number {
                    escape_text(n, &mut self.out);
                    if !n.ends_with('、') {
                        self.out.push(' ');
                    }
                }
                self.inlines(&h.content);
                let _ = write!(self.out, "] #label({})", string_lit(&h.id));
            }
            Block::Paragraph(i) => {
                if !i.is_empty() {
                    self.inlines(i);
                    // A paragraph of only a label-less call needs `#parbreak`.
                    self.out.push_str("\n#parbreak()");
                }
            }
            Block::Quote(inner) => {
                self.out.push_str("#quote(block: true)");
                self.block_content(inner);
            }
            Block::List(l) => {
                if l.ordered {
                    let _ = write!(self.out, "#enum(tight: {}, start: {}", l.tight, l.start);
                } else {
                    let _ = write!(self.out, "#list(tight: {}", l.tight);
                }
                for item in &l.items {
                    self.out.push_str(", [");
                    if let Some(c) = item.checked {
                        self.out.push_str(if c { "☑ " } else { "☐ " });
                    }
                    self.depth += 1;
                    self.blocks(&item.blocks);
                    self.depth -= 1;
                    self.out.push(']');
                }
                self.out.push(')');
            }
            Block::Code { lang, text } => {
                let lang = lang.as_deref().map_or("none".to_string(), string_lit);
                let _ = write!(self.out, "#raw(block: true, lang: {lang}, {})", string_lit(text.trim_end_matches('\n')));
            }
            Block::Math { tex, id, number } => {
                // Typeset when mitex's translation passes the check, else show
                // the source (the build warns).
                let body = match crate::pdf::math::to_typst(tex) {
                    Ok(m) => math_block(&format!("$ {} $", math_body(&m)), tex),
                    Err(_) => format!("raw({})", string_lit(tex.trim())),
                };
                let _ = write!(self.out, "#folio-equation(number: {}, {body})", number.as_deref().map_or("none".to_string(), string_lit));
                if !id.is_empty() {
                    let _ = write!(self.out, " #label({})", string_lit(id));
                }
            }
            Block::Table(t) => self.table(t),
            Block::Figure(f) => self.figure(f),
            Block::FigureRow(fs) => {
                self.out.push_str("#folio-row(");
                for f in fs {
                    self.out.push('[');
                    self.figure(f);
                    self.out.push_str("], ");
                }
                self.out.push(')');
            }
            Block::Rule => self.out.push_str("#line(length: 100%, stroke: 0.5pt + luma(150))"),
            Block::References => self.references(),
            Block::RawHtml(_) => {}
            Block::Div { blocks, .. } => self.blocks(blocks),
        }
    }

    fn table(&mut self, t: &Table) {
        let columns = t.header.len().max(t.rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
        let aligns: Vec<&str> = (0..columns)
            .map(|i| match t.align.get(i) {
                Some(Align::Center) => "center",
                Some(Align::Right) => "right",
                _ => "left",
            })
            .collect();
        // Every column gets a share of the width in proportion to its widest
        // cell (bounded both ways), as a browser lays out an HTML table: no
        // column takes all the spare width while another is squeezed.
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                t.header.get(i).into_iter().chain(t.rows.iter().filter_map(|r| r.get(i)))
                    .map(|c| display_width(&plain_text(c)))
                    .max()
                    .unwrap_or(1)
            })
            .collect();
        let weights: Vec<String> = widths.iter().map(|w| format!("{}fr", (*w).clamp(4, 40))).collect();
        let fit = self.table_fit(t, columns);
        let widest: Vec<String> = fit.columns.iter().map(|c| format!("({}, {})", string_lit(&c.body), string_lit(&c.header))).collect();
        // What a numbered table says on the pages it runs on to.
        let cont = match (&self.figure_label, self.doc.meta.lang) {
            (Some(l), Lang::Zh) if !l.is_empty() => format!(", cont: {}", string_lit(&format!("{l}（续）"))),
            (Some(l), Lang::En) if !l.is_empty() => format!(", cont: {}", string_lit(&format!("{l} (continued)"))),
            _ => String::new(),
        };
        let _ = write!(
            self.out,
            "#folio-table(columns: ({},), align: ({},), fit: (id: {}, widest: ({},){cont}), header: (",
            weights.join(", "),
            aligns.join(", "),
            self.tables.len(),
            widest.join(", ")
        );
        self.tables.push(fit);
        for c in &t.header {
            self.content(c);
            self.out.push_str(", ");
        }
        self.out.push_str("), rows: (");
        for row in &t.rows {
            self.out.push('(');
            for i in 0..columns {
                match row.get(i) {
                    Some(c) => self.content(c),
                    None => self.out.push_str("[]"),
                }
                self.out.push_str(", ");
            }
            self.out.push_str("), ");
        }
        self.out.push_str("))");
    }

    /// Each column's longest unbreakable text, in the body and the header.
    fn table_fit(&self, t: &Table, columns: usize) -> TableFit {
        let columns = (0..columns)
            .map(|i| {
                let mut c = ColumnFit { name: t.header.get(i).map(|h| plain_text(h)).unwrap_or_default(), ..Default::default() };
                c.header = kept_whole(&c.name).to_string();
                for (r, row) in t.rows.iter().enumerate() {
                    let text = row.get(i).map(|cell| plain_text(cell)).unwrap_or_default();
                    let run = kept_whole(&text);
                    if run.chars().count() > c.body.chars().count() {
                        c.body = run.to_string();
                        c.row = r + 1;
                    }
                }
                c
            })
            .collect();
        TableFit { label: self.figure_label.clone().unwrap_or_default(), line: self.block_line, columns }
    }

    fn figure(&mut self, f: &Figure) {
        let kind = match f.kind {
            FloatKind::Figure => "figure",
            FloatKind::Table => "table",
        };
        // Long tables may run across pages; short ones stay whole.
        let breakable = matches!(&f.body, FigureBody::Table(t) if t.rows.len() > 12);
        let _ = write!(
            self.out,
            "#folio-figure(kind: \"{kind}\", breakable: {breakable}, label: {}, caption: ",
            string_lit(&f.label)
        );
        self.content(&f.caption);
        self.out.push_str(", source: ");
        match &f.source {
            Some(s) => self.content(s),
            None => self.out.push_str("none"),
        }
        self.out.push_str(", note: ");
        match &f.note {
            Some(n) => self.content(n),
            None => self.out.push_str("none"),
        }
        self.out.push_str(", ");
        match &f.body {
            FigureBody::Image(img) => {
                let _ = write!(self.out, "image({}, alt: {}, width: 100%)", string_lit(&format!("/{}", img.path)), string_lit(&img.alt));
            }
            FigureBody::Table(t) => {
                self.out.push('[');
                self.figure_label = Some(f.label.clone());
                self.table(t);
                self.figure_label = None;
                self.out.push(']');
            }
            FigureBody::Chart(c) => {
                // Charts are files of their own, so the typst folder stays
                // readable: typst shapes where they can be, else the SVG.
                let n = self.files.len() + 1;
                match self.native_charts.then(|| crate::pdf::chart::to_typst(&c.drawing, &c.alt)).flatten() {
                    Some(code) => {
                        let path = format!("/charts/{n}.typ");
                        let _ = write!(self.out, "include {}", string_lit(&path));
                        self.files.push((path, format!("#import \"/research.typ\": folio-chart\n#{code}\n").into_bytes()));
                    }
                    None => {
                        let path = format!("/charts/{n}.svg");
                        let _ = write!(self.out, "image({}, alt: {}, width: 100%)", string_lit(&path), string_lit(&c.alt));
                        self.files.push((path, c.svg().as_bytes().to_vec()));
                    }
                }
            }
        }
        let _ = write!(self.out, ") #label({})", string_lit(&f.id));
    }

    /// The cited entries under an unnumbered heading (no chapter page of
    /// their own); a numeric style's labels in a column of their own,
    /// author-date entries with a hanging indent. Each entry carries the
    /// label citations link to.
    fn references(&mut self) {
        let Some(refs) = self.doc.references.as_ref() else { return };
        self.out.push_str("#heading(level: 1, outlined: false)[");
        escape_text(&refs.title, &mut self.out);
        self.out.push_str("] #label(\"refs\")\n");
        self.out.push_str("#block(width: 100%)[#set text(size: 0.92em); #set par(first-line-indent: 0pt, justify: false, hanging-indent: ");
        self.out.push_str(if refs.hanging { "2em)\n" } else { "0em)\n" });
        let labelled = refs.entries.iter().any(|e| e.label.is_some());
        if labelled {
            self.out.push_str("#grid(columns: (auto, 1fr), column-gutter: 0.6em, row-gutter: 0.7em,\n");
        }
        for e in &refs.entries {
            let anchor = format!("#metadata(none) #label({})", string_lit(&e.id));
            if labelled {
                self.out.push('[');
                if let Some(l) = &e.label {
                    self.inlines(l);
                }
                let _ = write!(self.out, "], [{anchor}");
                self.inlines(&e.content);
                self.out.push_str("],\n");
            } else {
                let _ = write!(self.out, "#block(below: 0.7em)[{anchor}");
                self.inlines(&e.content);
                self.out.push_str("]\n");
            }
        }
        if labelled {
            self.out.push(')');
        }
        self.out.push(']');
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            self.inline(i);
        }
    }

    fn inline(&mut self, i: &Inline) {
        match i {
            Inline::Text(t) => escape_text(t, &mut self.out),
            Inline::Emph(c) => {
                self.out.push_str("#emph");
                self.content(c);
            }
            Inline::Strong(c) => {
                self.out.push_str("#strong");
                self.content(c);
            }
            Inline::Strike(c) => {
                self.out.push_str("#strike");
                self.content(c);
            }
            Inline::Sup(c) => {
                self.out.push_str("#super");
                self.content(c);
            }
            Inline::Sub(c) => {
                self.out.push_str("#sub");
                self.content(c);
            }
            Inline::Code(c) => {
                let _ = write!(self.out, "#raw({})", string_lit(c));
            }
            // typst refuses empty URLs; such a link shows as its text.
            Inline::Link { url, content } if url.is_empty() => self.inlines(content),
            Inline::Link { url, content } => {
                let _ = write!(self.out, "#link({})", string_lit(url));
                self.content(content);
            }
            Inline::Image(img) => {
                let _ = write!(self.out, "#box(image({}, alt: {}, height: 1.2em))", string_lit(&format!("/{}", img.path)), string_lit(&img.alt));
            }
            Inline::RemoteImage { url, alt } => {
                let _ = write!(self.out, "#link({})", string_lit(url));
                self.content(&[Inline::Text(alt.clone())]);
            }
            Inline::LineBreak => self.out.push_str("#linebreak()"),
            Inline::Math { tex, .. } => match crate::pdf::math::to_typst(tex) {
                Ok(m) => {
                    let _ = write!(self.out, "#{}", math_block(&format!("${}$", math_body(&m)), tex));
                }
                Err(_) => {
                    let _ = write!(self.out, "#raw({})", string_lit(tex));
                }
            },
            Inline::FootnoteRef(n) => {
                if std::mem::replace(&mut self.seen_footnotes[n - 1], true) {
                    let _ = write!(self.out, "#footnote(label(\"fn-{n}\"))");
                } else {
                    self.out.push_str("#footnote");
                    let body = self.doc.footnotes[n - 1].clone();
                    // A one-paragraph footnote stays inline.
                    match body.as_slice() {
                        [Block::Paragraph(p)] => self.content(p),
                        _ => self.block_content(&body),
                    }
                    let _ = write!(self.out, " #label(\"fn-{n}\")");
                }
            }
            Inline::Ref { id, text } => {
                let _ = write!(self.out, "#link(label({}))", string_lit(id));
                self.content(&[Inline::Text(text.clone())]);
            }
            // Tags the project passes to the HTML (`raw_html = true`) are
            // no print: the text between them is set as usual.
            Inline::RawHtml(_) => {}
            // Where the value lands is asked of the laid-out document.
            Inline::Value { index, content } => {
                let _ = write!(self.out, "#metadata({index})<folio-v>");
                self.inlines(content);
            }
            Inline::Cite(c) => {
                let first = c.items.first().map(|i| crate::model::cite::ref_id(&i.key)).unwrap_or_default();
                let _ = write!(self.out, "#link(label({}))", string_lit(&first));
                self.content(&c.content);
            }
            Inline::Tagged(t) => {
                use crate::doc::HtmlTag;
                let call = match t.tag {
                    HtmlTag::Kbd => "#box(stroke: 0.5pt + luma(140), inset: (x: 2pt), outset: (y: 2pt), radius: 2pt, text(size: 0.85em, font: \"DejaVu Sans Mono\")",
                    HtmlTag::Mark => "#highlight",
                    HtmlTag::Small => "#text(size: 0.85em)",
                    HtmlTag::Ins | HtmlTag::U => "#underline",
                    HtmlTag::Del | HtmlTag::S => "#strike",
                    HtmlTag::Abbr | HtmlTag::Span => "",
                };
                if call.is_empty() {
                    self.inlines(&t.content);
                } else {
                    self.out.push_str(call);
                    self.content(&t.content);
                    if t.tag == HtmlTag::Kbd {
                        self.out.push(')');
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_defines_a_function_only_by_a_top_level_let() {
        assert!(defines_function("#import \"x.typ\"\n#let folio-chart(spec, w) = box[]\n", "folio-chart"));
        assert!(!defines_function("// #let folio-chart(spec) = none\n#let s = \"#let folio-chart(\"\n", "folio-chart"));
        assert!(!defines_function("#let folio-chart = none\n", "folio-chart"));
        assert!(defines_function("#let folio-chart = (spec, w) => none\n", "folio-chart"));
    }

    #[test]
    fn a_formula_never_escapes_its_closing_dollar() {
        assert_eq!(math_body(" a \\ "), "a \\ ");
        assert_eq!(math_body("a \\\\"), "a \\\\");
        assert_eq!(math_body("x^2 "), "x^2");
    }

    #[test]
    fn escapes_markup() {
        let mut s = String::new();
        escape_text("#read(\"/etc\") *b* $x$ @r <!-- --> a\\", &mut s);
        assert_eq!(s, r##"\#read\(\"\/etc\"\) \*b\* \$x\$ \@r \<\!\-\- \-\-\> a\\"##);
    }

    #[test]
    fn the_longest_unbreakable_run_stops_at_spaces_and_cjk() {
        assert_eq!(longest_unbreakable("12,345,678.90"), "12,345,678.90");
        assert_eq!(longest_unbreakable("HCC 高性能计算集群"), "HCC");
        assert_eq!(longest_unbreakable("营业收入 2023E 1234567"), "1234567");
        assert_eq!(longest_unbreakable("阿里巴巴"), "");
        assert_eq!(longest_unbreakable(""), "");
        assert_eq!((kept_whole("阿里巴巴"), kept_whole(" 2023E "), kept_whole("飞天智算平台 HCC")), ("阿里巴巴", "2023E", "HCC"));
    }
}
