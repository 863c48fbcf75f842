//! Data files: `content/data/<stem>.{csv,json,yaml,yml,toml}`, each loaded on
//! first use, read once per build and parsed again only when its text changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Map, Number, Value};

use crate::core::diag::{display_path, Diagnostic, Location, Result};
use crate::core::format::NumberStyle;

/// The formats of `content/data/`, told apart here and nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    Csv,
    Json,
    Yaml,
    Toml,
    /// `.xlsx`, `.xlsm`, `.xls`, `.ods`: a map of sheets.
    Workbook,
    /// `.sql`: one query, run per report.
    Sql,
}

impl DataFormat {
    /// The format of a file, by its extension; none for other files.
    pub fn of(path: &Path) -> Option<DataFormat> {
        Some(match path.extension()?.to_str()? {
            "csv" => DataFormat::Csv,
            "json" => DataFormat::Json,
            "yaml" | "yml" => DataFormat::Yaml,
            "toml" => DataFormat::Toml,
            e if crate::input::workbook::EXTENSIONS.contains(&e) => DataFormat::Workbook,
            "sql" => DataFormat::Sql,
            _ => return None,
        })
    }
}

/// Whether `path` is a data file (as `content/data/` is read): `watch`
/// rebuilds when such a file appears.
pub fn is_data_file(path: &Path) -> bool {
    DataFormat::of(path).is_some()
}

/// The project's data files, found by name and parsed lazily.
#[derive(Debug, Default)]
pub struct DataSet {
    files: BTreeMap<String, DataFile>,
    limits: crate::input::project::Limits,
    /// Files read so far (for watch mode and dependency listing).
    pub reads: crate::input::reads::Reads,
    /// Time spent reading and parsing data files (the `data` stage).
    pub load_time: Mutex<std::time::Duration>,
    cache: Arc<ParseCache>,
    /// `[workbooks]` of folio.toml: table ranges by stem and sheet.
    ranges: BTreeMap<String, BTreeMap<String, String>>,
    /// `[numbers]` of folio.toml: how CSV files write decimals.
    numbers: crate::input::project::NumbersConfig,
    /// Workbooks read: where each sheet's records lie, and cells holding
    /// formula errors.
    workbooks: Mutex<std::collections::HashMap<String, crate::input::workbook::Workbook>>,
    /// The database `.sql` files query, and their results of this build by
    /// query and parameters.
    database: Option<crate::input::sql::Source>,
    queries: Mutex<std::collections::HashMap<(String, String), Result<Arc<Value>, Diagnostic>>>,
    /// Said once per build however many queries ran: the database's role
    /// can do more than read.
    pub superuser: Mutex<Option<Diagnostic>>,
    /// What reading the data files noted (a workbook's formulas with no
    /// saved value), said once per build.
    pub notes: Mutex<Vec<Diagnostic>>,
}

#[derive(Debug)]
pub(crate) struct DataFile {
    path: PathBuf,
    format: DataFormat,
    value: OnceLock<Loaded>,
    /// A CSV's header, records and lines, for lineage (`input::origins`).
    pub(crate) csv_index: OnceLock<crate::input::csv_text::Index>,
}

/// A data file's text and what it parsed to.
#[derive(Debug, Clone)]
struct Loaded {
    text: Option<Arc<str>>,
    value: Result<Arc<Value>, Diagnostic>,
    /// How the file wrote its decimals (see input::spellings).
    spellings: Arc<crate::input::spellings::Spellings>,
}

/// Files parsed by earlier builds of a session, by path: a rebuild in
/// `watch` parses again only the files whose text changed.
#[derive(Debug, Default)]
pub struct ParseCache(Mutex<std::collections::HashMap<PathBuf, (Arc<str>, crate::input::project::Limits, NumberStyle, Loaded)>>);

impl ParseCache {
    pub fn clear(&self) {
        self.0.lock().expect("data cache lock").clear();
    }
}

impl DataSet {
    pub fn discover(data_dir: &Path, limits: &crate::input::project::Limits) -> Result<DataSet> {
        Self::discover_cached(data_dir, limits, Arc::default())
    }

