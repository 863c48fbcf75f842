//! `folio build` / `folio check`: runs every stage for every report of a
//! project and writes the outputs of each report that succeeded.

pub(crate) mod assets;
mod formulas;
pub mod feed;
pub mod manifest;
pub mod merge;
pub mod search;
pub mod output;
pub mod progress;
pub mod session;
pub mod watchdog;
pub mod shard;
pub mod site;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

pub use crate::build::session::Session;
pub use crate::pdf::fonts::Fonts;
pub use crate::pdf::world::PdfStandard;
pub use crate::core::timings::Timings;

use crate::core::diag::{display_path, Diagnostic, Failure, Result, Severity, Warnings};
use crate::input::data::DataSet;
use crate::input::project::{Project, ReportSource};
use crate::doc::Document;
use crate::core::sourcemap::SourceMap;
use crate::input::template_files::Templates;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Pdf,
    Html,
    All,
    /// The generated typst source and everything it reads, in `<name>.typst/`.
    Typst,
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
}

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

/// Parse `key=value`; the value is read as a YAML scalar (so numbers stay numbers).
pub fn parse_set(s: &str) -> std::result::Result<(String, Value), String> {
    let (k, v) = s.split_once('=').ok_or_else(|| format!("`{s}` is not key=value"))?;
    let k = k.trim();
    if k.is_empty() || k.split('.').any(str::is_empty) {
        return Err(format!("`{s}` has an empty key"));
    }
    let value = match serde_yaml::from_str::<Value>(v) {
        Ok(val @ (Value::Number(_) | Value::Bool(_))) => val,
        _ => Value::String(v.to_string()),
    };
    Ok((k.to_string(), value))
}

/// Build with a fresh session (a one-shot build).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    build_with(opts, &Session::new())
}

