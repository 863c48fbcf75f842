//! A spec's rows, validated into what the drawing needs: x slots (categories,
//! dates or numbers) and numeric series, split by a column where asked.

use std::collections::HashMap;

use serde_json::Value;

use crate::core::dates::{self, Grain};
use super::spec::{Aggregate, ChartSpec, Kind, Side, XType};
use super::Rows;
use crate::core::diag::Diagnostic;

/// Past this many series a chart cannot be read; split less finely.
pub const MAX_SERIES: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum XKind {
    Category,
    /// Dates, at the finest grain any of them is written with.
    Time(Grain),
    Number,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
    /// Decimals each value is written with in the data (None: computed).
    pub written: Vec<Option<usize>>,
    pub side: Side,
    /// The data column and each slot's data-set row it was read from, for
    /// lineage (none for aggregates).
    pub column: String,
    pub source_rows: Vec<Option<usize>>,
}

/// The spec's data, validated: one slot per x value, numeric series.
#[derive(Debug, Clone)]
pub struct Table {
    /// Printed label of each slot.
    pub categories: Vec<String>,
    /// The x cell of each slot as written, for annotations that name one.
    pub raw: Vec<String>,
    /// Position of each slot on a time (day number) or number axis.
    pub xs: Vec<f64>,
    pub x_kind: XKind,
    pub series: Vec<Series>,
    pub texts: Vec<String>,
}

impl Table {
    pub fn left(&self) -> impl Iterator<Item = &Series> {
        self.series.iter().filter(|s| s.side == Side::Left)
    }

    pub fn right(&self) -> impl Iterator<Item = &Series> {
        self.series.iter().filter(|s| s.side == Side::Right)
    }
}

pub fn cell_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Decimals a number was written with (`14.0` → 1, `0.117` → 3).
fn written_decimals(n: &serde_json::Number) -> Option<usize> {
    if n.is_i64() || n.is_u64() {
        return Some(0);
    }
    let s = n.to_string();
    if s.contains(['e', 'E']) {
        return None;
    }
    s.split_once('.').map(|(_, f)| f.len()).filter(|d| *d <= MAX_LABEL_DECIMALS)
}

struct Ctx<'a> {
    spec: &'a ChartSpec,
    rows: &'a Rows,
    /// A CSV's cells as written: `0.160` keeps the trailing zero its number lost.
    written: Option<(Vec<String>, Vec<csv::StringRecord>)>,
}

fn csv_cells(rows: &Rows) -> Option<(Vec<String>, Vec<csv::StringRecord>)> {
    let (path, text) = rows.origin.as_ref()?;
    if crate::input::data::DataFormat::of(path) != Some(crate::input::data::DataFormat::Csv) {
        return None;
    }
    let cells = crate::input::csv_text::cells(text)?;
    (cells.records.len() == rows.rows.len()).then_some((cells.headers, cells.records))
}

