//! Text helpers every stage may use.

/// Escape text for HTML and SVG: markup characters become entities, and
/// control characters (allowed in neither) become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in HTML or SVG text.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{FFFD}'),
            // Not characters in XML 1.0 (feeds, sitemaps, SVG) either.
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            _ => out.push(c),
        }
    }
    out
}


/// The candidate nearest to `word` by edit distance, if near enough to be
/// a likely misspelling.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates.into_iter().map(|c| (distance(word, c), c)).filter(|(d, _)| *d <= limit).min_by_key(|(d, _)| *d).map(|(_, c)| c)
}

/// Edits from `a` to `b`, two swapped neighbours counting as one (`titel`
/// is one edit from `title`): the optimal string alignment distance.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=b.len() {
        d[0][j] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swap_of_neighbours_is_one_edit() {
        assert_eq!(distance("titel", "title"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(closest("titel", ["title", "subtitle", "lang"]), Some("title"));
        assert_eq!(closest("xyz", ["title"]), None);
    }
}

/// Full-width punctuation that closes a clause or a bracket: its glyph
/// carries its own space, so a space typed after it (`**模型。** 阿里`)
/// prints as a gap in the middle of a Chinese sentence.
pub fn is_fullwidth_close(c: char) -> bool {
    matches!(c, '。' | '，' | '、' | '；' | '：' | '！' | '？' | '）' | '」' | '』' | '》' | '〉' | '】' | '〕')
}

/// A short label or name (`阿里巴巴`, `2023E`, `汽车`): at most six
/// characters and no space. Broken over lines it reads as nothing; both
/// outputs keep it on one line in a table cell.
pub fn is_short_label(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().count() <= 6 && !t.contains(char::is_whitespace)
}

/// An ideograph or kana (not punctuation): what the spacing rule keeps
/// apart from Latin letters and digits.
fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Whether the spacing rule puts a space between `a` and `b`: an ideograph
/// beside a Latin letter, a digit or a `%` (either way round).
pub fn cjk_latin_gap(a: char, b: char) -> bool {
    let latin = |c: char| c.is_ascii_alphanumeric() || c == '%';
    (is_ideograph(a) && latin(b)) || (latin(a) && is_ideograph(b))
}

/// The one spacing rule between Chinese and Latin letters or digits in
/// Chinese text (clreq): one space, typed or not, so `2022年7月`,
/// `2022 年 7 月`, `标普500` and `标普 500` print alike in the PDF, the
/// HTML and charts (typst adds such space itself, browsers only with
/// `text-autospace`, SVG text never).
pub fn cjk_latin_spaced(s: &str) -> std::borrow::Cow<'_, str> {
    let chars: Vec<char> = s.chars().collect();
    if !chars.windows(2).any(|w| cjk_latin_gap(w[0], w[1])) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && cjk_latin_gap(chars[i - 1], c) {
            out.push(' ');
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod spacing_tests {
    use super::cjk_latin_spaced as s;

    #[test]
    fn chinese_and_latin_are_spaced_once() {
        assert_eq!(s("2022年7月"), "2022 年 7 月");
        assert_eq!(s("2022 年 7 月"), "2022 年 7 月");
        assert_eq!(s("标普500指数上涨15%至"), "标普 500 指数上涨 15% 至");
        // Punctuation is not spaced; nor is Latin among Latin.
        assert_eq!(s("（RLHF）。GPT-4"), "（RLHF）。GPT-4");
        assert_eq!(s("DALL·E"), "DALL·E");
    }
}
