//! The trust boundary: nothing a downloaded project holds (its manifest
//! records, output folder, shard folders, database setting, fonts,
//! formulas, workbooks) makes folio read, write or delete outside it, open
//! a connection, hang, or exhaust memory.

use std::io::{Read, Write};
use std::os::unix::fs::symlink;
use std::time::{Duration, Instant};

use crate::common::*;
use crate::hostile::{get, serve};

const HEAD: &str = "---\ntitle: T\nlang: en\n---\n\n";

fn report(body: &str) -> Fixture {
    Fixture::new(&[("content/report.md", &format!("{HEAD}{body}\n"))])
}

/// A folder beside the project with files an attack would touch.
fn victims() -> (tempfile::TempDir, Vec<std::path::PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = ["v1.txt", "v2.txt"].iter().map(|n| dir.path().join(n)).collect();
    for f in &files {
        std::fs::write(f, "mine").unwrap();
    }
    (dir, files)
}

/// Most memory any input may make a build hold (the issue's bound).
const MAX_PEAK_MB: u64 = 2048;

/// Run folio in the fixture, bounded in time, and require its peak memory
/// (VmHWM, read from /proc while it runs) under `MAX_PEAK_MB`.
fn timed(f: &Fixture, args: &[&str], within: Duration) -> Run {
    let start = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(f.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (out, err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let read_all = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let readers = (read_all(Box::new(out)), read_all(Box::new(err)));
    let mut peak_kb = 0u64;
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code().unwrap_or(-1);
        }
        if let Ok(s) = std::fs::read_to_string(format!("/proc/{}/status", child.id())) {
            if let Some(kb) = s.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok()) {
                peak_kb = peak_kb.max(kb);
            }
        }
        assert!(start.elapsed() < within + Duration::from_secs(30), "{args:?} still running after {:?}", start.elapsed());
        std::thread::sleep(Duration::from_millis(5));
    };
    let run = Run { code, stdout: readers.0.join().unwrap(), stderr: readers.1.join().unwrap() };
    assert!(start.elapsed() < within, "{args:?} took {:?}", start.elapsed());
    assert!(peak_kb / 1024 < MAX_PEAK_MB, "{args:?} peaked at {} MB", peak_kb / 1024);
    assert!(!run.stderr.contains("panicked") && run.code != 134 && run.code != -1, "{}", run.stderr);
    run
}

