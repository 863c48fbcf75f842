//! Manifest records as folio reads them back: untrusted input, since the
//! output folder (or a shard's folder) may have come with a downloaded
//! project. A record is judged before anything it says is used: it must
//! parse, name only plain relative paths, and name as outputs only files a
//! report of its name writes; and it is trusted as this folio's own only
//! when it carries this user's seal (`seal.rs`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::core::diag::{display_path, Diagnostic};
use crate::input::seal::Key;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub name: String,
    /// The Markdown file, relative to the project.
    pub source: String,
    /// The row of a family member.
    pub row: Option<usize>,
    /// Hash of the build's settings, folio's version and the report's own
    /// front matter (its row included).
    pub key: String,
    /// Every file the report read, relative to the project, with its hash.
    pub files: BTreeMap<String, String>,
    /// The workbook sheets it read without reading the whole workbook
    /// (`stem.sheet`), each with the hash of its values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sheets: BTreeMap<String, String>,
    /// Files written, relative to the output folder, with their hashes.
    pub outputs: BTreeMap<String, String>,
    pub pages: Option<usize>,
    /// Front matter after templating, for the site index.
    pub front: serde_json::Map<String, Value>,
    /// Has a formula: the site needs the math font.
    #[serde(default)]
    pub math: bool,
    /// This user's seal over the rest (see `seal.rs`).
    #[serde(default)]
    pub seal: String,
}

impl Entry {
    /// Order of reports in a build: source file, then row.
    pub fn order(&self) -> (String, usize) {
        (self.source.clone(), self.row.unwrap_or(0))
    }
}

/// Bytes as lowercase hex digits.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash a record keeps of a file's bytes.
pub fn hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))[..32].to_string()
}

/// What the output folder holds for one report name.
pub enum Got {
    Missing,
    /// Fits and carries this user's seal.
    Trusted(Entry),
    /// Fits, but another folio (or nobody) sealed it: a shard's record on
    /// another machine, or one that came with the project.
    Foreign(Entry),
    /// Does not parse, or names what a record of that report cannot.
    Unfit(String),
}

impl Got {
    pub fn trusted(self) -> Option<Entry> {
        match self {
            Got::Trusted(e) => Some(e),
            _ => None,
        }
    }

    /// Fitting, sealed or not (what a merge of shard folders may use).
    pub fn fitting(self) -> Option<Entry> {
        match self {
            Got::Trusted(e) | Got::Foreign(e) => Some(e),
            _ => None,
        }
    }
}

/// Judge the bytes of the record read for report `name`: `Err` says why it
/// does not fit.
pub fn judge(bytes: &[u8], name: &str, key: &Key) -> Result<Got, String> {
    if !crate::core::paths::is_safe_name(name) {
        return Err(format!("`{name}` is not a report name"));
    }
    let mut entry = serde_json::from_slice::<Entry>(bytes).map_err(|e| format!("it does not parse: {e}"))?;
    fits(&entry, name)?;
    let seal = std::mem::take(&mut entry.seal);
    Ok(if key.verifies(&sealed_bytes(&entry), &seal) { Got::Trusted(entry) } else { Got::Foreign(entry) })
}

/// `entry` with this user's seal.
pub fn seal(mut entry: Entry, key: &Key) -> Entry {
    entry.seal.clear();
    entry.seal = key.seal(&sealed_bytes(&entry));
    entry
}

/// What a seal covers: the record without its seal.
fn sealed_bytes(entry: &Entry) -> Vec<u8> {
    debug_assert!(entry.seal.is_empty());
    serde_json::to_vec(entry).expect("entries serialize")
}

/// Whether `rel` (relative to the output folder) is a file a report named
/// `name` writes: its PDF, HTML, typst folder, or its files in the site.
pub fn is_output_of(name: &str, rel: &str) -> bool {
    if !crate::core::paths::is_plain_relative(rel) {
        return false;
    }
    let own = |f: &str| f == format!("{name}.pdf") || f == format!("{name}.html");
    match rel.split_once('/') {
        None => own(rel),
        Some(("site", f)) => own(f) || f == format!("{name}.png"),
        Some((dir, _)) => dir == format!("{name}.typst"),
    }
}

/// Why a record read for report `name` cannot be that report's record.
fn fits(e: &Entry, name: &str) -> Result<(), String> {
    if e.name != name {
        return Err(format!("it is the record of `{}`", e.name));
    }
    if !crate::core::paths::is_plain_relative(&e.source) || !e.source.ends_with(".md") {
        return Err(format!("its source `{}` is not a report in the project", e.source));
    }
    if let Some(f) = e.files.keys().find(|f| !crate::core::paths::is_plain_relative(f)) {
        return Err(format!("it names `{f}`, which is not a plain path inside the project"));
    }
    if let Some(o) = e.outputs.keys().find(|o| !is_output_of(name, o)) {
        return Err(format!("it names `{o}`, which is not an output of report `{name}`"));
    }
    Ok(())
}

/// Largest file copied from a shard.
const COPIED_MAX: u64 = 512 << 20;

/// The files of report `entry` in the shard folder `dir`, as the merge
/// copies them (path relative to the output folder, bytes): its outputs,
/// each read from inside the shard through no link and checked against the
/// hash its record holds, and the record itself.
pub fn shard_copies(dir: &Path, entry: &Entry, record: &str) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let mut out = Vec::with_capacity(entry.outputs.len() + 1);
    let files = entry.outputs.iter().map(|(o, h)| (o.clone(), Some(h))).chain(std::iter::once((record.to_string(), None)));
    for (rel, hash_then) in files {
        if !crate::core::paths::is_plain_relative(&rel) {
            return Err(Diagnostic::error(format!("`{rel}` is not a plain path inside {}", display_path(dir))));
        }
        let from = dir.join(&rel);
        let bytes = crate::core::paths::read_regular(dir, &from, COPIED_MAX).map_err(|why| why.diagnostic(&from))?;
        // A file changed since its shard wrote it is not the report's output.
        if hash_then.is_some_and(|h| *h != hash(&bytes)) {
            return Err(Diagnostic::error(format!("{} is not the file its shard's build wrote (its hash differs from the record's)", display_path(&from)))
                .hint("build that shard again; a merge copies only what the shards wrote"));
        }
        out.push((rel, bytes));
    }
    Ok(out)
}
