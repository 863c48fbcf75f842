//! Template filters for financial writing: numbers, percentages, currency,
//! Chinese magnitude units and dates. All are plain functions, tested below.

use minijinja::value::{Kwargs, Value};
use minijinja::{Error, ErrorKind};

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
}

fn number(v: &Value, filter: &str) -> Result<f64, Error> {
    if let Ok(n) = f64::try_from(v.clone()) {
        if v.as_str().is_none() {
            return Ok(n);
        }
    }
    if let Some(s) = v.as_str() {
        if let Ok(n) = s.trim().replace(',', "").parse::<f64>() {
            return Ok(n);
        }
    }
    Err(Error::new(ErrorKind::InvalidOperation, format!("`{filter}` needs a number, got {} `{v}`", v.kind())))
}

/// Digits with a thousands separator every three places.
fn group(int_digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in int_digits.chars().enumerate() {
        if i > 0 && (int_digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1234.5 | num(2)` → `1,234.50`.
pub fn format_num(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let sign = if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{}.{f}", group(int)),
        None => format!("{sign}{}", group(int)),
    }
}

fn num(v: Value, decimals: Option<usize>) -> Result<String, Error> {
    Ok(format_num(number(&v, "num")?, decimals.unwrap_or(0)))
}

fn fixed(v: Value, decimals: Option<usize>) -> Result<String, Error> {
    Ok(format!("{:.*}", decimals.unwrap_or(2), number(&v, "fixed")?))
}

/// `+` before a positive number that does not round to zero.
pub fn with_sign(s: String, x: f64) -> String {
    if x > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

fn signed(v: Value, decimals: Option<usize>) -> Result<String, Error> {
    let x = number(&v, "signed")?;
    Ok(with_sign(format_num(x, decimals.unwrap_or(0)), x))
}

/// `12.3` (already in percent) → `12.3%`.
pub fn format_pct(percent: f64, decimals: usize) -> String {
    format!("{}%", format_num(percent, decimals))
}

/// Percent of a ratio: `0.123 | pct` → `12.3%`. `pct(1, ratio=false)` takes
/// a value that is already in percent.
fn pct(v: Value, decimals: Option<usize>, kw: Kwargs) -> Result<String, Error> {
    let x = percent_value(&v, &kw, "pct")?;
    Ok(format_pct(x, decimals.unwrap_or(1)))
}

fn signed_pct(v: Value, decimals: Option<usize>, kw: Kwargs) -> Result<String, Error> {
    let x = percent_value(&v, &kw, "signed_pct")?;
    Ok(with_sign(format_pct(x, decimals.unwrap_or(1)), x))
}

fn percent_value(v: &Value, kw: &Kwargs, filter: &str) -> Result<f64, Error> {
    let ratio: Option<bool> = kw.get("ratio")?;
    kw.assert_all_used()?;
    let x = number(v, filter)?;
    Ok(if ratio.unwrap_or(true) { x * 100.0 } else { x })
}

/// `-1234.5` → `-¥1,234.50`: the sign goes before the symbol.
pub fn format_currency(x: f64, symbol: &str, decimals: usize) -> String {
    let body = format_num(x.abs(), decimals);
    let sign = if x < 0.0 && body.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    format!("{sign}{symbol}{body}")
}

/// `1234.5 | currency` → `¥1,234.50`; `currency("US$", 0)`.
fn currency(v: Value, symbol: Option<String>, decimals: Option<usize>) -> Result<String, Error> {
    let x = number(&v, "currency")?;
    Ok(format_currency(x, symbol.as_deref().unwrap_or("¥"), decimals.unwrap_or(2)))
}

/// Chinese magnitude units: `123456789 | cn_unit` → `1.23亿`, `45600 | cn_unit` → `4.56万`.
pub fn format_cn_unit(x: f64, decimals: usize) -> String {
    let (scaled, unit) = match x.abs() {
        a if a >= 1e12 => (x / 1e12, "万亿"),
        a if a >= 1e8 => (x / 1e8, "亿"),
        a if a >= 1e4 => (x / 1e4, "万"),
        _ => (x, ""),
    };
    if unit.is_empty() && x.fract() == 0.0 {
        return format_num(x, 0);
    }
    format!("{}{unit}", format_num(scaled, decimals))
}

fn cn_unit(v: Value, decimals: Option<usize>) -> Result<String, Error> {
    Ok(format_cn_unit(number(&v, "cn_unit")?, decimals.unwrap_or(2)))
}

const EN_MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
];

/// Dates written `YYYY-MM-DD` or `YYYY-MM`: styles `zh` (2023年4月11日),
/// `en` (April 11, 2023), `zh_month` (2023年4月), `en_month` (Apr 2023),
/// `iso` (2023-04-11), `dot` (2023.04.11).
pub fn format_date(s: &str, style: &str) -> Result<String, String> {
    let parts: Vec<&str> = s.trim().split(['-', '/', '.']).collect();
    let parse = |p: Option<&&str>| p.and_then(|p| p.parse::<u32>().ok());
    let (Some(y), Some(m)) = (parse(parts.first()), parse(parts.get(1))) else {
        return Err(format!("`date` needs a date like 2023-04-11, got `{s}`"));
    };
    let d = parse(parts.get(2));
    if !(1..=12).contains(&m) || d.is_some_and(|d| !(1..=31).contains(&d)) || parts.len() > 3 {
        return Err(format!("`date` needs a date like 2023-04-11, got `{s}`"));
    }
    let month = EN_MONTHS[m as usize - 1];
    Ok(match (style, d) {
        ("zh", Some(d)) => format!("{y}年{m}月{d}日"),
        ("zh" | "zh_month", _) => format!("{y}年{m}月"),
        ("en", Some(d)) => format!("{month} {d}, {y}"),
        ("en" | "en_month", _) => format!("{} {y}", &month[..3]),
        ("iso", Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        ("iso", None) => format!("{y:04}-{m:02}"),
        ("dot", Some(d)) => format!("{y:04}.{m:02}.{d:02}"),
        ("dot", None) => format!("{y:04}.{m:02}"),
        _ => return Err(format!("unknown date style `{style}`; use zh, en, zh_month, en_month, iso or dot")),
    })
}

fn date(v: Value, style: Option<String>) -> Result<String, Error> {
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
}
