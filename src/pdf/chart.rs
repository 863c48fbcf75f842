//! Charts in the PDF: the chart's drawing (the elements the HTML prints as
//! SVG) drawn with typst's own shapes and text. typst would otherwise parse
//! each report's SVG and shape its labels again with a font face built for
//! every label — a tenth of a one-page note's build. The chart module draws
//! a small vocabulary (lines, rectangles, circles, paths of lines and
//! circular arcs, text); a drawing with anything else stays an SVG image.

use std::fmt::Write as _;

use crate::chart::{Drawing, Element};
use crate::pdf::literal::string_lit;

/// The typst code of a chart: `folio-chart(w, h, alt, (items))`, drawn at
/// its size in the HTML and scaled to the column by the template. None when
/// the drawing uses what this does not translate.
pub fn to_typst(drawing: &Drawing, alt: &str) -> Option<String> {
    // The sizes as the SVG prints them, so that both outputs agree.
    let size = |v: f64| crate::chart::n(v).parse::<f64>().ok().filter(|v| v.is_finite());
    let (w, h) = (size(drawing.w)?, size(drawing.h)?);
    let mut out = String::new();
    let _ = write!(out, "folio-chart({}, {}, {}, (", f(w), f(h), string_lit(alt));
    for el in &drawing.items {
        item(el, w, &mut out)?;
        out.push_str(", ");
    }
    out.push_str("))");
    Some(out)
}

/// The attributes each element may carry; one the chart module starts to
/// write later is not dropped unseen, the drawing stays an SVG image.
const KNOWN: &[(&str, &[&str])] = &[
    ("line", &["x1", "y1", "x2", "y2", "stroke", "stroke-width", "stroke-dasharray", "class"]),
    ("rect", &["x", "y", "width", "height", "fill", "fill-opacity", "stroke", "stroke-width", "class"]),
    ("circle", &["cx", "cy", "r", "fill", "fill-opacity", "stroke", "stroke-width", "class"]),
    ("path", &["d", "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-linejoin", "class"]),
    ("text", &["x", "y", "font-size", "font-weight", "text-anchor", "fill", "transform", "stroke", "stroke-width", "stroke-linejoin", "paint-order", "class"]),
];

fn item(el: &Element, w: f64, out: &mut String) -> Option<()> {
    let (_, known) = KNOWN.iter().find(|(tag, _)| *tag == el.tag)?;
    if el.attrs.iter().any(|(name, _)| !known.contains(name)) {
        return None;
    }
    match el.tag {
        "line" => {
            let (x1, y1, x2, y2) = (num(el, "x1")?, num(el, "y1")?, num(el, "x2")?, num(el, "y2")?);
            let _ = write!(out, "place(line(start: ({}pt, {}pt), end: ({}pt, {}pt), stroke: {}))", f(x1), f(y1), f(x2), f(y2), stroke(el)?);
        }
        "rect" => {
            let (x, y, rw, rh) = (num(el, "x")?, num(el, "y")?, num(el, "width")?, num(el, "height")?);
            let _ = write!(out, "place(dx: {}pt, dy: {}pt, rect(width: {}pt, height: {}pt, fill: {}, stroke: {}))", f(x), f(y), f(rw), f(rh), fill(el)?, stroke(el)?);
        }
        "circle" => {
            let (cx, cy, r) = (num(el, "cx")?, num(el, "cy")?, num(el, "r")?);
            let _ = write!(out, "place(dx: {}pt, dy: {}pt, circle(radius: {}pt, fill: {}, stroke: {}))", f(cx - r), f(cy - r), f(r), fill(el)?, stroke(el)?);
        }
        "path" => {
            let _ = write!(out, "place(curve(fill: {}, stroke: {}, {}))", fill(el)?, stroke(el)?, path(el.attr("d")?)?);
        }
        "text" => text(el, w, out)?,
        _ => return None,
    }
    Some(())
}

