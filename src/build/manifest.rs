//! The build manifest: `output/manifest/<name>.json`, one small file per
//! report, records what the report read (a hash of each file, of its row
//! and of the build's settings), what it wrote, and what the site index
//! needs. The next build skips a report whose record still holds; shards
//! write the records of their own reports, and `folio site --from` merges
//! them. Records hold only relative paths, so they are the same on every
//! machine.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::build::{BuildOptions, Output, ReportInfo};
use crate::input::project::ReportSource;

pub const DIR: &str = "manifest";

/// The key of a report that is built every time (it queried a server).
pub const ALWAYS: &str = "rebuilt-every-time";

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
    /// Files written, relative to the output folder.
    pub outputs: Vec<String>,
    pub pages: Option<usize>,
    /// Front matter after templating, for the site index.
    pub front: serde_json::Map<String, Value>,
    /// Has a formula: the site needs the math font.
    #[serde(default)]
    pub math: bool,
}

impl Entry {
    pub fn info(&self, root: &Path) -> ReportInfo {
        ReportInfo { path: root.join(&self.source), name: self.name.clone(), pages: self.pages, front: self.front.clone(), skipped: true, row: self.row, math: self.math }
    }

    /// Order of reports in a build: source file, then row.
    pub fn order(&self) -> (String, usize) {
        (self.source.clone(), self.row.unwrap_or(0))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// File hashes of one build, each file read once.
#[derive(Default)]
pub struct Hashes(Mutex<HashMap<PathBuf, Option<String>>>);

impl Hashes {
    pub fn of(&self, path: &Path) -> Option<String> {
        if let Some(h) = self.0.lock().expect("hashes lock").get(path) {
            return h.clone();
        }
        let h = std::fs::read(path).ok().map(|b| hex(&Sha256::digest(&b))[..32].to_string());
        self.0.lock().expect("hashes lock").insert(path.to_path_buf(), h.clone());
        h
    }
}

/// A hash of the built-in templates and math definitions.
static BUILTIN: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut h = Sha256::new();
    for (name, text) in crate::template_files::BUILTIN {
        h.update(name.as_bytes());
        h.update(text.as_bytes());
    }
    h.update(crate::pdf::math::SCOPE.as_bytes());
    hex(&h.finalize())[..16].to_string()
});

/// The settings a build's outputs depend on, and folio itself.
/// `project` names what the project holds besides the reports (template
/// overrides, fonts, data sets): a file added there rebuilds every report.
pub fn build_key(opts: &BuildOptions, config: &crate::input::project::Config, project: &str, source: &ReportSource) -> String {
    let settings = serde_json::json!({
        "project": project,
        "folio": env!("CARGO_PKG_VERSION"),
        // What folio builds in besides its code: a folio whose templates or
        // math definitions changed rebuilds, whatever its version says.
        "builtin": &*BUILTIN,
        "config": format!("{config:?}"),
        // The document date of reports without one.
        "source_date_epoch": std::env::var("SOURCE_DATE_EPOCH").ok(),
        "format": format!("{:?}", opts.format),
        "site": opts.site,
        "sets": opts.sets,
        "strict": opts.strict,
        "system_fonts": !opts.ignore_system_fonts,
        "pdf_standards": opts.pdf_standards.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>(),
        "front": &*source.front,
        "row": source.row,
    });
    hex(&Sha256::digest(settings.to_string().as_bytes()))[..32].to_string()
}

pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// The records in `out_dir/manifest/`, each read when it is asked for, so
/// that a build of a family of thousands never holds them all.
pub struct Records {
    dir: Option<PathBuf>,
}

impl Records {
    pub fn open(out_dir: &Path) -> Records {
        Records { dir: Some(out_dir.join(DIR)) }
    }

    /// No records (`check`, which writes nothing, reads none either).
    pub fn none() -> Records {
        Records { dir: None }
    }

    /// The record of report `name`; an unreadable one counts as missing
    /// (its report is built again).
    pub fn get(&self, name: &str) -> Option<Entry> {
        let path = self.dir.as_ref()?.join(format!("{name}.json"));
        let entry = serde_json::from_slice::<Entry>(&std::fs::read(path).ok()?).ok()?;
        (entry.name == name).then_some(entry)
    }

    /// The names of the reports recorded now.
    pub fn names(&self) -> Vec<String> {
        let Some(Ok(dir)) = self.dir.as_ref().map(std::fs::read_dir) else { return vec![] };
        dir.flatten()
            .filter_map(|e| Some(e.file_name().to_str()?.strip_suffix(".json")?.to_string()))
            .collect()
    }
}

/// Every record in `out_dir/manifest/`, by name (the merge of shards).
pub fn load(out_dir: &Path) -> HashMap<String, Entry> {
    let records = Records::open(out_dir);
    records.names().into_iter().filter_map(|name| Some((name.clone(), records.get(&name)?))).collect()
}

/// Whether the report's last record still holds: same settings and row,
/// every file it read unchanged, every output still there.
pub fn still_valid(entry: &Entry, key: &str, root: &Path, out_dir: &Path, hashes: &Hashes) -> bool {
    entry.key == key
        && entry.files.iter().all(|(rel, h)| hashes.of(&root.join(rel)).as_deref() == Some(h.as_str()))
        && entry.outputs.iter().all(|o| out_dir.join(o).is_file())
}

/// The record of a report just built, as an output file.
#[allow(clippy::too_many_arguments)]
pub fn record(root: &Path, out_dir: &Path, source: &ReportSource, key: String, read: &[PathBuf], outputs: &[Output], info: &ReportInfo, hashes: &Hashes) -> Output {
    let files = read.iter().filter_map(|p| Some((relative(root, p), hashes.of(p)?))).collect();
    let mut written: Vec<String> = outputs.iter().map(|o| relative(out_dir, &o.path)).collect();
    written.sort();
    let entry = Entry {
        name: source.name.clone(),
        source: relative(root, &source.path),
        row: source.row,
        key,
        files,
        outputs: written,
        pages: info.pages,
        front: info.front.clone(),
        math: info.math,
    };
    let mut bytes = serde_json::to_vec_pretty(&entry).expect("entries serialize");
    bytes.push(b'\n');
    Output { path: out_dir.join(DIR).join(format!("{}.json", source.name)), bytes }
}
