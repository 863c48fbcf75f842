//! Helpers for integration tests: fixture projects in temp folders, the real
//! binary, and readers for its PDF and HTML output.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Fixture {
    root: PathBuf,
    /// Removed when the fixture is dropped; `None` for a shared fixture.
    _temp: Option<tempfile::TempDir>,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Fixture {
    /// A project with the given files (path relative to the project root → text).
    pub fn new(files: &[(&str, &str)]) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        Fixture { root: dir.path().to_path_buf(), _temp: Some(dir) }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn write(&self, path: &str, text: &str) {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Run folio with the project folder as working directory.
    pub fn folio(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    pub fn out(&self, name: &str) -> PathBuf {
        self.root().join("output").join(name)
    }

    pub fn pdf_text(&self, name: &str) -> String {
        pdf_text(&self.out(name))
    }

    pub fn html(&self, name: &str) -> scraper::Html {
        scraper::Html::parse_document(&std::fs::read_to_string(self.out(name)).unwrap())
    }

    pub fn html_source(&self, name: &str) -> String {
        std::fs::read_to_string(self.out(name)).unwrap()
    }
}

/// A project made of the repository's own folders, each `(from, to)`.
pub fn from_repo(dirs: &[(&str, &str)]) -> Fixture {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let f = Fixture::new(&[]);
    for (from, to) in dirs {
        folio::core::paths::copy_dir(&repo.join(from), &f.root().join(to)).unwrap();
    }
    f
}

/// A fixture built once per test process, for the tests that only read its
/// outputs. It lives in cargo's per-target temp folder (made afresh by the
/// first test that asks), so nothing is left in the system temp folder.
pub fn shared(cell: &'static std::sync::OnceLock<Fixture>, name: &str, make: impl FnOnce(&Path)) -> &'static Fixture {
    cell.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        make(&root);
        Fixture { root, _temp: None }
    })
}

/// A copy of the flagship project (its content; templates are built in).
pub fn flagship() -> Fixture {
    let f = from_repo(&[("content", "content")]);
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("folio.toml");
    std::fs::copy(config, f.root().join("folio.toml")).unwrap();
    f
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run folio");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Run {
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "folio failed:\n{}", self.stderr);
        self
    }
}

/// The PDF's text with all whitespace removed (PDF text extraction spaces
/// CJK and Latin unpredictably).
pub fn pdf_text(path: &Path) -> String {
    let text = pdf_extract::extract_text(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    squash(&text)
}

pub fn pdf_pages(path: &Path) -> Vec<String> {
    pdf_extract::extract_text_by_pages(path).unwrap().iter().map(|p| squash(p)).collect()
}

pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Visible text of all elements matching a CSS selector.
pub fn select_text(doc: &scraper::Html, css: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(css).unwrap();
    doc.select(&sel).map(|e| e.text().collect::<String>()).collect()
}

/// A minimal Chinese report with one data table.
pub const REPORT: &str = r#"---
title: 测试报告
subtitle: 副标题
lang: zh
date: 2023-05-04
author: 测试分析师
---

# 概况

模型数量：{{ data.models | length }}。最大参数量：{{ (data.models | sort(attribute="params") | last).params }}。

Table: 模型参数 {#tbl:models}

| 模型 | 参数 |
|---|---:|
{% for m in data.models %}
| {{ m.name }} | {{ m.params }} |
{% endfor %}

数据来源：测试数据

如@tbl:models 所示。
"#;

pub const MODELS_CSV: &str = "name,params\nGPT-3,175\nPaLM,540\n";

/// The value of the JavaScript expression `js` on `html` as Chromium lays it
/// out at a window `width` px wide; None (skipped) where there is no Chromium
/// outside CI.
pub fn chromium_probe(html: &str, width: u32, js: &str) -> Option<String> {
    let chromium = ["chromium", "chromium-browser"].into_iter().find(|c| Command::new(c).arg("--version").output().is_ok());
    let Some(chromium) = chromium else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium (.ci/run installs it)");
        eprintln!("skipped: no chromium on this machine");
        return None;
    };
    let probe = format!("<script>document.body.setAttribute('data-probe', String({js}));</script></body>");
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, html.replace("</body>", &probe)).unwrap();
    Some(probe_result(chromium, &page, width, &[]))
}

/// Opens `page` in headless Chromium (with `extra` arguments) at `width` px
/// and returns what its script left in `data-probe` on the body.
pub fn probe_result(chromium: &str, page: &Path, width: u32, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])
        .args(extra)
        .arg(format!("--user-data-dir={}", profile.path().join("profile").display()))
        .arg(format!("--window-size={width},900"))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let value = dom.split("data-probe=\"").nth(1).and_then(|r| r.split('"').next()).map(str::to_string);
    value.unwrap_or_else(|| panic!("no probe result in {dom}"))
}

/// Whether a command-line tool (qpdf, poppler) is here; CI must have it.
pub fn tool(name: &str) -> bool {
    let found = Command::new(name).arg("--version").output().is_ok();
    if !found {
        // CI installs the tool; only a developer machine may lack it.
        assert!(std::env::var_os("CI").is_none(), "{name} is missing in CI (.ci/run installs it)");
        eprintln!("skipping: {name} is not installed");
    }
    found
}
