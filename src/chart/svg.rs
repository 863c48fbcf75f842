//! A chart as data (`Drawing`: SVG's elements with their attributes), and
//! the writer the chart kinds draw with. The HTML prints a drawing as SVG;
//! the PDF draws the same elements with typst's shapes (`pdf/chart.rs`).
//! Coordinates print with one decimal so the same data always gives the
//! same bytes.

use std::fmt::Write as _;

use crate::core::text::escape;

/// Dark, light and middle tones alternate so series stay apart in greyscale.
pub const PALETTE: [&str; 6] = ["#7a1526", "#e3b35e", "#4f7cac", "#bdbdbd", "#c2553f", "#2b2b2b"];
pub const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];
pub const FONT: &str = "'Noto Sans CJK SC', 'Noto Sans', sans-serif";
pub const INK: &str = "#333333";
pub const GRID: &str = "#e3e3e3";

pub fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
    if s == "-0" { "0".into() } else { s }
}

/// Width of a label in px at `size` px (measured: see `metrics`).
pub fn text_width(s: &str, size: f64) -> f64 {
    super::metrics::ems(s, false) * size
}

/// Width of a bold label in px at `size` px.
pub fn bold_width(s: &str, size: f64) -> f64 {
    super::metrics::ems(s, true) * size
}

/// An element's attributes, in the order they print.
pub type Attrs = Vec<(&'static str, String)>;

/// A white outline under a label keeps it legible over bars and lines.
pub fn halo() -> Attrs {
    vec![("stroke", "#ffffff".into()), ("stroke-width", "3".into()), ("stroke-linejoin", "round".into()), ("paint-order", "stroke".into())]
}

/// A label turned by `degrees` about its anchor `(x, y)`.
pub fn turned(degrees: i32, x: f64, y: f64) -> Attrs {
    vec![("transform", format!("rotate({degrees} {} {})", n(x), n(y)))]
}

/// One element of a drawing: a line, rect, circle, path or text.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub tag: &'static str,
    pub attrs: Attrs,
    /// A text element's text.
    pub text: Option<String>,
    /// A value label's series column and point: what `--lineage` HTML
    /// names the data cell of (never printed by `svg`).
    pub mark: Option<(String, usize)>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }
}

/// A chart as data until a backend draws it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawing {
    pub w: f64,
    pub h: f64,
    pub alt: String,
    pub items: Vec<Element>,
}

impl Drawing {
    /// The drawing as SVG text (the HTML's).
    pub fn svg(&self) -> String {
        self.svg_with(&|_, _| vec![])
    }

    /// As `svg`, each value label given the attributes `extra` says for
    /// its series column and point.
    pub fn svg_with(&self, extra: &dyn Fn(&str, usize) -> Attrs) -> String {
        let mut out = String::new();
        let (w, h) = (n(self.w), n(self.h));
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\" font-family=\"{FONT}\">",
            escape(&self.alt)
        );
        for el in &self.items {
            let _ = write!(out, "<{}", el.tag);
            let more = el.mark.as_ref().map(|(column, i)| extra(column, *i)).unwrap_or_default();
            for (k, v) in el.attrs.iter().chain(&more) {
                let _ = write!(out, " {k}=\"{}\"", escape(v));
            }
            match &el.text {
                Some(t) => {
                    let _ = write!(out, ">{}</{}>", escape(t), el.tag);
                }
                None => out.push_str("/>"),
            }
        }
        out.push_str("</svg>");
        out
    }
}

/// The writer the chart kinds draw with.
pub struct Svg {
    drawing: Drawing,
    /// The next text is the value label of this series column and point.
    mark: Option<(String, usize)>,
}

impl Svg {
    pub fn new(w: f64, h: f64, alt: &str) -> Svg {
        Svg { drawing: Drawing { w, h, alt: alt.to_string(), items: Vec::new() }, mark: None }
    }

    /// Any element, its attributes in the order given.
    pub fn push(&mut self, tag: &'static str, attrs: Attrs) {
        self.drawing.items.push(Element { tag, attrs, text: None, mark: None });
    }

    pub fn text(&mut self, x: f64, y: f64, s: &str, size: f64, anchor: &str, extra: Attrs) {
        let mut attrs: Attrs = vec![("x", n(x)), ("y", n(y)), ("font-size", n(size)), ("text-anchor", anchor.to_string())];
        // `extra` may set its own colour.
        if !extra.iter().any(|(k, _)| *k == "fill") {
            attrs.push(("fill", INK.into()));
        }
        attrs.extend(extra);
        let mark = self.mark.take();
        self.drawing.items.push(Element { tag: "text", attrs, text: Some(s.to_string()), mark });
    }

    /// The next text drawn labels point `i` of the series of `column`.
    pub fn value_of(&mut self, column: &str, i: usize) -> &mut Svg {
        self.mark = Some((column.to_string(), i));
        self
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        self.push("line", vec![("x1", n(x1)), ("y1", n(y1)), ("x2", n(x2)), ("y2", n(y2)), ("stroke", stroke.into()), ("stroke-width", n(width))]);
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str) {
        self.push("rect", vec![("x", n(x)), ("y", n(y)), ("width", n(w.max(0.0))), ("height", n(h.max(0.0))), ("fill", fill.into())]);
    }

    pub fn finish(self) -> Drawing {
        self.drawing
    }

    /// A text whose middle is at `x`, moved just enough to stay inside [0, w].
    pub fn text_inside(&mut self, x: f64, y: f64, s: &str, size: f64, w: f64) {
        let half = text_width(s, size) / 2.0;
        let x = if half * 2.0 + 4.0 >= w { w / 2.0 } else { x.clamp(half + 2.0, w - half - 2.0) };
        self.text(x, y, s, size, "middle", vec![]);
    }

    pub fn circle(&mut self, x: f64, y: f64, r: f64, fill: &str, extra: Attrs) {
        let mut attrs = vec![("cx", n(x)), ("cy", n(y)), ("r", n(r)), ("fill", fill.into())];
        attrs.extend(extra);
        self.push("circle", attrs);
    }

    #[allow(clippy::too_many_arguments)]
    pub fn dashed(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64, dash: &str) {
        self.push(
            "line",
            vec![("x1", n(x1)), ("y1", n(y1)), ("x2", n(x2)), ("y2", n(y2)), ("stroke", stroke.into()), ("stroke-width", n(width)), ("stroke-dasharray", dash.into())],
        );
    }
}
