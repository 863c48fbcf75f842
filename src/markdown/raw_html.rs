//! `raw_html = true`: HTML beyond folio's subset passes to the web page, but
//! only after ammonia has cleaned it (no scripts, handlers, styles or
//! `javascript:` links), as a project may come from anyone. The PDF never
//! prints it.

use std::sync::LazyLock;

/// ammonia's defaults, plus `class` (a page's own styles may use it; it
/// runs nothing). Built once; never changed after.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["class"]);
    b
});

fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// An HTML block, cleaned whole.
pub fn block(html: &str) -> String {
    clean(html)
}

/// A lone inline tag (`<img …>`, `<wbr>`); a closing tag alone is dropped.
pub fn piece(html: &str) -> String {
    clean(html)
}

/// An element written in pieces, `<a href=…>`, Markdown, `</a>`: cleaned
/// whole around a stand-in for what it holds, then cut there again. `None`
/// when the cleaner removes the element and its content (`<script>`).
pub fn pair(open: &str, close: &str) -> Option<(String, String)> {
    const HOLE: char = '\u{E000}';
    if open.contains(HOLE) || close.contains(HOLE) {
        return None;
    }
    let clean = clean(&format!("{open}{HOLE}{close}"));
    let (before, after) = clean.split_once(HOLE)?;
    (!after.contains(HOLE)).then(|| (before.to_string(), after.to_string()))
}

/// The element an inline tag opens (`Some((name, false))`) or closes
/// (`Some((name, true))`); `None` for comments, declarations and void tags
/// written `<x/>`.
pub fn tag_name(html: &str) -> Option<(String, bool)> {
    let inner = html.trim().strip_prefix('<')?.strip_suffix('>')?;
    if inner.ends_with('/') {
        return None;
    }
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let end = inner.find(|c: char| c.is_ascii_whitespace()).unwrap_or(inner.len());
    let name = inner[..end].to_ascii_lowercase();
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')).then_some((name, closing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_go_links_stay() {
        assert_eq!(block("<script>alert(1)</script><p onclick=\"x()\">hi</p>"), "<p>hi</p>");
        let (a, b) = pair("<a href=\"https://example.com\" onmouseover=\"x()\">", "</a>").unwrap();
        assert!(a.starts_with("<a href=\"https://example.com\""), "{a}");
        assert!(!a.contains("onmouseover"), "{a}");
        assert_eq!(b, "</a>");
        assert_eq!(pair("<a href=\"javascript:alert(1)\">", "</a>"), Some(("<a rel=\"noopener noreferrer\">".into(), "</a>".into())));
        assert_eq!(pair("<script>", "</script>"), None);
        assert_eq!(pair("<font color=red>", "</font>"), Some((String::new(), String::new())));
        assert_eq!(piece("</a>"), "");
        assert_eq!(tag_name("<a href=x>"), Some(("a".into(), false)));
        assert_eq!(tag_name("</A>"), Some(("a".into(), true)));
        assert_eq!(tag_name("<br/>"), None);
    }
}
