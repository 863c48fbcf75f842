//! The one formatter of numbers and dates: the template filters, chart
//! labels and ticks, and both backends print through these functions, so a
//! value reads the same wherever it appears.

use super::dates;

/// Most decimals a filter prints: more is a writing mistake, not a format.
pub const MAX_DECIMALS: usize = 20;

/// A number as decimal digits, so that what is printed is exactly the data's
/// value (integers past 2^53, long decimals) rounded only where asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Dec {
    neg: bool,
    /// Integer digits without leading zeros ("0" for none).
    int: String,
    /// Fraction digits.
    frac: String,
}

impl Dec {
    /// `-1234.5`, `1,234.5` (thousands groups of three), `1.5e3`; nothing else.
    pub fn parse(s: &str) -> Option<Dec> {
        let t = s.trim();
        let (neg, body) = match t.as_bytes().first()? {
            b'-' => (true, &t[1..]),
            b'+' => (false, &t[1..]),
            _ => (false, t),
        };
        let (mantissa, exp) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(body[i + 1..].parse::<i32>().ok().filter(|e| e.abs() <= 400)?)),
            None => (body, None),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(frac) || (mantissa.contains('.') && frac.is_empty()) {
            return None;
        }
        let int = if int.contains(',') {
            // Thousands separators only in groups of three, never in an exponent form.
            let groups: Vec<&str> = int.split(',').collect();
            let ok = exp.is_none()
                && (1..=3).contains(&groups[0].len())
                && groups[1..].iter().all(|g| g.len() == 3)
                && groups.iter().all(|g| digits(g));
            if !ok {
                return None;
            }
            groups.concat()
        } else if digits(int) {
            int.to_string()
        } else {
            return None;
        };
        let mut d = Dec { neg, int, frac: frac.to_string() };
        if let Some(e) = exp {
            d = d.shift(e);
        }
        Some(d.normalized())
    }

    /// A finite float by its shortest round-trip decimal form.
    pub fn from_f64(x: f64) -> Option<Dec> {
        x.is_finite().then(|| Dec::parse(&format!("{}", x)).expect("Rust prints finite floats as plain decimals"))
    }

    fn normalized(mut self) -> Dec {
        let lead = self.int.bytes().take_while(|&b| b == b'0').count();
        self.int.drain(..lead.min(self.int.len().saturating_sub(1)));
        if self.int.is_empty() {
            self.int.push('0');
        }
        while self.frac.ends_with('0') {
            self.frac.pop();
        }
        self
    }

    /// Multiply by 10^k (k may be negative): moves the decimal point.
    pub fn shift(&self, k: i32) -> Dec {
        let digits = format!("{}{}", self.int, self.frac);
        let point = self.int.len() as i64 + k as i64;
        let (int, frac) = if point <= 0 {
            ("0".to_string(), format!("{}{digits}", "0".repeat((-point) as usize)))
        } else if point as usize >= digits.len() {
            (format!("{digits}{}", "0".repeat(point as usize - digits.len())), String::new())
        } else {
            (digits[..point as usize].to_string(), digits[point as usize..].to_string())
        };
        Dec { neg: self.neg, int, frac }.normalized()
    }

    /// Rounded half away from zero to `decimals` places: (integer digits, fraction digits).
    fn rounded(&self, decimals: usize) -> (String, String) {
        if self.frac.len() <= decimals {
            return (self.int.clone(), format!("{:0<decimals$}", self.frac));
        }
        let mut digits: Vec<u8> = format!("{}{}", self.int, &self.frac[..decimals]).into_bytes();
        if self.frac.as_bytes()[decimals] >= b'5' {
            let mut i = digits.len();
            loop {
                if i == 0 {
                    digits.insert(0, b'1');
                    break;
                }
                i -= 1;
                if digits[i] == b'9' {
                    digits[i] = b'0';
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
        let split = digits.len() - decimals;
        let s = String::from_utf8(digits).expect("ASCII digits");
        (s[..split].to_string(), s[split..].to_string())
    }

    /// `1,234.50`-style text with a thousands separator; the sign only when
    /// something nonzero is left after rounding.
    pub fn format(&self, decimals: usize) -> String {
        let (int, frac) = self.rounded(decimals.min(MAX_DECIMALS));
        let nonzero = int.bytes().chain(frac.bytes()).any(|b| b != b'0');
        let sign = if self.neg && nonzero { "-" } else { "" };
        if frac.is_empty() { format!("{sign}{}", group(&int)) } else { format!("{sign}{}.{frac}", group(&int)) }
    }

    /// The same number (`-0` is `0`; `1.50` is `1.5`).
    pub fn same_value(&self, other: &Dec) -> bool {
        let zero = |d: &Dec| d.int == "0" && d.frac.is_empty();
        (self.int == other.int && self.frac == other.frac) && (self.neg == other.neg || zero(self))
    }

    /// Like `format`, without thousands separators.
    pub fn format_plain(&self, decimals: usize) -> String {
        self.format(decimals).replace(',', "")
    }
}

/// How a data file writes numbers: its decimal separator and, inside a
/// number, its thousands separator (none by default: `1,250` stays text,
/// which the number filters read as 1250).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NumberStyle {
    pub decimal: char,
    pub thousands: Option<char>,
    /// Set in folio.toml (so an ambiguous cell is read as said, not refused).
    pub explicit: bool,
}

impl Default for NumberStyle {
    fn default() -> Self {
        NumberStyle { decimal: '.', thousands: None, explicit: false }
    }
}

impl NumberStyle {
    /// A cell written in this style as a plain decimal (`1.234,5` → `1234.5`
    /// with `decimal = ","`, `thousands = "."`); `None` when it is no number
    /// of this style. The default style leaves the text as it is.
    pub fn plain(&self, cell: &str) -> Option<String> {
        if *self == NumberStyle::default() || (self.decimal == '.' && self.thousands.is_none()) {
            return Some(cell.to_string());
        }
        let t = cell.trim();
        let (sign, body) = match t.strip_prefix(['-', '+']) {
            Some(rest) => (&t[..1], rest),
            None => ("", t),
        };
        let (int, frac) = match body.split_once(self.decimal) {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let int = match self.thousands.filter(|s| int.contains(*s)) {
            Some(sep) => {
                let groups: Vec<&str> = int.split(sep).collect();
                let ok = (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
                if !ok {
                    return None;
                }
                groups.concat()
            }
            None => int.to_string(),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(&int) || frac.is_some_and(|f| !digits(f)) {
            return None;
        }
        Some(match frac {
            Some(f) => format!("{sign}{int}.{f}"),
            None => format!("{sign}{int}"),
        })
    }
}

/// Whether the float a decimal literal reads as is that literal's number
/// exactly, by its shortest form: `0.1`, `2.50` and `1e3` are; past a
/// float's 15–17 digits (`1.0000000000000001`), below its range (`1e-400`)
/// or past it (`1e400`) they are not, and printing would change the number.
pub fn float_holds(literal: &str) -> bool {
    let Ok(x) = literal.trim().trim_start_matches('+').parse::<f64>() else { return false };
    match (Dec::parse(literal), Dec::from_f64(x)) {
        (Some(written), Some(held)) => written.same_value(&held),
        _ => false,
    }
}

fn f64_dec(x: f64) -> Dec {
    Dec::from_f64(x).unwrap_or(Dec { neg: false, int: "0".into(), frac: String::new() })
}

/// Digits with a thousands separator every three places.
pub(crate) fn group(int_digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in int_digits.chars().enumerate() {
        if i > 0 && (int_digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1234.5 | num(2)` → `1,234.50`.
pub fn format_num(x: f64, decimals: usize) -> String {
    f64_dec(x).format(decimals)
}

/// `+` before a positive number that does not round to zero.
pub fn with_sign(s: String, x: f64) -> String {
    signed_dec(s, &f64_dec(x))
}

pub fn signed_dec(s: String, x: &Dec) -> String {
    if !x.neg && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

/// `12.3` (already in percent) → `12.3%`.
pub fn format_pct(percent: f64, decimals: usize) -> String {
    format!("{}%", format_num(percent, decimals))
}

/// `-1234.5` → `-¥1,234.50`: the sign goes before the symbol.
pub fn format_currency(x: f64, symbol: &str, decimals: usize) -> String {
    currency_dec(&f64_dec(x), symbol, decimals)
}

pub fn currency_dec(x: &Dec, symbol: &str, decimals: usize) -> String {
    let body = Dec { neg: false, ..x.clone() }.format(decimals);
    let sign = if x.neg && body.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    format!("{sign}{symbol}{body}")
}

/// Chinese magnitude units: `123456789 | cn_unit` → `1.23亿`, `45600 | cn_unit` → `4.56万`.
pub fn format_cn_unit(x: f64, decimals: usize) -> String {
    cn_unit_dec(&f64_dec(x), decimals)
}

pub fn cn_unit_dec(x: &Dec, decimals: usize) -> String {
    let int_len = if x.int == "0" { 0 } else { x.int.len() };
    let (shift, unit) = match int_len {
        13.. => (-12, "万亿"),
        9.. => (-8, "亿"),
        5.. => (-4, "万"),
        _ => (0, ""),
    };
    if unit.is_empty() && x.frac.is_empty() {
        return x.format(0);
    }
    format!("{}{unit}", x.shift(shift).format(decimals))
}

const EN_MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
];

/// A date as `dates::parse` reads it (`2023-04-11`, `2023/04/11`,
/// `2023年4月11日`, `Apr 2023`, …) to the day or the month: styles `zh`
/// (2023年4月11日), `en` (April 11, 2023), `zh_month` (2023年4月), `en_month`
/// (Apr 2023), `iso` (2023-04-11), `dot` (2023.04.11).
pub fn format_date(s: &str, style: &str) -> Result<String, String> {
    let bad = || format!("`date` needs a date like 2023-04-11, got `{s}`");
    let parsed = dates::parse(s).ok_or_else(bad)?;
    let (y, m, day) = dates::civil_from_days(parsed.day);
    let d = match parsed.grain {
        dates::Grain::Day => Some(day),
        dates::Grain::Month => None,
        dates::Grain::Year | dates::Grain::Quarter => return Err(bad()),
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_float_holds_what_fits_its_digits() {
        for held in ["0.1", "2.50", "1e3", "-0.0", "12345678901234.5", "0.1234567", "1.7976931348623157e308"] {
            assert!(float_holds(held), "{held}");
        }
        for lost in ["1.0000000000000001", "1e-400", "1e400", "12345678901234567.5", "9007199254740993.0"] {
            assert!(!float_holds(lost), "{lost}");
        }
    }
}
