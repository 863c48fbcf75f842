//! A TOML data file read through the parser's spanned tree: dates and times
//! become their ISO text (not the parser's internal map), and a value JSON
//! cannot hold (`nan`, `inf`, an integer past 64 bits) is an error at its
//! place instead of a silent null.

use std::ops::Range;

use serde_json::{Map, Number, Value};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Why the text is not a data file folio reads, and where (a byte range).
#[derive(Debug)]
pub struct TomlError {
    pub message: String,
    pub span: Option<Range<usize>>,
    /// For a value folio refuses (the TOML itself is valid): what to write.
    pub value_hint: Option<&'static str>,
}

pub fn parse(text: &str) -> Result<Value, TomlError> {
    let table = DeTable::parse(text).map_err(|e| TomlError { message: e.message().trim().to_string(), span: e.span(), value_hint: None })?;
    table_value(table.get_ref(), "")
}

fn table_value(table: &DeTable<'_>, path: &str) -> Result<Value, TomlError> {
    let mut out = Map::new();
    for (key, value) in table.iter() {
        let path = if path.is_empty() { key.get_ref().to_string() } else { format!("{path}.{}", key.get_ref()) };
        out.insert(key.get_ref().to_string(), value_of(value, &path)?);
    }
    Ok(Value::Object(out))
}

fn value_of(v: &Spanned<DeValue<'_>>, path: &str) -> Result<Value, TomlError> {
    let refuse = |what: String, hint: &'static str| TomlError { message: format!("`{path}` is {what}"), span: Some(v.span()), value_hint: Some(hint) };
    Ok(match v.get_ref() {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Integer(i) => {
            let digits: String = i.as_str().chars().filter(|c| *c != '_').collect();
            match i64::from_str_radix(&digits, i.radix()).map(Number::from).or_else(|_| u64::from_str_radix(&digits, i.radix()).map(Number::from)) {
                Ok(n) => Value::Number(n),
                Err(_) => return Err(refuse(format!("an integer past 64 bits ({i})"), "write it as a string, or in another unit")),
            }
        }
        DeValue::Float(f) => {
            let text: String = f.as_str().chars().filter(|c| *c != '_').collect();
            match text.parse::<f64>().ok().and_then(Number::from_f64) {
                Some(_) if !crate::core::format::float_holds(&text) => {
                    let read = text.parse::<f64>().unwrap_or(0.0);
                    return Err(refuse(format!("`{}`, which a float does not hold exactly (it would read as {read}): it would not print as written", f.as_str()), "write it as a string (\"…\"): the number filters print a number written as text exactly"));
                }
                Some(n) => Value::Number(n),
                None => return Err(refuse(format!("`{}`, not a finite number", f.as_str()), "a chart or a table cannot show it; leave the value out for a gap")),
            }
        }
        DeValue::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (k, item) in items.iter().enumerate() {
                out.push(value_of(item, &format!("{path}[{k}]"))?);
            }
            Value::Array(out)
        }
        DeValue::Table(t) => table_value(t, path)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_are_iso_text_and_numbers_stay_numbers() {
        let v = parse("day = 2023-04-01\nat = 2023-04-01T08:30:00Z\nn = 1_000\nh = 0x10\nx = 1.5\n[[rows]]\nt = 'a'\n").unwrap();
        assert_eq!(v, json!({"day": "2023-04-01", "at": "2023-04-01T08:30:00Z", "n": 1000, "h": 16, "x": 1.5, "rows": [{"t": "a"}]}));
    }

    #[test]
    fn a_value_json_cannot_hold_is_an_error_at_its_place() {
        let text = "[[rows]]\nv = 1.0\n[[rows]]\nv = nan\n";
        let e = parse(text).unwrap_err();
        assert_eq!(e.message, "`rows[1].v` is `nan`, not a finite number");
        assert_eq!(e.value_hint, Some("a chart or a table cannot show it; leave the value out for a gap"));
        assert_eq!(&text[e.span.unwrap()], "nan");
        assert!(parse("x = -inf\n").is_err());
        assert!(parse("x = 18446744073709551616\n").unwrap_err().message.contains("past 64 bits"));
        assert!(parse("x = 1.0000000000000001\n").unwrap_err().message.contains("would read as 1"));
        assert!(parse("x = 0.1\ny = 2.50\n").is_ok());
    }
}
