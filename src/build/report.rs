//! What a build returns and prints: the files written, an entry per
//! report, the warnings, what was read and how long each stage took.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::build::{manifest, Timings, LISTED_REPORTS};
use crate::core::diag::{display_path, Warnings};
use crate::input::project::ReportSource;

/// One output file produced by a build.
#[derive(Debug, Clone)]
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct BuildReport {
    /// The files written (without their bytes): every one when the build
    /// built up to [`LISTED_REPORTS`] reports; past that (a family) none,
    /// they are counted in `unlisted`.
    pub outputs: Vec<Output>,
    /// Files the build wrote that `outputs` does not list.
    pub unlisted: usize,
    /// The folder written into.
    pub out_dir: PathBuf,
    /// One entry per report built or up to date, in report order. A family
    /// of more than [`LISTED_REPORTS`] built without a site has none for its
    /// members up to date (counted in `skipped`), nor, when it built more
    /// than that, for those built (counted in `unlisted_reports`): its
    /// memory then does not grow with its number of members.
    pub reports: Vec<ReportInfo>,
    /// Reports built that `reports` does not list.
    pub unlisted_reports: usize,
    /// Their pages of PDF (none without a PDF).
    pub unlisted_pages: Option<usize>,
    pub warnings: Warnings,
    /// Files the build read (sources, includes, data, images, templates):
    /// what `watch` reacts to.
    pub inputs: Vec<PathBuf>,
    pub timings: Timings,
    /// Reports whose outputs were up to date (see `manifest`).
    pub skipped: usize,
}

impl BuildReport {
    /// Reports built (not up to date), listed or not.
    pub fn built(&self) -> usize {
        self.reports.iter().filter(|r| !r.skipped).count() + self.unlisted_reports
    }

    /// Whether `reports` has an entry for every report built or up to date.
    pub fn lists_every_report(&self) -> bool {
        self.unlisted_reports == 0 && self.reports.iter().filter(|r| r.skipped).count() == self.skipped
    }
}

#[derive(Debug, Clone)]
pub struct ReportInfo {
    pub path: PathBuf,
    pub name: String,
    pub pages: Option<usize>,
    /// Front matter after templating (for the site index).
    pub front: serde_json::Map<String, Value>,
    /// Up to date: not built again (see `manifest`).
    pub skipped: bool,
    /// A family member's row.
    pub row: Option<usize>,
    /// Has a formula (its HTML page loads the math font).
    pub math: bool,
}

/// `content/notes.md`, or `content/notes.md [AAPL]` for a family member.
pub(crate) fn describe_source(source: &ReportSource) -> String {
    match source.row {
        Some(_) => format!("{} [{}]", display_path(&source.path), source.name),
        None => display_path(&source.path),
    }
}

/// Pages of PDF summed; none while no report had a PDF.
pub(crate) fn add_pages(sum: Option<usize>, pages: Option<usize>) -> Option<usize> {
    match (sum, pages) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

/// What `folio build` prints of a build that succeeded.
pub fn describe(report: &BuildReport) -> String {
    let mut s = String::new();
    let built: Vec<&ReportInfo> = report.reports.iter().filter(|r| !r.skipped).collect();
    if report.built() > LISTED_REPORTS {
        // A family: its members' progress lines said what was built.
        let pages = built.iter().map(|r| r.pages).fold(report.unlisted_pages, add_pages);
        let pages = pages.map(|p| format!(" ({p} pages of PDF)")).unwrap_or_default();
        s.push_str(&format!("built {} reports{pages}\n", report.built()));
    } else {
        for r in &built {
            match r.row {
                Some(_) => s.push_str(&format!("built {} [{}]", display_path(&r.path), r.name)),
                None => s.push_str(&format!("built {}", display_path(&r.path))),
            }
            if let Some(p) = r.pages {
                s.push_str(&format!(" ({p} {})", if p == 1 { "page" } else { "pages" }));
            }
            s.push('\n');
        }
    }
    // Manifest records go unmentioned: one per report, of no use to read.
    for o in report.outputs.iter().filter(|o| o.path.parent().and_then(Path::file_name).is_none_or(|d| d != manifest::DIR)) {
        s.push_str(&format!("  wrote {}\n", display_path(&o.path)));
    }
    if report.unlisted > 0 {
        s.push_str(&format!("  wrote {} files into {}\n", report.unlisted, display_path(&report.out_dir)));
    }
    if report.skipped > 0 {
        s.push_str(&format!("{} report(s) up to date, not built again (--force builds them)\n", report.skipped));
    }
    s
}
