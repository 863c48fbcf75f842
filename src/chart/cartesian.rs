//! Vertical bars, lines and areas: over categories (one band each) or over
//! a time or number axis, with an optional right-hand axis (`y2`), reference
//! lines, event markers, shaded ranges and labels at the lines' ends.

use std::fmt::Write as _;

use crate::core::dates;
use super::draw::{axis_titles, bars_of, color, dash, legend, legend_height, tick_label, value_labels, value_range, value_scale, x_ticks, Bar, Key};
use super::scale::Scale;
use super::spec::{Annotation, ChartSpec, Kind, Scalar, Side};
use super::svg::{halo, n, text_width, turned, Drawing, Svg, GRID};
use super::table::{Series, Table, XKind};
use crate::core::diag::Diagnostic;

const NOTE_INK: &str = "#7a1526";

/// Where an annotation sits along x: a fractional slot (bands) or a value.
#[derive(Clone, Copy)]
enum XPos {
    Slot(f64),
    Value(f64),
}

enum Mark<'a> {
    Rule { y: f64, side: Side, label: Option<&'a str> },
    Event { x: XPos, label: Option<&'a str> },
    Range { from: XPos, to: XPos, label: Option<&'a str> },
}

/// The x position an annotation names, or an error that says what the axis holds.
fn locate(t: &Table, continuous: bool, s: &Scalar, key: &str) -> Result<XPos, Diagnostic> {
    let text = s.text();
    let outside = |what: String| {
        Diagnostic::error(format!("annotation `{key}: {text}` is not on the chart's x axis"))
            .hint(what)
            .hint("annotations name an x value the chart shows: a date within its dates, a number within its range, or one of its categories")
    };
    if !continuous {
        if let Some(i) = t.raw.iter().position(|r| *r == text).or_else(|| t.categories.iter().position(|c| *c == text)) {
            return Ok(XPos::Slot(i as f64));
        }
        if let (XKind::Time(_), Some(d)) = (t.x_kind, dates::parse(&text)) {
            // Between two dated bars: in proportion to the days.
            for i in 0..t.xs.len().saturating_sub(1) {
                let (a, b) = (t.xs[i], t.xs[i + 1]);
                if a <= d.day && d.day <= b && b > a {
                    return Ok(XPos::Slot(i as f64 + (d.day - a) / (b - a)));
                }
            }
        }
        let shown: Vec<&str> = t.raw.iter().take(6).map(String::as_str).collect();
        return Err(outside(format!("the x values are {}{}", shown.join(", "), if t.raw.len() > 6 { ", …" } else { "" })));
    }
    let (lo, hi) = t.xs.iter().filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    let v = match (t.x_kind, s) {
        (XKind::Time(_), _) => dates::parse(&text).map(|d| d.day),
        (_, Scalar::Num(v)) => Some(*v),
        (_, Scalar::Text(t)) => t.trim().parse().ok(),
    };
    let describe = |v: f64| match t.x_kind {
        XKind::Time(_) => dates::iso(v),
        _ => n(v),
    };
    match v {
        Some(v) if v >= lo && v <= hi => Ok(XPos::Value(v)),
        Some(_) => Err(outside(format!("the x axis runs from {} to {}", describe(lo), describe(hi)))),
        None if matches!(t.x_kind, XKind::Time(_)) => Err(outside("it is not a date; write it like 2023-04-05, 2023-04 or 2023Q2".into())),
        None => Err(outside("the x axis holds numbers".into())),
    }
}

fn marks<'a>(spec: &'a ChartSpec, t: &Table, continuous: bool) -> Result<Vec<Mark<'a>>, Diagnostic> {
    let mut out = Vec::new();
    for a in &spec.annotations {
        let Annotation { y, x, from, to, label, axis } = a;
        let label = label.as_deref();
        out.push(match (y, x, from, to) {
            (Some(y), None, None, None) => Mark::Rule { y: *y, side: *axis, label },
            (None, Some(x), None, None) => Mark::Event { x: locate(t, continuous, x, "x")?, label },
            (None, None, Some(f), Some(to)) => Mark::Range { from: locate(t, continuous, f, "from")?, to: locate(t, continuous, to, "to")?, label },
            _ => {
                return Err(Diagnostic::error("an annotation needs exactly one of `y` (a line across), `x` (an event marker) or `from` and `to` (a shaded range)")
                    .hint("e.g. `annotations: [{y: 60, label: 目标价}, {x: 2023-03-16, label: 发布}, {from: 2020-02, to: 2020-04, label: 疫情}]`"));
            }
        });
        if matches!(out.last(), Some(Mark::Rule { side: Side::Right, .. })) && spec.y2.is_none() {
            return Err(Diagnostic::error("an annotation is on `axis: right`, but the chart has no `y2`").hint("name the right-hand columns with `y2:`, or drop `axis: right`"));
        }
    }
    Ok(out)
}

