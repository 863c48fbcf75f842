//! Markdown in front matter text that the templates print as paragraphs
//! (`back_matter`): inline formatting only — emphasis, code, links, line
//! breaks. Anything else (a heading, a list, HTML) prints as its text.

use comrak::nodes::{AstNode, NodeValue};
use comrak::{parse_document, Arena};

use super::push_text;
use crate::doc::Inline;

/// The inlines of `text`, its paragraphs joined by line breaks.
pub fn inlines(text: &str) -> Vec<Inline> {
    let arena = Arena::new();
    let root = parse_document(&arena, text, &super::options());
    let mut out = Vec::new();
    for (i, block) in root.children().enumerate() {
        if i > 0 {
            out.push(Inline::LineBreak);
        }
        convert(block, &mut out, 0);
    }
    out
}

fn convert<'a>(node: &'a AstNode<'a>, out: &mut Vec<Inline>, depth: usize) {
    for child in node.children() {
        let value = child.data().value.clone();
        let inner = || {
            let mut v = Vec::new();
            if depth < 20 {
                convert(child, &mut v, depth + 1);
            }
            v
        };
        match value {
            NodeValue::Text(t) => push_text(out, &t),
            NodeValue::Code(c) => out.push(Inline::Code(c.literal)),
            NodeValue::HtmlInline(h) => push_text(out, &h),
            NodeValue::SoftBreak => push_text(out, " "),
            NodeValue::LineBreak => out.push(Inline::LineBreak),
            NodeValue::Emph => out.push(Inline::Emph(inner())),
            NodeValue::Strong => out.push(Inline::Strong(inner())),
            NodeValue::Strikethrough => out.push(Inline::Strike(inner())),
            NodeValue::Link(l) => out.push(Inline::Link { url: l.url, content: inner() }),
            // Formulas are for the body: here `$x$` is what was written.
            NodeValue::Math(m) => {
                let fence = if m.display_math { "$$" } else { "$" };
                push_text(out, &format!("{fence}{}{fence}", m.literal))
            }
            NodeValue::CodeBlock(c) => push_text(out, c.literal.trim_end()),
            NodeValue::HtmlBlock(h) => push_text(out, h.literal.trim_end()),
            _ => out.extend(inner()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_and_everything_else_as_text() {
        let got = format!("{:?}", inlines("见 `folio check` 与 **评级**，[网站](https://example.com)。"));
        assert_eq!(got, r#"[Text("见 "), Code("folio check"), Text(" 与 "), Strong([Text("评级")]), Text("，"), Link { url: "https://example.com", content: [Text("网站")] }, Text("。")]"#);
        assert_eq!(format!("{:?}", inlines("# Title\n\n<b>x</b>")), r#"[Text("Title"), LineBreak, Text("<b>x</b>")]"#);
    }
}