/// Build, reusing what `session` holds from earlier builds.
pub fn build_with(opts: &BuildOptions, session: &Session) -> Result<BuildReport> {
    let mut report = BuildReport::default();
    let project = report.timings.time("project", || Project::open_cached(&opts.dir, &session.front_matter))?;
    let out_dir = opts.out.clone().unwrap_or_else(|| project.root.join("output"));
    report.out_dir = out_dir.clone();
    // The default output folder must be the project's own: a link from
    // output/ to elsewhere would have folio write (and clean) there.
    if opts.out.is_none() && !opts.dry_run && !crate::core::paths::stays_inside(&project.root, &out_dir) {
        return Err(Diagnostic::error(format!("{} is a link to a folder outside the project", display_path(&out_dir)))
            .hint("remove the link, or name the folder explicitly with --out DIR")
            .into());
    }
    // fonts/ is read like any project folder: a link to elsewhere is refused.
    crate::core::paths::no_link_below(&project.root, &project.fonts_dir).map_err(|why| why.diagnostic(&project.fonts_dir))?;
    let data = report.timings.time("discover", || DataSet::discover_cached(&project.content_dir.join("data"), &project.config.limits, session.parsed.clone()))?;
    let database = crate::input::sql::Source::find(project.config.database.as_deref(), &project.content_dir, &project.root);
    let data = Arc::new(data.with_ranges(project.config.workbooks.clone()).with_database(database));
    let templates = Templates::new(&project.templates_dir);
    let mut fonts = report.timings.time("fonts", || Fonts::cached(&project.fonts_dir, &session.fonts));
    let mut errors: Vec<Diagnostic> = Vec::new();
    report.inputs.push(project.root.join("folio.toml"));
    report.inputs.extend(templates.overrides());
    // Families become one report per row; --only and --shard pick a subset.
    let all = report.timings.time("project", || crate::template::family::expand(&project.reports, &data)).map_err(Failure)?;
    let selected = select(&all, opts)?;
    let whole = opts.only.is_empty() && opts.shard.is_none();
    // Reports whose manifest record still holds are not built again.
    let hashes = manifest::Hashes::new(&project.root);
    let records = if opts.dry_run { manifest::Records::none() } else { manifest::Records::open(&out_dir) };
    // What a rebuilt report's last site build wrote (see finish_one).
    let mut old_site: std::collections::HashMap<String, Vec<String>> = Default::default();
    // The project's font files: a change there rebuilds every report.
    let fonts_read = crate::core::paths::regular_files(&project.fonts_dir);
    let holds = {
        let rel = |p: &PathBuf| manifest::relative(&project.root, p);
        let overrides: Vec<String> = templates.overrides().iter().map(rel).collect();
        let fonts: Vec<String> = fonts_read.iter().map(rel).collect();
        let stems: Vec<&str> = data.stems().collect();
        let database = data.database().map(|d| d.describe());
        format!("{overrides:?}{fonts:?}{stems:?}{database:?}")
    };
    // Each report's entry in the build's report, in report order: one slot
    // each from the start, so that entries are never copied into a bigger
    // list while they are all held. A family built without a site keeps
    // none (see `BuildReport::reports`).
    let keep_skipped = opts.site || selected.len() <= LISTED_REPORTS;
    let infos: std::sync::Mutex<Vec<Option<ReportInfo>>> = std::sync::Mutex::new(vec![None; if keep_skipped { selected.len() } else { 0 }]);
    let mut todo: Vec<(usize, String)> = Vec::with_capacity(selected.len());
    // Records that do not fit their report: ignored, and said once.
    let mut unfit: Vec<String> = Vec::new();
    for (i, source) in selected.iter().enumerate() {
        // A member's key holds its row: editing the row rebuilds it alone.
        let key = manifest::build_key(opts, &project.config, &holds, &crate::template::family::with_row(source, &data));
        // Records are read one at a time and only what the build needs of
        // each is kept: a family's would otherwise stay to the end. A forced
        // build needs none, unless it writes a site (see `old_site`).
        let got = if !opts.force || opts.site { records.get(&source.name) } else { manifest::Got::Missing };
        if let manifest::Got::Unfit(why) = &got {
            unfit.push(why.clone());
        }
        match got.trusted() {
            Some(mut e) if !opts.force && manifest::still_valid(&e, &key, &project.root, &out_dir, &hashes) => {
                // Their front matter is for the site's index only.
                if !opts.site {
                    e.front = Default::default();
                }
                if keep_skipped {
                    infos.lock().expect("infos lock")[i] = Some(e.info(&project.root));
                }
                report.skipped += 1;
            }
            old => {
                if let Some(e) = old.filter(|_| opts.site) {
                    old_site.insert(e.name, e.outputs.into_keys().filter(|o| o.starts_with("site/")).collect());
                }
                todo.push((i, key));
            }
        }
    }
    let names: std::collections::HashSet<&str> = all.iter().map(|r| r.name.as_str()).collect();
    // The records of reports gone from the project, judged now (their
    // outputs go once the build is written).
    let mut gone: Vec<manifest::Entry> = Vec::new();
    if whole && !opts.dry_run {
        for name in records.names().iter().filter(|n| !names.contains(n.as_str())) {
            match records.get(name) {
                manifest::Got::Trusted(e) => gone.push(e),
                manifest::Got::Unfit(why) => unfit.push(why),
                manifest::Got::Foreign(_) | manifest::Got::Missing => {}
            }
        }
    }
    if let Some(first) = unfit.first() {
        let more = if unfit.len() > 1 { format!(" (and {} more)", unfit.len() - 1) } else { String::new() };
        report.warnings.push(
            Diagnostic::warning(format!("ignored a manifest record that does not fit its report: {first}{more}"))
                .hint("such a record is used for nothing: its report is built again and nothing it names is deleted; a record names only its own report's outputs"),
        );
    }
    // Up to this many reports, the build's report lists each file written
    // and each report built.
    let list_files = todo.len() <= LISTED_REPORTS;
    let keep_built = opts.site || list_files;
    if keep_built && !keep_skipped {
        infos.lock().expect("infos lock").resize(selected.len(), None);
    }

    // Independent reports build in parallel, one worker per core; results
    // are gathered in report order.
    let shared = Shared {
        project: &project,
        data: &data,
        templates: &templates,
        fonts: std::sync::Mutex::new(&mut fonts),
        opts,
        out_dir: &out_dir,
        session,
        old_site: &old_site,
        records: &records,
        many_reports: selected.len() > 1,
        keep_sources: selected.len() <= MAX_KEPT_SOURCES,
        // Named before any report is built, from the front matter as written.
        site_name: crate::build::site::site_name(&project.config.site, all.iter().take(1).map(|r| &*r.front)),
        css_href: crate::build::site::css_href(&templates)?,
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let finished = std::sync::atomic::AtomicUsize::new(0);
    // FOLIO_JOBS caps the workers (the benchmark compares against one).
    let cores = std::env::var("FOLIO_JOBS").ok().and_then(|j| j.parse().ok()).unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    });
    // No more workers than rayon's pool has threads (see below): a worker
    // waiting for typst's parallel work could otherwise run another's
    // whole loop inside that wait.
    let workers = cores.min(todo.len()).min(rayon::current_num_threads()).max(1);
    // One build writes into the folder at a time (a `serve` and a `build`
    // take turns); the lock is held until the build's last file.
    let _lock = if opts.dry_run { None } else { Some(output::lock(&out_dir)?) };
    // A shard's folder says which shard it is (for the merge's messages;
    // no record names the file, so the merge does not copy it), and holds
    // manifest/ even when the shard owns none of a small family's reports.
    if let (Some(shard), false) = (opts.shard, opts.dry_run) {
        let dir = out_dir.join(manifest::DIR);
        crate::core::paths::no_link_below(&out_dir, &dir).map_err(|why| why.diagnostic(&dir))?;
        std::fs::create_dir_all(&dir).map_err(|e| Diagnostic::io("create folder", &dir, &e))?;
        output::write_atomic(&out_dir, &out_dir.join(shard::MARKER), format!("{}/{}\n", shard.index, shard.count).as_bytes())?;
    }
    // Each worker sums its reports' stage timings as it goes; writers write
    // finished reports meanwhile.
    let writers = writer::Writers::new(&out_dir);
    let dog = watchdog::Watchdog::start(&project.config.limits, opts.watchdog);
    let (worker_results, written): (Vec<std::thread::Result<Worked>>, writer::Written) = std::thread::scope(|scope| {
        let writing = writers.start(scope);
        let work = || {
            let mut w = Worked::default();
            loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((i, _)) = todo.get(k) else { break };
                let source = &selected[*i];
                if let Some(p) = &opts.progress {
                    (p.0)(&progress::Event::Building { k, total: todo.len(), report: &describe_source(source) });
                }
                let mut cx = OneCx {
                    outputs: vec![],
                    site_html: vec![],
                    warnings: vec![],
                    inputs: vec![source.path.clone()],
                    pages: None,
                    front: Default::default(),
                    touched: Default::default(),
                    math: false,
                };
                let mut t = Timings::default();
                dog.begin(k, describe_source(source));
                let mut result = build_one(&shared, source, &mut cx, &mut t);
                dog.end(k);
                // Its entry in the build's report, also what its manifest record says.
                let mut info = ReportInfo { path: source.path.clone(), name: source.name.clone(), pages: cx.pages, front: std::mem::take(&mut cx.front), skipped: false, row: source.row, math: cx.math };
                let strict_fail = opts.strict && !cx.warnings.is_empty();
                if result.is_ok() && !strict_fail {
                    result = t.time("manifest", || finish_one(&shared, source, k, &todo[k].1, &fonts_read, &hashes, &info, &mut cx, &writers));
                }
                if let Some(p) = &opts.progress {
                    let done = finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                    (p.0)(&progress::Event::Built { done, total: todo.len(), report: &describe_source(source), warnings: cx.warnings.len(), failed: result.is_err() || strict_fail });
                }
                w.inputs.extend(std::mem::take(&mut cx.inputs));
                for (stage, d) in t.stages {
                    w.timings.add(stage, d);
                }
                // Kept until every report is done: its entry in the build's
                // report, and what went wrong, no more.
                match result {
                    Ok(()) if !strict_fail => {
                        // Its front matter is for the site's index only.
                        if !opts.site {
                            info.front = Default::default();
                        }
                        if keep_built {
                            infos.lock().expect("infos lock")[*i] = Some(info);
                        } else {
                            w.built += 1;
                            w.pages = add_pages(w.pages, info.pages);
                        }
                        if list_files {
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
        };
        // The workers are tasks of rayon's pool, where typst's own parallel
        // layout runs: its work then stays on the worker's thread or the
        // other core, instead of being handed to other threads and waited for.
        let joined = std::sync::Mutex::new(Vec::new());
        rayon::scope(|s| {
            for _ in 0..workers {
                s.spawn(|_| {
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
                    joined.lock().expect("results lock").push(result);
                });
            }
        });
        // The writers stop once every worker has stopped, even by a panic
        // (they would otherwise wait for more files for ever).
        let written = writers.close(writing);
        (joined.into_inner().expect("results lock"), written)
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
    // A report whose files could not be written failed.
    if !written.failed.is_empty() {
        let unwritten: std::collections::HashSet<usize> = written.failed.iter().map(|(k, _)| *k).collect();
        if keep_built {
            let mut infos = infos.lock().expect("infos lock");
            for k in &unwritten {
                infos[todo[*k].0] = None;
            }
        } else {
            report.unlisted_reports -= unwritten.len();
        }
        all.files.retain(|(k, _)| !unwritten.contains(k));
        all.outcomes.extend(written.failed.into_iter().map(|(k, d)| (k, vec![], Some(vec![d]))));
    }
    report.timings.add("write", written.busy);
    if !list_files {
        report.unlisted = written.outputs;
    }
    // Each report is its own unit: one that fails (or, with --strict, warns)
    // keeps the others from nothing.
    let mut failed: Vec<String> = Vec::new();
    all.outcomes.sort_by_key(|(k, ..)| *k);
    for (k, warnings, failure) in all.outcomes {
        report.warnings.0.extend(warnings);
        let Some(diags) = failure else { continue };
        failed.push(describe_source(selected[todo[k].0]));
        for d in diags {
            match d.severity {
                Severity::Error => errors.push(d),
                Severity::Warning | Severity::Note => report.warnings.push(d),
            }
        }
    }
    all.files.sort_by_key(|(k, _)| *k);
    report.outputs.extend(all.files.into_iter().map(|(_, path)| Output { path, bytes: Vec::new() }));
    report.reports = infos.into_inner().expect("infos lock").into_iter().flatten().collect();
    // `check` parses every data file, also those no report reads yet.
    if opts.dry_run {
        // A file a report read has had its error said by that report; the
        // others are said here, each once, whatever their messages.
        let read: std::collections::HashSet<PathBuf> = data.read.lock().expect("data lock").iter().cloned().collect();
        for stem in data.stems().map(str::to_string).collect::<Vec<_>>() {
            if data.path(&stem).is_some_and(|p| read.contains(&p)) {
                continue;
            }
            if let Some(Err(d)) = data.get(&stem) {
                errors.push(d);
            }
        }
    }
    report.inputs.extend(data.read.lock().expect("data lock").iter().cloned());
    report.warnings.0.extend(data.superuser.lock().expect("data lock").take());
    // `watch` rebuilds when the SQLite file that queries read changes.
    if data.stems().any(|s| data.is_query(s)) {
        report.inputs.extend(data.database().and_then(|d| d.file()).map(Path::to_path_buf));
    }
    // Data loads lazily while templates render: book it as its own stage.
    let data_time = *data.load_time.lock().expect("data lock");
    if let Some((_, t)) = report.timings.stages.iter_mut().find(|(s, _)| *s == "templates") {
        *t = t.saturating_sub(data_time);
    }
    report.timings.stages.insert(0, ("data", data_time));
    report.inputs.sort();
    report.inputs.dedup();
    if opts.strict && !report.warnings.0.is_empty() {
        let n = report.warnings.0.len();
        errors.push(Diagnostic::error(format!("{n} warning(s) with --strict")).hint("fix the warnings above, or build without --strict"));
    }
    if !errors.is_empty() {
        let mut all = std::mem::take(&mut report.warnings.0);
        all.extend(errors);
        // The reports that built were written all the same, each atomically.
        if !opts.dry_run && (!report.outputs.is_empty() || report.unlisted > 0) {
            let total = selected.len();
            let shown: Vec<String> = failed.iter().take(10).cloned().collect();
            let more = if failed.len() > 10 { format!(" and {} more", failed.len() - 10) } else { String::new() };
            let mut note = Diagnostic::note(format!(
                "{} of {total} reports failed ({}{more}); the other {} were written",
                failed.len(),
                shown.join(", "),
                report.built() + report.skipped
            ));
            if opts.site {
                note = note.hint("the site was not written: it would miss the failed reports");
            }
            all.push(note);
        }
        return Err(Failure(all));
    }
    let mut site_files = Vec::new();
    // After a whole site: whether it keeps the math font.
    let mut prune_assets = None;
    if opts.site {
        // A shard may own none of a small family's reports: its folder is
        // still one the merge takes (an empty manifest/).
        if opts.shard.is_none() {
            crate::build::site::error_if_empty(&report)?;
        }
        // The index lists every report the output folder holds: with --only,
        // also those built before. A shard writes no index: the merge does.
        let mut listed: Vec<ReportInfo> = report.reports.clone();
        if !opts.only.is_empty() {
            let built: std::collections::HashSet<&str> = report.reports.iter().map(|r| r.name.as_str()).collect();
            let mut others: Vec<manifest::Entry> = records.names().iter().filter(|n| !built.contains(n.as_str()) && names.contains(n.as_str())).filter_map(|n| records.get(n).trusted()).collect();
            others.sort_by_key(|e| e.order());
            listed = merge::in_build_order(&project.root, listed, others.iter().collect());
        }
        // The pages and PDFs are there already (see finish_one).
        if opts.shard.is_none() {
            let has_pdf = listed.iter().any(|r| r.pages.is_some());
            site_files = crate::build::site::index_outputs(&listed, has_pdf, &project.config.site, &templates, &project.root, &out_dir.join("site"))?;
            // The pages are on disk already (see finish_one): index them.
            site_files.extend(search::search_outputs(&out_dir.join("site"), &listed, crate::build::site::site_lang(&project.config.site, listed.iter().map(|r| &r.front)))?);
            if listed.iter().any(|r| r.math) {
                site_files.extend(assets::math_font(&out_dir.join("site").join("assets")));
            }
            prune_assets = Some(listed.iter().any(|r| r.math));
        }
    }
    if matches!(opts.format, Format::Html | Format::All) && report.reports.iter().any(|r| r.math) {
        site_files.extend(assets::math_font(&out_dir));
    }
    if !opts.dry_run {
        let start = std::time::Instant::now();
        output::write_outputs(&out_dir, &site_files).map_err(|d| {
            let mut all = report.warnings.0.clone();
            all.push(d);
            Failure(all)
        })?;
        // Stylesheets, logos and the math font of earlier builds go.
        if let Some(math) = prune_assets {
            assets::prune(&out_dir.join("site"), &site_files, math);
        }
        // A family's site (a page and a search fragment a member) is
        // counted like its reports' files.
        if list_files {
            report.outputs.extend(site_files);
        } else {
            report.unlisted += site_files.len();
        }
        report.timings.add("write", start.elapsed());
        // Members whose row is gone, and reports whose file is gone: their
        // outputs go too.
        if whole {
            // Only records this folio sealed, and only files that are that
            // report's outputs (see `manifest::Got`), reached through no link.
            for e in gone {
                let record = out_dir.join(manifest::DIR).join(format!("{}.json", e.name));
                for path in e.outputs.keys().map(|o| out_dir.join(o)).chain([record]) {
                    if crate::core::paths::no_link_below(&out_dir, path.parent().unwrap_or(&out_dir)).is_ok() {
                        let _ = std::fs::remove_file(path);
                    }
                }
            }
        }
    }
    Ok(report)
}

/// After a report built: its manifest record, and its files handed to the
/// writers at once (each is written atomically), so that a family of
/// thousands never holds more than a few reports' outputs in memory. What
/// stays in `cx.outputs` are the paths, without their bytes.
#[allow(clippy::too_many_arguments)]
fn finish_one(sh: &Shared<'_>, source: &ReportSource, k: usize, key: &str, fonts: &[PathBuf], hashes: &manifest::Hashes, info: &ReportInfo, cx: &mut OneCx, writers: &writer::Writers) -> Result<()> {
    let (project, data, opts, out_dir) = (sh.project, sh.data, sh.opts, sh.out_dir);
    if opts.dry_run {
        return Ok(());
    }
    // What the report read: its files, the data sets its templates and
    // charts used, template overrides and the project's fonts.
    let touched = cx.touched.lock().expect("touched lock").clone();
    let mut read = cx.inputs.clone();
    read.extend(data.stems().filter(|s| touched.contains(*s) || touched.contains("*")).filter_map(|s| data.path(s)));
    read.extend(sh.templates.overrides());
    read.extend(fonts.iter().cloned());
    // A query's results: a SQLite file is an input like any other; a server's
    // data cannot be hashed without asking it, so such a report is always
    // built again.
    let queried = data.stems().any(|s| data.is_query(s) && (touched.contains(s) || touched.contains("*")));
    let mut key = key.to_string();
    if queried {
        match data.database().and_then(|db| db.file()) {
            Some(file) => read.push(file.to_path_buf()),
            None => key = manifest::ALWAYS.to_string(),
        }
    }
    read.sort();
    read.dedup();
    // The site's copy of the page and the PDF.
    let mut files = std::mem::take(&mut cx.outputs);
    if opts.site {
        let site = out_dir.join("site");
        files.extend(cx.site_html.drain(..).map(|o| Output { path: site.join(&o.path), bytes: o.bytes }));
        if let Some(pdf) = files.iter().find(|o| o.path.extension().is_some_and(|e| e == "pdf")) {
            files.push(Output { path: site.join(format!("{}.pdf", source.name)), bytes: pdf.bytes.clone() });
        }
    }
    let outputs = files.len();
    files.push(manifest::record(&project.root, out_dir, source, key, &read, &files, info, hashes, sh.records));
    // The site's files of this report that an earlier site build wrote and
    // this one did not (a preview image after `base_url` went away). Other
    // outputs stay: a PDF-only build leaves the last HTML where it was.
    let mut remove = Vec::new();
    if let Some(old) = sh.old_site.get(&source.name) {
        for rel in old {
            let path = out_dir.join(rel);
            if !files.iter().any(|o| o.path == path) && crate::core::paths::no_link_below(out_dir, path.parent().unwrap_or(out_dir)).is_ok() {
                remove.push(path);
            }
        }
    }
    cx.outputs = files.iter().map(|o| Output { path: o.path.clone(), bytes: Vec::new() }).collect();
    // Written by the writers while this worker goes on.
    writers.send(writer::Job { k, files, outputs, remove });
    Ok(())
}

/// `content/notes.md`, or `content/notes.md [AAPL]` for a family member.
fn describe_source(source: &ReportSource) -> String {
    match source.row {
        Some(_) => format!("{} [{}]", display_path(&source.path), source.name),
        None => display_path(&source.path),
    }
}

/// The reports `--only` and `--shard` select, in project order.
fn select<'a>(all: &'a [ReportSource], opts: &BuildOptions) -> Result<Vec<&'a ReportSource>> {
    for name in &opts.only {
        if !all.iter().any(|r| &r.name == name) {
            let mut d = Diagnostic::error(format!("--only {name}: the project has no report named `{name}`"));
            if let Some(near) = crate::core::text::closest(name, all.iter().map(|r| r.name.as_str())) {
                d = d.hint(format!("did you mean `{near}`?"));
            }
            let names: Vec<&str> = all.iter().take(8).map(|r| r.name.as_str()).collect();
            return Err(d.hint(format!("reports: {}{}", names.join(", "), if all.len() > 8 { ", …" } else { "" })).into());
        }
    }
    Ok(all
        .iter()
        .filter(|r| opts.only.is_empty() || opts.only.contains(&r.name))
        .filter(|r| opts.shard.is_none_or(|s| s.owns(&r.name)))
        .collect())
}

/// What building one report produces besides success or failure.
struct OneCx {
    outputs: Vec<Output>,
    site_html: Vec<Output>,
    warnings: Vec<Diagnostic>,
    inputs: Vec<PathBuf>,
    pages: Option<usize>,
    front: serde_json::Map<String, Value>,
    /// Data sets the report's templates and charts read.
    touched: crate::template::Touched,
    math: bool,
}

/// What a build worker keeps of the reports it built, each by its place
/// in the build: little, so that a family's memory grows with its data,
/// not with what each member's build produced.
#[derive(Default)]
struct Worked {
    /// The files written (with `list_files`).
    files: Vec<(usize, PathBuf)>,
    /// Reports built and not listed (without `keep_built`), and their pages.
    built: usize,
    pages: Option<usize>,
    /// Warnings, and the errors of a report that failed (none: --strict).
    outcomes: Vec<(usize, Vec<Diagnostic>, Option<Vec<Diagnostic>>)>,
    /// What the reports read, each file once.
    inputs: std::collections::BTreeSet<PathBuf>,
    timings: Timings,
}

/// Builds of up to this many reports list each file they wrote (`folio
/// build` prints them); a larger one (a family) counts them instead.
pub const LISTED_REPORTS: usize = 64;

/// Builds of up to this many reports keep each one's typst sources for the
/// next build of the session (`watch`); larger ones (families) keep none.
const MAX_KEPT_SOURCES: usize = 64;

/// What every report of one build shares.
struct Shared<'a> {
    project: &'a Project,
    data: &'a Arc<DataSet>,
    templates: &'a Templates,
    fonts: std::sync::Mutex<&'a mut Fonts>,
    opts: &'a BuildOptions,
    out_dir: &'a Path,
    session: &'a Session,
    /// With `--site`: what each report to build wrote under `site/` in the
    /// last build, by report name (from the manifest's records).
    old_site: &'a std::collections::HashMap<String, Vec<String>>,
    /// The output folder's records, and the key that seals new ones.
    records: &'a manifest::Records,
    /// More than one report in this build (typst's caches are trimmed between them).
    many_reports: bool,
    /// The site's name, for each page's link back to the index.
    site_name: String,
    /// The site's stylesheet path, hashed once for every page.
    css_href: String,
    /// So many reports (a family) that keeping each one's typst sources for
    /// the next build would make memory grow with their number.
    keep_sources: bool,
}

fn build_one(sh: &Shared<'_>, source: &ReportSource, cx1: &mut OneCx, t: &mut Timings) -> Result<()> {
    let (project, data, templates, opts, out_dir) = (sh.project, sh.data, sh.templates, sh.opts, sh.out_dir);
    let mut source = crate::template::family::with_row(source, data);
    source.front = Arc::new(t.time("templates", || {
        crate::template::render_front(&source.front, data.clone(), &source.path, &source.text, project.config.limits.template_fuel, &cx1.touched)
    })?);
    // After templating: --set values are printed literally, never evaluated.
    source.apply_overrides(&opts.sets);
    cx1.front = (*source.front).clone();
    let source = &source;
    let meta = crate::model::resolve::meta_from_front(&source.front, &source.name)
        .map_err(|e| Diagnostic::error(e).at(front_location(source)))?;
    let rendered = t.time("templates", || {
        crate::template::render(crate::template::RenderInput {
            project_root: &project.root,
            content_dir: &project.content_dir,
            report_path: &source.path,
            report_text: source.text.clone(),
            body: &source.body,
            front: &source.front,
            data: data.clone(),
            fuel: project.config.limits.template_fuel,
            max_output_mb: project.config.limits.output_mb,
            touched: &cx1.touched,
        })
    });
    let mut rendered = rendered.inspect_err(|_| cx1.inputs.extend(includes_on_error(project)))?;
    cx1.warnings.append(&mut rendered.warnings);
    cx1.inputs.extend(rendered.sources.iter().map(|(p, _)| p.clone()));
    let map = SourceMap { sources: rendered.sources.clone(), rendered: rendered.markdown.as_str().into() };
    let base_dir = source.path.parent().unwrap_or(&project.content_dir).to_path_buf();
    let mcx = crate::markdown::Context {
        data,
        project_root: &project.root,
        base_dir: &base_dir,
        raw_html: project.config.raw_html,
        map: &map,
        drawn: sh.keep_sources.then_some(&sh.session.drawn),
        lang: meta.lang,
        touched: Some(&cx1.touched),
        params: Some(&source.front),
    };
    let mut parsed = t.time("markdown", || crate::markdown::parse(&rendered.markdown, &mcx));
    cx1.warnings.append(&mut parsed.warnings);
    let mut doc = t.time("model", || crate::model::resolve::resolve(parsed, meta, &map)).map_err(Failure)?;
    doc.cover_chart = t.time("cover", || cover_chart(source, data, &sh.session.drawn, doc.meta.lang, &cx1.touched))?;
    cx1.inputs.extend(doc.images().map(|p| project.root.join(p)));
    let (html_out, pdf_out) = (matches!(opts.format, Format::Html | Format::All), matches!(opts.format, Format::Pdf | Format::All | Format::Typst));
    let fonts = html_out.then(|| sh.fonts.lock().expect("fonts lock").store.clone());
    let draw = |math: &str, display: bool| crate::pdf::world::formula_svg(&project.root, fonts.clone()?, math, display);
    cx1.warnings.extend(t.time("formulas", || formulas::check(&mut doc, &map, html_out, pdf_out, &draw)));
    cx1.math = !doc.formulas().is_empty();

    // The HTML page renders on another core while typst lays out and
    // exports the PDF; outputs keep their order (HTML first).
    let doc = &doc;
    let (html, pdf) = std::thread::scope(|scope| {
        let html = matches!(opts.format, Format::Html | Format::All).then(|| {
            scope.spawn(|| -> Result<(Output, Option<Output>, Timings)> {
                let mut th = Timings::default();
                let page = th.time("html", || crate::html::render(doc, &project.root, templates, None))?;
                let page = Output { path: out_dir.join(format!("{}.html", source.name)), bytes: page.into_bytes() };
                let mut site = None;
                if opts.site {
                    let file = format!("{}.html", source.name);
                    let links = crate::html::SitePage {
                        css_href: sh.css_href.clone(),
                        name: sh.site_name.clone(),
                        pdf: matches!(opts.format, Format::All | Format::Pdf).then(|| crate::build::site::relative_href(&format!("{}.pdf", source.name))),
                        canonical: project.config.site.base_url.as_deref().map(|b| crate::build::site::absolute(b, &file)),
                        logo: project.config.site.logo_asset().map(|a| format!("./assets/{a}")),
                        // Drawn from the PDF's first page (see pdf_backend).
                        image: project.config.site.base_url.as_deref().filter(|_| matches!(opts.format, Format::All | Format::Pdf)).map(|b| crate::build::site::absolute(b, &format!("{}.png", source.name))),
                    };
                    let html = th.time("html", || crate::html::render(doc, &project.root, templates, Some(&links)))?;
                    site = Some(Output { path: PathBuf::from(format!("{}.html", source.name)), bytes: html.into_bytes() });
                }
                Ok((page, site, th))
            })
        });
        let pdf = if matches!(opts.format, Format::Pdf | Format::All | Format::Typst) {
            pdf_backend(sh, source, doc, &map, cx1, t)
        } else {
            Ok(())
        };
        (html.map(|h| h.join().expect("the HTML backend panicked")), pdf)
    });
    if let Some(html) = html {
        let (page, site, th) = html?;
        cx1.outputs.insert(0, page);
        cx1.site_html.extend(site);
        for (stage, d) in th.stages {
            t.add(stage, d);
        }
    }
    pdf
}

/// The PDF (or, with `--format typst`, the typst folder) of one report.
fn pdf_backend(sh: &Shared<'_>, source: &ReportSource, doc: &Document, map: &SourceMap, cx1: &mut OneCx, t: &mut Timings) -> Result<()> {
    let (project, templates, opts, out_dir) = (sh.project, sh.templates, sh.opts, sh.out_dir);
    let store = {
        let mut fonts = sh.fonts.lock().expect("fonts lock");
        let scanned = fonts.system_scanned;
        cx1.warnings.extend(t.time("fonts", || check_glyphs(doc, map, &mut fonts, opts.ignore_system_fonts)));
        if fonts.system_scanned && !scanned {
            sh.session.fonts.remember(&fonts);
        }
        fonts.store.clone()
    };
    let input = t.time("typst markup", || typst_input(source, doc, templates, map))?;
    if opts.format == Format::Typst {
        cx1.outputs.extend(typst_folder(project, doc, &input, &out_dir.join(format!("{}.typst", source.name))));
        return Ok(());
    }
    let world = crate::pdf::world::FolioWorld::for_report(&project.root, store, input, &source.name, &sh.session.sources);
    let preview = opts.site && project.config.site.base_url.is_some();
    let compiled = crate::pdf::world::compile(&world, &source.name, &opts.pdf_standards, preview, t).map_err(|diags| {
        Failure(diags.into_iter().map(|d| name_report(to_user_file(d, map, project), &source.path)).collect())
    });
    // Many reports in one build: keep typst's caches from growing with each
    // (one report, as in `watch`, is trimmed between builds instead).
    if sh.many_reports {
        sh.session.after_report(sh.keep_sources);
    }
    if !sh.keep_sources {
        sh.session.sources.forget_report(&source.name);
    }
    let compiled = compiled?;
    cx1.warnings.extend(compiled.warnings);
    cx1.pages = Some(compiled.pages);
    cx1.outputs.push(Output { path: out_dir.join(format!("{}.pdf", source.name)), bytes: compiled.pdf });
    // The page's link-preview card, in the site beside it.
    if let Some(png) = compiled.preview {
        cx1.site_html.push(Output { path: PathBuf::from(format!("{}.png", source.name)), bytes: png });
    }
    Ok(())
}

/// Markdown straight into the model and both backends, skipping templates
/// (the CommonMark suite and property tests drive the pipeline this way).
/// Returns the HTML page and the PDF.
pub fn snippet(root: &Path, markdown: &str, fonts: &Fonts) -> Result<(String, Vec<u8>)> {
    let path = root.join("content/snippet.md");
    let front: serde_json::Map<String, Value> =
        serde_json::from_value(serde_json::json!({"title": "Snippet", "lang": "en", "chapter_break": false, "heading_numbers": "none"})).expect("a map");
    let meta = crate::model::resolve::meta_from_front(&front, "snippet").map_err(Diagnostic::error)?;
    let text: std::sync::Arc<str> = markdown.into();
    let map = SourceMap { sources: vec![(path.clone(), text.clone())], rendered: text };
    let data = DataSet::default();
    let mcx = crate::markdown::Context { data: &data, project_root: root, base_dir: &root.join("content"), raw_html: false, map: &map, drawn: None, lang: meta.lang, touched: None, params: None };
    let doc = crate::model::resolve::resolve(crate::markdown::parse(markdown, &mcx), meta, &map).map_err(Failure)?;
    let templates = Templates::new(&root.join("templates"));
    let html = crate::html::render(&doc, root, &templates, None)?;
    let source = ReportSource { name: "snippet".into(), path, text: markdown.into(), front: Arc::new(front), body: markdown.into(), row: None };
    let world = crate::pdf::world::FolioWorld::new(root, fonts.store.clone(), typst_input(&source, &doc, &templates, &map)?);
    let compiled = crate::pdf::world::compile(&world, "snippet", &[], false, &mut Timings::default()).map_err(Failure)?;
    Ok((html, compiled.pdf))
}

/// A typst error inside the generated markup usually comes from something
/// the writer referenced (an image that cannot be decoded, say): point at the
/// place in their file that names it, keeping the generated line as a hint.
fn to_user_file(mut d: Diagnostic, map: &SourceMap, project: &Project) -> Diagnostic {
    let Some(loc) = &d.location else { return d };
    if !loc.path.starts_with("<generated>") {
        return d;
    }
    let snippet = &loc.text[loc.range.clone()];
    let quoted = snippet.split('"').nth(1).unwrap_or("");
    let Some(abs) = quoted.strip_prefix('/').map(|p| project.root.join(p)) else { return d };
    // The writer's path is relative to their Markdown file; try its tail.
    let file = abs.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let rel = abs.strip_prefix(&project.content_dir).map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    let found = [rel.as_str(), file.as_str()].into_iter().filter(|n| !n.is_empty()).find_map(|n| map.locate(n, 0));
    if let Some(user) = found {
        let (line, col) = loc.line_col();
        // `<generated>/<report>/body/01.typ` is `body/01.typ` in the typst folder.
        let generated: PathBuf = loc.path.components().skip(2).collect();
        let generated = if generated.as_os_str().is_empty() { "main.typ".to_string() } else { generated.to_string_lossy().into_owned() };
        d.hints.push(format!(
            "typst reported this at line {line}, column {col} of {generated} in the generated markup (folio build --format typst writes it)"
        ));
        d.location = Some(user);
    }
    d
}

/// Every error typst raises names the report it was laying out, also when
/// its place is in the template or in generated markup.
fn name_report(d: Diagnostic, report: &Path) -> Diagnostic {
    let in_content = d.location.as_ref().is_some_and(|l| l.path.extension().is_some_and(|x| x == "md"));
    if in_content {
        d
    } else {
        d.hint(format!("while typesetting {}", display_path(report)))
    }
}

/// When templating fails we do not know which includes were read: watch
/// every Markdown file in content/ instead.
fn includes_on_error(project: &Project) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&project.content_dir, &mut out);
    out
}