/// How a series is drawn: bars and areas for the left axis of bar and area
/// charts; lines for line charts and for every right-axis series.
fn as_line(spec: &ChartSpec, s: &Series) -> bool {
    spec.kind == Kind::Line || s.side == Side::Right
}

pub fn draw(spec: &ChartSpec, t: &Table, alt: &str, w: f64, h: f64) -> Result<Drawing, Diagnostic> {
    let continuous = matches!(t.x_kind, XKind::Time(_) | XKind::Number) && spec.kind != Kind::Bar;
    let marks = marks(spec, t, continuous)?;
    let rule_values = |side: Side| -> Vec<f64> { marks.iter().filter_map(|m| if let Mark::Rule { y, side: s, .. } = m { (*s == side).then_some(*y) } else { None }).collect() };
    let lefts: Vec<&Series> = t.left().collect();
    let rights: Vec<&Series> = t.right().collect();
    let lscale = value_scale(spec, lefts.iter().copied(), spec.kind != Kind::Line, spec.log, &rule_values(Side::Left), h - 90.0);
    let rscale = (!rights.is_empty()).then(|| {
        let (lo, hi) = value_range(rights.iter().copied(), false, false, &rule_values(Side::Right));
        if lscale.log { Scale::linear(lo, hi, 5) } else { Scale::fit(lo, hi, lscale.ticks.len().saturating_sub(1)) }
    });
    let labels = Labels {
        left: lscale.ticks.iter().map(|v| tick_label(spec.axis(Side::Left), *v, &lscale)).collect(),
        right: rscale.iter().flat_map(|s| s.ticks.iter().map(|v| tick_label(spec.axis(Side::Right), *v, s))).collect(),
        ends: end_texts(spec, t),
    };
    let keys: Vec<Key<'_>> =
        t.series.iter().enumerate().map(|(k, s)| Key { name: &s.name, color: color(k), dash: as_line(spec, s).then(|| dash(k)) }).collect();
    let end_w = labels.ends.iter().flatten().map(|l| text_width(l, 10.0) + 8.0).fold(0.0, f64::max);
    let left = 10.0 + widest(&labels.left) + if spec.y_title.is_some() { 16.0 } else { 0.0 };
    // The right-hand axis's labels and the gap before them.
    let right_w = if rscale.is_some() { 8.0 + widest(&labels.right) } else { 0.0 };
    let right = 12.0 + right_w + if spec.y2_title.is_some() { 16.0 } else { 0.0 } + end_w;
    // Room above the top tick's label, and above a value label on the
    // tallest bar.
    let top = (if spec.labels { 18.0f64 } else { 12.0 }).max(legend_height(&keys, left, w - 12.0) + 12.0);
    let fr = frame(spec, t, continuous, (w, h), (left, right, top), lscale, rscale);

    let mut svg = Svg::new(w, h, alt);
    legend(&mut svg, &keys, fr.left, w - 12.0, 18.0);
    axis_titles(&mut svg, spec, fr.left, fr.top, fr.plot_w, fr.plot_h, h);
    if let Some(title) = &spec.y2_title {
        let x = w - 12.0 - end_w;
        let mid = fr.top + fr.plot_h / 2.0;
        svg.text(x, mid, title, 11.0, "middle", turned(90, x, mid));
    }
    value_axes(&mut svg, spec, &fr, &labels);
    x_labels(&mut svg, &fr, w);
    // Shaded ranges lie under the data; bars of the left axis, then areas,
    // then lines on top; reference lines and event markers over the data.
    ranges(&mut svg, &fr, &marks, w);
    let taken = bars(&mut svg, spec, &fr, &lefts);
    if spec.kind == Kind::Area {
        areas(&mut svg, spec, &lefts, &|i| fr.x_at(i), &|v| fr.ly(v), fr.base());
    }
    let ends = lines(&mut svg, spec, &fr, &labels.ends, &taken);
    end_labels(&mut svg, ends, fr.left + fr.plot_w + right_w, fr.top, fr.top + fr.plot_h);
    over_marks(&mut svg, spec, &fr, &marks);
    Ok(svg.finish())
}

