//! The chart spec a writer types, and its validation against the data.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::core::words::Lang;

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

/// What the x column holds; `auto` decides from the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum XType {
    #[default]
    Auto,
    Category,
    Time,
    Number,
}

/// A number or a text (a date, a category) in a spec.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Num(f64),
    Text(String),
}

impl Scalar {
    pub fn text(&self) -> String {
        match self {
            Scalar::Num(v) => crate::core::format::format_num(*v, if v.fract() == 0.0 { 0 } else { 2 }).replace(',', ""),
            Scalar::Text(s) => s.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    #[default]
    Left,
    Right,
}

/// A reference line across (`y`), an event marker (`x`) or a shaded range
/// (`from`, `to`), each with an optional label.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    pub y: Option<f64>,
    pub x: Option<Scalar>,
    pub from: Option<Scalar>,
    pub to: Option<Scalar>,
    pub label: Option<String>,
    /// Which value axis a `y` line is measured on.
    #[serde(default)]
    pub axis: Side,
}

/// How one value axis prints its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AxisFormat {
    pub format: NumFormat,
    pub decimals: Option<usize>,
    pub ratio: bool,
}

impl AxisFormat {
    /// Text of `v` with `d` decimals (None: as many as the value has, up to 2).
    pub fn print(&self, v: f64, d: Option<usize>) -> String {
        use crate::core::format::{format_cn_unit, format_currency, format_num, format_pct, with_sign};
        let d = d.or(self.decimals);
        let percent = if self.ratio { v * 100.0 } else { v };
        match self.format {
            NumFormat::Num => format_num(v, d.unwrap_or_else(|| auto_decimals(v))),
            NumFormat::Pct => format_pct(percent, d.unwrap_or(0)),
            NumFormat::SignedPct => with_sign(format_pct(percent, d.unwrap_or(0)), v),
            NumFormat::Currency => format_currency(v, "¥", d.unwrap_or(0)),
            NumFormat::CnUnit => format_cn_unit(v, d.unwrap_or(1)),
        }
    }

    /// Decimals lost by the format: a ratio printed as percent moves two.
    pub fn shift(&self) -> isize {
        match self.format {
            NumFormat::Pct | NumFormat::SignedPct if self.ratio => 2,
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartSpec {
    pub kind: Kind,
    /// Data set stem (`content/data/<stem>.*`).
    pub data: Option<String>,
    /// Inline rows instead of a data set.
    pub rows: Option<Vec<Map<String, Value>>>,
    /// Only the rows whose cells equal these values, e.g. a family member's
    /// own rows: `where: {ticker: "{{ row.ticker }}"}`.
    #[serde(rename = "where")]
    pub filter: Option<Map<String, Value>>,
    /// Category, date or numeric x column.
    pub x: String,
    /// Value column(s); one series each (or one per `color` group).
    pub y: Option<OneOrMany>,
    /// Value column(s) drawn as lines on a right-hand axis.
    pub y2: Option<OneOrMany>,
    /// Split a long table into one series per value of this column.
    pub color: Option<String>,
    /// Legend order of the `color` groups (the rest follow in data order).
    pub order: Option<Vec<String>>,
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
    pub x_type: XType,
    #[serde(default)]
    pub y_format: NumFormat,
    pub y_decimals: Option<usize>,
    /// Percent formats take ratios (0.12 → 12%) unless this is false.
    pub y_ratio: Option<bool>,
    pub y_title: Option<String>,
    #[serde(default)]
    pub y2_format: NumFormat,
    pub y2_decimals: Option<usize>,
    pub y2_ratio: Option<bool>,
    pub y2_title: Option<String>,
    pub x_title: Option<String>,
    /// Decimals of data labels (default: as written in the data, and enough
    /// to tell the values apart).
    pub label_decimals: Option<usize>,
    /// Date style for x labels: zh, en, zh_month, en_month, iso, dot.
    pub x_date: Option<String>,
    #[serde(default)]
    pub stacked: bool,
    #[serde(default)]
    pub horizontal: bool,
    #[serde(default)]
    pub log: bool,
    #[serde(default)]
    pub x_log: bool,
    /// Print values on bars, points and slices.
    #[serde(default)]
    pub labels: bool,
    /// Name and value at the last point of each line.
    #[serde(default)]
    pub end_labels: bool,
    #[serde(default)]
    pub annotations: Vec<Annotation>,
    /// Group rows by `x` first: `count` rows per group (no `y` needed) or
    /// `sum` the `y` columns.
    pub aggregate: Option<Aggregate>,
    /// Language of date ticks (default: the report's).
    pub lang: Option<Lang>,
    /// Drawing size in px (the figure scales to the column width).
    pub width: Option<f64>,
    pub height: Option<f64>,
}

fn list(v: &Option<OneOrMany>) -> Vec<String> {
    match v {
        None => vec![],
        Some(OneOrMany::One(c)) => vec![c.clone()],
        Some(OneOrMany::Many(cs)) => cs.clone(),
    }
}

impl ChartSpec {
    pub fn columns(&self) -> Vec<String> {
        list(&self.y)
    }

    pub fn right_columns(&self) -> Vec<String> {
        list(&self.y2)
    }

    pub fn axis(&self, side: Side) -> AxisFormat {
        match side {
            Side::Left => AxisFormat { format: self.y_format, decimals: self.y_decimals, ratio: self.y_ratio.unwrap_or(true) },
            Side::Right => AxisFormat { format: self.y2_format, decimals: self.y2_decimals, ratio: self.y2_ratio.unwrap_or(true) },
        }
    }

    /// Axis and label text, by the same rules as the template filters.
    pub fn format(&self, v: f64) -> String {
        self.axis(Side::Left).print(v, None)
    }

    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or(Lang::Zh)
    }

    /// `s` as the chart prints it: in a Chinese chart, spaced from Latin by
    /// the report's one rule (`core::text::cjk_latin_spaced`), as its text is.
    pub fn spaced(&self, s: &str) -> String {
        if self.lang() == Lang::Zh { crate::core::text::cjk_latin_spaced(s).into_owned() } else { s.to_string() }
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
