//! What a build tells whoever watches it, report by report. The library
//! prints nothing itself: the command line draws a bar or plain lines from
//! these events (`cmd/progress.rs`), and `watch` or a program embedding
//! folio may listen or not.

use std::sync::Arc;

pub enum Event<'a> {
    /// A worker starts on report `k` (0-based) of `total` to build.
    Building { k: usize, total: usize, report: &'a str },
    /// `done` of `total` are finished; this one with `warnings`, or failed.
    Built { done: usize, total: usize, report: &'a str, warnings: usize, failed: bool },
}

/// A listener for a build's events, called from its workers.
#[derive(Clone)]
pub struct Progress(pub Arc<dyn Fn(&Event<'_>) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(..)")
    }
}
