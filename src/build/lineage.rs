//! `output/lineage/<name>.json` (`folio build --lineage`): every data value
//! a report printed, the filters that printed it, the cells it was made
//! from and where it landed (the HTML element, the PDF page). The schema is
//! `docs/lineage.schema.json`; the order is the order of printing, so two
//! builds of the same inputs write the same bytes. `folio diff` reads it.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::build::manifest::relative;
use crate::doc::{Document, Inline, SourceNote};
use crate::input::data::DataSet;
use crate::template::lineage::Origin;
use crate::template::RenderedLineage;

pub const SCHEMA: &str = "folio-lineage/1";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LineageFile {
    pub schema: String,
    /// The project's folder name: a diff of two projects is refused.
    pub project: String,
    pub report: String,
    /// A family member's own row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<Source>,
    pub values: Vec<ValueRecord>,
    /// The report's prose, sentence by sentence, each value as `{}`.
    pub prose: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ValueRecord {
    /// What pairs it with the same value of another build: the template
    /// file, the expression, and the how-manieth time it printed.
    pub key: String,
    pub text: String,
    pub expr: String,
    pub filters: Vec<String>,
    pub template: TemplateAt,
    /// The cells the value was read or computed from: those its own
    /// expression read first, then those behind the `{% set %}` names it
    /// used (`through`), such as every cell a `sort` compared.
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub through: Vec<String>,
    /// The HTML element's id (`v12`); none where the value is no element
    /// of its own (in code, a formula, a link target, a chart block).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf_page: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TemplateAt {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// `csv`, `json`, `yaml`, `toml`, `workbook`, `query`, `front_matter`, `set`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based record of a table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The column, or a key path.
    pub column: String,
    /// A workbook's `Sheet!C7`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// A CSV cell's line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The cell as its file writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
}

impl Source {
    /// As the HTML's `data-src` says it: `models.csv:15:params_b`,
    /// `cloud.xlsx:Model!E5`, `report.md:front:title`, `--set:title`.
    pub fn short(&self) -> String {
        let name = self.file.as_deref().map(|f| f.rsplit('/').next().unwrap_or(f)).unwrap_or("");
        match (self.kind.as_str(), &self.cell, self.row) {
            ("set", ..) => format!("--set:{}", self.column),
            ("front_matter", ..) => format!("{name}:front:{}", self.column),
            (_, Some(cell), _) => format!("{name}:{cell}"),
            (_, None, Some(row)) => format!("{name}:{row}:{}", self.column),
            (_, None, None) => format!("{name}:{}", self.column),
        }
    }

    /// `describe`, and the cell as its file writes it: what a reader of
    /// the HTML sees on hovering or clicking a value.
    pub fn info(&self) -> String {
        match &self.raw {
            Some(raw) => format!("{}: {raw}", self.describe()),
            None => self.describe(),
        }
    }

    /// For people: `content/data/models.csv row 15, column params_b (line 16)`.
    pub fn describe(&self) -> String {
        let file = self.file.as_deref().unwrap_or("");
        match (self.kind.as_str(), &self.cell, self.row) {
            ("set", ..) => format!("--set {}", self.column),
            ("front_matter", ..) => format!("{file}, front matter `{}`", self.column),
            (_, Some(cell), _) => format!("{file}, cell {cell}"),
            (kind, None, Some(row)) => {
                let what = if kind == "query" { "result row" } else { "row" };
                let line = self.line.map(|l| format!(" (line {l})")).unwrap_or_default();
                format!("{file} {what} {row}, column {}{line}", self.column)
            }
            (_, None, None) => format!("{file}, key {}", self.column),
        }
    }
}

/// What the build knows of a report when it writes its lineage.
pub(crate) struct ReportLineage<'a> {
    pub root: &'a Path,
    pub report: &'a str,
    pub report_path: &'a Path,
    pub data: &'a DataSet,
    /// `--set` keys: a front-matter value they gave is theirs.
    pub sets: &'a [(String, serde_json::Value)],
    pub front: &'a serde_json::Map<String, serde_json::Value>,
    /// A family member's row in its `each:` data set.
    pub row: Option<usize>,
    /// Each origin described once: values, chart labels and their notes
    /// name the same cells many times.
    pub memo: std::cell::RefCell<HashMap<Origin, Option<Source>>>,
}

