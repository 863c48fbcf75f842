//! Hostile and unusual input: links out of the project, a served folder,
//! inputs that used to panic, exhaust time or memory, data posing as
//! labels, and the output folder's files. Sizes are small and time bounds
//! generous: each case must end quickly with a clear error, never hang.

use std::io::{Read, Write};
use std::os::unix::fs::symlink;
use std::time::{Duration, Instant};

use crate::common::*;

const HEAD: &str = "---\ntitle: T\nlang: en\n---\n\n";
const SECRET: &str = "TOP-SECRET-LINE outside the project\n";

fn outside_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("secret.txt");
    std::fs::write(&p, SECRET).unwrap();
    (dir, p)
}

fn fails_quickly(f: &Fixture, args: &[&str], within: Duration) -> String {
    let start = Instant::now();
    let run = f.folio(args);
    assert!(start.elapsed() < within, "took {:?}", start.elapsed());
    assert_eq!(run.code, 1, "expected a failure:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr
}

#[test]
fn links_to_files_outside_the_project_are_refused() {
    let (_keep, secret) = outside_file();
    for (link, wants) in [
        ("content/leak.md", "content/leak.md is a link to a file outside the project folder"),
        ("templates/style.css", "templates/style.css is a link to a file outside the project folder"),
        ("templates/page.html", "templates/page.html is a link to a file outside the project folder"),
        ("folio.toml", "folio.toml is a link to a file outside the project folder"),
    ] {
        let f = Fixture::new(&[("content/report.md", &format!("{HEAD}hello\n"))]);
        std::fs::create_dir_all(f.root().join(link).parent().unwrap()).unwrap();
        symlink(&secret, f.root().join(link)).unwrap();
        let err = fails_quickly(&f, &["build"], Duration::from_secs(60));
        assert!(err.contains(wants), "{link}: {err}");
        assert!(!err.contains("TOP-SECRET"), "{link} leaked into the message: {err}");
        for out in std::fs::read_dir(f.root().join("output")).into_iter().flatten().flatten() {
            let bytes = std::fs::read(out.path()).unwrap();
            assert!(!String::from_utf8_lossy(&bytes).contains("TOP-SECRET"), "{link} leaked into {:?}", out.path());
        }
    }
}

#[test]
fn an_output_link_to_elsewhere_is_refused_unless_named_with_out() {
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("keep.txt"), "mine").unwrap();
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}hello\n"))]);
    symlink(elsewhere.path(), f.root().join("output")).unwrap();
    let err = fails_quickly(&f, &["build"], Duration::from_secs(60));
    assert!(err.contains("output is a link to a folder outside the project"), "{err}");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 1);
    f.folio(&["build", "--out", elsewhere.path().to_str().unwrap()]).ok();
    assert!(elsewhere.path().join("report.pdf").is_file());
    assert!(elsewhere.path().join("keep.txt").is_file());
}

/// `folio serve` on a free port; returns the child and the port.
pub fn serve(f: &Fixture) -> (std::process::Child, u16) {
    serve_with(f, &[])
}

