//! The HTML a report may hold: comments (never printed), a safe subset of
//! inline tags set in both outputs, and `<div>` around blocks. comrak hands
//! each tag over on its own (`<sup>`, text, `</sup>`); this says what one is,
//! and the Markdown stage pairs them.

use crate::doc::HtmlTag;

/// What one piece of raw HTML is.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    /// `<!-- … -->`: an author's note, in neither output.
    Comment,
    Open { tag: Tag, class: Option<String>, title: Option<String> },
    Close(Tag),
    /// `<br>`, `<br/>`, `<br />`.
    Break,
    /// Anything else, with why it is not in the subset.
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Sup,
    Sub,
    Div,
    Inline(HtmlTag),
}

impl Tag {
    pub fn name(self) -> &'static str {
        match self {
            Tag::Sup => "sup",
            Tag::Sub => "sub",
            Tag::Div => "div",
            Tag::Inline(t) => t.name(),
        }
    }

    fn named(name: &str) -> Option<Tag> {
        match name {
            "sup" => Some(Tag::Sup),
            "sub" => Some(Tag::Sub),
            "div" => Some(Tag::Div),
            _ => HtmlTag::ALL.into_iter().find(|t| t.name() == name).map(Tag::Inline),
        }
    }
}

/// The tags folio sets, for hints and the README.
pub const SUBSET: &str = "sup, sub, br, kbd, mark, small, abbr (title), ins, del, u, s, span and div (class)";

pub fn classify(html: &str) -> Piece {
    let html = html.trim();
    if html.starts_with("<!--") {
        return Piece::Comment;
    }
    let Some(inner) = html.strip_prefix('<').and_then(|h| h.strip_suffix('>')) else {
        return Piece::Other("it is not one tag".into());
    };
    if let Some(name) = inner.strip_prefix('/') {
        let name = name.trim_end().to_ascii_lowercase();
        return match Tag::named(&name) {
            Some(tag) => Piece::Close(tag),
            None if name == "br" => Piece::Break,
            None => Piece::Other(format!("folio does not set `<{name}>`")),
        };
    }
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    let end = inner.find(|c: char| c.is_ascii_whitespace()).unwrap_or(inner.len());
    let name = inner[..end].to_ascii_lowercase();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Piece::Other("it is not one tag".into());
    }
    let attrs = match attributes(&inner[end..]) {
        Some(a) => a,
        None => return Piece::Other(format!("its attributes cannot be read in `<{name}>`")),
    };
    if name == "br" {
        return if attrs.is_empty() { Piece::Break } else { Piece::Other("`<br>` takes no attributes".into()) };
    }
    let Some(tag) = Tag::named(&name) else {
        return Piece::Other(format!("folio does not set `<{name}>`"));
    };
    let allowed = match tag {
        Tag::Inline(HtmlTag::Span) | Tag::Div => "class",
        Tag::Inline(HtmlTag::Abbr) => "title",
        _ => "",
    };
    let (mut class, mut title) = (None, None);
    for (key, value) in attrs {
        if key != allowed {
            return Piece::Other(format!("folio does not keep the attribute `{key}` of `<{name}>`"));
        }
        if key == "class" {
            class = Some(value);
        } else {
            title = Some(value);
        }
    }
    Piece::Open { tag, class, title }
}

/// `key="value"` pairs (also single-quoted, unquoted or bare), with the
/// common character references decoded; `None` when they do not parse.
fn attributes(mut s: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Some(out);
        }
        let end = s.find(|c: char| c.is_ascii_whitespace() || c == '=').unwrap_or(s.len());
        let key = s[..end].to_ascii_lowercase();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':') {
            return None;
        }
        s = s[end..].trim_start();
        let value = if let Some(rest) = s.strip_prefix('=') {
            let rest = rest.trim_start();
            let (value, after) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = rest[1..].find(q)? + 1;
                    (&rest[1..close], &rest[close + 1..])
                }
                _ => {
                    let end = rest.find(|c: char| c.is_ascii_whitespace()).unwrap_or(rest.len());
                    (&rest[..end], &rest[end..])
                }
            };
            s = after;
            decode(value)
        } else {
            String::new()
        };
        out.push((key, value));
    }
}

fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(semi) = rest.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// An HTML block with its comments cut out; `None` when nothing else is left.
pub fn without_comments(html: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<!--") {
        out.push_str(&rest[..at]);
        match rest[at..].find("-->") {
            Some(end) => rest = &rest[at + end + 3..],
            // An unclosed comment runs to the block's end, as in a browser.
            None => rest = "",
        }
    }
    out.push_str(rest);
    (!out.trim().is_empty()).then_some(out)
}

/// Every comment of a block or inline piece of HTML, for `check --comments`.
pub fn comments(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<!--") {
        let end = rest[at..].find("-->").map_or(rest.len(), |e| at + e + 3);
        out.push(&rest[at..end]);
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_subset_from_the_rest() {
        assert_eq!(classify("<!-- TODO: Jane -->"), Piece::Comment);
        assert_eq!(classify("<sup>"), Piece::Open { tag: Tag::Sup, class: None, title: None });
        assert_eq!(classify("</SUP >"), Piece::Close(Tag::Sup));
        assert_eq!(classify("<br/>"), Piece::Break);
        assert_eq!(classify("<br >"), Piece::Break);
        assert_eq!(
            classify("<abbr title=\"price &amp; earnings\">"),
            Piece::Open { tag: Tag::Inline(HtmlTag::Abbr), class: None, title: Some("price & earnings".into()) }
        );
        assert_eq!(
            classify("<span class='filename'>"),
            Piece::Open { tag: Tag::Inline(HtmlTag::Span), class: Some("filename".into()), title: None }
        );
        assert!(matches!(classify("<span style=\"color:red\">"), Piece::Other(w) if w.contains("`style`")));
        assert!(matches!(classify("<script>"), Piece::Other(w) if w.contains("`<script>`")));
        assert!(matches!(classify("<kbd onclick=x>"), Piece::Other(_)));
        assert!(matches!(classify("<a href=\"x\">"), Piece::Other(_)));
    }

    #[test]
    fn cuts_comments_out_of_blocks() {
        assert_eq!(without_comments("<!-- a\nb -->\n"), None);
        assert_eq!(without_comments("<!-- a --> <!-- b -->"), None);
        assert_eq!(without_comments("<!-- a -->tail\n").as_deref(), Some("tail\n"));
        assert_eq!(without_comments("<!-- never closed\nmore\n"), None);
        assert_eq!(comments("x <!-- a --> y <!-- b"), vec!["<!-- a -->", "<!-- b"]);
    }
}
