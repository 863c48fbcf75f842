//! After every report was built: the outcomes in report order, the errors
//! of data no report read (`check`), what was read, the site, and the
//! outputs of reports gone from the project.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::build::plan::{Opened, Plan};
use crate::build::report::describe_source;
use crate::build::run::Worked;
use crate::build::{assets, manifest, merge, output, search, site};
use crate::build::{BuildOptions, BuildReport, Output, ReportInfo};
use crate::core::diag::{merge_repeated, Diagnostic, Failure, Result, Severity};

/// Completes `report` from what the workers kept; the build's error when a
/// report failed (the others were written all the same).
pub(crate) fn finish(opened: &Opened, plan: Plan<'_>, all: Worked, opts: &BuildOptions, report: &mut BuildReport) -> Result<()> {
    let mut errors: Vec<Diagnostic> = Vec::new();
    let failed = outcomes(all, &plan, report, &mut errors);
    if opts.dry_run {
        errors.extend(unread_data_errors(opened));
    }
    record_reads(opened, report);
    report.warnings.0 = merge_repeated(std::mem::take(&mut report.warnings.0));
    if opts.strict && !report.warnings.0.is_empty() {
        let n = report.warnings.0.len();
        errors.push(Diagnostic::error(format!("{n} warning(s) with --strict")).hint("fix the warnings above, or build without --strict"));
    }
    if !errors.is_empty() {
        return Err(failure(report, errors, &failed, plan.selected.len(), opts));
    }
    let (files, prune) = build_files(opened, &plan, opts, report)?;
    if !opts.dry_run {
        write_build_files(&opened.out_dir, files, prune, &plan, report)?;
        if plan.whole {
            remove_gone(&opened.out_dir, plan.gone);
        }
    }
    Ok(())
}

/// Each report is its own unit: one that fails (or, with --strict, warns)
/// keeps the others from nothing. Returns the reports that failed.
fn outcomes(mut all: Worked, plan: &Plan<'_>, report: &mut BuildReport, errors: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut failed: Vec<String> = Vec::new();
    all.outcomes.sort_by_key(|(k, ..)| *k);
    for (k, warnings, failure) in all.outcomes {
        report.warnings.0.extend(warnings);
        let Some(diags) = failure else { continue };
        failed.push(describe_source(plan.selected[plan.todo[k].0]));
        for d in diags {
            match d.severity {
                Severity::Error => errors.push(d),
                Severity::Warning | Severity::Note => report.warnings.push(d),
            }
        }
    }
    all.files.sort_by_key(|(k, _)| *k);
    report.outputs.extend(all.files.into_iter().map(|(_, path)| Output { path, bytes: Vec::new() }));
    report.reports = std::mem::take(&mut *plan.infos.lock().expect("infos lock")).into_iter().flatten().collect();
    failed
}

/// `check` parses every data file, also those no report reads yet. A file a
/// report read has had its error said by that report; the others are said
/// here, each once, whatever their messages.
fn unread_data_errors(opened: &Opened) -> Vec<Diagnostic> {
    let data = &opened.data;
    let read: HashSet<PathBuf> = data.reads.get().files.into_iter().collect();
    let mut errors = Vec::new();
    for stem in data.stems().map(str::to_string).collect::<Vec<_>>() {
        if data.path(&stem).is_some_and(|p| read.contains(&p)) {
            continue;
        }
        if let Some(Err(d)) = data.get(&stem) {
            errors.push(d);
        }
    }
    errors
}

/// What the build read, for `watch`, and the data's own stage timing.
fn record_reads(opened: &Opened, report: &mut BuildReport) {
    let data = &opened.data;
    report.inputs.extend(data.reads.get().files);
    report.warnings.0.extend(data.superuser.lock().expect("data lock").take());
    report.warnings.0.extend(std::mem::take(&mut *data.notes.lock().expect("data lock")));
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
}

