//! Before any report is built: the project and what every report shares
//! (data, templates, fonts), the reports `--only` and `--shard` select, and
//! which of them the manifest says are up to date.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::build::{manifest, BuildOptions, BuildReport, Fonts, ReportInfo, Session, LISTED_REPORTS};
use crate::core::diag::{display_path, Diagnostic, Failure, Result};
use crate::input::data::DataSet;
use crate::input::project::{Project, ReportSource};
use crate::input::template_files::Templates;

/// What the build read before building any report.
pub(crate) struct Opened {
    pub project: Project,
    pub out_dir: PathBuf,
    pub data: Arc<DataSet>,
    pub templates: Templates,
    /// Every report of the project, a family's members one by one.
    pub all: Vec<ReportSource>,
    /// The project's font files: a change there rebuilds every report.
    pub fonts_read: Vec<PathBuf>,
}

/// Opens the project and what its reports share.
pub(crate) fn open(opts: &BuildOptions, session: &Session, report: &mut BuildReport) -> Result<Opened> {
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
    let data = Arc::new(data.with_ranges(project.config.workbooks.clone()).with_numbers(project.config.numbers.clone()).with_database(database));
    let templates = Templates::for_project(&project);
    report.inputs.push(project.root.join("folio.toml"));
    report.inputs.extend(templates.overrides());
    // Families become one report per row.
    let all = report.timings.time("project", || crate::template::family::expand(&project.reports, &data)).map_err(Failure)?;
    let fonts_read = crate::core::paths::regular_files(&project.fonts_dir);
    Ok(Opened { project, out_dir, data, templates, all, fonts_read })
}

/// The fonts the build's reports are set in. A project font file an
/// earlier build hashed as a font folio ships, unchanged since (its stamp,
/// see `manifest::Hashes`), is not read again.
pub(crate) fn fonts(opened: &Opened, plan: &Plan<'_>, session: &Session) -> Fonts {
    Fonts::cached(&opened.project.fonts_dir, &session.fonts, &|path| plan.hashes.unchanged(path))
}

/// Which reports this build builds, and what it keeps of each.
pub(crate) struct Plan<'a> {
    /// The reports `--only` and `--shard` pick, in project order.
    pub selected: Vec<&'a ReportSource>,
    /// Neither `--only` nor `--shard`: the build owns the whole folder.
    pub whole: bool,
    /// The reports to build: their place in `selected` and manifest key.
    pub todo: Vec<(usize, String)>,
    pub hashes: manifest::Hashes,
    pub records: manifest::Records,
    /// What a rebuilt report's last site build wrote (see `record`).
    pub old_site: HashMap<String, Vec<String>>,
    /// The records of reports gone from the project: their outputs go once
    /// the build is written.
    pub gone: Vec<manifest::Entry>,
    /// Every report name of the project.
    pub names: HashSet<&'a str>,
    /// Each report's entry in the build's report, in report order: one slot
    /// each from the start, so that entries are never copied into a bigger
    /// list while they are all held. A family built without a site keeps
    /// none (see `BuildReport::reports`).
    pub infos: Mutex<Vec<Option<ReportInfo>>>,
    /// Up to [`LISTED_REPORTS`] reports to build: the build's report lists
    /// each file written.
    pub list_files: bool,
    /// Built reports get an entry in the build's report.
    pub keep_built: bool,
}

/// Selects the reports and sorts them into up to date and to build.
pub(crate) fn plan<'a>(opened: &'a Opened, opts: &BuildOptions, report: &mut BuildReport) -> Result<Plan<'a>> {
    let selected = select(&opened.all, opts)?;
    check_sets(opts, &selected)?;
    let records = if opts.dry_run { manifest::Records::none() } else { manifest::Records::open(&opened.out_dir) };
    let keep_skipped = opts.site || selected.len() <= LISTED_REPORTS;
    let mut plan = Plan {
        whole: opts.only.is_empty() && opts.shard.is_none(),
        todo: Vec::with_capacity(selected.len()),
        hashes: if opts.dry_run { manifest::Hashes::new(&opened.project.root) } else { manifest::Hashes::kept(&opened.project.root) },
        records,
        old_site: HashMap::new(),
        gone: Vec::new(),
        names: opened.all.iter().map(|r| r.name.as_str()).collect(),
        infos: Mutex::new(vec![None; if keep_skipped { selected.len() } else { 0 }]),
        list_files: false,
        keep_built: false,
        selected,
    };
    // Records that do not fit their report: ignored, and said once.
    let mut unfit = sort_by_manifest(&mut plan, opened, opts, keep_skipped, report);
    if plan.whole && !opts.dry_run {
        unfit.extend(gone_reports(&mut plan));
    }
    if let Some(first) = unfit.first() {
        let more = if unfit.len() > 1 { format!(" (and {} more)", unfit.len() - 1) } else { String::new() };
        report.warnings.push(
            Diagnostic::warning(format!("ignored a manifest record that does not fit its report: {first}{more}"))
                .hint("such a record is used for nothing: its report is built again and nothing it names is deleted; a record names only its own report's outputs"),
        );
    }
    plan.list_files = plan.todo.len() <= LISTED_REPORTS;
    plan.keep_built = opts.site || plan.list_files;
    if plan.keep_built && !keep_skipped {
        plan.infos.lock().expect("infos lock").resize(plan.selected.len(), None);
    }
    Ok(plan)
}

