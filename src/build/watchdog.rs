//! A bound from outside on what no library bounds from inside: a report's
//! build that runs past `[limits] report_seconds`, or a build whose memory
//! passes `[limits] memory_mb` (a template that doubles a string in a loop,
//! typst told to make a string of 4 GB), ends the whole process with an
//! error naming the reports being built, exit 1. Outputs are written
//! atomically, so none is left half-written; temp files go with the next
//! build. `watch` and `serve` end too: a stopped preview beats a machine
//! out of memory.

use std::collections::HashMap;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::core::diag::Diagnostic;

/// How often the watchdog looks.
const EVERY: Duration = Duration::from_millis(20);

#[derive(Default)]
struct Inner {
    /// Reports being built: their place in the build, name and start.
    busy: Mutex<HashMap<usize, (String, Instant)>>,
}

pub struct Watchdog {
    inner: Arc<Inner>,
    /// Dropped to stop the thread at once, not at its next look: a build's
    /// end should not wait up to [`EVERY`] for it.
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// The process's resident memory (Linux), from `/proc/self/statm` opened
/// once: opening, looking up and closing it at every look cost the
/// deep-dive's build 3 ms of CPU, taken from typst's layout.
struct Resident(Option<std::fs::File>);

impl Resident {
    fn open() -> Resident {
        Resident(std::fs::File::open("/proc/self/statm").ok())
    }

    /// In bytes, if known; read afresh at each call.
    fn bytes(&self) -> Option<u64> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            let mut buf = [0u8; 128];
            let n = self.0.as_ref()?.read_at(&mut buf, 0).ok()?;
            let pages: u64 = std::str::from_utf8(&buf[..n]).ok()?.split_whitespace().nth(1)?.parse().ok()?;
            Some(pages * 4096)
        }
        #[cfg(not(unix))]
        None
    }
}

impl Watchdog {
    /// Watch the build; with `enabled` false, a watchdog that never looks.
    pub fn start(limits: &crate::input::project::Limits, enabled: bool) -> Watchdog {
        let inner = Arc::new(Inner::default());
        if !enabled {
            return Watchdog { inner, stop: None, thread: None };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let (max_time, max_memory) = (Duration::from_secs(limits.report_seconds), limits.memory_mb.saturating_mul(1 << 20));
        let watched = inner.clone();
        let thread = std::thread::Builder::new()
            .name("folio-watchdog".into())
            .spawn(move || {
                let resident = Resident::open();
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    let busy = watched.busy.lock().expect("watchdog lock");
                    let names = || {
                        let mut n: Vec<&str> = busy.values().map(|(n, _)| n.as_str()).collect();
                        n.sort();
                        n.join(", ")
                    };
                    let tripped = if let Some((name, _)) = busy.values().find(|(_, t)| t.elapsed() > max_time) {
                        Some(Diagnostic::error(format!("building {name} took longer than {} s; folio stopped", max_time.as_secs()))
                            .hint("a report this slow holds something pathological (a huge paragraph, deep nesting, a runaway loop); find it, or raise [limits] report_seconds in folio.toml"))
                    } else if !busy.is_empty() && resident.bytes().is_some_and(|m| m > max_memory) {
                        Some(Diagnostic::error(format!("building {} used more than {} MiB of memory; folio stopped", names(), max_memory >> 20))
                            .hint("a template or data value grows without bound (a string doubled in a loop, a huge repeat); find it, or raise [limits] memory_mb in folio.toml"))
                    } else {
                        None
                    };
                    if let Some(d) = tripped {
                        crate::core::diag::print_all(&[d]);
                        std::process::exit(1);
                    }
                }
            })
            .ok();
        Watchdog { inner, stop: Some(stop), thread }
    }

    /// Report `k` (named `name`) is being built from now on.
    pub fn begin(&self, k: usize, name: String) {
        self.inner.busy.lock().expect("watchdog lock").insert(k, (name, Instant::now()));
    }

    pub fn end(&self, k: usize) {
        self.inner.busy.lock().expect("watchdog lock").remove(&k);
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn resident_memory_is_read_afresh_at_each_look() {
        let resident = super::Resident::open();
        let before = resident.bytes().expect("statm reads");
        let mut grown = vec![0u8; 64 << 20];
        for i in (0..grown.len()).step_by(4096) {
            grown[i] = 1;
        }
        let after = resident.bytes().expect("statm reads again");
        std::hint::black_box(&grown);
        assert!(after >= before + (48 << 20), "{before} bytes, then {after} after touching 64 MiB");
    }
}
