//! Property tests: arbitrary Markdown, data values and front matter through
//! the pipeline. Never a panic; typst generated from any Markdown compiles or
//! fails with a diagnostic naming the user's file; data prints literally.

use crate::common::*;

use folio::build::{build, snippet, BuildOptions, Format};
use folio::pdf::fonts::Fonts;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// Markdown-ish text: a mix of syntax tokens, CJK, Latin and typst/HTML specials.
fn markdownish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("# "), Just("## "), Just("- "), Just("1. "), Just("> "), Just("*"), Just("**"), Just("_"),
        Just("`"), Just("```\n"), Just("~~"), Just("["), Just("]"), Just("("), Just(")"), Just("!["),
        Just("|"), Just("---"), Just("\n"), Just("\n\n"), Just("    "), Just("<b>"), Just("</b>"),
        Just("<!--"), Just("-->"), Just("&amp;"), Just("\\"), Just("#"), Just("$"), Just("@fig:x"),
        Just("{#fig:y}"), Just("[^1]"), Just("[^1]: note\n"), Just("Table: cap\n"), Just("数据来源："),
        Just("中文"), Just("word"), Just(" "), Just("{"), Just("}"), Just("<"), Just(">"), Just("\""),
        Just("'"), Just("="), Just("+"), Just(":"), Just("/"), Just("https://example.com"),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n"),
    ];
    prop::collection::vec(token, 0..60).prop_map(|t| t.concat())
}

fn setup() -> (tempfile::TempDir, Fonts) {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("content")).unwrap();
    let fonts = Fonts::new(&root.path().join("fonts"));
    (root, fonts)
}

/// TeX-ish soup: what the math translator must typeset or refuse, never break.
fn texish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("x"), Just("E"), Just("2"), Just("0.5"), Just("+"), Just("-"), Just("="), Just("^"), Just("_"),
        Just("{"), Just("}"), Just("("), Just(")"), Just("/"), Just("|"), Just(","), Just("'"), Just("!"),
        Just("\\frac"), Just("\\sqrt"), Just("\\text"), Just("\\alpha"), Just("\\sum"), Just("\\leq"),
        Just("\\left"), Just("\\right"), Just("\\unknown"), Just(" "), Just("中"), Just("#"), Just("\""),
        Just("\\"), Just("&"), Just("."), Just("["), Just("]"), Just("<"), Just(">"), Just(":"),
    ];
    prop::collection::vec(token, 1..24).prop_map(|t| t.concat())
}

proptest! {
    // A failing case is kept in tests/it/properties.regressions (commit it
    // with the fix) and tried first on every later run.
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))), ..ProptestConfig::default() })]

    #[test]
    fn any_markdown_compiles_or_names_the_file(md in markdownish()) {
        let (root, fonts) = setup();
        match snippet(root.path(), &md, &fonts) {
            Ok((html, pdf)) => {
                prop_assert!(html.starts_with("<!DOCTYPE html>"));
                prop_assert!(pdf.starts_with(b"%PDF-"));
            }
            Err(failure) => {
                for d in failure.0.iter().filter(|d| d.severity == folio::core::diag::Severity::Error) {
                    let loc = d.location.as_ref();
                    prop_assert!(
                        loc.is_some_and(|l| l.path.ends_with("content/snippet.md")),
                        "diagnostic without the user's file: {}", d.render_plain()
                    );
                }
            }
        }
    }

    #[test]
    fn any_tex_typesets_or_falls_back(tex in texish()) {
        let (root, fonts) = setup();
        let md = format!("Inline ${tex}$ text.\n\n$${tex}$$ {{#eq:x}}\n");
        // TeX soup may not be math to Markdown (`$![]() $` holds an image):
        // then an error at the user's own line is right; one in the
        // generated markup is not.
        if let Err(failure) = snippet(root.path(), &md, &fonts) {
            for d in &failure.0 {
                prop_assert!(d.location.as_ref().is_some_and(|l| l.path.ends_with("content/snippet.md")), "{}", d.render_plain());
            }
        }
    }

    #[test]
    fn any_data_string_prints_literally(value in "[ -~中文数据报告模型参数规模互联网巨头，。：]{1,40}") {
        let f = Fixture::new(&[
            ("content/report.md", "---\ntitle: P\nlang: en\n---\n\nV[{{ data.d[0].v }}]V\n\n| x |\n|---|\n| {{ data.d[0].v }} |\n"),
            ("content/data/d.json", &serde_json::json!([{ "v": value }]).to_string()),
        ]);
        let opts = BuildOptions {
            dir: f.root().to_path_buf(), out: None, format: Format::All, sets: vec![], strict: false,
            ignore_system_fonts: true, dry_run: false, site: false, progress: None, pdf_standards: vec![],
        only: vec![], shard: None, force: false, watchdog: false, list_comments: false, lineage: false, publish_changes: false,
        };
        let report = build(&opts);
        prop_assert!(report.is_ok(), "build failed: {:?}", report.err().map(|e| e.0[0].render_plain()));
        let html = f.html("report.html");
        let cell = select_text(&html, "main td");
        prop_assert_eq!(cell, vec![value.trim().to_string()]);
        let para = select_text(&html, "main p");
        prop_assert_eq!(para, vec![format!("V[{value}]V")]);
        let text = f.pdf_text("report.pdf");
        let want = squash(&format!("V[{value}]V"));
        prop_assert!(text.contains(&want), "PDF lacks {:?}", want);
    }

    #[test]
    fn any_front_matter_title_prints_literally(title in "[ -~中文数据报告模型参数规模互联网巨头，。：]{1,30}") {
        let front = serde_saphyr::to_string(&serde_json::json!({ "title": title, "lang": "en" })).unwrap();
        let f = Fixture::new(&[("content/report.md", &format!("---\n{front}---\n\nBody.\n"))]);
        let run = f.folio(&["build"]);
        if title.contains("{{") || title.contains("{%") {
            // Front matter may hold templates; a broken one is a located error.
            prop_assert!(run.code == 0 || run.stderr.contains(" --> content/report.md:"), "{}", run.stderr);
        } else {
            prop_assert_eq!(run.code, 0, "{}", run.stderr);
            prop_assert_eq!(select_text(&f.html("report.html"), "h1.title"), vec![title.clone()]);
            prop_assert!(f.pdf_text("report.pdf").contains(&squash(&title)));
        }
    }
}
