//! One report through the per-report stages, each a function of what the
//! one before made: front matter → template → Markdown → model passes
//! (charts, numbering, formulas, cover) → backends.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::build::backend::{render_all, Report};
use crate::build::lineage::ReportLineage;
use crate::build::run::Shared;
use crate::build::{formulas, Output, Timings};
use crate::core::diag::{Diagnostic, Failure, Result};
use crate::core::sourcemap::SourceMap;
use crate::doc::Document;
use crate::input::data::DataSet;
use crate::input::reads::Reads;
use crate::input::project::{Project, ReportSource};

/// What building one report produces besides success or failure.
pub(crate) struct OneCx {
    pub outputs: Vec<Output>,
    pub site_html: Vec<Output>,
    pub warnings: Vec<Diagnostic>,
    /// What the report read: its files, and the data sets its templates
    /// and charts used.
    pub reads: Reads,
    pub pages: Option<usize>,
    pub front: serde_json::Map<String, Value>,
    pub math: bool,
}

impl OneCx {
    pub fn new(source: &ReportSource) -> OneCx {
        let reads = Reads::default();
        reads.file(&source.path);
        OneCx { outputs: vec![], site_html: vec![], warnings: vec![], reads, pages: None, front: Default::default(), math: false }
    }
}

/// Every stage of one report; its outputs are left in `cx`.
pub(crate) fn build_one(sh: &Shared<'_>, source: &ReportSource, cx: &mut OneCx, t: &mut Timings) -> Result<()> {
    let source = &front(sh, source, cx, t)?;
    let meta = crate::model::resolve::meta_from_front(&source.front, &source.name)
        .map_err(|(key, e)| Diagnostic::error(e).at(source.key_location(key)))?;
    let (markdown, map, traced) = template(sh, source, cx, t)?;
    let mut doc = model(sh, source, meta, &markdown, &map, cx, t)?;
    let report = ReportLineage { root: &sh.project.root, report: &source.name, report_path: &source.path, data: sh.data, sets: &sh.opts.sets, front: &source.front, row: source.row, memo: Default::default() };
    let lineage = traced.map(|traced| {
        let sources = t.time("lineage", || report.sources(&traced));
        doc.value_sources = sources.iter().map(|s| crate::build::lineage::note(s)).collect();
        doc.chart_sources = report.chart_notes(&doc);
        (traced, sources)
    });
    let (made, result) = std::thread::scope(|scope| {
        if sh.spare_core && !sh.opts.dry_run {
            scope.spawn(|| {
                crate::core::threads::yield_to_the_build();
                crate::build::record::hash_ahead(sh, &cx.reads)
            });
        }
        render_all(sh, &Report { source, doc: &doc, map: &map }, t)
    });
    let mut pages = Vec::new();
    for out in made {
        cx.outputs.extend(out.outputs);
        cx.site_html.extend(out.site);
        cx.warnings.extend(out.warnings);
        cx.pages = cx.pages.or(out.pages);
        pages.extend(out.value_pages);
    }
    if let (Some((traced, sources)), Ok(())) = (lineage, &result) {
        let root = std::fs::canonicalize(&sh.project.root).unwrap_or_else(|_| sh.project.root.clone());
        let project = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let file = t.time("lineage", || report.file(&project, &traced, sources, &doc, &markdown, &pages));
        cx.outputs.push(Output { path: sh.out_dir.join("lineage").join(format!("{}.json", source.name)), bytes: crate::build::lineage::to_bytes(&file) });
    }
    result
}

/// The front matter, its templates rendered, with `--set` applied.
fn front(sh: &Shared<'_>, source: &ReportSource, cx: &mut OneCx, t: &mut Timings) -> Result<ReportSource> {
    let (project, data) = (sh.project, sh.data);
    let mut source = crate::template::family::with_row(source, data);
    source.front = Arc::new(t.time("templates", || {
        crate::template::render_front(&source.front, data.clone(), &source.path, &source.text, project.config.limits.template_fuel, &cx.reads)
    })?);
    // After templating: --set values are printed literally, never evaluated.
    source.apply_overrides(&sh.opts.sets);
    cx.front = (*source.front).clone();
    Ok(source)
}

