//! Building the planned reports: one worker per core takes reports one at a
//! time through the per-report stages (`one.rs`); writers write each
//! finished report's files meanwhile.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::build::backend::Backend;
use crate::build::plan::{Opened, Plan};
use crate::build::report::{add_pages, describe_source};
use crate::build::{manifest, one, output, progress, record, shard, watchdog, writer};
use crate::build::{BuildOptions, BuildReport, Fonts, ReportInfo, Session, Timings};
use crate::core::diag::{Diagnostic, Failure, Result};
use crate::input::data::DataSet;
use crate::input::project::Project;
use crate::input::template_files::Templates;

/// Builds of up to this many reports keep each one's typst sources for the
/// next build of the session (`watch`); larger ones (families) keep none.
const MAX_KEPT_SOURCES: usize = 64;

/// The build's fonts, loaded when a report first needs them (to check its
/// characters), not before: by then the fonts in the binary have been
/// parsed on the other core while the report was read (`build_with`).
pub(crate) struct BuildFonts<'a> {
    fonts: Mutex<Option<Fonts>>,
    load: &'a (dyn Fn() -> Fonts + Sync),
}

impl BuildFonts<'_> {
    pub fn with<R>(&self, f: impl FnOnce(&mut Fonts) -> R) -> R {
        let mut fonts = self.fonts.lock().expect("fonts lock");
        f(fonts.get_or_insert_with(self.load))
    }
}

/// What every report of one build shares.
pub(crate) struct Shared<'a> {
    pub project: &'a Project,
    pub data: &'a Arc<DataSet>,
    pub templates: &'a Templates,
    pub fonts: BuildFonts<'a>,
    pub opts: &'a BuildOptions,
    pub out_dir: &'a Path,
    pub session: &'a Session,
    /// The backends `--format` asks for, in registry order.
    pub backends: Vec<&'static dyn Backend>,
    /// One of them writes the PDF (the site links to it).
    pub with_pdf: bool,
    /// With `--site`: what each report to build wrote under `site/` in the
    /// last build, by report name (from the manifest's records).
    pub old_site: &'a HashMap<String, Vec<String>>,
    /// The output folder's records, and the key that seals new ones.
    pub records: &'a manifest::Records,
    pub hashes: &'a manifest::Hashes,
    pub fonts_read: &'a [PathBuf],
    /// More than one report in this build (typst's caches are trimmed between them).
    pub many_reports: bool,
    /// Fewer reports to build than cores: a core is free for work off the
    /// report's path (its inputs hashed while typst lays it out).
    pub spare_core: bool,
    /// The site's name, for each page's link back to the index.
    pub site_name: String,
    /// The site's stylesheet path, hashed once for every page.
    pub css_href: String,
    /// Whether the research template draws charts itself (`folio-chart`):
    /// known once a build, not a report, from the template's source as
    /// typst compiles it (parsed once).
    native_charts: std::sync::OnceLock<bool>,
    /// Bibliographies with their styles, read once a build: every member
    /// of a family that cites reads the same (a .bib of 80 entries and
    /// its style take about 3 ms to read). By setting: bibliography and
    /// csl, each with the folder it is relative to.
    pub bibliographies: Mutex<HashMap<[(String, PathBuf); 2], crate::input::bibliography::Sources>>,
    /// So many reports (a family) that keeping each one's typst sources for
    /// the next build would make memory grow with their number.
    pub keep_sources: bool,
    /// The next report a worker takes (its place in `plan.todo`), and how
    /// many are done (for the progress).
    pub next: AtomicUsize,
    pub finished: AtomicUsize,
}

impl Shared<'_> {
    /// Whether the template, of this text, defines `folio-chart`.
    pub fn native_charts(&self, template: &str) -> bool {
        *self.native_charts.get_or_init(|| {
            let source = self.session.sources.template(&self.project.root, template.to_string());
            crate::pdf::markup::defines_function_in(source.root(), "folio-chart")
        })
    }
}

/// What a build worker keeps of the reports it built, each by its place
/// in the build: little, so that a family's memory grows with its data,
/// not with what each member's build produced.
#[derive(Default)]
pub(crate) struct Worked {
    /// The files written (with `list_files`).
    pub files: Vec<(usize, PathBuf)>,
    /// Reports built and not listed (without `keep_built`), and their pages.
    pub built: usize,
    pub pages: Option<usize>,
    /// Warnings, and the errors of a report that failed (none: --strict).
    pub outcomes: Vec<(usize, Vec<Diagnostic>, Option<Vec<Diagnostic>>)>,
    /// What the reports read, each file once.
    pub inputs: BTreeSet<PathBuf>,
    pub timings: Timings,
}

