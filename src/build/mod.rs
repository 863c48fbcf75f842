//! `folio build` / `folio check`: plans which reports to build (`plan`),
//! runs each through the per-report stages (`run`, `one`) and its backends
//! (`backend`), and writes what is built once per build (`finish`).

pub(crate) mod assets;
mod backend;
mod backends;
pub mod diff;
pub mod feed;
pub mod lineage;
mod finish;
mod formulas;
pub mod manifest;
pub mod merge;
mod one;
mod options;
pub mod output;
mod plan;
pub mod progress;
mod record;
mod report;
mod run;
pub mod search;
pub mod session;
pub mod shard;
pub mod site;
mod snippet;
mod tex_names;
pub mod watchdog;
pub mod webfonts;
mod writer;

pub use crate::build::options::{parse_set, BuildOptions, Format};
pub use crate::build::report::{describe, BuildReport, Output, ReportInfo};
pub use crate::build::session::Session;
pub use crate::build::snippet::snippet;
pub use crate::core::timings::Timings;
pub use crate::pdf::fonts::Fonts;
pub use crate::pdf::world::PdfStandard;

use crate::core::diag::Result;

/// Builds of up to this many reports list each file they wrote (`folio
/// build` prints them); a larger one (a family) counts them instead.
pub const LISTED_REPORTS: usize = 64;

/// Build with a fresh session (a one-shot build).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    build_with(opts, &Session::new())
}

/// Build, reusing what `session` holds from earlier builds.
pub fn build_with(opts: &BuildOptions, session: &Session) -> Result<BuildReport> {
    let mut report = BuildReport::default();
    let (opened, mut fonts) = plan::open(opts, session, &mut report)?;
    let plan = plan::plan(&opened, opts, &mut report)?;
    let worked = run::run(&opened, &mut fonts, &plan, opts, session, &mut report)?;
    finish::finish(&opened, plan, worked, opts, &mut report)?;
    Ok(report)
}
