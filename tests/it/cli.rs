//! The command line as a terminal or a CI log sees it: one progress bar on
//! a terminal, few plain lines in a pipe, only the summary with --quiet;
//! shell completions and the man page.

use std::time::Instant;

use crate::common::*;

/// A family of `n` one-line notes, one with a formula folio refuses (a warning).
fn notes(n: usize) -> Fixture {
    let mut csv = String::from("t\n");
    for i in 0..n {
        csv.push_str(&format!("T{i:03}\n"));
    }
    Fixture::new(&[
        ("content/notes.md", "---\neach: f\nname: \"{{ row.t }}\"\ntitle: \"{{ row.t }}\"\nlang: en\n---\n\nHello {{ row.t }}.{% if row.t == 'T007' %} $\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(\\left(x$.{% endif %}\n"),
        ("content/data/f.csv", &csv),
    ])
}

/// The summary lines a build ends with.
fn is_summary(line: &str) -> bool {
    line.starts_with("built ") || line.starts_with("  wrote ") || line.starts_with("done in") || line.contains("up to date")
}

#[test]
fn a_terminal_sees_one_bar_that_updates_in_place() {
    // util-linux's `script` runs folio on a pseudo-terminal.
    if !tool("script") {
        return;
    }
    let f = notes(200);
    let out = std::process::Command::new("script")
        .args(["-qfec", &format!("{} build --format pdf", env!("CARGO_BIN_EXE_folio")), "/dev/null"])
        .current_dir(f.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("built 200 reports (200 pages of PDF)"), "{text}");
    // The bar's region ends where it was cleared for the diagnostics and
    // the summary.
    let bar_end = text.rfind("\x1b[2K").unwrap_or_else(|| panic!("no bar: {text:?}"));
    let bar = &text[..bar_end];
    assert!(bar.matches('\r').count() > 5, "no in-place updates: {bar:?}");
    assert!(bar.matches('\n').count() < 10, "{} lines while building: {bar:?}", bar.matches('\n').count());
    assert!(bar.contains("/200"), "{bar:?}");
    // The report that warned is named above the bar as it happens; its
    // warning follows, before the summary.
    assert!(bar.contains("1 warning(s): content/notes.md [T007] (they follow)"), "{bar:?}");
    let after = &text[bar_end..];
    assert!(after.contains("warning") && after.contains("cannot be typeset") && after.find("cannot be typeset") < after.find("built 200 reports"), "{after:?}");
}

#[test]
fn a_pipe_gets_at_most_a_line_a_second_and_the_summary() {
    let f = notes(200);
    let start = Instant::now();
    let run = f.folio(&["build", "--format", "pdf"]).ok();
    let secs = start.elapsed().as_secs() as usize;
    let progress: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with('[')).collect();
    assert!(!progress.is_empty() && progress.len() <= secs + 1, "{} progress lines in {secs} s:\n{}", progress.len(), run.stderr);
    assert!(run.stderr.contains("built 200 reports (200 pages of PDF)\n  wrote 200 files into output\n"), "{}", run.stderr);
    // --verbose: every report's line, as before.
    let run = f.folio(&["build", "--format", "pdf", "--force", "--verbose"]).ok();
    assert_eq!(run.stderr.lines().filter(|l| l.starts_with('[')).count(), 200);
    assert!(run.stderr.contains("[200/200] content/notes.md ["), "{}", run.stderr);
}

#[test]
fn quiet_prints_only_errors_and_the_summary() {
    let f = notes(20);
    let run = f.folio(&["build", "--format", "pdf", "--quiet"]).ok();
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(lines.iter().all(|l| is_summary(l)), "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // An error still shows, with the summary of what failed.
    f.write("content/data/f.csv", "t\nT000\nT001\n");
    f.write("content/notes.md", "---\neach: f\nname: \"{{ row.t }}\"\ntitle: T\nlang: en\n---\n\n{{ row.nope }}\n");
    let run = f.folio(&["check", "-q"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error: ") && run.stderr.contains("build failed with"), "{}", run.stderr);
    let run = f.folio(&["build", "-q", "-v"]);
    assert_eq!(run.code, 2, "--quiet and --verbose conflict: {}", run.stderr);
}

#[test]
fn completions_and_the_man_page_come_from_the_same_definitions() {
    let bin = env!("CARGO_BIN_EXE_folio");
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = std::process::Command::new(bin).args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("--shard") && script.contains("completions"), "{shell}: {script}");
        if shell == "bash" {
            let path = dir.path().join("folio.bash");
            std::fs::write(&path, &script).unwrap();
            let check = std::process::Command::new("bash").arg("-n").arg(&path).output().unwrap();
            assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
        }
    }
    let out = std::process::Command::new(bin).arg("man").output().unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH folio 1") && page.contains("Research reports from Markdown and data"), "{page}");
}
