//! SVG drawing for every chart kind. Coordinates print with one decimal so
//! the same data always gives the same bytes.

use std::fmt::Write as _;

use super::scale::Scale;
use super::spec::{ChartSpec, Kind, Table};
use crate::text::escape;
use crate::model::is_cjk;

/// Dark, light and middle tones alternate so series stay apart in greyscale.
const PALETTE: [&str; 6] = ["#7a1526", "#e3b35e", "#4f7cac", "#bdbdbd", "#c2553f", "#2b2b2b"];
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];
const FONT: &str = "'Noto Sans CJK SC', 'Noto Sans', sans-serif";
const INK: &str = "#333333";
const GRID: &str = "#e3e3e3";

fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
    if s == "-0" { "0".into() } else { s }
}

/// Estimated width of a label in px at `size` px.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(|c| if is_cjk(c) { 1.0 } else if c.is_ascii_uppercase() { 0.65 } else { 0.55 }).sum::<f64>() * size
}

struct Svg {
    out: String,
}

impl Svg {
    fn new(w: f64, h: f64, alt: &str) -> Svg {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\" font-family=\"{FONT}\">",
            n(w), n(h), n(w), n(h), escape(alt)
        );
        Svg { out }
    }

    fn text(&mut self, x: f64, y: f64, s: &str, size: f64, anchor: &str, extra: &str) {
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\" fill=\"{INK}\"{extra}>{}</text>",
            n(x), n(y), n(size), escape(s)
        );
    }

    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        let _ = write!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
            n(x1), n(y1), n(x2), n(y2), n(width)
        );
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str) {
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
            n(x), n(y), n(w.max(0.0)), n(h.max(0.0))
        );
    }

    fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

pub fn draw(spec: &ChartSpec, t: &Table) -> String {
    let alt = spec.alt.clone().unwrap_or_else(|| spec.caption.clone());
    match spec.kind {
        Kind::Pie | Kind::Donut => pie(spec, t, &alt),
        Kind::Timeline => timeline(spec, t, &alt),
        Kind::Scatter => scatter(spec, t, &alt),
        Kind::Bar if spec.horizontal => hbar(spec, t, &alt),
        Kind::Line | Kind::Bar | Kind::Area => cartesian(spec, t, &alt),
    }
}

fn legend(svg: &mut Svg, t: &Table, kind: Kind, x0: f64, y: f64) {
    if t.series.len() < 2 {
        return;
    }
    let mut x = x0;
    for (i, (name, _)) in t.series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        if matches!(kind, Kind::Line) {
            let dash = DASHES[i % DASHES.len()];
            let _ = write!(
                svg.out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"2.5\" stroke-dasharray=\"{dash}\"/>",
                n(x), n(y - 4.0), n(x + 18.0), n(y - 4.0)
            );
        } else {
            svg.rect(x, y - 10.0, 12.0, 12.0, color);
        }
        svg.text(x + 22.0, y, name, 12.0, "start", "");
        x += 34.0 + text_width(name, 12.0);
    }
}

/// Value range over the series (stacked: the stacked totals).
fn value_range(spec: &ChartSpec, t: &Table, include_zero: bool) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let n = t.categories.len();
    if spec.stacked {
        for i in 0..n {
            let pos: f64 = t.series.iter().map(|(_, v)| v[i]).filter(|v| *v > 0.0).sum();
            let neg: f64 = t.series.iter().map(|(_, v)| v[i]).filter(|v| *v < 0.0).sum();
            lo = lo.min(neg);
            hi = hi.max(pos);
        }
    } else {
        for (_, vs) in &t.series {
            for v in vs.iter().filter(|v| v.is_finite()) {
                lo = lo.min(*v);
                hi = hi.max(*v);
            }
        }
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    (lo, hi)
}

fn value_scale(spec: &ChartSpec, t: &Table, include_zero: bool) -> Scale {
    let (lo, hi) = value_range(spec, t, include_zero && !spec.log);
    if spec.log {
        Scale::log(lo, hi)
    } else {
        Scale::linear(lo, hi, 5)
    }
}