#[test]
fn a_hostile_manifest_record_deletes_nothing_outside_the_outputs() {
    let (_keep, files) = victims();
    let f = report("hello");
    f.folio(&["build"]).ok();
    let rel = format!("../../../../../../..{}", files[0].display());
    let record = serde_json::json!({
        "name": "gone", "source": "content/gone.md", "row": null, "key": "x",
        "files": {}, "outputs": {rel.clone(): "0", files[1].to_str().unwrap(): "0"},
        "pages": 1, "front": {}, "math": false, "seal": "00"
    });
    std::fs::write(f.out("manifest/gone.json"), record.to_string()).unwrap();
    // The same with outputs as a list, the older shape.
    std::fs::write(f.out("manifest/old.json"), format!(r#"{{"name":"old","source":"content/old.md","row":null,"key":"x","files":{{}},"outputs":["{rel}"],"pages":1,"front":{{}}}}"#)).unwrap();
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for v in &files {
        assert_eq!(std::fs::read_to_string(v).unwrap(), "mine", "{} was touched", v.display());
    }
    assert!(run.stderr.contains("warning: ignored a manifest record that does not fit its report"), "{}", run.stderr);
    // A record that fits but no folio of this user sealed: nothing it lists
    // is deleted, even a file that would be the report's own.
    std::fs::write(f.out("gone.pdf"), "kept").unwrap();
    let record = serde_json::json!({
        "name": "gone", "source": "content/gone.md", "row": null, "key": "x",
        "files": {}, "outputs": {"gone.pdf": "0"}, "pages": 1, "front": {}, "math": false, "seal": "00"
    });
    std::fs::write(f.out("manifest/gone.json"), record.to_string()).unwrap();
    std::fs::remove_file(f.out("manifest/old.json")).unwrap();
    f.folio(&["build"]).ok();
    assert_eq!(std::fs::read_to_string(f.out("gone.pdf")).unwrap(), "kept");
}

#[test]
fn a_record_edited_or_shipped_with_the_project_is_not_trusted() {
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}Value {{{{ data.d[0].v }}}}.\n")), ("content/data/d.csv", "v\nfirst\n")]);
    f.folio(&["build"]).ok();
    assert!(f.folio(&["build"]).ok().stderr.contains("1 report(s) up to date"));
    // The data file dropped from what the report read, then the data edited:
    // the edited record no longer carries this user's seal.
    let path = f.out("manifest/report.json");
    let mut record: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    record["files"].as_object_mut().unwrap().retain(|k, _| !k.ends_with("d.csv"));
    std::fs::write(&path, record.to_string()).unwrap();
    f.write("content/data/d.csv", "v\nsecond\n");
    f.folio(&["build"]).ok();
    assert!(f.pdf_text("report.pdf").contains("second"), "{}", f.pdf_text("report.pdf"));
    // A replaced PDF is not up to date.
    std::fs::write(f.out("report.pdf"), b"%PDF-1.7 not folio's").unwrap();
    let run = f.folio(&["build"]).ok();
    assert!(!run.stderr.contains("up to date"), "{}", run.stderr);
    assert!(f.pdf_text("report.pdf").contains("second"));
    // A record whose files are a device and a FIFO: neither is read.
    let mut record: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let fifo = f.root().join("content/data/fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    symlink("/dev/zero", f.root().join("content/data/zero")).unwrap();
    record["files"]["content/data/fifo"] = "0".into();
    record["files"]["content/data/zero"] = "0".into();
    std::fs::write(&path, record.to_string()).unwrap();
    let run = timed(&f, &["build"], Duration::from_secs(30));
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A large file's stamp (size, times, inode) is kept in the user's cache,
/// so that the next build need not read it to know it unchanged (a
/// project's fonts); an edit that keeps the size and sets the modification
/// time back is still seen. The records stay free of it.
#[test]
fn a_large_file_is_known_by_its_stamp_and_an_edit_that_hides_its_time_is_not_missed() {
    let rows: String = (0..60_000).map(|i| format!("{i:07},a row of the table\n")).collect();
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}Value {{{{ data.d[0].v }}}}.\n")), ("content/data/d.csv", &format!("v,w\nfirst,x\n{rows}"))]);
    let cache = tempfile::tempdir().unwrap();
    let build = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio")).arg("build").current_dir(f.root()).env("XDG_CACHE_HOME", cache.path()).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    // File times move in coarse ticks: only a file unchanged for 2 s gets a stamp.
    std::thread::sleep(Duration::from_millis(2100));
    build();
    let kept: Vec<_> = std::fs::read_dir(cache.path().join("folio/stamps")).unwrap().flatten().collect();
    assert_eq!(kept.len(), 1);
    assert!(std::fs::read_to_string(kept[0].path()).unwrap().contains("d.csv"));
    assert!(!std::fs::read_to_string(f.out("manifest/report.json")).unwrap().contains("stamp"));
    assert!(build().contains("1 report(s) up to date"));
    let path = f.root().join("content/data/d.csv");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::write(&path, format!("v,w\nfirxt,x\n{rows}")).unwrap();
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();
    assert_eq!((std::fs::metadata(&path).unwrap().modified().unwrap(), std::fs::metadata(&path).unwrap().len()), (modified, len));
    assert!(!build().contains("up to date"));
    assert!(f.pdf_text("report.pdf").contains("firxt"), "{}", f.pdf_text("report.pdf"));
}

#[test]
fn links_inside_output_are_not_written_through() {
    for (link, args) in [("manifest", vec!["build"]), ("site", vec!["build", "--site"]), ("report.typst", vec!["build", "--format", "typst"])] {
        let elsewhere = tempfile::tempdir().unwrap();
        let f = report("hello");
        std::fs::create_dir_all(f.root().join("output")).unwrap();
        symlink(elsewhere.path(), f.root().join("output").join(link)).unwrap();
        let run = f.folio(&args);
        assert_eq!(run.code, 1, "{link}: {}", run.stderr);
        assert!(run.stderr.contains(&format!("output/{link} is a link; folio writes no output through a link")), "{link}: {}", run.stderr);
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0, "{link}: something was written through the link");
    }
}

#[test]
fn a_shard_folder_is_copied_only_as_far_as_it_accounts_for_its_files() {
    let (_keep, files) = victims();
    let f = report("hello");
    let shard = f.root().join("s1");
    f.folio(&["build", "--site", "--shard", "0/1", "--out", shard.to_str().unwrap()]).ok();
    let out = f.root().join("merged");
    let merge = |f: &Fixture| f.folio(&["site", "--from", shard.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(merge(&f).code, 0);
    // A record naming a file outside the shard.
    let path = shard.join("manifest/report.json");
    let good = std::fs::read_to_string(&path).unwrap();
    let mut record: serde_json::Value = serde_json::from_str(&good).unwrap();
    record["outputs"][format!("../../../../../../..{}", files[0].display())] = "0".into();
    std::fs::write(&path, record.to_string()).unwrap();
    let run = merge(&f);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("holds a manifest record folio cannot use") && run.stderr.contains("which is not an output of report `report`"), "{}", run.stderr);
    // A link in the shard to a file elsewhere.
    std::fs::write(&path, &good).unwrap();
    std::fs::remove_file(shard.join("site/report.pdf")).unwrap();
    symlink(&files[1], shard.join("site/report.pdf")).unwrap();
    let run = merge(&f);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("s1/site/report.pdf is a link; folio follows no links here"), "{}", run.stderr);
    assert!(!out.join("site/report.pdf").exists() || std::fs::read(out.join("site/report.pdf")).unwrap() != b"mine");
    for v in &files {
        assert_eq!(std::fs::read_to_string(v).unwrap(), "mine");
    }
}

#[test]
fn a_sqlite_database_is_a_project_file_opened_without_side_files() {
    let outside = tempfile::tempdir().unwrap();
    let db = outside.path().join("x.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('SECRET-ROW');").unwrap();
    drop(conn);
    let body = "{% for r in data.q %}{{ r.v }}{% endfor %}";
    for setting in [db.to_str().unwrap().to_string(), "../../x.db".to_string(), "data/link.db".to_string()] {
        let f = Fixture::new(&[("content/report.md", &format!("{HEAD}{body}\n")), ("content/data/q.sql", "SELECT v FROM t\n"), ("folio.toml", &format!("database = \"{setting}\"\n"))]);
        symlink(&db, f.root().join("content/data/link.db")).unwrap();
        let run = f.folio(&["build"]);
        assert_eq!(run.code, 1, "{setting}: {}", run.stderr);
        assert!(run.stderr.contains("is outside the project folder") || run.stderr.contains("is a link; folio follows no links here"), "{setting}: {}", run.stderr);
        assert!(!run.stderr.contains("SECRET"));
    }
    // Inside the project, a WAL database is read and nothing is made beside it.
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}{body}\n")), ("content/data/q.sql", "SELECT v FROM t\n"), ("folio.toml", "database = \"data/x.db\"\n")]);
    std::fs::copy(&db, f.root().join("content/data/x.db")).unwrap();
    f.folio(&["build", "--format", "html"]).ok();
    assert!(f.html_source("report.html").contains("SECRET-ROW"));
    let mut beside: Vec<String> = std::fs::read_dir(f.root().join("content/data")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    beside.sort();
    assert_eq!(beside, ["q.sql", "x.db"]);
}