impl Ctx<'_> {
    fn at(&self, d: Diagnostic, i: usize, col: &str) -> Diagnostic {
        match (self.rows.cell_location(i, col), self.rows.cell_name(i, col)) {
            (Some(loc), _) => d.at(loc),
            (None, Some(cell)) => d.hint(format!("the value is in {cell}")),
            (None, None) => d,
        }
    }

    fn number(&self, i: usize, col: &str) -> Result<(f64, Option<usize>), Diagnostic> {
        match self.rows.rows[i].get(col) {
            Some(Value::Number(n)) => {
                let as_written = self.written.as_ref().and_then(|(headers, records)| {
                    let cell = records.get(i)?.get(headers.iter().position(|h| h == col)?)?.trim();
                    if cell.contains(['e', 'E']) {
                        return None;
                    }
                    Some(cell.split_once('.').map_or(0, |(_, f)| f.len()))
                });
                Ok((n.as_f64().unwrap_or(f64::NAN), as_written.or_else(|| written_decimals(n))))
            }
            Some(Value::Null) | None => Ok((f64::NAN, None)),
            Some(other) => Err(self.at(
                Diagnostic::error(format!("column `{col}` holds a non-numeric value `{}` in data row {}", cell_text(Some(other)), self.rows.source_row(i) + 1))
                    .hint("chart values must be numbers; fix the cell or chart another column"),
                i,
                col,
            )),
        }
    }

    fn not_a_date(&self, i: usize, raw: &str) -> Diagnostic {
        let col = &self.spec.x;
        self.at(
            Diagnostic::error(format!("`{raw}` in column `{col}`, data row {}, is not a date", self.rows.source_row(i) + 1))
                .hint("write dates like 2023-04-05, 2023-04, 2023Q2, Apr 5 2023, 2023年4月5日 or 2023年4月")
                .hint("or chart the column as categories with `x_type: category`"),
            i,
            col,
        )
    }

    /// What the x column holds. In `auto`, a column whose first value is a
    /// date must be all dates (a stray cell is an error, not a silent switch
    /// to categories); numbers make a number axis for lines and areas.
    fn x_kind(&self) -> Result<XKind, Diagnostic> {
        let spec = self.spec;
        let rows = &self.rows.rows;
        let first = rows.iter().filter_map(|r| r.get(&spec.x)).find(|v| !v.is_null());
        let wants = match (spec.x_type, spec.kind) {
            (XType::Auto, Kind::Pie | Kind::Donut) => XType::Category,
            (XType::Auto, Kind::Timeline) => XType::Time,
            (XType::Auto, Kind::Scatter) => match first {
                Some(Value::String(s)) if dates::parse(s).is_some() => XType::Time,
                _ => XType::Number,
            },
            (XType::Auto, _) if spec.aggregate.is_some() => XType::Category,
            (XType::Auto, kind) => match first {
                Some(Value::String(s)) if dates::parse(s).is_some() => XType::Time,
                Some(Value::Number(_)) if matches!(kind, Kind::Line | Kind::Area) && rows.iter().all(|r| matches!(r.get(&spec.x), Some(Value::Number(_)) | Some(Value::Null) | None)) => XType::Number,
                _ => XType::Category,
            },
            (t, _) => t,
        };
        Ok(match wants {
            XType::Time => {
                let mut grain = Grain::Year;
                let mut days = Vec::with_capacity(rows.len());
                for (i, r) in rows.iter().enumerate() {
                    let raw = cell_text(r.get(&spec.x));
                    let d = dates::parse(&raw).ok_or_else(|| self.not_a_date(i, &raw))?;
                    grain = grain.max(d.grain);
                    days.push(d.day);
                }
                XKind::Time(dates::coarsest(grain, &days))
            }
            XType::Number => XKind::Number,
            _ => XKind::Category,
        })
    }
}

impl Table {
    /// The table a chart draws, its labels as the chart prints them
    /// (`ChartSpec::spaced`), before they are measured.
    pub fn build(spec: &ChartSpec, rows: &Rows) -> Result<Table, Diagnostic> {
        let mut t = Self::build_as_written(spec, rows)?;
        let space = |s: &mut String| *s = spec.spaced(s);
        t.categories.iter_mut().chain(t.texts.iter_mut()).chain(t.series.iter_mut().map(|s| &mut s.name)).for_each(space);
        Ok(t)
    }

