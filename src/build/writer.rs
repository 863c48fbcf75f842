//! Reports' files are written by threads of their own while the workers go
//! on to the next report: most of an atomic write is waiting for the disk to
//! flush the file, which need not hold up a core. A few writers flush at
//! once, so the file system commits their files together.

use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Mutex;
use std::thread::{Scope, ScopedJoinHandle};
use std::time::{Duration, Instant};

use crate::build::Output;
use crate::core::diag::Diagnostic;

/// Writers at once: enough for the disk to take several flushes together.
const WRITERS: usize = 4;
/// Reports waiting to be written at most; a worker that is further ahead
/// waits, so a family never holds more than these outputs in memory.
const QUEUED: usize = 8;

/// One report's files (each written atomically, in order) and, after
/// them, files of an earlier build to remove.
pub struct Job {
    /// The report's place in the build, to pin a failed write on it.
    pub k: usize,
    pub files: Vec<Output>,
    /// How many of `files`, from the first, are the report's outputs (the
    /// rest are folio's own: its manifest record).
    pub outputs: usize,
    pub remove: Vec<PathBuf>,
}

/// What the writers did: the reports whose files could not be written,
/// and the time they spent writing, summed.
#[derive(Default)]
pub struct Written {
    pub failed: Vec<(usize, Diagnostic)>,
    pub busy: Duration,
    /// Outputs written (not counting manifest records).
    pub outputs: usize,
}

/// The queue between the workers and the writers. It is made before the
/// threads' scope, so that both can borrow it.
pub struct Writers {
    /// The output folder: nothing below it is written through a link.
    root: PathBuf,
    tx: Mutex<Option<SyncSender<Job>>>,
    rx: Mutex<Receiver<Job>>,
    /// Told the output paths of each report written (`Session::on_written`).
    hook: Option<crate::build::session::WrittenHook>,
}

impl Writers {
    pub fn new(root: &std::path::Path, hook: Option<crate::build::session::WrittenHook>) -> Writers {
        let (tx, rx) = sync_channel::<Job>(QUEUED);
        Writers { root: root.to_path_buf(), tx: Mutex::new(Some(tx)), rx: Mutex::new(rx), hook }
    }

    /// Start the writers; they run until `close`, then return what they did.
    /// A report's files are one job, written by one writer: no more
    /// writers than `reports`.
    pub fn start<'scope>(&'scope self, scope: &'scope Scope<'scope, '_>, reports: usize) -> Vec<ScopedJoinHandle<'scope, Written>> {
        (0..WRITERS.min(reports).max(1)).map(|_| scope.spawn(|| drain(&self.root, &self.rx, self.hook.as_ref()))).collect()
    }

    /// Queue a report's files (waits while the queue is full).
    pub fn send(&self, job: Job) {
        let tx = self.tx.lock().expect("writer queue lock").clone().expect("the output queue was closed early");
        // The writers only stop once the queue is closed.
        tx.send(job).expect("the output writers stopped early");
    }

    /// No more files: the writers stop once they have written what is queued.
    pub fn close(&self, handles: Vec<ScopedJoinHandle<'_, Written>>) -> Written {
        self.tx.lock().expect("writer queue lock").take();
        let mut all = Written::default();
        for h in handles {
            let w = h.join().expect("an output writer panicked");
            all.failed.extend(w.failed);
            all.busy += w.busy;
            all.outputs += w.outputs;
        }
        all
    }
}

fn drain(root: &std::path::Path, rx: &Mutex<Receiver<Job>>, hook: Option<&crate::build::session::WrittenHook>) -> Written {
    let mut done = Written::default();
    loop {
        let job = match rx.lock().expect("writer queue lock").recv() {
            Ok(job) => job,
            Err(_) => return done,
        };
        let start = Instant::now();
        // A manifest record that says what the one on disk says is left as
        // it is (a forced rebuild of what did not change): creating a file
        // costs more than reading one. Under `serve` (a hook) an output is
        // too: a page written early (`Session::write_page_early`), or one
        // the edit did not change, is neither written again nor reloaded.
        let unchanged = |(i, o): &(usize, &Output)| {
            (*i >= job.outputs || hook.is_some()) && crate::core::paths::read_regular(root, &o.path, o.bytes.len() as u64).is_ok_and(|old| old == o.bytes)
        };
        let todo: Vec<(usize, &Output)> = job.files.iter().enumerate().filter(|f| !unchanged(f)).collect();
        match todo.iter().try_for_each(|(_, o)| crate::build::output::write_atomic(root, &o.path, &o.bytes)) {
            Ok(()) => {
                done.outputs += job.outputs;
                if let Some(hook) = hook {
                    let written: Vec<String> = todo.iter().filter(|(i, _)| *i < job.outputs).map(|(_, o)| crate::build::manifest::relative(root, &o.path)).collect();
                    if !written.is_empty() {
                        hook(&written);
                    }
                }
                for path in &job.remove {
                    let _ = std::fs::remove_file(path);
                }
            }
            Err(d) => done.failed.push((job.k, d)),
        }
        done.busy += start.elapsed();
    }
}
