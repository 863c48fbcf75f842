//! Which data cell a printed expression reads, from the template text
//! itself: `data.q[1].revenue` names row 1 of `q`; `r.revenue` inside
//! `{% for r in data.q %}` names column `revenue` of `q` (the loop's first
//! row holding the failing value is the one that failed: loops go in
//! order); `row.revenue` in a family member names its own row. An error
//! about a value then points at its cell, never at the first matching text
//! of some other file.

/// A data access: `data.<stem>[.<sheet>][<row>].<column>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    pub stem: String,
    pub sheet: Option<String>,
    pub row: Option<usize>,
    pub column: String,
}

/// `a.b[3]["c d"]` as its parts: names and indices.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Name(String),
    Index(usize),
}

fn parts(expr: &str) -> Option<Vec<Part>> {
    let mut out = Vec::new();
    let mut rest = expr.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']')?;
            let inner = r[..close].trim();
            out.push(match inner.parse::<usize>() {
                Ok(i) => Part::Index(i),
                Err(_) => Part::Name(inner.strip_prefix(['"', '\'']).and_then(|s| s.strip_suffix(['"', '\'']))?.to_string()),
            });
            rest = &r[close + 1..];
            continue;
        }
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        if end == 0 {
            return None;
        }
        out.push(Part::Name(rest[..end].to_string()));
        rest = &rest[end..];
    }
    Some(out)
}

/// `data.<stem>[.<sheet>]` and what follows it.
fn data_table(p: &[Part]) -> Option<(String, Option<String>, &[Part])> {
    let [Part::Name(d), Part::Name(stem), rest @ ..] = p else { return None };
    if d != "data" {
        return None;
    }
    // A name after the stem is a workbook's sheet (`data.model.Quarterly`);
    // `data.model.shown.Quarterly` holds the same cells as shown.
    let rest = match rest {
        [Part::Name(shown), tail @ ..] if shown == "shown" && matches!(tail.first(), Some(Part::Name(_))) => tail,
        _ => rest,
    };
    match rest {
        [Part::Name(sheet), tail @ ..] => Some((stem.clone(), Some(sheet.clone()), tail)),
        _ => Some((stem.clone(), None, rest)),
    }
}

/// The access the `{{ … }}` around byte `at` of `text` makes, if it is one
/// folio can follow; `each` is a family's data set (for `row.<column>`).
pub fn access_at(text: &str, at: usize, each: Option<&str>) -> Option<Access> {
    let at = at.min(text.len());
    let open = text[..at].rfind("{{")? + 2;
    let close = text[at..].find("}}").map_or(text.len(), |i| at + i);
    let expr = text.get(open..close)?.trim_start_matches('-').split('|').next()?.trim();
    let p = parts(expr)?;
    if let Some((stem, sheet, tail)) = data_table(&p) {
        return match tail {
            [Part::Index(row), Part::Name(column)] => Some(Access { stem, sheet, row: Some(*row), column: column.clone() }),
            _ => None,
        };
    }
    let [Part::Name(var), Part::Name(column)] = &p[..] else { return None };
    if var == "row" {
        if let Some(stem) = each {
            return Some(Access { stem: stem.trim_start_matches("data.").to_string(), sheet: None, row: None, column: column.clone() });
        }
    }
    // The innermost `{% for <var> in data.… %}` still open at `at`.
    let before = &text[..open];
    let (mut search, mut closed) = (before.len(), 0usize);
    while let Some(start) = before[..search].rfind("{%") {
        search = start;
        let tag = &before[start + 2..];
        let tag = &tag[..tag.find("%}")?];
        let words: Vec<&str> = tag.trim_matches(['-', '+']).split_whitespace().collect();
        if words.first() == Some(&"endfor") {
            // A loop closed before this point: skip it and its body.
            closed += 1;
            continue;
        }
        if let ["for", v, "in", iterable, ..] = words[..] {
            if closed > 0 {
                closed -= 1;
                continue;
            }
            if v == var {
                let table = parts(iterable)?;
                let (stem, sheet, tail) = data_table(&table)?;
                return tail.is_empty().then(|| Access { stem, sheet, row: None, column: column.clone() });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(stem: &str, sheet: Option<&str>, row: Option<usize>, column: &str) -> Option<Access> {
        Some(Access { stem: stem.into(), sheet: sheet.map(Into::into), row, column: column.into() })
    }

    #[test]
    fn follows_indices_loops_and_family_rows() {
        let t = "A {{ data.q[1].b | num(1) }} B";
        assert_eq!(access_at(t, 5, None), access("q", None, Some(1), "b"));
        let t = "{% for r in data.q %}\n| {{ r.rev | num }} |\n{% endfor %}";
        assert_eq!(access_at(t, t.find("num").unwrap(), None), access("q", None, None, "rev"));
        let t = "{% for r in data.model.Quarterly %}{{ r[\"net income\"] | num }}{% endfor %}";
        assert_eq!(access_at(t, t.find("num").unwrap(), None), access("model", Some("Quarterly"), None, "net income"));
        assert_eq!(access_at("{{ row.price | num }}", 5, Some("companies")), access("companies", None, None, "price"));
        assert_eq!(access_at("{{ data.m.Sheet1[0].x }}", 5, None), access("m", Some("Sheet1"), Some(0), "x"));
        assert_eq!(access_at("{{ data.m.shown.Sheet1[0].x }}", 5, None), access("m", Some("Sheet1"), Some(0), "x"));
        // Another variable, a loop over something else, a closed loop: no access.
        assert_eq!(access_at("{% for r in data.q %}{% endfor %}{{ r.b }}", 38, None), None);
        assert_eq!(access_at("{% for r in items %}{{ r.b }}", 25, None), None);
        assert_eq!(access_at("{{ total | num }}", 4, None), None);
    }
}