/// The texts of a chart's axes and line ends, which its margins make room for.
struct Labels {
    left: Vec<String>,
    right: Vec<String>,
    /// Each series' label at its line's end (`end_labels: true`).
    ends: Vec<Option<String>>,
}

fn widest(labels: &[String]) -> f64 {
    labels.iter().map(|l| text_width(l, 11.0)).fold(0.0, f64::max)
}

fn end_texts(spec: &ChartSpec, t: &Table) -> Vec<Option<String>> {
    t.series
        .iter()
        .map(|s| {
            let last = (0..s.values.len()).rev().find(|i| s.values[*i].is_finite())?;
            (spec.end_labels && as_line(spec, s)).then(|| {
                let v = value_labels(spec, s).swap_remove(last);
                if t.series.len() > 1 { format!("{} {v}", s.name) } else { v }
            })
        })
        .collect()
}

/// Where the plot sits in the drawing, and how values map into it.
struct Frame<'a> {
    t: &'a Table,
    continuous: bool,
    left: f64,
    top: f64,
    plot_w: f64,
    plot_h: f64,
    /// A category's band (category axes).
    band: f64,
    xscale: Scale,
    lscale: Scale,
    rscale: Option<Scale>,
    /// Category labels: every how many is shown, and whether rotated.
    every: usize,
    rotate: bool,
    /// Ticks of a continuous x axis.
    xlabels: Vec<(f64, String)>,
}

impl Frame<'_> {
    fn x_at(&self, i: usize) -> f64 {
        if self.continuous { self.left + self.plot_w * self.xscale.frac(self.t.xs[i]) } else { self.left + self.band * (i as f64 + 0.5) }
    }

    fn x_pos(&self, p: XPos) -> f64 {
        match p {
            XPos::Slot(i) => self.left + self.band * (i + 0.5),
            XPos::Value(v) => self.left + self.plot_w * self.xscale.frac(v),
        }
    }

    fn ly(&self, v: f64) -> f64 {
        self.top + self.plot_h * (1.0 - self.lscale.frac(v))
    }

    fn ry(&self, v: f64) -> f64 {
        self.rscale.as_ref().map_or(f64::NAN, |s| self.top + self.plot_h * (1.0 - s.frac(v)))
    }

    fn y_of(&self, side: Side, v: f64) -> f64 {
        if side == Side::Right { self.ry(v) } else { self.ly(v) }
    }

    /// Where bars and areas start from.
    fn base(&self) -> f64 {
        if self.lscale.log { self.lscale.min } else { 0.0f64.clamp(self.lscale.min, self.lscale.max) }
    }
}

