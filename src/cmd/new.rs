//! `folio new DIR`: a project that builds as it is — a sample report with a
//! data file, a table and a chart, using the built-in research template.

use std::path::Path;

use crate::core::diag::{display_path, Diagnostic};

/// The sample report in each language folio writes.
const REPORTS: [(&str, &str); 2] = [("zh", include_str!("new/report.md")), ("en", include_str!("new/report.en.md"))];

const FILES: [(&str, &str); 3] = [
    ("content/data/sales.csv", include_str!("new/sales.csv")),
    (".gitignore", "/output/\n"),
    ("folio.toml", include_str!("new/folio.toml")),
];

/// A new project in `dir` with a sample report in `lang` (`zh` or `en`).
pub fn new_project(dir: &Path, lang: &str) -> Result<Vec<String>, Diagnostic> {
    let Some((_, report)) = REPORTS.iter().find(|(l, _)| *l == lang) else {
        return Err(Diagnostic::error(format!("no sample report in `{lang}`")).hint("use --lang zh or --lang en"));
    };
    if dir.exists() && std::fs::read_dir(dir).map_err(|e| Diagnostic::io("read", dir, &e))?.next().is_some() {
        return Err(Diagnostic::error(format!("{} already exists and is not empty", display_path(dir)))
            .hint("choose a new folder name; folio new never overwrites files"));
    }
    let mut written = Vec::new();
    for (rel, text) in std::iter::once(("content/report.md", *report)).chain(FILES) {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Diagnostic::io("create", parent, &e))?;
        }
        std::fs::write(&path, text).map_err(|e| Diagnostic::io("write", &path, &e))?;
        written.push(display_path(&path));
    }
    std::fs::create_dir_all(dir.join("output")).map_err(|e| Diagnostic::io("create", dir, &e))?;
    Ok(written)
}
