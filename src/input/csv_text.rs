//! The one CSV reader: every CSV the build reads, and every place that
//! points into one, goes through here (the csv crate). Records may span
//! lines (a quoted cell with a line break), so a record's line is never
//! its index plus two: locations are byte offsets the reader reports.

use std::ops::Range;

/// A CSV's header (trimmed) and records as written (cells untrimmed).
pub struct Cells {
    pub headers: Vec<String>,
    pub records: Vec<csv::StringRecord>,
}

/// Why a CSV could not be read, and the byte offset the reader stopped at.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    UnequalLengths { expected: u64, found: u64 },
    Utf8,
    Other(String),
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes())
}

/// A record's start as csv gives it: with CRLF endings it may fall on the
/// line break before the record.
fn past_line_break(text: &str, mut at: usize) -> usize {
    while at < text.len() && matches!(text.as_bytes()[at], b'\r' | b'\n') {
        at += 1;
    }
    at
}

fn fault(text: &str, e: &csv::Error) -> (Fault, usize) {
    let offset = past_line_break(text, e.position().map_or(0, |p| p.byte() as usize));
    let kind = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => Fault::UnequalLengths { expected: *expected_len, found: *len },
        csv::ErrorKind::Utf8 { .. } => Fault::Utf8,
        _ => Fault::Other(e.to_string()),
    };
    (kind, offset)
}

/// Why `read` stopped: the CSV does not read (and the byte offset the
/// reader stopped at), or `each` refused a record.
#[derive(Debug)]
pub enum Stop<E> {
    Fault(Fault, usize),
    Refused(E),
}

/// Every record, each through `each` as it is read (so a large file is never
/// held twice); the header row is trimmed.
pub fn read<E>(text: &str, mut each: impl FnMut(&[String], &csv::StringRecord) -> Result<(), E>) -> Result<Vec<String>, Stop<E>> {
    let mut r = reader(text);
    let to_stop = |e: csv::Error| {
        let (f, at) = fault(text, &e);
        Stop::Fault(f, at)
    };
    let headers: Vec<String> = r.headers().map_err(to_stop)?.iter().map(|h| h.trim().to_string()).collect();
    let mut record = csv::StringRecord::new();
    while r.read_record(&mut record).map_err(to_stop)? {
        each(&headers, &record).map_err(Stop::Refused)?;
    }
    Ok(headers)
}

/// The header row alone, trimmed.
pub fn headers(text: &str) -> Option<Vec<String>> {
    Some(reader(text).headers().ok()?.iter().map(|h| h.trim().to_string()).collect())
}

/// The header and every record, or `None` for a CSV that does not read.
pub fn cells(text: &str) -> Option<Cells> {
    let mut r = reader(text);
    let headers = r.headers().ok()?.iter().map(|h| h.trim().to_string()).collect();
    let records = r.records().collect::<Result<Vec<_>, _>>().ok()?;
    Some(Cells { headers, records })
}

/// Byte offset where 0-based record `i` starts.
pub fn record_start(text: &str, i: usize) -> Option<usize> {
    let record = reader(text).records().nth(i)?.ok()?;
    Some(past_line_break(text, record.position()?.byte() as usize))
}

/// Byte offset of every record, in one pass (`record_start` of each).
pub fn record_starts(text: &str) -> Vec<usize> {
    let mut r = reader(text);
    let mut out = Vec::new();
    let mut rec = csv::StringRecord::new();
    while let Ok(true) = r.read_record(&mut rec) {
        let Some(p) = rec.position() else { break };
        out.push(past_line_break(text, p.byte() as usize));
    }
    out
}

/// What lineage asks of a CSV again and again, read once: the header, where
/// each record starts and on which line, and the cells of records asked for.
#[derive(Debug, Default)]
pub struct Index {
    pub headers: Vec<String>,
    pub starts: Vec<usize>,
    /// 1-based line of each record's start.
    pub lines: Vec<usize>,
    fields: std::sync::Mutex<Fields>,
}

/// The cells of the records read so far, and the reader that read them
/// (making a reader builds its state machine, which took 0.7 ms of the
/// flagship's deep-dive when each record had a reader of its own).
#[derive(Debug)]
struct Fields {
    of: std::collections::HashMap<usize, Vec<Range<usize>>>,
    reader: csv_core::Reader,
}

impl Default for Fields {
    fn default() -> Fields {
        // `new`, not `default`: csv_core's default reader has no state machine.
        Fields { of: Default::default(), reader: csv_core::Reader::new() }
    }
}

