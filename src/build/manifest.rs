//! The build manifest: `output/manifest/<name>.json`, one small file per
//! report, records what the report read (a hash of each file, of its row
//! and of the build's settings), what it wrote, and what the site index
//! needs. The next build skips a report whose record still holds; shards
//! write the records of their own reports, and `folio site --from` merges
//! them. Records hold only relative paths, so they are the same on every
//! machine.
//!
//! A record is a cache hint, never an authority: the output folder may have
//! come with a downloaded project. A record is used only when it fits (a
//! safe name, plain relative paths, outputs that are the ones a report of
//! that name writes) and carries this user's seal (`input/records.rs`,
//! `input/seal.rs`); every file it names is read through no link and under
//! a size cap, and an output that was replaced since counts as changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::build::{BuildOptions, Output, ReportInfo};
use crate::input::data::DataSet;
use crate::input::project::ReportSource;
pub use crate::input::records::{hash, Entry, Got};
use crate::input::records::{hex, judge, seal};

pub const DIR: &str = "manifest";

/// The key of a report that is built every time (it queried a server).
pub const ALWAYS: &str = "rebuilt-every-time";

impl Entry {
    pub fn info(&self, root: &Path) -> ReportInfo {
        ReportInfo { path: root.join(&self.source), name: self.name.clone(), pages: self.pages, front: self.front.clone(), skipped: true, row: self.row, math: self.math }
    }
}

/// Largest file a record's hash is taken of (a data file has its own,
/// lower limit): a record naming a device or a huge file is not read whole.
const HASHED_MAX: u64 = 512 << 20;

/// File hashes of one build, each file read once, each inside the project
/// and through no link (a FIFO, a device or a link hashes as missing).
pub struct Hashes {
    root: PathBuf,
    /// A file's hash (none: missing or refused), and its stamp when it has
    /// one worth keeping (see [`stamp`]).
    seen: Mutex<HashMap<PathBuf, Option<(String, Option<String>)>>>,
    /// A workbook sheet's values, by `stem.sheet`.
    sheets: Mutex<HashMap<String, String>>,
    /// What earlier builds kept: a large file's stamp and its hash then.
    known: HashMap<PathBuf, (String, String)>,
    /// Where they are kept: this user's cache, one file per project.
    kept_in: Option<PathBuf>,
}

/// A file this large is worth a stamp: a project's fonts (megabytes) take
/// 25 ms to hash; a Markdown file or a CSV of a few rows is read faster than
/// its stamp is kept.
const STAMPED_MIN: u64 = 1 << 20;

/// Largest stamps file read.
const STAMPS_MAX: u64 = 16 << 20;

impl Hashes {
    /// Hashes that read every file (`check`, which writes nothing).
    pub fn new(root: &Path) -> Hashes {
        Hashes { root: root.to_path_buf(), seen: Default::default(), sheets: Default::default(), known: Default::default(), kept_in: None }
    }

    /// Hashes that take a large file's hash from an earlier build while its
    /// stamp still holds. The stamps are kept in this user's cache, not in
    /// the records: those stay the same on every machine, so that shard
    /// builds merge byte for byte into what one build writes.
    pub fn kept(root: &Path) -> Hashes {
        let kept_in = stamps_file(root);
        let known = kept_in
            .as_deref()
            .and_then(|f| crate::core::paths::read_regular(f.parent()?, f, STAMPS_MAX).ok())
            .and_then(|b| serde_json::from_slice::<HashMap<String, (String, String)>>(&b).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|(rel, kept)| (root.join(rel), kept))
            .collect();
        Hashes { known, kept_in, ..Hashes::new(root) }
    }

