//! The one YAML reader (front matter, data files, chart specs, `--set`).
//! It reads YAML 1.2's core schema: `yes`, `No`, `007` and `1_000` stay
//! text, as they did before; duplicate keys and numbers past a float's
//! range are errors, never a silent last-wins or a null.

use serde::de::DeserializeOwned;

/// Why a text is not the YAML asked for, and where (a byte offset).
#[derive(Debug, Clone)]
pub struct YamlError {
    /// Without its position (the diagnostic shows that).
    pub message: String,
    pub offset: Option<usize>,
}

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| error(text, &e))
}

fn options() -> serde_saphyr::Options {
    let mut o = serde_saphyr::Options::default();
    o.strict_booleans = true;
    o.leading_zero_numbers_as_strings = true;
    o.underscored_numbers_as_strings = true;
    o.with_snippet = false;
    o
}

fn error(text: &str, e: &serde_saphyr::Error) -> YamlError {
    let full = e.without_snippet().to_string();
    let message = full.split(" at line ").next().unwrap_or(&full).trim().to_string();
    let offset = e.location().and_then(|l| {
        let byte = l.span().byte_offset().map(|b| b as usize);
        byte.or_else(|| offset_of(text, l.line() as usize, l.column() as usize))
    });
    YamlError { message, offset: offset.map(|o| o.min(text.len())) }
}

/// The first plain number literal of a YAML data file that the value it
/// reads as does not hold exactly (`1.0000000000000001` reads as 1, an
/// integer past 64 bits as a rounded float), with its byte offset and why.
pub fn inexact_number(text: &str) -> Option<(usize, String)> {
    let mut found = None;
    each_plain_scalar_at(text, |v, at| {
        if found.is_some() {
            return;
        }
        let digits = v.trim_start_matches(['-', '+']);
        let number = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
            && digits.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'.');
        // Leading zeros stay text under folio's options; so does anything else.
        if !number || (digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.")) {
            return;
        }
        let why = if digits.bytes().all(|b| b.is_ascii_digit()) {
            if v.parse::<i64>().is_ok() || v.parse::<u64>().is_ok() {
                return;
            }
            format!("`{v}` is an integer past 64 bits")
        } else if v.parse::<f64>().is_err() || crate::core::format::float_holds(v) {
            return;
        } else {
            format!("`{v}` has more digits than a float holds (it would read as {})", v.parse::<f64>().unwrap_or(0.0))
        };
        found = Some((at, why));
    });
    found
}

/// Every plain (unquoted, untagged) scalar of a YAML text, in order: the
/// ones a reader may take for numbers.
pub fn each_plain_scalar(text: &str, mut f: impl FnMut(&str)) {
    each_plain_scalar_at(text, |v, _| f(v));
}

fn each_plain_scalar_at(text: &str, mut f: impl FnMut(&str, usize)) {
    use granit_parser::{Event, Parser, ScalarStyle};
    for event in Parser::new_from_str(text) {
        let Ok((Event::Scalar(value, ScalarStyle::Plain, _, None), span)) = event else { continue };
        let at = span.start.byte_offset().or_else(|| text.char_indices().nth(span.start.index()).map(|(i, _)| i)).unwrap_or(0);
        f(value.as_ref(), at);
    }
}

/// The byte offset of 1-based `line` and `column` (in characters).
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let start = crate::core::diag::line_start(text, line);
    let rest = &text[start..];
    let within = rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn reads_the_core_schema_as_before() {
        let v: Value = from_str("a: yes\nb: No\nc: '007'\nd: 007\ne: 1_000\nf: 2024-01-15\ng: 0x10\nh: ~\ni: 1.50\n").unwrap();
        assert_eq!(v, json!({"a": "yes", "b": "No", "c": "007", "d": "007", "e": "1_000", "f": "2024-01-15", "g": 16, "h": null, "i": 1.5}));
    }

    #[test]
    fn refuses_duplicate_keys_and_overflowing_numbers_where_they_are() {
        let e = from_str::<Value>("a: 1\na: 2\n").unwrap_err();
        assert!(e.message.starts_with("duplicate mapping key"), "{}", e.message);
        assert_eq!(e.offset, Some(5));
        let e = from_str::<Value>("x: 1\ny: 1.5e400\n").unwrap_err();
        assert_eq!(e.offset, Some(8), "{}", e.message);
        // `.nan` and `.inf` too (a JSON value has no such number: it would print empty).
        for text in ["x: 1\ny: .nan\n", "x: 1\ny: -.inf\n"] {
            let e = from_str::<Value>(text).unwrap_err();
            assert!(e.message.starts_with("non-finite float"), "{}", e.message);
            assert_eq!(e.offset, Some(8), "{}", e.message);
        }
    }

    #[test]
    fn finds_the_number_a_float_would_change() {
        assert_eq!(inexact_number("a: 1\nb: [2.5, -3e2, '1.0000000000000001', 18446744073709551615]\nc: 007\nd: |\n  1.0000000000000001\n"), None);
        let text = "a: 1\nb:\n  - 1.0000000000000001\n";
        let (at, why) = inexact_number(text).unwrap();
        assert_eq!(&text[at..], "1.0000000000000001\n");
        assert_eq!(why, "`1.0000000000000001` has more digits than a float holds (it would read as 1)");
        let (_, why) = inexact_number("名: 18446744073709551616\n").unwrap();
        assert!(why.contains("past 64 bits"), "{why}");
    }

    #[test]
    fn an_error_without_a_byte_offset_is_placed_by_line_and_column() {
        let e = from_str::<Value>("名: 1\nb: [1, 2\n").unwrap_err();
        assert_eq!(e.offset, Some("名: 1\nb: ".len()), "{}", e.message);
    }
}
