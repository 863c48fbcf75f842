//! Dates as analysts write them, parsed to day numbers for a time axis, and
//! the ticks of such an axis: years, quarters, months or days, labelled in
//! the report's language.

use super::words::Lang;

/// How finely a date is written: a chart's ticks are never finer than its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grain {
    Year,
    Quarter,
    Month,
    Day,
}

/// A parsed date: days since 1970-01-01 (a fraction for a time of day).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Date {
    pub day: f64,
    pub grain: Grain,
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH_NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> f64 {
    let (m, d) = (m as i64, d as i64);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146097 + doe - 719468) as f64
}

/// The civil date of a day number.
pub fn civil_from_days(day: f64) -> (i64, u32, u32) {
    let z = day.floor() as i64 + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn ymd(y: i64, m: u32, d: Option<u32>) -> Option<Date> {
    if !(1..=12).contains(&m) || !(1000..=9999).contains(&y) {
        return None;
    }
    match d {
        None => Some(Date { day: days_from_civil(y, m, 1), grain: Grain::Month }),
        Some(d) if (1..=days_in_month(y, m)).contains(&d) => Some(Date { day: days_from_civil(y, m, d), grain: Grain::Day }),
        Some(_) => None,
    }
}

fn year(s: &str) -> Option<i64> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

fn small(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// `HH:MM[:SS[.fff]]` with an optional zone (ignored): the fraction of a day.
fn time_of_day(s: &str) -> Option<f64> {
    let s = s.trim_end_matches('Z');
    let s = s.split(['+']).next()?;
    let mut it = s.split(':');
    let h: f64 = small(it.next()?)?.into();
    let m: f64 = small(it.next()?)?.into();
    let sec: f64 = it.next().map_or(Some(0.0), |s| s.parse().ok())?;
    (h < 24.0 && m < 60.0 && sec < 61.0).then_some((h * 3600.0 + m * 60.0 + sec) / 86400.0)
}

fn quarter(y: i64, q: u32) -> Option<Date> {
    ((1..=4).contains(&q) && (1000..=9999).contains(&y)).then(|| Date { day: days_from_civil(y, q * 3 - 2, 1), grain: Grain::Quarter })
}

fn month_name(s: &str) -> Option<u32> {
    let l = s.trim_end_matches('.').to_ascii_lowercase();
    if l.len() < 3 {
        return None;
    }
    let full = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    MONTHS.iter().zip(full).position(|(short, long)| l == *short || long.starts_with(&l) || (l == "sept" && *short == "sep")).map(|i| i as u32 + 1)
}

/// A date written to the day, as a civil date: `2023-05-04`,
/// `2023/05/04`, `2023年5月4日` → (2023, 5, 4): what the PDF's cover and
/// creation date are made of (`parse` reads every date folio reads).
pub fn civil(s: &str) -> Option<(i32, u8, u8)> {
    let d = parse(s).filter(|d| d.grain == Grain::Day)?;
    let (y, m, day) = civil_from_days(d.day);
    Some((i32::try_from(y).ok()?, m as u8, day as u8))
}

/// Parse a date written as `2023-04-05`, `2023/04/05 13:00`, `2023-04-05T08:00:00Z`,
/// `2023-04`, `2023Q1`, `Q1 2023`, `Jan 1 2000`, `1 January 2000`, `Jan 2000`,
/// `2023年4月5日`, `2023年4月`, `2023年` or a bare year `2023`.
pub fn parse(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(d) = chinese(s) {
        return Some(d);
    }
    if let Some(y) = year(s) {
        return (1000..=9999).contains(&y).then(|| Date { day: days_from_civil(y, 1, 1), grain: Grain::Year });
    }
    // Quarters: 2023Q1, 2023-Q1, 2023 Q1, Q1 2023, Q1-2023.
    let upper = s.to_ascii_uppercase();
    let compact: String = upper.chars().filter(|c| !matches!(c, ' ' | '-' | '/')).collect();
    if let Some((a, b)) = compact.split_once('Q') {
        if let (Some(y), Some(q)) = (year(a), small(b)) {
            return quarter(y, q);
        }
        if let (true, Some(q), Some(y)) = (a.is_empty(), b.get(..1).and_then(small), b.get(1..).and_then(year)) {
            return quarter(y, q);
        }
    }
    let iso_like = s.get(..4).and_then(year).is_some() && s.get(4..5).is_some_and(|c| matches!(c, "-" | "/" | "."));
    if !iso_like && s.chars().any(|c| c.is_ascii_alphabetic()) {
        return english(s);
    }
    // ISO-like: date, then an optional time after `T` or a space.
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
    let y = year(parts.first()?)?;
    let m = small(parts.get(1)?)?;
    let d = match parts.get(2) {
        Some(d) => Some(small(d)?),
        None => None,
    };
    if parts.len() > 3 || (time.is_some() && d.is_none()) {
        return None;
    }
    let mut out = ymd(y, m, d)?;
    if let Some(t) = time {
        out.day += time_of_day(t)?;
    }
    Some(out)
}

fn chinese(s: &str) -> Option<Date> {
    let (y, rest) = s.split_once('年')?;
    let y = year(y.trim())?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Some(Date { day: days_from_civil(y, 1, 1), grain: Grain::Year });
    }
    let quarters = ["一季度", "二季度", "三季度", "四季度"];
    if let Some(q) = quarters.iter().position(|q| rest == *q || rest.strip_prefix('第') == Some(*q)) {
        return quarter(y, q as u32 + 1);
    }
    if let Some(q) = rest.strip_prefix(['Q', 'q']) {
        return quarter(y, small(q)?);
    }
    let (m, rest) = rest.split_once('月')?;
    let m = small(m.trim())?;
    let rest = rest.trim();
    if rest.is_empty() {
        return ymd(y, m, None);
    }
    let d = small(rest.strip_suffix(['日', '号'])?.trim())?;
    ymd(y, m, Some(d))
}

/// `Jan 1 2000`, `Jan 1, 2000`, `1 January 2000`, `January 2000`, `Jan-2000`.
fn english(s: &str) -> Option<Date> {
    let words: Vec<&str> = s.split([' ', ',', '-']).filter(|w| !w.is_empty()).collect();
    let mut month = None;
    let mut day = None;
    let mut yr = None;
    for w in words {
        if let Some(m) = month_name(w) {
            month.get_or_insert(m);
        } else if let Some(y) = year(w) {
            yr = Some(y);
        } else if let Some(d) = small(w.trim_end_matches(|c: char| c.is_ascii_alphabetic())) {
            if day.replace(d).is_some() {
                return None;
            }
        } else {
            return None;
        }
    }
    ymd(yr?, month?, day)
}

/// The grain dates are really written at: monthly data written as the 1st
/// of each month (`Jan 1 2000`, `2000-02-01`) is monthly, and yearly data
/// written as 1 January is yearly.
pub fn coarsest(grain: Grain, days: &[f64]) -> Grain {
    let parts: Vec<(i64, u32, u32)> = days.iter().map(|d| civil_from_days(*d)).collect();
    let distinct = |f: &dyn Fn(&(i64, u32, u32)) -> (i64, u32)| {
        let mut v: Vec<(i64, u32)> = parts.iter().map(f).collect();
        v.sort();
        v.dedup();
        v.len()
    };
    let whole_days = days.iter().all(|d| d.fract() == 0.0);
    let mut g = grain;
    if g == Grain::Day && whole_days && parts.iter().all(|p| p.2 == 1) && distinct(&|p| (p.0, p.1)) > 1 {
        g = Grain::Month;
    }
    if g == Grain::Month && parts.iter().all(|p| p.1 == 1) && distinct(&|p| (p.0, 0)) > 1 {
        g = Grain::Year;
    }
    g
}

/// One tick of a time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub day: f64,
    pub label: String,
}

