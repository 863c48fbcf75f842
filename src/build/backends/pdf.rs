//! The PDF of a report, laid out by typst (and its first page as the
//! site's link-preview image).

use std::path::{Path, PathBuf};

use crate::build::backend::{beside, Backend, Fallback, Rendered, Report};
use crate::build::run::Shared;
use crate::build::{Fonts, Output};
use crate::core::diag::{display_path, Diagnostic, Failure, Result};
use crate::core::sourcemap::SourceMap;
use crate::doc::Document;
use crate::input::project::{Project, ReportSource};
use crate::input::template_files::Templates;
use crate::pdf::world::TypstInput;

pub(crate) struct Pdf;

impl Backend for Pdf {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn writes_pdf(&self) -> bool {
        true
    }

    fn formula(&self, _tex: &str, _display: bool, typst: &std::result::Result<String, String>) -> Option<Fallback> {
        typst.as_ref().err().map(|e| Fallback::Tex(format!("the PDF shows it as TeX: {e}")))
    }

    fn render(&self, sh: &Shared<'_>, report: &Report<'_>, out: &mut Rendered) -> Result<()> {
        let (project, opts, source) = (sh.project, sh.opts, report.source);
        // The characters checked against the fonts while the markup is
        // written, side by side. The markup, the longer, is written here
        // from the start; the check waits to be taken by the other core
        // (or follows), where it took the first 0.8 ms before the markup.
        let mut markup = crate::core::timings::Timings::default();
        let (input, store) = rayon::join(
            || markup.time("typst markup", || typst_input(source, report.doc, sh.templates, report.map, &project.config, &|t| sh.native_charts(t))),
            || fonts_for(sh, report, out),
        );
        out.timings.add("typst markup", markup.get("typst markup"));
        brand_fonts(sh)?;
        let mut input = input?;
        let tables = std::mem::take(&mut input.tables);
        let world = crate::pdf::world::FolioWorld::for_report(&project.root, store, input, &source.name, &sh.session.sources);
        let preview = opts.site && project.config.site.base_url.is_some();
        // The body's parts are parsed on the other core while typst
        // evaluates the first of them.
        let (compiled, ()) = rayon::join(
            || crate::pdf::world::compile(&world, &source.name, &opts.pdf_standards, preview, &mut out.timings),
            || world.parse_ahead(&sh.session.sources),
        );
        let compiled = compiled.map_err(|diags| Failure(diags.into_iter().map(|d| name_report(to_user_file(d, report.map, project), &source.path)).collect()));
        // Many reports in one build: keep typst's caches from growing with each
        // (one report, as in `watch`, is trimmed between builds instead).
        if sh.many_reports {
            sh.session.after_report(sh.keep_sources);
        }
        if !sh.keep_sources {
            sh.session.sources.forget_report(&source.name);
        }
        let compiled = compiled?;
        out.warnings.extend(compiled.warnings);
        out.warnings.extend(crate::pdf::table_fit::warnings(&compiled.table_fits, &tables, report.map));
        out.pages = Some(compiled.pages);
        out.value_pages = compiled.value_pages;
        out.outputs.push(Output { path: beside(sh.out_dir, &source.name, "pdf"), bytes: compiled.pdf });
        // The page's link-preview card, in the site beside it.
        if let Some(png) = compiled.preview {
            out.site.push(Output { path: PathBuf::from(format!("{}.png", source.name)), bytes: png });
        }
        Ok(())
    }
}

/// `[brand]` fonts must be fonts typst has: a name it lacks would fall
/// back to folio's own without a word.
fn brand_fonts(sh: &Shared<'_>) -> Result<()> {
    let brand = &sh.project.config.brand;
    for (key, name) in [("body_font", &brand.body_font), ("heading_font", &brand.heading_font)] {
        let Some(name) = name else { continue };
        let families = sh.fonts.with(|f| f.families());
        if families.iter().any(|f| f.eq_ignore_ascii_case(name)) {
            continue;
        }
        let mut d = Diagnostic::error(format!("`{key} = \"{name}\"` in folio.toml [brand] is no font folio has"));
        if let Some(near) = crate::core::text::closest(name, families.iter().map(String::as_str)) {
            d = d.hint(format!("did you mean `{near}`?"));
        }
        return Err(d.hint("put the font's files (.ttf, .otf) in the project's fonts/ folder and name its family").into());
    }
    Ok(())
}