#[test]
fn a_project_file_alone_never_opens_a_connection() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let f = Fixture::new(&[
        ("content/report.md", &format!("{HEAD}{{% for r in data.q %}}{{{{ r.v }}}}{{% endfor %}}\n")),
        ("content/data/q.sql", "SELECT 1 AS v\n"),
        ("folio.toml", &format!("database = \"postgres://u:p@127.0.0.1:{port}/db\"\n")),
    ]);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&format!("folio.toml names the PostgreSQL server 127.0.0.1:{port}/db; a project's files alone never make folio connect anywhere")), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("FOLIO_ALLOW_DATABASE_HOST=127.0.0.1:{port}")), "{}", run.stderr);
    assert!(listener.accept().is_err(), "the listener received a connection");
}

/// A fake server on loopback: `answer` gets each accepted connection.
fn fake_server(answer: fn(std::net::TcpStream)) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in listener.incoming().take(4).flatten() {
            std::thread::spawn(move || answer(s));
        }
    });
    port
}

#[test]
fn an_allowed_server_is_bounded_by_folio_in_time_and_bytes() {
    let allowed = |port: u16, f: &Fixture| {
        let start = Instant::now();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio")).args(["build"]).current_dir(f.root()).env("FOLIO_ALLOW_DATABASE_HOST", format!("127.0.0.1:{port}")).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned(), start.elapsed())
    };
    let project = |port: u16| {
        Fixture::new(&[
            ("content/report.md", &format!("{HEAD}{{% for r in data.q %}}{{{{ r.v }}}}{{% endfor %}}\n")),
            ("content/data/q.sql", "SELECT 1 AS v\n"),
            ("folio.toml", &format!("database = \"postgres://u:p@127.0.0.1:{port}/db\"\n[limits]\nquery_seconds = 1\ndata_mb = 1\n")),
        ])
    };
    // Accepts and reads, never answers.
    let silent = fake_server(|mut s| {
        let mut buf = [0u8; 1024];
        while s.read(&mut buf).is_ok_and(|n| n > 0) {}
    });
    let (code, err, took) = allowed(silent, &project(silent));
    assert_eq!(code, Some(1), "{err}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert!(err.contains("cannot reach the PostgreSQL server") || err.contains("did not finish answering"), "{err}");
    // Claims a 2 GB message and streams it.
    let flood = fake_server(|mut s| {
        let mut buf = [0u8; 1024];
        let _ = s.read(&mut buf);
        let _ = s.write_all(&[b'R', 0x7f, 0xff, 0xff, 0xff]);
        let chunk = vec![0u8; 1 << 16];
        while s.write_all(&chunk).is_ok() {}
    });
    let (code, err, took) = allowed(flood, &project(flood));
    assert_eq!(code, Some(1), "{err}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn fonts_are_read_through_no_link_and_under_a_cap() {
    let f = report("hello");
    std::fs::create_dir_all(f.root().join("fonts")).unwrap();
    symlink("/dev/zero", f.root().join("fonts/z.ttf")).unwrap();
    let run = timed(&f, &["build"], Duration::from_secs(60));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let elsewhere = tempfile::tempdir().unwrap();
    let f = report("hello");
    symlink(elsewhere.path(), f.root().join("fonts")).unwrap();
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("fonts is a link; folio follows no links here"), "{}", run.stderr);
}

#[test]
fn formulas_that_would_overflow_or_never_end_are_shown_as_tex() {
    for tex in [r"\left(".repeat(2000), r"\sqrt".repeat(5000) + "x", r"\frac1".repeat(5000) + "2", r"\mathbf".repeat(5000) + "x", r"\overline".repeat(5000) + "x", r"\begin{aligned}".repeat(3000), format!("x{}", "^".repeat(5000)), r"\newcommand{\a}{\a} \a".into(), r"\newcommand{\a}{\a\a} \a".into()] {
        let f = report(&format!("$$\n{tex}\n$$"));
        let run = timed(&f, &["build"], Duration::from_secs(60));
        assert_eq!(run.code, 0, "{}: {}", &tex[..20.min(tex.len())], run.stderr);
        assert!(run.stderr.contains("warning:") && run.stderr.contains("content/report.md:"), "{}: {}", &tex[..20.min(tex.len())], run.stderr);
    }
}

#[test]
fn workbooks_cannot_make_folio_allocate_what_they_declare() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile");
    for (file, wants) in [("dimension-bomb.xlsx", "spans A1:XFD1048576"), ("many-cells.xlsx", "holds more than 1000000 cells")] {
        let f = report("{{ data.book.rows | length }}");
        std::fs::create_dir_all(f.root().join("content/data")).unwrap();
        std::fs::copy(dir.join(file), f.root().join("content/data/book.xlsx")).unwrap();
        let run = timed(&f, &["build"], Duration::from_secs(60));
        assert_eq!(run.code, 1, "{file}: {}", run.stderr);
        assert!(run.stderr.contains(wants), "{file}: {}", run.stderr);
    }
}

