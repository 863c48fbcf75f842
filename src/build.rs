//! `folio build` / `folio check`: runs every stage for every report of a
//! project, and writes outputs only when all of them succeeded.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::data::DataSet;
use crate::diag::{display_path, Diagnostic, Failure, Result, Severity, Warnings};
use crate::fonts::Fonts;
use crate::model::Document;
use crate::project::{Project, ReportSource};
use crate::sourcemap::SourceMap;
use crate::templates::Templates;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Pdf,
    Html,
    All,
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
}

/// One output file produced by a build.
#[derive(Debug, Clone)]
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct BuildReport {
    pub outputs: Vec<Output>,
    /// (report path, page count) for each report built to PDF.
    pub reports: Vec<(PathBuf, Option<usize>)>,
    pub warnings: Warnings,
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

pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let project = Project::open(&opts.dir)?;
    let out_dir = opts.out.clone().unwrap_or_else(|| project.root.join("output"));
    let data = Arc::new(DataSet::discover(&project.content_dir.join("data"))?);
    let templates = Templates::new(&project.templates_dir);
    let mut fonts = Fonts::new(&project.fonts_dir);
    let mut report = BuildReport::default();
    let mut errors: Vec<Diagnostic> = Vec::new();

    for source in &project.reports {
        match build_one(&project, source, &data, &templates, &mut fonts, opts, &out_dir) {
            Ok((outputs, pages, warnings)) => {
                report.outputs.extend(outputs);
                report.reports.push((source.path.clone(), pages));
                report.warnings.0.extend(warnings);
            }
            Err(Failure(diags)) => {
                for d in diags {
                    match d.severity {
                        Severity::Error => errors.push(d),
                        Severity::Warning => report.warnings.push(d),
                    }
                }
            }
        }
    }
    if opts.strict && errors.is_empty() && !report.warnings.0.is_empty() {
        let n = report.warnings.0.len();
        errors.push(Diagnostic::error(format!("{n} warning(s) with --strict")).hint("fix the warnings above, or build without --strict"));
    }
    if !errors.is_empty() {
        let mut all = report.warnings.0;
        all.extend(errors);
        return Err(Failure(all));
    }
    if !opts.dry_run {
        crate::output::clean_stale(&out_dir);
        for o in &report.outputs {
            crate::output::write_atomic(&o.path, &o.bytes).map_err(|d| {
                let mut all = report.warnings.0.clone();
                all.push(d);
                Failure(all)
            })?;
        }
    }
    Ok(report)
}

type Built = (Vec<Output>, Option<usize>, Vec<Diagnostic>);

fn build_one(
    project: &Project,
    source: &ReportSource,
    data: &Arc<DataSet>,
    templates: &Templates,
    fonts: &mut Fonts,
    opts: &BuildOptions,
    out_dir: &Path,
) -> Result<Built> {
    let mut warnings = Vec::new();
    let mut source = source.clone();
    source.front = crate::render::render_front(&source.front, data.clone(), &source.path, &source.text, crate::render::DEFAULT_FUEL)?;
    // After templating: --set values are printed literally, never evaluated.
    source.apply_overrides(&opts.sets);
    let source = &source;
    let meta = crate::resolve::meta_from_front(&source.front, &source.name)
        .map_err(|e| Diagnostic::error(e).at(front_location(source)))?;
    let rendered = crate::render::render(crate::render::RenderInput {
        project_root: &project.root,
        content_dir: &project.content_dir,
        report_path: &source.path,
        report_text: source.text.clone(),
        body: &source.body,
        front: &source.front,
        data: data.clone(),
        fuel: crate::render::DEFAULT_FUEL,
    })?;
    let map = SourceMap { sources: rendered.sources.clone(), rendered: rendered.markdown.as_str().into() };
    let base_dir = source.path.parent().unwrap_or(&project.content_dir).to_path_buf();
    let cx = crate::markdown::Context { data, project_root: &project.root, base_dir: &base_dir, raw_html: project.config.raw_html, map: &map };
    let parsed = crate::markdown::parse(&rendered.markdown, &cx);
    let mut doc = crate::resolve::resolve(parsed, meta, &map).map_err(Failure)?;
    doc.cover_chart = cover_chart(source, data)?;

    let mut outputs = Vec::new();
    let mut pages = None;
    if matches!(opts.format, Format::Html | Format::All) {
        let html = crate::html::render(&doc, &project.root, templates)?;
        outputs.push(Output { path: out_dir.join(format!("{}.html", source.name)), bytes: html.into_bytes() });
    }
    if matches!(opts.format, Format::Pdf | Format::All) {
        warnings.extend(check_glyphs(&doc, &map, fonts, opts.ignore_system_fonts));
        let compiled = compile_pdf(project, source, &doc, templates, fonts)?;
        warnings.extend(compiled.warnings);
        pages = Some(compiled.pages);
        outputs.push(Output { path: out_dir.join(format!("{}.pdf", source.name)), bytes: compiled.pdf });
    }
    Ok((outputs, pages, warnings))
}

