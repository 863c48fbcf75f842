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

/// One report's files (each written atomically, in order), then its
/// manifest record and, after them, files of an earlier build to remove.
pub struct Job {
    /// The report's place in the build, to pin a failed write on it.
    pub k: usize,
    /// The report's outputs. Shared: the worker hashes them for the
    /// record while they are written.
    pub files: std::sync::Arc<Vec<Output>>,
    /// The manifest record, sent once the worker has made it: written
    /// after the outputs, so that a record never names outputs not yet
    /// on disk. A worker that stopped before sending it leaves no record.
    pub record: Receiver<Output>,
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
        let unchanged = |o: &Output, record: bool| {
            (record || hook.is_some()) && crate::core::paths::read_regular(root, &o.path, o.bytes.len() as u64).is_ok_and(|old| old == o.bytes)
        };
        let todo: Vec<&Output> = job.files.iter().filter(|o| !unchanged(o, false)).collect();
        let written = todo.iter().try_for_each(|o| crate::build::output::write_atomic(root, &o.path, &o.bytes)).and_then(|()| {
            match job.record.recv() {
                Ok(record) if !unchanged(&record, true) => crate::build::output::write_atomic(root, &record.path, &record.bytes),
                _ => Ok(()),
            }
        });
        match written {
            Ok(()) => {
                done.outputs += job.files.len();
                if let Some(hook) = hook {
                    let written: Vec<String> = todo.iter().map(|o| crate::build::manifest::relative(root, &o.path)).collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn outputs_are_written_before_their_record_is_made_and_no_record_without_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = |name: &str, bytes: &[u8]| Output { path: dir.path().join(name), bytes: bytes.to_vec() };
        let writers = Writers::new(dir.path(), None);
        let written = std::thread::scope(|scope| {
            let handles = writers.start(scope, 2);
            let (record_tx, record) = std::sync::mpsc::sync_channel(1);
            writers.send(Job { k: 0, files: Arc::new(vec![out("a.pdf", b"a")]), record, remove: vec![] });
            // The output reaches the disk while its record is still being made.
            let waited = Instant::now();
            while !dir.path().join("a.pdf").exists() {
                assert!(waited.elapsed() < Duration::from_secs(10), "the output waited for its record");
                std::thread::sleep(Duration::from_millis(1));
            }
            assert!(!dir.path().join("manifest/a.json").exists());
            record_tx.send(out("manifest/a.json", b"{}")).unwrap();
            // A worker that stopped before making its record: the outputs, no record.
            let (stopped, record) = std::sync::mpsc::sync_channel(1);
            writers.send(Job { k: 1, files: Arc::new(vec![out("b.pdf", b"b")]), record, remove: vec![] });
            drop(stopped);
            writers.close(handles)
        });
        assert!(written.failed.is_empty());
        assert_eq!(written.outputs, 2);
        assert_eq!(std::fs::read(dir.path().join("manifest/a.json")).unwrap(), b"{}");
        assert_eq!(std::fs::read(dir.path().join("b.pdf")).unwrap(), b"b");
        assert!(!dir.path().join("manifest/b.json").exists());
    }
}