    /// Keep the stamps of the large files this build hashed, for the next.
    pub fn keep(&self) {
        let Some(file) = &self.kept_in else { return };
        let mut kept = self.known.clone();
        for (path, h) in self.seen.lock().expect("hashes lock").iter() {
            match h {
                Some((hash, Some(stamp))) => kept.insert(path.clone(), (stamp.clone(), hash.clone())),
                _ => kept.remove(path),
            };
        }
        if kept == self.known {
            return;
        }
        // Kept by the path inside the project; one that is not UTF-8 gets
        // no stamp (JSON keys are text).
        let kept: HashMap<&str, &(String, String)> = kept.iter().filter_map(|(p, k)| Some((p.strip_prefix(&self.root).ok()?.to_str()?, k))).collect();
        let write = || -> std::io::Result<()> {
            let dir = file.parent().unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir)?;
            let mut tmp = tempfile::Builder::new().prefix(".stamps-").tempfile_in(dir)?;
            std::io::Write::write_all(&mut tmp, &serde_json::to_vec(&kept).expect("stamps serialize"))?;
            tmp.persist(file).map_err(|e| e.error)?;
            prune(dir);
            Ok(())
        };
        // A cache: a build that cannot keep it only reads the files again.
        let _ = write();
    }

    /// The hash of the values of sheet `sheet` of workbook `stem` (of why
    /// it has none: a workbook that does not parse, a sheet it has not).
    pub fn of_sheet(&self, data: &DataSet, stem: &str, sheet: &str) -> String {
        let key = format!("{stem}.{sheet}");
        if let Some(h) = self.sheets.lock().expect("hashes lock").get(&key) {
            return h.clone();
        }
        let h = match data.get(stem) {
            Some(Ok(v)) => match v.get(sheet) {
                Some(values) => hash(&serde_json::to_vec(values).expect("JSON values serialize")),
                None => "no such sheet".to_string(),
            },
            Some(Err(_)) => "unreadable".to_string(),
            None => "no such workbook".to_string(),
        };
        self.sheets.lock().expect("hashes lock").insert(key, h.clone());
        h
    }

    /// The hash an earlier build kept of a file whose stamp still holds;
    /// nothing is read.
    pub fn unchanged(&self, path: &Path) -> Option<String> {
        let (then, h) = self.known.get(path)?;
        let (now, _) = stamp(&self.root, path)?;
        (now == *then).then(|| h.clone())
    }

    pub fn of(&self, path: &Path) -> Option<String> {
        if let Some(h) = self.seen.lock().expect("hashes lock").get(path) {
            return h.as_ref().map(|(h, _)| h.clone());
        }
        // The stamp is taken before the bytes are read: a file changed
        // in between has a stamp older than its hash, so the next build
        // reads it again.
        let stamped = stamp(&self.root, path);
        let h = match (self.known.get(path), &stamped) {
            (Some((then, h)), Some((now, _))) if then == now => Some((h.clone(), Some(then.clone()))),
            _ => crate::core::paths::read_regular(&self.root, path, HASHED_MAX)
                .ok()
                .map(|b| (hash(&b), stamped.and_then(|(s, worth)| worth.then_some(s)))),
        };
        self.seen.lock().expect("hashes lock").insert(path.to_path_buf(), h.clone());
        h.map(|(h, _)| h)
    }
}

/// Projects whose stamps the cache keeps: the least recently built go.
const STAMPED_PROJECTS: usize = 256;

/// Keep the cache's stamps of the [`STAMPED_PROJECTS`] projects built last.
fn prune(dir: &Path) {
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if files.len() > STAMPED_PROJECTS {
        files.sort();
        for (_, path) in &files[..files.len() - STAMPED_PROJECTS] {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// This user's stamps of the files of the project at `root`.
fn stamps_file(root: &Path) -> Option<PathBuf> {
    let root = std::fs::canonicalize(root).ok()?;
    Some(crate::input::seal::cache_dir()?.join("stamps").join(format!("{}.json", hash(root.to_string_lossy().as_bytes()))))
}

/// How long a file must have been left alone for its stamp to be kept:
/// file times move in coarse ticks, so a file written again within the tick
/// it was hashed in would keep its stamp (git's "racy" case).
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

/// A regular file's size, modification and change times and inode, read
/// inside `root` through no link; and whether it is worth keeping: the file
/// is large and both times are over [`SETTLED`] old. The change time moves
/// on every write and cannot be set back by a user, so an equal stamp means
/// the bytes are those hashed then.
fn stamp(root: &Path, path: &Path) -> Option<(String, bool)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        crate::core::paths::no_link_below(root, path).ok()?;
        let m = std::fs::symlink_metadata(path).ok()?;
        if !m.file_type().is_file() {
            return None;
        }
        let nanos = |s: i64, ns: i64| i128::from(s) * 1_000_000_000 + i128::from(ns);
        let (modified, changed) = (nanos(m.mtime(), m.mtime_nsec()), nanos(m.ctime(), m.ctime_nsec()));
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos() as i128;
        let worth = m.len() >= STAMPED_MIN && now - modified.max(changed) > SETTLED.as_nanos() as i128;
        Some((format!("{}:{modified}:{changed}:{}:{}", m.len(), m.ino(), m.dev()), worth))
    }
    #[cfg(not(unix))]
    {
        let _ = (root, path);
        None
    }
}

/// A hash of the built-in templates and math definitions.
static BUILTIN: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut h = Sha256::new();
    for (name, text) in crate::input::template_files::BUILTIN {
        h.update(name.as_bytes());
        h.update(text.as_bytes());
    }
    h.update(crate::pdf::math::SCOPE.as_bytes());
    hex(&h.finalize())[..16].to_string()
});