/// The plot's frame within margins `(left, right, top)`: the x axis has
/// bands with thinned or rotated labels, or ticks on a scale.
fn frame<'a>(spec: &ChartSpec, t: &'a Table, continuous: bool, (w, h): (f64, f64), (mut left, right, top): (f64, f64, f64), lscale: Scale, rscale: Option<Scale>) -> Frame<'a> {
    let ncat = t.categories.len().max(1);
    let mut band = (w - left - right) / ncat as f64;
    let wide_cat = t.categories.iter().map(|c| text_width(c, 11.0)).fold(0.0, f64::max);
    let every = if wide_cat > band * 2.5 { ((wide_cat / (band * 2.5)).ceil() as usize).max(1) } else { 1 };
    let rotate = !continuous && wide_cat > band * every as f64 * 0.95;
    if rotate {
        // The first rotated label reaches left of its band.
        // Turned 35°: its length's cos, and its height's sin.
        let first = t.categories.first().map_or(0.0, |c| text_width(c, 11.0));
        left = left.max(first * 0.82 + 11.0 * 0.6 - band * 0.5 + 4.0);
        band = (w - left - right) / ncat as f64;
    }
    let plot_w = w - left - right;
    let (xlo, xhi) = t.xs.iter().filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    // A little room at both ends keeps the first and last points off the frame.
    let (xlo, xhi) = if !xlo.is_finite() { (0.0, 1.0) } else if xhi > xlo { (xlo - (xhi - xlo) * 0.015, xhi + (xhi - xlo) * 0.015) } else { (xlo - 1.0, xhi + 1.0) };
    let (xscale, xlabels) = if continuous { x_ticks(spec, t, xlo, xhi, plot_w) } else { (Scale::linear(0.0, 1.0, 2), vec![]) };
    let xscale = if matches!(t.x_kind, XKind::Time(_)) || !continuous { Scale { min: xlo, max: xhi, log: false, ticks: vec![] } } else { xscale };
    let bottom = if rotate { 16.0 + wide_cat * 0.6 } else { 26.0 } + if spec.x_title.is_some() { 16.0 } else { 0.0 };
    let plot_h = h - top - bottom;
    Frame { t, continuous, left, top, plot_w, plot_h, band, xscale, lscale, rscale, every, rotate, xlabels }
}

/// The value axes: grid lines with their labels, the zero line and the
/// x axis's line.
fn value_axes(svg: &mut Svg, spec: &ChartSpec, fr: &Frame<'_>, labels: &Labels) {
    let (left, plot_w) = (fr.left, fr.plot_w);
    for (v, l) in fr.lscale.ticks.iter().zip(&labels.left) {
        svg.line(left, fr.ly(*v), left + plot_w, fr.ly(*v), GRID, 1.0);
        svg.text(left - 6.0, fr.ly(*v) + 4.0, l, 11.0, "end", vec![]);
    }
    if let Some(rs) = &fr.rscale {
        for (v, l) in rs.ticks.iter().zip(&labels.right) {
            svg.text(left + plot_w + 6.0, fr.ry(*v) + 4.0, l, 11.0, "start", vec![]);
        }
    }
    let ls = &fr.lscale;
    if !ls.log && ls.min < 0.0 && ls.max > 0.0 {
        svg.line(left, fr.ly(0.0), left + plot_w, fr.ly(0.0), "#555555", 1.2);
    }
    let axis_y = if spec.kind == Kind::Line { fr.top + fr.plot_h } else { fr.ly(fr.base()) };
    svg.line(left, axis_y, left + plot_w, axis_y, "#999999", 1.0);
}

fn x_labels(svg: &mut Svg, fr: &Frame<'_>, w: f64) {
    let label_y = fr.top + fr.plot_h + 16.0;
    if fr.continuous {
        // A time axis of up to three years marks every month, labelled or not.
        if matches!(fr.t.x_kind, XKind::Time(_)) {
            let months = crate::core::dates::month_starts(fr.xscale.min, fr.xscale.max, 37);
            if months.len() <= 36 {
                for day in months {
                    let x = fr.x_pos(XPos::Value(day));
                    svg.line(x, fr.top + fr.plot_h, x, fr.top + fr.plot_h + 3.0, "#bbbbbb", 0.8);
                }
            }
        }
        for (v, l) in &fr.xlabels {
            let x = fr.x_pos(XPos::Value(*v));
            svg.line(x, fr.top + fr.plot_h, x, fr.top + fr.plot_h + 4.0, "#999999", 1.0);
            svg.text_inside(x, label_y, l, 11.0, w);
        }
        return;
    }
    for (i, c) in fr.t.categories.iter().enumerate().filter(|(i, _)| i % fr.every == 0) {
        let x = fr.x_at(i);
        if fr.rotate {
            svg.text(x, label_y, c, 11.0, "end", turned(-35, x, label_y));
        } else {
            svg.text_inside(x, label_y, c, 11.0, w);
        }
    }
}