    /// Like `discover`, reusing what a session parsed before.
    pub fn discover_cached(data_dir: &Path, limits: &crate::input::project::Limits, cache: Arc<ParseCache>) -> Result<DataSet> {
        let mut files: BTreeMap<String, DataFile> = BTreeMap::new();
        let Ok(dir) = std::fs::read_dir(data_dir) else {
            return Ok(DataSet { limits: limits.clone(), cache, ..DataSet::default() });
        };
        let mut paths: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        // Data files must live in the project, symlinks included.
        let root = data_dir.parent().and_then(Path::parent).and_then(|r| r.canonicalize().ok());
        for path in paths {
            if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsb")) {
                return Err(Diagnostic::error(format!("{} is an Excel binary workbook (.xlsb), which folio does not read", display_path(&path)))
                    .hint("save it from Excel as .xlsx (File › Save As › Excel Workbook)")
                    .into());
            }
            let Some(format) = DataFormat::of(&path) else { continue };
            if !path.is_file() {
                continue;
            }
            if let (Some(root), Ok(real)) = (&root, path.canonicalize()) {
                if !real.starts_with(root) {
                    return Err(Diagnostic::error(format!("data file {} links outside the project folder", display_path(&path)))
                        .hint("copy the file into content/data/ instead of linking to it")
                        .into());
                }
            }
            let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            if let Some(prev) = files.get(&stem) {
                return Err(Diagnostic::error(format!(
                    "two data files are both named `{stem}`: {} and {}",
                    display_path(&prev.path),
                    display_path(&path)
                ))
                .hint("templates reach data by file stem (data.<stem>); rename or remove one of them")
                .into());
            }
            files.insert(stem, DataFile { path, format, value: OnceLock::new(), csv_index: OnceLock::new() });
        }
        Ok(DataSet { files, limits: limits.clone(), cache, ..DataSet::default() })
    }

    /// The database of folio.toml (or FOLIO_DATABASE_URL).
    /// The `[numbers]` settings of folio.toml.
    pub fn with_numbers(mut self, numbers: crate::input::project::NumbersConfig) -> DataSet {
        self.numbers = numbers;
        self
    }

    pub fn with_database(mut self, database: Option<crate::input::sql::Source>) -> DataSet {
        self.database = database;
        self
    }

    pub fn database(&self) -> Option<&crate::input::sql::Source> {
        self.database.as_ref()
    }

    /// A workbook: its value is a map of sheets, read one by one.
    pub fn is_workbook(&self, stem: &str) -> bool {
        self.files.get(stem).is_some_and(|f| f.format == DataFormat::Workbook)
    }

    pub fn is_query(&self, stem: &str) -> bool {
        self.files.get(stem).is_some_and(|f| f.format == DataFormat::Sql)
    }

    /// `data.<stem>` for a report whose parameters (front matter, family
    /// row) are `params`: a query runs with them; other files are the same
    /// for every report.
    pub fn get_with(&self, stem: &str, params: &Map<String, Value>) -> Option<Result<Arc<Value>, Diagnostic>> {
        if !self.is_query(stem) {
            return self.get(stem);
        }
        let file = self.files.get(stem)?;
        let text = match self.loaded(stem)?.text.clone() {
            Some(t) => t,
            None => return Some(self.loaded(stem)?.value.clone()),
        };
        let bound: Map<String, Value> = crate::input::sql::parameters(&text)
            .iter()
            .filter_map(|(n, _)| Some((n.clone(), crate::input::sql::lookup(params, n)?.clone())))
            .collect();
        let key = (stem.to_string(), serde_json::to_string(&bound).unwrap_or_default());
        if let Some(r) = self.queries.lock().expect("queries lock").get(&key) {
            return Some(r.clone());
        }
        let start = std::time::Instant::now();
        let result = match &self.database {
            None => Err(Diagnostic::error(format!("{} is a query, but the project names no database", display_path(&file.path)))
                .hint("set `database = \"data/research.db\"` (SQLite, under content/) or `database = \"postgres://…\"` in folio.toml, or FOLIO_DATABASE_URL")),
            Some(db) => crate::input::sql::Query {
                path: &file.path,
                text: &text,
                params,
                max_rows: self.limits.data_rows,
                max_bytes: self.limits.data_mb * 1024 * 1024,
                timeout: std::time::Duration::from_secs(self.limits.query_seconds),
            }
            .run(db)
            .map(|(rows, warning)| {
                if let Some(w) = warning {
                    self.superuser.lock().expect("data lock").get_or_insert(w);
                }
                Arc::new(rows)
            }),
        };
        *self.load_time.lock().expect("data lock") += start.elapsed();
        self.queries.lock().expect("queries lock").insert(key, result.clone());
        Some(result)
    }

    /// The `[workbooks]` ranges of folio.toml.
    pub fn with_ranges(mut self, ranges: BTreeMap<String, BTreeMap<String, String>>) -> DataSet {
        self.ranges = ranges;
        self
    }

    /// Where the records of sheet `sheet` (None: the first) of workbook
    /// `stem` lie, to name their cells (`Model!C7`).
    pub fn workbook_layout(&self, stem: &str, sheet: Option<&str>) -> Option<crate::input::workbook::SheetLayout> {
        let books = self.workbooks.lock().expect("workbooks lock");
        let layouts = &books.get(stem)?.layouts;
        match sheet {
            Some(s) => layouts.iter().find(|l| l.sheet == s).cloned(),
            None => layouts.first().cloned(),
        }
    }

    /// Sheet `sheet` of workbook `stem` as the spreadsheet shows its cells
    /// (`data.<stem>.shown.<sheet>`): None when there is no such sheet; an
    /// error when the workbook is no `.xlsx` (other formats keep no number
    /// formats folio reads) or a cell's format is one folio cannot render.
    pub fn workbook_shown(&self, stem: &str, sheet: &str) -> Option<Result<serde_json::Value, Diagnostic>> {
        let books = self.workbooks.lock().expect("workbooks lock");
        let book = books.get(stem)?;
        let path = self.path(stem).map(|p| display_path(&p)).unwrap_or_default();
        let Some(shown) = &book.shown else {
            return Some(Err(Diagnostic::error(format!("`data.{stem}.shown` gives cells as a spreadsheet shows them, which folio reads from .xlsx workbooks only; {path} is another format"))
                .hint("save the workbook as .xlsx, or print its values with filters (`num`, `pct`, `date`)")));
        };
        let sheet = book.sheet_named(sheet);
        let records = shown.get(sheet)?;
        if let Some((_, cell, why)) = book.unshown.iter().find(|(s, ..)| s == sheet) {
            return Some(Err(Diagnostic::error(format!("{path}, cell {cell}: folio cannot show it as the spreadsheet does: {why}"))
                .hint("give the cell a plainer number format in the workbook, or print its value with a filter (`num`, `pct`)")));
        }
        Some(Ok(records.clone()))
    }

    /// Formula cells of sheet `sheet` (`rows`: the first) of workbook `stem`
    /// with no value saved, with the file they are in.
    pub fn workbook_unsaved(&self, stem: &str, sheet: &str) -> Vec<(crate::input::workbook::Unsaved, String)> {
        let books = self.workbooks.lock().expect("workbooks lock");
        let Some(book) = books.get(stem) else { return vec![] };
        let sheet = book.sheet_named(sheet);
        let path = self.path(stem).map(|p| display_path(&p)).unwrap_or_default();
        book.unsaved.iter().filter(|u| u.sheet == sheet).map(|u| (u.clone(), path.clone())).collect()
    }

    /// Workbook cells that cache the formula error `code`, as `file: Sheet!C7`.
    pub fn formula_error_cells(&self, code: &str) -> Vec<String> {
        let books = self.workbooks.lock().expect("workbooks lock");
        let mut out = Vec::new();
        for (stem, book) in books.iter() {
            let path = self.path(stem).map(|p| display_path(&p)).unwrap_or_default();
            out.extend(book.errors.iter().filter(|(_, c)| c == code).map(|(cell, _)| format!("{path}, cell {cell}")));
        }
        out.sort();
        out
    }

    pub fn limits(&self) -> &crate::input::project::Limits {
        &self.limits
    }

    pub fn stems(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn contains(&self, stem: &str) -> bool {
        self.files.contains_key(stem)
    }

    pub(crate) fn file(&self, stem: &str) -> Option<&DataFile> {
        self.files.get(stem)
    }

    pub(crate) fn format(&self, stem: &str) -> Option<DataFormat> {
        self.files.get(stem).map(|f| f.format)
    }

    pub fn path(&self, stem: &str) -> Option<PathBuf> {
        self.files.get(stem).map(|f| f.path.clone())
    }

    /// Where column `column` of `stem` (sheet `sheet` of a workbook) holds
    /// `shown` — in record `row` if known, else in the first record that
    /// does (a template's loop meets its rows in order) — described as
    /// `content/data/q.csv:3:5 (row 2, column `revenue`)` or
    /// `content/data/model.xlsx, cell Model!C7`. `shown` is the value as a
    /// template prints it; empty for an empty cell.
    pub fn cell_of(&self, stem: &str, sheet: Option<&str>, row: Option<usize>, column: &str, shown: &str) -> Option<String> {
        let value = self.get(stem)?.ok()?;
        let book = self.is_workbook(stem);
        let records = match (book, sheet) {
            (true, Some("rows") | None) => value.as_object()?.values().next()?,
            (true, Some(s)) => value.get(s)?,
            (false, None) => &*value,
            (false, Some(_)) => return None,
        };
        let records = records.as_array()?;
        let text_of = |v: &Value| match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let i = match row {
            Some(i) => i,
            None => records.iter().position(|r| r.get(column).is_some_and(|v| text_of(v) == shown))?,
        };
        records.get(i)?.get(column)?;
        let path = self.path(stem)?;
        if book {
            let sheet = sheet.filter(|s| *s != "rows");
            let cell = self.workbook_layout(stem, sheet)?.cell(i, column)?;
            return Some(format!("{}, cell {cell}", display_path(&path)));
        }
        let text = self.text(stem)?;
        if self.files.get(stem)?.format == DataFormat::Csv {
            let cells = crate::input::csv_text::cells(&text)?;
            let col = cells.headers.iter().position(|h| h == column)?;
            let at = crate::input::csv_text::cell_range(&text, i, col)?;
            return Some(format!("{} (row {}, column `{column}`)", Location::new(path, text.clone(), at).describe(), i + 1));
        }
        Some(format!("{}, record {}, key `{column}`", display_path(&path), i + 1))
    }

    /// The parsed value of `data.<stem>`; `None` when no such file exists.
    pub fn get(&self, stem: &str) -> Option<Result<Arc<Value>, Diagnostic>> {
        if self.is_query(stem) {
            return self.get_with(stem, &Map::new());
        }
        Some(self.loaded(stem)?.value.clone())
    }

    /// How `data.<stem>` wrote its decimals (none for a workbook or query).
    pub fn spellings(&self, stem: &str) -> Option<Arc<crate::input::spellings::Spellings>> {
        Some(self.loaded(stem)?.spellings.clone())
    }

    /// The text of `data.<stem>` as read for this build (for diagnostics).
    pub fn text(&self, stem: &str) -> Option<Arc<str>> {
        self.loaded(stem)?.text.clone()
    }

    fn loaded(&self, stem: &str) -> Option<&Loaded> {
        let file = self.files.get(stem)?;
        Some(file.value.get_or_init(|| {
            let start = std::time::Instant::now();
            self.reads.file(file.path.clone());
            let mut loaded = match (file.format, self.numbers.style(stem)) {
                (DataFormat::Workbook, _) => self.load_workbook(stem, &file.path),
                (_, Ok(style)) => load_cached(&file.path, &self.limits, style, &self.cache),
                (_, Err(why)) => Loaded {
                    text: None,
                    value: Err(Diagnostic::error(format!("folio.toml: {why}")).hint("e.g. [numbers.file.prices] decimal = \",\" and thousands = \".\" for a file written 1.234,5")),
                    spellings: Arc::default(),
                },
            };
            // One error per file, however many reports read it.
            if let Err(d) = &mut loaded.value {
                d.kind = Some(Box::new(crate::core::diag::Kind::BadData(file.path.clone())));
            }
            *self.load_time.lock().expect("data lock") += start.elapsed();
            loaded
        }))
    }
}

