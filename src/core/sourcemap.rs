//! Maps text found in the rendered Markdown back to the user's files.
//!
//! minijinja gives no output-to-source map, so a construct found after
//! rendering (a label, an image path) is located by searching the sources
//! that took part for its exact text, preferring the report line it came from.

use std::path::PathBuf;
use std::sync::Arc;

use crate::core::diag::{line_start, Location};

#[derive(Debug, Clone)]
pub struct SourceMap {
    pub sources: Vec<(PathBuf, Arc<str>)>,
    pub rendered: Arc<str>,
}

impl SourceMap {
    /// Where `needle`, seen on 1-based `rendered_line` of the rendered text,
    /// was written.
    pub fn locate(&self, needle: &str, rendered_line: usize) -> Option<Location> {
        let mut best: Option<(usize, Location)> = None;
        for (path, text) in &self.sources {
            for (at, _) in text.match_indices(needle) {
                let line = text[..at].matches('\n').count() + 1;
                let distance = line.abs_diff(rendered_line);
                if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                    best = Some((distance, Location::new(path.clone(), text.clone(), at..at + needle.len())));
                }
            }
            if best.is_some() {
                // The report itself (first source) wins over includes when it matches.
                break;
            }
        }
        best.map(|(_, l)| l)
    }

    /// Fallback: the line of the rendered text, attributed to the report.
    pub fn rendered_line(&self, line: usize) -> Location {
        let (path, _) = &self.sources[0];
        let start = line_start(&self.rendered, line);
        let end = self.rendered[start..].find('\n').map_or(self.rendered.len(), |i| start + i);
        Location::new(path.clone(), self.rendered.clone(), start..end)
    }

    pub fn find(&self, needle: &str, rendered_line: usize) -> Location {
        self.locate(needle, rendered_line).unwrap_or_else(|| self.rendered_line(rendered_line))
    }
}