fn tick_label(spec: &ChartSpec, v: f64, scale: &Scale) -> String {
    if scale.log {
        return crate::template::filters::format_num(v, if v < 1.0 { 1 } else { 0 });
    }
    // Ticks share one precision: enough for the step.
    let step = scale.ticks.get(1).map_or(1.0, |s| s - scale.ticks[0]).abs();
    let mut spec = spec.clone();
    if spec.y_decimals.is_none() {
        let scaled = if matches!(spec.y_format, super::NumFormat::Pct | super::NumFormat::SignedPct) && spec.y_ratio.unwrap_or(true) {
            step * 100.0
        } else {
            step
        };
        spec.y_decimals = Some(if scaled >= 1.0 || scaled == 0.0 { 0 } else { (-scaled.log10().floor()) as usize });
    }
    spec.format(v)
}

/// Vertical bars, lines and areas over categories.
fn cartesian(spec: &ChartSpec, t: &Table, alt: &str) -> String {
    let w = spec.width.unwrap_or(640.0);
    let h = spec.height.unwrap_or(360.0);
    let mut svg = Svg::new(w, h, alt);
    let scale = value_scale(spec, t, spec.kind != Kind::Line);
    let labels: Vec<String> = scale.ticks.iter().map(|v| tick_label(spec, *v, &scale)).collect();
    let left = 12.0 + labels.iter().map(|l| text_width(l, 11.0)).fold(0.0, f64::max) + if spec.y_title.is_some() { 16.0 } else { 0.0 };
    let top = if t.series.len() > 1 { 34.0 } else { 14.0 };
    let ncat = t.categories.len().max(1);
    let plot_w = w - left - 12.0;
    let band = plot_w / ncat as f64;
    let widest = t.categories.iter().map(|c| text_width(c, 11.0)).fold(0.0, f64::max);
    // Thin out labels that would collide, then rotate what still does not fit.
    let every = if widest > band * 2.5 { ((widest / (band * 2.5)).ceil() as usize).max(1) } else { 1 };
    let rotate = widest > band * every as f64 * 0.95;
    let bottom = if rotate { 16.0 + widest * 0.6 } else { 26.0 };
    let plot_h = h - top - bottom;
    let y_of = |v: f64| top + plot_h * (1.0 - scale.frac(v));
    legend(&mut svg, t, spec.kind, left, 18.0);
    if let Some(title) = &spec.y_title {
        svg.text(14.0, top + plot_h / 2.0, title, 11.0, "middle", &format!(" transform=\"rotate(-90 14 {})\"", n(top + plot_h / 2.0)));
    }
    for (v, l) in scale.ticks.iter().zip(&labels) {
        let y = y_of(*v);
        svg.line(left, y, left + plot_w, y, GRID, 1.0);
        svg.text(left - 6.0, y + 4.0, l, 11.0, "end", "");
    }
    if !scale.log && scale.min < 0.0 && scale.max > 0.0 {
        svg.line(left, y_of(0.0), left + plot_w, y_of(0.0), "#555555", 1.2);
    }
    let base = if scale.log { scale.min } else { 0.0f64.clamp(scale.min, scale.max) };
    svg.line(left, y_of(base), left + plot_w, y_of(base), "#999999", 1.0);
    for (i, c) in t.categories.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let x = left + band * (i as f64 + 0.5);
        let y = top + plot_h + 16.0;
        if rotate {
            svg.text(x, y, c, 11.0, "end", &format!(" transform=\"rotate(-35 {} {})\"", n(x), n(y)));
        } else {
            svg.text(x, y, c, 11.0, "middle", "");
        }
    }
    match spec.kind {
        Kind::Bar => bars(&mut svg, spec, t, left, band, &y_of, base),
        Kind::Area => areas(&mut svg, spec, t, left, band, &y_of, base),
        _ => lines(&mut svg, spec, t, left, band, &y_of),
    }
    svg.finish()
}

/// One bar of category `i`: series index, value, offset and thickness
/// within the band, and the value range it spans.
struct Bar {
    k: usize,
    v: f64,
    offset: f64,
    size: f64,
    from: f64,
    to: f64,
}