impl DataSet {
    fn load_workbook(&self, stem: &str, path: &Path) -> Loaded {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size > self.limits.data_mb * 1024 * 1024 {
            return Loaded { text: None, value: Err(too_big(path, format!("{} MiB, over the limit of {} MiB", size / (1024 * 1024), self.limits.data_mb), "data_mb")), spellings: Arc::default() };
        }
        let none = BTreeMap::new();
        match crate::input::workbook::load(path, self.ranges.get(stem).unwrap_or(&none), self.limits.data_rows, self.limits.data_values) {
            Ok(book) => {
                if let Some((cell, formula)) = book.uncached.first() {
                    let more = if book.uncached.len() > 1 { format!(" (and {} more)", book.uncached.len() - 1) } else { String::new() };
                    self.notes.lock().expect("data lock").push(
                        Diagnostic::warning(format!("{}, cell {cell} holds the formula `{formula}` with no value saved{more}: folio reads such cells as empty", display_path(path)))
                            .hint("open the workbook in a spreadsheet program and save it (or `libreoffice --headless --convert-to xlsx` it): that computes and saves the values"),
                    );
                }
                for (cell, excel, libre) in &book.early {
                    let excel = match excel {
                        Some(e) => format!("Excel shows {e}, LibreOffice {libre}; folio prints Excel's"),
                        None => format!("Excel shows no date before 1904-01-01 in the 1904 date system, LibreOffice shows {libre}; folio prints that"),
                    };
                    self.notes.lock().expect("data lock").push(
                        Diagnostic::warning(format!("{}, cell {cell} holds a date the spreadsheet programs disagree on: {excel}", display_path(path)))
                            .hint("check the date in the workbook, or write it as text (an ISO date such as 1900-02-28)"),
                    );
                }
                let value = Arc::new(book.value.clone());
                self.workbooks.lock().expect("workbooks lock").insert(stem.to_string(), book);
                Loaded { text: None, value: Ok(value), spellings: Arc::new(crate::input::spellings::of(DataFormat::Workbook, "")) }
            }
            Err(d) => Loaded { text: None, value: Err(d), spellings: Arc::default() },
        }
    }
}