/// Builds every report of `plan.todo`; returns what the workers kept, the
/// outcomes in report order once `finish` sorts them.
pub(crate) fn run(opened: &Opened, fonts: &(dyn Fn() -> Fonts + Sync), plan: &Plan<'_>, opts: &BuildOptions, session: &Session, report: &mut BuildReport) -> Result<Worked> {
    let (project, out_dir) = (&opened.project, &opened.out_dir);
    let backends = crate::build::backend::for_format(opts.format);
    let shared = Shared {
        project,
        data: &opened.data,
        templates: &opened.templates,
        fonts: BuildFonts { fonts: Mutex::new(None), load: fonts },
        opts,
        out_dir,
        session,
        with_pdf: backends.iter().any(|b| b.writes_pdf()),
        backends,
        old_site: &plan.old_site,
        records: &plan.records,
        hashes: &plan.hashes,
        fonts_read: &opened.fonts_read,
        many_reports: plan.selected.len() > 1,
        spare_core: plan.todo.len() < cores(),
        keep_sources: plan.selected.len() <= MAX_KEPT_SOURCES,
        // Named before any report is built, from the front matter as written.
        site_name: crate::build::site::site_name(&project.config.site, opened.all.iter().take(1).map(|r| &*r.front)),
        css_href: crate::build::site::css_href(&opened.templates)?,
        native_charts: std::sync::OnceLock::new(),
        bibliographies: Mutex::default(),
        next: AtomicUsize::new(0),
        finished: AtomicUsize::new(0),
    };
    // One build writes into the folder at a time (a `serve` and a `build`
    // take turns); the lock is held until the build's last file.
    let _lock = if opts.dry_run { None } else { Some(output::lock(out_dir)?) };
    if let (Some(shard), false) = (opts.shard, opts.dry_run) {
        mark_shard(out_dir, shard)?;
    }
    if opts.lineage && !opts.dry_run {
        crate::build::lineage::keep_previous(out_dir)?;
    }
    let writers = writer::Writers::new(out_dir, session.on_written.lock().expect("hook lock").clone());
    let dog = watchdog::Watchdog::start(&project.config.limits, opts.watchdog);
    let (worker_results, written) = std::thread::scope(|scope| {
        let writing = writers.start(scope, plan.todo.len());
        let joined = in_workers(&|| work(&shared, plan, &writers, &dog), plan.todo.len());
        // The writers stop once every worker has stopped, even by a panic
        // (they would otherwise wait for more files for ever).
        (joined, writers.close(writing))
    });
    let mut all = Worked::default();
    for w in worker_results {
        let w = w.unwrap_or_else(|p| std::panic::resume_unwind(p));
        all.files.extend(w.files);
        all.outcomes.extend(w.outcomes);
        report.unlisted_reports += w.built;
        report.unlisted_pages = add_pages(report.unlisted_pages, w.pages);
        report.inputs.extend(w.inputs);
        for (stage, d) in w.timings.stages {
            report.timings.add(stage, d);
        }
    }
    unwritten_failed(&mut all, written, plan, report);
    Ok(all)
}

/// A shard's folder says which shard it is (for the merge's messages; no
/// record names the file, so the merge does not copy it), and holds
/// manifest/ even when the shard owns none of a small family's reports.
fn mark_shard(out_dir: &Path, shard: shard::Shard) -> Result<()> {
    let dir = out_dir.join(manifest::DIR);
    crate::core::paths::no_link_below(out_dir, &dir).map_err(|why| why.diagnostic(&dir))?;
    std::fs::create_dir_all(&dir).map_err(|e| Diagnostic::io("create folder", &dir, &e))?;
    output::write_atomic(out_dir, &out_dir.join(shard::MARKER), format!("{}/{}\n", shard.index, shard.count).as_bytes())?;
    Ok(())
}

