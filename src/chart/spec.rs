//! The chart spec a writer types, and its validation against the data.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::Rows;
use crate::diag::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Line,
    Bar,
    Area,
    Pie,
    Donut,
    Scatter,
    Timeline,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Line => "line chart",
            Kind::Bar => "bar chart",
            Kind::Area => "area chart",
            Kind::Pie => "pie chart",
            Kind::Donut => "donut chart",
            Kind::Scatter => "scatter chart",
            Kind::Timeline => "timeline",
        }
    }
}

/// How axis ticks and data labels print; the same rules as the template filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumFormat {
    #[default]
    Num,
    Pct,
    SignedPct,
    Currency,
    CnUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    Count,
    Sum,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartSpec {
    pub kind: Kind,
    /// Data set stem (`content/data/<stem>.*`).
    pub data: Option<String>,
    /// Inline rows instead of a data set.
    pub rows: Option<Vec<Map<String, Value>>>,
    /// Category (or date / numeric x) column.
    pub x: String,
    /// Value column(s); one series each.
    pub y: Option<OneOrMany>,
    /// Legend names for the series (default: the column names).
    pub series: Option<Vec<String>>,
    /// Label column (timeline events, scatter point labels).
    pub text: Option<String>,
    pub caption: String,
    pub label: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
    /// Text alternative for readers who cannot see the chart.
    pub alt: Option<String>,
    #[serde(default)]
    pub y_format: NumFormat,
    pub y_decimals: Option<usize>,
    /// Percent formats take ratios (0.12 → 12%) unless this is false.
    pub y_ratio: Option<bool>,
    pub y_title: Option<String>,
    /// Date style for x categories written as dates: zh, en, zh_month, en_month, iso, dot.
    pub x_date: Option<String>,
    #[serde(default)]
    pub stacked: bool,
    #[serde(default)]
    pub horizontal: bool,
    #[serde(default)]
    pub log: bool,
    /// Print values on bars, points and slices.
    #[serde(default)]
    pub labels: bool,
    /// Group rows by `x` first: `count` rows per group (no `y` needed) or
    /// `sum` the `y` columns.
    pub aggregate: Option<Aggregate>,
    /// Drawing size in px (the figure scales to the column width).
    pub width: Option<f64>,
    pub height: Option<f64>,
}

impl ChartSpec {
    pub fn columns(&self) -> Vec<String> {
        match &self.y {
            None => vec![],
            Some(OneOrMany::One(c)) => vec![c.clone()],
            Some(OneOrMany::Many(cs)) => cs.clone(),
        }
    }

    /// Axis and label text, by the same rules as the template filters.
    pub fn format(&self, v: f64) -> String {
        use crate::template::filters::{format_cn_unit, format_currency, format_num, format_pct, with_sign};
        let d = self.y_decimals;
        let percent = if self.y_ratio.unwrap_or(true) { v * 100.0 } else { v };
        match self.y_format {
            NumFormat::Num => format_num(v, d.unwrap_or_else(|| auto_decimals(v))),
            NumFormat::Pct => format_pct(percent, d.unwrap_or(0)),
            NumFormat::SignedPct => with_sign(format_pct(percent, d.unwrap_or(0)), v),
            NumFormat::Currency => format_currency(v, "¥", d.unwrap_or(0)),
            NumFormat::CnUnit => format_cn_unit(v, d.unwrap_or(1)),
        }
    }
}

fn auto_decimals(v: f64) -> usize {
    if v == v.trunc() {
        0
    } else if (v * 10.0) == (v * 10.0).trunc() {
        1
    } else {
        2
    }
}

/// The spec's data, validated: categories and numeric series.
#[derive(Debug, Clone)]
pub struct Table {
    pub categories: Vec<String>,
    /// Numeric x values (scatter) or day numbers (timeline).
    pub xs: Vec<f64>,
    pub series: Vec<(String, Vec<f64>)>,
    pub texts: Vec<String>,
}

fn cell_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Days since 1970-01-01 of `YYYY-MM-DD` or `YYYY-MM`.
pub fn day_number(s: &str) -> Option<f64> {
    let mut it = s.trim().split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next().map_or(Some(1), |d| d.parse().ok())?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Civil-from-days inverse (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146097 + doe - 719468) as f64)
}

