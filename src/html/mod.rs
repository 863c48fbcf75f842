//! HTML backend: prints the document model as one self-contained page.

pub mod highlight;
mod lineage_view;
pub mod math;

use std::fmt::Write as _;
use std::path::Path;

use base64::Engine as _;
use minijinja::{context, Environment, Value};

use crate::core::diag::{Diagnostic, Result};
use crate::doc::*;
use crate::template::to_value;
use crate::input::template_files::Templates;
use crate::core::text::escape;
use crate::core::words::{words, Words};

struct Printer<'a> {
    root: &'a Path,
    value_sources: &'a [SourceNote],
    chart_sources: &'a std::collections::HashMap<String, std::collections::HashMap<(String, usize), SourceNote>>,
    /// Formulas typst drew where MathML could not (see `Document::math_svg`).
    math_svg: &'a std::collections::HashMap<(String, bool), String>,
    words: Words,
    out: String,
    seen_footnotes: Vec<bool>,
    errors: Vec<Diagnostic>,
    references: Option<&'a References>,
}

/// What a report page of the site (`folio build --site`) links to.
#[derive(Debug, Clone)]
pub struct SitePage {
    /// The shared stylesheet under its hashed name.
    pub css_href: String,
    /// The site's name, for the link back to its index.
    pub name: String,
    /// The report's PDF beside the page.
    pub pdf: Option<String>,
    /// The page's absolute address, when the site has a `base_url`.
    pub canonical: Option<String>,
    /// The absolute address of its link-preview image, if it has one.
    pub image: Option<String>,
    /// The site's logo, relative to the page.
    pub logo: Option<String>,
}

pub fn render(doc: &Document, root: &Path, templates: &Templates, site: Option<&SitePage>) -> Result<String> {
    let mut p = Printer {
        value_sources: &doc.value_sources,
        chart_sources: &doc.chart_sources,
        math_svg: &doc.math_svg,
        root,
        words: words(doc.meta.lang),
        out: String::new(),
        seen_footnotes: vec![false; doc.footnotes.len()],
        errors: vec![],
        references: doc.references.as_ref(),
    };
    p.blocks(&doc.blocks);
    let body = std::mem::take(&mut p.out);
    for (i, note) in doc.footnotes.iter().enumerate() {
        let n = i + 1;
        let back = format!(" <a class=\"fn-back\" href=\"#fnref-{n}\" aria-label=\"back\">↩</a>");
        let _ = write!(p.out, "<li id=\"fn-{n}\">");
        match note.as_slice() {
            // The usual one-paragraph note keeps its back link on the same line.
            [Block::Paragraph(inl)] => {
                p.out.push_str("<p>");
                p.inlines(inl);
                let _ = write!(p.out, "{back}</p>");
            }
            _ => {
                p.blocks(note);
                p.out.push_str(&back);
            }
        }
        p.out.push_str("</li>\n");
    }
    let footnotes = std::mem::take(&mut p.out);
    // Back matter: its paragraphs are Markdown.
    let back_matter: Vec<Value> = doc
        .back_matter
        .iter()
        .map(|s| {
            let paragraphs: Vec<Value> = s
                .paragraphs
                .iter()
                .map(|para| {
                    p.inlines(para);
                    Value::from_safe_string(std::mem::take(&mut p.out))
                })
                .collect();
            context! { title => s.title.clone(), paragraphs => paragraphs }
        })
        .collect();
    if let Some(e) = p.errors.into_iter().next() {
        return Err(e.into());
    }
    let w = &p.words;
    let data = crate::model::meta::template_meta(doc);
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_formatter(crate::template::html_formatter);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    crate::template::filters::register(&mut env);
    let page = templates.get("page.html")?;
    env.add_template("page.html", &page.text).map_err(|e| templates.error(&page, &e))?;
    let css = templates.get("style.css")?;
    let ctx = context! {
        lang => if doc.meta.lang == Lang::Zh { "zh-CN" } else { "en" },
        title => to_value(&data["title"]),
        subtitle => to_value(&data["subtitle"]),
        date => to_value(&data["date"]),
        // `<time datetime>` takes ISO dates only (`2024/01/15` is written so).
        date_iso => doc.meta.date.as_deref().and_then(|d| crate::core::format::format_date(d, "iso").ok()),
        // The date as a reader of the report's language writes it.
        date_shown => doc.meta.date.as_deref().map(|d| {
            crate::core::format::format_date(d, if doc.meta.lang == Lang::Zh { "zh" } else { "en" }).unwrap_or_else(|_| d.to_string())
        }),
        authors => to_value(&data["authors"]),
        meta => to_value(&data["front"]),
        headings => to_value(&data["headings"]),
        figures => to_value(&data["figures"]),
        tables => to_value(&data["tables"]),
        words => context! {
            contents => w.contents, figures => w.figures, tables => w.tables, footnotes => w.footnotes,
            caption_sep => w.caption_sep,
        },
        body => Value::from_safe_string(body),
        footnotes => Value::from_safe_string(footnotes),
        back_matter => back_matter,
        css => Value::from_safe_string(css.text.to_string()),
        css_href => site.map(|s| s.css_href.clone()),
        site => site.map(|s| context! { name => s.name.clone(), index => "./index.html", pdf => s.pdf.clone(), canonical => s.canonical.clone(), image => s.image.clone(), logo => s.logo.clone() }),
        cover_chart => doc.cover_chart.as_ref().map(|c| context! {
            title => c.title.clone(),
            source => c.source.clone(),
            svg => Value::from_safe_string(c.chart.svg().to_string()),
        }),
    };
    let tmpl = env.get_template("page.html").map_err(|e| templates.error(&page, &e))?;
    let html = tmpl.render(ctx).map_err(|e| templates.error(&page, &e))?;
    // `--lineage`: the view that shows a value's cells lives in the page
    // folio wrote, whatever template the project brings.
    let traced = !doc.value_sources.is_empty() || !doc.chart_sources.is_empty();
    Ok(if traced { lineage_view::add(html) } else { html })
}

