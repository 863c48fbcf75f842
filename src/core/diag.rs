//! Diagnostics: one type for every error and warning, and one printer.
//!
//! Two tiers share the type: application errors (a message and hints, no
//! location) and source diagnostics (file, byte range, severity, hints).

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
    /// What happened besides the errors (e.g. which reports were still written).
    Note,
}

/// A place in a source file: the file's path, its text and a byte range.
#[derive(Debug, Clone)]
pub struct Location {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub range: Range<usize>,
}

impl Location {
    pub fn new(path: impl Into<PathBuf>, text: Arc<str>, range: Range<usize>) -> Self {
        let len = text.len();
        let start = floor_char(&text, range.start.min(len));
        let end = floor_char(&text, range.end.clamp(start, len));
        Location { path: path.into(), text, range: start..end }
    }

    /// Location of a 1-based line and column (column counted in bytes).
    pub fn at_line_col(path: impl Into<PathBuf>, text: Arc<str>, line: usize, col: usize) -> Self {
        let start = line_start(&text, line) + col.saturating_sub(1);
        Self::new(path, text, start..start)
    }

    /// `path:line:col`, as diagnostics show a place.
    pub fn describe(&self) -> String {
        let (line, col) = self.line_col();
        format!("{}:{line}:{col}", display_path(&self.path))
    }

    /// 1-based line and column (column counted in characters).
    pub fn line_col(&self) -> (usize, usize) {
        let before = &self.text[..self.range.start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte offset where 1-based `line` starts (end of text when past the end).
pub fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    pub hints: Vec<String>,
    /// What went wrong, for code that branches on it (never the message);
    /// none for most. Boxed: a diagnostic stays small to return.
    pub kind: Option<Box<Kind>>,
}

/// The kinds of diagnostic some code acts on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A chart names a column its data has not (the Markdown stage points
    /// at the key that names it).
    UnknownColumn(String),
    /// A data file that cannot be read (one error per file, however many
    /// reports read it).
    BadData(PathBuf),
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, message: message.into(), location: None, hints: vec![], kind: None }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Self::error(message) }
    }

    pub fn note(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Note, ..Self::error(message) }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn of_kind(mut self, kind: Kind) -> Self {
        self.kind = Some(Box::new(kind));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// An error about a file as a whole (I/O and the like).
    pub fn io(action: &str, path: &Path, err: &std::io::Error) -> Self {
        Self::error(format!("cannot {action} {}: {err}", display_path(path)))
    }

    /// Render without colour: used by tests and by the HTML error page.
    pub fn render_plain(&self) -> String {
        render(self, false)
    }
}

/// Diagnostics said more than once (by each member of a family that reads
/// one broken file, say) merged into the first: the same kind, severity
/// and message at the same place. Ones without a place are all kept.
pub fn merge_repeated(all: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(all.len());
    type Key = (Option<Kind>, Severity, PathBuf, usize, usize, String);
    let mut first: std::collections::HashMap<Key, (usize, usize)> = Default::default();
    for d in all {
        let kind = d.kind.as_deref().cloned();
        let key = match (&d.location, &kind) {
            (Some(l), _) => (kind, d.severity, l.path.clone(), l.range.start, l.range.end, d.message.clone()),
            (None, Some(Kind::BadData(path))) => (kind.clone(), d.severity, path.clone(), 0, 0, d.message.clone()),
            (None, _) => {
                out.push(d);
                continue;
            }
        };
        match first.get_mut(&key) {
            Some((_, again)) => *again += 1,
            None => {
                first.insert(key, (out.len(), 0));
                out.push(d);
            }
        }
    }
    for (at, again) in first.into_values() {
        if again > 0 {
            out[at].hints.push(format!("said {} more time(s), by other reports", again));
        }
    }
    out
}

/// Errors a stage fails with: at least one diagnostic of severity Error,
/// plus the warnings gathered up to that point.
#[derive(Debug, Clone)]
pub struct Failure(pub Vec<Diagnostic>);

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure(vec![d])
    }
}

pub type Result<T, E = Failure> = std::result::Result<T, E>;

/// Warnings travel with results and are printed even when a build succeeds.
#[derive(Debug, Default, Clone)]
pub struct Warnings(pub Vec<Diagnostic>);

impl Warnings {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
}