/// Where 0-based record `i` of a data file is written: a CSV's record
/// (which may span lines), else the file's first line.
pub fn row_location(path: &Path, text: &Arc<str>, i: usize) -> Location {
    let is_csv = DataFormat::of(path) == Some(DataFormat::Csv);
    match is_csv.then(|| crate::input::csv_text::record_start(text, i)).flatten() {
        Some(at) => Location::new(path, text.clone(), at..at),
        None => Location::at_line_col(path, text.clone(), 1, 1),
    }
}

/// Read a data file and parse it, or take the parse of an earlier build
/// when the text and limits are the same.
fn load_cached(path: &Path, limits: &crate::input::project::Limits, style: NumberStyle, cache: &ParseCache) -> Loaded {
    let text = match read_limited(path, limits) {
        Ok(text) => text,
        Err(d) => return Loaded { text: None, value: Err(d), spellings: Arc::default() },
    };
    if let Some((t, l, st, loaded)) = cache.0.lock().expect("data cache lock").get(path) {
        if *t == text && l == limits && *st == style {
            return loaded.clone();
        }
    }
    // Parsed without the lock held: reports building in parallel parse
    // their files side by side.
    let mut csv_spellings = None;
    let value = parse_spelled(path, text.clone(), limits, style, &mut csv_spellings).map(Arc::new);
    let spellings = match (&value, DataFormat::of(path), csv_spellings) {
        (Ok(_), Some(DataFormat::Csv), Some(spelled)) => Arc::new(spelled),
        (Ok(_), Some(format), _) => Arc::new(crate::input::spellings::of(format, &text)),
        _ => Arc::default(),
    };
    let loaded = Loaded { text: Some(text.clone()), value, spellings };
    let mut parsed = cache.0.lock().expect("data cache lock");
    // Bounded: a session over many projects starts afresh.
    if parsed.len() >= 1024 {
        parsed.clear();
    }
    parsed.insert(path.to_path_buf(), (text, limits.clone(), style, loaded.clone()));
    loaded
}

