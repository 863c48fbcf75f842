//! Tables whose cells cannot hold their text. The template widens a column
//! to its longest unbreakable text, or sets the whole table smaller; when
//! even its smallest size cannot hold a number, the PDF would print it over
//! its neighbour, so the build says which table, row and column.

use crate::core::diag::Diagnostic;
use crate::core::sourcemap::SourceMap;
use crate::pdf::markup::TableFit;
use crate::pdf::world::TableFitted;

/// A warning for each table the template could not fit (`fits: false`).
pub fn warnings(fitted: &[TableFitted], tables: &[TableFit], map: &SourceMap) -> Vec<Diagnostic> {
    fitted
        .iter()
        .filter(|f| !f.fits)
        .filter_map(|f| {
            let table = tables.get(f.id)?;
            // The widest text is the one that does not fit.
            let (column, text, row) = table
                .columns
                .iter()
                .flat_map(|c| [(c, c.body.as_str(), Some(c.row)), (c, c.header.as_str(), None)])
                .max_by_key(|(_, text, _)| text.chars().count())?;
            let which = if table.label.is_empty() { "a table".to_string() } else { table.label.clone() };
            let place = match row {
                Some(r) if !column.name.is_empty() => format!("row {r}, column `{}`", column.name),
                Some(r) => format!("row {r}"),
                None => format!("the header of column `{}`", column.name),
            };
            let shown: String = if text.chars().count() > 40 { text.chars().take(37).chain("…".chars()).collect() } else { text.to_string() };
            let mut d = Diagnostic::warning(format!(
                "{which} cannot hold `{shown}` ({place}) even set at {:.1}pt: in the PDF it runs past its column",
                f.size
            ))
            .hint("print it shorter (`num` with fewer decimals, a unit such as `cn_unit`), or split the table");
            if let Some(line) = table.line {
                d = d.at(map.find(text, line));
            }
            Some(d)
        })
        .collect()
}