impl ReportLineage<'_> {
    fn source(&self, o: &Origin) -> Option<Source> {
        if let Some(known) = self.memo.borrow().get(o) {
            return known.clone();
        }
        let found = self.describe_origin(o);
        self.memo.borrow_mut().insert(o.clone(), found.clone());
        found
    }

    fn describe_origin(&self, o: &Origin) -> Option<Source> {
        match o {
            Origin::Front { key } => {
                let by_set = self.sets.iter().any(|(k, _)| k == key || key.starts_with(&format!("{k}.")));
                let mut parts = key.split('.');
                let first = self.front.get(parts.next()?);
                let raw = parts.fold(first, |v, k| v.and_then(|v| v.get(k))).and_then(|v| match v {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Array(_) | serde_json::Value::Object(_) => None,
                    other => Some(other.to_string()),
                });
                Some(if by_set {
                    Source { kind: "set".into(), file: None, row: None, column: key.clone(), cell: None, line: None, raw }
                } else {
                    Source { kind: "front_matter".into(), file: Some(relative(self.root, self.report_path)), row: None, column: key.clone(), cell: None, line: None, raw }
                })
            }
            Origin::Cell { stem, sheet, row, key } => {
                let cell = self.data.source_of(stem, sheet.as_deref(), *row, key)?;
                let kind = if cell.query {
                    "query".to_string()
                } else if cell.cell.is_some() || self.data.is_workbook(stem) {
                    "workbook".to_string()
                } else {
                    cell.path.extension().map_or("data".into(), |e| e.to_string_lossy().to_lowercase().replace("yml", "yaml"))
                };
                Some(Source { kind, file: Some(relative(self.root, &cell.path)), row: cell.row, column: cell.column, cell: cell.cell, line: cell.line, raw: cell.raw })
            }
        }
    }

    /// Each printed value's sources, by value index.
    pub fn sources(&self, rendered: &RenderedLineage) -> Vec<Vec<Source>> {
        rendered
            .printed
            .iter()
            .map(|p| {
                let Some(t) = p.traced.as_ref() else { return vec![] };
                let describe = |set: &BTreeSet<Origin>| -> BTreeSet<Source> { set.iter().filter_map(|o| self.source(o)).collect() };
                let direct = describe(&t.sources);
                let via = describe(&t.via);
                let mut list: Vec<Source> = direct.iter().cloned().collect();
                list.extend(via.into_iter().filter(|s| !direct.contains(s)));
                list
            })
            .collect()
    }

    /// The cell a chart's labelled value was drawn from.
    fn mark_source(&self, chart: &crate::chart::Chart, m: &crate::chart::Mark) -> Option<Source> {
        let data = chart.data.as_ref()?;
        let (stem, sheet) = match (self.data.contains(data), data.split_once('.')) {
            (false, Some((book, sheet))) => (book, Some(sheet)),
            _ => (data.as_str(), None),
        };
        self.source(&Origin::Cell { stem: stem.into(), sheet: sheet.map(Into::into), row: Some(m.row), key: m.column.clone() })
    }

    /// Each labelled value of each chart, keyed by the figure's id (its
    /// number when it has none), column and category.
    fn chart_values(&self, doc: &Document) -> Vec<ValueRecord> {
        let mut out = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (f, chart) in charts(doc) {
            let name = f.lineage_key();
            for m in chart.marks.iter().filter(|_| chart.data.is_some()) {
                let base = format!("chart|{name}|{}|{}", m.column, m.category);
                let n = seen.entry(base.clone()).or_default();
                let key = format!("{base}|{n}");
                *n += 1;
                out.push(ValueRecord {
                    key,
                    text: m.text.clone(),
                    expr: format!("chart {} ({name}): {} of {}", f.label, m.column, m.category),
                    filters: vec![],
                    template: TemplateAt { file: relative(self.root, self.report_path), line: 0, column: 0 },
                    sources: self.mark_source(chart, m).into_iter().collect(),
                    through: vec![],
                    html: None,
                    pdf_page: None,
                });
            }
        }
        out
    }

    /// What the HTML says of each chart's value labels (`Document::chart_sources`).
    pub fn chart_notes(&self, doc: &Document) -> HashMap<String, HashMap<(String, usize), SourceNote>> {
        let mut out: HashMap<String, HashMap<(String, usize), SourceNote>> = HashMap::new();
        for (f, chart) in charts(doc) {
            let notes = out.entry(f.lineage_key().to_string()).or_default();
            for m in &chart.marks {
                if let Some(source) = self.mark_source(chart, m) {
                    notes.insert((m.column.clone(), m.point), note(std::slice::from_ref(&source)));
                }
            }
        }
        out
    }

    /// The family member's row, if the report is one.
    fn own_row(&self) -> Option<Source> {
        let stem = self.front.get("each")?.as_str()?.trim_start_matches("data.");
        let i = self.row?;
        let path = self.data.path(stem)?;
        Some(Source { kind: "row".into(), file: Some(relative(self.root, &path)), row: Some(i + 1), column: String::new(), cell: None, line: None, raw: None })
    }

    /// The lineage file of the report.
    pub fn file(&self, project: &str, rendered: &RenderedLineage, sources: Vec<Vec<Source>>, doc: &Document, markdown: &str, pages: &[(usize, usize)]) -> LineageFile {
        let mut elements = BTreeSet::new();
        doc.visit(&mut |_| {}, &mut |i| {
            if let Inline::Value { index, .. } = i {
                elements.insert(*index);
            }
        });
        let page_of: HashMap<usize, usize> = pages.iter().copied().collect();
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        let values = rendered
            .printed
            .iter()
            .zip(sources)
            .enumerate()
            .filter_map(|(i, (p, sources))| {
                let site = rendered.sites.get(p.traced.as_ref()?.site?)?;
                let file = relative(self.root, &site.file);
                let n = seen.entry((file.clone(), site.expr.clone())).or_default();
                let key = format!("{file}|{}|{n}", site.expr);
                *n += 1;
                Some(ValueRecord {
                    key,
                    text: p.text.clone(),
                    expr: site.expr.clone(),
                    filters: site.filters.clone(),
                    template: TemplateAt { file, line: site.line, column: site.column },
                    sources,
                    through: p.traced.as_ref().map(|t| t.through.clone()).unwrap_or_default(),
                    html: elements.contains(&i).then(|| format!("v{i}")),
                    pdf_page: page_of.get(&i).copied(),
                })
            })
            .collect::<Vec<_>>();
        let mut values = values;
        values.extend(self.chart_values(doc));
        LineageFile { schema: SCHEMA.into(), project: project.into(), report: self.report.into(), row: self.own_row(), values, prose: prose(markdown) }
    }
}