/// A label whose baseline is at `y`, anchored at `x` by its start, middle or
/// end, perhaps turned about that point, perhaps over a white halo.
fn text(el: &Element, w: f64, out: &mut String) -> Option<()> {
    let (x, y, size) = (num(el, "x")?, num(el, "y")?, num(el, "font-size")?);
    let body = el.text.as_deref().unwrap_or("");
    let weight = match el.attr("font-weight") {
        None => "regular",
        Some("bold") => "bold",
        Some(_) => return None,
    };
    // Where the anchor sits in the chart's width, and the point to turn about.
    let (align, dx, origin) = match el.attr("text-anchor").unwrap_or("start") {
        "start" => ("left", x, "left"),
        "middle" => ("center", x - w / 2.0, "center"),
        "end" => ("right", x - w, "right"),
        _ => return None,
    };
    let turn = match el.attr("transform") {
        None => None,
        Some(t) => {
            // Only `rotate(a x y)` about the label's own anchor.
            let args: Vec<f64> = t.strip_prefix("rotate(")?.strip_suffix(')')?.split_whitespace().map(|a| a.parse().ok()).collect::<Option<_>>()?;
            match args[..] {
                [a, ax, ay] if (ax - x).abs() < 0.05 && (ay - y).abs() < 0.05 => Some(a),
                _ => return None,
            }
        }
    };
    let ink = color(el.attr("fill").unwrap_or("#000000"))?;
    let mut label = |fill: &str, halo: Option<(&str, f64)>| {
        let mut t = format!("text(size: {}pt, weight: \"{weight}\", fill: {fill}", f(size));
        if let Some((paint, width)) = halo {
            let _ = write!(t, ", stroke: (paint: {paint}, thickness: {}pt, join: \"round\")", f(width));
        }
        let _ = write!(t, ", {})", string_lit(body));
        if let Some(a) = turn {
            t = format!("rotate({}deg, origin: {origin} + top, reflow: false, {t})", f(a));
        }
        let _ = write!(out, "place(top + {align}, dx: {}pt, dy: {}pt, {t}), ", f(dx), f(y));
    };
    // SVG's `paint-order="stroke"` draws the outline under the letters;
    // typst strokes over them, so the outline is a label of its own below.
    if let Some(halo) = el.attr("stroke") {
        if el.attr("paint-order") != Some("stroke") {
            return None;
        }
        let paint = color(halo)?;
        label(&paint, Some((&paint, num(el, "stroke-width").unwrap_or(1.0))));
    }
    label(&ink, None);
    // The last ", " is the caller's.
    out.truncate(out.len() - 2);
    Some(())
}

