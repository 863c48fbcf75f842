//! An SVG writer. Coordinates print with one decimal so the same data
//! always gives the same bytes.

use std::fmt::Write as _;

use crate::core::words::is_cjk;
use crate::core::text::escape;

/// Dark, light and middle tones alternate so series stay apart in greyscale.
pub const PALETTE: [&str; 6] = ["#7a1526", "#e3b35e", "#4f7cac", "#bdbdbd", "#c2553f", "#2b2b2b"];
pub const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];
pub const FONT: &str = "'Noto Sans CJK SC', 'Noto Sans', sans-serif";
pub const INK: &str = "#333333";
pub const GRID: &str = "#e3e3e3";
/// A white outline under a label keeps it legible over bars and lines.
pub const HALO: &str = " stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

pub fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
    if s == "-0" { "0".into() } else { s }
}

/// Estimated width of a label in px at `size` px.
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(|c| if is_cjk(c) { 1.0 } else if c.is_ascii_uppercase() { 0.65 } else { 0.55 }).sum::<f64>() * size
}

pub struct Svg {
    pub out: String,
}

impl Svg {
    pub fn new(w: f64, h: f64, alt: &str) -> Svg {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\" font-family=\"{FONT}\">",
            n(w), n(h), n(w), n(h), escape(alt)
        );
        Svg { out }
    }

    pub fn text(&mut self, x: f64, y: f64, s: &str, size: f64, anchor: &str, extra: &str) {
        // `extra` may set its own colour.
        let fill = if extra.contains(" fill=") { String::new() } else { format!(" fill=\"{INK}\"") };
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\"{fill}{extra}>{}</text>",
            n(x), n(y), n(size), escape(s)
        );
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        let _ = write!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
            n(x1), n(y1), n(x2), n(y2), n(width)
        );
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str) {
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
            n(x), n(y), n(w.max(0.0)), n(h.max(0.0))
        );
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}


impl Svg {
    /// A text whose middle is at `x`, moved just enough to stay inside [0, w].
    pub fn text_inside(&mut self, x: f64, y: f64, s: &str, size: f64, w: f64) {
        let half = text_width(s, size) / 2.0;
        let x = if half * 2.0 + 4.0 >= w { w / 2.0 } else { x.clamp(half + 2.0, w - half - 2.0) };
        self.text(x, y, s, size, "middle", "");
    }

    pub fn circle(&mut self, x: f64, y: f64, r: f64, fill: &str, extra: &str) {
        let _ = write!(self.out, "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\"{extra}/>", n(x), n(y), n(r));
    }

    #[allow(clippy::too_many_arguments)]
    pub fn dashed(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64, dash: &str) {
        let _ = write!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\" stroke-dasharray=\"{dash}\"/>",
            n(x1), n(y1), n(x2), n(y2), n(width)
        );
    }
}