/// Fills `plan.todo` with the reports whose manifest record no longer
/// holds; returns why records were unfit.
fn sort_by_manifest(plan: &mut Plan<'_>, opened: &Opened, opts: &BuildOptions, keep_skipped: bool, report: &mut BuildReport) -> Vec<String> {
    let (project, data) = (&opened.project, &opened.data);
    let holds = shared_inputs(opened);
    // A site page's bar names the site, from the first report's front
    // matter: a page is built again when that changes.
    let site_name = if opts.site { crate::build::site::site_name(&project.config.site, opened.all.iter().take(1).map(|r| &*r.front)) } else { String::new() };
    let mut unfit = Vec::new();
    for (i, source) in plan.selected.iter().enumerate() {
        // A member's key holds its row: editing the row rebuilds it alone.
        let key = manifest::build_key(opts, &project.config, &holds, &crate::template::family::with_row(source, data), &site_name);
        // Records are read one at a time and only what the build needs of
        // each is kept: a family's would otherwise stay to the end. A forced
        // build needs none, unless it writes a site (see `old_site`).
        let got = if !opts.force || opts.site { plan.records.get(&source.name) } else { manifest::Got::Missing };
        if let manifest::Got::Unfit(why) = &got {
            unfit.push(why.clone());
        }
        match got.trusted() {
            Some(mut e) if !opts.force && manifest::still_valid(&e, &key, &project.root, &opened.out_dir, &plan.hashes, data) => {
                // Their front matter is for the site's index only.
                if !opts.site {
                    e.front = Default::default();
                }
                if keep_skipped {
                    plan.infos.lock().expect("infos lock")[i] = Some(e.info(&project.root));
                }
                report.skipped += 1;
            }
            old => {
                if let Some(e) = old.filter(|_| opts.site) {
                    plan.old_site.insert(e.name, e.outputs.into_keys().filter(|o| o.starts_with("site/")).collect());
                }
                plan.todo.push((i, key));
            }
        }
    }
    unfit
}

/// What every report's manifest key holds besides its own: the template
/// overrides, the font files, the data sets and the database.
fn shared_inputs(opened: &Opened) -> String {
    let rel = |p: &PathBuf| manifest::relative(&opened.project.root, p);
    let overrides: Vec<String> = opened.templates.overrides().iter().map(rel).collect();
    let fonts: Vec<String> = opened.fonts_read.iter().map(rel).collect();
    let stems: Vec<&str> = opened.data.stems().collect();
    let database = opened.data.database().map(|d| d.describe());
    format!("{overrides:?}{fonts:?}{stems:?}{database:?}")
}

/// Fills `plan.gone` with the trusted records of reports the project no
/// longer has; returns why others were unfit.
fn gone_reports(plan: &mut Plan<'_>) -> Vec<String> {
    let mut unfit = Vec::new();
    for name in plan.records.names().iter().filter(|n| !plan.names.contains(n.as_str())) {
        match plan.records.get(name) {
            manifest::Got::Trusted(e) => plan.gone.push(e),
            manifest::Got::Unfit(why) => unfit.push(why),
            manifest::Got::Foreign(_) | manifest::Got::Missing => {}
        }
    }
    unfit
}

/// A `--set` key is one a report's front matter has or folio reads: a typo
/// (`--set titel=…`) would otherwise change nothing, silently.
fn check_sets(opts: &BuildOptions, selected: &[&ReportSource]) -> Result<()> {
    let mut known: std::collections::BTreeSet<String> = crate::input::project::FRONT_KEYS.iter().map(|k| k.to_string()).collect();
    for source in selected {
        crate::input::project::front_paths(&source.front, "", &mut known);
    }
    for (key, value) in &opts.sets {
        if known.contains(key) {
            continue;
        }
        let shown = match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut d = Diagnostic::error(format!("--set {key}={shown}: no report's front matter has `{key}`, and folio reads no such key"));
        if let Some(near) = crate::core::text::closest(key, known.iter().map(String::as_str)) {
            d = d.hint(format!("did you mean `{near}`?"));
        }
        return Err(d.hint(format!("to set a key of your own, write it in the report's front matter first (e.g. `{key}: …`); --set then changes it")).into());
    }
    Ok(())
}

/// The reports `--only` and `--shard` select, in project order.
fn select<'a>(all: &'a [ReportSource], opts: &BuildOptions) -> Result<Vec<&'a ReportSource>> {
    for name in &opts.only {
        if !all.iter().any(|r| &r.name == name) {
            let mut d = Diagnostic::error(format!("--only {name}: the project has no report named `{name}`"));
            // A misspelling, or part of a name (`IBM` for `note-ibm`).
            let lower = name.to_lowercase();
            let holding: Vec<&str> = all.iter().map(|r| r.name.as_str()).filter(|n| !lower.is_empty() && n.to_lowercase().contains(&lower)).collect();
            if let Some(near) = crate::core::text::closest(name, all.iter().map(|r| r.name.as_str())) {
                d = d.hint(format!("did you mean `{near}`?"));
            } else if let [one] = holding[..] {
                d = d.hint(format!("did you mean `{one}`?"));
            } else if !holding.is_empty() {
                let shown: Vec<String> = holding.iter().take(5).map(|n| format!("`{n}`")).collect();
                d = d.hint(format!("reports whose names hold `{name}`: {}{}", shown.join(", "), if holding.len() > 5 { ", …" } else { "" }));
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