/// The figures of `doc` that are charts, in document order.
fn charts(doc: &Document) -> Vec<(&crate::doc::Figure, &crate::chart::Chart)> {
    let mut out = Vec::new();
    doc.visit(
        &mut |b| {
            let figures: Vec<&crate::doc::Figure> = match b {
                crate::doc::Block::Figure(f) => vec![f],
                crate::doc::Block::FigureRow(fs) => fs.iter().collect(),
                _ => vec![],
            };
            for f in figures {
                if let crate::doc::FigureBody::Chart(c) = &f.body {
                    out.push((f, c));
                }
            }
        },
        &mut |_| {},
    );
    out
}

/// What the HTML of `--lineage` says of a value made from `sources`: the
/// short names in `data-src`, and a line per cell for the reader (the
/// first few, and how many more).
pub fn note(sources: &[Source]) -> SourceNote {
    const SHOWN: usize = 8;
    let src = sources.iter().map(Source::short).collect::<Vec<_>>().join(" ");
    let mut lines: Vec<String> = sources.iter().take(SHOWN).map(Source::info).collect();
    if sources.len() > SHOWN {
        lines.push(format!("and {} more cells", sources.len() - SHOWN));
    }
    SourceNote { src, info: lines.join("\n") }
}

/// The report's sentences, each printed value (between value marks) as
/// `{}`; code and chart blocks left out.
pub fn prose(markdown: &str) -> Vec<String> {
    use crate::core::value_marks::{pieces, Piece};
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    let mut para = String::new();
    let flush = |para: &mut String, out: &mut Vec<String>| {
        let mut text = String::new();
        let mut depth = 0;
        for p in pieces(para) {
            match p {
                Piece::Open(_) => {
                    if depth == 0 {
                        text.push_str("{}");
                    }
                    depth += 1;
                }
                Piece::End => depth = (depth as i32 - 1).max(0) as usize,
                Piece::Text(t) if depth == 0 => text.push_str(t),
                Piece::Text(_) => {}
            }
        }
        out.extend(sentences(&text));
        para.clear();
    };
    for line in markdown.lines() {
        let t = line.trim_start();
        if let Some(f) = &fence {
            if t.starts_with(f.as_str()) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            flush(&mut para, &mut out);
            fence = Some(t[..3].to_string());
            continue;
        }
        if t.is_empty() {
            flush(&mut para, &mut out);
        } else {
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(t);
        }
    }
    flush(&mut para, &mut out);
    out
}

