//! `folio build` end to end on fixture projects: real PDF text and parsed HTML.

use crate::common::*;

fn basic() -> Fixture {
    Fixture::new(&[("content/report.md", REPORT), ("content/data/models.csv", MODELS_CSV)])
}

#[test]
fn builds_pdf_and_html_with_chinese_text() {
    let f = basic();
    let run = f.folio(&["build"]).ok();
    assert!(run.stderr.contains("wrote output/report.pdf"), "{}", run.stderr);
    let text = f.pdf_text("report.pdf");
    assert!(text.contains("测试报告"), "{text}");
    assert!(text.contains("模型数量：2。最大参数量：540。"), "{text}");
    assert!(text.contains("表1：模型参数"), "{text}");
    assert!(text.contains("数据来源：测试数据"), "{text}");
    assert!(text.contains("如表1所示"), "{text}");
    let pdf = std::fs::read(f.out("report.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // CJK fonts are embedded (subset font programs), not referenced.
    let doc = pdf_extract::Document::load_mem(&pdf).unwrap();
    let mut embedded_cjk = false;
    for (_, obj) in doc.objects.iter() {
        if let Ok(dict) = obj.as_dict() {
            if let Ok(name) = dict.get(b"FontName").and_then(|n| n.as_name()) {
                let name = String::from_utf8_lossy(name);
                if name.contains("CJK") && (dict.has(b"FontFile3") || dict.has(b"FontFile2") || dict.has(b"FontFile")) {
                    embedded_cjk = true;
                }
            }
        }
    }
    assert!(embedded_cjk, "no embedded CJK font program");

    let html = f.html("report.html");
    assert_eq!(select_text(&html, "title"), vec!["测试报告：副标题"]);
    assert_eq!(select_text(&html, "figure.table figcaption"), vec!["表 1：模型参数"]);
    assert_eq!(select_text(&html, "figure.table td"), vec!["GPT-3", "175", "PaLM", "540"]);
    assert_eq!(select_text(&html, "a.xref"), vec!["表 1"]);
    assert_eq!(select_text(&html, ".float-source"), vec!["数据来源：测试数据"]);
}

#[test]
fn pdf_has_metadata_and_outline() {
    let f = basic();
    f.folio(&["build", "--format", "pdf"]).ok();
    assert!(!f.out("report.html").exists(), "--format pdf wrote HTML");
    let doc = pdf_extract::Document::load(f.out("report.pdf")).unwrap();
    let info_ref = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_dictionary(info_ref).unwrap();
    let title = info.get(b"Title").unwrap().as_str().unwrap();
    let decoded = pdf_extract::decode_text_string(info.get(b"Title").unwrap()).unwrap_or_default();
    assert!(decoded == "测试报告" || title == "测试报告".as_bytes(), "title {decoded:?}");
    let author = pdf_extract::decode_text_string(info.get(b"Author").unwrap()).unwrap();
    assert_eq!(author, "测试分析师");
    let catalog = doc.catalog().unwrap();
    assert!(catalog.has(b"Outlines"), "no outline (bookmarks)");
    let lang = catalog.get(b"Lang").unwrap().as_str().unwrap();
    assert_eq!(lang, b"zh-CN");
}

#[test]
fn html_only_build_writes_only_html() {
    let f = basic();
    f.folio(&["build", "--format", "html"]).ok();
    assert!(f.out("report.html").exists());
    assert!(!f.out("report.pdf").exists());
}

#[test]
fn out_flag_and_project_dir_argument() {
    let f = basic();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("site");
    let run = run_in(elsewhere.path(), &["build", f.root().to_str().unwrap(), "--out", out.to_str().unwrap()]).ok();
    assert!(out.join("report.pdf").exists() && out.join("report.html").exists(), "{}", run.stderr);
}

#[test]
fn changing_a_data_value_changes_both_outputs() {
    let f = basic();
    f.folio(&["build"]).ok();
    assert!(f.pdf_text("report.pdf").contains("540"));
    f.write("content/data/models.csv", "name,params\nGPT-3,175\nPaLM,777\n");
    f.folio(&["build"]).ok();
    let text = f.pdf_text("report.pdf");
    assert!(text.contains("最大参数量：777。"), "{text}");
    assert!(!text.contains("540"), "old value still in PDF");
    let html = f.html_source("report.html");
    assert!(html.contains("777") && !html.contains("540"));
}

#[test]
fn set_overrides_front_matter() {
    let f = basic();
    f.folio(&["build", "--set", "title=改过的标题", "--set", "subtitle=新副标题"]).ok();
    assert!(f.pdf_text("report.pdf").contains("改过的标题"));
    assert_eq!(select_text(&f.html("report.html"), "h1.title"), vec!["改过的标题"]);
}

#[test]
fn every_data_file_format_loads() {
    let f = Fixture::new(&[
        ("content/report.md", "---\ntitle: Formats\nlang: en\n---\n\n{{ data.a[0].x }} {{ data.b.y }} {{ data.c.z }} {{ data.d.w }} {{ data.e.v }}\n"),
        ("content/data/a.csv", "x\ncsv-ok\n"),
        ("content/data/b.json", "{\"y\": \"json-ok\"}"),
        ("content/data/c.yaml", "z: yaml-ok\n"),
        ("content/data/d.yml", "w: yml-ok\n"),
        ("content/data/e.toml", "v = \"toml-ok\"\n"),
    ]);
    f.folio(&["build"]).ok();
    let html = f.html("report.html");
    assert_eq!(select_text(&html, "main p"), vec!["csv-ok json-ok yaml-ok yml-ok toml-ok"]);
    assert!(f.pdf_text("report.pdf").contains("csv-okjson-okyaml-okyml-oktoml-ok"));
}

#[test]
fn includes_pull_in_chapters() {
    let f = Fixture::new(&[
        ("content/report.md", "---\ntitle: Book\nlang: en\n---\n\n# One\n\n{% include \"chapters/two.md\" %}\n"),
        ("content/chapters/two.md", "# Two\n\nChapter two has {{ data.n[0].v }} items.\n"),
        ("content/data/n.csv", "v\n42\n"),
    ]);
    f.folio(&["build"]).ok();
    assert_eq!(select_text(&f.html("report.html"), "main h1"), vec!["1 One", "2 Two"]);
    assert!(f.pdf_text("report.pdf").contains("Chaptertwohas42items."));
}

#[test]
fn footnotes_lists_code_and_quotes_reach_both_outputs() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: Elements\nlang: en\n---\n\nText with a note.[^n]\n\n- [x] done item\n- [ ] open item\n\n> quoted words\n\n```rust\nfn main() {}\n```\n\n~~gone~~ and https://example.com\n\n[^n]: The footnote body.\n",
    )]);
    f.folio(&["build"]).ok();
    let text = f.pdf_text("report.pdf");
    for s in ["Thefootnotebody.", "doneitem", "quotedwords", "fnmain(){}", "gone"] {
        assert!(text.contains(s), "PDF lacks {s}: {text}");
    }
    let html = f.html("report.html");
    assert_eq!(select_text(&html, ".footnotes li"), vec!["The footnote body. ↩"]);
    assert_eq!(select_text(&html, "sup.fn"), vec!["1"]);
    assert_eq!(select_text(&html, "del"), vec!["gone"]);
    assert_eq!(select_text(&html, "pre code.language-rust"), vec!["fn main() {}\n"]);
    assert_eq!(select_text(&html, "main a[href='https://example.com']"), vec!["https://example.com"]);
    assert_eq!(html.select(&scraper::Selector::parse("input[type=checkbox][checked]").unwrap()).count(), 1);
}