fn ranges(svg: &mut Svg, fr: &Frame<'_>, marks: &[Mark<'_>], w: f64) {
    for m in marks {
        if let Mark::Range { from, to, label } = m {
            let (a, b) = match (from, to) {
                (XPos::Slot(f), XPos::Slot(t)) => (fr.x_pos(XPos::Slot(f.min(*t) - 0.5)), fr.x_pos(XPos::Slot(f.max(*t) + 0.5))),
                _ => (fr.x_pos(*from).min(fr.x_pos(*to)), fr.x_pos(*from).max(fr.x_pos(*to))),
            };
            svg.push("rect", vec![("class", "range".into()), ("x", n(a)), ("y", n(fr.top)), ("width", n((b - a).max(1.0))), ("height", n(fr.plot_h)), ("fill", "#e3b35e".into()), ("fill-opacity", "0.22".into())]);
            if let Some(l) = label {
                svg.text_inside((a + b) / 2.0, fr.top + 12.0, l, 10.0, w);
            }
        }
    }
}

/// The bars of the left axis (bar charts); returns the baselines of each
/// slot's bar labels, which line labels avoid.
fn bars(svg: &mut Svg, spec: &ChartSpec, fr: &Frame<'_>, lefts: &[&Series]) -> Vec<Vec<f64>> {
    let t = fr.t;
    // The points lines mark (see `lines`), which bar labels avoid.
    let points: Vec<(f64, f64)> = if t.xs.len() <= 24 {
        t.series.iter().filter(|s| as_line(spec, s)).flat_map(|s| s.values.iter().enumerate().filter(|(_, v)| v.is_finite()).map(|(i, v)| (fr.x_at(i), fr.y_of(s.side, *v)))).collect()
    } else {
        vec![]
    };
    let bar_series: Vec<&Series> = if spec.kind == Kind::Bar { lefts.to_vec() } else { vec![] };
    let bar_labels: Vec<Vec<String>> = bar_series.iter().map(|s| value_labels(spec, s)).collect();
    let mut taken: Vec<Vec<f64>> = vec![Vec::new(); t.categories.len()];
    for i in 0..t.categories.len() {
        for Bar { k, offset, size: bw, from, to } in bars_of(spec, &bar_series, i, fr.band, fr.base()) {
            let x = fr.left + fr.band * i as f64 + offset;
            let (ya, yb) = (fr.ly(from), fr.ly(to));
            svg.rect(x + 0.5, ya.min(yb), bw - 1.0, (ya - yb).abs(), color(k));
            if spec.labels {
                let v = bar_series[k].values[i];
                let (cx, text) = (x + bw / 2.0, &bar_labels[k][i]);
                let mut y = if spec.stacked { (ya + yb) / 2.0 + 4.0 } else if v >= 0.0 { yb - 4.0 } else { yb + 12.0 };
                // A line's point where the label would stand: the label goes
                // inside the bar's top when the bar is tall enough, else
                // above the point.
                let half = text_width(text, 10.0) / 2.0 + 3.0;
                let hit = |y: f64| points.iter().any(|&(px, py)| (px - cx).abs() < half && py > y - 13.0 && py < y + 5.0);
                let mut extra = halo();
                if !spec.stacked && hit(y) {
                    let inside = if v >= 0.0 { yb + 13.0 } else { yb - 5.0 };
                    if (ya - yb).abs() >= 18.0 && !hit(inside) {
                        y = inside;
                        extra = vec![("fill", "#ffffff".to_string())];
                    } else {
                        let top = points.iter().filter(|&&(px, _)| (px - cx).abs() < half).map(|p| p.1).fold(y, f64::min);
                        y = top - 9.0;
                    }
                }
                svg.value_of(&bar_series[k].column, i).text(cx, y, text, 10.0, "middle", extra);
                taken[i].push(y);
            }
        }
    }
    taken
}

