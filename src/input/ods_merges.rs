//! The merged cells of an `.ods` workbook, which calamine does not report:
//! it reads a cell a merge covers as data, and LibreOffice keeps the text
//! a cell held before it was merged over (hidden, never shown). Read from
//! the sheet's own XML: a `table:table-cell` spanning columns or rows.

use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

/// A merged range: (first row, first column), (last row, last column), 0-based.
pub type Merge = ((u32, u32), (u32, u32));

/// Every sheet's merged ranges, by sheet name. `max_bytes` bounds the
/// sheet XML read (a zip may claim any size).
pub fn merges(path: &Path, max_bytes: u64) -> Result<Vec<(String, Vec<Merge>)>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| e.to_string())?;
    let content = zip.by_name("content.xml").map_err(|e| e.to_string())?;
    read(BufReader::new(content.take(max_bytes)))
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.0 == name).and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()).map(|v| v.into_owned())
}

fn count(e: &BytesStart<'_>, name: &str) -> u32 {
    attr(e, name).and_then(|v| v.parse().ok()).unwrap_or(1).max(1)
}

fn read(input: impl std::io::BufRead) -> Result<Vec<(String, Vec<Merge>)>, String> {
    let mut xml = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut out: Vec<(String, Vec<Merge>)> = Vec::new();
    let (mut row, mut col, mut row_repeat) = (0u32, 0u32, 1u32);
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| format!("content.xml: {e}"))?;
        let (e, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(row_repeat);
                buf.clear();
                continue;
            }
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.name().as_ref() {
            "table:table" => {
                out.push((attr(e, "table:name").unwrap_or_default(), Vec::new()));
                row = 0;
            }
            "table:table-row" => {
                col = 0;
                row_repeat = count(e, "table:number-rows-repeated");
                if empty {
                    row = row.saturating_add(row_repeat);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let across = attr(e, "table:number-columns-spanned").and_then(|v| v.parse::<u32>().ok()).unwrap_or(1);
                let down = attr(e, "table:number-rows-spanned").and_then(|v| v.parse::<u32>().ok()).unwrap_or(1);
                if (across > 1 || down > 1) && e.name().as_ref() == "table:table-cell" {
                    if let Some((_, sheet)) = out.last_mut() {
                        // A merge in a repeated row is one per repetition; a
                        // sheet that claims more than a spreadsheet holds is cut.
                        for r in 0..row_repeat.min(1024) {
                            let top = row.saturating_add(r);
                            sheet.push(((top, col), (top.saturating_add(down - 1), col.saturating_add(across - 1))));
                        }
                    }
                }
                col = col.saturating_add(count(e, "table:number-columns-repeated"));
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_merges_and_covered_cells_are_counted() {
        let xml = r#"<office:body><table:table table:name="Model">
            <table:table-row><table:table-cell/><table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="1"><text:p>营业收入</text:p></table:table-cell><table:covered-table-cell/></table:table-row>
            <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/></table:table-row>
            <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:number-rows-spanned="2"/></table:table-row>
            </table:table><table:table table:name="Other"><table:table-row/></table:table></office:body>"#;
        let got = read(xml.as_bytes()).unwrap();
        assert_eq!(got, vec![("Model".to_string(), vec![((0, 1), (0, 2)), ((3, 2), (4, 2))]), ("Other".to_string(), vec![])]);
    }
}