/// The body's templates rendered: the Markdown, and where each part of it
/// came from.
fn template(sh: &Shared<'_>, source: &ReportSource, cx: &mut OneCx, t: &mut Timings) -> Result<(String, SourceMap, Option<crate::template::RenderedLineage>)> {
    let project = sh.project;
    let rendered = t.time("templates", || {
        crate::template::render(crate::template::RenderInput {
            project_root: &project.root,
            content_dir: &project.content_dir,
            report_path: &source.path,
            report_text: source.text.clone(),
            body: &source.body,
            front: &source.front,
            data: sh.data.clone(),
            fuel: project.config.limits.template_fuel,
            max_output_mb: project.config.limits.output_mb,
            reads: &cx.reads,
            lineage: sh.opts.lineage,
            family_row: source.row,
        })
    });
    let mut rendered = rendered.inspect_err(|_| cx.reads.files(includes_on_error(project)))?;
    cx.warnings.append(&mut rendered.warnings);
    cx.reads.files(rendered.sources.iter().map(|(p, _)| p));
    let map = SourceMap::new(rendered.sources, rendered.markdown.as_str().into());
    Ok((rendered.markdown, map, rendered.lineage))
}

/// The Markdown read into the document, and the model passes over it.
fn model(sh: &Shared<'_>, source: &ReportSource, meta: crate::doc::Meta, markdown: &str, map: &SourceMap, cx: &mut OneCx, t: &mut Timings) -> Result<Document> {
    let (project, data) = (sh.project, sh.data);
    let base_dir = source.path.parent().unwrap_or(&project.content_dir).to_path_buf();
    let mcx = crate::markdown::Context {
        data,
        project_root: &project.root,
        base_dir: &base_dir,
        raw_html: project.config.raw_html,
        list_comments: sh.opts.list_comments,
        map,
        drawn: sh.keep_sources.then_some(&sh.session.drawn),
        lang: meta.lang,
        reads: Some(&cx.reads),
        params: Some(&source.front),
        cites: false,
        spare_core: sh.spare_core,
    };
    let mcx = crate::markdown::Context { cites: names_bibliography(sh, source), ..mcx };
    // The bibliography (with the citation locales in a build without a
    // PDF, which has no preparing thread to ready them; with one, waiting
    // here for that thread would hold the Markdown's join) and the
    // cover's chart are read and drawn on the other core while the
    // Markdown is parsed: neither depends on it.
    let (mut on_this, mut on_other) = (Timings::default(), Timings::default());
    let (mut parsed, (bibliography, cover)) = rayon::join(
        || on_this.time("markdown", || crate::markdown::parse(markdown, &mcx)),
        || {
            let bibliography = on_other.time("model", || {
                let read = bibliography(sh, source, &base_dir, meta.lang);
                if !sh.with_pdf && matches!(read, Ok(Some(_))) {
                    crate::model::cite::prepare();
                }
                read
            });
            let cover = on_other.time("cover", || cover_chart(source, data, &sh.session.drawn, meta.lang, &cx.reads));
            (bibliography, cover)
        },
    );
    for (stage, d) in on_this.stages.into_iter().chain(on_other.stages) {
        t.add(stage, d);
    }
    // Said in the order the stages ran one after another.
    let bibliography = bibliography?;
    if let Some(b) = &bibliography {
        cx.reads.file(&b.path);
    }
    cx.warnings.append(&mut parsed.warnings);
    let mut doc = t.time("model", || crate::model::resolve::resolve(parsed, meta, map)).map_err(Failure)?;
    if let Some(b) = &bibliography {
        t.time("model", || crate::model::cite::cite(&mut doc, b, map)).map_err(Failure)?;
    }
    doc.cover_chart = cover?;
    cx.reads.files(doc.images().map(|p| project.root.join(p)));
    // A formula a backend asks to have drawn is drawn with the project's fonts.
    let draw = |math: &str, display: bool| {
        let store = sh.fonts.with(|f| f.store.clone());
        crate::pdf::world::formula_svg(&project.root, store, math, display)
    };
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        t.time("formulas", || formulas::check(&mut doc, map, &sh.backends, &draw)).into_iter().partition(|d| d.severity == crate::core::diag::Severity::Error);
    cx.warnings.extend(warnings);
    if !errors.is_empty() {
        return Err(Failure(errors));
    }
    cx.math = !doc.formulas().is_empty();
    Ok(doc)
}

