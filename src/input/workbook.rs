//! Workbooks as data: `content/data/<stem>.xlsx` (also `.xlsm`, `.xls`,
//! `.ods`) becomes `data.<stem>`, a map of sheet name → list of records
//! (header row → keys), with `rows` the first sheet's. Numbers stay numbers,
//! dates become ISO dates, formulas give their cached values, empty cells
//! are null, formula errors (`#DIV/0!`) stay as their code and are noted
//! with their cell. A table that does not start at A1 is given by a range or
//! a named range in `folio.toml`:
//!
//! ```toml
//! [workbooks.model]      # content/data/model.xlsx
//! Model = "B3:F20"       # sheet = cell range, its first row the header
//! Forecast = "Revenue"   # or a named range of the workbook
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Range, Reader, Sheets};
use serde_json::{Map, Number, Value};

use crate::core::diag::{display_path, Diagnostic};

pub const EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// Most bytes of an `.ods` sheet's XML read for its merged cells.
const ODS_XML_MAX: u64 = 512 * 1024 * 1024;

/// Where a sheet's table lies, to name the cell of any value.
#[derive(Debug, Clone)]
pub struct SheetLayout {
    pub sheet: String,
    /// 0-based sheet row of each record, and the column of each key.
    pub rows: Vec<u32>,
    pub columns: Vec<(String, u32)>,
}

impl SheetLayout {
    /// `Model!C7` for record `i`, column `key`.
    pub fn cell(&self, i: usize, key: &str) -> Option<String> {
        let col = self.columns.iter().find(|(k, _)| k == key)?.1;
        Some(format!("{}!{}{}", self.sheet, column_letters(col), *self.rows.get(i)? as usize + 1))
    }
}

/// A workbook read: its value and, per sheet, where its records lie.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub value: Value,
    pub layouts: Vec<SheetLayout>,
    /// Cells holding a cached formula error: (`Model!C7`, `#DIV/0!`).
    pub errors: Vec<(String, String)>,
    /// Formula cells with no value saved (files written by openpyxl and
    /// other tools that do not compute): (`Model!C7`, `=B7*1.08`).
    pub uncached: Vec<(String, String)>,
    /// The same cells where they lie in the records: a template that
    /// prints one fails there (`template::Unsaved`).
    pub unsaved: Vec<Unsaved>,
    /// Each sheet's records as the spreadsheet shows their cells (each
    /// cell's number format applied: `12.1%`, `¥8,530.60`), for
    /// `data.<stem>.shown.<sheet>`; `.xlsx` only (None: another format).
    pub shown: Option<Map<String, Value>>,
    /// Cells whose format folio cannot render: (sheet, `Model!C7`, why).
    pub unshown: Vec<(String, String, String)>,
    /// Date cells the spreadsheet programs show differently (`Model!C7`,
    /// Excel's date or none where Excel shows none, LibreOffice's).
    pub early: Vec<(String, Option<String>, String)>,
}

impl Workbook {
    /// The sheet `name` means: `rows` is the first sheet.
    pub fn sheet_named<'a>(&'a self, name: &'a str) -> &'a str {
        match (name, self.layouts.first()) {
            ("rows", Some(first)) => &first.sheet,
            _ => name,
        }
    }
}

/// A formula cell with no value saved, as a record's key.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsaved {
    pub sheet: String,
    /// 0-based record of the sheet's table.
    pub record: usize,
    pub key: String,
    /// `Model!C7` and `=B7*1.08`.
    pub cell: String,
    pub formula: String,
}

pub fn column_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

/// `C7` → (6, 2), 0-based; `$C$7` too.
fn parse_cell(s: &str) -> Option<(u32, u32)> {
    let s = s.replace('$', "");
    let letters: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let digits = &s[letters.len()..];
    if letters.is_empty() || letters.len() > 3 || digits.is_empty() {
        return None;
    }
    let col = letters.to_ascii_uppercase().bytes().fold(0u32, |acc, b| acc * 26 + (b - b'A' + 1) as u32) - 1;
    let row: u32 = digits.parse().ok()?;
    (row >= 1).then_some((row - 1, col))
}

/// `B3:F20` → ((2, 1), (19, 5)).
fn parse_range(s: &str) -> Option<((u32, u32), (u32, u32))> {
    let (a, b) = s.split_once(':')?;
    let (a, b) = (parse_cell(a)?, parse_cell(b)?);
    Some(((a.0.min(b.0), a.1.min(b.1)), (a.0.max(b.0), a.1.max(b.1))))
}