/// `folio serve --port 0` with more arguments (e.g. `--lineage`).
pub fn serve_with(f: &Fixture, more: &[&str]) -> (std::process::Child, u16) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["serve", "--port", "0"])
        .args(more)
        .current_dir(f.root())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = child.stderr.take().unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 256];
    let start = Instant::now();
    while !seen.contains("watching") && start.elapsed() < Duration::from_secs(60) {
        let n = err.read(&mut buf).unwrap();
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let port = seen.split("http://127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).and_then(|p| p.parse().ok()).expect(&seen);
    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    (child, port)
}

pub fn get(port: u16, request: &str) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

#[test]
fn serve_keeps_to_its_folder_its_host_and_its_limits() {
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}hello\n"))]);
    std::fs::create_dir_all(f.root().join("output")).unwrap();
    symlink("/", f.root().join("output/rootlink")).unwrap();
    let (mut child, port) = serve(&f);
    let ok = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    assert!(get(port, &ok("/report.html")).starts_with("HTTP/1.1 200"));
    assert!(get(port, &ok("/rootlink/etc/passwd")).starts_with("HTTP/1.1 404"));
    assert!(get(port, &format!("GET /report.html HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n")).starts_with("HTTP/1.1 200"));
    // The site is built and served too: `/` leads to it, a folder is its
    // index page, and a missing page under it is the site's 404 page.
    assert!(get(port, &format!("GET /site/index.html HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n")).starts_with("HTTP/1.1 200"));
    let root = get(port, &ok("/"));
    assert!(root.starts_with("HTTP/1.1 302") && root.to_ascii_lowercase().contains("\r\nlocation: /site/\r\n"), "{root}");
    let site = get(port, &ok("/site/"));
    assert!(site.starts_with("HTTP/1.1 200") && site.contains("<h1"), "{site}");
    let missing = get(port, &ok("/site/no-such-report.html"));
    assert!(missing.starts_with("HTTP/1.1 404") && missing.contains("index.html"), "{missing}");
    assert!(get(port, "GET /report.html HTTP/1.1\r\nHost: attacker.example\r\n\r\n").starts_with("HTTP/1.1 403"));
    assert!(get(port, "GET /report.html HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 403"));
    // A huge header line is cut off at the head limit.
    let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(200_000));
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let _ = s.write_all(huge.as_bytes());
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    assert!(out.starts_with("HTTP/1.1 431"), "{out}");
    // A client that sends its head slowly is dropped after the deadline.
    let start = Instant::now();
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut out = String::new();
    let _ = slow.read_to_string(&mut out);
    assert!(start.elapsed() < Duration::from_secs(12), "held for {:?}", start.elapsed());
    // Connections are capped: past 256 idle ones, the next is closed at once.
    let idle: Vec<_> = (0..256).map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut extra = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    extra.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let mut buf = [0u8; 16];
    assert_eq!(extra.read(&mut buf).unwrap_or(usize::MAX), 0, "the 257th connection was not closed");
    drop(idle);
    std::thread::sleep(Duration::from_millis(300));
    assert!(get(port, &ok("/report.html")).starts_with("HTTP/1.1 200"));
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn inputs_that_used_to_panic_are_clear_errors() {
    let f = Fixture::new(&[
        ("content/report.md", &format!("{HEAD}{{{{ data.m | length }}}}\n")),
        ("content/data/m.csv", "a,b\r\n1,2\r\n3\r\n"),
    ]);
    let err = fails_quickly(&f, &["build"], Duration::from_secs(60));
    assert!(err.contains("CSV row has 1 cells but the header has 2\n --> content/data/m.csv:3:"), "{err}");
    std::fs::remove_file(f.root().join("content/data/m.csv")).unwrap();
    f.write("content/data/m.toml", "a = 1\r\nb = \"open\r\n");
    let err = fails_quickly(&f, &["build"], Duration::from_secs(60));
    assert!(err.contains("invalid TOML in data file"), "{err}");
    for filter in ["num(65536)", "fixed(65536)", "pct(70000)"] {
        f.write("content/report.md", &format!("{HEAD}{{{{ 1 | {filter} }}}}\n"));
        let err = fails_quickly(&f, &["build"], Duration::from_secs(60));
        assert!(err.contains("takes 0 to 20 decimals"), "{filter}: {err}");
    }
}

/// Found by the property test: a heading inside a footnote had no id, and
/// typst refused its empty label.
#[test]
fn a_heading_inside_a_footnote_builds() {
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}Text[^1].\n\n[^1]: note\n    # Inside\n"))]);
    f.folio(&["build"]).ok();
    assert_eq!(select_text(&f.html("report.html"), ".footnotes h1"), vec!["Inside"]);
    assert!(f.pdf_text("report.pdf").contains("Inside"));
}

#[test]
fn deep_math_long_footnote_chains_and_control_characters_do_not_crash() {
    let math = format!("{HEAD}${}x{}$\n", "{ ".repeat(20_000), " }".repeat(20_000));
    let f = Fixture::new(&[("content/report.md", &math)]);
    f.folio(&["build", "--format", "typst"]).ok();
    f.folio(&["build", "--format", "pdf"]).ok();
    let mut notes = format!("{HEAD}Start[^1].\n\n");
    for i in 1..10_000 {
        notes.push_str(&format!("[^{i}]: see[^{}]\n\n", i + 1));
    }
    f.write("content/report.md", &notes);
    let err = fails_quickly(&f, &["build"], Duration::from_secs(60));
    assert!(err.contains("error: footnotes refer to footnotes more than 8 deep"), "{err}");
    f.write("content/report.md", &format!("{HEAD}```chart\nkind: bar\nrows: [{{k: \"a\\u0001b\", v: 1}}]\nx: k\ny: v\ncaption: C\nalt: A\n```\n"));
    f.folio(&["build"]).ok();
    assert!(!f.html_source("report.html").contains('\u{1}'));
}