/// `M x y`, `L x y`, `A r r 0 large sweep x y` and `Z` (all the chart
/// module writes) as typst curve parts; an arc becomes cubic pieces.
fn path(d: &str) -> Option<String> {
    // Commands may touch their numbers (`…5Z`): set them apart first.
    let mut spaced = String::with_capacity(d.len() * 2);
    for c in d.chars() {
        match c {
            ',' => spaced.push(' '),
            c if c.is_ascii_alphabetic() => spaced.extend([' ', c, ' ']),
            c => spaced.push(c),
        }
    }
    let mut parts = Vec::new();
    // The pen, and where its subpath began (for `Z`).
    let (mut at, mut start) = ((0.0, 0.0), (0.0, 0.0));
    let point = |(x, y): (f64, f64)| format!("({}pt, {}pt)", f(x), f(y));
    let mut tokens = spaced.split_whitespace();
    while let Some(cmd) = tokens.next() {
        let mut num = || -> Option<f64> { tokens.next()?.parse().ok().filter(|v: &f64| v.is_finite()) };
        match cmd {
            "M" => {
                at = (num()?, num()?);
                start = at;
                parts.push(format!("curve.move({})", point(at)));
            }
            "L" => {
                at = (num()?, num()?);
                parts.push(format!("curve.line({})", point(at)));
            }
            "A" => {
                let (rx, ry, turn, large, sweep) = (num()?, num()?, num()?, num()?, num()?);
                let end = (num()?, num()?);
                // Circular arcs only, as pies and donuts draw them.
                if (rx - ry).abs() > 1e-9 || turn != 0.0 {
                    return None;
                }
                for (c1, c2, to) in arc(at, end, rx, large != 0.0, sweep != 0.0) {
                    parts.push(format!("curve.cubic({}, {}, {})", point(c1), point(c2), point(to)));
                }
                at = end;
            }
            "Z" | "z" => {
                parts.push("curve.close(mode: \"straight\")".to_string());
                at = start;
            }
            // Curves, relative commands, implicit repeats: left to the SVG image.
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

type Point = (f64, f64);

/// A circular SVG arc from `from` to `to` as cubic Bézier pieces of at most
/// a quarter turn each (the SVG specification's endpoint-to-centre steps).
fn arc(from: Point, to: Point, r: f64, large: bool, sweep: bool) -> Vec<(Point, Point, Point)> {
    let (hx, hy) = ((from.0 - to.0) / 2.0, (from.1 - to.1) / 2.0);
    if r <= 0.0 || (hx == 0.0 && hy == 0.0) {
        return vec![(from, to, to)];
    }
    // A radius too small for the two ends grows until it spans them.
    let r = r.max((hx * hx + hy * hy).sqrt());
    let d2 = hx * hx + hy * hy;
    let sign = if large == sweep { -1.0 } else { 1.0 };
    let k = sign * ((r * r - d2).max(0.0) / d2).sqrt();
    let (cx, cy) = (k * hy + (from.0 + to.0) / 2.0, -k * hx + (from.1 + to.1) / 2.0);
    let a0 = (from.1 - cy).atan2(from.0 - cx);
    let mut delta = (to.1 - cy).atan2(to.0 - cx) - a0;
    if sweep && delta < 0.0 {
        delta += std::f64::consts::TAU;
    } else if !sweep && delta > 0.0 {
        delta -= std::f64::consts::TAU;
    }
    let n = (delta.abs() / std::f64::consts::FRAC_PI_2).ceil().max(1.0) as usize;
    let step = delta / n as f64;
    let handle = 4.0 / 3.0 * (step / 4.0).tan() * r;
    let on = |a: f64| (cx + r * a.cos(), cy + r * a.sin());
    (0..n)
        .map(|i| {
            let (a, b) = (a0 + step * i as f64, a0 + step * (i + 1) as f64);
            let (p0, p3) = (on(a), on(b));
            let c1 = (p0.0 - handle * a.sin(), p0.1 + handle * a.cos());
            let c2 = (p3.0 + handle * b.sin(), p3.1 - handle * b.cos());
            (c1, c2, if i + 1 == n { to } else { p3 })
        })
        .collect()
}

fn num(el: &Element, name: &str) -> Option<f64> {
    el.attr(name)?.parse().ok().filter(|v: &f64| v.is_finite())
}

/// `#rrggbb` with its opacity, as typst's `rgb("#rrggbbaa")`.
fn color_with(hex: &str, opacity: Option<&str>) -> Option<String> {
    let digits = hex.strip_prefix('#').filter(|d| d.len() == 6 && d.chars().all(|c| c.is_ascii_hexdigit()))?;
    let alpha = match opacity {
        None => String::new(),
        Some(o) => format!("{:02x}", (o.parse::<f64>().ok()?.clamp(0.0, 1.0) * 255.0).round() as u8),
    };
    Some(format!("rgb(\"#{digits}{alpha}\")"))
}

fn color(hex: &str) -> Option<String> {
    color_with(hex, None)
}

fn fill(el: &Element) -> Option<String> {
    match el.attr("fill") {
        // SVG fills a shape black unless told otherwise.
        None => Some("black".into()),
        Some("none") => Some("none".into()),
        Some(c) => color_with(c, el.attr("fill-opacity")),
    }
}

fn stroke(el: &Element) -> Option<String> {
    let paint = match el.attr("stroke") {
        None | Some("none") => return Some("none".into()),
        Some(c) => color(c)?,
    };
    let width = num(el, "stroke-width").unwrap_or(1.0);
    let mut s = format!("(paint: {paint}, thickness: {}pt, cap: \"butt\"", f(width));
    match el.attr("stroke-linejoin") {
        None => {}
        Some(j @ ("round" | "bevel" | "miter")) => {
            let _ = write!(s, ", join: \"{j}\"");
        }
        Some(_) => return None,
    }
    if let Some(dash) = el.attr("stroke-dasharray").filter(|d| !d.trim().is_empty()) {
        let lengths: Vec<f64> = dash.split(|c: char| c.is_whitespace() || c == ',').filter(|t| !t.is_empty()).map(|t| t.parse().ok()).collect::<Option<_>>()?;
        let _ = write!(s, ", dash: ({},)", lengths.iter().map(|l| format!("{}pt", f(*l))).collect::<Vec<_>>().join(", "));
    }
    s.push(')');
    Some(s)
}

/// A number as typst reads it (no exponent, no `-0`).
fn f(v: f64) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A drawing of 100 × 50 holding `item`, written as SVG for legibility;
    /// None when it is not one element of the vocabulary.
    fn one(item: &str) -> Option<String> {
        let doc = roxmltree::Document::parse(item).ok()?;
        let el = doc.root_element();
        if el.children().any(|c| c.is_element()) {
            return None;
        }
        let tag = ["line", "rect", "circle", "path", "text"].into_iter().find(|t| *t == el.tag_name().name())?;
        let attrs = el.attributes().map(|a| (KNOWN.iter().flat_map(|(_, k)| k.iter()).find(|k| **k == a.name()).copied().unwrap_or("unknown"), a.value().to_string())).collect();
        let text = (tag == "text").then(|| el.text().unwrap_or("").to_string());
        to_typst(&Drawing { w: 100.0, h: 50.0, alt: "a chart".into(), items: vec![Element { tag, attrs, text, mark: None }] }, "a chart")
    }

    #[test]
    fn paths_become_curves_and_curves_stay_svg() {
        assert_eq!(path("M1 2 L3.5 4 L5 6Z"), Some("curve.move((1pt, 2pt)), curve.line((3.5pt, 4pt)), curve.line((5pt, 6pt)), curve.close(mode: \"straight\")".into()));
        assert_eq!(path("M1 2 C3 3 0 0 1 4 Z"), None);
        assert_eq!(path("M1 2 A3 2 0 0 1 4 5 Z"), None, "elliptic arcs stay SVG");
        assert_eq!(path("M1 2 L3"), None);
        assert_eq!(path(""), None);
    }

    #[test]
    fn arcs_keep_their_circle() {
        // A quarter of the circle of radius 10 about (0, 0), clockwise on
        // screen, from (10, 0) to (0, 10): one piece whose handles stand
        // 4/3·tan(π/8)·10 from its ends.
        let pieces = arc((10.0, 0.0), (0.0, 10.0), 10.0, false, true);
        assert_eq!(pieces.len(), 1);
        let ((c1, c2, to), h) = (pieces[0], 4.0 / 3.0 * (std::f64::consts::PI / 8.0).tan() * 10.0);
        let close = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9;
        assert!(close(c1, (10.0, h)) && close(c2, (h, 10.0)) && close(to, (0.0, 10.0)), "{:?}", pieces[0]);
        // The large way round the same ends: three quarters, three pieces,
        // every point on the circle.
        let long = arc((10.0, 0.0), (0.0, 10.0), 10.0, true, false);
        assert_eq!(long.len(), 3);
        for (_, _, p) in &long {
            assert!(((p.0 * p.0 + p.1 * p.1).sqrt() - 10.0).abs() < 1e-9, "{p:?}");
        }
        // A whole pie slice: two half arcs.
        assert!(path("M0 -10 A10 10 0 1 1 0 10 A10 10 0 1 1 0 -10 Z").is_some_and(|p| p.matches("curve.cubic").count() == 4));
    }

    #[test]
    fn labels_keep_their_anchor_turn_and_halo() {
        let end = one("<text x='90' y='20' font-size='11' text-anchor='end' fill='#333333'>1,250</text>").unwrap();
        assert!(end.contains(r##"place(top + right, dx: -10pt, dy: 20pt, text(size: 11pt, weight: "regular", fill: rgb("#333333"), "1,250"))"##), "{end}");
        let turned = one("<text x='12' y='30' font-size='11' text-anchor='middle' fill='#333333' transform='rotate(-90 12 30)'>亿元</text>").unwrap();
        assert!(turned.contains("place(top + center, dx: -38pt, dy: 30pt, rotate(-90deg, origin: center + top"), "{turned}");
        let halo = one("<text x='5' y='5' font-size='10' fill='#333333' stroke='#ffffff' stroke-width='3' paint-order='stroke'>9%</text>").unwrap();
        let (under, over) = (halo.find(r##"stroke: (paint: rgb("#ffffff")"##).unwrap(), halo.rfind(r##"fill: rgb("#333333")"##).unwrap());
        assert!(under < over, "the outline is drawn first: {halo}");
        // A turn about another point than the anchor is not translated.
        assert_eq!(one("<text x='12' y='30' font-size='11' transform='rotate(-90 0 0)'>x</text>"), None);
    }

    #[test]
    fn opacity_and_dashes_carry_over() {
        let range = one("<rect x='1' y='2' width='3' height='4' fill='#e3b35e' fill-opacity='0.22'/>").unwrap();
        assert!(range.contains(r##"fill: rgb("#e3b35e38")"##), "{range}");
        let dashed = one("<line x1='0' y1='1' x2='9' y2='1' stroke='#7a1526' stroke-width='2.5' stroke-dasharray='6 3'/>").unwrap();
        assert!(dashed.contains("dash: (6pt, 3pt,)"), "{dashed}");
    }

    #[test]
    fn anything_else_stays_an_svg_image() {
        assert_eq!(one("<g><rect x='1' y='2' width='3' height='4'/></g>"), None);
        assert_eq!(one("<rect x='1' y='2' width='3' height='4' fill='red'/>"), None);
        assert_eq!(one("<text x='1' y='2' font-size='9' font-weight='300'>x</text>"), None);
        assert_eq!(one("<rect x='1' y='2' width='3' height='4' fill='#ffffff' opacity='0.5'/>"), None, "an attribute not translated");
        assert_eq!(one("<text x='1' y='2' font-size='9'>a<tspan>b</tspan></text>"), None);
        assert_eq!(one("<svg"), None);
    }
}