/// The fonts typst lays the report out with, after warning of every
/// character none of them has (the system's fonts are scanned once, then).
pub(crate) fn fonts_for(sh: &Shared<'_>, report: &Report<'_>, out: &mut Rendered) -> std::sync::Arc<typst_kit::fonts::FontStore> {
    out.timings.time("fonts", || {
        sh.fonts.with(|fonts| {
            let scanned = fonts.system_scanned;
            out.warnings.extend(check_glyphs(report.doc, report.map, fonts, sh.opts.ignore_system_fonts));
            if fonts.system_scanned && !scanned {
                sh.session.fonts.remember(fonts);
            }
            fonts.store.clone()
        })
    })
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

/// `config`: folio.toml's `paper`, for reports that name none, and its brand.
/// `native_charts`: whether a template, of the text given, defines
/// `folio-chart` (the build knows it once, from the template's parse).
pub(crate) fn typst_input(source: &ReportSource, doc: &Document, templates: &Templates, map: &SourceMap, config: &crate::input::project::Config, native_charts: &dyn Fn(&str) -> bool) -> Result<TypstInput> {
    let template = templates.get("research.typ")?;
    let mut meta = crate::model::meta::template_meta(doc);
    meta["paper"] = serde_json::json!(paper(source, config.paper.as_deref())?);
    // Back matter as markup the template evaluates (its paragraphs are Markdown).
    meta["back_matter"] = serde_json::json!(doc
        .back_matter
        .iter()
        .map(|s| serde_json::json!({ "title": s.title, "paragraphs": s.paragraphs.iter().map(|p| crate::pdf::markup::inline_markup(doc, p)).collect::<Vec<_>>() }))
        .collect::<Vec<_>>());
    // The document date comes from the front matter, else SOURCE_DATE_EPOCH;
    // never from the clock, so builds are reproducible.
    // The cover prints the report's own date only, never the build's.
    let front_date = doc.meta.date.as_deref().and_then(crate::core::dates::civil);
    let date_parts = front_date.or_else(source_date_epoch);
    let as_json = |parts: Option<(i32, u8, u8)>| serde_json::json!(parts.map(|(y, m, d)| [y as i64, m as i64, d as i64]));
    meta["date_parts"] = as_json(date_parts);
    meta["front_date_parts"] = as_json(front_date);
    let native = native_charts(&template.text);
    let mut generated = crate::pdf::markup::main_source(doc, native);
    // The brand in a file of its own, the same for every report of the
    // project: the template's top level reads it, and typst evaluates the
    // template once for a whole family instead of once per report.
    generated.files.push(("/brand.json".to_string(), serde_json::to_vec_pretty(&config.brand.for_typst()).expect("JSON values serialize")));
    let places = generated.places.into_iter().map(|p| (p.file, p.range, map.rendered_line(p.line))).collect();
    Ok(TypstInput {
        main: generated.main,
        files: generated.files,
        places,
        tables: generated.tables,
        template: template.text.to_string(),
        template_path: template.path.clone(),
        meta_json: serde_json::to_string_pretty(&meta).expect("JSON values serialize"),
        today: date_parts,
        shown_main: PathBuf::from(format!("<generated>/{}.typ", source.name)),
    })
}

/// Paper names typst knows that a report most likely means.
const COMMON_PAPERS: [&str; 10] = ["a4", "a5", "a3", "us-letter", "us-legal", "us-executive", "us-tabloid", "iso-b5", "jis-b5", "ansi-a"];

/// The report's paper: its front matter's `paper:`, else folio.toml's,
/// else A4; a name typst does not know is an error where it is written.
fn paper(source: &ReportSource, default_paper: Option<&str>) -> Result<String> {
    let (name, front) = match source.front.get("paper") {
        Some(serde_json::Value::String(s)) => (s.trim().to_ascii_lowercase(), true),
        Some(other) => return Err(Diagnostic::error(format!("`paper: {other}` is no paper name")).at(source.key_location("paper")).hint("write a name such as a4 or us-letter").into()),
        None => match default_paper {
            Some(p) => (p.trim().to_ascii_lowercase(), false),
            None => return Ok("a4".into()),
        },
    };
    if name.parse::<typst::layout::Paper>().is_ok() {
        return Ok(name);
    }
    let said = if front { format!("`paper: {name}`") } else { format!("`paper = \"{name}\"` in folio.toml") };
    let mut d = Diagnostic::error(format!("{said} is no paper size typst knows"));
    if front {
        d = d.at(source.key_location("paper"));
    }
    d = match crate::core::text::closest(&name, COMMON_PAPERS) {
        Some(c) => d.hint(format!("did you mean `{c}`?")),
        None => d.hint(format!("common sizes: {}", COMMON_PAPERS.join(", "))),
    };
    Err(d.into())
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
    // Value marks (`--lineage`) are no text.
    use crate::core::value_marks::{END, MID, OPEN};
    let text = || map.rendered.chars().filter(|c| !matches!(*c, OPEN | MID | END)).chain(front_text.chars());
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
