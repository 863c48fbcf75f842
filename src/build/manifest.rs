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

use std::collections::{BTreeMap, HashMap};
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
    /// one worth recording.
    seen: Mutex<HashMap<PathBuf, Option<(String, Option<String>)>>>,
    /// A workbook sheet's values, by `stem.sheet`.
    sheets: Mutex<HashMap<String, String>>,
    /// From this user's own (sealed) records: a file's stamp and its hash then.
    known: Mutex<HashMap<PathBuf, (String, String)>>,
}

impl Hashes {
    pub fn new(root: &Path) -> Hashes {
        Hashes { root: root.to_path_buf(), seen: Default::default(), sheets: Default::default(), known: Default::default() }
    }

    /// Take the stamps of a trusted record: a file still of that stamp
    /// has that hash without being read.
    pub fn learn(&self, entry: &Entry) {
        let mut known = self.known.lock().expect("hashes lock");
        for (rel, stamp) in &entry.stamps {
            if let Some(hash) = entry.files.get(rel) {
                known.insert(self.root.join(rel), (stamp.clone(), hash.clone()));
            }
        }
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

    /// The hash of a file a trusted record gave a stamp that still holds;
    /// nothing is read (see [`Hashes::learn`]).
    pub fn unchanged(&self, path: &Path) -> Option<String> {
        let (then, h) = self.known.lock().expect("hashes lock").get(path).cloned()?;
        let (now, _) = stamp(&self.root, path)?;
        (now == then).then_some(h)
    }

    pub fn of(&self, path: &Path) -> Option<String> {
        self.of_stamped(path).map(|(h, _)| h)
    }

    /// The file's hash, and its stamp if one is worth recording.
    pub fn of_stamped(&self, path: &Path) -> Option<(String, Option<String>)> {
        if let Some(h) = self.seen.lock().expect("hashes lock").get(path) {
            return h.clone();
        }
        // The stamp is taken before the bytes are read: a file changed
        // in between has a stamp older than its hash, so the next build
        // reads it again.
        let stamped = stamp(&self.root, path);
        let known = self.known.lock().expect("hashes lock").get(path).cloned();
        let h = match (known, &stamped) {
            (Some((then, h)), Some((now, _))) if then == *now => Some((h, Some(then))),
            _ => crate::core::paths::read_regular(&self.root, path, HASHED_MAX)
                .ok()
                .map(|b| (hash(&b), stamped.and_then(|(s, settled)| settled.then_some(s)))),
        };
        self.seen.lock().expect("hashes lock").insert(path.to_path_buf(), h.clone());
        h
    }
}

/// How long a file must have been left alone for its stamp to be recorded:
/// file times move in coarse ticks, so a file written again within the tick
/// it was hashed in would keep its stamp (git's "racy" case).
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

/// A regular file's size, modification and change times and inode, read
/// inside `root` through no link; and whether both times are over
/// [`SETTLED`] old. The change time moves on every write and cannot be set
/// back by a user, so an equal stamp means the bytes are those hashed then.
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
        let settled = now - modified.max(changed) > SETTLED.as_nanos() as i128;
        Some((format!("{}:{modified}:{changed}:{}:{}", m.len(), m.ino(), m.dev()), settled))
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
    let (mut files, mut stamps) = (BTreeMap::new(), BTreeMap::new());
    for p in read {
        let Some((hash, stamp)) = hashes.of_stamped(p) else { continue };
        let rel = relative(root, p);
        if let Some(stamp) = stamp {
            stamps.insert(rel.clone(), stamp);
        }
        files.insert(rel, hash);
    }
    let sheets = sheets.iter().map(|(stem, sheet)| (format!("{stem}.{sheet}"), hashes.of_sheet(data, stem, sheet))).collect();
    let written = outputs.iter().map(|o| (relative(out_dir, &o.path), hash(&o.bytes))).collect();
    let entry = records.seal(Entry {
        name: source.name.clone(),
        source: relative(root, &source.path),
        row: source.row,
        key,
        files,
        stamps,
        sheets,
        outputs: written,
        pages: info.pages,
        front: info.front.clone(),
        math: info.math,
        seal: String::new(),
    });
    let mut bytes = serde_json::to_vec_pretty(&entry).expect("entries serialize");
    bytes.push(b'\n');
    Output { path: out_dir.join(DIR).join(format!("{}.json", source.name)), bytes }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_with(rel: &str, hash: &str, stamp: &str) -> Entry {
        serde_json::from_value(serde_json::json!({
            "name": "r", "source": "r.md", "row": null, "key": "k",
            "files": { rel: hash }, "stamps": { rel: stamp },
            "outputs": {}, "pages": null, "front": {},
        }))
        .unwrap()
    }

    #[test]
    fn a_stamp_that_still_holds_gives_the_recorded_hash_and_one_that_moved_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("d.csv");
        std::fs::write(&file, "v\n1\n").unwrap();
        let (now, settled) = stamp(dir.path(), &file).unwrap();
        assert!(!settled, "a file written just now has no stamp worth recording");
        assert_eq!(Hashes::new(dir.path()).of_stamped(&file), Some((hash(b"v\n1\n"), None)));
        // The recorded hash is taken as it stands: the file is not read.
        let hashes = Hashes::new(dir.path());
        hashes.learn(&entry_with("d.csv", "as-recorded", &now));
        assert_eq!(hashes.of(&file).as_deref(), Some("as-recorded"));
        assert_eq!(hashes.unchanged(&file).as_deref(), Some("as-recorded"));
        // Written again, same size, its modification time set back: the
        // change time has moved, so the file is read and hashed.
        let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
        std::fs::write(&file, "v\n2\n").unwrap();
        std::fs::File::options().write(true).open(&file).unwrap().set_modified(modified).unwrap();
        let hashes = Hashes::new(dir.path());
        hashes.learn(&entry_with("d.csv", "as-recorded", &now));
        assert_eq!(hashes.unchanged(&file), None);
        assert_eq!(hashes.of(&file), Some(hash(b"v\n2\n")));
    }
}
