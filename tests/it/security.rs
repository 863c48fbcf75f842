//! The project folder is the boundary: nothing outside it is read, by
//! includes, images, data, or a template's own typst code.

use crate::common::*;

fn refused(f: &Fixture, needle: &str) -> String {
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1, "expected a refusal:\n{}", run.stderr);
    assert!(run.stderr.contains(needle), "{}", run.stderr);
    assert!(!run.stderr.contains("root:x:0"), "a system file was read");
    assert!(!f.out("report.pdf").exists());
    run.stderr
}

const PLAIN: &str = "---\ntitle: T\nlang: en\n---\n\nok\n";

#[test]
fn absolute_and_escaping_includes_are_refused() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: T\n---\n\n{% include \"/etc/passwd\" %}\n")]);
    refused(&f, "absolute path `/etc/passwd` is not allowed");
    f.write("content/report.md", "---\ntitle: T\n---\n\n{% include \"../../../../etc/passwd\" %}\n");
    refused(&f, "leads outside the project folder");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_project_are_refused() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: T\nlang: en\n---\n\n![x](etc/passwd)\n")]);
    std::os::unix::fs::symlink("/etc", f.root().join("content/etc")).unwrap();
    refused(&f, "is a link that points outside the project folder");

    let f = Fixture::new(&[("content/report.md", "---\ntitle: T\nlang: en\n---\n\n{{ data.pw | length }}\n")]);
    std::fs::create_dir_all(f.root().join("content/data")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", f.root().join("content/data/pw.csv")).unwrap();
    refused(&f, "data file content/data/pw.csv links outside the project folder");
}

#[test]
fn a_template_cannot_read_outside_the_project() {
    let template = |path: &str| {
        format!(
            "#let report(meta, body) = {{ read(\"{path}\"); body }}\n#let folio-figure(..a) = none\n#let folio-row(..a) = none\n#let folio-table(..a) = none\n#let folio-equation(..a) = none\n"
        )
    };
    let f = Fixture::new(&[("content/report.md", PLAIN), ("templates/research.typ", &template("/../../../../etc/passwd"))]);
    let err = refused(&f, " --> templates/research.typ:1:");
    assert!(err.contains("error: "), "{err}");
    #[cfg(unix)]
    {
        let f = Fixture::new(&[("content/report.md", PLAIN), ("templates/research.typ", &template("/outside/passwd"))]);
        std::os::unix::fs::symlink("/etc", f.root().join("outside")).unwrap();
        refused(&f, " --> templates/research.typ:1:");
    }
}

#[test]
fn typst_packages_are_not_available() {
    let f = Fixture::new(&[
        ("content/report.md", PLAIN),
        ("templates/research.typ", "#import \"@preview/example:0.1.0\": *\n#let report(meta, body) = body\n#let folio-figure(..a) = none\n#let folio-row(..a) = none\n#let folio-table(..a) = none\n#let folio-equation(..a) = none\n"),
    ]);
    refused(&f, " --> templates/research.typ:1:");
}
