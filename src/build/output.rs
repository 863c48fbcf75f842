//! Atomic writes: a temp file in the target folder, then a rename, so a
//! reader never sees a half-written output and a failed build keeps the
//! previous one.

use std::io::Write;
use std::path::Path;

use crate::core::diag::Diagnostic;

/// Prefix of folio's temp files: `.folio-tmp-<pid>-…`. Stale ones, whose
/// process is gone, are removed by the next build; nobody else's files are.
pub const TEMP_PREFIX: &str = ".folio-tmp-";

/// Held while a build writes into an output folder, so that a `serve` and
/// a `build` into the same folder take turns instead of racing.
pub struct OutputLock(#[allow(dead_code)] std::fs::File);

/// The lock is on the folder itself (flock on its descriptor), so no lock
/// file is left among the outputs.
pub fn lock(dir: &Path) -> Result<OutputLock, Diagnostic> {
    std::fs::create_dir_all(dir).map_err(|e| Diagnostic::io("create folder", dir, &e))?;
    let file = std::fs::File::open(dir).map_err(|e| Diagnostic::io("open", dir, &e))?;
    file.lock().map_err(|e| Diagnostic::io("lock", dir, &e))?;
    Ok(OutputLock(file))
}

/// The mode a plain file write gets (0666 minus the umask), so that a web
/// server running as another user can read the outputs.
fn plain_file_mode() -> u32 {
    static MODE: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *MODE.get_or_init(|| {
        let umask = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| s.lines().find_map(|l| l.strip_prefix("Umask:").map(|v| v.trim().to_string())))
            .and_then(|v| u32::from_str_radix(&v, 8).ok())
            .unwrap_or(0o022);
        0o666 & !umask
    })
}

/// Write `path` under `root` atomically, refusing a link anywhere below
/// `root` on the way (the file included): a link planted in the output
/// folder must not carry a build's files elsewhere.
pub fn write_atomic(root: &Path, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if let Err(why) = crate::core::paths::no_link_below(root, path) {
        return Err(match why {
            crate::core::paths::Refused::Link(at) => Diagnostic::error(format!("{} is a link; folio writes no output through a link", crate::core::diag::display_path(&at)))
                .hint("remove the link (folio writes the real file or folder there)"),
            other => other.diagnostic(path),
        });
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Diagnostic::io("create folder", dir, &e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .tempfile_in(dir)
        .map_err(|e| Diagnostic::io("create a temporary file in", dir, &e))?;
    tmp.write_all(bytes).map_err(|e| Diagnostic::io("write", tmp.path(), &e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(plain_file_mode());
        tmp.as_file().set_permissions(mode).map_err(|e| Diagnostic::io("set the mode of", tmp.path(), &e))?;
    }
    tmp.as_file().sync_all().map_err(|e| Diagnostic::io("flush", tmp.path(), &e))?;
    tmp.persist(path).map_err(|e| Diagnostic::io("replace", path, &e.error))?;
    Ok(())
}

/// Write a build's outputs into `out_dir` (whose lock the caller holds),
/// after removing what killed builds left there, each file atomically.
pub fn write_outputs(out_dir: &Path, outputs: &[crate::build::Output]) -> Result<(), Diagnostic> {
    clean_stale(out_dir);
    write_all_atomic(out_dir, outputs)
}

/// Write each output atomically, a few at a time: most of the time goes to
/// flushing each file to disk, which the threads overlap.
pub fn write_all_atomic(out_dir: &Path, outputs: &[crate::build::Output]) -> Result<(), Diagnostic> {
    const WRITERS: usize = 4;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WRITERS.min(outputs.len()))
            .map(|k| scope.spawn(move || outputs.iter().skip(k).step_by(WRITERS).try_for_each(|o| write_atomic(out_dir, &o.path, &o.bytes))))
            .collect();
        handles.into_iter().map(|h| h.join().expect("an output writer panicked")).fold(Ok(()), Result::and)
    })
}

/// Remove what a build wrote for a report that no longer exists (`watch`
/// after its Markdown file was deleted or renamed).
pub fn remove_report_outputs(out_dir: &Path, name: &str) {
    if !crate::core::paths::is_safe_name(name) {
        return;
    }
    for ext in ["pdf", "html"] {
        let _ = std::fs::remove_file(out_dir.join(format!("{name}.{ext}")));
    }
    if crate::core::paths::no_link_below(out_dir, &out_dir.join("lineage")).is_ok() {
        let _ = std::fs::remove_file(out_dir.join("lineage").join(format!("{name}.json")));
    }
}

/// The process that left a temp file `.folio-tmp-<pid>-…`, if it is one of ours.
fn temp_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?;
    let (pid, _) = rest.split_once('-')?;
    pid.parse().ok()
}

/// Remove temp files a killed build left behind in `dir` and its `site/`:
/// only folio's own, and only those whose process is gone.
pub fn clean_stale(dir: &Path) {
    for d in [dir.to_path_buf(), dir.join("site")] {
        if crate::core::paths::no_link_below(dir, &d).is_err() {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(pid) = temp_owner(&name) else { continue };
            let alive = pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists();
            if !alive {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out/a.html");
        write_atomic(dir.path(), &p, b"one").unwrap();
        write_atomic(dir.path(), &p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1);
    }
}
