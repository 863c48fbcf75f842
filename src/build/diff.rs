//! `folio diff OLD NEW`: what a data change changed, between two output
//! folders built with `--lineage` — per report, every printed value whose
//! text changed (with its source cell and where it is in both builds),
//! every value added or removed, every sentence of prose that changed —
//! and `NEW/changes/<name>.html`, the report's page with the changes marked.
//! Both folders are read as untrusted: no link is followed, sizes are bounded.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::build::lineage::{LineageFile, ValueRecord, MAX_FILE, SCHEMA};
use crate::core::diag::{display_path, Diagnostic, Result};
use crate::core::text::escape;

/// One value of a report that differs.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueChange {
    Changed { old: ValueRecord, new: ValueRecord },
    Added(ValueRecord),
    Removed(ValueRecord),
}

/// One report's differences.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDiff {
    pub name: String,
    /// `Some(true)`: only the new build has it; `Some(false)`: only the old.
    pub only_in_new: Option<bool>,
    pub values: Vec<ValueChange>,
    /// Sentences as they were and as they are (one side empty when a
    /// sentence came or went).
    pub prose: Vec<(Vec<String>, Vec<String>)>,
}

impl ReportDiff {
    pub fn is_empty(&self) -> bool {
        self.only_in_new.is_none() && self.values.is_empty() && self.prose.is_empty()
    }
}

/// The lineage files of a build folder, by report name.
fn read_build(dir: &Path, role: &str) -> Result<BTreeMap<String, LineageFile>> {
    let lineage = dir.join("lineage");
    crate::core::paths::no_link_below(dir, &lineage).map_err(|why| why.diagnostic(&lineage))?;
    if !lineage.is_dir() {
        return Err(Diagnostic::error(format!("{role} {} was built without --lineage: it has no lineage/ folder", display_path(dir)))
            .hint(format!("build it with `folio build --lineage --out {}`", display_path(dir)))
            .into());
    }
    let mut out = BTreeMap::new();
    let mut entries: Vec<_> = std::fs::read_dir(&lineage).map_err(|e| Diagnostic::io("read", &lineage, &e))?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let is_json = path.extension().is_some_and(|x| x == "json");
        if !is_json || !e.file_type().is_ok_and(|k| k.is_file()) {
            continue;
        }
        let bytes = crate::core::paths::read_regular(dir, &path, MAX_FILE).map_err(|why| why.diagnostic(&path))?;
        let file: LineageFile = serde_json::from_slice(&bytes).map_err(|err| {
            Diagnostic::error(format!("{} is no lineage file folio wrote: {err}", display_path(&path)))
                .hint("rebuild the folder with `folio build --lineage`")
        })?;
        if file.schema != SCHEMA {
            return Err(Diagnostic::error(format!("{} is lineage of another version ({}; this folio reads {SCHEMA})", display_path(&path), file.schema))
                .hint("rebuild the folder with this folio's `folio build --lineage`")
                .into());
        }
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        out.insert(name, file);
    }
    Ok(out)
}

/// Compares the builds in `old` and `new`.
pub fn diff(old: &Path, new: &Path) -> Result<Vec<ReportDiff>> {
    let before = read_build(old, "OLD")?;
    let after = read_build(new, "NEW")?;
    let project = |b: &BTreeMap<String, LineageFile>| b.values().next().map(|f| f.project.clone());
    if let (Some(a), Some(b)) = (project(&before), project(&after)) {
        if a != b {
            return Err(Diagnostic::error(format!("{} is a build of project `{a}`, {} of project `{b}`", display_path(old), display_path(new)))
                .hint("compare two builds of the same project")
                .into());
        }
    }
    let names: Vec<&String> = after.keys().chain(before.keys().filter(|k| !after.contains_key(*k))).collect();
    Ok(names
        .into_iter()
        .map(|name| match (before.get(name), after.get(name)) {
            (Some(a), Some(b)) => compare(name, a, b),
            (None, _) => ReportDiff { name: name.clone(), only_in_new: Some(true), values: vec![], prose: vec![] },
            (_, None) => ReportDiff { name: name.clone(), only_in_new: Some(false), values: vec![], prose: vec![] },
        })
        .collect())
}

