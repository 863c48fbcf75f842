//! JSON numbers read exactly or not at all: serde_json turns an integer past
//! 64 bits into a float (`18446744073709551616` prints `18446744073709552000`)
//! and rounds a decimal past a float's digits (`1.0000000000000001` prints
//! `1.0`, `1e-400` prints `0.0`) without a word. The parsed text is scanned
//! for its number literals and each that would change is an error at it.

use std::ops::Range;

/// The first number literal of `text` (valid JSON) that a float or a
/// 64-bit integer cannot hold, with why.
pub fn inexact(text: &str) -> Option<(Range<usize>, String)> {
    let mut found = None;
    each_literal_at(text, |literal, at| {
        if found.is_none() {
            found = why_inexact(literal).map(|why| (at..at + literal.len(), why));
        }
    });
    found
}

/// Every number literal of `text` (valid JSON), in order.
pub fn each_literal(text: &str, mut f: impl FnMut(&str)) {
    each_literal_at(text, |literal, _| f(literal));
}

fn each_literal_at(text: &str, mut f: impl FnMut(&str, usize)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len() && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    i += 1;
                }
                f(&text[start..i], start);
            }
            _ => i += 1,
        }
    }
}

fn why_inexact(literal: &str) -> Option<String> {
    if !literal.contains(['.', 'e', 'E']) {
        let fits = literal.parse::<i64>().is_ok() || literal.parse::<u64>().is_ok();
        return (!fits).then(|| format!("`{literal}` is an integer past 64 bits, which JSON readers round"));
    }
    if crate::core::format::float_holds(literal) {
        return None;
    }
    let x: f64 = literal.parse().unwrap_or(f64::NAN);
    Some(if x.is_infinite() {
        format!("`{literal}` is past the largest number a float holds")
    } else if x == 0.0 {
        format!("`{literal}` is below the smallest number a float holds (it would read as 0)")
    } else {
        format!("`{literal}` has more digits than a float holds (it would read as {x})")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_literal_that_would_change() {
        assert_eq!(inexact(r#"{"a": [1, 2.5, -3e2, 9223372036854775807, 18446744073709551615], "b": "18446744073709551616"}"#), None);
        let text = r#"{"a": 1, "big": 18446744073709551616}"#;
        let (at, why) = inexact(text).unwrap();
        assert_eq!(&text[at], "18446744073709551616");
        assert!(why.contains("past 64 bits"), "{why}");
        let (_, why) = inexact(r#"[1.0000000000000001]"#).unwrap();
        assert!(why.ends_with("(it would read as 1)"), "{why}");
        assert!(inexact(r#"[1e-400]"#).unwrap().1.contains("below the smallest"));
        assert!(inexact(r#"["a\"1e-400", 1]"#).is_none(), "inside a string, escaped quote and all");
    }
}