/// The folder `--format typst` writes: the generated markup, the template,
/// meta.json, chart drawings and the images it uses, so that
/// `typst compile --root <folder> --font-path fonts <folder>/main.typ` gives the same pages.
fn typst_folder(project: &Project, doc: &Document, input: &crate::pdf::world::TypstInput, dir: &Path) -> Vec<Output> {
    let mut out = vec![
        Output { path: dir.join("main.typ"), bytes: input.main.clone().into_bytes() },
        Output { path: dir.join("research.typ"), bytes: input.template.clone().into_bytes() },
        Output { path: dir.join("meta.json"), bytes: input.meta_json.clone().into_bytes() },
    ];
    for (path, bytes) in &input.files {
        out.push(Output { path: dir.join(path.trim_start_matches('/')), bytes: bytes.clone() });
    }
    for img in doc.images() {
        if let Ok(bytes) = std::fs::read(project.root.join(img)) {
            out.push(Output { path: dir.join(img), bytes });
        }
    }
    out
}

/// `cover_chart:` in the front matter is a chart spec (caption = its title),
/// drawn small for the cover's side column.
fn cover_chart(source: &ReportSource, data: &DataSet, drawn: &crate::chart::DrawnCache, lang: crate::doc::Lang, touched: &crate::template::Touched) -> Result<Option<crate::doc::CoverChart>> {
    let Some(value) = source.front.get("cover_chart") else { return Ok(None) };
    let at = |d: Diagnostic| {
        let key = source.text.find("cover_chart:").unwrap_or(0);
        d.at(crate::core::diag::Location::new(source.path.clone(), source.text.clone(), key..key + "cover_chart".len()))
    };
    let mut spec: crate::chart::ChartSpec = serde_json::from_value(value.clone())
        .map_err(|e| at(Diagnostic::error(format!("invalid cover_chart: {e}"))))?;
    spec.width.get_or_insert(300.0);
    spec.height.get_or_insert(210.0);
    spec.lang.get_or_insert(lang);
    if let Some(stem) = &spec.data {
        touched.lock().expect("touched lock").insert(stem.clone());
    }
    let rows = crate::chart::rows_for_report(&spec, data, &source.front).map_err(|d| if d.location.is_none() { at(d) } else { d })?;
    let chart = crate::chart::render_cached(&spec, &rows, drawn).map_err(|d| if d.location.is_none() { at(d) } else { d })?;
    Ok(Some(crate::doc::CoverChart { title: Some(spec.caption.clone()), source: spec.source.clone(), chart }))
}