fn compare(name: &str, a: &LineageFile, b: &LineageFile) -> ReportDiff {
    let old: HashMap<&str, &ValueRecord> = a.values.iter().map(|v| (v.key.as_str(), v)).collect();
    let new: HashMap<&str, &ValueRecord> = b.values.iter().map(|v| (v.key.as_str(), v)).collect();
    let mut values = Vec::new();
    for v in &b.values {
        match old.get(v.key.as_str()) {
            Some(o) if o.text != v.text => values.push(ValueChange::Changed { old: (*o).clone(), new: v.clone() }),
            Some(_) => {}
            None => values.push(ValueChange::Added(v.clone())),
        }
    }
    values.extend(a.values.iter().filter(|v| !new.contains_key(v.key.as_str())).map(|v| ValueChange::Removed(v.clone())));
    let mut prose = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &a.prose, &b.prose) {
        let (_, old_range, new_range) = op.as_tag_tuple();
        if op.tag() != similar::DiffTag::Equal {
            prose.push((a.prose[old_range].to_vec(), b.prose[new_range].to_vec()));
        }
    }
    ReportDiff { name: name.to_string(), only_in_new: None, values, prose }
}

/// Where a value is: its template place, the HTML element, the PDF page.
fn place(v: &ValueRecord) -> String {
    // A chart's label has no template place of its own (`line` 0).
    let mut s = if v.template.line == 0 { v.template.file.clone() } else { format!("{}:{}:{}", v.template.file, v.template.line, v.template.column) };
    if let Some(id) = &v.html {
        s.push_str(&format!(", HTML #{id}"));
    }
    if let Some(p) = v.pdf_page {
        s.push_str(&format!(", PDF page {p}"));
    }
    s
}

