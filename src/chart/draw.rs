//! SVG drawing for every chart kind but vertical bars, lines and areas
//! (`cartesian.rs`), and what all kinds share: legends, value scales, labels.


use super::scale::Scale;
use super::spec::{AxisFormat, ChartSpec, Kind, Side};
use super::svg::{n, text_width, turned, Drawing, Svg, DASHES, GRID, PALETTE};
use super::table::{label_decimals, Series, Table, XKind};
use crate::core::diag::Diagnostic;
use crate::core::words::is_cjk;

pub fn draw(spec: &ChartSpec, t: &Table, w: f64, h: Option<f64>) -> Result<Drawing, Diagnostic> {
    let alt = spec.alt.clone().unwrap_or_else(|| spec.caption.clone());
    let h = |default: f64| h.unwrap_or(default);
    Ok(match spec.kind {
        Kind::Pie | Kind::Donut => pie(spec, t, &alt, w, h(340.0)),
        Kind::Timeline => timeline(t, &alt, w, h(320.0)),
        Kind::Scatter => scatter(spec, t, &alt, w, h(360.0)),
        Kind::Bar if spec.horizontal => hbar(spec, t, &alt, w),
        Kind::Line | Kind::Bar | Kind::Area => super::cartesian::draw(spec, t, &alt, w, h(360.0))?,
    })
}

/// One legend entry: a line sample (with its dash) or a swatch.
pub struct Key<'a> {
    pub name: &'a str,
    pub color: &'static str,
    pub dash: Option<&'static str>,
}

/// Keys wrapped into rows that fit between `x0` and `x1`; returns the height used.
pub fn legend(svg: &mut Svg, keys: &[Key<'_>], x0: f64, x1: f64, y: f64) -> f64 {
    if keys.len() < 2 {
        return 0.0;
    }
    let (mut x, mut y) = (x0, y);
    for k in keys {
        let wide = 30.0 + text_width(k.name, 12.0);
        if x > x0 && x + wide > x1 {
            x = x0;
            y += 18.0;
        }
        match k.dash {
            Some(dash) => {
                svg.dashed(x, y - 4.0, x + 18.0, y - 4.0, k.color, 2.5, dash);
            }
            None => svg.rect(x, y - 10.0, 12.0, 12.0, k.color),
        }
        svg.text(x + 22.0, y, k.name, 12.0, "start", vec![]);
        x += wide + 4.0;
    }
    y + 8.0
}

/// Height the legend of `keys` takes between `x0` and `x1` (without drawing).
pub fn legend_height(keys: &[Key<'_>], x0: f64, x1: f64) -> f64 {
    let mut probe = Svg::new(0.0, 0.0, "");
    let bottom = legend(&mut probe, keys, x0, x1, 18.0);
    if bottom == 0.0 { 0.0 } else { bottom + 6.0 }
}

pub fn color(k: usize) -> &'static str {
    PALETTE[k % PALETTE.len()]
}

pub fn dash(k: usize) -> &'static str {
    DASHES[k % DASHES.len()]
}