/// The bars of category `i` in a band `band` wide: side by side (grouped) or
/// piled up (stacked, positives up and negatives down from zero).
fn bars_of(spec: &ChartSpec, t: &Table, i: usize, band: f64, base: f64) -> Vec<Bar> {
    let ns = t.series.len().max(1) as f64;
    let inner = band * 0.7;
    let (mut pos, mut neg) = (0.0, 0.0);
    let mut out = Vec::new();
    for (k, (_, vs)) in t.series.iter().enumerate() {
        let v = vs[i];
        if !v.is_finite() {
            continue;
        }
        out.push(if spec.stacked {
            let from = if v >= 0.0 { pos } else { neg };
            let to = from + v;
            if v >= 0.0 { pos = to } else { neg = to }
            Bar { k, v, offset: band * 0.15, size: inner, from, to }
        } else {
            Bar { k, v, offset: band * 0.15 + inner / ns * k as f64, size: inner / ns, from: base, to: v }
        });
    }
    out
}

fn bars(svg: &mut Svg, spec: &ChartSpec, t: &Table, left: f64, band: f64, y_of: &dyn Fn(f64) -> f64, base: f64) {
    for i in 0..t.categories.len() {
        for Bar { k, v, offset, size: bw, from, to } in bars_of(spec, t, i, band, base) {
            let color = PALETTE[k % PALETTE.len()];
            let x = left + band * i as f64 + offset;
            let (ya, yb) = (y_of(from), y_of(to));
            svg.rect(x + 0.5, ya.min(yb), bw - 1.0, (ya - yb).abs(), color);
            if spec.labels {
                let (ly, anchor_y) = if spec.stacked { ((ya + yb) / 2.0 + 4.0, 0.0) } else if v >= 0.0 { (yb - 4.0, 0.0) } else { (yb + 12.0, 0.0) };
                svg.text(x + bw / 2.0, ly + anchor_y, &spec.format(v), 10.0, "middle", "");
            }
        }
    }
}

fn areas(svg: &mut Svg, spec: &ChartSpec, t: &Table, left: f64, band: f64, y_of: &dyn Fn(f64) -> f64, base: f64) {
    let ncat = t.categories.len();
    let mut floor = vec![base; ncat];
    for (k, (_, vs)) in t.series.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let tops: Vec<f64> = (0..ncat).map(|i| if spec.stacked { floor[i] + vs[i].max(0.0) } else { vs[i] }).collect();
        let x_of = |i: usize| left + band * (i as f64 + 0.5);
        let mut d = String::new();
        for i in 0..ncat {
            let _ = write!(d, "{}{} {} ", if i == 0 { "M" } else { "L" }, n(x_of(i)), n(y_of(tops[i])));
        }
        for i in (0..ncat).rev() {
            let _ = write!(d, "L{} {} ", n(x_of(i)), n(y_of(if spec.stacked { floor[i] } else { base })));
        }
        let _ = write!(svg.out, "<path d=\"{}Z\" fill=\"{color}\" fill-opacity=\"0.55\" stroke=\"{color}\" stroke-width=\"1.5\"/>", d);
        if spec.stacked {
            floor = tops;
        }
    }
}

fn lines(svg: &mut Svg, spec: &ChartSpec, t: &Table, left: f64, band: f64, y_of: &dyn Fn(f64) -> f64) {
    let ncat = t.categories.len();
    for (k, (_, vs)) in t.series.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let dash = DASHES[k % DASHES.len()];
        let mut d = String::new();
        let mut pen_down = false;
        for (i, v) in vs.iter().enumerate() {
            if !v.is_finite() {
                pen_down = false;
                continue;
            }
            let x = left + band * (i as f64 + 0.5);
            let _ = write!(d, "{}{} {} ", if pen_down { "L" } else { "M" }, n(x), n(y_of(*v)));
            pen_down = true;
        }
        let _ = write!(
            svg.out,
            "<path class=\"series\" d=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2.2\" stroke-dasharray=\"{dash}\" stroke-linejoin=\"round\"/>",
            d.trim_end()
        );
        if ncat <= 24 {
            for (i, v) in vs.iter().enumerate().filter(|(_, v)| v.is_finite()) {
                let x = left + band * (i as f64 + 0.5);
                let _ = write!(svg.out, "<circle cx=\"{}\" cy=\"{}\" r=\"2.6\" fill=\"{color}\"/>", n(x), n(y_of(*v)));
                if spec.labels {
                    svg.text(x, y_of(*v) - 7.0, &spec.format(*v), 10.0, "middle", "");
                }
            }
        }
    }
}

