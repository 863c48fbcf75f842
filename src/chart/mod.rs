//! Charts drawn from data: a YAML spec in a ```chart block becomes a numbered
//! figure whose body is an SVG drawn here, inlined in the HTML and handed to
//! typst as a vector image. Same data, same bytes.

mod cartesian;
mod draw;
mod metrics;
mod narrow;
mod scale;
mod spec;
mod svg;
pub use svg::{n, Drawing, Element};
mod table;

pub use narrow::Narrow;
pub use spec::{ChartSpec, Kind, NumFormat};
pub use table::MAX_SERIES;

use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::input::data::DataSet;
use crate::core::diag::{Diagnostic, Location};

/// A chart ready to print: its drawing as data (which the PDF draws with
/// typst's shapes) and as SVG (the HTML's, made when first asked for, so a
/// PDF-only build does not write it), a text alternative, and for the
/// HTML a drawing laid out again for phone screens, whose text would
/// otherwise shrink with the wide drawing below legibility.
#[derive(Debug, Clone, Default)]
pub struct Chart {
    pub drawing: Arc<svg::Drawing>,
    /// The drawing's SVG, shared by the chart's copies.
    wide: Arc<OnceLock<String>>,
    pub alt: String,
    pub narrow: Narrow,
    /// Each value the chart labels, with the data cell it was drawn from.
    pub marks: Vec<Mark>,
    /// The data set it was drawn from (`models`, `model.Forecast`).
    pub data: Option<String>,
}

impl Chart {
    /// The drawing as SVG, as the HTML shows it.
    pub fn svg(&self) -> &str {
        self.wide.get_or_init(|| self.drawing.svg())
    }
}

/// One drawn value: its series' column, its category, its label as the
/// chart prints it, and the data set's 0-based row.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub column: String,
    /// The point's place in its series (what the drawing's labels name).
    pub point: usize,
    pub category: String,
    pub text: String,
    pub row: usize,
}

/// Width of the drawing for narrow screens: at a 390 px phone's text column
/// its 11 px labels stay about 10 px.
pub const NARROW_WIDTH: f64 = 360.0;

/// Where a chart's data came from, for errors that point into the data file.
pub struct Rows {
    pub rows: Vec<serde_json::Map<String, Value>>,
    pub origin: Option<(std::path::PathBuf, Arc<str>)>,
    /// For a workbook's sheet: the file and where its records lie.
    pub sheet: Option<(std::path::PathBuf, crate::input::workbook::SheetLayout)>,
    /// The data set's row of each of `rows` when `where` kept only some
    /// (empty: all rows, in order).
    pub index: Vec<usize>,
    /// The rows are a query's answer: they depend on the report's
    /// parameters and on the database at the time, not on the query's text.
    pub queried: bool,
}

impl Rows {
    /// The 0-based row of the data set that `rows[i]` is.
    pub fn source_row(&self, i: usize) -> usize {
        self.index.get(i).copied().unwrap_or(i)
    }

    /// `content/data/model.xlsx, cell Model!C7` for a workbook's record `i`.
    pub fn cell_name(&self, i: usize, col: &str) -> Option<String> {
        let (path, layout) = self.sheet.as_ref()?;
        let cell = layout.cell(self.source_row(i), col)?;
        Some(format!("{}, cell {cell}", crate::core::diag::display_path(path)))
    }

    /// Location of 0-based data row `i` (for CSV: its line).
    pub fn row_location(&self, i: usize) -> Option<Location> {
        let (path, text) = self.origin.as_ref()?;
        Some(crate::input::data::row_location(path, text, self.source_row(i)))
    }

    /// Location of the cell in column `col` of data row `i` (CSV: the cell
    /// itself; other formats: the row).
    pub fn cell_location(&self, i: usize, col: &str) -> Option<Location> {
        let i = self.source_row(i);
        let (path, text) = self.origin.as_ref()?;
        if crate::input::data::DataFormat::of(path) != Some(crate::input::data::DataFormat::Csv) {
            return self.row_location(i);
        }
        let headers = crate::input::csv_text::headers(text)?;
        let range = headers.iter().position(|h| h == col).and_then(|c| crate::input::csv_text::cell_range(text, i, c));
        match range {
            Some(r) => Some(Location::new(path.clone(), text.clone(), r.start..r.start)),
            None => self.row_location(i),
        }
    }
}

/// Load the rows a spec names: `data: <stem>` or inline `rows:`.
pub fn rows_for(spec: &ChartSpec, data: &DataSet) -> Result<Rows, Diagnostic> {
    rows_for_report(spec, data, &serde_json::Map::new())
}