pub fn load_file(path: &Path) -> Result<Value, Diagnostic> {
    load_file_limited(path, &crate::input::project::Limits::default())
}

fn too_big(path: &Path, what: String, key: &str) -> Diagnostic {
    Diagnostic::error(format!("data file {} is too large: {what}", display_path(path)))
        .hint(format!("split the file, or raise the limit in folio.toml: [limits] {key} = …"))
}

pub fn load_file_limited(path: &Path, limits: &crate::input::project::Limits) -> Result<Value, Diagnostic> {
    parse_limited(path, read_limited(path, limits)?, limits, NumberStyle::default())
}

/// A data file's text, refusing files over the size limit before reading them.
fn read_limited(path: &Path, limits: &crate::input::project::Limits) -> Result<Arc<str>, Diagnostic> {
    let size = std::fs::metadata(path).map_err(|e| Diagnostic::io("read data file", path, &e))?.len();
    if size > limits.data_mb * 1024 * 1024 {
        return Err(too_big(path, format!("{} MiB, over the limit of {} MiB", size / (1024 * 1024), limits.data_mb), "data_mb"));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Diagnostic::io("read data file", path, &e))?;
    Ok(text.into())
}

/// Before parsing: how many values a text holds at most, and how deep its
/// lists and records nest, counted on the brackets, separators and line
/// breaks outside quoted strings. Parsers spend memory and time on both
/// before they could be asked, so the limits are checked on the text.
/// How many values (cells, items, fields) a data text holds, counted
/// before it is parsed.
pub fn value_count(text: &str) -> usize {
    shape(text).0
}

fn shape(text: &str) -> (usize, usize) {
    let (mut values, mut depth, mut deepest) = (1usize, 0usize, 0usize);
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for &b in text.as_bytes() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if b == b'\\' && q == b'"' {
                escaped = true;
            } else if b == q {
                quote = None;
            } else if b == b'\n' {
                values += 1;
            }
            continue;
        }
        match b {
            b'"' => quote = Some(b'"'),
            b'[' | b'{' => {
                values += 1;
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' | b'\n' => values += 1,
            _ => {}
        }
    }
    (values, deepest)
}

/// How deep lists and records nest in a YAML or JSON text (see `shape`).
pub fn nesting_depth(text: &str) -> usize {
    shape(text).1
}

/// Deepest nesting folio parses in front matter and chart specs.
pub const MAX_SPEC_DEPTH: usize = 64;

fn parse_limited(path: &Path, text: Arc<str>, limits: &crate::input::project::Limits, style: NumberStyle) -> Result<Value, Diagnostic> {
    parse_spelled(path, text, limits, style, &mut None)
}