impl Table {
    pub fn build(spec: &ChartSpec, rows: &Rows) -> Result<Table, Diagnostic> {
        if rows.rows.is_empty() {
            let mut d = Diagnostic::error("chart data is empty").hint("the data set needs at least one row");
            if let Some((path, text)) = &rows.origin {
                d = d.at(crate::diag::Location::new(path.clone(), text.clone(), 0..0));
            }
            return Err(d);
        }
        let available: Vec<&String> = rows.rows[0].keys().collect();
        let check = |col: &str| -> Result<(), Diagnostic> {
            if rows.rows.iter().any(|r| r.contains_key(col)) {
                Ok(())
            } else {
                let mut d = Diagnostic::error(format!("chart names unknown column `{col}`"))
                    .hint(format!("columns: {}", available.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")));
                if let Some(near) = crate::text::closest(col, available.iter().map(|s| s.as_str())) {
                    d = d.hint(format!("did you mean `{near}`?"));
                }
                Err(d)
            }
        };
        check(&spec.x)?;
        let columns = spec.columns();
        for c in &columns {
            check(c)?;
        }
        if let Some(t) = &spec.text {
            check(t)?;
        }
        let needs_y = !matches!(spec.kind, Kind::Timeline) && spec.aggregate != Some(Aggregate::Count);
        if needs_y && columns.is_empty() {
            return Err(Diagnostic::error(format!("a {} needs `y:` (one or more value columns)", spec.kind.name())));
        }
        let number = |i: usize, col: &str| -> Result<f64, Diagnostic> {
            match rows.rows[i].get(col) {
                Some(Value::Number(n)) => Ok(n.as_f64().unwrap_or(0.0)),
                Some(Value::Null) | None => Ok(f64::NAN),
                Some(other) => {
                    let mut d = Diagnostic::error(format!(
                        "column `{col}` holds a non-numeric value `{}` in data row {}",
                        cell_text(Some(other)),
                        i + 1
                    ))
                    .hint("chart values must be numbers; fix the cell or chart another column");
                    if let Some(loc) = rows.row_location(i) {
                        d = d.at(loc);
                    }
                    Err(d)
                }
            }
        };
        let mut categories = Vec::new();
        let mut xs = Vec::new();
        let mut texts = Vec::new();
        for (i, r) in rows.rows.iter().enumerate() {
            let raw = cell_text(r.get(&spec.x));
            match spec.kind {
                Kind::Scatter => xs.push(number(i, &spec.x)?),
                Kind::Timeline => {
                    let day = day_number(&raw).ok_or_else(|| {
                        let mut d = Diagnostic::error(format!("timeline date `{raw}` in data row {} is not a date", i + 1))
                            .hint("write dates as YYYY-MM-DD or YYYY-MM");
                        if let Some(loc) = rows.row_location(i) {
                            d = d.at(loc);
                        }
                        d
                    })?;
                    xs.push(day);
                }
                _ => {}
            }
            let label = match &spec.x_date {
                Some(style) => crate::template::filters::format_date(&raw, style).map_err(Diagnostic::error)?,
                None => raw,
            };
            categories.push(label);
            texts.push(spec.text.as_ref().map(|t| cell_text(r.get(t))).unwrap_or_default());
        }
        if let Some(agg) = spec.aggregate {
            return Self::aggregated(spec, rows, agg, &columns, &number);
        }
        let names = spec.series.clone().unwrap_or_default();
        let mut series = Vec::new();
        for (k, col) in columns.iter().enumerate() {
            let values = (0..rows.rows.len()).map(|i| number(i, col)).collect::<Result<Vec<_>, _>>()?;
            if spec.log && values.iter().any(|v| *v <= 0.0) {
                return Err(Diagnostic::error(format!("column `{col}` has values ≤ 0, which a log scale cannot show"))
                    .hint("remove `log: true` or chart positive values only"));
            }
            series.push((names.get(k).cloned().unwrap_or_else(|| col.clone()), values));
        }
        Ok(Table { categories, xs, series, texts })
    }
}

impl Table {
    /// One category per distinct `x` value, in order of first appearance.
    fn aggregated(
        spec: &ChartSpec,
        rows: &Rows,
        agg: Aggregate,
        columns: &[String],
        number: &dyn Fn(usize, &str) -> Result<f64, Diagnostic>,
    ) -> Result<Table, Diagnostic> {
        if matches!(spec.kind, Kind::Scatter | Kind::Timeline) {
            return Err(Diagnostic::error(format!("`aggregate` does not apply to a {}", spec.kind.name()))
                .hint("aggregate works with bar, line, area, pie and donut charts"));
        }
        let mut categories: Vec<String> = Vec::new();
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut index = Vec::new();
        for r in &rows.rows {
            let key = cell_text(r.get(&spec.x));
            let at = *seen.entry(key.clone()).or_insert_with(|| {
                categories.push(key);
                categories.len() - 1
            });
            index.push(at);
        }
        let names = spec.series.clone().unwrap_or_default();
        let mut series = Vec::new();
        if agg == Aggregate::Count {
            let mut counts = vec![0.0; categories.len()];
            index.iter().for_each(|i| counts[*i] += 1.0);
            series.push((names.first().cloned().unwrap_or_else(|| "count".into()), counts));
        } else {
            for (k, col) in columns.iter().enumerate() {
                let mut sums = vec![0.0; categories.len()];
                for (row, i) in index.iter().enumerate() {
                    let v = number(row, col)?;
                    if v.is_finite() {
                        sums[*i] += v;
                    }
                }
                series.push((names.get(k).cloned().unwrap_or_else(|| col.clone()), sums));
            }
        }
        let texts = vec![String::new(); categories.len()];
        Ok(Table { categories, xs: vec![], series, texts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        assert_eq!(day_number("1970-01-01"), Some(0.0));
        assert_eq!(day_number("2023-03-15").unwrap() - day_number("2023-02-27").unwrap(), 16.0);
        assert_eq!(day_number("2023-04"), day_number("2023-04-01"));
        assert_eq!(day_number("soon"), None);
    }
}
