//! Where a value a template read lies in its data file, for lineage: the
//! file, the record and column, and for a CSV its line and the cell's text
//! as written, for a workbook its `Sheet!C7`.

use std::path::PathBuf;

use crate::input::data::{DataFormat, DataSet};

/// One data cell, described.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceCell {
    pub path: PathBuf,
    /// 1-based record of a table; none for a key of a map.
    pub row: Option<usize>,
    /// The column, or a map's key path (`rating.action`).
    pub column: String,
    /// A workbook's `Sheet!C7`.
    pub cell: Option<String>,
    /// A CSV cell's 1-based line.
    pub line: Option<usize>,
    /// The cell's text as the file writes it (CSV), else the value read.
    pub raw: Option<String>,
    /// A `.sql` file's result.
    pub query: bool,
}

impl DataSet {
    /// The cell at record `row` (0-based), key `key` of `data.<stem>[.<sheet>]`.
    pub fn source_of(&self, stem: &str, sheet: Option<&str>, row: Option<usize>, key: &str) -> Option<SourceCell> {
        let path = self.path(stem)?;
        let format = self.format(stem)?;
        let mut out = SourceCell { path, row: row.map(|r| r + 1), column: key.to_string(), cell: None, line: None, raw: None, query: format == DataFormat::Sql };
        match (format, row) {
            (DataFormat::Workbook, Some(i)) => {
                out.raw = self.read_value(stem, sheet, Some(i), key);
                let sheet = sheet.filter(|s| *s != "rows");
                out.cell = self.workbook_layout(stem, sheet).and_then(|l| l.cell(i, key));
            }
            (DataFormat::Csv, Some(i)) => {
                let text = self.text(stem)?;
                let index = self.file(stem)?.csv_index.get_or_init(|| crate::input::csv_text::Index::new(&text));
                let col = index.headers.iter().position(|h| h == key)?;
                out.line = Some(*index.lines.get(i)?);
                out.raw = index.cell(&text, i, col).map(|r| text[r].to_string());
                // A quoted cell's doubled quotes are one.
                if let Some(r) = &mut out.raw {
                    *r = r.replace("\"\"", "\"");
                }
            }
            // A query is not run again to say what it answered.
            (DataFormat::Sql, _) => {}
            (_, row) => out.raw = self.read_value(stem, sheet, row, key),
        }
        Some(out)
    }

    /// The value at record `row`, key `key` (a key path without a record),
    /// as read: a string as it is, a number or flag as JSON writes it.
    fn read_value(&self, stem: &str, sheet: Option<&str>, row: Option<usize>, key: &str) -> Option<String> {
        let value = self.get(stem)?.ok()?;
        let records = match (self.is_workbook(stem), sheet) {
            (true, Some("rows") | None) => value.as_object()?.values().next()?,
            (true, Some(s)) => value.get(s)?,
            (false, _) => &*value,
        };
        let v = match row {
            Some(i) => records.as_array()?.get(i)?.get(key)?,
            None => key.split('.').try_fold(records, |v, k| match v {
                serde_json::Value::Array(a) => a.get(k.parse::<usize>().ok()?),
                other => other.get(k),
            })?,
        };
        match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => Some(String::new()),
            serde_json::Value::Array(_) | serde_json::Value::Object(_) => None,
            other => Some(other.to_string()),
        }
    }
}