    fn build_as_written(spec: &ChartSpec, rows: &Rows) -> Result<Table, Diagnostic> {
        if rows.rows.is_empty() {
            let mut d = Diagnostic::error("chart data is empty").hint("the data set needs at least one row");
            if let Some((path, text)) = &rows.origin {
                d = d.at(crate::core::diag::Location::new(path.clone(), text.clone(), 0..0));
            }
            return Err(d);
        }
        let available: Vec<&String> = rows.rows[0].keys().collect();
        let check = |col: &str| -> Result<(), Diagnostic> {
            if rows.rows.iter().any(|r| r.contains_key(col)) {
                Ok(())
            } else {
                let mut d = Diagnostic::error(format!("chart names unknown column `{col}`"))
                    .of_kind(crate::core::diag::Kind::UnknownColumn(col.to_string()))
                    .hint(format!("columns: {}", available.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")));
                if let Some(near) = crate::core::text::closest(col, available.iter().map(|s| s.as_str())) {
                    d = d.hint(format!("did you mean `{near}`?"));
                }
                Err(d)
            }
        };
        let (left, right) = (spec.columns(), spec.right_columns());
        for c in std::iter::once(&spec.x).chain(&left).chain(&right).chain(&spec.text).chain(&spec.color) {
            check(c)?;
        }
        let needs_y = !matches!(spec.kind, Kind::Timeline) && spec.aggregate != Some(Aggregate::Count);
        if needs_y && left.is_empty() {
            return Err(Diagnostic::error(format!("a {} needs `y:` (one or more value columns)", spec.kind.name())));
        }
        if !right.is_empty() && (spec.horizontal || !matches!(spec.kind, Kind::Bar | Kind::Line | Kind::Area)) {
            return Err(Diagnostic::error(format!("`y2` (a right-hand axis) does not apply to a {}", spec.kind.name()))
                .hint("a second axis works with vertical bar, line and area charts"));
        }
        let cx = Ctx { spec, rows, written: csv_cells(rows) };
        if let Some(agg) = spec.aggregate {
            if spec.color.is_some() || !right.is_empty() {
                return Err(Diagnostic::error("`aggregate` cannot be combined with `color` or `y2`")
                    .hint("aggregate the data in its file or a template first"));
            }
            return Self::aggregated(&cx, agg, &left);
        }
        let x_kind = cx.x_kind()?;
        let n = rows.rows.len();
        // Slots: one per row, or one per distinct x when a split lays several
        // rows (one per group) on the same x.
        let per_row = spec.color.is_none() || matches!(spec.kind, Kind::Scatter | Kind::Timeline);
        let mut slot_of_row = Vec::with_capacity(n);
        let mut raw: Vec<String> = Vec::new();
        let mut first_row = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, r) in rows.rows.iter().enumerate() {
            let x = cell_text(r.get(&spec.x));
            let slot = if per_row {
                raw.push(x);
                first_row.push(i);
                raw.len() - 1
            } else {
                *seen.entry(x.clone()).or_insert_with(|| {
                    raw.push(x);
                    first_row.push(i);
                    raw.len() - 1
                })
            };
            slot_of_row.push(slot);
        }
        let mut xs = Vec::with_capacity(raw.len());
        for (s, x) in raw.iter().enumerate() {
            let i = first_row[s];
            xs.push(match x_kind {
                XKind::Time(_) => dates::parse(x).ok_or_else(|| cx.not_a_date(i, x))?.day,
                XKind::Number => cx.number(i, &spec.x)?.0,
                XKind::Category => s as f64,
            });
        }
        if spec.x_log && xs.iter().any(|v| *v <= 0.0) {
            let i = first_row[xs.iter().position(|v| *v <= 0.0).unwrap_or(0)];
            return Err(cx.at(
                Diagnostic::error(format!("column `{}` has a value ≤ 0 in data row {}, which a log scale cannot show", spec.x, cx.rows.source_row(i) + 1))
                    .hint("remove `x_log: true` or chart positive values only"),
                i,
                &spec.x,
            ));
        }
        // With `color`: the group names in legend order and each row's group.
        let groups = Self::groups(&cx)?;
        let group_count = groups.as_ref().map_or(1, |(names, _)| names.len());
        let columns: Vec<(&String, Side)> = left.iter().map(|c| (c, Side::Left)).chain(right.iter().map(|c| (c, Side::Right))).collect();
        series_names_fit(spec, &columns.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>())?;
        let names = spec.series.clone().unwrap_or_default();
        let mut series = Vec::new();
        for (k, (col, side)) in columns.iter().enumerate() {
            for g in 0..group_count {
                let mut values = vec![f64::NAN; raw.len()];
                let mut written = vec![None; raw.len()];
                let mut filled = vec![false; raw.len()];
                let mut source_rows = vec![None; raw.len()];
                for i in 0..n {
                    if groups.as_ref().is_some_and(|(_, of_row)| of_row[i] != g) {
                        continue;
                    }
                    let s = slot_of_row[i];
                    if filled[s] && !per_row {
                        let what = spec.color.as_ref().map(|c| format!(" and `{c}` = `{}`", cell_text(rows.rows[i].get(c)))).unwrap_or_default();
                        return Err(cx.at(
                            Diagnostic::error(format!("data row {} repeats `{}` = `{}`{what}", cx.rows.source_row(i) + 1, spec.x, raw[s]))
                                .hint("each series needs one value per x; aggregate the rows first or split by another column"),
                            i,
                            &spec.x,
                        ));
                    }
                    filled[s] = true;
                    let (v, d) = cx.number(i, col)?;
                    if v <= 0.0 && (*side == Side::Left && spec.log) {
                        return Err(cx.at(
                            Diagnostic::error(format!("column `{col}` has a value ≤ 0 in data row {}, which a log scale cannot show", cx.rows.source_row(i) + 1))
                                .hint("remove `log: true` or chart positive values only"),
                            i,
                            col,
                        ));
                    }
                    values[s] = v;
                    written[s] = d;
                    source_rows[s] = Some(cx.rows.source_row(i));
                }
                let name = match &groups {
                    Some((group_names, _)) if columns.len() > 1 => format!("{} {}", group_names[g], names.get(k).unwrap_or(col)),
                    Some((group_names, _)) => group_names[g].clone(),
                    None => names.get(k).cloned().unwrap_or_else(|| (*col).clone()),
                };
                series.push(Series { name, values, written, side: *side, column: (*col).clone(), source_rows });
            }
        }
        labelable(spec, &series)?;
        let texts: Vec<String> = first_row.iter().map(|i| spec.text.as_ref().map(|t| cell_text(rows.rows[*i].get(t))).unwrap_or_default()).collect();
        let mut table = Table { categories: vec![], raw, xs, x_kind, series, texts };
        if matches!(x_kind, XKind::Time(_) | XKind::Number) && matches!(spec.kind, Kind::Line | Kind::Area | Kind::Bar) {
            table.sort_by_x();
        }
        table.categories = table.labels(spec)?;
        Ok(table)
    }

    /// Lines run left to right whatever order the rows come in.
    fn sort_by_x(&mut self) {
        let mut order: Vec<usize> = (0..self.xs.len()).collect();
        order.sort_by(|a, b| self.xs[*a].total_cmp(&self.xs[*b]).then(a.cmp(b)));
        if order.iter().enumerate().all(|(i, o)| i == *o) {
            return;
        }
        let pick = |v: &Vec<f64>| order.iter().map(|i| v[*i]).collect::<Vec<_>>();
        self.xs = pick(&self.xs);
        self.raw = order.iter().map(|i| self.raw[*i].clone()).collect();
        self.texts = order.iter().map(|i| self.texts[*i].clone()).collect();
        for s in &mut self.series {
            s.values = pick(&s.values);
            s.written = order.iter().map(|i| s.written[*i]).collect();
            s.source_rows = order.iter().map(|i| s.source_rows[*i]).collect();
        }
    }

    /// Printed slot labels: dates in the report's language (or `x_date`).
    fn labels(&self, spec: &ChartSpec) -> Result<Vec<String>, Diagnostic> {
        let lang = spec.lang();
        self.raw
            .iter()
            .zip(&self.xs)
            .map(|(raw, x)| match (self.x_kind, &spec.x_date) {
                (XKind::Time(_), Some(style)) => crate::core::format::format_date(&dates::iso(*x), style).map_err(Diagnostic::error),
                // A timeline prints its dates as written.
                (XKind::Time(grain), None) if spec.kind != Kind::Timeline => Ok(dates::label(*x, grain, lang)),
                (_, Some(style)) => crate::core::format::format_date(raw, style).map_err(Diagnostic::error),
                _ => Ok(raw.clone()),
            })
            .collect()
    }

    /// The `color` groups' names in legend order, and each row's group
    /// (its position in that order); None without `color`.
    fn groups(cx: &Ctx<'_>) -> Result<Option<(Vec<String>, Vec<usize>)>, Diagnostic> {
        let spec = cx.spec;
        let Some(col) = &spec.color else { return Ok(None) };
        let mut names: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut of_row = Vec::with_capacity(cx.rows.rows.len());
        for (i, r) in cx.rows.rows.iter().enumerate() {
            let v = cell_text(r.get(col));
            let g = match index.get(&v) {
                Some(g) => *g,
                None => {
                    if names.len() == MAX_SERIES {
                        return Err(cx.at(
                            Diagnostic::error(format!(
                                "splitting by `{col}` gives more than {MAX_SERIES} series: `{v}` in data row {} is the {}st",
                                cx.rows.source_row(i) + 1,
                                MAX_SERIES + 1
                            ))
                            .hint(format!("a chart with more than {MAX_SERIES} lines or bar colours cannot be read; filter the rows first (a smaller data set or a template loop), or split by a coarser column")),
                            i,
                            col,
                        ));
                    }
                    index.insert(v.clone(), names.len());
                    names.push(v);
                    names.len() - 1
                }
            };
            of_row.push(g);
        }
        // `order:` names come first, in its order; the rest keep data order.
        let mut order: Vec<usize> = Vec::new();
        for want in spec.order.iter().flatten() {
            match index.get(want) {
                Some(g) if !order.contains(g) => order.push(*g),
                Some(_) => {}
                None => {
                    let mut d = Diagnostic::error(format!("`order` names `{want}`, which column `{col}` never holds"))
                        .hint(format!("values of `{col}`: {}", names.join(", ")));
                    if let Some(near) = crate::core::text::closest(want, names.iter().map(String::as_str)) {
                        d = d.hint(format!("did you mean `{near}`?"));
                    }
                    return Err(d);
                }
            }
        }
        let rest: Vec<usize> = (0..names.len()).filter(|g| !order.contains(g)).collect();
        order.extend(rest);
        let rank: Vec<usize> = {
            let mut r = vec![0; names.len()];
            order.iter().enumerate().for_each(|(pos, g)| r[*g] = pos);
            r
        };
        let of_row: Vec<usize> = of_row.iter().map(|g| rank[*g]).collect();
        Ok(Some((order.iter().map(|g| names[*g].clone()).collect(), of_row)))
    }

    /// One category per distinct `x` value, in order of first appearance.
    fn aggregated(cx: &Ctx<'_>, agg: Aggregate, columns: &[String]) -> Result<Table, Diagnostic> {
        let (spec, rows) = (cx.spec, cx.rows);
        if matches!(spec.kind, Kind::Scatter | Kind::Timeline) {
            return Err(Diagnostic::error(format!("`aggregate` does not apply to a {}", spec.kind.name()))
                .hint("aggregate works with bar, line, area, pie and donut charts"));
        }
        let mut categories: Vec<String> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut index = Vec::new();
        for r in &rows.rows {
            let key = cell_text(r.get(&spec.x));
            let at = *seen.entry(key.clone()).or_insert_with(|| {
                categories.push(key);
                categories.len() - 1
            });
            index.push(at);
        }
        let value_columns: Vec<&str> = if agg == Aggregate::Count { vec!["count"] } else { columns.iter().map(String::as_str).collect() };
        series_names_fit(spec, &value_columns)?;
        let names = spec.series.clone().unwrap_or_default();
        let mut series = Vec::new();
        let n = categories.len();
        if agg == Aggregate::Count {
            let mut counts = vec![0.0; n];
            index.iter().for_each(|i| counts[*i] += 1.0);
            let name = names.first().cloned().unwrap_or_else(|| "count".into());
            series.push(Series { name, values: counts, written: vec![Some(0); n], side: Side::Left, column: String::new(), source_rows: vec![None; n] });
        } else {
            for (k, col) in columns.iter().enumerate() {
                let mut sums = vec![0.0; n];
                for (row, i) in index.iter().enumerate() {
                    let v = cx.number(row, col)?.0;
                    if v.is_finite() {
                        sums[*i] += v;
                    }
                }
                let name = names.get(k).cloned().unwrap_or_else(|| col.clone());
                series.push(Series { name, values: sums, written: vec![None; n], side: Side::Left, column: String::new(), source_rows: vec![None; n] });
            }
        }
        labelable(spec, &series)?;
        let texts = vec![String::new(); n];
        let xs = (0..n).map(|i| i as f64).collect();
        let mut t = Table { categories: vec![], raw: categories, xs, x_kind: XKind::Category, series, texts };
        t.categories = t.labels(spec)?;
        Ok(t)
    }
}

/// `series:` names one legend entry per value column, in their order: a
/// list of another length is a mistake, never half-applied (an unquoted
/// name holding a comma is two names).
fn series_names_fit(spec: &ChartSpec, columns: &[&str]) -> Result<(), Diagnostic> {
    let Some(names) = &spec.series else { return Ok(()) };
    if names.len() == columns.len() {
        return Ok(());
    }
    Err(Diagnostic::error(format!("`series:` gives {} name(s), but the chart has {} series ({})", names.len(), columns.len(), columns.join(", ")))
        .hint(format!("the names read: {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")))
        .hint("give one name per column of `y` (then `y2`), in their order; quote a name that holds a comma, e.g. \"Gross investment ($m, left)\""))
}