/// `parse_limited`; a CSV's spellings (`spellings::of`) are noted into
/// `csv_spellings` in the same pass over its records.
fn parse_spelled(path: &Path, text: Arc<str>, limits: &crate::input::project::Limits, style: NumberStyle, csv_spellings: &mut Option<crate::input::spellings::Spellings>) -> Result<Value, Diagnostic> {
    let Some(format) = DataFormat::of(path) else {
        return Err(Diagnostic::error(format!("{} is not a data file: its extension is none of csv, json, yaml, yml, toml, xlsx, xlsm, xls, ods, sql", display_path(path))));
    };
    let csv = format == DataFormat::Csv;
    let (values, depth) = shape(&text);
    if !csv && depth > limits.data_depth {
        return Err(too_big(path, format!("lists or records nested more than {} deep", limits.data_depth), "data_depth"));
    }
    // A CSV's lines are its rows: say so when that is the limit it passes.
    if csv && text.bytes().filter(|b| *b == b'\n').count() > limits.data_rows + 1 {
        return Err(too_big(path, format!("more than {} rows", limits.data_rows), "data_rows"));
    }
    if values > limits.data_values {
        return Err(too_big(path, format!("more than {} values", limits.data_values), "data_values"));
    }
    let at = |range: std::ops::Range<usize>| Location::new(path, text.clone(), range);
    match format {
        // A query runs per report, with its parameters (DataSet::get_with).
        DataFormat::Sql => Ok(Value::Null),
        DataFormat::Csv => parse_csv(path, &text, limits.data_rows, style, csv_spellings.insert(Default::default())),
        DataFormat::Json => serde_json::from_str(&text)
            .map_err(|e| {
                let loc = Location::at_line_col(path, text.clone(), e.line(), e.column());
                Diagnostic::error(format!("invalid JSON in data file: {}", strip_position(&e.to_string())))
                    .at(loc)
                    .hint("check the brackets, commas and quotes around this point")
            })
            .and_then(|v| match crate::input::json_exact::inexact(&text) {
                None => Ok(v),
                Some((range, why)) => Err(Diagnostic::error(format!("{why}: it would not print as written"))
                    .at(at(range))
                    .hint("write it as a string (\"…\"): the number filters print a number written as text exactly")),
            }),
        DataFormat::Yaml => crate::input::yaml::from_str(&text)
            .map_err(|e| {
                let start = e.offset.unwrap_or(0);
                Diagnostic::error(format!("invalid YAML in data file: {}", e.message))
                    .at(at(start..start + 1))
                    .hint("check the indentation and quoting around this point")
            })
            .and_then(|v| match crate::input::yaml::inexact_number(&text) {
                None => Ok(v),
                Some((start, why)) => {
                    let end = text[start..].find(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}').map_or(text.len(), |e| start + e);
                    Err(Diagnostic::error(format!("{why}: it would not print as written"))
                        .at(at(start..end))
                        .hint("quote it ('…'): the number filters print a number written as text exactly"))
                }
            }),
        DataFormat::Toml => crate::input::toml_data::parse(&text).map_err(|e| {
            let d = match e.value_hint {
                Some(_) => Diagnostic::error(e.message),
                None => Diagnostic::error(format!("invalid TOML in data file: {}", e.message)),
            };
            match e.span {
                Some(span) => d.at(at(span)),
                None => d,
            }
            .hint(e.value_hint.unwrap_or("see https://toml.io for the syntax"))
        }),
        DataFormat::Workbook => Err(Diagnostic::error(format!("{} is a workbook, read as one", display_path(path)))),
    }
    .and_then(|v| match &v {
        Value::Array(items) if items.len() > limits.data_rows => {
            Err(too_big(path, format!("more than {} records", limits.data_rows), "data_rows"))
        }
        _ => Ok(v),
    })
}

fn strip_position(msg: &str) -> String {
    msg.split(" at line ").next().unwrap_or(msg).to_string()
}

/// A CSV text as a list of records (for tests elsewhere in the crate).
#[cfg(test)]
pub fn parse_csv_text(text: &str) -> Value {
    parse_csv(Path::new("test.csv"), &Arc::from(text), usize::MAX, NumberStyle::default(), &mut Default::default()).unwrap()
}

