//! A spreadsheet cell as its program shows it: the value under the cell's
//! number format code (`#,##0.00`, `0.0%`, `yyyy-mm-dd`, `[h]:mm:ss`,
//! `"¥"#,##0;[Red]-"¥"#,##0`). calamine gives each `.xlsx` cell's code but
//! no crate renders one, so this does, for the codes analysts' workbooks
//! hold; a code it cannot render (fractions, digits split by text) is an
//! error, never a guess.

use super::dates::{civil_from_days, days_from_civil};
use super::format::{group, Dec};

/// A cell's value, as the workbook stores it.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Number(f64),
    Text(&'a str),
    Bool(bool),
}

/// What the spreadsheet shows for `cell` under format `code`; `date_1904`
/// is the workbook's date system.
pub fn shown(code: &str, cell: Cell<'_>, date_1904: bool) -> Result<String, String> {
    let sections = split_sections(code);
    match cell {
        Cell::Bool(b) => Ok(if b { "TRUE" } else { "FALSE" }.to_string()),
        Cell::Text(t) => Ok(match sections.get(3).or_else(|| sections.first().filter(|s| s.contains('@'))) {
            Some(s) => literal_text(s, Some(t)),
            None => t.to_string(),
        }),
        Cell::Number(x) if !x.is_finite() => Err(format!("`{x}` is no number a spreadsheet shows")),
        Cell::Number(x) => {
            let (section, signed) = pick_section(&sections, x);
            if section.trim().eq_ignore_ascii_case("general") || section.trim().is_empty() {
                return Ok(general(if signed { x } else { x.abs() }));
            }
            if is_date_code(section) {
                return date(section, x, date_1904);
            }
            number(section, if signed { x } else { x.abs() })
        }
    }
}

/// The code's `;`-separated sections, quotes and escapes kept whole.
fn split_sections(code: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in code.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                out.push(&code[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&code[start..]);
    out
}

/// The section for number `x`, and whether it prints `x`'s sign itself
/// (a single section does; the negative section of two or three writes
/// its own minus or brackets). Conditions (`[<0]`) pick as they say.
fn pick_section<'a>(sections: &[&'a str], x: f64) -> (&'a str, bool) {
    let conditions: Vec<Option<(String, f64)>> = sections.iter().take(3).map(|s| condition(s)).collect();
    if conditions.iter().any(Option::is_some) {
        for (i, c) in conditions.iter().enumerate() {
            if let Some((op, v)) = c {
                let hit = match op.as_str() {
                    "<" => x < *v,
                    "<=" => x <= *v,
                    ">" => x > *v,
                    ">=" => x >= *v,
                    "=" => x == *v,
                    "<>" => x != *v,
                    _ => false,
                };
                if hit {
                    return (sections[i], true);
                }
            } else {
                return (sections[i], true);
            }
        }
        return (sections[0], true);
    }
    match (sections.len(), x) {
        (1, _) => (sections[0], true),
        (_, x) if x < 0.0 => (sections[1], false),
        (n, x) if x == 0.0 && n >= 3 => (sections[2], true),
        _ => (sections[0], true),
    }
}

/// `[<0]` in a section: the operator and the value.
fn condition(section: &str) -> Option<(String, f64)> {
    let mut rest = section;
    while let Some(open) = rest.find('[') {
        let close = rest[open..].find(']')? + open;
        let inner = &rest[open + 1..close];
        let op: String = inner.chars().take_while(|c| matches!(c, '<' | '>' | '=')).collect();
        if !op.is_empty() {
            return inner[op.len()..].trim().parse().ok().map(|v| (op, v));
        }
        rest = &rest[close + 1..];
    }
    None
}

