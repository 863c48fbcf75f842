//! The spacing rule between Chinese and Latin (`core::text::cjk_latin_spaced`)
//! over a Chinese report's text, written or from data, across the runs
//! Markdown splits it into (`**模型**GPT`, a value beside the word it
//! follows): one pass, before anything reads the text.

use crate::core::text::{cjk_latin_gap, cjk_latin_spaced};
use crate::doc::{inline_lists_mut, Block, Inline};

/// Applies the rule to every inline list of `blocks`.
pub fn space(blocks: &mut [Block]) {
    inline_lists_mut(blocks, &mut |inlines| space_inlines(inlines));
}

/// A text run, and whether it is part of a data value.
struct Run<'a> {
    text: &'a mut String,
    value: bool,
}

fn space_inlines(inlines: &mut Vec<Inline>) {
    let mut runs: Vec<Option<Run<'_>>> = Vec::new();
    collect(inlines, false, &mut runs);
    for run in runs.iter_mut().flatten() {
        if let std::borrow::Cow::Owned(s) = cjk_latin_spaced(run.text) {
            *run.text = s;
        }
    }
    // Between neighbouring runs (None: code, math, a footnote mark breaks
    // the text): the space goes outside a data value where it can.
    for i in 1..runs.len() {
        let (before, after) = runs.split_at_mut(i);
        let (Some(Some(a)), Some(Some(b))) = (before.last_mut(), after.first_mut()) else { continue };
        let (Some(x), Some(y)) = (a.text.chars().last(), b.text.chars().next()) else { continue };
        if cjk_latin_gap(x, y) {
            if !b.value || a.value {
                b.text.insert(0, ' ');
            } else {
                a.text.push(' ');
            }
        }
    }
}

fn collect<'a>(inlines: &'a mut [Inline], value: bool, out: &mut Vec<Option<Run<'a>>>) {
    for inline in inlines {
        let in_value = value || matches!(inline, Inline::Value { .. });
        match inline {
            Inline::Text(text) => out.push(Some(Run { text, value })),
            other => match other.children_mut() {
                Some(c) => collect(c, in_value, out),
                None => out.push(None),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn runs_are_spaced_across_their_edges() {
        let mut blocks = vec![Block::Paragraph(vec![
            text("截至"),
            Inline::Value { index: 0, content: vec![text("2023年4月")] },
            text("，"),
            Inline::Strong(vec![text("模型")]),
            text("GPT-4发布"),
            Inline::Code("x年".into()),
            text("年"),
        ])];
        space(&mut blocks);
        let Block::Paragraph(p) = &blocks[0] else { unreachable!() };
        assert_eq!(crate::doc::plain_text(p), "截至 2023 年 4 月，模型 GPT-4 发布x年年");
        // The space stays outside the value.
        assert!(matches!(&p[0], Inline::Text(t) if t == "截至 "));
    }
}
