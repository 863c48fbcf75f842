//! What a build is asked to do: the command line's options, as a program
//! embedding folio gives them.

use std::path::PathBuf;

use serde_json::Value;

use crate::build::{progress, shard, PdfStandard};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Pdf,
    Html,
    All,
    /// The generated typst source and everything it reads, in `<name>.typst/`.
    Typst,
}

impl Format {
    /// The backends (by name, see `backend::REGISTRY`) this format asks for.
    pub fn backends(self) -> &'static [&'static str] {
        match self {
            Format::Pdf => &["pdf"],
            Format::Html => &["html"],
            Format::All => &["html", "pdf"],
            Format::Typst => &["typst"],
        }
    }
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub dir: PathBuf,
    pub out: Option<PathBuf>,
    pub format: Format,
    pub sets: Vec<(String, Value)>,
    pub strict: bool,
    pub ignore_system_fonts: bool,
    /// `check`: run everything, write nothing.
    pub dry_run: bool,
    /// Also write `output/site/` (index, reports, hashed assets).
    pub site: bool,
    /// Told of each report as it is built (the command line's progress);
    /// `None`: nothing is said until the build returns.
    pub progress: Option<progress::Progress>,
    pub pdf_standards: Vec<PdfStandard>,
    /// Build only the reports of these names (`--only`).
    pub only: Vec<String>,
    /// Build only this shard's reports (`--shard I/N`).
    pub shard: Option<shard::Shard>,
    /// Rebuild reports whose manifest record says they are up to date.
    pub force: bool,
    /// End the whole process, with an error naming the reports, when one
    /// passes `[limits] report_seconds` or the build passes `memory_mb`
    /// (`watchdog.rs`). The command line does; a program embedding folio
    /// may rather bound it from outside.
    pub watchdog: bool,
    /// `check --comments`: each HTML comment in a report is a warning at
    /// its place (comments reach neither output either way).
    pub list_comments: bool,
    /// `--lineage`: write `lineage/<name>.json` (each printed value and the
    /// cells it came from) and mark the values in the HTML.
    pub lineage: bool,
    /// `--publish-changes` (with `site` and `lineage`): the change page of
    /// each report that changed since the build before, beside its site
    /// page (`site/<name>.changes.html`).
    pub publish_changes: bool,
}

/// Parse `key=value`; the value is read as a YAML scalar (so numbers stay numbers).
pub fn parse_set(s: &str) -> std::result::Result<(String, Value), String> {
    let (k, v) = s.split_once('=').ok_or_else(|| format!("`{s}` is not key=value"))?;
    let k = k.trim();
    if k.is_empty() || k.split('.').any(str::is_empty) {
        return Err(format!("`{s}` has an empty key"));
    }
    let value = match crate::input::yaml::from_str::<Value>(v) {
        Ok(val @ (Value::Number(_) | Value::Bool(_))) => val,
        _ => Value::String(v.to_string()),
    };
    Ok((k.to_string(), value))
}
