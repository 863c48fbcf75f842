//! `folio build` / `folio check`: plans which reports to build (`plan`),
//! runs each through the per-report stages (`run`, `one`) and its backends
//! (`backend`), and writes what is built once per build (`finish`).

pub(crate) mod assets;
mod backend;
mod backends;
pub mod diff;
pub mod feed;
pub mod lineage;
mod finish;
mod formulas;
pub mod manifest;
pub mod merge;
mod one;
mod options;
pub mod output;
mod plan;
pub mod progress;
mod record;
mod report;
mod run;
pub mod search;
pub mod session;
pub mod shard;
pub mod site;
mod snippet;
mod tex_names;
pub mod watchdog;
pub mod webfonts;
mod writer;

pub use crate::build::options::{parse_set, BuildOptions, Format};
pub use crate::build::report::{describe, BuildReport, Output, ReportInfo};
pub use crate::build::session::Session;
pub use crate::build::snippet::snippet;
pub use crate::core::timings::Timings;
pub use crate::pdf::fonts::Fonts;
pub use crate::pdf::world::PdfStandard;

use std::path::PathBuf;

use crate::core::diag::Result;

/// Builds of up to this many reports list each file they wrote (`folio
/// build` prints them); a larger one (a family) counts them instead.
pub const LISTED_REPORTS: usize = 64;

/// Build with a fresh session (a one-shot build).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    build_with(opts, &Session::new())
}

/// Build, reusing what `session` holds from earlier builds.
pub fn build_with(opts: &BuildOptions, session: &Session) -> Result<BuildReport> {
    let mut report = BuildReport::default();
    // What typst needs before it lays out the first page (the fonts in the
    // binary and the template parsed: 9 ms), then, when the reports look
    // as if they need them, typst's syntax definitions for code and the
    // citation locales, or else the hashes of the fonts the template will
    // set them in, are made ready on the other core while the project is
    // read, the plan made and the first report turned into markup.
    let typeset = backend::for_format(opts.format).iter().any(|b| b.writes_pdf());
    std::thread::scope(|scope| {
        let (ahead_tx, ahead_rx) = std::sync::mpsc::channel::<Ahead>();
        if typeset {
            scope.spawn(move || {
                crate::core::threads::yield_to_the_build();
                crate::pdf::fonts::prepare();
                if let Ok(ahead) = ahead_rx.recv() {
                    crate::pdf::world::FolioWorld::prepare(&ahead.root, ahead.template, &session.sources, ahead.code);
                    if ahead.cites {
                        crate::model::cite::prepare();
                    }
                    crate::pdf::fonts::ready(&ahead.faces);
                }
            });
        }
        // rayon's threads take 2-3 ms to start: they start now, while the
        // project is read, not when the first report is handed to them.
        rayon::spawn(|| ());
        let opened = plan::open(opts, session, &mut report)?;
        if let (true, Ok(template)) = (typeset, opened.templates.get("research.typ")) {
            let _ = ahead_tx.send(Ahead::of(&opened, &template.text));
        }
        drop(ahead_tx);
        let plan = plan::plan(&opened, opts, &mut report)?;
        let worked = run::run(&opened, &|| plan::fonts(&opened, &plan, session), &plan, opts, session, &mut report)?;
        if !opts.dry_run {
            plan.hashes.keep();
        }
        finish::finish(&opened, plan, worked, opts, &mut report)?;
        Ok(report)
    })
}

/// What the build readies ahead on the other core, as far as the project
/// shows it before any report is built (its first reports: a family's
/// members share their text).
struct Ahead {
    root: PathBuf,
    template: String,
    /// Some report holds code in a language (typst highlights only that):
    /// typst's syntax definitions are loaded (4 ms).
    code: bool,
    /// Some report has a bibliography: the citation locales are read (3 ms).
    cites: bool,
    /// The faces of the fonts in the binary the reports will set text in,
    /// as far as the template and their text show it: each font's data is
    /// hashed ahead (2-4 ms for a CJK font).
    faces: Vec<crate::pdf::fonts::Face>,
}

/// Whether `body` holds a fenced block of code in a language (```rust),
/// which typst highlights: chart blocks and code with no language name are
/// set without typst's syntax definitions.
fn fences_a_language(body: &str) -> bool {
    body.lines().any(|line| {
        let line = line.trim_start();
        let Some(info) = line.strip_prefix("```").or_else(|| line.strip_prefix("~~~")) else { return false };
        let lang = info.trim_start_matches(['`', '~']).split_whitespace().next().unwrap_or("");
        !lang.is_empty() && !matches!(lang, "chart" | "charts")
    })
}

impl Ahead {
    fn of(opened: &plan::Opened, template: &str) -> Ahead {
        let first = &opened.all[..opened.all.len().min(LISTED_REPORTS)];
        let code = first.iter().any(|r| fences_a_language(&r.body));
        let cites = opened.project.config.bibliography.is_some() || first.iter().any(|r| r.front.contains_key("bibliography"));
        // Hashing the fonts ahead saves a one-page note 4 ms of its 60. With
        // code or citations the other core has work of its own before the
        // first page: there it only slowed the flagship's deep-dive (2%).
        let faces = if code || cites { vec![] } else { faces_ahead(&opened.project.config.brand, template, first) };
        Ahead { root: opened.project.root.clone(), template: template.to_string(), code, cites, faces }
    }
}

/// The faces the built-in template will set the `first` reports in, when
/// the project keeps that template and names no fonts of its own (a
/// house's fonts are its own files, and its template its own choice).
fn faces_ahead(brand: &crate::input::brand::Brand, template: &str, first: &[crate::input::project::ReportSource]) -> Vec<crate::pdf::fonts::Face> {
    let built_in = crate::input::template_files::BUILTIN.iter().any(|(name, text)| *name == "research.typ" && *text == template);
    if !built_in || brand.body_font.is_some() || brand.heading_font.is_some() {
        return vec![];
    }
    let lang_zh = |r: &crate::input::project::ReportSource| r.front.get("lang").and_then(|l| l.as_str()).is_some_and(|l| l.starts_with("zh"));
    let chinese = first.iter().any(|r| lang_zh(r) || r.body.chars().any(crate::core::words::is_cjk));
    let bold = first.iter().any(|r| r.body.contains("**") || r.body.contains("__"));
    crate::pdf::fonts::built_in_template_faces(chinese, bold)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_code_in_a_language_readies_the_syntax_definitions() {
        use super::fences_a_language as code;
        assert!(code("Text\n\n```rust\nfn main() {}\n```\n"));
        assert!(code("  ~~~ python\nx = 1\n~~~\n"));
        assert!(!code("```chart\nkind: bar\n```\n\n````charts\n- kind: pie\n````\n"));
        assert!(!code("`inline` code, and\n\n```\nno language\n```\n\n    indented\n"));
    }
}