/// Horizontal bars: categories down the side, values across.
fn hbar(spec: &ChartSpec, t: &Table, alt: &str) -> String {
    let ncat = t.categories.len().max(1);
    let w = spec.width.unwrap_or(640.0);
    let top = if t.series.len() > 1 { 34.0 } else { 12.0 };
    let row = 24.0;
    let h = spec.height.unwrap_or(top + row * ncat as f64 + 30.0);
    let mut svg = Svg::new(w, h, alt);
    let scale = value_scale(spec, t, true);
    let left = 12.0 + t.categories.iter().map(|c| text_width(c, 11.0)).fold(0.0, f64::max);
    let right = 16.0 + if spec.labels { 40.0 } else { 0.0 };
    let plot_w = w - left - right;
    let plot_h = h - top - 26.0;
    let band = plot_h / ncat as f64;
    let x_of = |v: f64| left + plot_w * scale.frac(v);
    legend(&mut svg, t, spec.kind, left, 18.0);
    for v in &scale.ticks {
        let x = x_of(*v);
        svg.line(x, top, x, top + plot_h, GRID, 1.0);
        svg.text(x, top + plot_h + 16.0, &tick_label(spec, *v, &scale), 11.0, "middle", "");
    }
    let base = if scale.log { scale.min } else { 0.0f64.clamp(scale.min, scale.max) };
    svg.line(x_of(base), top, x_of(base), top + plot_h, "#999999", 1.0);
    for (i, c) in t.categories.iter().enumerate() {
        let y0 = top + band * i as f64;
        svg.text(left - 6.0, y0 + band / 2.0 + 4.0, c, 11.0, "end", "");
        for Bar { k, v, offset, size: bh, from, to } in bars_of(spec, t, i, band, base) {
            let color = PALETTE[k % PALETTE.len()];
            let y = y0 + offset;
            let (xa, xb) = (x_of(from), x_of(to));
            svg.rect(xa.min(xb), y + 0.5, (xb - xa).abs(), bh - 1.0, color);
            if spec.labels && !spec.stacked {
                svg.text(xa.max(xb) + 4.0, y + bh / 2.0 + 4.0, &spec.format(v), 10.0, "start", "");
            }
        }
    }
    svg.finish()
}

fn scatter(spec: &ChartSpec, t: &Table, alt: &str) -> String {
    let w = spec.width.unwrap_or(640.0);
    let h = spec.height.unwrap_or(360.0);
    let mut svg = Svg::new(w, h, alt);
    let ys = value_scale(spec, t, false);
    let (xlo, xhi) = t.xs.iter().filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    let xs = if xlo.is_finite() { Scale::linear(xlo, xhi, 6) } else { Scale::linear(0.0, 1.0, 6) };
    let labels: Vec<String> = ys.ticks.iter().map(|v| tick_label(spec, *v, &ys)).collect();
    let left = 12.0 + labels.iter().map(|l| text_width(l, 11.0)).fold(0.0, f64::max);
    let top = if t.series.len() > 1 { 34.0 } else { 14.0 };
    let plot_w = w - left - 16.0;
    let plot_h = h - top - 30.0;
    let x_of = |v: f64| left + plot_w * xs.frac(v);
    let y_of = |v: f64| top + plot_h * (1.0 - ys.frac(v));
    legend(&mut svg, t, spec.kind, left, 18.0);
    for (v, l) in ys.ticks.iter().zip(&labels) {
        svg.line(left, y_of(*v), left + plot_w, y_of(*v), GRID, 1.0);
        svg.text(left - 6.0, y_of(*v) + 4.0, l, 11.0, "end", "");
    }
    // Years and other small whole numbers print without separators.
    let plain = xs.ticks.iter().all(|v| v.fract() == 0.0 && v.abs() < 10_000.0);
    for v in &xs.ticks {
        svg.line(x_of(*v), top, x_of(*v), top + plot_h, GRID, 1.0);
        let label = if plain { n(*v) } else { crate::template::filters::format_num(*v, 0) };
        svg.text(x_of(*v), top + plot_h + 16.0, &label, 11.0, "middle", "");
    }
    for (k, (_, vs)) in t.series.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        for (i, v) in vs.iter().enumerate() {
            if !v.is_finite() || !t.xs[i].is_finite() {
                continue;
            }
            let (x, y) = (x_of(t.xs[i]), y_of(*v));
            let _ = write!(svg.out, "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{color}\" fill-opacity=\"0.85\"/>", n(x), n(y));
            let label = if !t.texts[i].is_empty() { t.texts[i].clone() } else if spec.labels { spec.format(*v) } else { String::new() };
            if !label.is_empty() {
                // Near the right edge the label goes to the left of its point.
                if x > left + plot_w * 0.85 {
                    svg.text(x - 6.0, y - 6.0, &label, 10.0, "end", "");
                } else {
                    svg.text(x + 6.0, y - 6.0, &label, 10.0, "start", "");
                }
            }
        }
    }
    svg.finish()
}