/// The cores the build uses; FOLIO_JOBS caps them (the benchmark compares
/// against one).
pub(crate) fn cores() -> usize {
    std::env::var("FOLIO_JOBS").ok().and_then(|j| j.parse().ok()).unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Runs `work` in workers, one per core, as tasks of rayon's pool, where
/// typst's own parallel layout runs: its work then stays on the worker's
/// thread or the other core, instead of being handed to other threads and
/// waited for.
fn in_workers(work: &(dyn Fn() -> Worked + Sync), reports: usize) -> Vec<std::thread::Result<Worked>> {
    let cores = cores();
    // No more workers than rayon's pool has threads: a worker waiting for
    // typst's parallel work could otherwise run another's whole loop
    // inside that wait.
    let workers = cores.min(reports).min(rayon::current_num_threads()).max(1);
    let joined = Mutex::new(Vec::new());
    rayon::scope(|s| {
        for _ in 0..workers {
            s.spawn(|_| {
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
                joined.lock().expect("results lock").push(result);
            });
        }
    });
    joined.into_inner().expect("results lock")
}

/// One worker: takes the next report to build until none is left, and
/// keeps what the build's report needs of each.
fn work(sh: &Shared<'_>, plan: &Plan<'_>, writers: &writer::Writers, dog: &watchdog::Watchdog) -> Worked {
    let mut w = Worked::default();
    loop {
        let k = sh.next.fetch_add(1, Ordering::SeqCst);
        let Some((i, key)) = plan.todo.get(k) else { break };
        let source = plan.selected[*i];
        let total = plan.todo.len();
        if let Some(p) = &sh.opts.progress {
            (p.0)(&progress::Event::Building { k, total, report: &describe_source(source) });
        }
        let mut cx = one::OneCx::new(source);
        let mut t = Timings::default();
        dog.begin(k, describe_source(source));
        let mut result = one::build_one(sh, source, &mut cx, &mut t);
        dog.end(k);
        // Its entry in the build's report, also what its manifest record says.
        let mut info = ReportInfo { path: source.path.clone(), name: source.name.clone(), pages: cx.pages, front: std::mem::take(&mut cx.front), skipped: false, row: source.row, math: cx.math };
        let strict_fail = sh.opts.strict && !cx.warnings.is_empty();
        if result.is_ok() && !strict_fail {
            result = t.time("manifest", || record::finish_one(sh, source, k, key, &info, &mut cx, writers));
        }
        if let Some(p) = &sh.opts.progress {
            let done = sh.finished.fetch_add(1, Ordering::SeqCst) + 1;
            (p.0)(&progress::Event::Built { done, total, report: &describe_source(source), warnings: cx.warnings.len(), failed: result.is_err() || strict_fail });
        }
        w.inputs.extend(cx.reads.get().files);
        for (stage, d) in t.stages {
            w.timings.add(stage, d);
        }
        // Kept until every report is done: its entry in the build's
        // report, and what went wrong, no more.
        match result {
            Ok(()) if !strict_fail => {
                // Its front matter is for the site's index only.
                if !sh.opts.site {
                    info.front = Default::default();
                }
                if plan.keep_built {
                    plan.infos.lock().expect("infos lock")[*i] = Some(info);
                } else {
                    w.built += 1;
                    w.pages = add_pages(w.pages, info.pages);
                }
                if plan.list_files {
                    w.files.extend(cx.outputs.into_iter().map(|o| (k, o.path)));
                }
                if !cx.warnings.is_empty() {
                    w.outcomes.push((k, cx.warnings, None));
                }
            }
            Ok(()) => w.outcomes.push((k, cx.warnings, Some(vec![]))),
            Err(Failure(diags)) => w.outcomes.push((k, cx.warnings, Some(diags))),
        }
    }
    w
}

/// A report whose files could not be written failed.
fn unwritten_failed(all: &mut Worked, written: writer::Written, plan: &Plan<'_>, report: &mut BuildReport) {
    if !written.failed.is_empty() {
        let unwritten: std::collections::HashSet<usize> = written.failed.iter().map(|(k, _)| *k).collect();
        if plan.keep_built {
            let mut infos = plan.infos.lock().expect("infos lock");
            for k in &unwritten {
                infos[plan.todo[*k].0] = None;
            }
        } else {
            report.unlisted_reports -= unwritten.len();
        }
        all.files.retain(|(k, _)| !unwritten.contains(k));
        all.outcomes.extend(written.failed.into_iter().map(|(k, d)| (k, vec![], Some(vec![d]))));
    }
    report.timings.add("write", written.busy);
    if !plan.list_files {
        report.unlisted = written.outputs;
    }
}