fn cell_value(d: &Data, date_1904: bool) -> Value {
    match d {
        Data::Empty => Value::Null,
        Data::Int(i) => Value::Number((*i).into()),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::Number((*f as i64).into()),
        Data::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Data::String(s) => Value::String(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => Value::String(date_text(dt, date_1904)),
        Data::DateTimeIso(s) => Value::String(s.clone()),
        Data::DurationIso(s) => Value::String(iso_duration(s).unwrap_or_else(|| s.clone())),
        Data::Error(e) => Value::String(e.to_string()),
    }
}

/// A date or time cell as Excel shows it, in ISO form: `2023-04-01`,
/// `2023-04-01T12:30:00`, a time of day alone (`12:30:00`; its serial has
/// no day) or a duration (`[h]:mm:ss`: `36:00:00`), in the workbook's date
/// system (1900 with its leap-year bug, or 1904; a date before 1904-01-01
/// in the 1904 system, which LibreOffice writes, is its own date, not the
/// epoch calamine's conversion clamps it to).
fn date_text(dt: &calamine::ExcelDateTime, date_1904: bool) -> String {
    if dt.is_duration() {
        return duration_text(dt.as_f64() * 86_400.0);
    }
    let serial = dt.as_f64();
    let total = (serial * 86_400_000.0).round();
    let day = (total / 86_400_000.0).floor();
    let ms = (total - day * 86_400_000.0) as i64;
    let (hh, mm, ss, ms) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    let time = if ms > 0 { format!("{hh:02}:{mm:02}:{ss:02}.{}", format!("{ms:03}").trim_end_matches('0')) } else { format!("{hh:02}:{mm:02}:{ss:02}") };
    let (y, m, d) = crate::core::excel_format::serial_civil(day, date_1904);
    if (0.0..1.0).contains(&serial) {
        time
    } else if (hh, mm, ss, ms) == (0, 0, 0, 0) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{time}")
    }
}

/// A date cell Excel and LibreOffice show as different days (before
/// 1900-03-01 in the 1900 system), or Excel cannot show (before 1904-01-01
/// in the 1904 system): (Excel's reading or none, LibreOffice's).
fn disputed_date(dt: &calamine::ExcelDateTime, date_1904: bool) -> Option<(Option<String>, String)> {
    let day = dt.as_f64().floor();
    let iso = |(y, m, d): (i64, u32, u32)| format!("{y:04}-{m:02}-{d:02}");
    let libre = iso(crate::core::excel_format::serial_civil_libreoffice(day, date_1904));
    match date_1904 {
        _ if dt.is_duration() || (0.0..1.0).contains(&dt.as_f64()) => None,
        false if day < 61.0 => Some((Some(iso(crate::core::excel_format::serial_civil(day, false))), libre)),
        true if day < 0.0 => Some((None, libre)),
        _ => None,
    }
}

