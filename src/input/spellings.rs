//! How a data file wrote its decimal numbers. A float forgets its spelling
//! (`1.50` is 1.5, `2023.10` is 2023.1), so each file's decimal literals are
//! kept by value: a report printing such a number prints it as written
//! (`{{ r.price }}` → `1.50`); a number filter formats the value as asked.
//! A value written two ways is printed as the float has it.

use std::collections::HashMap;

use super::data::{cell_value, DataFormat};

/// Written text by the float's bits; `None` where the file wrote the same
/// value two ways. And how the files write a flag: JSON, YAML and TOML
/// `true`, a spreadsheet `TRUE` (minijinja alone would print `True`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spellings(HashMap<u64, Option<String>>, BoolCase);

#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum BoolCase {
    #[default]
    Unset,
    Lower,
    Upper,
    /// Files read by one report write flags both ways: lower case.
    Both,
}

impl Spellings {
    pub fn note(&mut self, x: f64, written: &str) {
        let written = written.trim().trim_start_matches('+');
        self.0
            .entry(x.to_bits())
            .and_modify(|w| {
                if w.as_deref() != Some(written) {
                    *w = None;
                }
            })
            .or_insert_with(|| Some(written.to_string()));
    }

    /// How the data wrote `x`, when it wrote it one way.
    pub fn written(&self, x: f64) -> Option<&str> {
        self.0.get(&x.to_bits())?.as_deref()
    }

    /// A flag as the data writes it: `TRUE` when only spreadsheets were
    /// read, else `true`.
    pub fn flag(&self, b: bool) -> &'static str {
        match (self.1, b) {
            (BoolCase::Upper, true) => "TRUE",
            (BoolCase::Upper, false) => "FALSE",
            (_, true) => "true",
            (_, false) => "false",
        }
    }

    /// Both files' spellings; a value they write differently is written two ways.
    pub fn merge(&mut self, other: &Spellings) {
        self.1 = match (self.1, other.1) {
            (a, BoolCase::Unset) => a,
            (BoolCase::Unset, b) => b,
            (a, b) if a == b => a,
            _ => BoolCase::Both,
        };
        for (bits, w) in &other.0 {
            match w {
                Some(w) => self.note(f64::from_bits(*bits), w),
                None => {
                    self.0.insert(*bits, None);
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty() && self.1 == BoolCase::Unset
    }
}

/// The decimal literals of a data text (already parsed without error).
pub fn of(format: DataFormat, text: &str) -> Spellings {
    let mut s = Spellings::default();
    match format {
        DataFormat::Csv => {
            let _ = crate::input::csv_text::read(text, |_, record| {
                record.iter().for_each(|cell| note_cell(&mut s, cell));
                Ok::<(), ()>(())
            });
        }
        DataFormat::Json => {
            crate::input::json_exact::each_literal(text, |literal| note_literal(&mut s, literal));
            s.1 = BoolCase::Lower;
        }
        DataFormat::Yaml => {
            crate::input::yaml::each_plain_scalar(text, |scalar| note_literal(&mut s, scalar));
            s.1 = BoolCase::Lower;
        }
        DataFormat::Toml => s.1 = BoolCase::Lower,
        DataFormat::Workbook => s.1 = BoolCase::Upper,
        DataFormat::Sql => {}
    }
    s
}

/// A CSV cell's decimal, as written (the data parse calls this in its own
/// pass over the records).
pub fn note_cell(s: &mut Spellings, cell: &str) {
    if let Some(x) = cell.contains('.').then(|| cell_value(cell).as_f64()).flatten() {
        s.note(x, cell);
    }
}

fn note_literal(s: &mut Spellings, literal: &str) {
    let decimal = literal.contains('.') && !literal.contains(['e', 'E']);
    if let Some(x) = decimal.then(|| literal.parse::<f64>().ok()).flatten().filter(|x| x.is_finite()) {
        s.note(x, literal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_keeps_its_decimals_as_written() {
        let csv = of(DataFormat::Csv, "p,q\n1.50,2023.10\n\"2.0\",7\n");
        assert_eq!(csv.written(1.5), Some("1.50"));
        assert_eq!(csv.written(2023.1), Some("2023.10"));
        assert_eq!(csv.written(2.0), Some("2.0"));
        assert_eq!(csv.written(7.0), None, "integers print as they are");
        let json = of(DataFormat::Json, r#"{"a": 1.50, "b": ["3.10", 0.250]}"#);
        assert_eq!((json.written(1.5), json.written(3.1), json.written(0.25)), (Some("1.50"), None, Some("0.250")));
        let yaml = of(DataFormat::Yaml, "a: 1.50\nb: '2.50'\nc: [0.10]\n");
        assert_eq!((yaml.written(1.5), yaml.written(2.5), yaml.written(0.1)), (Some("1.50"), None, Some("0.10")));
        let two = of(DataFormat::Csv, "p\n1.5\n1.50\n");
        assert_eq!(two.written(1.5), None, "written two ways");
        assert_eq!((json.flag(true), of(DataFormat::Workbook, "").flag(false), csv.flag(true)), ("true", "FALSE", "true"));
        let mut both = of(DataFormat::Workbook, "");
        both.merge(&json);
        assert_eq!(both.flag(true), "true", "a report reading both kinds prints lower case");
    }
}