/// The settings a build's outputs depend on, and folio itself.
/// `project` names what the project holds besides the reports (template
/// overrides, fonts, data sets): a file added there rebuilds every report.
/// `site_name`: the name a site page's bar shows, which another report's
/// front matter may set.
pub fn build_key(opts: &BuildOptions, config: &crate::input::project::Config, project: &str, source: &ReportSource, site_name: &str) -> String {
    let settings = serde_json::json!({
        "project": project,
        "folio": env!("CARGO_PKG_VERSION"),
        // What folio builds in besides its code: a folio whose templates or
        // math definitions changed rebuilds, whatever its version says.
        "builtin": &*BUILTIN,
        "config": config,
        // The document date of reports without one.
        "source_date_epoch": std::env::var("SOURCE_DATE_EPOCH").ok(),
        "backends": opts.format.backends(),
        "site": opts.site,
        "site_name": site_name,
        "lineage": opts.lineage,
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

/// Largest record read.
const RECORD_MAX: u64 = 16 << 20;

/// The records in `out_dir/manifest/`, each read when it is asked for, so
/// that a build of a family of thousands never holds them all.
pub struct Records {
    out_dir: PathBuf,
    dir: Option<PathBuf>,
    key: crate::input::seal::Key,
}

impl Records {
    pub fn open(out_dir: &Path) -> Records {
        Records { out_dir: out_dir.to_path_buf(), dir: Some(out_dir.join(DIR)), key: crate::input::seal::Key::load() }
    }

    /// No records (`check`, which writes nothing, reads none either).
    pub fn none() -> Records {
        Records { out_dir: PathBuf::new(), dir: None, key: crate::input::seal::Key::absent() }
    }

    /// The record of report `name`, judged (see `Got`).
    pub fn get(&self, name: &str) -> Got {
        let Some(dir) = &self.dir else { return Got::Missing };
        // `judge` refuses an unsafe name; reading its path first is safe,
        // for `read_regular` leaves the output folder by no route.
        let path = dir.join(format!("{name}.json"));
        let bytes = match crate::core::paths::read_regular(&self.out_dir, &path, RECORD_MAX) {
            Ok(b) => b,
            Err(crate::core::paths::Refused::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Got::Missing,
            Err(e) => return Got::Unfit(e.diagnostic(&path).message),
        };
        judge(&bytes, name, &self.key).unwrap_or_else(|why| Got::Unfit(format!("{}: {why}", crate::core::diag::display_path(&path))))
    }

    /// The names of the reports recorded now.
    pub fn names(&self) -> Vec<String> {
        let Some(dir) = &self.dir else { return vec![] };
        if crate::core::paths::no_link_below(&self.out_dir, dir).is_err() {
            return vec![];
        }
        let Ok(dir) = std::fs::read_dir(dir) else { return vec![] };
        dir.flatten()
            .filter_map(|e| Some(e.file_name().to_str()?.strip_suffix(".json")?.to_string()))
            .collect()
    }

    /// The sealed record of a report just built.
    fn seal(&self, entry: Entry) -> Entry {
        seal(entry, &self.key)
    }
}

/// Every record in `out_dir/manifest/` that fits, sealed or not, by name
/// (the merge of shards), and why the others were left out.
pub fn load(out_dir: &Path) -> (HashMap<String, Entry>, Vec<String>) {
    let records = Records::open(out_dir);
    let (mut fitting, mut unfit) = (HashMap::new(), Vec::new());
    for name in records.names() {
        match records.get(&name) {
            Got::Trusted(e) | Got::Foreign(e) => {
                fitting.insert(name, e);
            }
            Got::Unfit(why) => unfit.push(why),
            Got::Missing => {}
        }
    }
    (fitting, unfit)
}

/// Whether the report's last record still holds: same settings and row,
/// every file it read unchanged, every output still there as written.
pub fn still_valid(entry: &Entry, key: &str, root: &Path, out_dir: &Path, hashes: &Hashes, data: &DataSet) -> bool {
    entry.key == key
        && entry.files.iter().all(|(rel, h)| hashes.of(&root.join(rel)).as_deref() == Some(h.as_str()))
        && entry.sheets.iter().all(|(name, h)| name.split_once('.').is_some_and(|(stem, sheet)| hashes.of_sheet(data, stem, sheet) == *h))
        && entry.outputs.iter().all(|(o, h)| {
            crate::core::paths::read_regular(out_dir, &out_dir.join(o), HASHED_MAX).is_ok_and(|b| hash(&b) == *h)
        })
}

/// The record of a report just built, as an output file.
#[allow(clippy::too_many_arguments)]
pub fn record(root: &Path, out_dir: &Path, source: &ReportSource, key: String, (read, sheets): (&[PathBuf], &[(String, String)]), outputs: &[Output], info: &ReportInfo, hashes: &Hashes, records: &Records, data: &DataSet) -> Output {
    let files = read.iter().filter_map(|p| Some((relative(root, p), hashes.of(p)?))).collect();
    let sheets = sheets.iter().map(|(stem, sheet)| (format!("{stem}.{sheet}"), hashes.of_sheet(data, stem, sheet))).collect();
    let written = outputs.iter().map(|o| (relative(out_dir, &o.path), hash(&o.bytes))).collect();
    let entry = records.seal(Entry {
        name: source.name.clone(),
        source: relative(root, &source.path),
        row: source.row,
        key,
        files,
        sheets,
        outputs: written,
        pages: info.pages,
        front: info.front.clone(),
        math: info.math,
        seal: String::new(),
    });
    let mut bytes = serde_json::to_vec_pretty(&entry).expect("entries serialize");
    bytes.push(b'\n');
    Output { path: record_path(out_dir, &source.name), bytes }
}

/// Where report `name`'s record is kept.
pub fn record_path(out_dir: &Path, name: &str) -> PathBuf {
    out_dir.join(DIR).join(format!("{name}.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_stamp_that_still_holds_gives_the_kept_hash_and_one_that_moved_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.csv");
        std::fs::write(&file, "v\n1\n").unwrap();
        let (now, worth) = stamp(dir.path(), &file).unwrap();
        assert!(!worth, "a small file, written just now, is not worth a stamp");
        let with = |stamp: &str| Hashes { known: HashMap::from([(file.clone(), (stamp.to_string(), "as-kept".to_string()))]), ..Hashes::new(dir.path()) };
        // The kept hash is taken as it stands: the file is not read.
        assert_eq!(with(&now).of(&file).as_deref(), Some("as-kept"));
        assert_eq!(with(&now).unchanged(&file).as_deref(), Some("as-kept"));
        assert_eq!(with("another").of(&file), Some(hash(b"v\n1\n")));
        // Written again, same size, its modification time set back: the
        // change time has moved, so the file is read and hashed.
        let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
        std::fs::write(&file, "v\n2\n").unwrap();
        std::fs::File::options().write(true).open(&file).unwrap().set_modified(modified).unwrap();
        assert_eq!(with(&now).unchanged(&file), None);
        assert_eq!(with(&now).of(&file), Some(hash(b"v\n2\n")));
    }
}