/// Excel's General: up to 11 significant digits, exponent form past them.
fn general(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    let exp = x.abs().log10().floor() as i32;
    if (-9..11).contains(&exp) {
        let decimals = (10 - exp).clamp(0, 20) as usize;
        let d = Dec::from_f64(x).expect("finite");
        let s = d.format_plain(decimals);
        return if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    }
    let s = format!("{:.5E}", x);
    let (m, e) = s.split_once('E').expect("exponent form");
    let m = if m.contains('.') { m.trim_end_matches('0').trim_end_matches('.') } else { m };
    let e: i32 = e.parse().expect("exponent");
    format!("{m}E{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

/// A piece of a section: text to print, or a format letter run.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Lit(String),
    /// A run of one letter or placeholder: `yyyy`, `0`, `#`, `.`, `,`, `%`, `E+`.
    Code(String),
    /// `[h]`, `[mm]`, `[ss]`: elapsed time.
    Elapsed(String),
    /// `@`: the cell's text.
    At,
}

fn tokens(section: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = section.chars().collect();
    // The section from character `i` on, upper case (`AM/PM`, `General`).
    let rest = |i: usize| chars[i..].iter().collect::<String>().to_ascii_uppercase();
    let mut out = Vec::new();
    let mut i = 0;
    let lit = |out: &mut Vec<Tok>, s: String| match out.last_mut() {
        Some(Tok::Lit(prev)) => prev.push_str(&s),
        _ => out.push(Tok::Lit(s)),
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                let end = chars[i + 1..].iter().position(|&c| c == '"').map_or(chars.len(), |p| i + 1 + p);
                lit(&mut out, chars[i + 1..end].iter().collect());
                i = end + 1;
            }
            '\\' => {
                if let Some(&n) = chars.get(i + 1) {
                    lit(&mut out, n.to_string());
                }
                i += 2;
            }
            // Padding the width of the next character: a space.
            '_' => {
                lit(&mut out, " ".to_string());
                i += 2;
            }
            // Fill to the column's width: nothing in text.
            '*' => i += 2,
            '[' => {
                let end = chars[i..].iter().position(|&c| c == ']').map_or(chars.len(), |p| i + p);
                let inner: String = chars[i + 1..end].iter().collect();
                let lower = inner.to_ascii_lowercase();
                let same = |u: char| lower.chars().all(|c| c == u);
                if !lower.is_empty() && (same('h') || same('m') || same('s')) {
                    out.push(Tok::Elapsed(lower));
                } else if let Some(currency) = inner.strip_prefix('$') {
                    // `[$€-407]`: the symbol before the locale.
                    lit(&mut out, currency.split('-').next().unwrap_or("").to_string());
                }
                // Colours, conditions and locales print nothing.
                i = end + 1;
            }
            '@' => {
                out.push(Tok::At);
                i += 1;
            }
            'E' | 'e' if matches!(chars.get(i + 1), Some('+') | Some('-')) => {
                out.push(Tok::Code(format!("E{}", chars[i + 1])));
                i += 2;
            }
            '0' | '#' | '?' => {
                // A run of placeholders is one token: `00` after `ss.` is hundredths.
                let n = chars[i..].iter().take_while(|&&d| matches!(d, '0' | '#' | '?')).count();
                out.push(Tok::Code(chars[i..i + n].iter().collect()));
                i += n;
            }
            '.' | ',' | '%' | '/' => {
                out.push(Tok::Code(c.to_string()));
                i += 1;
            }
            c if "yYmMdDhHsS".contains(c) => {
                let lower = c.to_ascii_lowercase();
                let n = chars[i..].iter().take_while(|&&d| d.to_ascii_lowercase() == lower).count();
                out.push(Tok::Code(std::iter::repeat_n(lower, n).collect()));
                i += n;
            }
            'A' | 'a' if rest(i).starts_with("AM/PM") => {
                out.push(Tok::Code("am/pm".into()));
                i += 5;
            }
            'A' | 'a' if rest(i).starts_with("A/P") => {
                out.push(Tok::Code("a/p".into()));
                i += 3;
            }
            'g' | 'G' if rest(i) == "GENERAL" => {
                return Err("`General` inside a section with other text".into());
            }
            _ => {
                lit(&mut out, c.to_string());
                i += 1;
            }
        }
    }
    Ok(out)
}

/// A section holding date or time letters (outside quotes) is a date code.
fn is_date_code(section: &str) -> bool {
    tokens(section).is_ok_and(|t| t.iter().any(|t| matches!(t, Tok::Elapsed(_)) || matches!(t, Tok::Code(c) if c.starts_with(['y', 'm', 'd', 'h', 's', 'a']))))
}

/// A section's literal text, with `@` as `text`.
fn literal_text(section: &str, text: Option<&str>) -> String {
    tokens(section)
        .unwrap_or_default()
        .into_iter()
        .map(|t| match t {
            Tok::Lit(s) => s,
            Tok::At => text.unwrap_or("").to_string(),
            Tok::Code(c) | Tok::Elapsed(c) => c,
        })
        .collect()
}

