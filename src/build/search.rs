//! The site's search, with no server: Pagefind (its Rust library, with the
//! `extended` feature that segments Chinese) indexes every report page of
//! the site into `site/pagefind/`, beside its search UI. Results give the
//! report's title, an excerpt and links to the headings that match.

use std::path::Path;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::build::{Output, ReportInfo};
use crate::core::diag::{Diagnostic, Result};

pub const DIR: &str = "pagefind";

/// The index of the report pages already written in `site_dir`, one per
/// page language (`<html lang>`), so that each is segmented and stemmed as
/// its language is (Chinese by words, English by stems); the index page
/// searches all of them (`mergeIndex` in index.html).
pub fn search_outputs(site_dir: &Path, reports: &[ReportInfo]) -> Result<Vec<Output>> {
    let failed = |what: String| Diagnostic::error(format!("the site's search index: {what}"));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| failed(e.to_string()))?;
    let files = runtime.block_on(async {
        let options = PagefindServiceConfig::builder().keep_index_url(true).build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| failed(e.to_string()))?;
        for r in reports {
            let file = format!("{}.html", r.name);
            let Ok(html) = std::fs::read_to_string(site_dir.join(&file)) else { continue };
            index.add_html_file(Some(file.clone()), None, html).await.map_err(|e| failed(format!("{file}: {e}")))?;
        }
        index.get_files().await.map_err(|e| failed(e.to_string()))
    })?;
    Ok(files.into_iter().map(|f| Output { path: site_dir.join(DIR).join(f.filename), bytes: f.contents }).collect())
}