/// Value range over `series` (stacked: the stacked totals), widened by `extra`.
pub fn value_range<'a>(series: impl Iterator<Item = &'a Series> + Clone, stacked: bool, include_zero: bool, extra: &[f64]) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let slots = series.clone().map(|s| s.values.len()).max().unwrap_or(0);
    if stacked {
        for i in 0..slots {
            let pos: f64 = series.clone().map(|s| s.values[i]).filter(|v| *v > 0.0).sum();
            let neg: f64 = series.clone().map(|s| s.values[i]).filter(|v| *v < 0.0).sum();
            lo = lo.min(neg);
            hi = hi.max(pos);
        }
    } else {
        for v in series.flat_map(|s| s.values.iter()).filter(|v| v.is_finite()) {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
    }
    for v in extra {
        lo = lo.min(*v);
        hi = hi.max(*v);
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

pub fn value_scale<'a>(spec: &ChartSpec, series: impl Iterator<Item = &'a Series> + Clone, include_zero: bool, log: bool, extra: &[f64]) -> Scale {
    let (lo, hi) = value_range(series, spec.stacked, include_zero && !log, extra);
    if log {
        Scale::log(lo, hi)
    } else {
        Scale::linear(lo, hi, 5)
    }
}

/// Tick text: one precision for all ticks of an axis, enough for its step.
pub fn tick_label(fmt: AxisFormat, v: f64, scale: &Scale) -> String {
    if scale.log {
        return crate::core::format::format_num(v, if v < 1.0 { (-v.log10().floor()) as usize } else { 0 });
    }
    let d = fmt.decimals.unwrap_or_else(|| tick_decimals(&scale.ticks, fmt.shift()));
    fmt.print(v, Some(d))
}

/// The fewest decimals that print every tick exactly (a step of 2.5 needs
/// one: 0.0, 2.5, 5.0, 7.5), so that each label is the value at its line.
fn tick_decimals(ticks: &[f64], shift: isize) -> usize {
    let k = 10f64.powi(shift as i32);
    (0..=12usize)
        .find(|d| {
            let p = 10f64.powi(*d as i32);
            ticks.iter().all(|t| {
                let v = t * k;
                ((v * p).round() / p - v).abs() <= v.abs().max(1.0) * 1e-9
            })
        })
        .unwrap_or(12)
}

/// Data label text of each value of `s`: the spec's `label_decimals`, else
/// as written in the data and enough to tell the values apart.
pub fn value_labels(spec: &ChartSpec, s: &Series) -> Vec<String> {
    let fmt = spec.axis(s.side);
    let decimals: Vec<usize> = match spec.label_decimals.or(fmt.decimals) {
        Some(d) => vec![d; s.values.len()],
        None => label_decimals(&s.values, &s.written, fmt.shift()),
    };
    s.values.iter().zip(decimals).map(|(v, d)| if v.is_finite() { fmt.print(*v, Some(d)) } else { String::new() }).collect()
}

/// One bar of a category: series index, offset and thickness within the
/// band, and the value range it spans.
pub struct Bar {
    pub k: usize,
    pub offset: f64,
    pub size: f64,
    pub from: f64,
    pub to: f64,
}

/// The bars of slot `i` in a band `band` wide: side by side (grouped) or
/// piled up (stacked, positives up and negatives down from zero).
pub fn bars_of(spec: &ChartSpec, series: &[&Series], i: usize, band: f64, base: f64) -> Vec<Bar> {
    let ns = series.len().max(1) as f64;
    let inner = band * 0.7;
    let (mut pos, mut neg) = (0.0, 0.0);
    let mut out = Vec::new();
    for (k, s) in series.iter().enumerate() {
        let v = s.values[i];
        if !v.is_finite() {
            continue;
        }
        out.push(if spec.stacked {
            let from = if v >= 0.0 { pos } else { neg };
            let to = from + v;
            if v >= 0.0 { pos = to } else { neg = to }
            Bar { k, offset: band * 0.15, size: inner, from, to }
        } else {
            Bar { k, offset: band * 0.15 + inner / ns * k as f64, size: inner / ns, from: base, to: v }
        });
    }
    out
}

/// Horizontal bars: categories down the side, values across.
fn hbar(spec: &ChartSpec, t: &Table, alt: &str, w: f64) -> Drawing {
    let ncat = t.categories.len().max(1);
    let series: Vec<&Series> = t.left().collect();
    let keys: Vec<Key<'_>> = series.iter().enumerate().map(|(k, s)| Key { name: &s.name, color: color(k), dash: None }).collect();
    let left = 12.0 + t.categories.iter().map(|c| text_width(c, 11.0)).fold(0.0, f64::max).min(w * 0.4);
    let top = 12.0 + legend_height(&keys, left, w - 12.0);
    let row = 24.0;
    let h = spec.height.unwrap_or(top + row * ncat as f64 + 30.0);
    let mut svg = Svg::new(w, h, alt);
    let scale = value_scale(spec, series.iter().copied(), true, spec.log, &[]);
    let labels: Vec<Vec<String>> = series.iter().map(|s| value_labels(spec, s)).collect();
    let widest_label = labels.iter().flatten().map(|l| text_width(l, 10.0)).fold(0.0, f64::max);
    let right = 16.0 + if spec.labels && !spec.stacked { widest_label + 6.0 } else { 0.0 };
    let plot_w = w - left - right;
    let plot_h = h - top - 26.0;
    let band = plot_h / ncat as f64;
    let x_of = |v: f64| left + plot_w * scale.frac(v);
    legend(&mut svg, &keys, left, w - 12.0, 18.0);
    for v in &scale.ticks {
        let x = x_of(*v);
        svg.line(x, top, x, top + plot_h, GRID, 1.0);
        svg.text_inside(x, top + plot_h + 16.0, &tick_label(spec.axis(Side::Left), *v, &scale), 11.0, w);
    }
    let base = if scale.log { scale.min } else { 0.0f64.clamp(scale.min, scale.max) };
    svg.line(x_of(base), top, x_of(base), top + plot_h, "#999999", 1.0);
    for (i, c) in t.categories.iter().enumerate() {
        let y0 = top + band * i as f64;
        svg.text(left - 6.0, y0 + band / 2.0 + 4.0, c, 11.0, "end", vec![]);
        for Bar { k, offset, size: bh, from, to } in bars_of(spec, &series, i, band, base) {
            let y = y0 + offset;
            let (xa, xb) = (x_of(from), x_of(to));
            svg.rect(xa.min(xb), y + 0.5, (xb - xa).abs(), bh - 1.0, color(k));
            if spec.labels && !spec.stacked {
                svg.value_of(&series[k].column, i).text(xa.max(xb) + 4.0, y + bh / 2.0 + 4.0, &labels[k][i], 10.0, "start", vec![]);
            }
        }
    }
    svg.finish()
}

/// Ticks of a numeric or time x axis: positions and texts.
pub fn x_ticks(spec: &ChartSpec, t: &Table, lo: f64, hi: f64, room: f64) -> (Scale, Vec<(f64, String)>) {
    match t.x_kind {
        XKind::Time(grain) => {
            let widest = text_width(&crate::core::dates::label(hi, grain, spec.lang()), 11.0) + 14.0;
            let ticks = crate::core::dates::ticks(lo, hi, grain, (room / widest).floor().max(2.0) as usize, spec.lang());
            let labels = ticks
                .iter()
                .map(|tk| match &spec.x_date {
                    Some(style) => (tk.day, crate::core::format::format_date(&crate::core::dates::iso(tk.day), style).unwrap_or_else(|_| tk.label.clone())),
                    None => (tk.day, tk.label.clone()),
                })
                .collect();
            (Scale { min: lo, max: hi, log: false, ticks: vec![] }, labels)
        }
        _ => {
            let mut scale = if spec.x_log { Scale::log(lo, hi) } else { Scale::linear(lo, hi, ((room / 70.0) as usize).clamp(2, 8)) };
            // Whole-number data (years, counts) gets whole-number ticks.
            let step = scale.ticks.get(1).map_or(1.0, |s| s - scale.ticks[0]);
            if !scale.log && step < 1.0 && t.xs.iter().all(|v| v.fract() == 0.0) {
                scale = Scale::linear(lo, hi, ((hi - lo).round() as usize).max(1));
            }
            // Years and other small whole numbers print without separators.
            let plain = scale.ticks.iter().all(|v| v.fract() == 0.0 && v.abs() < 10_000.0);
            let fmt = AxisFormat::default();
            let labels = scale.ticks.iter().map(|v| (*v, if plain { n(*v) } else { tick_label(fmt, *v, &scale) })).collect();
            (scale, labels)
        }
    }
}

fn scatter(spec: &ChartSpec, t: &Table, alt: &str, w: f64, h: f64) -> Drawing {
    let mut svg = Svg::new(w, h, alt);
    let series: Vec<&Series> = t.left().collect();
    let keys: Vec<Key<'_>> = series.iter().enumerate().map(|(k, s)| Key { name: &s.name, color: color(k), dash: None }).collect();
    let ys = value_scale(spec, series.iter().copied(), false, spec.log, &[]);
    let (xlo, xhi) = t.xs.iter().filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    let (xlo, xhi) = if xlo.is_finite() { (xlo, xhi) } else { (0.0, 1.0) };
    let labels: Vec<String> = ys.ticks.iter().map(|v| tick_label(spec.axis(Side::Left), *v, &ys)).collect();
    let left = 12.0 + labels.iter().map(|l| text_width(l, 11.0)).fold(0.0, f64::max) + if spec.y_title.is_some() { 16.0 } else { 0.0 };
    let top = 14.0 + legend_height(&keys, left, w - 12.0);
    let plot_w = w - left - 16.0;
    let bottom = 30.0 + if spec.x_title.is_some() { 16.0 } else { 0.0 };
    let plot_h = h - top - bottom;
    let (xs, xlabels) = x_ticks(spec, t, xlo, xhi, plot_w);
    let xs = if matches!(t.x_kind, XKind::Time(_)) { Scale { min: xlo, max: xhi.max(xlo + 1.0), ..xs } } else { xs };
    let x_of = |v: f64| left + plot_w * xs.frac(v);
    let y_of = |v: f64| top + plot_h * (1.0 - ys.frac(v));
    legend(&mut svg, &keys, left, w - 12.0, 18.0);
    axis_titles(&mut svg, spec, left, top, plot_w, plot_h, h);
    for (v, l) in ys.ticks.iter().zip(&labels) {
        svg.line(left, y_of(*v), left + plot_w, y_of(*v), GRID, 1.0);
        svg.text(left - 6.0, y_of(*v) + 4.0, l, 11.0, "end", vec![]);
    }
    for (v, l) in &xlabels {
        svg.line(x_of(*v), top, x_of(*v), top + plot_h, GRID, 1.0);
        svg.text_inside(x_of(*v), top + plot_h + 16.0, l, 11.0, w);
    }
    let points = t.xs.len();
    let r = if points > 100 { 2.8 } else { 4.0 };
    for (k, s) in series.iter().enumerate() {
        let value_text = if spec.labels { value_labels(spec, s) } else { vec![] };
        for (i, v) in s.values.iter().enumerate() {
            if !v.is_finite() || !t.xs[i].is_finite() {
                continue;
            }
            let (x, y) = (x_of(t.xs[i]), y_of(*v));
            svg.circle(x, y, r, color(k), vec![("fill-opacity", "0.75".into())]);
            let label = if !t.texts[i].is_empty() { t.texts[i].clone() } else { value_text.get(i).cloned().unwrap_or_default() };
            if t.texts[i].is_empty() && !label.is_empty() {
                svg.value_of(&s.column, i);
            }
            if !label.is_empty() {
                // Near the right edge the label goes to the left of its point.
                if x + 6.0 + text_width(&label, 10.0) > w - 2.0 {
                    svg.text(x - 6.0, y - 6.0, &label, 10.0, "end", vec![]);
                } else {
                    svg.text(x + 6.0, y - 6.0, &label, 10.0, "start", vec![]);
                }
            }
        }
    }
    svg.finish()
}

/// `y_title` up the left side, `y2_title` up the right, `x_title` under the axis.
pub fn axis_titles(svg: &mut Svg, spec: &ChartSpec, left: f64, top: f64, plot_w: f64, plot_h: f64, h: f64) {
    let mid = top + plot_h / 2.0;
    if let Some(title) = &spec.y_title {
        svg.text(12.0, mid, title, 11.0, "middle", turned(-90, 12.0, mid));
    }
    if let Some(title) = &spec.x_title {
        svg.text(left + plot_w / 2.0, h - 6.0, title, 11.0, "middle", vec![]);
    }
}

fn pie(spec: &ChartSpec, t: &Table, alt: &str, w: f64, h: f64) -> Drawing {
    let mut svg = Svg::new(w, h, alt);
    let first = t.series.first();
    let values: Vec<f64> = first.map(|s| s.values.iter().map(|x| if x.is_finite() { x.max(0.0) } else { 0.0 }).collect()).unwrap_or_default();
    let texts = first.map(|s| value_labels(spec, s)).unwrap_or_default();
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
        svg.push("path", vec![("d", d), ("fill", color(i).into()), ("stroke", "#ffffff".into()), ("stroke-width", "1.5".into())]);
        let mid = angle + sweep / 2.0;
        let (lx, ly) = point(mid, r + 14.0);
        let (ex, ey) = point(mid, r + 2.0);
        svg.line(ex, ey, lx, ly, "#999999", 0.8);
        let anchor = if mid.cos() >= 0.0 { "start" } else { "end" };
        let share = crate::core::format::format_num(v / total * 100.0, 1);
        let label = if spec.labels { format!("{} {} ({share}%)", t.categories[i], texts[i]) } else { format!("{} {share}%", t.categories[i]) };
        if spec.labels {
            if let Some(s) = first {
                svg.value_of(&s.column, i);
            }
        }
        svg.text(lx + if anchor == "start" { 3.0 } else { -3.0 }, ly + 4.0, &label, 11.0, anchor, vec![]);
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

fn timeline(t: &Table, alt: &str, w: f64, h: f64) -> Drawing {
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
    let label_w = 120.0f64.min(w / 3.5);
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
        svg.circle(x, axis_y, 4.0, "#7a1526", vec![]);
        for (j, l) in lines.iter().enumerate() {
            let extra = if j == 0 { vec![("font-weight", "bold".to_string())] } else { vec![] };
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
    fn every_tick_label_is_the_value_at_its_line() {
        assert_eq!(tick_decimals(&[0.0, 2.5, 5.0, 7.5, 10.0, 12.5], 0), 1);
        assert_eq!(tick_decimals(&[0.0, 20.0, 40.0], 0), 0);
        assert_eq!(tick_decimals(&[0.0, 0.25, 0.5], 0), 2);
        // Percent: 0%, 2.5%, 5%.
        assert_eq!(tick_decimals(&[0.0, 0.025, 0.05], 2), 1);
        assert_eq!(tick_decimals(&[1.2e-6, 2.4e-6], 0), 7);
    }

    #[test]
    fn long_labels_wrap() {
        assert_eq!(wrap("百度发布文心一言；微软发布 Microsoft 365 Copilot", 70.0, 10.0), vec!["百度发布文心一", "言；微软发布", "Microsoft", "365 Copilot"]);
    }
}