#[test]
fn sizes_are_bounded_as_they_grow() {
    // SQL answers count their bytes.
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}{{{{ data.q | length }}}}\n")), ("content/data/q.sql", "SELECT v FROM t\n"), ("folio.toml", "database = \"data/x.db\"\n[limits]\ndata_mb = 1\n")]);
    let conn = rusqlite::Connection::open(f.root().join("content/data/x.db")).unwrap();
    conn.execute_batch("CREATE TABLE t (v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) INSERT INTO t SELECT printf('%.*c', 200000, 'x') FROM n;").unwrap();
    drop(conn);
    let run = timed(&f, &["build"], Duration::from_secs(60));
    assert!(run.stderr.contains("is larger than 1 MiB"), "{}", run.stderr);
    // Literal text a loop repeats counts as it is written.
    let f = report(&format!("{{% for i in range(10000) %}}{{% for j in range(10000) %}}{}{{% endfor %}}{{% endfor %}}", "x".repeat(200)));
    let run = timed(&f, &["build"], Duration::from_secs(60));
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("renders to more than 16 MiB of Markdown"), "{}", run.stderr);
    // A string doubled without printing: the watchdog ends the build.
    let f = Fixture::new(&[
        ("content/report.md", &format!("{HEAD}{{% set ns = namespace(s='xxxxxxxx') %}}{{% for i in range(40) %}}{{% set ns.s = ns.s ~ ns.s %}}{{% endfor %}}{{{{ ns.s | length }}}}\n")),
        ("folio.toml", "[limits]\nmemory_mb = 600\n"),
    ]);
    let run = timed(&f, &["build"], Duration::from_secs(60));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error: building content/report.md used more than 600 MiB of memory; folio stopped"), "{}", run.stderr);
    // With the default limit the build still ends under 2 GB (see `timed`).
    std::fs::remove_file(f.root().join("folio.toml")).unwrap();
    let run = timed(&f, &["build"], Duration::from_secs(60));
    assert!(run.stderr.contains("used more than 1792 MiB of memory; folio stopped"), "{}", run.stderr);
    // typst told to make a 4 GB string in a project's own template.
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}hello\n")), ("folio.toml", "[limits]\nmemory_mb = 600\n")]);
    let template = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/research.typ")).unwrap();
    f.write("templates/research.typ", &format!("{template}\n#let folio-bomb = \"a\" * 4000000000\n"));
    let run = timed(&f, &["build"], Duration::from_secs(60));
    assert!(run.stderr.contains("used more than 600 MiB of memory; folio stopped"), "{}", run.stderr);
    // Bounded before the work: an indent a billion wide, a paragraph of
    // 300,000 characters, a chart of a million inline points.
    let f = report("{{ 'a\nb' | indent(1000000000) }}");
    let run = timed(&f, &["build"], Duration::from_secs(10));
    assert!(run.stderr.contains("indent(1000000000) is wider than 100 spaces"), "{}", run.stderr);
    for body in [".".repeat(300_000), "*a ".repeat(100_000)] {
        let f = report(&body);
        let run = timed(&f, &["build"], Duration::from_secs(10));
        assert!(run.stderr.contains("characters, more than the 100000 folio sets in one\n --> content/report.md:6:1"), "{}", run.stderr);
    }
    let rows: Vec<String> = (0..1_000_000).map(|i| format!("[{i},{i}]")).collect();
    let f = report(&format!("```chart\ntype: line\ncaption: c\nrows: [{}]\n```", rows.join(",")));
    let run = timed(&f, &["build"], Duration::from_secs(10));
    assert!(run.stderr.contains("chart spec holds far more values than a chart draws (50000 points at most)"), "{}", run.stderr);
    // A report too slow to build: the watchdog again, naming it.
    let f = Fixture::new(&[("content/report.md", &format!("{HEAD}{}\n", ".\n\n".repeat(30_000))), ("folio.toml", "[limits]\nreport_seconds = 1\n")]);
    let run = timed(&f, &["build"], Duration::from_secs(60));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error: building content/report.md took longer than 1 s; folio stopped"), "{}", run.stderr);
    // A report file past the cap is refused before it is read.
    let f = report("");
    let big = std::fs::File::create(f.root().join("content/big.md")).unwrap();
    big.set_len(17 << 20).unwrap();
    let run = timed(&f, &["build"], Duration::from_secs(60));
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/big.md is 17 MiB, over the 16 MiB limit"), "{}", run.stderr);
}