fn number(section: &str, x: f64) -> Result<String, String> {
    let toks = tokens(section)?;
    let is_digit = |t: &Tok| matches!(t, Tok::Code(c) if c.starts_with(['0', '#', '?']));
    let first = toks.iter().position(is_digit);
    let last = toks.iter().rposition(is_digit);
    let (Some(first), Some(last)) = (first, last) else {
        // No digits: the section is text only (`"n/a"`), `%` alone included.
        return Ok(literal_text(section, None));
    };
    let body = &toks[first..=last];
    if body.iter().any(|t| matches!(t, Tok::Lit(_) | Tok::At | Tok::Elapsed(_)) || matches!(t, Tok::Code(c) if c == "/")) {
        return Err(format!("the format `{section}` splits its digits with text or a fraction, which folio does not render"));
    }
    // Commas right after the last digit scale by a thousand each.
    let mut scale_down = 0;
    let mut after = last + 1;
    while matches!(toks.get(after), Some(Tok::Code(c)) if c == ",") {
        scale_down += 1;
        after += 1;
    }
    let percents = toks.iter().filter(|t| matches!(t, Tok::Code(c) if c == "%")).count();
    let code: String = body.iter().map(|t| if let Tok::Code(c) = t { c.as_str() } else { "" }).collect();
    let (mantissa, exponent) = match code.find("E") {
        Some(i) => (&code[..i], Some(&code[i + 2..])),
        None => (code.as_str(), None),
    };
    let (int_code, frac_code) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let grouped = int_code.contains(',');
    let int_code = int_code.replace(',', "");
    let min_int = int_code.trim_start_matches(['#', '?']).len();
    let frac_places = frac_code.len();
    let min_frac = frac_code.trim_end_matches(['#', '?']).len();
    let mut value = Dec::from_f64(x).expect("finite").shift(2 * percents as i32 - 3 * scale_down);
    let mut exp_text = String::new();
    if let Some(exp_code) = exponent {
        let e = if x == 0.0 { 0 } else { (x.abs() * 10f64.powi(2 * percents as i32)).log10().floor() as i32 - (int_code.len().max(1) as i32 - 1) };
        value = value.shift(-e);
        let sign = if e < 0 { "-" } else if code.contains("E+") { "+" } else { "" };
        exp_text = format!("E{sign}{:0w$}", e.abs(), w = exp_code.len());
    }
    let text = value.format_plain(frac_places);
    let negative = text.starts_with('-');
    let text = text.trim_start_matches('-');
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let mut int = int.trim_start_matches('0').to_string();
    if int.len() < min_int {
        int = format!("{}{int}", "0".repeat(min_int - int.len()));
    }
    if grouped {
        int = group(&int);
    }
    let mut frac = frac.to_string();
    while frac.len() > min_frac && frac.ends_with('0') {
        frac.pop();
    }
    let pad = frac_code.len() - frac_code.trim_end_matches('?').len();
    let frac = if frac.len() < frac_places && pad > 0 { format!("{frac}{}", " ".repeat(frac_places - frac.len())) } else { frac };
    let digits = if frac_places > 0 { format!("{int}.{frac}") } else { int };
    let digits = if frac_places > 0 && frac.trim().is_empty() && !frac_code.contains('0') { digits.trim_end_matches(' ').to_string() } else { digits };
    let before: String = toks[..first].iter().map(|t| literal(t)).collect();
    let rest: String = toks[after..].iter().filter(|t| !matches!(t, Tok::Code(c) if c == ",")).map(|t| literal(t)).collect();
    Ok(format!("{}{before}{digits}{exp_text}{rest}", if negative { "-" } else { "" }))
}

fn literal(t: &Tok) -> String {
    match t {
        Tok::Lit(s) => s.clone(),
        Tok::Code(c) if c == "%" => "%".into(),
        Tok::Code(c) => c.clone(),
        _ => String::new(),
    }
}

const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// The date Excel shows for whole serial `day`. In the 1900 system serial
/// 60 is Excel's 1900-02-29 (a day that never was) and days before it are
/// one later than a count from 1899-12-30 gives; LibreOffice counts from
/// 1899-12-30 throughout, so the two disagree before 1900-03-01.
pub fn serial_civil(day: f64, date_1904: bool) -> (i64, u32, u32) {
    if date_1904 {
        civil_from_days(day + days_from_civil(1904, 1, 1))
    } else if day == 60.0 {
        (1900, 2, 29)
    } else {
        let base = days_from_civil(1899, 12, 30) + if day < 60.0 { 1.0 } else { 0.0 };
        civil_from_days(day + base)
    }
}