/// CSV with a header row becomes a list of records. Numeric cells become
/// numbers, empty cells null, everything else stays a string. The
/// decimals as written go into `spellings` (as `spellings::of` notes
/// them) in the same pass.
fn parse_csv(path: &Path, text: &Arc<str>, max_rows: usize, style: NumberStyle, spellings: &mut crate::input::spellings::Spellings) -> Result<Value, Diagnostic> {
    use crate::input::csv_text::{Fault, Stop};
    /// `each` refuses a record past `max_rows`.
    struct TooMany;
    let mut rows = Vec::new();
    // Per column, each decimal's spelling by value: a column that writes one
    // number two ways (`2023.1` and `2023.10`, January and October) is
    // labels, not numbers, and stays text.
    let mut decimals: Vec<std::collections::HashMap<u64, String>> = Vec::new();
    let mut labels: Vec<bool> = Vec::new();
    let mut written_at: Vec<(usize, usize, String)> = Vec::new();
    // Without a setting, a file that writes a decimal comma somewhere
    // (`489,6`) makes `1.234` ambiguous (1.234 or 1234?): refused below.
    let (mut comma, mut dotted): (Option<(usize, usize)>, Option<(usize, usize)>) = (None, None);
    let read = crate::input::csv_text::read(text, |headers, record| {
        if rows.len() == max_rows {
            return Err(TooMany);
        }
        if decimals.len() < headers.len() {
            decimals.resize_with(headers.len(), Default::default);
            labels.resize(headers.len(), false);
        }
        let mut obj = Map::new();
        for (k, (h, cell)) in headers.iter().zip(record.iter()).enumerate() {
            crate::input::spellings::note_cell(spellings, cell);
            let v = cell_value_in(cell, style);
            if !style.explicit {
                match separators(cell) {
                    Separators::DecimalComma if comma.is_none() => comma = Some((rows.len(), k)),
                    Separators::Ambiguous if dotted.is_none() => dotted = Some((rows.len(), k)),
                    _ => {}
                }
            }
            if let Some(x) = v.as_f64().filter(|_| v.is_f64()) {
                let written = cell.trim().trim_start_matches('+');
                let first = decimals[k].entry(x.to_bits()).or_insert_with(|| written.to_string());
                labels[k] |= first != written;
                written_at.push((rows.len(), k, cell.trim().to_string()));
            }
            obj.insert(h.clone(), v);
        }
        rows.push(Value::Object(obj));
        Ok(())
    });
    let headers = match read {
        Ok(headers) => headers,
        Err(Stop::Refused(TooMany)) => return Err(too_big(path, format!("more than {max_rows} rows"), "data_rows")),
        Err(Stop::Fault(fault, offset)) => {
            let msg = match fault {
                Fault::UnequalLengths { expected, found } => format!("CSV row has {found} cells but the header has {expected}"),
                Fault::Utf8 => "CSV file is not valid UTF-8".to_string(),
                Fault::Other(e) => format!("invalid CSV: {e}"),
            };
            return Err(Diagnostic::error(msg)
                .at(Location::new(path, text.clone(), offset..offset))
                .hint("every row needs as many comma-separated cells as the header; quote cells that contain commas"));
        }
    };
    let mut seen = std::collections::HashSet::new();
    for h in &headers {
        if h.is_empty() || !seen.insert(h.as_str()) {
            let what = if h.is_empty() { "an empty column name".to_string() } else { format!("column `{h}` twice") };
            return Err(Diagnostic::error(format!("CSV header has {what}"))
                .at(Location::new(path, text.clone(), 0..text.find('\n').unwrap_or(text.len())))
                .hint("give every column a distinct name in the first row"));
        }
    }
    if let (Some(c), Some(d)) = (comma, dotted) {
        let cell = |(row, k): (usize, usize)| {
            let at = crate::input::csv_text::cell_range(text, row, k).unwrap_or(0..0);
            (Location::new(path, text.clone(), at.clone()), text[at].trim_matches('"').to_string(), row + 1, headers[k].clone())
        };
        let ((loc, ambiguous, row, col), (comma_loc, comma_text, crow, ccol)) = (cell(d), cell(c));
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        return Err(Diagnostic::error(format!("`{ambiguous}` in row {row}, column `{col}` could be {} or {}: this file writes a decimal comma elsewhere (`{comma_text}` in row {crow}, column `{ccol}`, {})", ambiguous, ambiguous.replace('.', ""), comma_loc.describe()))
            .at(loc)
            .hint(format!("say how {} writes numbers in folio.toml: [numbers.file.{stem}] decimal = \",\" (and thousands = \".\"), or decimal = \".\"", display_path(path))));
    }
    for (row, k, cell) in written_at.into_iter().filter(|(_, k, _)| labels[*k]) {
        if let Some(slot) = rows[row].get_mut(&headers[k]) {
            *slot = Value::String(cell);
        }
    }
    Ok(Value::Array(rows))
}

/// A cell read in a file's number style (see NumberStyle::plain).
pub fn cell_value_in(cell: &str, style: NumberStyle) -> Value {
    if style == NumberStyle::default() {
        return cell_value(cell);
    }
    match style.plain(cell).map(|p| cell_value(&p)) {
        Some(v) if v.is_number() || v.is_null() => v,
        _ => Value::String(cell.to_string()),
    }
}

/// What a cell's separators say about its file's convention.
enum Separators {
    /// `489,6`, `0,75`, `1.234,5`: only a decimal comma reads so.
    DecimalComma,
    /// `1.234`, `12.500`: a decimal point, or a thousands dot.
    Ambiguous,
    Other,
}

fn separators(cell: &str) -> Separators {
    let t = cell.trim().trim_start_matches(['-', '+']);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((int, frac)) = t.split_once(',') {
        let int_ok = digits(int) || int.split('.').enumerate().all(|(i, g)| digits(g) && (i == 0 && g.len() <= 3 || g.len() == 3)) && int.contains('.');
        if int_ok && digits(frac) && (frac.len() != 3 || int.contains('.')) {
            return Separators::DecimalComma;
        }
        return Separators::Other;
    }
    match t.split_once('.') {
        Some((int, frac)) if digits(int) && int.len() <= 3 && int != "0" && frac.len() == 3 && digits(frac) => Separators::Ambiguous,
        _ => Separators::Other,
    }
}