/// The build's error: every warning and error, and which reports were
/// written all the same.
fn failure(report: &mut BuildReport, errors: Vec<Diagnostic>, failed: &[String], total: usize, opts: &BuildOptions) -> Failure {
    let mut all = std::mem::take(&mut report.warnings.0);
    all.extend(merge_repeated(errors));
    // The reports that built were written all the same, each atomically.
    if !opts.dry_run && (!report.outputs.is_empty() || report.unlisted > 0) {
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
    Failure(all)
}

/// The files written once per build: the site's index, search and assets,
/// and each backend's (the math font beside the HTML). Also, when a whole
/// site was written, whether it keeps the math font and which CJK faces.
fn build_files(opened: &Opened, plan: &Plan<'_>, opts: &BuildOptions, report: &BuildReport) -> Result<(Vec<Output>, Option<(bool, Vec<&'static str>)>)> {
    let mut files = Vec::new();
    let mut prune_math = None;
    // A shard may own none of a small family's reports: its folder is
    // still one the merge takes (an empty manifest/). A shard writes no
    // index: the merge does.
    if opts.site && opts.shard.is_none() {
        site::error_if_empty(report)?;
        let listed = site_reports(opened, plan, opts, report);
        let site_dir = opened.out_dir.join("site");
        let config = &opened.project.config.site;
        let has_pdf = listed.iter().any(|r| r.pages.is_some());
        files = site::index_outputs(&listed, has_pdf, config, &opened.templates, &opened.project.root, &site_dir)?;
        // The pages are on disk already (see `record`): index them.
        files.extend(search::search_outputs(&site_dir, &listed)?);
        let math = listed.iter().any(|r| r.math);
        files.extend(assets::math_font(&site_dir.join("assets")).filter(|_| math));
        let (fonts, faces) = crate::build::webfonts::for_pages(&site_dir, &files, &site_dir.join("assets"))?;
        files.extend(fonts);
        prune_math = Some((math, faces));
        if opts.publish_changes && opts.lineage {
            files.extend(crate::build::diff::site_change_pages(&opened.out_dir)?);
        }
    }
    for backend in crate::build::backend::for_format(opts.format) {
        files.extend(backend.build_files(&report.reports, &opened.out_dir)?);
    }
    Ok((files, prune_math))
}

/// The reports the site's index lists: every one the output folder holds,
/// with --only also those built before.
fn site_reports(opened: &Opened, plan: &Plan<'_>, opts: &BuildOptions, report: &BuildReport) -> Vec<ReportInfo> {
    let listed: Vec<ReportInfo> = report.reports.clone();
    if opts.only.is_empty() {
        return listed;
    }
    let built: HashSet<&str> = report.reports.iter().map(|r| r.name.as_str()).collect();
    let records = &plan.records;
    let mut others: Vec<manifest::Entry> = records.names().iter().filter(|n| !built.contains(n.as_str()) && plan.names.contains(n.as_str())).filter_map(|n| records.get(n).trusted()).collect();
    others.sort_by_key(|e| e.order());
    merge::in_build_order(&opened.project.root, listed, others.iter().collect())
}

/// Writes the build's own files; stylesheets, logos and the math font of
/// earlier builds go.
fn write_build_files(out_dir: &Path, files: Vec<Output>, prune_math: Option<(bool, Vec<&'static str>)>, plan: &Plan<'_>, report: &mut BuildReport) -> Result<()> {
    let start = std::time::Instant::now();
    output::write_outputs(out_dir, &files).map_err(|d| {
        let mut all = report.warnings.0.clone();
        all.push(d);
        Failure(all)
    })?;
    if let Some((math, faces)) = prune_math {
        assets::prune(&out_dir.join("site"), &files, math, &faces);
    }
    // A family's site (a page and a search fragment a member) is counted
    // like its reports' files.
    if plan.list_files {
        report.outputs.extend(files);
    } else {
        report.unlisted += files.len();
    }
    report.timings.add("write", start.elapsed());
    Ok(())
}

/// Members whose row is gone, and reports whose file is gone: their outputs
/// go too. Only records this folio sealed, and only files that are that
/// report's outputs (see `manifest::Got`), reached through no link.
fn remove_gone(out_dir: &Path, gone: Vec<manifest::Entry>) {
    for e in gone {
        let record = manifest::record_path(out_dir, &e.name);
        for path in e.outputs.keys().map(|o| out_dir.join(o)).chain([record]) {
            if crate::core::paths::no_link_below(out_dir, path.parent().unwrap_or(out_dir)).is_ok() {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}
