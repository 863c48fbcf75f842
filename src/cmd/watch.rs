//! `folio watch`: rebuild whenever a file the last build read changes, a
//! report or data file appears or goes, or anything changes in `templates/`
//! or `fonts/`. Reading files (as every build does) is not a change.
//!
//! Builds run in this one process, so typst's memoization stays warm and a
//! small edit recompiles incrementally. Errors are printed and watching goes
//! on; the last good outputs stay in place (builds write atomically, and only
//! when they succeed).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::build::{build_with, BuildOptions, BuildReport, Session};
use crate::core::diag::{Diagnostic, Failure};

/// What one rebuild produced, handed to the caller (the terminal, or serve).
pub enum Event<'a> {
    Built(&'a BuildReport, Duration),
    Failed(&'a Failure),
}

/// Which changed paths matter for the next build.
struct Interest {
    inputs: Vec<PathBuf>,
    content: PathBuf,
    /// Folders where any new or changed file matters: template overrides
    /// and fonts are looked up by name, so a new one changes the build.
    folders: Vec<PathBuf>,
    out: PathBuf,
    last_failed: bool,
}

impl Interest {
    fn wants(&self, path: &Path) -> bool {
        if path.starts_with(&self.out) || path.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".folio-tmp-")) {
            return false;
        }
        if self.last_failed || self.inputs.iter().any(|p| p == path) || self.folders.iter().any(|f| path.starts_with(f)) {
            return true;
        }
        // A new or removed report or data file.
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        (path.parent() == Some(self.content.as_path()) && ext == "md")
            || (path.parent() == Some(self.content.join("data").as_path()) && crate::input::data::is_data_file(path))
    }
}

fn is_only_access(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind};
    matches!(kind, EventKind::Access(a) if !matches!(a, AccessKind::Close(AccessMode::Write)))
}

/// Build, then rebuild on every relevant change, until `stop` says so.
/// How long a burst of writes (an editor's save) is let settle before the
/// build: long enough for a save's few events, short enough not to show in
/// the preview's latency.
const SETTLE: Duration = Duration::from_millis(15);

pub fn watch(
    opts: &BuildOptions,
    mut on_event: impl FnMut(Event<'_>),
    stop: impl Fn() -> bool,
    written: Option<crate::build::session::WrittenHook>,
) -> Result<(), Diagnostic> {
    let root = opts.dir.canonicalize().map_err(|e| Diagnostic::io("open", &opts.dir, &e))?;
    let opts = BuildOptions { dir: root.clone(), progress: None, ..opts.clone() };
    let out = opts.out.clone().unwrap_or_else(|| root.join("output"));
    let out = out.canonicalize().unwrap_or(out);
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            // Opening or reading a file (as every build does with its inputs)
            // changes nothing; only a write, create, remove or rename does.
            if is_only_access(&ev.kind) {
                return;
            }
            for p in ev.paths {
                let _ = tx.send(p);
            }
        }
    })
    .map_err(|e| Diagnostic::error(format!("cannot watch {}: {e}", root.display())))?;
    watcher
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|e| Diagnostic::error(format!("cannot watch {}: {e}", root.display())))?;

    let folders = vec![root.join("templates"), root.join("fonts")];
    // What rebuilds reuse lives in this session, owned by the loop.
    let session = Session::new();
    if let Some(hook) = written {
        session.on_written(hook);
    }
    let mut interest = Interest { inputs: vec![], content: root.join("content"), folders, out, last_failed: false };
    let mut built_before: Vec<String> = Vec::new();
    loop {
        let start = Instant::now();
        let built = build_with(&opts, &session);
        let names: Vec<String> = match &built {
            Ok(report) => report.reports.iter().map(|r| r.name.clone()).collect(),
            Err(_) => vec![],
        };
        // A family past LISTED_REPORTS is not listed whole (see
        // BuildReport::reports); the build removed its gone members' outputs.
        let partial = matches!(&built, Ok(report) if !report.lists_every_report());
        match built {
            Ok(report) => {
                on_event(Event::Built(&report, start.elapsed()));
                interest.inputs = report.inputs.iter().map(|p| p.canonicalize().unwrap_or_else(|_| p.clone())).collect();
                interest.last_failed = false;
            }
            Err(f) => {
                on_event(Event::Failed(&f));
                interest.last_failed = true;
            }
        }
        // After a failed build keep every slot: the next may need them.
        if partial || !names.is_empty() {
            session.after_build(&names);
        }
        // A report whose file is gone leaves no outputs behind.
        if !partial && !names.is_empty() {
            for gone in built_before.iter().filter(|n| !names.contains(n)) {
                crate::build::output::remove_report_outputs(&interest.out, gone);
            }
            built_before = names;
        }
        // Wait for a change that matters, then let a burst of writes settle.
        loop {
            if stop() {
                return Ok(());
            }
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(p) if interest.wants(&p) => {
                    std::thread::sleep(SETTLE);
                    while rx.try_recv().is_ok() {}
                    break;
                }
                Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
    }
}