impl Index {
    pub fn new(text: &str) -> Index {
        let starts = record_starts(text);
        let (mut line, mut at) = (1, 0);
        let lines = starts
            .iter()
            .map(|&s| {
                line += text.as_bytes()[at..s].iter().filter(|&&b| b == b'\n').count();
                at = s;
                line
            })
            .collect();
        Index { headers: headers(text).unwrap_or_default(), starts, lines, fields: Default::default() }
    }

    /// Byte range of cell `col` of 0-based record `i` (each record parsed once).
    pub fn cell(&self, text: &str, i: usize, col: usize) -> Option<Range<usize>> {
        let start = *self.starts.get(i)?;
        let mut fields = self.fields.lock().expect("csv index lock");
        let Fields { of, reader } = &mut *fields;
        let ranges = of.entry(i).or_insert_with(|| field_ranges(reader, &text.as_bytes()[start..]));
        ranges.get(col).map(|r| r.start + start..r.end + start)
    }
}

/// Byte range of cell `col` (0-based) of record `i` in the text: where the
/// cell's text begins (inside its quotes) to where it ends.
pub fn cell_range(text: &str, i: usize, col: usize) -> Option<Range<usize>> {
    let start = record_start(text, i)?;
    field_ranges(&mut csv_core::Reader::new(), &text.as_bytes()[start..]).get(col).map(|r| r.start + start..r.end + start)
}

/// Byte ranges of the fields of the record at the start of `bytes`, read by
/// csv's own parser (quotes, escaped quotes and line breaks in cells).
fn field_ranges(core: &mut csv_core::Reader, bytes: &[u8]) -> Vec<Range<usize>> {
    core.reset();
    let mut out = [0u8; 4096];
    let (mut at, mut field_start, mut ranges) = (0usize, 0usize, Vec::new());
    loop {
        let (result, nin, _) = core.read_field(&bytes[at..], &mut out);
        at += nin;
        match result {
            csv_core::ReadFieldResult::OutputFull => continue,
            csv_core::ReadFieldResult::Field { record_end } => {
                ranges.push(trim_field(bytes, field_start, at, record_end));
                field_start = at;
                if record_end {
                    return ranges;
                }
            }
            csv_core::ReadFieldResult::InputEmpty => {
                // The last record of a file without a final line break.
                let (result, ..) = core.read_field(&[], &mut out);
                if let csv_core::ReadFieldResult::Field { .. } = result {
                    ranges.push(trim_field(bytes, field_start, at, true));
                }
                return ranges;
            }
            csv_core::ReadFieldResult::End => return ranges,
        }
    }
}

/// A field's bytes consumed `start..end` hold its delimiter or line break
/// and quotes: the range of its text alone.
fn trim_field(bytes: &[u8], start: usize, mut end: usize, record_end: bool) -> Range<usize> {
    if end > start && !record_end && bytes[end - 1] == b',' {
        end -= 1;
    }
    while record_end && end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    let (mut s, mut e) = (start, end);
    if e > s + 1 && bytes[s] == b'"' && bytes[e - 1] == b'"' {
        s += 1;
        e -= 1;
    }
    s..e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_reads_record_after_record_in_any_order_with_one_reader() {
        let text = "a,b\n1,\"x\ny\"\n3,4";
        let index = Index::new(text);
        assert_eq!(&text[index.cell(text, 1, 1).unwrap()], "4");
        assert_eq!(&text[index.cell(text, 0, 1).unwrap()], "x\ny");
        assert_eq!(&text[index.cell(text, 0, 0).unwrap()], "1");
        assert_eq!(&text[index.cell(text, 1, 0).unwrap()], "3");
        assert_eq!(index.cell(text, 2, 0), None);
    }

    #[test]
    fn cells_are_found_across_quoted_line_breaks() {
        let text = "a,b,c\n1,\"two\nlines\",3\n4,5,\"x,y\"\n";
        assert_eq!(&text[cell_range(text, 0, 2).unwrap()], "3");
        assert_eq!(&text[cell_range(text, 0, 1).unwrap()], "two\nlines");
        assert_eq!(&text[cell_range(text, 1, 2).unwrap()], "x,y");
        assert_eq!(&text[cell_range(text, 1, 0).unwrap()], "4");
        let last = "a,b\n1,2";
        assert_eq!(&last[cell_range(last, 0, 1).unwrap()], "2");
        let crlf = "a,b\r\n1,22\r\n";
        assert_eq!(&crlf[cell_range(crlf, 0, 1).unwrap()], "22");
    }
}