/// A path as the user should see it: relative to the current directory when
/// it lies below it.
pub fn display_path(path: &Path) -> String {
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            let abs = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
            abs.strip_prefix(&cwd).ok().map(Path::to_path_buf)
        })
        .unwrap_or_else(|| path.to_path_buf());
    let shown = shown.to_string_lossy().replace('\\', "/");
    if shown.is_empty() { ".".to_string() } else { shown }
}

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Render one diagnostic: severity, message, `--> path:line:col`, the source
/// line with a caret under the range, and hints.
pub fn render(d: &Diagnostic, colour: bool) -> String {
    let st = Style { on: colour };
    let (label, code) = match d.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
        Severity::Note => ("note", "1;36"),
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}{}", st.paint(code, label), st.paint("1", &format!(": {}", d.message)));
    if let Some(loc) = &d.location {
        let (line, _) = loc.line_col();
        let gutter = " ".repeat(line.to_string().len());
        let _ = writeln!(out, "{gutter}{} {}", st.paint("1;34", "-->"), loc.describe());
        let ls = line_start(&loc.text, line);
        let le = loc.text[ls..].find('\n').map_or(loc.text.len(), |i| ls + i);
        let src = loc.text[ls..le].trim_end_matches('\r');
        // A range may start on the line's `\r` (CRLF files): keep it on the shown text.
        let start = loc.range.start.min(ls + src.len());
        let lead = &loc.text[ls..start];
        let marked_end = loc.range.end.min(ls + src.len()).max(start);
        let marked = &loc.text[start..marked_end];
        let after = &loc.text[marked_end..ls + src.len()];
        let (lead, marked, after) = window(lead, marked, after);
        let src = format!("{lead}{marked}{after}");
        // A tab is shown as `→` (it matters in YAML), padded to its width.
        let pad = " ".repeat(lead.replace('\t', TAB).width());
        let carets = "^".repeat(marked.width().max(1));
        let bar = st.paint("1;34", "|");
        let _ = writeln!(out, "{gutter} {bar}");
        let _ = writeln!(out, "{} {bar} {}", st.paint("1;34", &line.to_string()), src.replace('\t', TAB));
        let _ = writeln!(out, "{gutter} {bar} {pad}{}", st.paint(code, &carets));
    }
    for h in &d.hints {
        let _ = writeln!(out, "  = {} {h}", st.paint("1", "hint:"));
    }
    out
}

/// How a tab shows in a quoted source line.
const TAB: &str = "→   ";

/// Very long source lines are cut to a window around the marked range.
fn window(lead: &str, marked: &str, after: &str) -> (String, String, String) {
    const KEEP: usize = 60;
    let cut_front = |s: &str| -> String {
        let n = s.chars().count();
        if n > KEEP { format!("…{}", s.chars().skip(n - KEEP).collect::<String>()) } else { s.to_string() }
    };
    let cut_back = |s: &str, keep: usize| -> String {
        if s.chars().count() > keep { format!("{}…", s.chars().take(keep).collect::<String>()) } else { s.to_string() }
    };
    (cut_front(lead), cut_back(marked, KEEP), cut_back(after, KEEP))
}

/// Print diagnostics to stderr, coloured on a terminal unless NO_COLOR is set.
pub fn print_all(diags: &[Diagnostic]) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diags {
        eprint!("{}", render(d, colour));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_range() {
        let text: Arc<str> = "title\nsee @fig:x here\n".into();
        let d = Diagnostic::error("unknown label `fig:x`")
            .at(Location::new("content/r.md", text, 10..16))
            .hint("define it");
        assert_eq!(
            d.render_plain(),
            "error: unknown label `fig:x`\n --> content/r.md:2:5\n  |\n2 | see @fig:x here\n  |     ^^^^^^\n  = hint: define it\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("{}@bad{}", "a".repeat(500), "b".repeat(500));
        let d = Diagnostic::error("e").at(Location::new("a.md", line.as_str().into(), 500..504));
        let out = d.render_plain();
        let src_line = out.lines().nth(3).unwrap();
        assert_eq!(src_line, format!("1 | …{}@bad{}…", "a".repeat(60), "b".repeat(60)));
        assert_eq!(out.lines().nth(4).unwrap(), format!("  | {}^^^^", " ".repeat(61)));
    }

    #[test]
    fn wide_characters_shift_caret() {
        let text: Arc<str> = "图表 @x".into();
        let d = Diagnostic::warning("w").at(Location::new("a.md", text, 7..9));
        assert!(d.render_plain().contains("1 | 图表 @x\n  |      ^^\n"), "{}", d.render_plain());
    }
}
