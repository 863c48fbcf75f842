//! Template filters for financial writing: numbers, percentages, currency,
//! Chinese magnitude units and dates. All are plain functions, tested below.

use minijinja::value::{Kwargs, Value};
use minijinja::{Error, ErrorKind};

pub use crate::core::format::*;

pub fn register(env: &mut minijinja::Environment<'_>) {
    env.add_filter("num", num);
    env.add_filter("fixed", fixed);
    env.add_filter("signed", signed);
    env.add_filter("pct", pct);
    env.add_filter("signed_pct", signed_pct);
    env.add_filter("currency", currency);
    env.add_filter("cn_unit", cn_unit);
    env.add_filter("date", date);
    env.add_filter("markdown", markdown);
    env.add_filter("indent", indent);
}

/// Widest indent: Markdown needs a few spaces, and minijinja's own `indent`
/// would make a billion-space one line by line.
const MAX_INDENT: usize = 100;

/// minijinja's `indent` (same arguments and output), bounded in width.
fn indent(value: Value, width: Option<usize>, first: Option<bool>, blank: Option<bool>, kwargs: Kwargs) -> Result<Value, Error> {
    let width = match width {
        Some(w) => w,
        None => kwargs.get::<Option<usize>>("width")?.unwrap_or(4),
    };
    let first = match first {
        Some(f) => f,
        None => kwargs.get::<Option<bool>>("first")?.unwrap_or(false),
    };
    let blank = match blank {
        Some(b) => b,
        None => kwargs.get::<Option<bool>>("blank")?.unwrap_or(false),
    };
    kwargs.assert_all_used()?;
    if width > MAX_INDENT {
        return Err(Error::new(ErrorKind::InvalidOperation, format!("indent({width}) is wider than {MAX_INDENT} spaces")));
    }
    fn without_newline(s: &str) -> &str {
        let s = s.strip_suffix('\n').unwrap_or(s);
        s.strip_suffix('\r').unwrap_or(s)
    }
    let text = value.to_string();
    let input = without_newline(&text);
    let pad = " ".repeat(width);
    let mut out = String::with_capacity(input.len() + width * 4);
    let mut lines = input.split('\n');
    if !first {
        out.push_str(lines.next().unwrap_or(""));
        out.push('\n');
    }
    for line in lines {
        if !(line.is_empty() || line == "\r") || blank {
            out.push_str(&pad);
        }
        out.push_str(line);
        out.push('\n');
    }
    out.truncate(without_newline(&out).len());
    Ok(if value.is_safe() { Value::from_safe_string(out) } else { Value::from(out) })
}

/// Why a string that looks numeric is still not a number a filter may print.
fn not_a_number(s: &str) -> String {
    let t = s.trim().to_ascii_lowercase();
    let t = t.trim_start_matches(['-', '+']);
    if matches!(t, "nan" | "inf" | "infinity") {
        ": not a finite number".into()
    } else if s.contains(',') && t.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.') {
        ": a decimal comma or misplaced thousands separator is ambiguous; write 489.6 or 1,234.5".into()
    } else {
        String::new()
    }
}

/// The value a number filter prints, exactly as the data has it.
pub fn number(v: &Value, filter: &str) -> Result<Dec, Error> {
    let found = if v.is_integer() {
        Dec::parse(&v.to_string())
    } else if v.is_number() {
        let x = f64::try_from(v.clone()).unwrap_or(f64::NAN);
        match Dec::from_f64(x) {
            Some(d) => Some(d),
            None => return Err(Error::new(ErrorKind::InvalidOperation, format!("`{filter}` needs a finite number, got `{v}`"))),
        }
    } else if let Some(s) = v.as_str() {
        match Dec::parse(s) {
            Some(d) => Some(d),
            None => {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("`{filter}` needs a number, got string `{s}`{}", not_a_number(s)),
                ))
            }
        }
    } else {
        None
    };
    if let Some(u) = v.downcast_object_ref::<crate::template::Unsaved>() {
        return Err(Error::new(ErrorKind::InvalidOperation, format!("`{filter}` needs a number, got {}, a formula with no value saved (`{}`)", u.cell, u.formula)));
    }
    found.ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("`{filter}` needs a number, got {} `{v}`", v.kind())))
}

