//! Atomic writes: a temp file in the target folder, then a rename, so a
//! reader never sees a half-written output and a failed build keeps the
//! previous one.

use std::io::Write;
use std::path::Path;

use crate::diag::Diagnostic;

/// Prefix of folio's temp files; stale ones from a killed build are removed
/// by the next build.
pub const TEMP_PREFIX: &str = ".folio-tmp-";

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Diagnostic::io("create folder", dir, &e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .map_err(|e| Diagnostic::io("create a temporary file in", dir, &e))?;
    tmp.write_all(bytes).map_err(|e| Diagnostic::io("write", tmp.path(), &e))?;
    tmp.as_file().sync_all().map_err(|e| Diagnostic::io("flush", tmp.path(), &e))?;
    tmp.persist(path).map_err(|e| Diagnostic::io("replace", path, &e.error))?;
    Ok(())
}

/// Write each output atomically, a few at a time: most of the time goes to
/// flushing each file to disk, which the threads overlap.
pub fn write_all_atomic(outputs: &[crate::build::Output]) -> Result<(), Diagnostic> {
    const WRITERS: usize = 4;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WRITERS.min(outputs.len()))
            .map(|k| scope.spawn(move || outputs.iter().skip(k).step_by(WRITERS).try_for_each(|o| write_atomic(&o.path, &o.bytes))))
            .collect();
        handles.into_iter().map(|h| h.join().expect("an output writer panicked")).fold(Ok(()), Result::and)
    })
}

/// Remove temp files a killed build may have left behind.
pub fn clean_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let _ = std::fs::remove_file(e.path());
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
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1);
    }
}