/// Label of the period starting on `day` at the unit `grain`, in `lang`.
pub fn label(day: f64, grain: Grain, lang: Lang) -> String {
    let (y, m, d) = civil_from_days(day);
    match (grain, lang) {
        (Grain::Year, Lang::Zh) => format!("{y}年"),
        (Grain::Year, Lang::En) => format!("{y}"),
        (Grain::Quarter, Lang::Zh) => format!("{y}Q{}", (m - 1) / 3 + 1),
        (Grain::Quarter, Lang::En) => format!("Q{} {y}", (m - 1) / 3 + 1),
        (Grain::Month, Lang::Zh) => format!("{y}年{m}月"),
        (Grain::Month, Lang::En) => format!("{} {y}", MONTH_NAMES[m as usize - 1]),
        (Grain::Day, Lang::Zh) => format!("{y}年{m}月{d}日"),
        (Grain::Day, Lang::En) => format!("{} {d} {y}", MONTH_NAMES[m as usize - 1]),
    }
}

/// `YYYY-MM-DD` of a day number, for `x_date` styles.
pub fn iso(day: f64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Ticks between `lo` and `hi` (day numbers), at most `max` of them and
/// never finer than `finest`: every 1, 2, 5, 10… years, every quarter, every
/// 1, 2, 3 or 6 months, or every 1, 2, 7 or 14 days.
/// The first day of every month from `lo` to `hi` (days since 1970), at
/// most `max` of them: a time axis's monthly tick marks.
pub fn month_starts(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let (mut y, mut m, d) = civil_from_days(lo);
    if d > 1 || lo.fract() > 0.0 {
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    let mut out = Vec::new();
    loop {
        let day = days_from_civil(y, m, 1);
        if day > hi || out.len() >= max {
            return out;
        }
        out.push(day);
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
}

pub fn ticks(lo: f64, hi: f64, finest: Grain, max: usize, lang: Lang) -> Vec<Tick> {
    let max = max.max(2);
    let (y0, m0, _) = civil_from_days(lo);
    let (y1, ..) = civil_from_days(hi);
    let mut candidates: Vec<(Grain, u32)> = Vec::new();
    if finest >= Grain::Day {
        candidates.extend([(Grain::Day, 1), (Grain::Day, 2), (Grain::Day, 7), (Grain::Day, 14)]);
    }
    if finest >= Grain::Month {
        candidates.extend([(Grain::Month, 1), (Grain::Month, 2)]);
    }
    if finest >= Grain::Quarter {
        candidates.push((Grain::Quarter, 3));
    }
    if finest >= Grain::Month {
        candidates.push((Grain::Month, 6));
    }
    for step in [1u32, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000] {
        candidates.push((Grain::Year, step));
    }
    for (grain, step) in candidates {
        let mut out = Vec::new();
        match grain {
            Grain::Day => {
                let mut d = lo.ceil();
                if step == 7 {
                    // Mondays (1970-01-01 was a Thursday).
                    d += (7.0 - (d + 3.0).rem_euclid(7.0)) % 7.0;
                }
                while d <= hi && out.len() <= max {
                    out.push(d);
                    d += step as f64;
                }
            }
            Grain::Month | Grain::Quarter => {
                let (mut y, mut m) = (y0, m0);
                while m % step != 1 % step {
                    m += 1;
                }
                loop {
                    if m > 12 {
                        m -= 12;
                        y += 1;
                    }
                    let day = days_from_civil(y, m, 1);
                    if day > hi || out.len() > max {
                        break;
                    }
                    if day >= lo {
                        out.push(day);
                    }
                    m += step;
                }
            }
            Grain::Year => {
                let mut y = y0.div_euclid(step as i64) * step as i64;
                while y <= y1 && out.len() <= max {
                    let day = days_from_civil(y, 1, 1);
                    if day >= lo && day <= hi {
                        out.push(day);
                    }
                    y += step as i64;
                }
            }
        }
        if out.len() <= max && (out.len() >= 2 || grain == Grain::Year && step >= 1000) {
            let unit = match (grain, step) {
                (Grain::Month, 3) | (Grain::Quarter, _) => Grain::Quarter,
                (g, _) => g,
            };
            return out.into_iter().map(|day| Tick { day, label: label(day, unit, lang) }).collect();
        }
    }
    vec![Tick { day: lo, label: label(lo, finest, lang) }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> f64 {
        parse(s).unwrap_or_else(|| panic!("{s} should parse")).day
    }

    #[test]
    fn notations_agree() {
        let jan = days_from_civil(2000, 1, 1);
        for s in ["2000-01-01", "2000/01/01", "2000.1.1", "Jan 1 2000", "Jan 1, 2000", "1 January 2000", "January 1, 2000", "2000年1月1日", "2000-01", "2000年1月", "Jan 2000", "2000Q1", "Q1 2000", "2000-Q1", "2000年一季度", "2000", "2000年"] {
            assert_eq!(day(s), jan, "{s}");
        }
        assert_eq!(day("2000-01-01T12:00:00.000Z"), jan + 0.5);
        assert_eq!(day("2015/01/01 06:00:00"), days_from_civil(2015, 1, 1) + 0.25);
        assert_eq!(parse("2023年4月").unwrap().grain, Grain::Month);
        assert_eq!(parse("2023Q2").unwrap().day, days_from_civil(2023, 4, 1));
        assert_eq!(parse("Sept 3 2001").unwrap().day, days_from_civil(2001, 9, 3));
    }

    #[test]
    fn the_grain_is_what_the_dates_hold() {
        let firsts: Vec<f64> = (1..=12).map(|m| days_from_civil(2000, m, 1)).collect();
        assert_eq!(coarsest(Grain::Day, &firsts), Grain::Month);
        let januaries: Vec<f64> = (2001..2005).map(|y| days_from_civil(y, 1, 1)).collect();
        assert_eq!(coarsest(Grain::Day, &januaries), Grain::Year);
        assert_eq!(coarsest(Grain::Day, &[days_from_civil(2000, 1, 1), days_from_civil(2000, 1, 15)]), Grain::Day);
        assert_eq!(coarsest(Grain::Day, &[days_from_civil(2000, 1, 1) + 0.25, days_from_civil(2000, 2, 1)]), Grain::Day);
    }

    #[test]
    fn non_dates_are_refused() {
        for s in ["", "GPT-3", "2023-13-01", "2023-02-30", "Q5 2023", "12", "hello 2000", "2000-01-01 25:00", "1,234", "2023A"] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for d in [-1000.0, 0.0, 11016.0, 19358.0, 730000.0] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn ticks_fit_the_span() {
        let (lo, hi) = (days_from_civil(1958, 3, 1), days_from_civil(2019, 9, 1));
        let t = ticks(lo, hi, Grain::Month, 8, Lang::En);
        assert_eq!(t.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(), ["1960", "1970", "1980", "1990", "2000", "2010"]);
        let t = ticks(days_from_civil(2022, 1, 1), days_from_civil(2023, 12, 1), Grain::Month, 10, Lang::Zh);
        assert_eq!(t.first().unwrap().label, "2022Q1");
        let t = ticks(days_from_civil(2023, 1, 1), days_from_civil(2023, 6, 1), Grain::Month, 8, Lang::Zh);
        assert_eq!(t.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(), ["2023年1月", "2023年2月", "2023年3月", "2023年4月", "2023年5月", "2023年6月"]);
        // Yearly data never gets month ticks.
        let t = ticks(days_from_civil(2001, 1, 1), days_from_civil(2003, 1, 1), Grain::Year, 20, Lang::En);
        assert_eq!(t.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(), ["2001", "2002", "2003"]);
    }
}
