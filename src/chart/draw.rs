//! SVG drawing for every chart kind but vertical bars, lines and areas
//! (`cartesian.rs`), and what all kinds share: legends, value scales, labels.


use super::scale::Scale;
use super::spec::{AxisFormat, ChartSpec, Kind, Side};
use super::svg::{bold_width, n, text_width, turned, Drawing, Svg, DASHES, GRID, PALETTE};
use super::table::{label_decimals, Series, Table, XKind};
use crate::core::diag::Diagnostic;
use crate::core::words::is_cjk;

pub fn draw(spec: &ChartSpec, t: &Table, w: f64, h: Option<f64>) -> Result<Drawing, Diagnostic> {
    let alt = spec.spaced(spec.alt.as_deref().unwrap_or(&spec.caption));
    let given = h;
    let h = |default: f64| h.unwrap_or(default);
    Ok(match spec.kind {
        Kind::Pie | Kind::Donut => pie(spec, t, &alt, w, h(340.0)),
        // As tall as its labels need, unless told.
        Kind::Timeline => timeline(t, &alt, w, given.unwrap_or(0.0)),
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

/// `room`: the length of the value axis, px; a tick every 35 px or more.
pub fn value_scale<'a>(spec: &ChartSpec, series: impl Iterator<Item = &'a Series> + Clone, include_zero: bool, log: bool, extra: &[f64], room: f64) -> Scale {
    let (lo, hi) = value_range(series, spec.stacked, include_zero && !log, extra);
    if log {
        Scale::log(lo, hi)
    } else {
        Scale::linear(lo, hi, ((room / 35.0) as usize).clamp(2, 5))
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
    let scale = value_scale(spec, series.iter().copied(), true, spec.log, &[], (w - left - 40.0) * 0.6);
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
                .map(|(day, l)| (day, spec.spaced(&l)))
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
    let ys = value_scale(spec, series.iter().copied(), false, spec.log, &[], h - 60.0);
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
    let (size, line_h, leader) = (11.0, 14.0, 16.0);
    // Each slice's label: its name and its value on one line, or on two
    // when one would push the pie below a third of the drawing.
    let slices: Vec<(usize, f64, f64)> = {
        let mut angle = -std::f64::consts::FRAC_PI_2;
        values
            .iter()
            .enumerate()
            .filter(|(_, v)| total > 0.0 && **v > 0.0)
            .map(|(i, v)| {
                let sweep = v / total * std::f64::consts::TAU;
                angle += sweep;
                (i, angle - sweep, sweep)
            })
            .collect()
    };
    let label = |i: usize, two: bool| -> Vec<String> {
        let share = crate::core::format::format_num(values[i] / total * 100.0, 1);
        let value = if spec.labels { format!("{} ({share}%)", texts[i]) } else { format!("{share}%") };
        let name = t.categories[i].clone();
        if two { vec![name, value] } else { vec![format!("{name} {value}")] }
    };
    let widest = |two: bool| slices.iter().flat_map(|(i, ..)| label(*i, two)).map(|l| text_width(&l, size)).fold(0.0, f64::max);
    // The pie's radius is what the widest label leaves on either side.
    let room = |two: bool| (w / 2.0 - leader - 10.0 - widest(two)).min(h / 2.0 - 24.0);
    let two = room(false) < h.min(w) / 6.0;
    let r = room(two).min(w / 4.0).max(h.min(w) / 8.0);
    let (cx, cy) = (w / 2.0, h / 2.0);
    let inner = if spec.kind == Kind::Donut { r * 0.56 } else { 0.0 };
    let point = |a: f64, rad: f64| (cx + rad * a.cos(), cy + rad * a.sin());
    // Labels stand at their slice's middle, pushed apart on each side so
    // that no two overlap, and kept inside the drawing.
    let lines_of = |i: usize| label(i, two);
    let block = |i: usize| line_h * (lines_of(i).len() as f64 - 1.0) + size;
    let mut ys: Vec<(usize, bool, f64)> = slices.iter().map(|(i, a, sweep)| {
        let mid = a + sweep / 2.0;
        (*i, mid.cos() >= 0.0, point(mid, r + leader).1 - block(*i) / 2.0)
    }).collect();
    for right in [true, false] {
        let mut side: Vec<&mut (usize, bool, f64)> = ys.iter_mut().filter(|(_, s, _)| *s == right).collect();
        side.sort_by(|a, b| a.2.total_cmp(&b.2));
        let mut next = 4.0;
        for l in side.iter_mut() {
            l.2 = l.2.max(next);
            next = l.2 + block(l.0) + 4.0;
        }
        // From the bottom up again, when the last ran past the drawing.
        let mut limit = h - 4.0;
        for l in side.iter_mut().rev() {
            l.2 = l.2.min(limit - block(l.0));
            limit = l.2 - 4.0;
        }
    }
    for (i, angle, sweep) in &slices {
        let (i, angle, sweep) = (*i, *angle, *sweep);
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
    }
    for &(i, right, top) in &ys {
        let (_, angle, sweep) = slices.iter().find(|s| s.0 == i).copied().expect("a label per slice");
        let mid = angle + sweep / 2.0;
        // The leader: out of the slice, then level to the label's first line.
        let (ex, ey) = point(mid, r + 2.0);
        let (bx, _) = point(mid, r + leader * 0.6);
        let ly = top + size * 0.35;
        let lx = if right { cx + r + leader } else { cx - r - leader };
        svg.line(ex, ey, bx, ly, "#999999", 0.8);
        svg.line(bx, ly, lx, ly, "#999999", 0.8);
        let anchor = if right { "start" } else { "end" };
        let tx = lx + if right { 3.0 } else { -3.0 };
        let lines = lines_of(i);
        for (j, l) in lines.iter().enumerate() {
            // The value is on the label's last line.
            if j == lines.len() - 1 && spec.labels {
                if let Some(s) = first {
                    svg.value_of(&s.column, i);
                }
            }
            svg.text(tx, top + size * 0.85 + line_h * j as f64, l, size, anchor, vec![]);
        }
    }
    svg.finish()
}

/// Break a label into lines of at most `width` px: after CJK punctuation
/// and at spaces first, so that a word like 日日新 stays whole; inside a
/// run of ideographs only when the run alone is wider than a line; never
/// inside a Latin word.
fn wrap(s: &str, width: f64, size: f64) -> Vec<String> {
    let mut segments: Vec<String> = vec![String::new()];
    for c in s.chars() {
        segments.last_mut().expect("never empty").push(c);
        if matches!(c, '；' | '，' | '、' | '。' | '：' | '/' | ' ') {
            segments.push(String::new());
        }
    }
    let fits = |l: &str| text_width(l.trim(), size) <= width;
    let mut lines = vec![String::new()];
    for seg in segments.into_iter().filter(|s| !s.is_empty()) {
        let cur = lines.last_mut().expect("never empty");
        if fits(&format!("{cur}{seg}")) {
            cur.push_str(&seg);
        } else if fits(&seg) {
            lines.push(seg);
        } else {
            // Wider than a line: between ideographs, or at its Latin words.
            let mut tokens: Vec<String> = Vec::new();
            for c in seg.chars() {
                match tokens.last_mut() {
                    Some(t) if !is_cjk(c) && !c.is_whitespace() && t.chars().last().is_some_and(|p| !is_cjk(p) && !p.is_whitespace()) => t.push(c),
                    _ => tokens.push(c.to_string()),
                }
            }
            for tok in tokens {
                let cur = lines.last_mut().expect("never empty");
                if !cur.trim().is_empty() && !fits(&format!("{cur}{tok}")) {
                    lines.push(String::new());
                }
                lines.last_mut().expect("never empty").push_str(&tok);
            }
        }
    }
    lines.iter_mut().for_each(|l| *l = l.trim().to_string());
    lines.retain(|l| !l.is_empty());
    lines.truncate(4);
    lines
}

/// A timeline label as placed: its side, its level away from the axis, its
/// horizontal extent and its event's position.
struct Placed {
    above: bool,
    level: usize,
    x0: f64,
    x1: f64,
    x: f64,
}

fn timeline(t: &Table, alt: &str, w: f64, h: f64) -> Drawing {
    let (lo, hi) = t.xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    let pad = ((hi - lo) * 0.06).max(3.0);
    let (lo, hi) = (lo - pad, hi + pad);
    let (left, right) = (30.0, w - 30.0);
    let x_of = |d: f64| left + (right - left) * (d - lo) / (hi - lo);
    let size = 10.5;
    let line_h = 13.0;
    let label_w = 120.0f64.min(w / 3.5);
    let mut order: Vec<usize> = (0..t.xs.len()).collect();
    order.sort_by(|a, b| t.xs[*a].total_cmp(&t.xs[*b]).then(a.cmp(b)));
    // Events closer than 10 px share one label (date and text each) and one
    // leader: no two leaders that close could both miss the other's label.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &i in &order {
        match groups.last_mut() {
            Some(g) if x_of(t.xs[i]) - x_of(t.xs[g[0]]) < 10.0 => g.push(i),
            _ => groups.push(vec![i]),
        }
    }
    // Each line of a label, and whether it is a (bold) date.
    let labels: Vec<Vec<(String, bool)>> = groups
        .iter()
        .map(|g| g.iter().flat_map(|&i| std::iter::once((t.categories[i].clone(), true)).chain(wrap(&t.texts[i], label_w, size).into_iter().map(|l| (l, false)))).collect())
        .collect();
    let block = |g: usize| line_h * (labels[g].len() as f64 - 1.0) + size;
    let step = (0..groups.len()).map(block).fold(0.0, f64::max) + 10.0;
    let xs: Vec<f64> = groups.iter().map(|g| g.iter().map(|&i| x_of(t.xs[i])).sum::<f64>() / g.len() as f64).collect();
    // Groups in date order; each label takes the level nearest the axis,
    // above or below in turn, where it overlaps no label, covers no other
    // label's leader line, and its own leader crosses no label.
    let mut placed: Vec<Placed> = Vec::new();
    for (rank, lines) in labels.iter().enumerate() {
        let x = xs[rank];
        let wide = lines.iter().map(|(l, bold)| if *bold { bold_width(l, size) } else { text_width(l, size) }).fold(0.0, f64::max);
        // Centred on its event, else ending or starting there.
        let boxes = [(x - wide / 2.0, x + wide / 2.0), (x - wide, x), (x, x + wide)];
        let inside = |b: &(f64, f64)| b.0 >= 4.0 && b.1 <= w - 4.0;
        let free = |above: bool, level: usize, (x0, x1): (f64, f64)| {
            placed.iter().filter(|p| p.above == above).all(|p| {
                let apart = x1 + 6.0 < p.x0 || x0 - 6.0 > p.x1;
                match p.level.cmp(&level) {
                    std::cmp::Ordering::Equal => apart,
                    // A farther label's leader passes under this one.
                    std::cmp::Ordering::Greater => p.x < x0 - 3.0 || p.x > x1 + 3.0,
                    // This leader passes a nearer label.
                    std::cmp::Ordering::Less => x < p.x0 - 3.0 || x > p.x1 + 3.0,
                }
            })
        };
        // A box over a later event's position leaves that event's leader
        // fewer ways out: avoided while there is another way.
        let covers_later = |(x0, x1): (f64, f64)| xs[rank + 1..].iter().any(|&e| e >= x0 - 3.0 && e <= x1 + 3.0);
        let preferred = rank % 2 == 0;
        let candidates: Vec<(bool, usize, (f64, f64))> = (0..12)
            .flat_map(|level| [(preferred, level), (!preferred, level)])
            .flat_map(|(a, l)| boxes.iter().filter(|b| inside(b)).map(move |b| (a, l, *b)))
            .collect();
        let choice = candidates
            .iter()
            .find(|(a, l, b)| free(*a, *l, *b) && !covers_later(*b))
            .or_else(|| candidates.iter().find(|(a, l, b)| free(*a, *l, *b)))
            .copied()
            .unwrap_or((preferred, 12, boxes[0]));
        placed.push(Placed { above: choice.0, level: choice.1, x0: choice.2 .0, x1: choice.2 .1, x });
    }
    // The drawing is as tall as its levels need (at least `h`).
    let reach = |above: bool| placed.iter().filter(|p| p.above == above).map(|p| 20.0 + p.level as f64 * step + step - 10.0).fold(0.0, f64::max) + 6.0;
    let (up, down) = (reach(true), reach(false));
    let h = h.max(up + down);
    let axis_y = up + (h - up - down) / 2.0;
    let mut svg = Svg::new(w, h, alt);
    svg.line(left, axis_y, right, axis_y, "#7a1526", 2.0);
    for (g, p) in placed.iter().enumerate() {
        let near = 20.0 + p.level as f64 * step;
        let top = if p.above { axis_y - near - block(g) } else { axis_y + near };
        svg.line(p.x, axis_y, p.x, if p.above { top + block(g) + 2.0 } else { top - 2.0 }, "#bdbdbd", 1.0);
        for &i in &groups[g] {
            svg.circle(x_of(t.xs[i]), axis_y, 4.0, "#7a1526", vec![]);
        }
        let (anchor, tx) = if (p.x0 - p.x).abs() < 0.01 {
            ("start", p.x0)
        } else if (p.x1 - p.x).abs() < 0.01 {
            ("end", p.x1)
        } else {
            ("middle", p.x)
        };
        for (j, (l, bold)) in labels[g].iter().enumerate() {
            let extra = if *bold { vec![("font-weight", "bold".to_string())] } else { vec![] };
            svg.text(tx, top + size * 0.85 + line_h * j as f64, l, size, anchor, extra);
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
        assert_eq!(wrap("百度发布文心一言；微软发布 Microsoft 365 Copilot", 70.0, 10.0), vec!["百度发布文心一", "言；微软发布", "Microsoft 365", "Copilot"]);
        // A word stays whole on the next line when it fits there.
        assert_eq!(wrap("盘古系列；360 智脑；日日新", 100.0, 10.5), vec!["盘古系列；360", "智脑；日日新"]);
    }
}