/// A filter argument given by position or by name (`num(2)` or `num(d=2)`).
fn arg(pos: Option<Value>, kw: &Kwargs, name: &str, filter: &str) -> Result<Option<Value>, Error> {
    let named: Option<Value> = kw.get(name)?;
    match (pos, named) {
        (Some(_), Some(_)) => {
            Err(Error::new(ErrorKind::TooManyArguments, format!("`{filter}` got `{name}` both by position and by name")))
        }
        (Some(v), None) | (None, Some(v)) => Ok((!v.is_none()).then_some(v)),
        (None, None) => Ok(None),
    }
}

/// A text argument (`symbol`, `style`).
fn text_arg(pos: Option<Value>, kw: &Kwargs, name: &str, filter: &str) -> Result<Option<String>, Error> {
    match arg(pos, kw, name, filter)? {
        None => Ok(None),
        Some(v) => match v.as_str() {
            Some(s) => Ok(Some(s.to_string())),
            None => Err(Error::new(ErrorKind::InvalidOperation, format!("`{filter}` takes `{name}` as text, got `{v}`"))),
        },
    }
}

/// Decimals: a whole number from 0 to MAX_DECIMALS.
fn decimals(pos: Option<Value>, kw: &Kwargs, filter: &str, default: usize) -> Result<usize, Error> {
    let d = arg(pos, kw, "d", filter)?;
    let Some(d) = d else { return Ok(default) };
    match d.as_i64() {
        Some(n) if d.is_integer() && (0..=MAX_DECIMALS as i64).contains(&n) => Ok(n as usize),
        _ => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("`{filter}` takes 0 to {MAX_DECIMALS} decimals, got `{d}`"),
        )),
    }
}

fn num(v: Value, d: Option<Value>, kw: Kwargs) -> Result<String, Error> {
    let places = decimals(d, &kw, "num", 0)?;
    kw.assert_all_used()?;
    Ok(number(&v, "num")?.format(places))
}

fn fixed(v: Value, d: Option<Value>, kw: Kwargs) -> Result<String, Error> {
    let places = decimals(d, &kw, "fixed", 2)?;
    kw.assert_all_used()?;
    Ok(number(&v, "fixed")?.format_plain(places))
}

fn signed(v: Value, d: Option<Value>, kw: Kwargs) -> Result<String, Error> {
    let places = decimals(d, &kw, "signed", 0)?;
    kw.assert_all_used()?;
    let x = number(&v, "signed")?;
    Ok(signed_dec(x.format(places), &x))
}

/// Percent of a ratio: `0.123 | pct` → `12.3%`. `pct(1, ratio=false)` takes
/// a value that is already in percent.
fn pct(v: Value, d: Option<Value>, kw: Kwargs) -> Result<String, Error> {
    let (x, places) = percent_value(&v, d, &kw, "pct")?;
    Ok(format!("{}%", x.format(places)))
}

fn signed_pct(v: Value, d: Option<Value>, kw: Kwargs) -> Result<String, Error> {
    let (x, places) = percent_value(&v, d, &kw, "signed_pct")?;
    Ok(signed_dec(format!("{}%", x.format(places)), &x))
}

fn percent_value(v: &Value, d: Option<Value>, kw: &Kwargs, filter: &str) -> Result<(Dec, usize), Error> {
    let places = decimals(d, kw, filter, 1)?;
    let ratio: Option<bool> = kw.get("ratio")?;
    kw.assert_all_used()?;
    let x = number(v, filter)?;
    Ok((if ratio.unwrap_or(true) { x.shift(2) } else { x }, places))
}

