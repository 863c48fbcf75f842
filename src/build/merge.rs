//! `folio site --from DIR…`: one output folder and site from the folders
//! that shard builds wrote, without building any report again. Each shard's
//! manifest records say which files belong to which report; the merge copies
//! them and writes the site index over all of them.
//!
//! A shard folder is untrusted input like a project: only records that fit
//! their report are used, only the files a report of that name writes are
//! copied, each read from inside the shard through no link and under a cap,
//! and written only under the output folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::build::manifest::{self, Entry};
use crate::build::{Output, ReportInfo};
use crate::core::diag::{display_path, Diagnostic, Result};
use crate::input::project::Project;
use crate::input::template_files::Templates;

/// Built reports and recorded ones in one list, in build order (source
/// file, then row).
pub fn in_build_order(root: &Path, built: Vec<ReportInfo>, recorded: Vec<&Entry>) -> Vec<ReportInfo> {
    let mut all: Vec<((String, usize), ReportInfo)> = built.into_iter().map(|r| ((manifest::relative(root, &r.path), r.row.unwrap_or(0)), r)).collect();
    all.extend(recorded.into_iter().map(|e| (e.order(), e.info(root))));
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all.into_iter().map(|(_, r)| r).collect()
}

/// What a merge wrote.
pub struct Merged {
    pub reports: usize,
    pub outputs: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
}

/// Every report of the project must be in one of the folders: a shard whose
/// build failed, or a folder left out of `--from`, would otherwise make a
/// site that silently lacks reports. Records of reports the project no
/// longer has (an older build's, left in a shard's folder) are left out.
fn account_for_every_report(project: &Project, folders: usize, shards: &[crate::build::shard::Shard], entries: &mut BTreeMap<String, (PathBuf, Entry)>, warnings: &mut Vec<Diagnostic>) -> Result<()> {
    let data = crate::input::data::DataSet::discover(&project.content_dir.join("data"), &project.config.limits)?;
    let all = crate::template::family::expand(&project.reports, &data).map_err(crate::core::diag::Failure)?;
    let names: std::collections::HashSet<&str> = all.iter().map(|r| r.name.as_str()).collect();
    let missing: Vec<&str> = all.iter().map(|r| r.name.as_str()).filter(|n| !entries.contains_key(*n)).collect();
    if let Some(first) = missing.first() {
        // Which shards they belong to: the folders say how many shards the
        // run had (their marker files), else each folder is taken for one.
        let count = shards.iter().map(|s| s.count).max().unwrap_or(folders as u64);
        let mut owners: Vec<u64> = missing.iter().map(|n| crate::build::shard::index_of(n, count)).collect();
        owners.sort();
        owners.dedup();
        let shown: Vec<String> = owners.iter().map(|i| format!("{i}/{count}")).collect();
        let shown = shown.join(", ");
        let absent = |i: &u64| !shards.iter().any(|s| s.index == *i);
        let hint = if shards.is_empty() {
            format!("a shard's build failed or its folder was not named (if each folder is one of {count} shards, they belong to shard {shown})")
        } else if owners.iter().all(absent) {
            format!("they belong to shard {shown}, and no folder named is that shard: build it (or name its folder) and merge again")
        } else {
            format!("they belong to shard {shown}, whose build failed for them: fix its errors, build it again and merge")
        };
        return Err(Diagnostic::error(format!(
            "{} of the project's {} reports are in none of the folders (`{first}`{})",
            missing.len(),
            all.len(),
            if missing.len() > 1 { " and others" } else { "" }
        ))
        .hint(hint)
        .into());
    }
    let stale: Vec<String> = entries.keys().filter(|n| !names.contains(n.as_str())).cloned().collect();
    if let Some(first) = stale.first() {
        warnings.push(Diagnostic::warning(format!("left out {} report(s) the project no longer has (`{first}`), recorded in the folders by an earlier build", stale.len())));
        for n in &stale {
            entries.remove(n);
        }
    }
    Ok(())
}

