//! Snapshots of what folio generates, so that a change in any of it shows
//! up as a readable diff (`cargo insta review`): the typst markup and the
//! HTML `<main>` of the research fixture, chart drawings, and diagnostics.

use crate::common::*;

#[test]
fn generated_typst_and_html_of_the_research_fixture() {
    let f = from_repo(&[("tests/fixtures/research", "")]);
    f.folio(&["build", "--format", "typst"]).ok();
    let dir = f.out("report.typst");
    let mut typst = std::fs::read_to_string(dir.join("main.typ")).unwrap();
    let mut parts: Vec<_> = std::fs::read_dir(dir.join("body")).unwrap().map(|e| e.unwrap().path()).collect();
    parts.sort();
    for p in parts {
        typst.push_str(&format!("\n// ---- {}\n", p.file_name().unwrap().to_string_lossy()));
        typst.push_str(&std::fs::read_to_string(p).unwrap());
    }
    insta::assert_snapshot!("research_typst_markup", typst);
    insta::assert_snapshot!("research_meta_json", std::fs::read_to_string(dir.join("meta.json")).unwrap());
    f.folio(&["build", "--format", "html"]).ok();
    let html = f.html_source("report.html");
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>") + "</main>".len();
    insta::assert_snapshot!("research_html_main", &html[start..end]);
}

#[test]
fn chart_drawings() {
    insta::glob!("../fixtures/charts", "*.yaml", |path| {
        let spec: folio::chart::ChartSpec = folio::input::yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let set = folio::input::data::DataSet::default();
        let rows = folio::chart::rows_for(&spec, &set).unwrap();
        // One element a line, so that a change in drawing is a readable diff.
        insta::assert_snapshot!(folio::chart::render(&spec, &rows).unwrap().svg().replace("><", ">\n<"));
    });
}

/// The same charts as the PDF draws them: typst shapes and text, one item a
/// line (a pie's arcs stay an SVG image).
#[test]
fn chart_typst_drawings() {
    insta::glob!("../fixtures/charts", "*.yaml", |path| {
        let spec: folio::chart::ChartSpec = folio::input::yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let rows = folio::chart::rows_for(&spec, &folio::input::data::DataSet::default()).unwrap();
        let chart = folio::chart::render(&spec, &rows).unwrap();
        let code = folio::pdf::chart::to_typst(&chart.drawing, "alt").map(|c| c.replace(", place(", ",\nplace("));
        insta::assert_snapshot!(code.unwrap_or_else(|| "an SVG image".to_string()));
    });
}

#[test]
fn diagnostics() {
    insta::glob!("../fixtures/diagnostics", "*.md", |path| {
        let f = Fixture::new(&[("content/report.md", &std::fs::read_to_string(path).unwrap())]);
        // A CSV beside the case is its data set `q`.
        if let Ok(csv) = std::fs::read_to_string(path.with_extension("csv")) {
            f.write("content/data/q.csv", &csv);
        }
        let run = f.folio(&["build"]);
        // The build time is the one line that changes from run to run.
        let stderr: String = run.stderr.lines().map(|l| if l.starts_with("done in ") { "done in [time]\n".to_string() } else { format!("{l}\n") }).collect();
        insta::assert_snapshot!(format!("exit {}\n{stderr}", run.code));
    });
}