/// `1234.5 | currency` → `¥1,234.50`; `currency("US$", 0)`, `currency(symbol="US$", d=0)`.
fn currency(v: Value, symbol: Option<Value>, d: Option<Value>, kw: Kwargs) -> Result<String, Error> {
    let symbol = text_arg(symbol, &kw, "symbol", "currency")?;
    let places = decimals(d, &kw, "currency", 2)?;
    kw.assert_all_used()?;
    let x = number(&v, "currency")?;
    Ok(currency_dec(&x, symbol.as_deref().unwrap_or("¥"), places))
}

fn cn_unit(v: Value, d: Option<Value>, kw: Kwargs) -> Result<String, Error> {
    let places = decimals(d, &kw, "cn_unit", 2)?;
    kw.assert_all_used()?;
    Ok(cn_unit_dec(&number(&v, "cn_unit")?, places))
}

fn date(v: Value, style: Option<Value>, kw: Kwargs) -> Result<String, Error> {
    let style = text_arg(style, &kw, "style", "date")?;
    kw.assert_all_used()?;
    let s = v.to_string();
    format_date(&s, style.as_deref().unwrap_or("zh")).map_err(|e| Error::new(ErrorKind::InvalidOperation, e))
}

/// Opt in to Markdown from data: the value is inserted as Markdown source.
fn markdown(v: Value) -> Value {
    Value::from_safe_string(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indent_prints_what_minijinja_prints() {
        let builtin = minijinja::Environment::new();
        let mut ours = minijinja::Environment::new();
        ours.add_filter("indent", indent);
        for call in ["indent", "indent(2)", "indent(2, true)", "indent(2, blank=true)", "indent(width=3, first=true, blank=true)"] {
            for text in ["a", "a\nb", "a\n\nb\n", "a\r\n\r\nb\r\n", "", "\n"] {
                let src = format!("{{{{ x | {call} }}}}");
                let want = builtin.render_str(&src, minijinja::context! { x => text }).unwrap();
                assert_eq!(ours.render_str(&src, minijinja::context! { x => text }).unwrap(), want, "{call} on {text:?}");
            }
        }
        assert!(ours.render_str("{{ 'a\nb' | indent(1000000000) }}", ()).is_err());
    }

    fn render(src: &str) -> String {
        let mut env = minijinja::Environment::new();
        register(&mut env);
        env.render_str(src, ()).unwrap()
    }

    #[test]
    fn numbers() {
        assert_eq!(render("{{ 1234567.891 | num(2) }}"), "1,234,567.89");
        assert_eq!(render("{{ 999 | num }}"), "999");
        assert_eq!(render("{{ -1234 | num }}"), "-1,234");
        assert_eq!(render("{{ '1,234.5' | num(1) }}"), "1,234.5");
        assert_eq!(render("{{ 3.14159 | fixed(3) }}"), "3.142");
        assert_eq!(render("{{ 12 | signed }} {{ -3 | signed }} {{ 0 | signed }}"), "+12 -3 0");
        assert_eq!(render("{{ -0.0001 | num(2) }}"), "0.00");
    }

    #[test]
    fn percents() {
        assert_eq!(render("{{ 0.123 | pct }}"), "12.3%");
        assert_eq!(render("{{ 0.123 | signed_pct }}"), "+12.3%");
        assert_eq!(render("{{ -0.14 | signed_pct(0) }}"), "-14%");
        assert_eq!(render("{{ 86 | signed_pct(0, ratio=false) }}"), "+86%");
    }

    #[test]
    fn currency_and_units() {
        assert_eq!(render("{{ 1234.5 | currency }}"), "¥1,234.50");
        assert_eq!(render("{{ -99.5 | currency('US$', 0) }}"), "-US$100");
        assert_eq!(render("{{ 123456789 | cn_unit }}"), "1.23亿");
        assert_eq!(render("{{ 45600 | cn_unit(1) }}"), "4.6万");
        assert_eq!(render("{{ 2000000 | cn_unit(0) }}"), "200万");
        assert_eq!(render("{{ 10000000000000 | cn_unit(0) }}"), "10万亿");
        assert_eq!(render("{{ 512 | cn_unit }}"), "512");
    }

    #[test]
    fn dates() {
        assert_eq!(render("{{ '2023-04-11' | date }}"), "2023年4月11日");
        assert_eq!(render("{{ '2023-04-11' | date('en') }}"), "April 11, 2023");
        assert_eq!(render("{{ '2023-04' | date('zh_month') }}"), "2023年4月");
        assert_eq!(render("{{ '2023-4-1' | date('iso') }}"), "2023-04-01");
        assert!(format_date("soon", "zh").is_err());
        assert!(format_date("2023-13-01", "zh").is_err());
    }

    #[test]
    fn non_number_is_an_error() {
        let mut env = minijinja::Environment::new();
        register(&mut env);
        let err = env.render_str("{{ 'abc' | num }}", ()).unwrap_err();
        assert!(err.to_string().contains("`num` needs a number"), "{err}");
    }

    fn render_err(src: &str) -> String {
        let mut env = minijinja::Environment::new();
        register(&mut env);
        env.render_str(src, ()).unwrap_err().to_string()
    }

    #[test]
    fn keyword_and_positional_arguments_alike() {
        assert_eq!(render("{{ 1234.5 | num(d=1) }} {{ 1234.5 | num(1) }}"), "1,234.5 1,234.5");
        assert_eq!(render("{{ 3.14159 | fixed(d=3) }}"), "3.142");
        assert_eq!(render("{{ 12 | signed(d=1) }}"), "+12.0");
        assert_eq!(render("{{ 0.123 | pct(d=1, ratio=true) }} {{ 12.3 | pct(ratio=false) }}"), "12.3% 12.3%");
        assert_eq!(render("{{ 1234.5 | currency(symbol='US$', d=0) }}"), "US$1,235");
        assert_eq!(render("{{ 123456789 | cn_unit(d=1) }}"), "1.2亿");
        assert_eq!(render("{{ '2023-04-11' | date(style='en') }}"), "April 11, 2023");
        assert!(render_err("{{ 1 | num(2, d=2) }}").contains("both by position and by name"));
        assert!(render_err("{{ 1 | num(digits=2) }}").contains("digits"));
    }

    #[test]
    fn printed_numbers_are_the_data_exactly_or_an_error() {
        assert!(render_err("{{ '489,6' | num(1) }}").contains("decimal comma"), "{}", render_err("{{ '489,6' | num(1) }}"));
        assert!(render_err("{{ '1.234,5' | num(1) }}").contains("needs a number"));
        assert!(render_err("{{ 'NaN' | num }}").contains("not a finite number"));
        assert!(render_err("{{ 'inf' | pct }}").contains("not a finite number"));
        assert_eq!(render("{{ 9007199254740993 | num(2) }}"), "9,007,199,254,740,993.00");
        assert_eq!(render("{{ '123456789012345678901234' | num }}"), "123,456,789,012,345,678,901,234");
        assert_eq!(render("{{ 2.675 | num(2) }} {{ -0.5 | num }} {{ 0.005 | pct(0) }}"), "2.68 -1 1%");
        assert_eq!(render("{{ '1.5e3' | num }} {{ '-1,234,567' | num }}"), "1,500 -1,234,567");
        assert_eq!(render("{{ 99.99 | num(1) }}"), "100.0");
    }

    #[test]
    fn decimals_are_bounded() {
        for f in ["num(65536)", "fixed(65536)", "pct(70000)", "currency('¥', 99)", "cn_unit(-1)", "num(1.5)"] {
            let e = render_err(&format!("{{{{ 1 | {f} }}}}"));
            assert!(e.contains("0 to 20 decimals"), "{f}: {e}");
        }
        assert_eq!(format_num(1.0, 70000), format_num(1.0, MAX_DECIMALS));
    }
}