fn front_location(source: &ReportSource) -> crate::core::diag::Location {
    let end = source.text.find("\n---").map_or(3, |i| i + 1);
    crate::core::diag::Location::new(source.path.clone(), source.text.clone(), 0..end.min(source.text.len()))
}

fn typst_input(source: &ReportSource, doc: &Document, templates: &Templates, map: &SourceMap) -> Result<crate::pdf::world::TypstInput> {
    let template = templates.get("research.typ")?;
    let mut meta = crate::model::meta::template_meta(doc);
    // The document date comes from the front matter, else SOURCE_DATE_EPOCH;
    // never from the clock, so builds are reproducible.
    // The cover prints the report's own date only, never the build's.
    let front_date = doc.meta.date.as_deref().and_then(crate::core::dates::civil);
    let date_parts = front_date.or_else(source_date_epoch);
    let as_json = |parts: Option<(i32, u8, u8)>| serde_json::json!(parts.map(|(y, m, d)| [y as i64, m as i64, d as i64]));
    meta["date_parts"] = as_json(date_parts);
    meta["front_date_parts"] = as_json(front_date);
    let generated = crate::pdf::markup::main_source(doc, template.text.contains("#let folio-chart("));
    let places = generated.places.into_iter().map(|p| (p.file, p.range, map.rendered_line(p.line))).collect();
    Ok(crate::pdf::world::TypstInput {
        main: generated.main,
        files: generated.files,
        places,
        template: template.text.to_string(),
        template_path: template.path.clone(),
        meta_json: serde_json::to_string_pretty(&meta).expect("JSON values serialize"),
        today: date_parts,
        shown_main: PathBuf::from(format!("<generated>/{}.typ", source.name)),
    })
}

