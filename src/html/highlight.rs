//! Code highlighting for the HTML output, with the same syntax definitions
//! typst uses for the PDF. Tokens become `<span class="hl-…">`; the colours
//! live in the stylesheet.

use std::fmt::Write as _;
use std::sync::LazyLock;

use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::core::text::escape;

/// Loaded on first use: only reports with code blocks pay for it.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Scope prefixes and their classes, most specific first; operators stay
/// plain, punctuation takes the colour of what encloses it (a string's quotes).
const CLASSES: [(&str, Option<&str>); 10] = [
    ("keyword.operator", None),
    ("comment", Some("hl-c")),
    ("string", Some("hl-s")),
    ("constant.numeric", Some("hl-n")),
    ("constant", Some("hl-n")),
    ("keyword", Some("hl-k")),
    ("storage", Some("hl-k")),
    ("entity.name.function", Some("hl-f")),
    ("support.function", Some("hl-f")),
    ("entity.name", Some("hl-t")),
];

fn class_of(stack: &ScopeStack) -> Option<&'static str> {
    for scope in stack.as_slice().iter().rev() {
        let name = scope.build_string();
        if name.starts_with("punctuation") {
            continue;
        }
        if let Some((_, class)) = CLASSES.iter().find(|(prefix, _)| name.starts_with(prefix)) {
            return *class;
        }
    }
    None
}

/// Highlighted HTML for `code` in language `lang`, or `None` when the
/// language is unknown (the caller then prints plain escaped text).
pub fn to_html(code: &str, lang: &str) -> Option<String> {
    let syntax = SYNTAXES.find_syntax_by_token(lang)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut spans = Spans::default();
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, &SYNTAXES).ok()?;
        let mut at = 0;
        for (index, op) in ops {
            spans.push(&line[at..index], class_of(&stack));
            at = index;
            stack.apply(&op).ok()?;
        }
        spans.push(&line[at..], class_of(&stack));
    }
    Some(spans.finish())
}

/// Runs of text with one class each; neighbours of the same class merge.
#[derive(Default)]
struct Spans {
    out: String,
    run: String,
    class: Option<&'static str>,
}

impl Spans {
    fn push(&mut self, text: &str, class: Option<&'static str>) {
        if text.is_empty() {
            return;
        }
        if class != self.class {
            self.flush();
            self.class = class;
        }
        self.run.push_str(text);
    }

    fn flush(&mut self) {
        if self.run.is_empty() {
            return;
        }
        match self.class {
            Some(c) => {
                let _ = write!(self.out, "<span class=\"{c}\">{}</span>", escape(&self.run));
            }
            None => self.out.push_str(&escape(&self.run)),
        }
        self.run.clear();
    }

    fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_keywords_strings_and_comments() {
        let html = to_html("fn main() { let s = \"<hi>\"; } // done\n", "rust").unwrap();
        assert!(html.contains("<span class=\"hl-k\">fn</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-s\">&quot;&lt;hi&gt;&quot;</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-c\">// done\n</span>"), "{html}");
        assert!(html.contains(" s = "), "operators stay plain: {html}");
        assert!(to_html("x", "no-such-language").is_none());
    }
}
