//! The working loop: new, check, site, watch and serve, run as a user would.

use crate::common::*;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn new_project_builds_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["new", "proj"]).ok();
    assert!(run.stderr.contains("created proj/content/report.md"), "{}", run.stderr);
    run_in(dir.path(), &["build", "proj", "--strict"]).ok();
    let text = pdf_text(&dir.path().join("proj/output/report.pdf"));
    assert!(text.contains("示例报告") && text.contains("表1：季度收入") && text.contains("图1：季度收入（亿元）"), "{text}");
    let again = run_in(dir.path(), &["new", "proj"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("proj already exists and is not empty"), "{}", again.stderr);
}

#[test]
fn check_writes_nothing_and_reports_soundness() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: T\nlang: en\n---\n\nok\n")]);
    let run = f.folio(&["check"]).ok();
    assert!(run.stderr.contains("check passed: 1 report(s)"), "{}", run.stderr);
    assert!(!f.out("report.pdf").exists() && !f.out("report.html").exists());
    f.write("content/report.md", "---\ntitle: T\nlang: en\n---\n\n{{ nope }}\n");
    assert_eq!(f.folio(&["check"]).code, 1);
    // Two data files with the same mistake, one read by the report: both
    // errors at once, each naming its own file.
    f.write("content/report.md", "---\ntitle: T\nlang: en\n---\n\n{{ data.a.x }}\n");
    f.write("content/data/a.toml", "x = \n");
    f.write("content/data/b.toml", "x = \n");
    let run = f.folio(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--> content/data/a.toml:1:") && run.stderr.contains("--> content/data/b.toml:1:"), "{}", run.stderr);
    assert!(run.stderr.contains("build failed with 2 error(s)"), "{}", run.stderr);
}

fn links(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("[href], [src]").unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr("href").or(e.value().attr("src")).map(str::to_string))
        .collect()
}

#[test]
fn site_folder_has_only_relative_links_that_resolve() {
    let f = Fixture::new(&[
        ("content/a.md", "---\ntitle: 报告甲\ndate: 2023-05-04\nrating: {action: 维持, rating: 强于大市}\ncore_views: 甲的核心观点。\n---\n\n# 一\n\n见@sec:b。\n\n# 二 {#sec:b}\n\n文字。\n"),
        ("content/b.md", "---\ntitle: 报告乙\nlang: zh\n---\n\n# 乙\n\n内容。\n"),
    ]);
    f.folio(&["build", "--site"]).ok();
    let site = f.root().join("output/site");
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    let doc = scraper::Html::parse_document(&index);
    assert_eq!(select_text(&doc, ".report-card h2 a"), ["报告甲", "报告乙"]);
    assert_eq!(select_text(&doc, ".card-rating"), ["维持 强于大市"]);
    assert_eq!(select_text(&doc, ".card-summary"), ["甲的核心观点。"]);
    let mut checked = 0;
    for page in ["index.html", "a.html", "b.html"] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        for link in links(&html) {
            if let Some(anchor) = link.strip_prefix('#') {
                assert!(html.contains(&format!("id=\"{anchor}\"")), "{page}: dangling {link}");
                continue;
            }
            assert!(!link.starts_with('/') && !link.contains("://"), "{page}: non-relative link {link}");
            let file = link.split('#').next().unwrap();
            assert!(site.join(file).is_file(), "{page}: {link} does not resolve");
            checked += 1;
        }
    }
    assert!(checked >= 7, "only {checked} links checked");
    let assets: Vec<_> = std::fs::read_dir(site.join("assets")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    let css: Vec<_> = assets.iter().filter(|a| a.ends_with(".css")).collect();
    assert_eq!(css.len(), 1);
    assert!(css[0].starts_with("style.") && css[0].len() == "style.0123456789.css".len(), "{css:?}");
    // The stylesheet's fonts (the CJK faces of these Chinese pages) resolve
    // beside it.
    let sheet = std::fs::read_to_string(site.join("assets").join(css[0])).unwrap();
    let fonts: Vec<&str> = sheet.split("url(\"").skip(1).filter_map(|r| r.split('"').next()).filter(|u| u.starts_with("folio-serif") || u.starts_with("folio-sans")).collect();
    assert_eq!(fonts.len(), 10, "{sheet}");
    for f in fonts {
        assert!(site.join("assets").join(f).is_file(), "{f} does not resolve");
    }
}

