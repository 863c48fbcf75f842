//! Values a template prints are escaped for the place they land in, which
//! minijinja cannot see while it renders: the formatter leaves a marker per
//! value, and once the whole text is rendered each marker is replaced by the
//! value escaped for its context:
//!
//! - Markdown text: backslash escapes, so data never becomes markup;
//! - a ```chart / ```charts fence (YAML): a YAML scalar of the same value,
//!   quoted when needed, or escaped for the quotes the writer put around it;
//! - any other code fence, and code spans: the literal text.

/// Marker around a printed value's index: private-use characters that no
/// template or data has reason to hold.
const OPEN: char = '\u{F8F0}';
const CLOSE: char = '\u{F8F1}';

/// One value as the template printed it.
#[derive(Debug, Clone)]
pub struct Printed {
    pub text: String,
    /// A number or boolean: a YAML scalar as it is.
    pub plain_scalar: bool,
    /// The cells it was made from (`--lineage` only).
    pub traced: Option<crate::template::lineage::Traced>,
}

/// The marker the formatter writes in place of value `index`.
pub fn marker(index: usize) -> String {
    format!("{OPEN}{index}{CLOSE}")
}

/// Where a marker stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Context {
    Markdown,
    Literal,
    Yaml,
}

/// A value printed inside a plain YAML scalar that would change its meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlProblem {
    /// 1-based line of the rendered text.
    pub line: usize,
    pub value: String,
    /// That line with every printed value as its plain text.
    pub shown: String,
}

/// Replace every marker in `rendered` by its value, escaped for where it stands.
/// With `mark`, a value in Markdown text is put between value marks
/// (`core::value_marks`), so that it becomes an element of the outputs.
pub fn expand(rendered: &str, values: &[Printed], mark: bool) -> Result<String, YamlProblem> {
    if values.is_empty() {
        return Ok(rendered.to_string());
    }
    let mut out = String::with_capacity(rendered.len() + values.iter().map(|v| v.text.len()).sum::<usize>());
    let mut fence: Option<(char, usize, bool)> = None;
    for (n, line) in rendered.split_inclusive('\n').enumerate() {
        let ctx = match fence {
            Some((_, _, yaml)) => {
                if closes_fence(line, fence) {
                    fence = None;
                    Context::Literal
                } else if yaml {
                    Context::Yaml
                } else {
                    Context::Literal
                }
            }
            None => match opens_fence(line) {
                Some(f) => {
                    fence = Some(f);
                    Context::Literal
                }
                None => Context::Markdown,
            },
        };
        if !line.contains(OPEN) {
            out.push_str(line);
            continue;
        }
        expand_line(line, ctx, values, mark, &mut out).map_err(|value| {
            let mut shown = String::new();
            let _ = expand_line(line, Context::Literal, values, false, &mut shown);
            YamlProblem { line: n + 1, value, shown: shown.trim_end_matches(['\n', '\r']).to_string() }
        })?;
    }
    Ok(out)
}

/// `(fence char, length, is a chart fence)` when `line` opens a fenced block.
fn opens_fence(line: &str) -> Option<(char, usize, bool)> {
    let t = line.trim_end_matches(['\n', '\r']);
    let indent = t.len() - t.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let t = &t[indent..];
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = t.chars().take_while(|x| *x == c).count();
    if len < 3 {
        return None;
    }
    let info = t[len..].trim();
    if c == '`' && info.contains('`') {
        return None;
    }
    let first = info.split_whitespace().next().unwrap_or("");
    Some((c, len, matches!(first, "chart" | "charts")))
}

fn closes_fence(line: &str, fence: Option<(char, usize, bool)>) -> bool {
    let Some((c, len, _)) = fence else { return false };
    let t = line.trim_end_matches(['\n', '\r']);
    let indent = t.len() - t.trim_start_matches(' ').len();
    let t = t[indent..].trim_end();
    indent <= 3 && t.chars().all(|x| x == c) && t.chars().count() >= len
}