impl Printer<'_> {
    /// A formula typst drew, as an image with its TeX as the alt text (an
    /// inline SVG's ids would clash with the page's), if it drew one.
    fn drawn(&self, tex: &str, display: bool) -> Option<String> {
        use base64::Engine as _;
        let svg = self.math_svg.get(&(tex.to_string(), display))?;
        Some(format!(
            "<img class=\"math-drawn\" alt=\"{}\" src=\"data:image/svg+xml;base64,{}\">",
            escape(tex.trim()),
            base64::engine::general_purpose::STANDARD.encode(svg)
        ))
    }

    /// The cited entries under their heading; a numeric style's labels in
    /// a column of their own.
    fn references(&mut self) {
        let Some(refs) = self.references else { return };
        let class = if refs.hanging { "references hanging" } else { "references" };
        let _ = write!(self.out, "<section class=\"{class}\" id=\"refs\" aria-labelledby=\"refs-title\">\n<h2 id=\"refs-title\">{}</h2>\n", escape(&refs.title));
        for e in &refs.entries {
            let _ = write!(self.out, "<div class=\"csl-entry\" id=\"{}\">", escape(&e.id));
            if let Some(label) = &e.label {
                self.out.push_str("<span class=\"csl-label\">");
                self.inlines(label);
                self.out.push_str("</span>");
            }
            self.out.push_str("<span class=\"csl-body\">");
            self.inlines(&e.content);
            self.out.push_str("</span></div>\n");
        }
        self.out.push_str("</section>\n");
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            self.block(b);
        }
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Heading(h) => {
                let _ = write!(self.out, "<h{} id=\"{}\">", h.level.clamp(1, 6), escape(&h.id));
                if let Some(n) = &h.number {
                    let _ = write!(self.out, "<span class=\"secno\">{}</span>", escape(n));
                    if !n.ends_with('、') {
                        self.out.push(' ');
                    }
                }
                self.inlines(&h.content);
                let _ = writeln!(self.out, "</h{}>", h.level.clamp(1, 6));
            }
            Block::Paragraph(i) => {
                if i.is_empty() {
                    return;
                }
                self.out.push_str("<p>");
                self.inlines(i);
                self.out.push_str("</p>\n");
            }
            Block::Quote(inner) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(inner);
                self.out.push_str("</blockquote>\n");
            }
            Block::List(l) => {
                let tag = if l.ordered { "ol" } else { "ul" };
                if l.ordered && l.start != 1 {
                    let _ = writeln!(self.out, "<ol start=\"{}\">", l.start);
                } else {
                    let _ = writeln!(self.out, "<{tag}>");
                }
                for item in &l.items {
                    self.out.push_str("<li>");
                    if let Some(c) = item.checked {
                        let _ = write!(
                            self.out,
                            "<input type=\"checkbox\" disabled{}> ",
                            if c { " checked" } else { "" }
                        );
                    }
                    if l.tight {
                        for b in &item.blocks {
                            match b {
                                Block::Paragraph(i) => self.inlines(i),
                                other => self.block(other),
                            }
                        }
                    } else {
                        self.blocks(&item.blocks);
                    }
                    self.out.push_str("</li>\n");
                }
                let _ = writeln!(self.out, "</{tag}>");
            }
            Block::Code { lang, text } => {
                match lang {
                    Some(l) => {
                        let _ = write!(self.out, "<pre><code class=\"language-{}\">", escape(l));
                    }
                    None => self.out.push_str("<pre><code>"),
                }
                let highlighted = lang.as_deref().and_then(|l| crate::html::highlight::to_html(text, l));
                self.out.push_str(&highlighted.unwrap_or_else(|| escape(text)));
                self.out.push_str("</code></pre>\n");
            }
            Block::Math { tex, id, number } => {
                let id_attr = if id.is_empty() { String::new() } else { format!(" id=\"{}\"", escape(id)) };
                let body = math::to_mathml(tex, true)
                    .ok()
                    .or_else(|| self.drawn(tex, true))
                    .unwrap_or_else(|| format!("<code>{}</code>", escape(tex)));
                let _ = write!(self.out, "<div class=\"math display\"{id_attr}>{body}");
                if let Some(n) = number {
                    let _ = write!(self.out, "<span class=\"eqno\">{}</span>", escape(n));
                }
                self.out.push_str("</div>\n");
            }
            Block::Table(t) => self.table(t),
            Block::Figure(f) => self.figure(f),
            Block::FigureRow(fs) => {
                self.out.push_str("<div class=\"figure-row\">\n");
                for f in fs {
                    self.figure(f);
                }
                self.out.push_str("</div>\n");
            }
            Block::Rule => self.out.push_str("<hr>\n"),
            Block::References => self.references(),
            Block::RawHtml(h) => self.out.push_str(h),
            Block::Div { class, blocks } => {
                match class {
                    Some(c) => {
                        let _ = writeln!(self.out, "<div class=\"{}\">", escape(c));
                    }
                    None => self.out.push_str("<div>\n"),
                }
                self.blocks(blocks);
                self.out.push_str("</div>\n");
            }
        }
    }

    fn table(&mut self, t: &Table) {
        // A short label or name stays on one line (`nw`): at 390 px a
        // two-character 汽车 would otherwise stack as 汽/车.
        let align = |i: usize, cell: &[Inline]| {
            let side = match t.align.get(i) {
                Some(Align::Left) => "left",
                Some(Align::Center) => "center",
                Some(Align::Right) => "right",
                _ => "",
            };
            let nw = if crate::core::text::is_short_label(&plain_text(cell)) { "nw" } else { "" };
            match (side, nw) {
                ("", "") => String::new(),
                (a, "") | ("", a) => format!(" class=\"{a}\""),
                (a, b) => format!(" class=\"{a} {b}\""),
            }
        };
        // Focusable: a keyboard reader scrolls a table wider than the screen
        // (axe's scrollable-region-focusable).
        self.out.push_str("<div class=\"table-wrap\" tabindex=\"0\"><table>\n");
        if !t.header.is_empty() {
            self.out.push_str("<thead><tr>");
            for (i, c) in t.header.iter().enumerate() {
                let _ = write!(self.out, "<th{}>", align(i, c));
                self.inlines(c);
                self.out.push_str("</th>");
            }
            self.out.push_str("</tr></thead>\n");
        }
        if !t.rows.is_empty() {
            self.out.push_str("<tbody>\n");
            for row in &t.rows {
                self.out.push_str("<tr>");
                for (i, c) in row.iter().enumerate() {
                    let _ = write!(self.out, "<td{}>", align(i, c));
                    self.inlines(c);
                    self.out.push_str("</td>");
                }
                self.out.push_str("</tr>\n");
            }
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table></div>\n");
    }

    fn figure(&mut self, f: &Figure) {
        let class = match f.kind {
            FloatKind::Figure => "figure",
            FloatKind::Table => "table",
        };
        let _ = write!(self.out, "<figure class=\"float {class}\" id=\"{}\">\n<figcaption>", escape(&f.id));
        let _ = write!(self.out, "<span class=\"float-label\">{}</span>{}", escape(&f.label), self.words.caption_sep);
        self.inlines(&f.caption);
        self.out.push_str("</figcaption>\n");
        match &f.body {
            FigureBody::Image(img) => self.image(img, "figure-img"),
            FigureBody::Table(t) => self.table(t),
            FigureBody::Chart(c) => {
                // With `--lineage`, each value label names its cell.
                let notes = self.chart_sources.get(f.lineage_key());
                let marked = |d: &crate::chart::Drawing| {
                    d.svg_with(&|column, i| match notes.and_then(|n| n.get(&(column.to_string(), i))) {
                        Some(note) => vec![("class", "v".into()), ("data-src", note.src.clone()), ("data-info", note.info.clone()), ("tabindex", "0".into())],
                        None => vec![],
                    })
                };
                use std::borrow::Cow;
                let wide: Cow<str> = if notes.is_some() { Cow::Owned(marked(&c.drawing)) } else { Cow::Borrowed(c.svg()) };
                let narrow: Option<Cow<str>> = match notes {
                    Some(_) => c.narrow.drawing().map(|d| Cow::Owned(marked(d))),
                    None => c.narrow.svg().map(Cow::Borrowed),
                };
                // Phones get the drawing laid out for their width (see Chart).
                match narrow {
                    Some(narrow) => {
                        self.out.push_str("<div class=\"chart-box chart-wide\">");
                        self.out.push_str(&wide);
                        self.out.push_str("</div><div class=\"chart-box chart-narrow\">");
                        self.out.push_str(&narrow);
                        self.out.push_str("</div>\n");
                    }
                    None => {
                        self.out.push_str("<div class=\"chart-box\">");
                        self.out.push_str(&wide);
                        self.out.push_str("</div>\n");
                    }
                }
            }
        }
        // Source and note lines carry their own prefix (数据来源：, Note: …).
        if let Some(s) = &f.source {
            self.out.push_str("<p class=\"float-source\">");
            self.inlines(s);
            self.out.push_str("</p>\n");
        }
        if let Some(n) = &f.note {
            self.out.push_str("<p class=\"float-note\">");
            self.inlines(n);
            self.out.push_str("</p>\n");
        }
        self.out.push_str("</figure>\n");
    }

    fn image(&mut self, img: &Image, class: &str) {
        let path = self.root.join(&img.path);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let mime = mime_of(&img.path);
                let data = base64::engine::general_purpose::STANDARD.encode(bytes);
                let _ = write!(
                    self.out,
                    "<img class=\"{class}\" src=\"data:{mime};base64,{data}\" alt=\"{}\">",
                    escape(&img.alt)
                );
            }
            Err(e) => self.errors.push(Diagnostic::io("read image", &path, &e)),
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            self.inline(i);
        }
    }

    fn inline(&mut self, i: &Inline) {
        let wrap = |p: &mut Self, tag: &str, c: &[Inline]| {
            let _ = write!(p.out, "<{tag}>");
            p.inlines(c);
            let _ = write!(p.out, "</{tag}>");
        };
        match i {
            Inline::Text(t) => self.out.push_str(&escape(t)),
            Inline::Emph(c) => wrap(self, "em", c),
            Inline::Strong(c) => wrap(self, "strong", c),
            Inline::Strike(c) => wrap(self, "del", c),
            Inline::Sup(c) => wrap(self, "sup", c),
            Inline::Sub(c) => wrap(self, "sub", c),
            Inline::Code(c) => {
                let _ = write!(self.out, "<code>{}</code>", escape(c));
            }
            Inline::Link { url, content } => {
                let _ = write!(self.out, "<a href=\"{}\">", escape(&safe_url(url)));
                self.inlines(content);
                self.out.push_str("</a>");
            }
            Inline::Image(img) => self.image(img, "inline-img"),
            Inline::RemoteImage { url, alt } => {
                let _ = write!(self.out, "<a href=\"{}\">{}</a>", escape(&safe_url(url)), escape(alt));
            }
            Inline::LineBreak => self.out.push_str("<br>\n"),
            Inline::Math { display, tex } => {
                match math::to_mathml(tex, *display).ok().or_else(|| self.drawn(tex, *display)) {
                    Some(html) => self.out.push_str(&html),
                    None => {
                        let class = if *display { "math display" } else { "math" };
                        let _ = write!(self.out, "<code class=\"{class}\">{}</code>", escape(tex));
                    }
                }
            }
            Inline::FootnoteRef(n) => {
                let first = !std::mem::replace(&mut self.seen_footnotes[n - 1], true);
                let id = if first { format!(" id=\"fnref-{n}\"") } else { String::new() };
                let _ = write!(self.out, "<sup class=\"fn\"><a href=\"#fn-{n}\"{id}>{n}</a></sup>");
            }
            Inline::Ref { id, text } => {
                let _ = write!(self.out, "<a class=\"xref\" href=\"#{}\">{}</a>", escape(id), escape(text));
            }
            Inline::RawHtml(h) => self.out.push_str(h),
            Inline::Value { index, content } => {
                let _ = write!(self.out, "<span class=\"v\" id=\"v{index}\"");
                if let Some(note) = self.value_sources.get(*index).filter(|s| !s.src.is_empty()) {
                    let _ = write!(self.out, " data-src=\"{}\" data-info=\"{}\" tabindex=\"0\"", escape(&note.src), escape(&note.info));
                }
                self.out.push('>');
                self.inlines(content);
                self.out.push_str("</span>");
            }
            Inline::Cite(c) => {
                let first = c.items.first().map(|i| crate::model::cite::ref_id(&i.key)).unwrap_or_default();
                let _ = write!(self.out, "<a class=\"cite\" href=\"#{}\">", escape(&first));
                self.inlines(&c.content);
                self.out.push_str("</a>");
            }
            Inline::Tagged(t) => {
                let _ = write!(self.out, "<{}", t.tag.name());
                if let Some(c) = &t.class {
                    let _ = write!(self.out, " class=\"{}\"", escape(c));
                }
                if let Some(title) = &t.title {
                    let _ = write!(self.out, " title=\"{}\"", escape(title));
                }
                self.out.push('>');
                self.inlines(&t.content);
                let _ = write!(self.out, "</{}>", t.tag.name());
            }
        }
    }
}

/// Links keep their URL unless its scheme could run script.
fn safe_url(url: &str) -> String {
    let lower: String = url.trim().chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_lowercase();
    if lower.starts_with("javascript:") || lower.starts_with("vbscript:") || lower.starts_with("data:text/html") {
        "#".to_string()
    } else {
        url.to_string()
    }
}

pub fn mime_of(path: &str) -> &'static str {
    match path.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    }
}