/// Numbers stay numbers unless a leading zero says the cell is a code ("007").
pub fn cell_value(cell: &str) -> Value {
    let t = cell.trim();
    if t.is_empty() {
        return Value::Null;
    }
    // One sign at most: `+-5` and `--5` are text, not -5.
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    let numeric = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && !digits.ends_with('.');
    if numeric && !leading_zero {
        if let Ok(i) = t.trim_start_matches('+').parse::<i64>() {
            return Value::Number(i.into());
        }
        // A float keeps every digit only up to 15 significant ones; longer
        // values stay text, which the number filters print exactly.
        let significant = digits.trim_start_matches(['0', '.']).bytes().filter(u8::is_ascii_digit).count();
        if significant <= 15 {
            if let Some(n) = t.trim_start_matches('+').parse::<f64>().ok().and_then(Number::from_f64) {
                return Value::Number(n);
            }
        }
    }
    Value::String(cell.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_parse_notes_the_spellings_a_pass_of_their_own_would() {
        let text = "p,q,r\n1.50,\"2023.10\",x.y\n\"3.0\n\",+0.250,1.5\n7,-2.50,0.10\n";
        let mut noted = crate::input::spellings::Spellings::default();
        parse_csv(Path::new("t.csv"), &Arc::from(text), usize::MAX, NumberStyle::default(), &mut noted).unwrap();
        let own_pass = crate::input::spellings::of(DataFormat::Csv, text);
        assert_eq!(noted, own_pass);
        assert_eq!((noted.written(0.25), noted.written(-2.5), noted.written(1.5)), (Some("0.250"), Some("-2.50"), None));
    }

    #[test]
    fn a_later_build_sees_a_changed_file_and_reuses_an_unchanged_one() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("content/data");
        std::fs::create_dir_all(&data).unwrap();
        let csv = data.join("m.csv");
        let limits = crate::input::project::Limits::default();
        std::fs::write(&csv, "name,n\nA,1\n").unwrap();
        let cache: Arc<ParseCache> = Arc::default();
        let discover = |limits: &crate::input::project::Limits| DataSet::discover_cached(&data, limits, cache.clone()).unwrap();
        let first = discover(&limits).get("m").unwrap().unwrap();
        let same = discover(&limits).get("m").unwrap().unwrap();
        assert!(Arc::ptr_eq(&first, &same), "an unchanged file is not parsed again");
        // Same length, new value: only the text tells them apart.
        std::fs::write(&csv, "name,n\nA,2\n").unwrap();
        let set = discover(&limits);
        assert_eq!(set.get("m").unwrap().unwrap()[0]["n"], Value::from(2));
        assert_eq!(set.text("m").as_deref(), Some("name,n\nA,2\n"));
        let tight = crate::input::project::Limits { data_rows: 0, ..limits };
        assert!(discover(&tight).get("m").unwrap().is_err(), "other limits parse again");
    }

    #[test]
    fn cells() {
        assert_eq!(cell_value("175"), Value::from(175));
        assert_eq!(cell_value("-0.33"), Value::from(-0.33));
        assert_eq!(cell_value(""), Value::Null);
        assert_eq!(cell_value("007"), Value::from("007"));
        assert_eq!(cell_value("1e5"), Value::from("1e5"));
        assert_eq!(cell_value("2023-03-15"), Value::from("2023-03-15"));
        assert_eq!(cell_value("1."), Value::from("1."));
        assert_eq!(cell_value("9007199254740993"), Value::from(9007199254740993i64));
        assert_eq!(cell_value("123456789012345678901"), Value::from("123456789012345678901"));
        assert_eq!(cell_value("0.1234567890123456789"), Value::from("0.1234567890123456789"));
    }

    #[test]
    fn csv_records() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.csv");
        std::fs::write(&p, "name,params\nGPT-3,175\nBERT,\n").unwrap();
        let v = load_file(&p).unwrap();
        assert_eq!(v, serde_json::json!([{"name": "GPT-3", "params": 175}, {"name": "BERT", "params": null}]));
    }

    #[test]
    fn csv_ragged_row_names_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.csv");
        std::fs::write(&p, "a,b\n1,2\n3,4,5\n").unwrap();
        let d = load_file(&p).unwrap_err();
        assert_eq!(d.message, "CSV row has 3 cells but the header has 2");
        assert_eq!(d.location.unwrap().line_col(), (3, 1));
    }

    #[test]
    fn json_error_has_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.json");
        std::fs::write(&p, "{\n  \"a\": 1,\n  \"b\": ]\n}\n").unwrap();
        let d = load_file(&p).unwrap_err();
        assert_eq!(d.location.unwrap().line_col(), (3, 8));
    }
}
