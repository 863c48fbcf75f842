//! Citations in text, as Pandoc and Quarto write them: `[@key]`,
//! `[@key, p. 20]`, `[@a; @b]`, and `@key` in running text. folio's own
//! cross-references (`@fig:x`, `@tbl:x`, `@sec:x`, `@eq:x`) are not
//! citations.

use std::ops::Range;

use crate::doc::CiteItem;

#[derive(Debug, PartialEq)]
pub struct Found {
    pub range: Range<usize>,
    pub items: Vec<CiteItem>,
    /// `@key` in running text rather than in brackets.
    pub prose: bool,
}

/// The first citation in `s`; `bare`: whether `@key` outside brackets is one
/// (only when the report has a bibliography: elsewhere `@name` is text).
pub fn find(s: &str, bare: bool) -> Option<Found> {
    let bytes = s.as_bytes();
    for (at, &b) in bytes.iter().enumerate() {
        match b {
            b'[' => {
                if let Some(found) = bracketed(s, at) {
                    return Some(found);
                }
            }
            b'@' if bare && starts_key(s, at) => {
                let len = key_len(&s[at + 1..]);
                let key = &s[at + 1..at + 1 + len];
                return Some(Found { range: at..at + 1 + len, items: vec![CiteItem { key: key.to_string(), locator: None }], prose: true });
            }
            _ => {}
        }
    }
    None
}

/// `@` at `at` starts a citation key: not inside a word or an address,
/// not a cross-reference, followed by a key.
fn starts_key(s: &str, at: usize) -> bool {
    let before_ok = s[..at].chars().last().is_none_or(|c| !c.is_ascii_alphanumeric() && !matches!(c, '.' | '_' | '-' | '@'));
    let after = &s[at + 1..];
    before_ok
        && after.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && !super::REF_KINDS.iter().any(|k| after.starts_with(k))
        && key_len(after) > 0
}

/// Length of the key at the start of `s`: ASCII letters, digits and
/// `_-:.#/+` inside (so that `@li2020提出` in unspaced Chinese ends at the
/// key), never ending in punctuation (`@smith2020.` ends a sentence).
fn key_len(s: &str) -> usize {
    let mut len = s.char_indices().find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.' | '#' | '/' | '+'))).map_or(s.len(), |(i, _)| i);
    while len > 0 && !s[..len].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        len -= 1;
    }
    len
}

/// `[@a, p. 3; @b]` starting at `at`: every item an `@key`, with an
/// optional locator after a comma.
fn bracketed(s: &str, at: usize) -> Option<Found> {
    let inner_start = at + 1;
    let close = s[inner_start..].find([']', '['])?;
    if s.as_bytes()[inner_start + close] != b']' {
        return None;
    }
    let inner = &s[inner_start..inner_start + close];
    let mut items = Vec::new();
    for part in inner.split(';') {
        let part = part.trim();
        let rest = part.strip_prefix('@')?;
        let len = key_len(rest);
        // `[@fig:x]` is a cross-reference in brackets, not a citation.
        if len == 0 || super::REF_KINDS.iter().any(|k| rest.starts_with(k)) {
            return None;
        }
        let locator = match rest[len..].trim() {
            "" => None,
            more => Some(more.strip_prefix(',')?.trim().to_string()).filter(|l| !l.is_empty()),
        };
        items.push(CiteItem { key: rest[..len].to_string(), locator });
    }
    Some(Found { range: at..inner_start + close + 1, items, prose: false })
}

/// A locator as the style names it: `p. 20` is a page, `chap. 3` a chapter;
/// a bare number or range is a page.
pub fn locator_kind(text: &str) -> (hayagriva::citationberg::taxonomy::Locator, &str) {
    use hayagriva::citationberg::taxonomy::Locator as L;
    const TERMS: [(&str, L); 22] = [
        ("pp.", L::Page), ("p.", L::Page), ("pages", L::Page), ("page", L::Page), ("第", L::Page),
        ("chap.", L::Chapter), ("chapter", L::Chapter), ("ch.", L::Chapter),
        ("sec.", L::Section), ("section", L::Section), ("§", L::Section),
        ("fig.", L::Figure), ("figure", L::Figure), ("tab.", L::Table), ("table", L::Table),
        ("vol.", L::Volume), ("volume", L::Volume), ("no.", L::Issue), ("para.", L::Paragraph),
        ("line", L::Line), ("note", L::Note), ("part", L::Part),
    ];
    let lower = text.to_lowercase();
    for (term, kind) in TERMS {
        if lower.starts_with(term) {
            let rest = text[term.len()..].trim();
            if term == "第" {
                return (kind, rest.trim_end_matches('页').trim());
            }
            return (kind, rest);
        }
    }
    (L::Page, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &str, bare: bool) -> Option<(String, Vec<(String, Option<String>)>, bool)> {
        find(s, bare).map(|f| (s[f.range].to_string(), f.items.into_iter().map(|i| (i.key, i.locator)).collect(), f.prose))
    }

    #[test]
    fn bracketed_citations() {
        assert_eq!(keys("as shown [@grunfeld1958].", false), Some(("[@grunfeld1958]".into(), vec![("grunfeld1958".into(), None)], false)));
        assert_eq!(
            keys("x [@a, p. 20; @b:2020] y", false),
            Some(("[@a, p. 20; @b:2020]".into(), vec![("a".into(), Some("p. 20".into())), ("b:2020".into(), None)], false))
        );
        assert_eq!(keys("[see the table]", true), None);
        assert_eq!(keys("[@fig:x]", true), None);
        assert_eq!(keys("[@a; @tbl:x]", false), None);
    }

    #[test]
    fn bare_keys_only_where_asked_and_never_addresses_or_cross_references() {
        assert_eq!(keys("@smith2020 argues.", true).map(|k| k.0), Some("@smith2020".into()));
        assert_eq!(keys("@smith2020 argues.", false), None);
        assert_eq!(keys("mail a@b.com", true), None);
        assert_eq!(keys("见@fig:a。", true), None);
        assert_eq!(keys("由@li2020提出", true).map(|k| k.0), Some("@li2020".into()));
        assert_eq!(keys("由[@li2020, 第 3 页]提出", false).map(|k| k.1), Some(vec![("li2020".into(), Some("第 3 页".into()))]));
    }

    #[test]
    fn locators() {
        use hayagriva::citationberg::taxonomy::Locator as L;
        assert_eq!(locator_kind("p. 20"), (L::Page, "20"));
        assert_eq!(locator_kind("20-25"), (L::Page, "20-25"));
        assert_eq!(locator_kind("chap. 3"), (L::Chapter, "3"));
        assert_eq!(locator_kind("第 12 页"), (L::Page, "12"));
    }
}