/// A folio process that is killed when the test ends, with its stderr collected.
struct Running {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Running {
    fn start(dir: &std::path::Path, args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        Running { child, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Wait until stderr holds `needle` `times` times.
    fn wait_for(&self, needle: &str, times: usize) {
        let start = Instant::now();
        while self.stderr().matches(needle).count() < times {
            assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {needle:?}:\n{}", self.stderr());
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn watch_fixture() -> Fixture {
    Fixture::new(&[
        ("content/report.md", "---\ntitle: Watched\nlang: en\n---\n\nValue {{ data.d[0].v }} and word alpha.\n"),
        ("content/data/d.csv", "v\n111\n"),
    ])
}

#[test]
fn watch_rebuilds_on_content_data_and_template_changes_and_survives_errors() {
    let f = watch_fixture();
    let w = Running::start(f.root(), &["watch"]);
    w.wait_for("watching for changes", 1);
    assert!(f.pdf_text("report.pdf").contains("Value111andwordalpha."));
    // Reading the inputs (this build's, and ours just now) is no change.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(w.stderr().matches("watching for changes").count(), 1, "rebuilt with nothing changed:\n{}", w.stderr());

    f.write("content/report.md", "---\ntitle: Watched\nlang: en\n---\n\nValue {{ data.d[0].v }} and word beta.\n");
    w.wait_for("watching for changes", 2);
    wait_until("content change", || f.pdf_text("report.pdf").contains("wordbeta"));

    f.write("content/data/d.csv", "v\n222\n");
    w.wait_for("watching for changes", 3);
    wait_until("data change", || f.pdf_text("report.pdf").contains("Value222"));

    f.write("templates/style.css", "body { color: rgb(1, 2, 3); }\n");
    w.wait_for("watching for changes", 4);
    wait_until("template change", || f.html_source("report.html").contains("rgb(1, 2, 3)"));

    let good_pdf = std::fs::read(f.out("report.pdf")).unwrap();
    f.write("content/report.md", "---\ntitle: Watched\nlang: en\n---\n\nBroken {{ nope }}\n");
    w.wait_for("build failed; the previous outputs are kept", 1);
    assert!(w.stderr().contains("error: undefined value\n --> content/report.md:6:11\n"), "{}", w.stderr());
    assert_eq!(std::fs::read(f.out("report.pdf")).unwrap(), good_pdf, "a failed build touched the PDF");

    f.write("content/report.md", "---\ntitle: Watched\nlang: en\n---\n\nRepaired {{ data.d[0].v }}.\n");
    w.wait_for("watching for changes", 6);
    wait_until("recovery", || f.pdf_text("report.pdf").contains("Repaired222."));
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(w.stderr().matches("watching for changes").count(), 6, "rebuilt with nothing changed:\n{}", w.stderr());
}

fn http_get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn serve_answers_on_loopback_and_pushes_reloads_and_errors() {
    let f = watch_fixture();
    let w = Running::start(f.root(), &["serve", "--port", "0"]);
    w.wait_for("watching for changes", 1);
    let err = w.stderr();
    let port: u16 = err.split("http://127.0.0.1:").nth(1).unwrap().split('/').next().unwrap().parse().unwrap();

    let page = http_get(port, "/report.html");
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
    assert!(page.contains("Value 111 and word alpha."));
    assert!(page.contains("new EventSource(\"/__folio/events\")"), "no reload script");
    assert!(!f.html_source("report.html").contains("EventSource"), "the script leaked into the file");
    // `/` opens the site, whose index lists the report.
    assert!(http_get(port, "/").to_ascii_lowercase().contains("\r\nlocation: /site/\r\n"));
    assert!(http_get(port, "/site/").contains("report.html"));
    assert!(http_get(port, "/../../etc/passwd").starts_with("HTTP/1.1 404"));
    let pdf = http_get(port, "/report.pdf");
    // Header names are case-insensitive (hyper writes them in lower case).
    assert!(pdf.to_ascii_lowercase().contains("content-type: application/pdf") && pdf.contains("%PDF-"));

    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    events.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(events, "GET /__folio/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut reader = BufReader::new(events);
    let mut seen = String::new();
    let mut read_until = |needle: &str, seen: &mut String| {
        while !seen.contains(needle) {
            let mut line = String::new();
            assert!(reader.read_line(&mut line).unwrap() > 0, "event stream closed: {seen}");
            seen.push_str(&line);
        }
    };
    read_until(": connected", &mut seen);
    f.write("content/data/d.csv", "v\n333\n");
    // The page's file is named as soon as it is written, then the build ends.
    read_until("event: changed", &mut seen);
    read_until("event: built", &mut seen);
    // The page beside the PDF first (written as soon as it is rendered),
    // then the rest of the report's files.
    let changed: Vec<Vec<String>> = seen.split("event: changed\ndata: ").skip(1).map(|e| serde_json::from_str(e.lines().next().unwrap()).unwrap()).collect();
    assert_eq!(changed[0], ["report.html"], "{changed:?}");
    let all: Vec<&String> = changed.iter().flatten().collect();
    assert!(all.contains(&&"site/report.html".to_string()) && all.contains(&&"report.pdf".to_string()), "{changed:?}");
    assert!(http_get(port, "/report.html").contains("Value 333"));

    f.write("content/report.md", "---\ntitle: Watched\nlang: en\n---\n\n{{ nope }}\n");
    read_until("event: build-error", &mut seen);
    read_until("error: undefined value", &mut seen);
}

#[test]
fn watch_rebuilds_when_a_workbook_or_a_query_appears() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: Watched\nlang: en\n---\n\n{% if data.q is defined %}Rows {{ data.q | length }}.{% else %}No query.{% endif %}\n")]);
    let w = Running::start(f.root(), &["watch"]);
    w.wait_for("watching for changes", 1);
    assert!(f.html_source("report.html").contains("No query."));
    // A query needs its database: a SQLite file first (no build), then the query.
    f.write("folio.toml", "database = \"data/x.db\"\n");
    w.wait_for("watching for changes", 2);
    std::fs::create_dir_all(f.root().join("content/data")).unwrap();
    let conn = rusqlite::Connection::open(f.root().join("content/data/x.db")).unwrap();
    conn.execute_batch("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3);").unwrap();
    drop(conn);
    f.write("content/data/q.sql", "SELECT v FROM t\n");
    wait_until("the new query to be read", || f.html_source("report.html").contains("Rows 3."));
    // A workbook that appears is read too.
    f.write("content/report.md", "---\ntitle: Watched\nlang: en\n---\n\n{% if data.book is defined %}Book {{ data.book.rows | length }}.{% else %}No book.{% endif %}\n");
    wait_until("the report to change", || f.html_source("report.html").contains("No book."));
    std::fs::copy(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/data/cloud.xlsx"), f.root().join("content/data/book.xlsx")).unwrap();
    wait_until("the new workbook to be read", || f.html_source("report.html").contains("Book "));
}

#[test]
fn watch_removes_the_outputs_of_a_deleted_report() {
    let f = watch_fixture();
    f.write("content/other.md", "---\ntitle: Other\nlang: en\n---\n\nOther text.\n");
    let w = Running::start(f.root(), &["watch"]);
    w.wait_for("watching for changes", 1);
    assert!(f.out("other.pdf").is_file() && f.out("other.html").is_file());
    std::fs::remove_file(f.root().join("content/other.md")).unwrap();
    wait_until("the deleted report's outputs to go", || !f.out("other.pdf").exists() && !f.out("other.html").exists());
    assert!(f.out("report.pdf").is_file(), "the remaining report's outputs stay");
}

#[test]
fn watch_keeps_the_outputs_of_a_large_familys_members_it_did_not_list() {
    // 70 members: past LISTED_REPORTS, a build counts them instead of
    // listing each; watch must not take an unlisted member for a gone one.
    let mut csv = String::from("ticker,v\n");
    for i in 0..70 {
        csv.push_str(&format!("T{i:02},{}\n", 100 + i));
    }
    let f = Fixture::new(&[
        ("content/notes.md", "---\neach: rows\nname: \"{{ row.ticker }}\"\ntitle: \"{{ row.ticker }}\"\nlang: en\n---\n\nValue {{ row.v }}.\n"),
        ("content/data/rows.csv", &csv),
    ]);
    let w = Running::start(f.root(), &["watch"]);
    w.wait_for("watching for changes", 1);
    // One row, then another: each build lists the one member it built.
    f.write("content/data/rows.csv", &csv.replace("T03,103", "T03,903"));
    w.wait_for("watching for changes", 2);
    wait_until("T03 rebuilt", || f.pdf_text("T03.pdf").contains("Value903."));
    f.write("content/data/rows.csv", &csv.replace("T03,103", "T03,903").replace("T07,107", "T07,907"));
    w.wait_for("watching for changes", 3);
    wait_until("T07 rebuilt", || f.pdf_text("T07.pdf").contains("Value907."));
    std::thread::sleep(Duration::from_millis(300));
    for i in 0..70 {
        assert!(f.out(&format!("T{i:02}.pdf")).is_file() && f.out(&format!("T{i:02}.html")).is_file(), "T{i:02}'s outputs are gone:\n{}", w.stderr());
    }
}