#[test]
fn resource_hungry_data_ends_quickly_with_an_error() {
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}{{{{ data.d | length }}}}\n"))]);
    let limit = Duration::from_secs(30);
    // A header of a million columns (was quadratic).
    f.write("content/data/d.csv", &format!("{}\n", (0..1_000_000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",")));
    assert!(fails_quickly(&f, &["build"], limit).contains("more than 1000000 values"));
    std::fs::remove_file(f.root().join("content/data/d.csv")).unwrap();
    // YAML nested 100,000 deep (was 40 s in the scanner), in data and front matter.
    f.write("content/data/d.yaml", &format!("x: {}", "[".repeat(100_000)));
    assert!(fails_quickly(&f, &["build"], limit).contains("nested more than 64 deep"));
    std::fs::remove_file(f.root().join("content/data/d.yaml")).unwrap();
    f.write("content/report.md", &format!("---\ntitle: T\nx: {}\n---\n", "[".repeat(100_000)));
    assert!(fails_quickly(&f, &["build"], limit).contains("front matter nests lists or records more than 64 deep"));
    // Many empty cells, and records nested in one JSON object.
    f.write("content/report.md", &format!("{HEAD}{{{{ data.d | length }}}}\n"));
    f.write("folio.toml", "[limits]\ndata_values = 10000\n");
    f.write("content/data/d.csv", &format!("{}\n{}", "a,".repeat(99) + "a", (",".repeat(99) + "\n").repeat(200)));
    assert!(fails_quickly(&f, &["build"], limit).contains("more than 10000 values"));
    std::fs::remove_file(f.root().join("content/data/d.csv")).unwrap();
    let rows: Vec<String> = (0..20_000).map(|i| format!("{{\"x\": {i}, \"y\": {i}}}")).collect();
    f.write("content/data/d.json", &format!("{{\"rows\": [{}]}}", rows.join(",")));
    assert!(fails_quickly(&f, &["build"], limit).contains("more than 10000 values"));
    // A chart of too many points, and a huge table cell.
    f.write("folio.toml", "[limits]\nchart_points = 1000\n");
    f.write("content/report.md", &format!("{HEAD}```chart\nkind: line\ndata: d\nx: x\ny: y\ncaption: C\nalt: A\n```\n"));
    assert!(fails_quickly(&f, &["build"], limit).contains("chart would draw 20000 points from data set `d`, over the limit of 1000"));
    f.write("content/report.md", &format!("{HEAD}| a |\n|---|\n| {} |\n", ".".repeat(300_000)));
    assert!(fails_quickly(&f, &["build"], limit).contains("a table cell holds 300000 characters, over the limit of 5000"));
    // Counting 20,000 distinct values (was quadratic).
    let csv: String = std::iter::once("k\n".to_string()).chain((0..20_000).map(|i| format!("v{i}\n"))).collect();
    std::fs::remove_file(f.root().join("content/data/d.json")).unwrap();
    f.write("content/data/d.csv", &csv);
    f.write("folio.toml", "[limits]\nchart_points = 100000\n");
    f.write("content/report.md", &format!("{HEAD}```chart\nkind: bar\ndata: d\nx: k\naggregate: count\ncaption: C\nalt: A\n```\n"));
    let start = Instant::now();
    let _ = f.folio(&["build", "--format", "html"]);
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());
    // A template that prints without end.
    f.write("content/report.md", &format!("{HEAD}{{% set s = 'x' * 1000000 %}}{{% for i in range(100) %}}{{{{ s }}}}{{% endfor %}}\n"));
    f.write("folio.toml", "[limits]\noutput_mb = 8\n");
    assert!(fails_quickly(&f, &["build"], limit).contains("the template prints more than the output limit"));
}

#[test]
fn output_files_are_readable_by_others_and_builds_take_turns() {
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}hello\n")), ("output/.folio-tmp-mine", "a user's file")]);
    f.folio(&["build"]).ok();
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(f.out("report.pdf")).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode & 0o044, 0o044, "mode {mode:o} is not readable by group and others");
    assert!(f.out(".folio-tmp-mine").is_file(), "a user's file was deleted");
    // A stale temp file of a process that is gone is cleaned.
    f.write("output/.folio-tmp-999999999-abc", "stale");
    f.folio(&["build"]).ok();
    assert!(!f.out(".folio-tmp-999999999-abc").exists());
    // Two builds into one folder at once both succeed.
    let root = f.root().to_path_buf();
    let handles: Vec<_> = (0..2).map(|_| {
        let root = root.clone();
        std::thread::spawn(move || run_in(&root, &["build", "--site"]))
    }).collect();
    for h in handles {
        h.join().unwrap().ok();
    }
}

#[test]
fn a_report_name_never_becomes_a_link_scheme() {
    let f = Fixture::new(&[("content/javascript:alert(1).md", &format!("{HEAD}hello\n"))]);
    f.folio(&["build", "--site", "--format", "html"]).ok();
    let index = std::fs::read_to_string(f.root().join("output/site/index.html")).unwrap();
    assert!(!index.contains("href=\"javascript:"), "{index}");
    assert!(index.contains("javascript%3Aalert%281%29.html\""), "{index}");
}