/// Like `rows_for`, for a report whose front matter (and family row) are
/// `params`: the parameters of a query data set.
pub fn rows_for_report(spec: &ChartSpec, data: &DataSet, params: &serde_json::Map<String, Value>) -> Result<Rows, Diagnostic> {
    if let Some(rows) = &spec.rows {
        let limit = data.limits().chart_points;
        if rows.len() * spec.columns().len().max(1) > limit {
            return Err(Diagnostic::error(format!("chart would draw more than {limit} points"))
                .hint("keep long series in content/data/, or raise the limit in folio.toml: [limits] chart_points = …"));
        }
        return Ok(Rows { rows: rows.clone(), origin: None, sheet: None, index: vec![], queried: false });
    }
    let Some(stem) = &spec.data else {
        return Err(Diagnostic::error("chart has no data").hint("name a data set with `data: <stem>` or give `rows:` inline"));
    };
    // `model.Forecast`: a sheet of a workbook other than its first.
    let (stem, sheet) = match (data.contains(stem), stem.split_once('.')) {
        (false, Some((book, sheet))) if data.contains(book) => (&book.to_string(), Some(sheet)),
        _ => (stem, None),
    };
    let value = match data.get_with(stem, params) {
        Some(v) => match (v?, sheet) {
            (v, None) => v,
            (v, Some(sheet)) => match v.get(sheet) {
                Some(rows) => Arc::new(rows.clone()),
                None => {
                    let sheets: Vec<&String> = v.as_object().map(|m| m.keys().filter(|k| *k != "rows").collect()).unwrap_or_default();
                    return Err(Diagnostic::error(format!("workbook `{stem}` has no sheet `{sheet}`"))
                        .hint(format!("its sheets: {}", sheets.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))));
                }
            },
        },
        None => {
            let known: Vec<&str> = data.stems().collect();
            return Err(Diagnostic::error(format!("chart names unknown data set `{stem}`"))
                .hint(format!("data sets in content/data/: {}", if known.is_empty() { "none".into() } else { known.join(", ") })));
        }
    };
    let origin = data.path(stem).zip(data.text(stem));
    let list = match &*value {
        Value::Array(items) => items.clone(),
        Value::Object(m) => match m.get("rows") {
            Some(Value::Array(items)) => items.clone(),
            _ => vec![],
        },
        _ => vec![],
    };
    // `where`: the rows kept, with the data set's row of each for messages.
    let (list, index): (Vec<Value>, Vec<usize>) = match &spec.filter {
        None => (list, vec![]),
        Some(want) => {
            for col in want.keys() {
                if !list.iter().any(|r| r.get(col).is_some()) {
                    return Err(Diagnostic::error(format!("`where` names unknown column `{col}` of data set `{stem}`")));
                }
            }
            let text = |v: &Value| match v {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            list.into_iter().enumerate().filter(|(_, r)| want.iter().all(|(c, v)| r.get(c).map(text) == Some(text(v)))).map(|(i, r)| (r, i)).unzip()
        }
    };
    let points = list.len() * spec.columns().len().max(1);
    let limit = data.limits().chart_points;
    if points > limit {
        let mut d = Diagnostic::error(format!("chart would draw {points} points from data set `{stem}`, over the limit of {limit}"))
            .hint("filter or aggregate the data first, or raise the limit in folio.toml: [limits] chart_points = …");
        if let Some((path, text)) = &origin {
            d = d.at(Location::new(path.clone(), text.clone(), 0..0));
        }
        return Err(d);
    }
    let mut rows = Vec::new();
    for item in list {
        match item {
            Value::Object(m) => rows.push(m),
            _ => return Err(Diagnostic::error(format!("data set `{stem}` is not a list of records")).hint("charts need a table: a CSV with a header row, or a JSON/YAML list of objects")),
        }
    }
    let sheet = data.path(stem).zip(data.workbook_layout(stem, sheet));
    Ok(Rows { rows, origin, sheet, index, queried: data.is_query(stem) })
}

/// Charts drawn by earlier builds of a session, by spec and data text (a
/// query's by its rows): a rebuild in `watch` draws again only the charts
/// whose spec or data changed.
type DrawnKey = (String, Option<(std::path::PathBuf, Arc<str>)>, Option<String>);
#[derive(Debug, Default)]
pub struct DrawnCache(std::sync::Mutex<std::collections::HashMap<DrawnKey, Chart>>);

impl DrawnCache {
    pub fn clear(&self) {
        self.0.lock().expect("chart cache lock").clear();
    }