/// Whether the report names a bibliography (its citations are then
/// parsed as such), as `bibliography` reads it.
fn names_bibliography(sh: &Shared<'_>, source: &ReportSource) -> bool {
    match source.front.get("bibliography") {
        Some(Value::Null) | None => sh.project.config.bibliography.is_some(),
        Some(_) => true,
    }
}

/// The report's bibliography and citation style: its front matter's
/// `bibliography:` (relative to the report) and `csl:`, else folio.toml's
/// (relative to content/); the style's default follows the language.
fn bibliography(sh: &Shared<'_>, source: &ReportSource, base_dir: &Path, lang: crate::doc::Lang) -> Result<Option<crate::input::bibliography::Sources>> {
    use crate::input::bibliography::{default_style, load, Setting};
    let config = &sh.project.config;
    let toml = || crate::core::diag::Location::new(sh.project.root.join("folio.toml"), Arc::from(""), 0..0);
    let setting = |key: &str, configured: Option<&String>| -> Result<Option<(String, PathBuf, crate::core::diag::Location)>> {
        match source.front.get(key) {
            Some(Value::String(v)) => Ok(Some((v.clone(), base_dir.to_path_buf(), source.key_location(key)))),
            Some(Value::Null) | None => Ok(configured.map(|v| (v.clone(), sh.project.content_dir.clone(), toml()))),
            Some(other) => Err(Diagnostic::error(format!("`{key}: {other}` is not a file name")).at(source.key_location(key)).hint("write the name as text, e.g. refs.bib").into()),
        }
    };
    let Some((bib, bib_base, bib_at)) = setting("bibliography", config.bibliography.as_ref())? else {
        if let Some(Value::String(_)) = source.front.get("csl") {
            return Err(Diagnostic::error("`csl:` names a citation style, but this report has no bibliography").at(source.key_location("csl")).hint("add `bibliography: refs.bib`").into());
        }
        return Ok(None);
    };
    let (csl, csl_base, csl_at) = setting("csl", config.csl.as_ref())?.unwrap_or_else(|| (default_style(lang == crate::doc::Lang::Zh).to_string(), base_dir.to_path_buf(), source.key_location("bibliography")));
    let key = [(bib.clone(), bib_base.clone()), (csl.clone(), csl_base.clone())];
    if let Some(read) = sh.bibliographies.lock().expect("bibliographies lock").get(&key) {
        return Ok(Some(read.clone()));
    }
    // An error is not kept: each report's is said at its own front matter.
    let sources = load(
        &sh.project.root,
        &Setting { value: &bib, base: &bib_base, at: bib_at },
        &Setting { value: &csl, base: &csl_base, at: csl_at },
    )?;
    sh.bibliographies.lock().expect("bibliographies lock").insert(key, sources.clone());
    Ok(Some(sources))
}

/// `cover_chart:` in the front matter is a chart spec (caption = its title),
/// drawn small for the cover's side column.
fn cover_chart(source: &ReportSource, data: &DataSet, drawn: &crate::chart::DrawnCache, lang: crate::doc::Lang, reads: &Reads) -> Result<Option<crate::doc::CoverChart>> {
    let Some(value) = source.front.get("cover_chart") else { return Ok(None) };
    let at = |d: Diagnostic| d.at(source.key_location("cover_chart"));
    let mut spec: crate::chart::ChartSpec = serde_json::from_value(value.clone())
        .map_err(|e| at(Diagnostic::error(format!("invalid cover_chart: {e}"))))?;
    // Drawn at about the side column's 5.2 cm (147 pt), so that its 10 px
    // text prints at 7 pt or more.
    spec.width.get_or_insert(200.0);
    spec.height.get_or_insert(150.0);
    spec.lang.get_or_insert(lang);
    if let Some(stem) = &spec.data {
        reads.stem(stem);
    }
    let rows = crate::chart::rows_for_report(&spec, data, &source.front).map_err(|d| if d.location.is_none() { at(d) } else { d })?;
    let chart = crate::chart::render_cached(&spec, &rows, drawn).map_err(|d| if d.location.is_none() { at(d) } else { d })?;
    // Spaced like the report's text (`model::spacing`).
    Ok(Some(crate::doc::CoverChart { title: Some(spec.spaced(&spec.caption)), source: spec.source.as_deref().map(|s| spec.spaced(s)), chart }))
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