/// Seconds as `h:mm:ss` (hours past 24 kept, as `[h]:mm:ss` shows them).
fn duration_text(seconds: f64) -> String {
    let total = seconds.round() as i64;
    let (sign, total) = if total < 0 { ("-", -total) } else { ("", total) };
    format!("{sign}{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60)
}

/// An ODS time or duration (`PT12H30M00S`) as `12:30:00`.
fn iso_duration(s: &str) -> Option<String> {
    let rest = s.strip_prefix("PT")?;
    let (h, rest) = rest.split_once('H').unwrap_or(("0", rest));
    let (m, rest) = rest.split_once('M').unwrap_or(("0", rest));
    let sec = rest.strip_suffix('S').unwrap_or(if rest.is_empty() { "0" } else { rest });
    let seconds = h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().ok()? * 60.0 + sec.parse::<f64>().ok()?;
    Some(duration_text(seconds))
}

fn text(d: Option<&Data>, date_1904: bool) -> String {
    match d {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_string(),
        // A date in a header row is its date, not its serial.
        Some(Data::DateTime(dt)) => date_text(dt, date_1904),
        Some(other) => other.to_string(),
    }
}

/// The number format of each cell of a sheet that has one other than
/// General: the workbook's palette of codes and each cell's place in it.
#[derive(Debug, Default)]
struct Formats {
    codes: Vec<Option<String>>,
    ids: std::collections::HashMap<(u32, u32), usize>,
}

impl Formats {
    fn code(&self, at: (u32, u32)) -> &str {
        self.ids.get(&at).and_then(|&id| self.codes.get(id)?.as_deref()).unwrap_or("General")
    }
}

/// A sheet of an `.xlsx` read cell by cell, so that neither the size it
/// declares nor where its cells lie can make folio allocate more than
/// `max_values` cells: cells outside `area` are dropped as they are read,
/// and the table's extent is checked before it is laid out in memory. Each
/// cell's number format is read in the same pass (for `data.<stem>.shown`).
fn xlsx_range<RS: std::io::Read + std::io::Seek>(book: &mut calamine::Xlsx<RS>, name: &str, area: Option<((u32, u32), (u32, u32))>, max_values: usize) -> Result<(Range<Data>, Formats), String> {
    let mut reader = book.worksheet_cells_reader(name).map_err(|e| format!("sheet `{name}`: {e}"))?;
    let mut cells: Vec<calamine::Cell<Data>> = Vec::new();
    let codes = reader.styles().iter().map(|s| s.number_format.as_ref().map(|f| f.format_code.clone())).collect();
    let mut formats = Formats { codes, ids: Default::default() };
    let over = |what: String| format!("sheet `{name}` {what}, more than [limits] data_values ({max_values}); give the table's cells in folio.toml ([workbooks]), or raise the limit");
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(|e| format!("sheet `{name}`: {e}"))? {
        let (r, c) = cell.get_position();
        if area.is_some_and(|((r0, c0), (r1, c1))| r < r0 || r > r1 || c < c0 || c > c1) || matches!(cell.get_value(), calamine::DataRef::Empty) {
            continue;
        }
        cells.push(calamine::Cell::new((r, c), Data::from(cell.get_value().clone())));
        if style != 0 {
            formats.ids.insert((r, c), style);
        }
        if cells.len() > max_values {
            return Err(over(format!("holds more than {max_values} cells")));
        }
    }
    let (mut lo, mut hi) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    for (r, c) in cells.iter().map(|c| c.get_position()) {
        lo = (lo.0.min(r), lo.1.min(c));
        hi = (hi.0.max(r), hi.1.max(c));
    }
    if !cells.is_empty() {
        let span = (hi.0 - lo.0 + 1) as u64 * (hi.1 - lo.1 + 1) as u64;
        if span > max_values as u64 {
            let at = |(r, c): (u32, u32)| format!("{}{}", column_letters(c), r + 1);
            return Err(over(format!("spans {}:{} ({span} cells)", at(lo), at(hi))));
        }
    }
    Ok((Range::from_sparse(cells), formats))
}

pub fn load(path: &Path, ranges: &BTreeMap<String, String>, max_rows: usize, max_values: usize) -> Result<Workbook, Diagnostic> {
    let fail = |what: String| Diagnostic::error(format!("cannot read workbook {}: {what}", display_path(path)));
    let mut book = open_workbook_auto(path).map_err(|e| fail(e.to_string()).hint("save it again from the spreadsheet program as .xlsx, .xls or .ods"))?;
    let names = book.sheet_names();
    for sheet in ranges.keys() {
        if !names.contains(sheet) {
            return Err(Diagnostic::error(format!("folio.toml names sheet `{sheet}`, which {} does not have", display_path(path)))
                .hint(format!("its sheets: {}", names.join(", "))));
        }
    }
    let defined: Vec<(String, String)> = book.defined_names().to_vec();
    let merges: Vec<(String, Vec<((u32, u32), (u32, u32))>)> = match &mut book {
        Sheets::Xlsx(x) => names
            .iter()
            .map(|n| (n.clone(), x.merge_cells_by_sheet_name(n).unwrap_or_default().into_iter().map(|d| (d.start, d.end)).collect()))
            .collect(),
        Sheets::Xls(x) => names.iter().map(|n| (n.clone(), x.merge_cells_by_sheet_name(n).unwrap_or_default().into_iter().map(|d| (d.start, d.end)).collect())).collect(),
        Sheets::Ods(_) => crate::input::ods_merges::merges(path, ODS_XML_MAX).map_err(|e| fail(format!("its merged cells: {e}")))?,
        Sheets::Xlsb(_) => vec![],
    };
    let mut value = Map::new();
    let mut layouts = Vec::new();
    let mut errors = Vec::new();
    let mut uncached = Vec::new();
    let mut unsaved = Vec::new();
    let mut shown = matches!(book, Sheets::Xlsx(_)).then(Map::new);
    let mut early = Vec::new();
    let date_1904 = match &book {
        Sheets::Xlsx(x) => x.has_1904_epoch(),
        Sheets::Xls(x) => x.has_1904_epoch(),
        _ => false,
    };
    let mut unshown = Vec::new();
    for name in &names {
        let area = match ranges.get(name) {
            Some(spec) => Some(resolve_range(spec, name, &defined).ok_or_else(|| {
                Diagnostic::error(format!("`{name} = \"{spec}\"` in folio.toml [workbooks] is not a cell range or a named range of {}", display_path(path)))
                    .hint("write a range like B3:F20, or the name of a range defined in the workbook")
            })?),
            None => None,
        };
        let (range, formats) = match &mut book {
            Sheets::Xlsx(x) => xlsx_range(x, name, area, max_values).map(|(r, f)| (r, Some(f))).map_err(fail)?,
            other => (other.worksheet_range(name).map_err(|e| fail(format!("sheet `{name}`: {e}")))?, None),
        };
        let sheet_uncached = match &mut book {
            Sheets::Xlsx(x) => formulas_without_values(x, name, &range),
            _ => vec![],
        };
        let merged = merges.iter().find(|(n, _)| n == name).map(|(_, m)| m.as_slice()).unwrap_or(&[]);
        let (records, layout) = table(&range, name, area, merged, max_rows, date_1904).map_err(fail)?;
        for ((r, c), cell, formula) in sheet_uncached {
            let record = layout.rows.iter().position(|&row| row == r);
            let key = layout.columns.iter().find(|(_, col)| *col == c).map(|(k, _)| k.clone());
            if let (Some(record), Some(key)) = (record, key) {
                unsaved.push(Unsaved { sheet: name.clone(), record, key, cell: cell.clone(), formula: formula.clone() });
            }
            uncached.push((cell, formula));
        }
        for (i, r) in records.iter().enumerate() {
            for (k, v) in r {
                if let (Value::String(s), Some(cell)) = (v, layout.cell(i, k)) {
                    if is_error_code(s) {
                        errors.push((cell, s.clone()));
                    }
                }
            }
        }
        for (i, &r) in layout.rows.iter().enumerate() {
            for (k, c) in &layout.columns {
                if let Some(Data::DateTime(dt)) = range.get_value((r, *c)) {
                    if let (Some(disputed), Some(cell)) = (disputed_date(dt, date_1904), layout.cell(i, k)) {
                        early.push((cell, disputed.0, disputed.1));
                    }
                }
            }
        }
        value.insert(name.clone(), Value::Array(records.into_iter().map(Value::Object).collect()));
        if let (Some(formats), Some(shown)) = (&formats, &mut shown) {
            let (records, failed) = shown_records(&range, formats, &layout, merged, date_1904);
            shown.insert(name.clone(), Value::Array(records.into_iter().map(Value::Object).collect()));
            unshown.extend(failed.into_iter().map(|(cell, why)| (name.clone(), cell, why)));
        }
        layouts.push(layout);
    }
    // The first sheet is also `rows`, the name charts and families look for.
    if let Some(first) = names.first() {
        if !value.contains_key("rows") {
            let rows = value[first].clone();
            value.insert("rows".into(), rows);
        }
    }
    Ok(Workbook { value: Value::Object(value), layouts, errors, uncached, unsaved, shown, unshown, early })
}

/// A sheet's records as shown: every cell of `layout` under its number
/// format, and the cells whose format folio cannot render (`Model!C7`, why).
fn shown_records(range: &Range<Data>, formats: &Formats, layout: &SheetLayout, merged: &[Merge], date_1904: bool) -> (Vec<Map<String, Value>>, Vec<(String, String)>) {
    use crate::core::excel_format::{shown, Cell};
    let mut failed = Vec::new();
    let records = layout
        .rows
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            let mut rec = Map::new();
            for (key, c) in &layout.columns {
                let code = formats.code((r, *c));
                let text = match range.get_value((r, *c)).filter(|_| !covered(merged, r, *c)) {
                    None | Some(Data::Empty) => Ok(String::new()),
                    Some(Data::Float(f)) => shown(code, Cell::Number(*f), date_1904),
                    Some(Data::Int(n)) => shown(code, Cell::Number(*n as f64), date_1904),
                    Some(Data::DateTime(dt)) => shown(code, Cell::Number(dt.as_f64()), date_1904),
                    Some(Data::Bool(b)) => shown(code, Cell::Bool(*b), date_1904),
                    Some(Data::String(t)) => shown(code, Cell::Text(t), date_1904),
                    Some(Data::Error(e)) => Ok(e.to_string()),
                    Some(Data::DateTimeIso(t) | Data::DurationIso(t)) => Ok(t.clone()),
                };
                let value = match text {
                    Ok(t) => Value::String(t),
                    Err(why) => {
                        failed.push((layout.cell(i, key).unwrap_or_default(), why));
                        Value::Null
                    }
                };
                rec.insert(key.clone(), value);
            }
            rec
        })
        .collect();
    (records, failed)
}

