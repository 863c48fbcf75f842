//! The backends behind one trait, and the one registry of them. Only the
//! build knows which backends exist: adding one is its renderer's folder
//! under `src/`, one file in `backends/` and one line in [`REGISTRY`].

use std::path::{Path, PathBuf};

use crate::build::backends;
use crate::build::run::Shared;
use crate::build::{Format, Output, ReportInfo, Timings};
use crate::core::diag::{Diagnostic, Failure, Result};
use crate::core::sourcemap::SourceMap;
use crate::doc::Document;
use crate::input::project::ReportSource;

/// Every backend, in the order their outputs are listed (HTML first).
const REGISTRY: &[&dyn Backend] = &[&backends::html::Html, &backends::pdf::Pdf, &backends::typst::TypstFolder];

/// The backends `--format` asks for, in registry order.
pub(crate) fn for_format(format: Format) -> Vec<&'static dyn Backend> {
    REGISTRY.iter().copied().filter(|b| format.backends().contains(&b.name())).collect()
}

/// One report, ready for the backends: its source, its document after the
/// model passes and where its rendered Markdown came from.
pub(crate) struct Report<'a> {
    pub source: &'a ReportSource,
    pub doc: &'a Document,
    pub map: &'a SourceMap,
}

/// What one backend made of one report; merged into the report's outputs
/// in registry order, also when the backend failed (its warnings stay).
#[derive(Default)]
pub(crate) struct Rendered {
    /// Files under the output folder.
    pub outputs: Vec<Output>,
    /// Files for the site, relative to `site/` (with `--site`).
    pub site: Vec<Output>,
    pub warnings: Vec<Diagnostic>,
    /// Pages of PDF.
    pub pages: Option<usize>,
    /// The PDF page of each printed value (`--lineage`).
    pub value_pages: Vec<(usize, usize)>,
    pub timings: Timings,
}

/// What a backend does with a formula it cannot typeset as written.
pub(crate) enum Fallback {
    /// Have typst draw it as SVG; if that fails too, the reason is said.
    Drawn(String),
    /// It shows as its TeX source, for this reason.
    Tex(String),
}

pub(crate) trait Backend: Sync {
    /// Its name, as `--format` lists it.
    fn name(&self) -> &'static str;
    /// Whether it writes the report's PDF (the site links to it).
    fn writes_pdf(&self) -> bool {
        false
    }
    /// Whether it can typeset the formula `tex`; `typst` is its typst
    /// translation, or why there is none.
    fn formula(&self, tex: &str, display: bool, typst: &std::result::Result<String, String>) -> Option<Fallback>;
    /// Renders one report.
    fn render(&self, sh: &Shared<'_>, report: &Report<'_>, out: &mut Rendered) -> Result<()>;
    /// Files written once per build beside the reports (the HTML's fonts).
    fn build_files(&self, _reports: &[ReportInfo], _out_dir: &Path) -> Result<Vec<Output>> {
        Ok(vec![])
    }
}

/// Runs `backends` on one report, each but the last on another core, and
/// merges what they made in registry order.
pub(crate) fn render_all(sh: &Shared<'_>, report: &Report<'_>, t: &mut Timings) -> (Vec<Rendered>, Result<()>) {
    let backends = &sh.backends;
    let results: Vec<(Rendered, Result<()>)> = std::thread::scope(|scope| {
        let run = |b: &&dyn Backend| {
            let mut out = Rendered::default();
            let result = b.render(sh, report, &mut out);
            if result.is_ok() && !sh.opts.dry_run {
                sh.session.write_page_early(sh.out_dir, &out.outputs);
            }
            (out, result)
        };
        let (last, others) = backends.split_last().expect("a build has a backend");
        let spawned: Vec<_> = others.iter().map(|b| scope.spawn(move || run(b))).collect();
        let mine = run(last);
        let mut all: Vec<_> = spawned.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect();
        all.push(mine);
        all
    });
    // Every backend's errors are said, in registry order.
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut made = Vec::with_capacity(results.len());
    for (mut out, result) in results {
        for (stage, d) in std::mem::take(&mut out.timings.stages) {
            t.add(stage, d);
        }
        if let Err(Failure(diags)) = result {
            errors.extend(diags);
        }
        made.push(out);
    }
    (made, if errors.is_empty() { Ok(()) } else { Err(Failure(errors)) })
}

/// `<out>/<name>.<ext>`.
pub(crate) fn beside(out_dir: &Path, name: &str, ext: &str) -> PathBuf {
    out_dir.join(format!("{name}.{ext}"))
}