#[test]
fn repository_report_builds() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    run_in(repo, &["build", "--out", out.path().to_str().unwrap()]).ok();
    let text = pdf_text(&out.path().join("report.pdf"));
    assert!(text.contains("逐浪大模型"));
    assert!(text.contains("请务必阅读正文之后的免责条款和声明。"));
    let html = scraper::Html::parse_document(&std::fs::read_to_string(out.path().join("report.html")).unwrap());
    assert_eq!(select_text(&html, "h1.title"), vec!["逐浪大模型"]);
}

#[test]
fn typst_folder_holds_the_body_in_one_part_per_chapter() {
    let two_chapters = format!("{REPORT}\n# 第二章 {{#sec:two}}\n\n见@sec:two 与@tbl:models。\n");
    let f = Fixture::new(&[("content/report.md", two_chapters.as_str()), ("content/data/models.csv", MODELS_CSV)]);
    f.folio(&["build", "--format", "typst"]).ok();
    let dir = f.out("report.typst");
    let main = std::fs::read_to_string(dir.join("main.typ")).unwrap();
    let includes: Vec<&str> = main.lines().filter(|l| l.starts_with("#include")).collect();
    assert_eq!(includes, vec![r#"#include "/body/00.typ""#, r#"#include "/body/01.typ""#], "{main}");
    let first = std::fs::read_to_string(dir.join("body/00.typ")).unwrap();
    let second = std::fs::read_to_string(dir.join("body/01.typ")).unwrap();
    assert!(first.contains("#heading(level: 1)[一、概况]"), "{first}");
    assert!(!first.contains("第二章"), "{first}");
    assert!(second.starts_with("#import \"/research.typ\""), "{second}");
    assert!(second.contains("#heading(level: 1)[二、第二章]"), "{second}");
    // References across parts still resolve: the PDF names the table and the chapter.
    f.folio(&["build", "--format", "pdf"]).ok();
    let text = f.pdf_text("report.pdf");
    assert!(text.contains("见第二节与表1。") || text.contains("见第二节与表 1。"), "{text}");
}

#[test]
fn a_report_without_headings_has_no_contents_box() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: Note\nlang: en\n---\nOnly a paragraph.\n")]);
    f.folio(&["build", "--format", "html"]).ok();
    let html = f.html("report.html");
    assert_eq!(html.select(&scraper::Selector::parse("nav.toc").unwrap()).count(), 0);
    assert_eq!(html.select(&scraper::Selector::parse("div.layout.no-toc main p").unwrap()).count(), 1);
    f.write("content/report.md", "---\ntitle: Note\nlang: en\n---\n# One\n\nText.\n");
    f.folio(&["build", "--format", "html"]).ok();
    assert_eq!(select_text(&f.html("report.html"), "nav.toc li a"), vec!["1 One"]);
}