/// The marker's index at the start of `s` (just after OPEN), and its length.
fn parse_marker(s: &str) -> Option<(usize, usize)> {
    let end = s.find(CLOSE)?;
    let index = s[..end].parse().ok()?;
    Some((index, end + CLOSE.len_utf8()))
}

fn expand_line(line: &str, ctx: Context, values: &[Printed], mark: bool, out: &mut String) -> Result<(), String> {
    let spans = if ctx == Context::Markdown { code_spans(line) } else { vec![] };
    let mut rest = line;
    let mut at = 0;
    while let Some(i) = rest.find(OPEN) {
        let after = &rest[i + OPEN.len_utf8()..];
        let Some((index, len)) = parse_marker(after).filter(|(k, _)| *k < values.len()) else {
            out.push_str(&rest[..i + OPEN.len_utf8()]);
            at += i + OPEN.len_utf8();
            rest = after;
            continue;
        };
        out.push_str(&rest[..i]);
        let v = &values[index];
        let pos = at + i;
        match ctx {
            Context::Literal => out.push_str(&v.text),
            Context::Markdown if spans.iter().any(|r| r.contains(&pos)) => out.push_str(&v.text.replace(['\n', '\r'], " ")),
            Context::Markdown if mark && plain_text_at(line, pos) => out.push_str(&crate::core::value_marks::wrap(index, &escape_markdown(&v.text))),
            Context::Markdown => out.push_str(&escape_markdown(&v.text)),
            Context::Yaml => {
                let before = &line[..pos];
                let tail = &after[len..];
                out.push_str(&yaml_value(before, tail, v)?);
            }
        }
        at += i + OPEN.len_utf8() + len;
        rest = &after[len..];
    }
    out.push_str(rest);
    Ok(())
}

/// Whether byte `pos` of a Markdown line is in plain text, where a value can
/// become an element: not in a formula, a link target, an image's alt text,
/// an HTML tag or block, or a `{…}` attribute.
fn plain_text_at(line: &str, pos: usize) -> bool {
    let before = &line[..pos];
    if line.trim_start().starts_with('<') {
        return false;
    }
    let unescaped = |c: char| before.char_indices().filter(|&(i, x)| x == c && !before[..i].ends_with('\\')).count();
    let open_after = |open: &str, close: char| before.rfind(open).is_some_and(|i| !before[i..].contains(close));
    unescaped('$') % 2 == 0 && !open_after("](", ')') && !open_after("![", ']') && !open_after("<", '>') && !open_after("{", '}')
}

/// Byte ranges of code spans on one line (between backtick runs of equal length).
fn code_spans(line: &str) -> Vec<std::ops::Range<usize>> {
    let b = line.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'`' && (i == 0 || b[i - 1] != b'\\') {
            let start = i;
            while i < b.len() && b[i] == b'`' {
                i += 1;
            }
            runs.push((start, i - start));
        } else {
            i += 1;
        }
    }
    let mut spans = Vec::new();
    let mut k = 0;
    while k < runs.len() {
        let (start, len) = runs[k];
        if let Some(j) = (k + 1..runs.len()).find(|&j| runs[j].1 == len) {
            spans.push(start + len..runs[j].0);
            k = j + 1;
        } else {
            k += 1;
        }
    }
    spans
}

/// The quote a YAML scalar is in at the end of `before`: `Some('"')`,
/// `Some('\'')`, or `None` (plain), and whether a plain scalar starts here.
fn yaml_state(before: &str) -> (Option<char>, bool) {
    let mut quote: Option<char> = None;
    let mut prev_significant: Option<char> = None;
    let mut chars = before.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some('"') => match c {
                '\\' => {
                    chars.next();
                }
                '"' => quote = None,
                _ => {}
            },
            Some(_) => {
                if c == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        quote = None;
                    }
                }
            }
            None => {
                let starts_scalar = prev_significant.is_none_or(|p| matches!(p, ':' | '-' | '[' | '{' | ',' | '?'));
                if (c == '"' || c == '\'') && starts_scalar {
                    quote = Some(c);
                }
            }
        }
        if !c.is_whitespace() {
            prev_significant = Some(c);
        }
    }
    let at_scalar_start = quote.is_none()
        && (before.trim_end().is_empty()
            || before.ends_with(char::is_whitespace) && matches!(prev_significant, Some(':' | '-' | ',' | '?'))
            || matches!(prev_significant, Some('[' | '{' | ',')));
    (quote, at_scalar_start)
}