/// `cover_chart:` in the front matter is a chart spec (caption = its title),
/// drawn small for the cover's side column.
fn cover_chart(source: &ReportSource, data: &DataSet) -> Result<Option<crate::model::CoverChart>> {
    let Some(value) = source.front.get("cover_chart") else { return Ok(None) };
    let at = |d: Diagnostic| {
        let key = source.text.find("cover_chart:").unwrap_or(0);
        d.at(crate::diag::Location::new(source.path.clone(), source.text.clone(), key..key + "cover_chart".len()))
    };
    let mut spec: crate::chart::ChartSpec = serde_json::from_value(value.clone())
        .map_err(|e| at(Diagnostic::error(format!("invalid cover_chart: {e}"))))?;
    spec.width.get_or_insert(300.0);
    spec.height.get_or_insert(210.0);
    let rows = crate::chart::rows_for(&spec, data).map_err(|d| if d.location.is_none() { at(d) } else { d })?;
    let chart = crate::chart::render(&spec, &rows).map_err(|d| if d.location.is_none() { at(d) } else { d })?;
    Ok(Some(crate::model::CoverChart { title: Some(spec.caption.clone()), source: spec.source.clone(), chart }))
}

fn front_location(source: &ReportSource) -> crate::diag::Location {
    let end = source.text.find("\n---").map_or(3, |i| i + 1);
    crate::diag::Location::new(source.path.clone(), source.text.clone(), 0..end.min(source.text.len()))
}

fn compile_pdf(
    project: &Project,
    source: &ReportSource,
    doc: &Document,
    templates: &Templates,
    fonts: &Fonts,
) -> Result<crate::pdf::Compiled> {
    let template = templates.get("research.typ")?;
    let mut meta = crate::typst_markup::meta_json(doc);
    let date_parts = doc.meta.date.as_deref().and_then(date_parts);
    meta["date_parts"] = serde_json::json!(date_parts.map(|(y, m, d)| [y as i64, m as i64, d as i64]));
    let (main, files) = crate::typst_markup::main_source(doc);
    let input = crate::pdf::TypstInput {
        main,
        files,
        template: template.text.to_string(),
        template_path: template.path.clone(),
        meta_json: serde_json::to_string(&meta).expect("JSON values serialize"),
        today: date_parts,
        shown_main: PathBuf::from(format!("<generated>/{}.typ", source.name)),
    };
    // Fonts are shared read-only by every report's world.
    let world = crate::pdf::FolioWorld::new(&project.root, fonts.store.clone(), input);
    crate::pdf::compile(&world, &source.name).map_err(Failure)
}

/// `2023-05-04` → (2023, 5, 4).
pub fn date_parts(s: &str) -> Option<(i32, u8, u8)> {
    let mut it = s.trim().split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    if it.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
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
    vec![d.hint("add a font that has these characters to the project's fonts/ folder")]
}

pub fn describe(report: &BuildReport) -> String {
    let mut s = String::new();
    for (path, pages) in &report.reports {
        s.push_str(&format!("built {}", display_path(path)));
        if let Some(p) = pages {
            s.push_str(&format!(" ({p} pages)"));
        }
        s.push('\n');
    }
    for o in &report.outputs {
        s.push_str(&format!("  wrote {}\n", display_path(&o.path)));
    }
    s
}
