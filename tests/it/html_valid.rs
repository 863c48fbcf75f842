//! The HTML folio writes is valid HTML5 under the W3C Nu checker, for the
//! flagship, the fixtures and a site index. `.ci/run` installs the checker
//! (npm package vnu-jar, run with the machine's Java).

use crate::common::*;

use std::path::PathBuf;
use std::process::Command;

fn vnu_jar() -> Option<PathBuf> {
    let path = std::env::var_os("FOLIO_VNU_JAR").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/folio/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
    });
    if path.is_file() {
        return Some(path);
    }
    assert!(std::env::var_os("CI").is_none(), "vnu.jar is missing in CI (.ci/run installs it)");
    eprintln!("skipping: vnu.jar not found (set FOLIO_VNU_JAR or run .ci/run once)");
    None
}


#[test]
fn html_outputs_have_no_nu_checker_errors() {
    let Some(jar) = vnu_jar() else { return };
    let mut pages = Vec::new();

    let flagship = flagship();
    flagship.folio(&["build", "--format", "html", "--site"]).ok();
    pages.push(flagship.out("report.html"));
    pages.push(flagship.root().join("output/site/index.html"));
    pages.push(flagship.root().join("output/site/report.html"));
    pages.push(flagship.root().join("output/site/note-baidu.html"));
    pages.push(flagship.root().join("output/site/404.html"));

    let research = from_repo(&[("tests/fixtures/research", "")]);
    research.folio(&["build", "--format", "html"]).ok();
    pages.push(research.out("report.html"));

    let tricky = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: \"<b>T</b> & co\"\nlang: en\n---\n\n# H\n\nA <b>raw</b> tag, a note[^n], `code`, ~~gone~~, $x^2$.\n\n- [x] done\n\n| a | b |\n|---|---:|\n| 1 | 2 |\n\n[^n]: Note.\n",
    )]);
    tricky.folio(&["build", "--format", "html"]).ok();
    pages.push(tricky.out("report.html"));

    // A published site: canonical link, Open Graph and Twitter tags, a
    // preview image, a logo.
    let published = Fixture::new(&[
        ("content/a.md", "---\ntitle: Chips outlook\nlang: en\ndate: 2023-06-12\ncore_views: Views.\n---\n\n# Demand\n\nText.\n"),
        ("img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><rect width=\"8\" height=\"8\"/></svg>\n"),
        ("folio.toml", "[site]\nname = \"Desk\"\nbase_url = \"https://research.example.com/\"\nlogo = \"img/logo.svg\"\n"),
    ]);
    published.folio(&["build", "--site"]).ok();
    pages.push(published.out("site/a.html"));
    pages.push(published.out("site/index.html"));

    let math = Fixture::new(&[("content/formulas.md", include_str!("../data/math/formulas.md"))]);
    math.write("content/commands.md", include_str!("../data/math/commands.md"));
    math.folio(&["build", "--format", "html"]).ok();
    pages.push(math.out("formulas.html"));
    // Formulas drawn by typst (SVG images) beside MathML.
    pages.push(math.out("commands.html"));

    let out = Command::new("java").arg("-jar").arg(&jar).arg("--errors-only").args(&pages).output().expect("run java");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && report.trim().is_empty(), "Nu checker errors:\n{report}");
}
