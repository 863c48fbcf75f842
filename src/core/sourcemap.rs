//! Maps text found in the rendered Markdown back to the user's files.
//!
//! minijinja gives no output-to-source map, so a construct found after
//! rendering (a label, an image path) is located by searching the sources
//! that took part for its exact text, preferring the report line it came from.
//! Line starts are found once, so a lookup per block stays linear in size.

use std::path::PathBuf;
use std::sync::Arc;

use crate::core::diag::Location;

#[derive(Debug, Clone)]
pub struct SourceMap {
    sources: Vec<(PathBuf, Arc<str>, Vec<usize>)>,
    pub rendered: Arc<str>,
    rendered_lines: Vec<usize>,
}

/// Byte offsets where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

impl SourceMap {
    /// `sources` is the report first, then what it includes.
    pub fn new(sources: Vec<(PathBuf, Arc<str>)>, rendered: Arc<str>) -> SourceMap {
        let sources = sources.into_iter().map(|(p, t)| {
            let lines = line_starts(&t);
            (p, t, lines)
        });
        SourceMap { sources: sources.collect(), rendered_lines: line_starts(&rendered), rendered }
    }

    /// Where `needle`, seen on 1-based `rendered_line` of the rendered text,
    /// was written.
    pub fn locate(&self, needle: &str, rendered_line: usize) -> Option<Location> {
        if needle.is_empty() {
            return None;
        }
        for (path, text, lines) in &self.sources {
            let mut best: Option<(usize, usize)> = None;
            for (at, _) in text.match_indices(needle) {
                let line = lines.partition_point(|&s| s <= at);
                let distance = line.abs_diff(rendered_line);
                match best {
                    Some((d, _)) if distance >= d => {
                        // Matches come in order: past the line, only farther.
                        if line > rendered_line {
                            break;
                        }
                    }
                    _ => best = Some((distance, at)),
                }
            }
            if let Some((_, at)) = best {
                // The report itself (first source) wins over includes when it matches.
                return Some(Location::new(path.clone(), text.clone(), at..at + needle.len()));
            }
        }
        None
    }

    /// Fallback: the line of the rendered text, attributed to the report.
    pub fn rendered_line(&self, line: usize) -> Location {
        let path = self.sources.first().map(|(p, _, _)| p.clone()).unwrap_or_default();
        let starts = &self.rendered_lines;
        let len = self.rendered.len();
        let start = if line <= 1 { 0 } else { starts.get(line - 1).copied().unwrap_or(len) };
        let end = starts.get(line).map_or(len, |&next| next - 1).max(start);
        Location::new(path, self.rendered.clone(), start..end)
    }

    pub fn find(&self, needle: &str, rendered_line: usize) -> Location {
        self.locate(needle, rendered_line).unwrap_or_else(|| self.rendered_line(rendered_line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_match_and_lines() {
        let text: Arc<str> = "a\nx\nb\nx\nc\n".into();
        let map = SourceMap::new(vec![(PathBuf::from("r.md"), text.clone())], text.clone());
        assert_eq!(map.locate("x", 4).unwrap().line_col(), (4, 1));
        assert_eq!(map.locate("x", 0).unwrap().line_col(), (2, 1));
        assert_eq!(map.locate("x", 3).unwrap().line_col(), (2, 1));
        assert!(map.locate("zz", 1).is_none());
        let l = map.rendered_line(3);
        assert_eq!(&l.text[l.range.clone()], "b");
        let l = map.rendered_line(99);
        assert_eq!(l.range, text.len()..text.len());
    }
}