/// The date LibreOffice shows for the same serial (a count of days from
/// 1899-12-30, or from 1904-01-01, with no 1900-02-29).
pub fn serial_civil_libreoffice(day: f64, date_1904: bool) -> (i64, u32, u32) {
    civil_from_days(day + if date_1904 { days_from_civil(1904, 1, 1) } else { days_from_civil(1899, 12, 30) })
}

fn date(section: &str, serial: f64, date_1904: bool) -> Result<String, String> {
    let toks = tokens(section)?;
    let twelve = toks.iter().any(|t| matches!(t, Tok::Code(c) if c == "am/pm" || c == "a/p"));
    // Fractional seconds shown (`ss.00`): their places.
    let mut places = 0;
    for w in toks.windows(3) {
        if let [Tok::Code(s), Tok::Code(dot), Tok::Code(z)] = w {
            if s.starts_with('s') && dot == "." && z.chars().all(|c| c == '0') {
                places = z.len();
            }
        }
    }
    let units = 86_400.0 * 10f64.powi(places as i32);
    let total = (serial * units).round();
    let day = (total / units).floor();
    let in_day = total - day * units;
    let (secs, sub) = ((in_day / 10f64.powi(places as i32)).floor() as i64, in_day as i64 % 10i64.pow(places as u32));
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    let elapsed_secs = (total / 10f64.powi(places as i32)).floor() as i64;
    let (y, m, d) = serial_civil(day, date_1904);
    let weekday = ((day + if date_1904 { 5.0 } else { 6.0 }) % 7.0 + 7.0) as usize % 7;
    let mut out = String::new();
    for (i, t) in toks.iter().enumerate() {
        // `m` is minutes after an hour or before a second, else the month.
        let minute = |i: usize| {
            let prev = toks[..i].iter().rev().find_map(|t| match t {
                Tok::Code(c) if !c.starts_with('.') && !c.chars().all(|c| c == '0') => Some(c.clone()),
                Tok::Elapsed(c) => Some(c.clone()),
                _ => None,
            });
            let next = toks[i + 1..].iter().find_map(|t| match t {
                Tok::Code(c) if !c.starts_with('.') => Some(c.clone()),
                Tok::Elapsed(c) => Some(c.clone()),
                _ => None,
            });
            prev.is_some_and(|p| p.starts_with('h')) || next.is_some_and(|n| n.starts_with('s'))
        };
        match t {
            Tok::Lit(s) => out.push_str(s),
            Tok::At => {}
            Tok::Elapsed(c) => {
                let v = match c.chars().next() {
                    Some('h') => elapsed_secs / 3600,
                    Some('m') => elapsed_secs / 60,
                    _ => elapsed_secs,
                };
                out.push_str(&format!("{v:0w$}", w = c.len()));
            }
            Tok::Code(c) => match c.as_str() {
                "yy" => out.push_str(&format!("{:02}", y.rem_euclid(100))),
                c if c.starts_with('y') => out.push_str(&format!("{y:04}")),
                "m" | "mm" if minute(i) => out.push_str(&format!("{mm:0w$}", w = c.len())),
                "m" => out.push_str(&m.to_string()),
                "mm" => out.push_str(&format!("{m:02}")),
                "mmm" => out.push_str(&MONTHS[m as usize - 1][..3]),
                "mmmmm" => out.push_str(&MONTHS[m as usize - 1][..1]),
                c if c.starts_with('m') => out.push_str(MONTHS[m as usize - 1]),
                "d" => out.push_str(&d.to_string()),
                "dd" => out.push_str(&format!("{d:02}")),
                "ddd" => out.push_str(&DAYS[weekday][..3]),
                c if c.starts_with('d') => out.push_str(DAYS[weekday]),
                c if c.starts_with('h') => {
                    let h = if twelve { (hh + 11) % 12 + 1 } else { hh };
                    out.push_str(&format!("{h:0w$}", w = c.len().min(2)));
                }
                c if c.starts_with('s') => out.push_str(&format!("{ss:0w$}", w = c.len().min(2))),
                "." if places > 0 => out.push('.'),
                c if places > 0 && c.chars().all(|c| c == '0') => out.push_str(&format!("{sub:0places$}")),
                "am/pm" => out.push_str(if hh < 12 { "AM" } else { "PM" }),
                "a/p" => out.push_str(if hh < 12 { "A" } else { "P" }),
                other => out.push_str(other),
            },
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(code: &str, x: f64) -> String {
        shown(code, Cell::Number(x), false).unwrap()
    }

    #[test]
    fn numbers_as_their_format_shows_them() {
        assert_eq!(n("General", 1234.5), "1234.5");
        assert_eq!(n("General", 0.1234567), "0.1234567");
        assert_eq!(n("General", 0.000001234), "0.000001234");
        assert_eq!(n("General", 123456789012345.0), "1.23457E+14");
        assert_eq!(n("0", 2.5), "3");
        assert_eq!(n("0.00", -7.255), "-7.26");
        assert_eq!(n("#,##0", 1234567.4), "1,234,567");
        assert_eq!(n("#,##0.00", 0.5), "0.50");
        assert_eq!(n("#.##", 0.5), ".5");
        assert_eq!(n("0.0%", 0.121), "12.1%");
        assert_eq!(n("0%", 0.125), "13%");
        assert_eq!(n("0.00E+00", 12345.0), "1.23E+04");
        assert_eq!(n("0.00E+00", 0.00012), "1.20E-04");
        assert_eq!(n("#,##0,", 1234567.0), "1,235");
        assert_eq!(n("\"¥\"#,##0.00", 8530.6), "¥8,530.60");
        assert_eq!(n("[$€-407]#,##0.00", 5.0), "€5.00");
        assert_eq!(n("#,##0.00_);[Red](#,##0.00)", -1234.5), "(1,234.50)");
        assert_eq!(n("#,##0.00_);[Red](#,##0.00)", 1234.5), "1,234.50 ");
        assert_eq!(n("0.0;-0.0;\"–\"", 0.0), "–");
        assert_eq!(n("0.0\"亿元\"", 5620.0), "5620.0亿元");
        assert_eq!(n("0.0?", 1.5), "1.5 ");
        assert!(shown("# ?/?", Cell::Number(1.5), false).is_err(), "fractions are refused, not guessed");
    }

    #[test]
    fn dates_and_times_in_either_system() {
        assert_eq!(n("yyyy-mm-dd", 45017.0), "2023-04-01");
        assert_eq!(n("YYYY-MM-DD HH:MM", 45017.5208333333), "2023-04-01 12:30");
        assert_eq!(n("m/d/yy", 45017.0), "4/1/23");
        assert_eq!(n("d-mmm-yy", 45017.0), "1-Apr-23");
        assert_eq!(n("dddd, mmmm d, yyyy", 45017.0), "Saturday, April 1, 2023");
        assert_eq!(n("yyyy\"年\"m\"月\"d\"日\"", 45017.0), "2023年4月1日");
        assert_eq!(n("hh:mm:ss", 0.520833333333333), "12:30:00");
        assert_eq!(n("h:mm AM/PM", 0.75), "6:00 PM");
        assert_eq!(n("[h]:mm:ss", 1.5), "36:00:00");
        assert_eq!(n("mm:ss.00", 0.000011574), "00:01.00");
        assert_eq!(n("yyyy-mm-dd", 59.0), "1900-02-28");
        assert_eq!(n("yyyy-mm-dd", 60.0), "1900-02-29");
        assert_eq!(n("yyyy-mm-dd", 61.0), "1900-03-01");
        assert_eq!(shown("yyyy-mm-dd", Cell::Number(43555.0), true).unwrap(), "2023-04-01");
        assert_eq!(shown("yyyy-mm-dd", Cell::Number(-1402.0), true).unwrap(), "1900-02-28");
    }

    #[test]
    fn text_and_flags() {
        assert_eq!(shown("@", Cell::Text("营业收入"), false).unwrap(), "营业收入");
        assert_eq!(shown("0.0;-0.0;0;\"[\"@\"]\"", Cell::Text("n/a"), false).unwrap(), "[n/a]");
        assert_eq!(shown("0.00", Cell::Text("n/a"), false).unwrap(), "n/a");
        assert_eq!(shown("\"TRUE\";\"TRUE\";\"FALSE\"", Cell::Bool(true), false).unwrap(), "TRUE");
    }
}