    /// How many drawings it holds.
    pub fn len(&self) -> usize {
        self.0.lock().expect("chart cache lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Validate the spec against its rows and draw it.
pub fn render(spec: &ChartSpec, rows: &Rows) -> Result<Chart, Diagnostic> {
    draw_chart(spec, rows)
}

/// Like `render`, reusing a drawing of the same spec and data.
pub fn render_cached(spec: &ChartSpec, rows: &Rows, cache: &DrawnCache) -> Result<Chart, Diagnostic> {
    // The rows come from the spec itself, from a data file whose text we
    // have, or from a query, whose rows themselves are the key (its text
    // gives other rows for each family member, and for a changed
    // database); anything else is drawn without the cache.
    let answer = rows.queried.then(|| serde_json::to_string(&rows.rows).expect("JSON values serialize"));
    let key = (spec.rows.is_some() || rows.origin.is_some()).then(|| (format!("{spec:?}"), rows.origin.clone(), answer));
    if let Some(chart) = key.as_ref().and_then(|k| cache.0.lock().expect("chart cache lock").get(k).cloned()) {
        return Ok(chart);
    }
    let chart = draw_chart(spec, rows)?;
    if let Some(key) = key {
        let mut drawn = cache.0.lock().expect("chart cache lock");
        // Bounded: a long watch session over many edits starts afresh.
        if drawn.len() >= 1024 {
            drawn.clear();
        }
        drawn.insert(key, chart.clone());
    }
    Ok(chart)
}

fn draw_chart(spec: &ChartSpec, rows: &Rows) -> Result<Chart, Diagnostic> {
    let table = table::Table::build(spec, rows)?;
    let width = spec.width.unwrap_or(640.0);
    let drawing = draw::draw(spec, &table, width, spec.height)?;
    let alt = spec.spaced(&spec.alt.clone().unwrap_or_else(|| format!("{}: {}", spec.kind.name(), spec.caption)));
    let mut marks = Vec::new();
    for s in &table.series {
        let labels = draw::value_labels(spec, s);
        for (i, row) in s.source_rows.iter().enumerate() {
            if let (Some(row), Some(text)) = (row, labels.get(i).filter(|t| !t.is_empty())) {
                marks.push(Mark { column: s.column.clone(), point: i, category: table.categories.get(i).cloned().unwrap_or_default(), text: text.clone(), row: *row });
            }
        }
    }
    let narrow = Narrow::of(spec, table, width);
    Ok(Chart { drawing: Arc::new(drawing), wide: Arc::default(), alt, narrow, marks, data: spec.data.clone().filter(|_| spec.rows.is_none()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(csv: &str) -> Rows {
        let value = crate::input::data::parse_csv_text(csv);
        let rows = value.as_array().unwrap().iter().map(|r| r.as_object().unwrap().clone()).collect();
        Rows { rows, origin: Some((std::path::PathBuf::from("content/data/cache-test.csv"), Arc::from(csv))), sheet: None, index: vec![], queried: false }
    }

    #[test]
    fn the_svg_and_the_phones_drawing_are_made_when_asked_and_once() {
        let spec: ChartSpec = crate::input::yaml::from_str("kind: bar\ndata: cache-test\nx: item\ny: value\nlabels: true\ncaption: C\n").unwrap();
        let chart = render(&spec, &rows("item,value\nA,1\nB,2\n")).unwrap();
        assert!(chart.wide.get().is_none(), "the wide drawing's SVG is written when first asked for");
        assert!(chart.clone().svg().contains("viewBox=\"0 0 640 "));
        assert!(chart.wide.get().is_some(), "and written once for all copies of the chart");
        assert!(chart.svg().contains("viewBox=\"0 0 640 "), "{}", chart.svg());
        let narrow = chart.narrow.clone();
        assert!(!narrow.is_drawn(), "drawn only when the HTML asks");
        let svg = narrow.svg().unwrap();
        assert!(svg.contains("viewBox=\"0 0 360 ") && svg.contains(">2<"), "{svg}");
        assert_eq!(chart.narrow.drawing().unwrap().svg(), svg, "one drawing, shared by the chart's copies");
        let mut small = spec.clone();
        small.width = Some(400.0);
        assert!(render(&small, &rows("item,value\nA,1\nB,2\n")).unwrap().narrow.svg().is_none());
    }

    #[test]
    fn a_cached_drawing_is_used_only_for_the_same_spec_and_data() {
        let spec: ChartSpec = crate::input::yaml::from_str("kind: bar\ndata: cache-test\nx: item\ny: value\nlabels: true\ncaption: C\n").unwrap();
        let cache = DrawnCache::default();
        let first = render_cached(&spec, &rows("item,value\nA,1\nB,2\n"), &cache).unwrap();
        let again = render_cached(&spec, &rows("item,value\nA,1\nB,2\n"), &cache).unwrap();
        assert_eq!(first.svg(), again.svg());
        let changed = render_cached(&spec, &rows("item,value\nA,1\nB,7\n"), &cache).unwrap();
        assert_ne!(first.svg(), changed.svg(), "new data must be drawn again");
        assert!(changed.svg().contains(">7<"), "{}", changed.svg());
        let mut wider = spec.clone();
        wider.width = Some(900.0);
        assert_ne!(render_cached(&wider, &rows("item,value\nA,1\nB,2\n"), &cache).unwrap().svg(), first.svg(), "a new spec is drawn again");
    }
}