fn sources(v: &ValueRecord) -> String {
    const SHOWN: usize = 6;
    let mut list: Vec<String> = v.sources.iter().take(SHOWN).map(|s| s.describe()).collect();
    if v.sources.len() > SHOWN {
        list.push(format!("and {} more cells", v.sources.len() - SHOWN));
    }
    if list.is_empty() {
        return "no data cell (the template's own text)".to_string();
    }
    let mut s = list.join("; ");
    if !v.through.is_empty() {
        s.push_str(&format!(" (through {})", v.through.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")));
    }
    s
}

/// `{{ expr }}` as the template wrote it; a chart's label as `[chart …]`.
fn shown_expr(v: &ValueRecord) -> String {
    if v.template.line == 0 { format!("[{}]", v.expr) } else { format!("{{{{ {} }}}}", v.expr) }
}

/// The list a person reads, one report after another.
pub fn report_text(diffs: &[ReportDiff]) -> String {
    let mut out = String::new();
    for d in diffs {
        match d.only_in_new {
            Some(true) => out.push_str(&format!("{}: added (only in the new build)\n", d.name)),
            Some(false) => out.push_str(&format!("{}: removed (only in the old build)\n", d.name)),
            None if d.is_empty() => out.push_str(&format!("{}: no change\n", d.name)),
            None => {
                let count = |f: fn(&ValueChange) -> bool| d.values.iter().filter(|c| f(c)).count();
                out.push_str(&format!(
                    "{}: {} changed, {} added, {} removed values; {} changed passages of prose\n",
                    d.name,
                    count(|c| matches!(c, ValueChange::Changed { .. })),
                    count(|c| matches!(c, ValueChange::Added(_))),
                    count(|c| matches!(c, ValueChange::Removed(_))),
                    d.prose.len()
                ));
                for c in &d.values {
                    match c {
                        ValueChange::Changed { old, new } => {
                            out.push_str(&format!("  ~ {} → {}   {}\n", old.text, new.text, shown_expr(new)));
                            out.push_str(&format!("      from {}\n      at {} (was {})\n", sources(new), place(new), place(old)));
                        }
                        ValueChange::Added(v) => out.push_str(&format!("  + {}   {}\n      from {}\n      at {}\n", v.text, shown_expr(v), sources(v), place(v))),
                        ValueChange::Removed(v) => out.push_str(&format!("  - {}   {}\n      from {}\n      was at {}\n", v.text, shown_expr(v), sources(v), place(v))),
                    }
                }
                for (was, is) in &d.prose {
                    for s in was {
                        out.push_str(&format!("  prose - {s}\n"));
                    }
                    for s in is {
                        out.push_str(&format!("  prose + {s}\n"));
                    }
                }
            }
        }
    }
    out
}

const STYLE: &str = "<style>.folio-changes{border:2px solid #b45309;background:#fffbeb;padding:1em 1.5em;margin:1em auto;max-width:60em;font:15px/1.5 var(--sans,\"Noto Sans CJK SC\",\"Noto Sans\",sans-serif)}\
.folio-changes li{margin:.3em 0}.folio-old{color:#991b1b;text-decoration:line-through;margin-right:.25em}\
.folio-changed{background:#fef08a;outline:1px solid #ca8a04}.folio-changes small{color:#57534e}</style>";

/// `changes/<name>.html` of each compared report whose HTML the new build
/// holds: the page with each changed value's old text struck through
/// beside the new one, and the list of changes at its top.
pub fn change_pages(new: &Path, diffs: &[ReportDiff]) -> Result<Vec<crate::build::Output>> {
    marked_pages(new, diffs, "the old build", &|name| new.join("changes").join(format!("{name}.html")))
}

/// Suffix of a site's published change page: `site/<name>.changes.html`
/// beside `site/<name>.html` (so its links and assets resolve alike).
pub const SITE_SUFFIX: &str = ".changes.html";

/// `folio build --site --lineage --publish-changes`: the change page of
/// each report that changed since the build before (`previous/`), beside
/// its site page; the change pages of an earlier publish go. Nothing is
/// published when no build before kept its lineage.
pub fn site_change_pages(out: &Path) -> Result<Vec<crate::build::Output>> {
    let site = out.join("site");
    remove_published(&site);
    let (old, new) = last(out);
    if !old.join("lineage").is_dir() {
        return Ok(Vec::new());
    }
    let diffs = diff(&old, &new)?;
    let changed: Vec<ReportDiff> = diffs.into_iter().filter(|d| !d.is_empty()).collect();
    marked_pages(&site, &changed, "the previous build", &|name| site.join(format!("{name}{SITE_SUFFIX}")))
}

/// Removes the regular `*.changes.html` files of `site` (no link is followed).
fn remove_published(site: &Path) {
    if !site.is_dir() || std::fs::symlink_metadata(site).is_ok_and(|m| m.file_type().is_symlink()) {
        return;
    }
    for e in std::fs::read_dir(site).into_iter().flatten().flatten() {
        let published = e.file_name().to_str().is_some_and(|n| n.ends_with(SITE_SUFFIX));
        if published && e.file_type().is_ok_and(|k| k.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Each report's page `dir/<name>.html` with its changes marked, at `to(name)`.
fn marked_pages(dir: &Path, diffs: &[ReportDiff], since: &str, to: &dyn Fn(&str) -> PathBuf) -> Result<Vec<crate::build::Output>> {
    let new = dir;
    let mut out = Vec::new();
    for d in diffs.iter().filter(|d| d.only_in_new.is_none()) {
        let page = new.join(format!("{}.html", d.name));
        if crate::core::paths::no_link_below(new, &page).is_err() || !page.is_file() {
            continue;
        }
        let bytes = crate::core::paths::read_regular(new, &page, MAX_FILE).map_err(|why| why.diagnostic(&page))?;
        let mut html = String::from_utf8_lossy(&bytes).into_owned();
        let mut list = String::new();
        for c in &d.values {
            let (label, v) = match c {
                ValueChange::Changed { old, new } => {
                    if let Some(id) = &new.html {
                        let at = format!("<span class=\"v\" id=\"{id}\"");
                        let marked = format!("<del class=\"folio-old\">{}</del><span class=\"v folio-changed\" id=\"{id}\"", escape(&old.text));
                        html = html.replacen(&at, &marked, 1);
                    }
                    (format!("<del class=\"folio-old\">{}</del> → <b>{}</b>", escape(&old.text), escape(&new.text)), new)
                }
                ValueChange::Added(v) => (format!("added <b>{}</b>", escape(&v.text)), v),
                ValueChange::Removed(v) => (format!("removed <del class=\"folio-old\">{}</del>", escape(&v.text)), v),
            };
            let link = match (&v.html, c) {
                (Some(id), ValueChange::Changed { .. } | ValueChange::Added(_)) => format!("<a href=\"#{id}\">{label}</a>"),
                _ => label,
            };
            list.push_str(&format!("<li>{link} <small>{}</small></li>", escape(&sources(v))));
        }
        for (was, is) in &d.prose {
            list.push_str(&format!("<li>prose: <del class=\"folio-old\">{}</del> → {}</li>", escape(&was.join(" ")), escape(&is.join(" "))));
        }
        let banner = format!("{STYLE}<aside class=\"folio-changes\"><h2>{} since {since}</h2><ol>{list}</ol></aside>", count(d.values.len() + d.prose.len()));
        html = match html.find("<body").and_then(|i| html[i..].find('>').map(|j| i + j + 1)) {
            Some(at) => format!("{}{banner}{}", &html[..at], &html[at..]),
            None => format!("{banner}{html}"),
        };
        out.push(crate::build::Output { path: to(&d.name), bytes: html.into_bytes() });
    }
    Ok(out)
}

fn count(n: usize) -> String {
    if n == 1 { "1 change".into() } else { format!("{n} changes") }
}

/// `folio diff --last`: the build before the last one in `out`.
pub fn last(out: &Path) -> (PathBuf, PathBuf) {
    (out.join(crate::build::lineage::PREVIOUS), out.to_path_buf())
}