/// A printed value inside a chart's YAML.
fn yaml_value(before: &str, tail: &str, v: &Printed) -> Result<String, String> {
    let (quote, at_start) = yaml_state(before);
    match quote {
        Some('"') => {
            let quoted = json_string(&v.text);
            Ok(quoted[1..quoted.len() - 1].to_string())
        }
        Some(_) => Ok(v.text.replace('\'', "''").replace(['\n', '\r'], " ")),
        None => {
            let t = tail.trim_start_matches([' ', '\t']);
            let at_end = t.is_empty() || t.starts_with(['\n', '\r', ',', ']', '}']) || t.starts_with('#');
            if at_start && at_end {
                Ok(if v.plain_scalar { v.text.clone() } else { json_string(&v.text) })
            } else if plain_safe(&v.text) {
                Ok(v.text.clone())
            } else {
                Err(v.text.clone())
            }
        }
    }
}

/// Text that means itself in the middle of a plain (unquoted) YAML scalar.
fn plain_safe(s: &str) -> bool {
    !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.contains(['\n', '\r', ',', '[', ']', '{', '}', '\t'])
}

/// A JSON string literal, which is also a YAML double-quoted scalar.
fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

/// Backslash-escape what Markdown (and our extensions) would read as syntax.
/// Newlines become spaces so a value cannot start a new block.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.' | '!' | '|' | '<'
            | '>' | '&' | '$' | '~' | '@' | ':' | '=' | '^' | '"' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(template: &str, vals: &[(&str, bool)]) -> Result<String, YamlProblem> {
        let values: Vec<Printed> = vals.iter().map(|(t, p)| Printed { text: t.to_string(), plain_scalar: *p, traced: None }).collect();
        let mut text = template.to_string();
        for i in 0..values.len() {
            text = text.replacen("@@", &marker(i), 1);
        }
        expand(&text, &values, false)
    }

    #[test]
    fn markdown_text_is_escaped_code_is_literal() {
        assert_eq!(run("a @@ `b @@` c\n", &[("*x*", false), ("2001-01-01", false)]).unwrap(), "a \\*x\\* `b 2001-01-01` c\n");
        assert_eq!(run("```text\n@@\n```\n@@\n", &[("a-b", false), ("a-b", false)]).unwrap(), "```text\na-b\n```\na\\-b\n");
    }

    #[test]
    fn chart_fences_get_yaml_scalars() {
        let out = run(
            "```chart\nrows:\n  - {date: @@, v: @@}\ncaption: \"@@\"\nnote: '@@'\ntitle: 收入 @@ 年\n```\n",
            &[("2001-01-01", false), ("1.5", true), ("say \"hi\"", false), ("it's", false), ("2023", true)],
        )
        .unwrap();
        assert_eq!(
            out,
            "```chart\nrows:\n  - {date: \"2001-01-01\", v: 1.5}\ncaption: \"say \\\"hi\\\"\"\nnote: 'it''s'\ntitle: 收入 2023 年\n```\n"
        );
        let parsed: serde_json::Value = crate::input::yaml::from_str(out.trim_start_matches("```chart\n").trim_end_matches("```\n")).unwrap();
        assert_eq!(parsed["rows"][0]["date"], "2001-01-01");
        assert_eq!(parsed["caption"], "say \"hi\"");
    }

    #[test]
    fn a_value_that_would_change_a_plain_scalar_is_refused() {
        let err = run("```chart\n\ncaption: a @@ b\n```\n", &[("x: y", false)]).unwrap_err();
        assert_eq!(err, YamlProblem { line: 3, value: "x: y".into(), shown: "caption: a x: y b".into() });
    }
}
