//! Resolving user-given paths (includes, images, fonts) inside the project.

use std::path::{Component, Path, PathBuf};

/// Resolve `rel` against `base` and require the result to lie inside `root`,
/// following symlinks. Absolute paths and escapes are refused.
pub fn resolve_inside(root: &Path, base: &Path, rel: &str) -> Result<PathBuf, String> {
    let p = Path::new(rel);
    if p.is_absolute() || rel.starts_with('/') || rel.starts_with('\\') || p.has_root() {
        return Err(format!("absolute path `{rel}` is not allowed; use a path relative to the file"));
    }
    let mut joined = base.to_path_buf();
    for c in p.components() {
        match c {
            Component::Normal(x) => joined.push(x),
            Component::CurDir => {}
            Component::ParentDir => {
                if !joined.pop() || !joined.starts_with(root) {
                    return Err(format!("path `{rel}` leads outside the project folder"));
                }
            }
            Component::Prefix(_) | Component::RootDir => {
                return Err(format!("absolute path `{rel}` is not allowed"));
            }
        }
    }
    if !joined.starts_with(root) {
        return Err(format!("path `{rel}` leads outside the project folder"));
    }
    if let (Ok(real), Ok(real_root)) = (joined.canonicalize(), root.canonicalize()) {
        if !real.starts_with(&real_root) {
            return Err(format!("path `{rel}` is a link that points outside the project folder"));
        }
    }
    Ok(joined)
}

/// Whether `path` (following any links) lies inside `root`. A path that
/// does not exist yet is judged by its nearest existing parent.
pub fn stays_inside(root: &Path, path: &Path) -> bool {
    let Ok(real_root) = root.canonicalize() else { return false };
    let mut probe = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = probe.canonicalize() {
            let mut real = real;
            real.extend(rest.iter().rev());
            return real.starts_with(&real_root);
        }
        match (probe.file_name().map(|n| n.to_os_string()), probe.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                probe = parent.to_path_buf();
            }
            _ => return false,
        }
    }
}

/// Read a project file (report, setting, template) only when it lies in the
/// project: a link to a file elsewhere must not bring that file's text into
/// an output or an error message.
pub fn read_inside(root: &Path, path: &Path) -> Result<String, crate::diag::Diagnostic> {
    if !stays_inside(root, path) {
        return Err(crate::diag::Diagnostic::error(format!(
            "{} is a link to a file outside the project folder",
            crate::diag::display_path(path)
        ))
        .hint("copy the file into the project instead of linking to it"));
    }
    std::fs::read_to_string(path).map_err(|e| crate::diag::Diagnostic::io("read", path, &e))
}

/// Copy a folder recursively (used by the tests and the benchmark).
pub fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}

/// Decode `%XX` escapes in a URL path; invalid UTF-8 is replaced.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        std::fs::create_dir_all(root.join("content/img")).unwrap();
        let base = root.join("content");
        assert_eq!(resolve_inside(&root, &base, "img/a.png").unwrap(), root.join("content/img/a.png"));
        assert!(resolve_inside(&root, &base, "../templates/x").is_ok());
        assert!(resolve_inside(&root, &base, "../../etc/passwd").unwrap_err().contains("outside"));
        assert!(resolve_inside(&root, &base, "/etc/passwd").unwrap_err().contains("absolute"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", root.join("content/link")).unwrap();
            assert!(resolve_inside(&root, &base, "link/passwd").unwrap_err().contains("link"));
        }
    }
}