/// The line series (every series of a line chart, and right-axis series);
/// returns where each labelled line ends.
fn lines(svg: &mut Svg, spec: &ChartSpec, fr: &Frame<'_>, end_texts: &[Option<String>], taken: &[Vec<f64>]) -> Vec<End> {
    let t = fr.t;
    // Lines with many points: thinner, markers and value labels only when few.
    let points = t.xs.len();
    let few = points <= 24;
    let mut ends: Vec<End> = Vec::new();
    for (k, s) in t.series.iter().enumerate().filter(|(_, s)| as_line(spec, s)) {
        let y = |v: f64| fr.y_of(s.side, v);
        let mut d = String::new();
        let mut pen_down = false;
        for (i, v) in s.values.iter().enumerate() {
            if !v.is_finite() {
                // A gap in a category series breaks the line; on a time or
                // number axis a split series simply has no point there.
                pen_down = pen_down && fr.continuous;
                continue;
            }
            let _ = write!(d, "{}{} {} ", if pen_down { "L" } else { "M" }, n(fr.x_at(i)), n(y(*v)));
            pen_down = true;
        }
        let stroke = if points > 60 { 1.6 } else { 2.2 };
        svg.push(
            "path",
            vec![
                ("class", "series".into()),
                ("d", d.trim_end().to_string()),
                ("fill", "none".into()),
                ("stroke", color(k).into()),
                ("stroke-width", n(stroke)),
                ("stroke-dasharray", dash(k).into()),
                ("stroke-linejoin", "round".into()),
            ],
        );
        if few {
            let texts = if spec.labels { value_labels(spec, s) } else { vec![] };
            for (i, v) in s.values.iter().enumerate().filter(|(_, v)| v.is_finite()) {
                svg.circle(fr.x_at(i), y(*v), 2.6, color(k), vec![]);
                if let Some(text) = texts.get(i) {
                    // Above the point, or below it where a bar's label is.
                    let above = y(*v) - 7.0;
                    let clear = |at: f64| taken[i].iter().all(|b| (b - at).abs() >= 15.0);
                    let at = if clear(above) { above } else { y(*v) + 15.0 };
                    svg.value_of(&s.column, i).text(fr.x_at(i), at, text, 10.0, "middle", halo());
                }
            }
        }
        if let (Some(text), Some(last)) = (&end_texts[k], (0..s.values.len()).rev().find(|i| s.values[*i].is_finite())) {
            ends.push(End { x: fr.x_at(last), y: y(s.values[last]), text: text.clone(), column: s.column.clone(), point: last });
        }
    }
    ends
}

