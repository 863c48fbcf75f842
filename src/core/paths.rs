//! Resolving user-given paths (includes, images, fonts) inside the project,
//! and reading and writing under a folder through no link.

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
pub fn read_inside(root: &Path, path: &Path) -> Result<String, crate::core::diag::Diagnostic> {
    if !stays_inside(root, path) {
        return Err(crate::core::diag::Diagnostic::error(format!(
            "{} is a link to a file outside the project folder",
            crate::core::diag::display_path(path)
        ))
        .hint("copy the file into the project instead of linking to it"));
    }
    let bytes = read_file(path, TEXT_MAX, false).map_err(|why| match why {
        Refused::TooBig { .. } => {
            let mut d = why.diagnostic(path);
            d.hints = vec!["a report, template or folio.toml holds at most 16 MiB; split a long report into includes".into()];
            d
        }
        other => other.diagnostic(path),
    })?;
    String::from_utf8(bytes).map_err(|_| {
        crate::core::diag::Diagnostic::error(format!("{} is not UTF-8 text", crate::core::diag::display_path(path))).hint("save it as UTF-8")
    })
}

/// Largest report, template or folio.toml read, in bytes.
pub const TEXT_MAX: u64 = 16 << 20;

/// Why a file inside the project or an output folder cannot be used.
#[derive(Debug)]
pub enum Refused {
    /// The path is absolute, climbs with `..` or is not under the folder.
    Outside,
    /// A link on the way (the file itself included): folio follows none.
    Link(PathBuf),
    /// A folder, a device, a FIFO or a socket.
    NotAFile,
    /// Larger than the cap, in bytes.
    TooBig { size: u64, cap: u64 },
    Io(std::io::Error),
}

impl Refused {
    /// The diagnostic for `path` (named relative to nothing: the caller's
    /// display path), never quoting what a link points at.
    pub fn diagnostic(&self, path: &Path) -> crate::core::diag::Diagnostic {
        use crate::core::diag::{display_path, Diagnostic};
        let shown = display_path(path);
        match self {
            Refused::Outside => Diagnostic::error(format!("{shown} is outside the folder it must be in"))
                .hint("name files with plain relative paths (no `..`, no absolute paths)"),
            Refused::Link(at) => Diagnostic::error(format!("{} is a link; folio follows no links here", display_path(at)))
                .hint("replace the link with the file or folder itself"),
            Refused::NotAFile => Diagnostic::error(format!("{shown} is not a regular file")).hint("name a plain file"),
            Refused::TooBig { size, cap } => Diagnostic::error(format!("{shown} is {} MiB, over the {} MiB limit", size.div_ceil(1 << 20), cap / (1 << 20)))
                .hint("use a smaller file, or raise the limit in folio.toml's [limits]"),
            Refused::Io(e) => Diagnostic::io("read", path, e),
        }
    }
}

/// Whether `rel` is a plain relative path: only normal components, no
/// `..`, no root, no drive, no empty name.
pub fn is_plain_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && !rel.contains('\0')
        // `a/`, `a//b` and `a/./b` name the same as `a` and `a/b` to the
        // file system but not to a map of outputs: a record says each once.
        && rel.split('/').all(|s| !s.is_empty() && s != ".")
        && Path::new(rel).components().all(|c| matches!(c, Component::Normal(_)))
}

/// Whether `name` can be a report's name in the output folder: one plain
/// file name, not hidden, no separators or control characters.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 255 && !name.starts_with('.') && !name.chars().any(|c| matches!(c, '/' | '\\') || c.is_control())
}

/// Require that no component of `path` below `root` is a link (`path`
/// itself included, when it exists) and that `path` lies under `root`.
/// `root` itself may be a link: the user named it.
pub fn no_link_below(root: &Path, path: &Path) -> Result<(), Refused> {
    let rest = path.strip_prefix(root).map_err(|_| Refused::Outside)?;
    let mut at = root.to_path_buf();
    for c in rest.components() {
        let Component::Normal(name) = c else { return Err(Refused::Outside) };
        at.push(name);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Err(Refused::Link(at)),
            Ok(_) => {}
            // Nothing further down exists yet: no link either.
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// Read the regular file `path` under `root`, through no link, at most
/// `cap` bytes.
pub fn read_regular(root: &Path, path: &Path, cap: u64) -> Result<Vec<u8>, Refused> {
    no_link_below(root, path)?;
    read_file(path, cap, true)
}

/// Read the regular file `path`, at most `cap` bytes; with `nofollow`, a
/// link at its last step is refused too. A FIFO or device is refused
/// without blocking on it.
fn read_file(path: &Path, cap: u64, nofollow: bool) -> Result<Vec<u8>, Refused> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | if nofollow { libc::O_NOFOLLOW } else { 0 });
    }
    let file = options.open(path).map_err(|e| if nofollow && is_loop(&e) { Refused::Link(path.to_path_buf()) } else { Refused::Io(e) })?;
    let meta = file.metadata().map_err(Refused::Io)?;
    if !meta.is_file() {
        return Err(Refused::NotAFile);
    }
    if meta.len() > cap {
        return Err(Refused::TooBig { size: meta.len(), cap });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow while it is read: never past the cap.
    file.take(cap + 1).read_to_end(&mut bytes).map_err(Refused::Io)?;
    if bytes.len() as u64 > cap {
        return Err(Refused::TooBig { size: bytes.len() as u64, cap });
    }
    Ok(bytes)
}

/// Every regular file under `dir`, found without following links (a link
/// is skipped, never entered), in path order.
pub fn regular_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                stack.push(e.path());
            } else if kind.is_file() {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// The error `O_NOFOLLOW` gives for a link.
fn is_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    return e.raw_os_error() == Some(libc::ELOOP);
    #[cfg(not(unix))]
    return false;
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
    fn a_plain_path_spells_each_file_one_way() {
        for ok in ["a", "a/b.pdf", "r.typst/main.typ"] {
            assert!(is_plain_relative(ok), "{ok}");
        }
        for bad in ["", "/a", "../a", "a/../b", "./a", "a/./b", "a/", "a//b", "a\\b", "a\0"] {
            assert!(!is_plain_relative(bad), "{bad:?}");
        }
    }

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