/// A paragraph cut after `。！？` and after `. ! ?` before a space.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        cur.push(c);
        let end = matches!(c, '。' | '！' | '？') || (matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()));
        if end {
            let s = cur.trim().to_string();
            if !s.is_empty() {
                out.push(s);
            }
            cur.clear();
        }
    }
    let s = cur.trim().to_string();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// Largest lineage file folio reads back (an output folder is read as
/// untrusted: `folio diff` may be given anyone's).
pub const MAX_FILE: u64 = 512 * 1024 * 1024;

/// Where a build with `--lineage` keeps its predecessor's lineage, for
/// `folio diff --last`.
pub const PREVIOUS: &str = "previous";

/// Before a build with `--lineage` writes any: the lineage files of the
/// build before it, copied to `previous/lineage/` (what is there goes).
pub(crate) fn keep_previous(out_dir: &Path) -> crate::core::diag::Result<()> {
    use crate::core::diag::Diagnostic;
    let from = out_dir.join("lineage");
    let to = out_dir.join(PREVIOUS).join("lineage");
    if crate::core::paths::no_link_below(out_dir, &from).is_err() || !from.is_dir() {
        return Ok(());
    }
    crate::core::paths::no_link_below(out_dir, &to).map_err(|why| why.diagnostic(&to))?;
    let mut files = Vec::new();
    for e in std::fs::read_dir(&from).into_iter().flatten().flatten() {
        let path = e.path();
        if !e.file_type().is_ok_and(|k| k.is_file()) || path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let bytes = crate::core::paths::read_regular(out_dir, &path, MAX_FILE).map_err(|why| why.diagnostic(&path))?;
        files.push(crate::build::Output { path: to.join(e.file_name()), bytes });
    }
    if to.is_dir() {
        for e in std::fs::read_dir(&to).map_err(|e| Diagnostic::io("read", &to, &e))?.flatten() {
            if e.file_type().is_ok_and(|k| k.is_file()) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    crate::build::output::write_all_atomic(out_dir, &files)?;
    Ok(())
}

/// The file as written: pretty JSON, with a final line break.
pub fn to_bytes(file: &LineageFile) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(file).expect("lineage serializes");
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_masks_values_and_leaves_code_out() {
        let v = crate::core::value_marks::wrap;
        let md = format!("# Title\n\nRevenue rose to {} bn. Margins held!\n\n```chart\ny: a\n```\n\n收入增长 {}。利润稳定。\n", v(0, "5.2"), v(1, "12%"));
        assert_eq!(prose(&md), ["# Title", "Revenue rose to {} bn.", "Margins held!", "收入增长 {}。", "利润稳定。"]);
    }
}