/// The formula cells of sheet `name` whose value no program saved: read as
/// empty, which is not what the formula says.
fn formulas_without_values<RS: std::io::Read + std::io::Seek>(book: &mut calamine::Xlsx<RS>, name: &str, values: &Range<Data>) -> Vec<((u32, u32), String, String)> {
    let Ok(formulas) = book.worksheet_formula(name) else { return vec![] };
    let Some((r0, c0)) = formulas.start() else { return vec![] };
    formulas
        .used_cells()
        .filter(|(_, _, f)| !f.is_empty())
        .filter_map(|(r, c, f)| {
            let (r, c) = (r0 + r as u32, c0 + c as u32);
            matches!(values.get_value((r, c)), None | Some(Data::Empty)).then(|| ((r, c), format!("{name}!{}{}", column_letters(c), r + 1), format!("={f}")))
        })
        .collect()
}

/// A formula error as a spreadsheet caches it.
pub fn is_error_code(s: &str) -> bool {
    matches!(s, "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!" | "#GETTING_DATA")
}

/// `B3:F20`, or a defined name whose reference is on `sheet`.
fn resolve_range(spec: &str, sheet: &str, defined: &[(String, String)]) -> Option<((u32, u32), (u32, u32))> {
    if let Some(r) = parse_range(spec) {
        return Some(r);
    }
    let (_, reference) = defined.iter().find(|(n, _)| n == spec)?;
    let (on, cells) = reference.rsplit_once('!')?;
    (on.trim_matches('\'') == sheet).then(|| parse_range(cells))?
}

