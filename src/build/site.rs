//! `folio build --site`: `output/site/` ready for any static host — an index
//! of every report, each report's HTML and PDF, the stylesheet under a
//! content-hashed name, and only relative links.

use std::path::Path;

use minijinja::{context, Environment, Value};

use crate::build::{BuildReport, Output, ReportInfo};
use crate::diag::{Diagnostic, Result};
use crate::template::to_value;
use crate::template_files::Templates;

/// FNV-1a: a stable content hash for asset names (same bytes, same name on
/// every machine and Rust version).
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:016x}", h)[..10].to_string()
}

/// The stylesheet's site path, e.g. `assets/style.1a2b3c4d5e.css`.
pub fn css_href(templates: &Templates) -> Result<String> {
    let css = templates.get("style.css")?;
    Ok(format!("assets/style.{}.css", content_hash(css.text.as_bytes())))
}

/// The stylesheet under its hashed name and `index.html` listing `reports`.
pub fn index_outputs(reports: &[ReportInfo], has_pdf: bool, templates: &Templates, site_dir: &Path) -> Result<Vec<Output>> {
    let css = templates.get("style.css")?;
    let href = css_href(templates)?;
    let mut out = vec![Output { path: site_dir.join(&href), bytes: css.text.as_bytes().to_vec() }];
    let page = templates.get("index.html")?;
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    crate::template::filters::register(&mut env);
    env.add_template("index.html", &page.text).map_err(|e| templates.error(&page, &e))?;
    let reports: Vec<Value> = reports
        .iter()
        .map(|r| {
            context! {
                name => r.name.clone(),
                html => relative_href(&format!("{}.html", r.name)),
                pdf => if has_pdf { Some(relative_href(&format!("{}.pdf", r.name))) } else { None },
                meta => to_value(&r.front),
            }
        })
        .collect();
    let html = env
        .get_template("index.html")
        .and_then(|t| t.render(context! { reports => reports, css_href => href }))
        .map_err(|e| templates.error(&page, &e))?;
    out.push(Output { path: site_dir.join("index.html"), bytes: html.into_bytes() });
    Ok(out)
}

/// A link to a file beside the page: `./` and percent-encoding, so that a
/// report named `javascript:alert(1)` is a file name, never a URL scheme.
pub fn relative_href(file: &str) -> String {
    let mut out = String::from("./");
    for b in file.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn error_if_empty(report: &BuildReport) -> Result<()> {
    if report.reports.is_empty() {
        return Err(Diagnostic::error("no report was built, so there is no site to write").into());
    }
    Ok(())
}