/// Decimals that print every value of `values` as it is written and tell
/// any two different values apart (computed values: at most 4 to tell them
/// apart; written ones: all they were written with, up to what a float
/// holds).
pub fn label_decimals(values: &[f64], written: &[Option<usize>], shift: isize) -> Vec<usize> {
    let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    finite.sort_by(f64::total_cmp);
    finite.dedup();
    let scale = 10f64.powi(shift as i32);
    let apart = (0..=4usize)
        .find(|d| {
            let k = 10f64.powi(*d as i32);
            finite.windows(2).all(|w| ((w[0] * scale * k).round() - (w[1] * scale * k).round()).abs() >= 1.0)
        })
        .unwrap_or(4);
    values
        .iter()
        .zip(written)
        .map(|(_, w)| {
            let own = w.map_or(0, |w| (w as isize - shift).max(0) as usize);
            own.max(apart).min(MAX_LABEL_DECIMALS)
        })
        .collect()
}

/// Past this many decimals a float no longer holds the digits written.
const MAX_LABEL_DECIMALS: usize = 12;

/// Values a chart can label exactly: not so small that its ticks would need
/// more than six decimals, not past 10^15, where floats lose whole digits.
fn labelable(spec: &ChartSpec, series: &[Series]) -> Result<(), Diagnostic> {
    for s in series {
        let shift = spec.axis(s.side).shift();
        let largest = s.values.iter().filter(|v| v.is_finite()).fold(0.0f64, |m, v| m.max(v.abs())) * 10f64.powi(shift as i32);
        let why = if largest >= 1e15 {
            "past 10^15, where a float no longer holds every digit"
        } else if largest > 0.0 && largest < 1e-6 {
            "so small that its axis would need more than six decimals"
        } else {
            continue;
        };
        return Err(Diagnostic::error(format!("series `{}` has values {why}", s.name))
            .hint("chart the values in another unit: divide or multiply them in the data, and name the unit in `y_title`"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_keep_written_precision_and_tell_values_apart() {
        assert_eq!(label_decimals(&[14.0, 468.0], &[Some(1), Some(1)], 0), vec![1, 1]);
        assert_eq!(label_decimals(&[14.0, 468.0], &[Some(0), Some(0)], 0), vec![0, 0]);
        // 11.1%, 10.7%, 11.4% written as ratios with three decimals.
        assert_eq!(label_decimals(&[0.111, 0.107, 0.114], &[Some(3), Some(3), Some(3)], 2), vec![1, 1, 1]);
        // Computed values: as many decimals as needed to differ.
        assert_eq!(label_decimals(&[0.1104, 0.1096], &[None, None], 2), vec![2, 2]);
        assert_eq!(label_decimals(&[0.117, 1.5, 175.0], &[Some(3), Some(1), Some(0)], 0), vec![3, 1, 0]);
    }
}