fn pie(spec: &ChartSpec, t: &Table, alt: &str) -> String {
    let w = spec.width.unwrap_or(640.0);
    let h = spec.height.unwrap_or(340.0);
    let mut svg = Svg::new(w, h, alt);
    let values: Vec<f64> = t.series.first().map(|(_, v)| v.iter().map(|x| x.max(0.0)).map(|x| if x.is_finite() { x } else { 0.0 }).collect()).unwrap_or_default();
    let total: f64 = values.iter().sum();
    let (cx, cy) = (w / 2.0, h / 2.0);
    let r = (h / 2.0 - 40.0).min(w / 4.0);
    let inner = if spec.kind == Kind::Donut { r * 0.56 } else { 0.0 };
    let mut angle = -std::f64::consts::FRAC_PI_2;
    let point = |a: f64, rad: f64| (cx + rad * a.cos(), cy + rad * a.sin());
    for (i, v) in values.iter().enumerate() {
        if total <= 0.0 || *v <= 0.0 {
            continue;
        }
        let sweep = v / total * std::f64::consts::TAU;
        let end = angle + sweep;
        let large = if sweep > std::f64::consts::PI { 1 } else { 0 };
        let color = PALETTE[i % PALETTE.len()];
        let (x1, y1) = point(angle, r);
        let (x2, y2) = point(end, r);
        let d = if sweep >= std::f64::consts::TAU - 1e-9 {
            // A single full slice: two half arcs.
            let (xm, ym) = point(angle + std::f64::consts::PI, r);
            format!("M{} {} A{} {} 0 1 1 {} {} A{} {} 0 1 1 {} {} Z", n(x1), n(y1), n(r), n(r), n(xm), n(ym), n(r), n(r), n(x1), n(y1))
        } else if inner > 0.0 {
            let (x3, y3) = point(end, inner);
            let (x4, y4) = point(angle, inner);
            format!(
                "M{} {} A{} {} 0 {large} 1 {} {} L{} {} A{} {} 0 {large} 0 {} {} Z",
                n(x1), n(y1), n(r), n(r), n(x2), n(y2), n(x3), n(y3), n(inner), n(inner), n(x4), n(y4)
            )
        } else {
            format!("M{} {} L{} {} A{} {} 0 {large} 1 {} {} Z", n(cx), n(cy), n(x1), n(y1), n(r), n(r), n(x2), n(y2))
        };
        let _ = write!(svg.out, "<path d=\"{d}\" fill=\"{color}\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>");
        let mid = angle + sweep / 2.0;
        let (lx, ly) = point(mid, r + 14.0);
        let (ex, ey) = point(mid, r + 2.0);
        svg.line(ex, ey, lx, ly, "#999999", 0.8);
        let anchor = if mid.cos() >= 0.0 { "start" } else { "end" };
        let share = crate::template::filters::format_num(v / total * 100.0, 1);
        let label = if spec.labels { format!("{} {} ({share}%)", t.categories[i], spec.format(*v)) } else { format!("{} {share}%", t.categories[i]) };
        svg.text(lx + if anchor == "start" { 3.0 } else { -3.0 }, ly + 4.0, &label, 11.0, anchor, "");
        angle = end;
    }
    svg.finish()
}

