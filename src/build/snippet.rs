//! A second way into the stages, for tests: Markdown with no project,
//! templates or data.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::build::{Fonts, Timings};
use crate::core::diag::{Diagnostic, Failure, Result};
use crate::core::sourcemap::SourceMap;
use crate::input::data::DataSet;
use crate::input::project::ReportSource;
use crate::input::template_files::Templates;

/// Markdown straight into the model and both backends, skipping templates
/// (the CommonMark suite and property tests drive the pipeline this way).
/// Returns the HTML page and the PDF.
pub fn snippet(root: &Path, markdown: &str, fonts: &Fonts) -> Result<(String, Vec<u8>)> {
    let path = root.join("content/snippet.md");
    let front: serde_json::Map<String, Value> =
        serde_json::from_value(serde_json::json!({"title": "Snippet", "lang": "en", "chapter_break": false, "heading_numbers": "none"})).expect("a map");
    let meta = crate::model::resolve::meta_from_front(&front, "snippet").map_err(|(_, e)| Diagnostic::error(e))?;
    let text: std::sync::Arc<str> = markdown.into();
    let map = SourceMap::new(vec![(path.clone(), text.clone())], text);
    let data = DataSet::default();
    let mcx = crate::markdown::Context { data: &data, project_root: root, base_dir: &root.join("content"), raw_html: false, list_comments: false, map: &map, drawn: None, lang: meta.lang, reads: None, params: None, cites: false, spare_core: false };
    let doc = crate::model::resolve::resolve(crate::markdown::parse(markdown, &mcx), meta, &map).map_err(Failure)?;
    let templates = Templates::new(&root.join("templates"));
    let html = crate::html::render(&doc, root, &templates, None)?;
    let source = ReportSource { name: "snippet".into(), path, text: markdown.into(), front: Arc::new(front), body: markdown.into(), row: None };
    let world = crate::pdf::world::FolioWorld::new(root, fonts.store.clone(), crate::build::backends::pdf::typst_input(&source, &doc, &templates, &map, &Default::default(), &|t| crate::pdf::markup::defines_function(t, "folio-chart"))?);
    let compiled = crate::pdf::world::compile(&world, "snippet", &[], false, &mut Timings::default()).map_err(Failure)?;
    Ok((html, compiled.pdf))
}