#[test]
fn serve_opens_no_link_and_streams_reloads_without_a_thread_each() {
    let (_keep, files) = victims();
    let f = report("hello");
    f.folio(&["build", "--site"]).ok();
    std::fs::create_dir_all(f.out("foo")).unwrap();
    symlink(&files[0], f.out("foo/index.html")).unwrap();
    std::fs::remove_file(f.out("site/404.html")).unwrap();
    symlink(&files[1], f.out("site/404.html")).unwrap();
    let (mut child, port) = serve(&f);
    let req = |path: &str, host: &str| format!("GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n");
    let foo = get(port, &req("/foo/", "127.0.0.1"));
    assert!(foo.starts_with("HTTP/1.1 404") && !foo.contains("mine"), "{foo}");
    let missing = get(port, &req("/site/nothing.html", "127.0.0.1"));
    assert!(missing.starts_with("HTTP/1.1 404") && !missing.contains("mine"), "{missing}");
    assert!(get(port, &req("/report.html", "LOCALHOST")).starts_with("HTTP/1.1 200"));
    // Event streams opened and dropped: no thread is left per stream.
    let threads = || std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap().lines().find_map(|l| l.strip_prefix("Threads:").map(|n| n.trim().parse::<usize>().unwrap())).unwrap();
    let before = threads();
    for _ in 0..2000 {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let _ = s.write_all(req("/__folio/events", "localhost").as_bytes());
    }
    std::thread::sleep(Duration::from_millis(500));
    assert!(threads() <= before + 4, "{} threads, {before} before", threads());
    // Open streams past their cap are refused; pages are still served.
    let open: Vec<_> = (0..64)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.write_all(req("/__folio/events", "localhost").as_bytes()).unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    assert!(get(port, &req("/report.html", "localhost")).starts_with("HTTP/1.1 200"));
    drop(open);
    // 64 clients that send half a head and come back as soon as they are
    // dropped: pages are still served meanwhile.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let slow: Vec<_> = (0..64)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else { continue };
                    let _ = s.write_all(b"GET / HTTP/1.1\r\n");
                    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                    let _ = s.read(&mut [0u8; 16]);
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..5 {
        assert!(get(port, &req("/report.html", "localhost")).starts_with("HTTP/1.1 200"));
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for t in slow {
        t.join().unwrap();
    }
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn what_a_site_prints_from_data_stays_well_formed_and_inert() {
    let f = Fixture::new(&[
        ("content/report.md", "---\ntitle: \"A\\u0001B\\uFFFE\"\nlang: en\ndate: 2024-01-15\n---\n\nhello\n"),
        ("folio.toml", "[site]\nbase_url = \"https://example.com/r/\"\n"),
    ]);
    f.folio(&["build", "--site"]).ok();
    for file in ["site/feed.xml", "site/sitemap.xml"] {
        let xml = std::fs::read_to_string(f.out(file)).unwrap();
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{file} is not well-formed: {e}\n{xml}"));
    }
    // A title from a data cell holding U+0001: no page, feed or index holds it.
    let f = Fixture::new(&[
        ("content/notes.md", "---\neach: firms\nname: \"{{ row.t }}\"\ntitle: \"{{ row.n }}\"\nlang: en\ndate: 2024-01-15\n---\n\nx\n"),
        ("content/data/firms.csv", "t,n\nAAA,A\u{1}B\n"),
        ("folio.toml", "[site]\nbase_url = \"https://example.com/r/\"\n"),
    ]);
    f.folio(&["build", "--site"]).ok();
    for file in ["site/feed.xml", "site/sitemap.xml", "site/index.html", "site/AAA.html", "AAA.html"] {
        let text = std::fs::read_to_string(f.out(file)).unwrap();
        assert!(!text.contains('\u{1}'), "{file} holds U+0001");
        if file.ends_with(".xml") {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file} is not well-formed: {e}"));
        }
    }
    let f = Fixture::new(&[
        ("content/report.md", &format!("{HEAD}hello\n")),
        ("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script><rect width=\"1\" height=\"1\"/></svg>"),
        ("folio.toml", "[site]\nlogo = \"logo.svg\"\n"),
    ]);
    let run = f.folio(&["build", "--site"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("the logo logo.svg holds a <script> element"), "{}", run.stderr);
}

#[test]
fn an_empty_name_cell_names_no_report() {
    let f = Fixture::new(&[("content/notes.md", "---\neach: firms\nname: \"{{ row.ticker }}\"\ntitle: T\n---\n\nx\n"), ("content/data/firms.csv", "ticker,n\nAAA,1\n,2\n")]);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("it prints an empty cell"), "{}", run.stderr);
    assert!(!f.out("None.pdf").exists() && !f.out("none.pdf").exists());
}
