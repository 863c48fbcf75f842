//! A build's progress on the command line. On a terminal, past a few
//! reports: one bar that updates in place (indicatif) with the count, the
//! report being built, the rate and the time left, and a line above it for
//! each report that warned or failed (the diagnostics follow the bar, with
//! the summary). Elsewhere (CI, a pipe): the plain `[k/n] report` lines, at
//! most one a second past a few reports, so logs stay short. `--verbose`
//! prints every line; `--quiet` none.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::build::progress::{Event, Progress};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// Errors and the summary only.
    Quiet,
    Normal,
    /// Every report's line.
    Verbose,
}

/// Up to this many reports, every line is printed (as `--verbose` does).
const FEW: usize = 10;
/// Least time between two plain lines of a large build.
const PLAIN_EVERY: Duration = Duration::from_secs(1);

struct Inner {
    verbosity: Verbosity,
    terminal: bool,
    /// Plain lines off a terminal (a merge prints none but with --verbose).
    plain: bool,
    bar: Mutex<Option<ProgressBar>>,
    last_line: Mutex<Option<Instant>>,
}

#[derive(Clone)]
pub struct Reporter(Arc<Inner>);

impl Reporter {
    pub fn new(verbosity: Verbosity) -> Reporter {
        Reporter::with_terminal(verbosity, std::io::stderr().is_terminal())
    }

    pub fn with_terminal(verbosity: Verbosity, terminal: bool) -> Reporter {
        Reporter(Arc::new(Inner { verbosity, terminal, plain: true, bar: Mutex::new(None), last_line: Mutex::new(None) }))
    }

    /// For a site merge: copying is quick, so off a terminal it prints no
    /// line per report unless asked to (--verbose).
    pub fn without_plain_lines(self) -> Reporter {
        let Inner { verbosity, terminal, .. } = *self.0;
        Reporter(Arc::new(Inner { verbosity, terminal, plain: false, bar: Mutex::new(None), last_line: Mutex::new(None) }))
    }

    pub fn verbosity(&self) -> Verbosity {
        self.0.verbosity
    }

    /// The listener to give the build (`None` when quiet).
    pub fn progress(&self) -> Option<Progress> {
        if self.0.verbosity == Verbosity::Quiet {
            return None;
        }
        let me = self.clone();
        Some(Progress(Arc::new(move |e| me.on(e))))
    }

    /// Take the bar away before the summary is printed.
    pub fn finish(&self) {
        if let Some(bar) = self.0.bar.lock().expect("progress lock").take() {
            bar.finish_and_clear();
        }
    }

    fn on(&self, e: &Event<'_>) {
        let total = match e {
            Event::Building { total, .. } | Event::Built { total, .. } => *total,
        };
        if total <= 1 {
            return;
        }
        if self.0.verbosity == Verbosity::Normal && self.0.terminal && total > FEW {
            self.draw(e, total);
            return;
        }
        let Event::Building { k, report, .. } = e else { return };
        let line = format!("[{}/{total}] {report}", k + 1);
        if self.0.verbosity == Verbosity::Normal && !self.0.plain {
            return;
        }
        if self.0.verbosity == Verbosity::Verbose || total <= FEW {
            eprintln!("{line}");
            return;
        }
        let mut last = self.0.last_line.lock().expect("progress lock");
        if last.is_none_or(|t| t.elapsed() >= PLAIN_EVERY) {
            eprintln!("{line}");
            *last = Some(Instant::now());
        }
    }

    fn draw(&self, e: &Event<'_>, total: usize) {
        let mut slot = self.0.bar.lock().expect("progress lock");
        let bar = slot.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} {prefix:.dim} {eta:.dim} left  {wide_msg}")
                    .expect("a valid template")
                    .progress_chars("━╸ "),
            );
            bar
        });
        match e {
            Event::Building { report, .. } => bar.set_message(report.to_string()),
            Event::Built { done, report, warnings, failed, .. } => {
                bar.set_position(*done as u64);
                let secs = bar.elapsed().as_secs_f64();
                if secs > 0.0 {
                    bar.set_prefix(format!("{:.0}/s", *done as f64 / secs));
                }
                if *failed {
                    bar.println(format!("failed: {report} (its errors follow)"));
                } else if *warnings > 0 {
                    bar.println(format!("{warnings} warning(s): {report} (they follow)"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_listens_to_nothing() {
        assert!(Reporter::with_terminal(Verbosity::Quiet, true).progress().is_none());
        assert!(Reporter::with_terminal(Verbosity::Normal, false).progress().is_some());
    }
}
