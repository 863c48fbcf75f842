//! Arbitrary Markdown through the model into both backends' output — the
//! HTML page and the generated typst markup — without typst's layout (the
//! crate is built without its `pdf` feature, so this builds in a minute):
//! never a panic, every failure is a diagnostic naming the user's file, and
//! the generated typst always parses (checked by typst's own parser).
//!
//! The check itself, shared by the fuzz target and by the test that replays
//! the seeds and every input that once failed (`tests/it/fuzz_inputs.rs`).

use std::sync::{Arc, OnceLock};

fn root() -> &'static tempfile::TempDir {
    static ROOT: OnceLock<tempfile::TempDir> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("content")).unwrap();
        root
    })
}

fn check_errors(diags: &[folio::core::diag::Diagnostic]) {
    for d in diags.iter().filter(|d| d.severity == folio::core::diag::Severity::Error) {
        let loc = d.location.as_ref().expect("every error names a place");
        assert!(loc.path.ends_with("content/snippet.md"), "{}", d.render_plain());
    }
}

pub fn check(data: &[u8]) {
    let Ok(md) = std::str::from_utf8(data) else { return };
    let root = root().path();
    let path = root.join("content/snippet.md");
    let front: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(r#"{"title": "Snippet", "lang": "en", "chapter_break": false, "heading_numbers": "none"}"#).unwrap();
    let meta = folio::model::resolve::meta_from_front(&front, "snippet").unwrap();
    let text: Arc<str> = md.into();
    let map = folio::core::sourcemap::SourceMap::new(vec![(path, text.clone())], text);
    let set = folio::input::data::DataSet::default();
    // Some inputs have their charts drawn ahead on another thread too.
    let drawn = folio::chart::DrawnCache::default();
    let ahead = md.len() % 5 == 0;
    let cx = folio::markdown::Context { data: &set, project_root: root, base_dir: &root.join("content"), raw_html: md.len() % 2 == 1, list_comments: true, map: &map, drawn: ahead.then_some(&drawn), lang: folio::core::words::Lang::Zh, reads: None, params: None, cites: md.len() % 3 == 0, spare_core: ahead };
    let parsed = folio::markdown::parse(md, &cx);
    let doc = match folio::model::resolve::resolve(parsed, meta, &map) {
        Ok(doc) => doc,
        Err(diags) => return check_errors(&diags),
    };
    let templates = folio::input::template_files::Templates::new(&root.join("templates"));
    match folio::html::render(&doc, root, &templates, None) {
        Err(f) => check_errors(&f.0),
        // What the writer typed never becomes a script or a comment on the
        // page, whether shown as text or cleaned (`raw_html = true`).
        Ok(page) => {
            let main = &page[page.find("<main").expect("a page has <main>")..page.rfind("</main>").expect("and its end")];
            let lower = main.to_ascii_lowercase();
            assert!(!lower.contains("<script") && !lower.contains("<!--"), "{main}");
        }
    }
    let generated = folio::pdf::markup::main_source(&doc, true);
    for (name, bytes) in std::iter::once(("main.typ".to_string(), generated.main.into_bytes())).chain(generated.files) {
        if name.ends_with(".typ") {
            let text = String::from_utf8(bytes).expect("generated markup is UTF-8");
            let (errors, _) = typst_syntax::parse(&text).errors_and_warnings();
            assert!(errors.is_empty(), "{name} does not parse: {errors:?}\n{text}");
        }
    }
}