/// Break a label into lines of at most `width` px: between CJK characters
/// anywhere, between Latin words only at spaces.
fn wrap(s: &str, width: f64, size: f64) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for c in s.chars() {
        match tokens.last_mut() {
            Some(t) if !is_cjk(c) && !c.is_whitespace() && t.chars().last().is_some_and(|p| !is_cjk(p) && !p.is_whitespace()) => t.push(c),
            _ => tokens.push(c.to_string()),
        }
    }
    let mut lines = vec![String::new()];
    for tok in tokens {
        let cur = lines.last_mut().expect("never empty");
        if !cur.is_empty() && text_width(cur, size) + text_width(&tok, size) > width {
            if tok.trim().is_empty() {
                continue;
            }
            lines.push(String::new());
        }
        lines.last_mut().expect("never empty").push_str(&tok);
    }
    lines.iter_mut().for_each(|l| *l = l.trim().to_string());
    lines.truncate(4);
    lines
}

fn timeline(spec: &ChartSpec, t: &Table, alt: &str) -> String {
    let w = spec.width.unwrap_or(640.0);
    let h = spec.height.unwrap_or(320.0);
    let mut svg = Svg::new(w, h, alt);
    let (lo, hi) = t.xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    let pad = ((hi - lo) * 0.06).max(3.0);
    let (lo, hi) = (lo - pad, hi + pad);
    let (left, right) = (30.0, w - 30.0);
    let axis_y = h / 2.0;
    let x_of = |d: f64| left + (right - left) * (d - lo) / (hi - lo);
    svg.line(left, axis_y, right, axis_y, "#7a1526", 2.0);
    let size = 10.5;
    let line_h = 13.0;
    let label_w = 120.0;
    // Events in date order; each label takes the nearest free slot, above
    // and below the axis in turn, so neighbours never overlap.
    let mut order: Vec<usize> = (0..t.xs.len()).collect();
    order.sort_by(|a, b| t.xs[*a].total_cmp(&t.xs[*b]).then(a.cmp(b)));
    let slots = 3usize;
    let mut busy_until = vec![f64::NEG_INFINITY; slots * 2];
    for (rank, &i) in order.iter().enumerate() {
        let x = x_of(t.xs[i]);
        let anchor = if x < left + label_w / 2.0 { "start" } else if x > right - label_w / 2.0 { "end" } else { "middle" };
        let (x0, x1) = match anchor {
            "start" => (x, x + label_w),
            "end" => (x - label_w, x),
            _ => (x - label_w / 2.0, x + label_w / 2.0),
        };
        let preferred = rank % 2;
        let slot = (0..slots * 2)
            .map(|k| (k % 2 + preferred) % 2 + (k / 2) * 2)
            .find(|s| busy_until[*s] < x0)
            .unwrap_or_else(|| (0..slots * 2).min_by(|a, b| busy_until[*a].total_cmp(&busy_until[*b])).unwrap_or(0));
        busy_until[slot] = x1 + 6.0;
        let above = slot % 2 == 0;
        let level = 28.0 + 44.0 * (slot / 2) as f64;
        let mut lines = vec![t.categories[i].clone()];
        lines.extend(wrap(&t.texts[i], label_w, size));
        let block = line_h * lines.len() as f64;
        let y_end = if above { axis_y - level } else { axis_y + level };
        let y0 = if above { y_end - block + 9.0 } else { y_end + 11.0 };
        svg.line(x, axis_y, x, if above { y0 + block - 9.0 } else { y0 - 10.0 }, "#bdbdbd", 1.0);
        let _ = write!(svg.out, "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"#7a1526\"/>", n(x), n(axis_y));
        for (j, l) in lines.iter().enumerate() {
            let extra = if j == 0 { " font-weight=\"bold\"" } else { "" };
            svg.text(x, y0 + line_h * j as f64, l, size, anchor, extra);
        }
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_compactly() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(1.25), "1.2");
        assert_eq!(n(-0.01), "0");
    }

    #[test]
    fn long_labels_wrap() {
        assert_eq!(wrap("百度发布文心一言；微软发布 Microsoft 365 Copilot", 70.0, 10.0), vec!["百度发布文心一", "言；微软发布", "Microsoft", "365 Copilot"]);
    }
}