/// The records of a sheet's table: its header (one row, or two when the
/// first has cells merged across columns: `营业收入 2023A`) and the rows
/// under it, empty rows left out.
#[allow(clippy::type_complexity)]
type Merge = ((u32, u32), (u32, u32));

/// Whether a merge covers cell (r, c) other than at its top left: such a
/// cell shows nothing of its own (LibreOffice keeps what it held before the
/// merge, hidden), so it reads as empty.
fn covered(merged: &[Merge], r: u32, c: u32) -> bool {
    merged.iter().any(|((r0, c0), (r1, c1))| (*r0..=*r1).contains(&r) && (*c0..=*c1).contains(&c) && (r, c) != (*r0, *c0))
}

fn table(range: &Range<Data>, sheet: &str, area: Option<((u32, u32), (u32, u32))>, merged: &[((u32, u32), (u32, u32))], max_rows: usize, date_1904: bool) -> Result<(Vec<Map<String, Value>>, SheetLayout), String> {
    let Some(((r0, c0), (r1, c1))) = area.or_else(|| Some((range.start()?, range.end()?))) else {
        return Ok((vec![], SheetLayout { sheet: sheet.into(), rows: vec![], columns: vec![] }));
    };
    let at = |r: u32, c: u32| range.get_value((r, c));
    // A merged cell's text fills every column it spans.
    let header_text = |r: u32, c: u32| -> String {
        match merged.iter().find(|((mr0, mc0), (mr1, mc1))| (*mr0..=*mr1).contains(&r) && (*mc0..=*mc1).contains(&c)) {
            Some(((mr, mc), _)) => text(at(*mr, *mc), date_1904),
            None => text(at(r, c), date_1904),
        }
    };
    let spans_columns = merged.iter().any(|((mr0, mc0), (mr1, mc1))| *mr0 == r0 && *mr1 == r0 && mc1 > mc0 && *mc0 >= c0 && *mc1 <= c1);
    let header_rows = if spans_columns && r1 > r0 { 2 } else { 1 };
    let mut columns: Vec<(String, u32)> = Vec::new();
    for c in c0..=c1 {
        let parts: Vec<String> = (r0..r0 + header_rows).map(|r| header_text(r, c)).filter(|t| !t.is_empty()).collect();
        let mut parts_dedup: Vec<String> = Vec::new();
        for p in parts {
            if parts_dedup.last() != Some(&p) {
                parts_dedup.push(p);
            }
        }
        let mut key = if parts_dedup.is_empty() { format!("column {}", column_letters(c)) } else { parts_dedup.join(" ") };
        if columns.iter().any(|(k, _)| *k == key) {
            let mut n = 2;
            while columns.iter().any(|(k, _)| *k == format!("{key} {n}")) {
                n += 1;
            }
            key = format!("{key} {n}");
        }
        columns.push((key, c));
    }
    let first_row = r0 + header_rows;
    let mut records = Vec::new();
    let mut rows = Vec::new();
    for r in first_row..=r1 {
        if (c0..=c1).all(|c| matches!(at(r, c), None | Some(Data::Empty))) {
            continue;
        }
        if records.len() == max_rows {
            return Err(format!("sheet `{sheet}` has more than {max_rows} rows (raise [limits] data_rows in folio.toml)"));
        }
        let mut rec = Map::new();
        let row_merges: Vec<Merge> = merged.iter().filter(|((r0, _), (r1, _))| (*r0..=*r1).contains(&r)).copied().collect();
        for (k, c) in &columns {
            let value = if covered(&row_merges, r, *c) { Value::Null } else { at(r, *c).map_or(Value::Null, |d| cell_value(d, date_1904)) };
            rec.insert(k.clone(), value);
        }
        records.push(rec);
        rows.push(r);
    }
    Ok((records, SheetLayout { sheet: sheet.into(), rows, columns }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_ranges() {
        assert_eq!(parse_cell("A1"), Some((0, 0)));
        assert_eq!(parse_cell("$C$7"), Some((6, 2)));
        assert_eq!(parse_cell("AA10"), Some((9, 26)));
        assert_eq!(parse_range("B3:F20"), Some(((2, 1), (19, 5))));
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(26), "AA");
        use calamine::{ExcelDateTime, ExcelDateTimeType::{DateTime, TimeDelta}};
        let at = |v, is_1904| date_text(&ExcelDateTime::new(v, DateTime, is_1904), is_1904);
        assert_eq!(at(45017.0, false), "2023-04-01");
        assert_eq!(at(45017.5, false), "2023-04-01T12:00:00");
        // The 1904 system: the same day is 1,462 serials earlier.
        assert_eq!(at(45017.0 - 1462.0, true), "2023-04-01");
        // Before 1900-03-01, Excel's 1900 counts a 29 February that never was.
        assert_eq!(at(59.0, false), "1900-02-28");
        assert_eq!(at(61.0, false), "1900-03-01");
        // A time of day alone, and a duration past a day.
        assert_eq!(at(0.520833333333, false), "12:30:00");
        assert_eq!(at(0.99999537, false), "23:59:59.6");
        assert_eq!(date_text(&ExcelDateTime::new(1.5, TimeDelta, false), false), "36:00:00");
        // LibreOffice writes a date before 1904 in the 1904 system as a
        // negative serial: its own date, not the epoch.
        assert_eq!(at(-1402.0, true), "1900-02-28");
        let disputed = |v, is_1904| disputed_date(&ExcelDateTime::new(v, DateTime, is_1904), is_1904);
        assert_eq!(disputed(60.0, false), Some((Some("1900-02-29".into()), "1900-02-28".into())));
        assert_eq!(disputed(59.0, false), Some((Some("1900-02-28".into()), "1900-02-27".into())));
        assert_eq!(disputed(-1402.0, true), Some((None, "1900-02-28".into())));
        assert_eq!((disputed(61.0, false), disputed(0.5, false), disputed(0.0, true)), (None, None, None));
        assert_eq!(iso_duration("PT12H30M00S").as_deref(), Some("12:30:00"));
    }
}
