//! The one dependency recorder: every stage says what it read here — files,
//! data sets by stem (a workbook's sheet or range, a query), or every data
//! set at once. A report's recorder feeds its manifest record (which hashes
//! a data set's own values when its file holds several) and, merged into
//! the build's, what `watch` follows.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Shared by the stages of one report (or, the build's, by all of them).
#[derive(Clone, Default, Debug)]
pub struct Reads(Arc<Mutex<Recorded>>);

/// What a recorder holds.
#[derive(Clone, Default, Debug, PartialEq)]
pub struct Recorded {
    pub files: BTreeSet<PathBuf>,
    pub stems: BTreeSet<String>,
    /// A template enumerated `data`: every data set counts as read.
    pub every_stem: bool,
}

/// How much of one data set a report read.
#[derive(Debug, PartialEq)]
pub enum Read {
    Nothing,
    Whole,
    /// Only these sheets (keys) of a workbook.
    Sheets(Vec<String>),
}

impl Recorded {
    /// How much of data set `stem` was read: all of it, or (recorded as
    /// `stem.sheet`) some of its sheets.
    pub fn of_stem(&self, stem: &str) -> Read {
        if self.every_stem || self.stems.contains(stem) {
            return Read::Whole;
        }
        let prefix = format!("{stem}.");
        let sheets: Vec<String> = self.stems.iter().filter_map(|s| s.strip_prefix(&prefix)).map(str::to_string).collect();
        if sheets.is_empty() { Read::Nothing } else { Read::Sheets(sheets) }
    }
}

impl Reads {
    pub fn file(&self, path: impl Into<PathBuf>) {
        self.lock().files.insert(path.into());
    }

    pub fn files<P: AsRef<Path>>(&self, paths: impl IntoIterator<Item = P>) {
        let mut r = self.lock();
        r.files.extend(paths.into_iter().map(|p| p.as_ref().to_path_buf()));
    }

    pub fn stem(&self, stem: &str) {
        let mut r = self.lock();
        if !r.stems.contains(stem) {
            r.stems.insert(stem.to_string());
        }
    }

    pub fn every_stem(&self) {
        self.lock().every_stem = true;
    }

    /// Adds what `other` recorded.
    pub fn merge(&self, other: &Recorded) {
        let mut r = self.lock();
        r.files.extend(other.files.iter().cloned());
        r.stems.extend(other.stems.iter().cloned());
        r.every_stem |= other.every_stem;
    }

    pub fn get(&self) -> Recorded {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recorded> {
        // A stage that panicked holding it left a set, not a broken one.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
