//! A value the template reads that is not there — usually a misspelled
//! column (`{{ q.net_incme | num(1) }}`): find the attribute in the source,
//! list the record's keys and suggest the nearest.

use std::ops::Range;

/// What the error can say about a missing attribute.
pub struct Missing {
    /// Byte range of the attribute's name in the source.
    pub range: Range<usize>,
    pub name: String,
    /// The record it was read from, as written (`q`, `data.sales[0]`).
    pub owner: String,
    pub keys: Vec<String>,
}

/// The `{{ … }}` around `at`: its primary expression (before any filter),
/// with its byte offset.
fn expression_at(text: &str, at: usize) -> Option<(usize, &str)> {
    let at = at.min(text.len());
    let open = text[..at].rfind("{{")? + 2;
    let close = text[open..].find("}}").map_or(text.len(), |i| open + i);
    let inner = &text[open..close];
    let primary = inner.split('|').next()?;
    let lead = primary.len() - primary.trim_start().len();
    Some((open + lead, primary.trim()))
}

/// For a loop variable, the list it walks: `{% for q in data.sales %}`
/// before `at` gives `data.sales` for `q`.
fn loop_source<'a>(text: &'a str, at: usize, var: &str) -> Option<&'a str> {
    let before = &text[..at.min(text.len())];
    let mut from = before.len();
    while let Some(i) = before[..from].rfind("{%") {
        from = i;
        let tag = &before[i + 2..];
        let tag = &tag[..tag.find("%}").unwrap_or(tag.len())];
        let mut words = tag.trim_start_matches('-').split_whitespace();
        if words.next() == Some("for") && words.next() == Some(var) && words.next() == Some("in") {
            let rest = tag.trim_start_matches('-').trim_start()["for".len()..].trim_start();
            let expr = rest.split_once(" in ")?.1;
            return Some(expr.trim_end_matches('-').trim());
        }
    }
    None
}

/// Find the missing attribute of the expression around `at`. `keys_of`
/// evaluates an expression to the keys of the record it gives.
pub fn find(text: &str, at: usize, keys_of: &dyn Fn(&str) -> Option<Vec<String>>) -> Option<Missing> {
    let (offset, expr) = expression_at(text, at)?;
    let simple = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']');
    if !expr.chars().all(simple) {
        return None;
    }
    let dot = expr.rfind('.')?;
    let (owner, name) = (&expr[..dot], &expr[dot + 1..]);
    let head = owner.split(['.', '[']).next()?;
    let keys = keys_of(owner).or_else(|| {
        let list = loop_source(text, offset, head)?;
        keys_of(&format!("({list})[0]{}", &owner[head.len()..]))
    })?;
    if keys.iter().any(|k| k == name) {
        return None;
    }
    let start = offset + dot + 1;
    Some(Missing { range: start..start + name.len(), name: name.to_string(), owner: owner.to_string(), keys })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelled_column_in_a_loop_is_found_with_its_keys() {
        let text = "{% for q in data.sales %}\n| {{ q.net_incme | num(1) }} |\n{% endfor %}";
        let at = text.find("num").unwrap();
        let keys_of = |e: &str| (e == "(data.sales)[0]").then(|| vec!["quarter".to_string(), "net_income".to_string()]);
        let m = find(text, at, &keys_of).unwrap();
        assert_eq!((&text[m.range.clone()], m.owner.as_str()), ("net_incme", "q"));
        assert_eq!(crate::core::text::closest(&m.name, m.keys.iter().map(String::as_str)), Some("net_income"));
    }

    #[test]
    fn nothing_near_is_no_suggestion() {
        assert_eq!(crate::core::text::closest("zzz", ["quarter", "revenue"]), None);
        assert_eq!(crate::core::text::closest("revenu", ["quarter", "revenue"]), Some("revenue"));
    }
}