/// Reference lines and event markers, over the data.
fn over_marks(svg: &mut Svg, spec: &ChartSpec, fr: &Frame<'_>, marks: &[Mark<'_>]) {
    let (left, top, plot_w, plot_h) = (fr.left, fr.top, fr.plot_w, fr.plot_h);
    let has_ranges = marks.iter().any(|m| matches!(m, Mark::Range { label: Some(_), .. }));
    let mut rows: Vec<Vec<(f64, f64)>> = Vec::new();
    for m in marks {
        match m {
            Mark::Rule { y, side, label } => {
                let yy = fr.y_of(*side, *y);
                svg.dashed(left, yy, left + plot_w, yy, NOTE_INK, 1.2, "5 3");
                if let Some(l) = label {
                    let (ty, text) = (if yy - 5.0 < top + 10.0 { yy + 13.0 } else { yy - 5.0 }, l);
                    // At the right end, unless the lines' end labels are there.
                    let extra = [vec![("fill", NOTE_INK.to_string())], halo()].concat();
                    if spec.end_labels {
                        svg.text(left + 4.0, ty, text, 10.0, "start", extra);
                    } else {
                        svg.text(left + plot_w - 4.0, ty, text, 10.0, "end", extra);
                    }
                }
            }
            Mark::Event { x, label } => {
                let xx = fr.x_pos(*x);
                svg.dashed(xx, top, xx, top + plot_h, "#555555", 1.0, "3 3");
                if let Some(l) = label {
                    let wide = text_width(l, 10.0);
                    let (tx, anchor) = if xx + 4.0 + wide > left + plot_w { (xx - 4.0, "end") } else { (xx + 4.0, "start") };
                    let span = if anchor == "end" { (tx - wide, tx) } else { (tx, tx + wide) };
                    // The first row where it meets no other event's label.
                    let row = rows.iter().position(|r| r.iter().all(|&(a, b)| span.1 + 4.0 < a || span.0 - 4.0 > b)).unwrap_or(rows.len());
                    if row == rows.len() {
                        rows.push(Vec::new());
                    }
                    rows[row].push(span);
                    // Below the labels of shaded ranges, which sit at the top.
                    let ty = if has_ranges { top + 26.0 } else { top + 10.0 } + 13.0 * row as f64;
                    svg.text(tx, ty, l, 10.0, anchor, halo());
                }
            }
            Mark::Range { .. } => {}
        }
    }
}

fn areas(svg: &mut Svg, spec: &ChartSpec, series: &[&Series], x_at: &dyn Fn(usize) -> f64, y_of: &dyn Fn(f64) -> f64, base: f64) {
    let Some(slots) = series.first().map(|s| s.values.len()) else { return };
    let mut floor = vec![base; slots];
    for (k, s) in series.iter().enumerate() {
        let finite: Vec<usize> = (0..slots).filter(|i| s.values[*i].is_finite()).collect();
        if finite.is_empty() {
            continue;
        }
        let tops: Vec<f64> = (0..slots).map(|i| if spec.stacked { floor[i] + s.values[i].max(0.0) } else { s.values[i] }).collect();
        let mut d = String::new();
        for (j, i) in finite.iter().enumerate() {
            let _ = write!(d, "{}{} {} ", if j == 0 { "M" } else { "L" }, n(x_at(*i)), n(y_of(tops[*i])));
        }
        for i in finite.iter().rev() {
            let _ = write!(d, "L{} {} ", n(x_at(*i)), n(y_of(if spec.stacked { floor[*i] } else { base })));
        }
        let c = color(k);
        svg.push("path", vec![("d", format!("{d}Z")), ("fill", c.into()), ("fill-opacity", "0.55".into()), ("stroke", c.into()), ("stroke-width", "1.5".into())]);
        if spec.stacked {
            for i in finite {
                floor[i] = tops[i];
            }
        }
    }
}

/// A labelled line's last point, and its label.
struct End {
    x: f64,
    y: f64,
    text: String,
    column: String,
    point: usize,
}

/// Labels at the lines' last points, moved apart so that none overlap.
fn end_labels(svg: &mut Svg, mut ends: Vec<End>, x: f64, top: f64, bottom: f64) {
    ends.sort_by(|a, b| a.y.total_cmp(&b.y));
    let gap = 12.0;
    let mut ys: Vec<f64> = ends.iter().map(|e| e.y.clamp(top + 4.0, bottom)).collect();
    for i in 1..ys.len() {
        ys[i] = ys[i].max(ys[i - 1] + gap);
    }
    // Pushed past the bottom: shift the whole stack up.
    if let Some(last) = ys.last().copied().filter(|l| *l > bottom) {
        let up = last - bottom;
        ys.iter_mut().for_each(|y| *y -= up);
    }
    for (e, y) in ends.iter().zip(ys) {
        svg.line(e.x, e.y, x + 2.0, y, "#bdbdbd", 0.8);
        svg.value_of(&e.column, e.point).text(x + 4.0, y + 3.5, &e.text, 10.0, "start", vec![]);
    }
}
