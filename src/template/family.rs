//! Report families: a Markdown file whose front matter says `each: <data
//! set>` is one report per row of that data set, named by its `name:`
//! template (`name: "{{ row.ticker }}"`). Each member sees its row as `row`.

use std::collections::HashMap;

use serde_json::Value;

use crate::core::diag::{display_path, Diagnostic, Location};
use crate::input::data::DataSet;
use crate::input::project::ReportSource;

/// Longest report name, in characters: names become file names.
const MAX_NAME: usize = 120;

/// Every report of the project, with each family expanded into its members
/// (in row order); errors for bad `each:`/`name:` and duplicate names.
pub fn expand(reports: &[ReportSource], data: &DataSet) -> Result<Vec<ReportSource>, Vec<Diagnostic>> {
    let mut out = Vec::with_capacity(reports.len());
    let mut errors = Vec::new();
    for source in reports {
        match source.front.get("each") {
            None => out.push(source.clone()),
            Some(each) => match members(source, each, data) {
                Ok(m) => out.extend(m),
                Err(d) => errors.push(d),
            },
        }
    }
    if errors.is_empty() {
        errors.extend(duplicates(&out, data));
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Where `key:` is written in the front matter of `source`.
/// Where row `i` of data set `stem` is written (CSV: its line).
pub fn row_location(data: &DataSet, stem: &str, i: usize) -> Option<Location> {
    Some(crate::input::data::row_location(&data.path(stem)?, &data.text(stem)?, i))
}

fn members(source: &ReportSource, each: &Value, data: &DataSet) -> Result<Vec<ReportSource>, Diagnostic> {
    let Some(stem) = each.as_str() else {
        return Err(Diagnostic::error("`each:` names a data set, e.g. `each: companies` for content/data/companies.csv")
            .at(source.key_location("each")));
    };
    let rows = match data.get(stem) {
        Some(Ok(v)) => v,
        Some(Err(d)) => return Err(d),
        None => {
            let known: Vec<&str> = data.stems().collect();
            let mut d = Diagnostic::error(format!("`each: {stem}` names no data set"))
                .at(source.key_location("each"))
                .hint(format!("data sets in content/data/: {}", if known.is_empty() { "none".into() } else { known.join(", ") }));
            if let Some(near) = crate::core::text::closest(stem, known.iter().copied()) {
                d = d.hint(format!("did you mean `{near}`?"));
            }
            return Err(d);
        }
    };
    let Some(list) = table(&rows) else {
        return Err(Diagnostic::error(format!("`each: {stem}` needs a table, one report per row"))
            .at(source.key_location("each"))
            .hint("a CSV with a header row, or a JSON/YAML list of records"));
    };
    let Some(template) = source.front.get("name").and_then(Value::as_str) else {
        return Err(Diagnostic::error("a report family needs `name:`, each member's file name")
            .at(source.key_location("each"))
            .hint("e.g. `name: \"{{ row.ticker }}\"` writes output/<ticker>.pdf and .html"));
    };
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    crate::template::filters::register(&mut env);
    // An empty cell must not name a report `none`.
    env.set_formatter(|out, state, value| {
        if value.is_none() {
            return Err(minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, "it prints an empty cell"));
        }
        minijinja::escape_formatter(out, state, value)
    });
    let compiled = env.template_from_str(template).map_err(|e| {
        Diagnostic::error(format!("`name:` is not a valid template: {}", e.detail().unwrap_or(&e.kind().to_string()))).at(source.key_location("name"))
    })?;
    let mut out = Vec::with_capacity(list.len());
    for (i, row) in list.iter().enumerate() {
        let at_row = |d: Diagnostic| match row_location(data, stem, i) {
            Some(loc) => d.at(loc).hint(format!("the name comes from `name:` in {}", display_path(&source.path))),
            None => d.at(source.key_location("name")),
        };
        if !row.is_object() {
            return Err(at_row(Diagnostic::error(format!("row {} of `{stem}` is not a record", i + 1))));
        }
        let name = compiled
            .render(minijinja::context! { row => crate::template::to_value(row) })
            .map_err(|e| at_row(Diagnostic::error(format!("`name:` fails for row {} of `{stem}`: {}", i + 1, e.detail().unwrap_or(&e.kind().to_string())))))?;
        let name = name.trim().to_string();
        if let Some(why) = unsafe_name(&name) {
            return Err(at_row(
                Diagnostic::error(format!("row {} of `{stem}` gives the report name `{name}`, {why}", i + 1))
                    .hint("a name may hold letters, digits, `-`, `_` and `.`; fix the row, or build the name from other columns"),
            ));
        }
        // The row itself joins the front matter only when the member is
        // built (`with_row`): a family of thousands holds its rows once.
        let mut member = source.clone();
        member.name = name;
        member.row = Some(i);
        out.push(member);
    }
    Ok(out)
}

/// A family member with its row in the front matter as `row` (what its
/// templates, charts and build key read); other reports as they are.
pub fn with_row(source: &ReportSource, data: &DataSet) -> ReportSource {
    let mut full = source.clone();
    if let (Some(i), Some(stem)) = (source.row, source.front.get("each").and_then(Value::as_str)) {
        let row = data.get(stem).and_then(Result::ok).and_then(|rows| table(&rows).and_then(|list| list.get(i).cloned()));
        std::sync::Arc::make_mut(&mut full.front).insert("row".into(), row.unwrap_or(Value::Null));
    }
    full
}

/// The records of a data set that is a table: a list, or `{rows: [...]}`.
fn table(value: &Value) -> Option<&Vec<Value>> {
    match value {
        Value::Array(items) => Some(items),
        Value::Object(m) => m.get("rows").and_then(Value::as_array),
        _ => None,
    }
}

/// Why `name` cannot be a file name, if it cannot.
fn unsafe_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("which is empty")
    } else if name.chars().count() > MAX_NAME {
        Some("which is longer than 120 characters")
    } else if name.starts_with('.') {
        Some("which starts with a dot")
    } else if !name.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        Some("which is not a safe file name")
    } else {
        None
    }
}

/// Two reports may not share a name: they would write the same files.
fn duplicates(reports: &[ReportSource], data: &DataSet) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &ReportSource> = HashMap::new();
    let mut errors = Vec::new();
    let describe = |r: &ReportSource| match (r.row, r.front.get("each").and_then(Value::as_str)) {
        (Some(i), Some(stem)) => format!("row {} of `{stem}` (family {})", i + 1, display_path(&r.path)),
        _ => display_path(&r.path),
    };
    for r in reports {
        match first.get(r.name.as_str()) {
            None => {
                first.insert(&r.name, r);
            }
            Some(earlier) => {
                let mut d = Diagnostic::error(format!("two reports are named `{}`: {} and {}", r.name, describe(earlier), describe(r)))
                    .hint("each report writes output/<name>.pdf and .html; make `name:` unique, e.g. add a column");
                if let (Some(i), Some(stem)) = (r.row, r.front.get("each").and_then(Value::as_str)) {
                    if let Some(loc) = row_location(data, stem, i) {
                        d = d.at(loc);
                    }
                }
                errors.push(d);
                if errors.len() == 10 {
                    break;
                }
            }
        }
    }
    errors
}