pub fn merge_site(project_dir: &Path, from: &[PathBuf], out: Option<&Path>, progress: Option<&crate::build::progress::Progress>) -> Result<Merged> {
    let project = Project::open(project_dir)?;
    let out_dir = out.map(Path::to_path_buf).unwrap_or_else(|| project.root.join("output"));
    let mut entries: BTreeMap<String, (PathBuf, Entry)> = BTreeMap::new();
    let mut shards = Vec::new();
    for dir in from {
        if !dir.join(manifest::DIR).is_dir() {
            return Err(Diagnostic::error(format!("{} has no manifest/ folder", display_path(dir)))
                .hint("name the output folders of `folio build --site --shard I/N --out DIR`")
                .into());
        }
        // Which shard the folder says it is (a hint for messages only).
        let marker = dir.join(crate::build::shard::MARKER);
        if let Some(shard) = crate::core::paths::read_regular(dir, &marker, 64).ok().and_then(|b| crate::build::shard::Shard::parse(String::from_utf8_lossy(&b).trim()).ok()) {
            shards.push(shard);
        }
        let (fitting, unfit) = manifest::load(dir);
        if let Some(why) = unfit.first() {
            return Err(Diagnostic::error(format!("{} holds a manifest record folio cannot use: {why}", display_path(dir)))
                .hint("merge only folders that `folio build --site --shard I/N --out DIR` wrote, unchanged")
                .into());
        }
        for (name, e) in fitting {
            if let Some((other, _)) = entries.get(&name) {
                return Err(Diagnostic::error(format!("report `{name}` is in both {} and {}", display_path(other), display_path(dir)))
                    .hint("each report belongs to one shard; merge the folders of one run")
                    .into());
            }
            entries.insert(name, (dir.clone(), e));
        }
    }
    if entries.is_empty() {
        return Err(Diagnostic::error("the folders hold no reports").hint("build them with `folio build --site --shard I/N --out DIR` first").into());
    }
    let mut warnings = Vec::new();
    account_for_every_report(&project, from.len(), &shards, &mut entries, &mut warnings)?;
    let mut outputs = Vec::new();
    for (k, (name, (dir, e))) in entries.iter().enumerate() {
        if let Some(p) = progress {
            (p.0)(&crate::build::progress::Event::Building { k, total: entries.len(), report: name });
        }
        if !e.outputs.keys().any(|o| o.starts_with("site/")) {
            return Err(Diagnostic::error(format!("report `{name}` in {} was built without --site", display_path(dir)))
                .hint("build every shard with `folio build --site --shard I/N`")
                .into());
        }
        for (rel, bytes) in crate::input::records::shard_copies(dir, e, &format!("{}/{name}.json", manifest::DIR))? {
            outputs.push(Output { path: out_dir.join(rel), bytes });
        }
        if let Some(p) = progress {
            (p.0)(&crate::build::progress::Event::Built { done: k + 1, total: entries.len(), report: name, warnings: 0, failed: false });
        }
    }
    let mut recorded: Vec<&Entry> = entries.values().map(|(_, e)| e).collect();
    recorded.sort_by_key(|e| e.order());
    let listed = in_build_order(&project.root, vec![], recorded);
    let has_pdf = listed.iter().any(|r| r.pages.is_some());
    let templates = Templates::for_project(&project);
    outputs.extend(crate::build::site::index_outputs(&listed, has_pdf, &project.config.site, &templates, &project.root, &out_dir.join("site"))?);
    if listed.iter().any(|r| r.math) {
        outputs.extend(crate::build::assets::math_font(&out_dir.join("site").join("assets")));
    }
    // The search index reads the pages: write them first.
    let _lock = crate::build::output::lock(&out_dir)?;
    crate::build::output::write_outputs(&out_dir, &outputs)?;
    let search = crate::build::search::search_outputs(&out_dir.join("site"), &listed)?;
    crate::build::output::write_outputs(&out_dir, &search)?;
    outputs.extend(search);
    // The merged pages' CJK faces, cut to what they all hold.
    let site_dir = out_dir.join("site");
    let (mut fonts, faces) = crate::build::webfonts::for_pages(&site_dir, &[], &site_dir.join("assets"))?;
    fonts.extend(crate::build::webfonts::for_pages(&out_dir, &[], &out_dir)?.0);
    crate::build::output::write_outputs(&out_dir, &fonts)?;
    crate::build::assets::prune(&site_dir, &outputs, listed.iter().any(|r| r.math), &faces);
    outputs.extend(fonts);
    Ok(Merged { reports: entries.len(), outputs: outputs.into_iter().map(|o| o.path).collect(), warnings })
}