/// SOURCE_DATE_EPOCH (seconds since 1970) as a civil date, UTC.
fn source_date_epoch() -> Option<(i32, u8, u8)> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    let (y, m, d) = crate::core::dates::civil_from_days(secs.div_euclid(86_400) as f64);
    let (y, m, d) = (y as i32, m as u8, d as u8);
    Some((y, m, d))
}

/// Every character no font covers becomes a warning naming where it occurs.
fn check_glyphs(doc: &Document, map: &SourceMap, fonts: &mut Fonts, ignore_system: bool) -> Vec<Diagnostic> {
    let front_text = serde_json::to_string(&doc.meta.front).unwrap_or_default();
    let text = || map.rendered.chars().chain(front_text.chars());
    let mut missing = fonts.uncovered(text());
    if !missing.is_empty() && !ignore_system {
        fonts.add_system();
        missing = fonts.uncovered(text());
    }
    if missing.is_empty() {
        return vec![];
    }
    let list: String = missing.iter().map(|c| format!("{c} (U+{:04X})", *c as u32)).collect::<Vec<_>>().join(", ");
    let mut d = Diagnostic::warning(format!("no font covers {} character(s): {list}", missing.len()));
    let first = missing[0].to_string();
    if let Some(loc) = map.locate(&first, 0) {
        d = d.at(loc);
    }
    // Where each of the others occurs first, so none is silent tofu.
    for c in missing.iter().skip(1).take(20) {
        if let Some(loc) = map.locate(&c.to_string(), 0) {
            d = d.hint(format!("{c} (U+{:04X}) first at {}", *c as u32, loc.describe()));
        }
    }
    vec![d.hint("add a font that has these characters to the project's fonts/ folder")]
}

/// Pages of PDF summed; none while no report had a PDF.
fn add_pages(sum: Option<usize>, pages: Option<usize>) -> Option<usize> {
    match (sum, pages) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

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
                s.push_str(&format!(" ({p} pages)"));
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
