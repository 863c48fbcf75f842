//! Lineage (`folio build --lineage`): which data cells each printed value
//! was made from. Data values reach the template wrapped in objects that
//! note every cell read; each `{{ … }}` is rewritten to end in a pass-through
//! filter that takes the cells read since the last boundary, and each
//! `{% set %}` hands its cells to the name it sets, so `{{ total }}` printed
//! later still names what `total` summed. `{% if %}` and `{% for %}` heads
//! are boundaries: a condition's reads choose text, they do not print.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};

/// Where a value a template read came from, before it is described by the
/// data set (`input::data::DataSet::origin_of`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// `data.<stem>[.<sheet>]`, record `row` (0-based) when a table, key path `key`.
    Cell { stem: Arc<str>, sheet: Option<Arc<str>>, row: Option<usize>, key: String },
    /// A front-matter key (dotted), `--set` included.
    Front { key: String },
}

/// One `{{ … }}` or `{% set %}` of a template.
#[derive(Debug, Clone)]
pub struct Site {
    pub file: PathBuf,
    /// 1-based line and column of the `{{` in that file.
    pub line: usize,
    pub column: usize,
    pub expr: String,
    /// The filters applied, as written: `num(1)`, `cn_unit`.
    pub filters: Vec<String>,
    /// Names the expression reads (for the cells `{% set %}` gave them).
    names: Vec<String>,
    /// For `{% set a, b = … %}`: the names set.
    sets: Vec<String>,
}

/// A printed value's lineage.
#[derive(Debug, Clone, Default)]
pub struct Traced {
    pub site: Option<usize>,
    /// The cells the expression itself read.
    pub sources: BTreeSet<Origin>,
    /// The cells behind the `{% set %}` names it used, and those names.
    pub via: BTreeSet<Origin>,
    pub through: Vec<String>,
}

#[derive(Debug, Default)]
struct State {
    reads: BTreeSet<Origin>,
    /// The cells behind each name a `{% set %}` bound.
    taint: HashMap<String, BTreeSet<Origin>>,
    /// What the last `{{ … }}` filter took, for the formatter.
    pending: Option<Traced>,
}

/// The reads of one render, and its sites.
#[derive(Debug, Default)]
pub struct Trace {
    state: Mutex<State>,
    pub sites: Mutex<Vec<Site>>,
}

impl Trace {
    fn read(&self, o: Origin) {
        self.state.lock().expect("trace lock").reads.insert(o);
    }

    /// What the formatter records for the value it prints now.
    pub fn take_pending(&self) -> Option<Traced> {
        self.state.lock().expect("trace lock").pending.take()
    }

    fn names_taint(&self, st: &State, site: &Site) -> (BTreeSet<Origin>, Vec<String>) {
        let mut out = BTreeSet::new();
        let mut names = Vec::new();
        for n in &site.names {
            if let Some(t) = st.taint.get(n).filter(|t| !t.is_empty()) {
                out.extend(t.iter().cloned());
                names.push(n.clone());
            }
        }
        (out, names)
    }

    /// Registers filters `__v` (a print), `__t` (a set) and `__c` (a boundary).
    pub fn register(self: &Arc<Self>, env: &mut minijinja::Environment<'_>) {
        let t = self.clone();
        env.add_filter("__folio_v", move |v: Value, k: usize| -> Value {
            let sites = t.sites.lock().expect("sites lock");
            let mut st = t.state.lock().expect("trace lock");
            let sources = std::mem::take(&mut st.reads);
            let (via, through) = sites.get(k).map(|site| t.names_taint(&st, site)).unwrap_or_default();
            st.pending = Some(Traced { site: Some(k), sources, via, through });
            v
        });
        let t = self.clone();
        env.add_filter("__folio_t", move |v: Value, k: usize| -> Value {
            let sites = t.sites.lock().expect("sites lock");
            let mut st = t.state.lock().expect("trace lock");
            let mut sources = std::mem::take(&mut st.reads);
            if let Some(site) = sites.get(k) {
                sources.extend(t.names_taint(&st, site).0);
                for name in &site.sets {
                    st.taint.insert(name.clone(), sources.clone());
                }
            }
            v
        });
        let t = self.clone();
        env.add_filter("__folio_c", move |v: Value, names: Option<String>| -> Value {
            let mut st = t.state.lock().expect("trace lock");
            st.reads.clear();
            for n in names.iter().flat_map(|n| n.split(',')) {
                st.taint.remove(n);
            }
            v
        });
    }

    /// A value just read at `at`: a map or list is wrapped, a scalar is a read.
    fn child(self: &Arc<Self>, v: Value, at: Origin) -> Value {
        match v.kind() {
            minijinja::value::ValueKind::Map | minijinja::value::ValueKind::Seq => self.wrap(v, at),
            _ => {
                self.read(at);
                v
            }
        }
    }

    /// A data value as the template sees it, noting the cells read.
    pub fn wrap(self: &Arc<Self>, value: Value, at: Origin) -> Value {
        match value.kind() {
            minijinja::value::ValueKind::Map | minijinja::value::ValueKind::Seq => {
                Value::from_object(Node { value, at, trace: self.clone() })
            }
            _ => value,
        }
    }
}

/// A map or list of data: reading a scalar in it notes its origin.
#[derive(Debug)]
struct Node {
    value: Value,
    /// The origin of this node itself (its key path so far).
    at: Origin,
    trace: Arc<Trace>,
}

impl Node {
    fn child(&self, key: &Value) -> Origin {
        match &self.at {
            Origin::Cell { stem, sheet, row, key: path } => {
                // The first index under a table is its record.
                if let (None, true, Some(i)) = (row, path.is_empty(), key.as_usize()) {
                    return Origin::Cell { stem: stem.clone(), sheet: sheet.clone(), row: Some(i), key: String::new() };
                }
                Origin::Cell { stem: stem.clone(), sheet: sheet.clone(), row: *row, key: join(path, key) }
            }
            Origin::Front { key: path } => Origin::Front { key: join(path, key) },
        }
    }
}

fn join(path: &str, key: &Value) -> String {
    let k = key.as_str().map_or_else(|| key.to_string(), str::to_string);
    if path.is_empty() { k } else { format!("{path}.{k}") }
}

impl Object for Node {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        if self.value.kind() == minijinja::value::ValueKind::Seq { ObjectRepr::Seq } else { ObjectRepr::Map }
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let v = self.value.get_item(key).ok().filter(|v| !v.is_undefined())?;
        Some(self.trace.child(v, self.child(key)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.value.len() {
            Some(n) if self.value.kind() == minijinja::value::ValueKind::Seq => Enumerator::Seq(n),
            _ => match self.value.try_iter() {
                Ok(keys) => Enumerator::Values(keys.collect()),
                Err(_) => Enumerator::Empty,
            },
        }
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        self.value.len()
    }
}

/// The root of a report's context: a front-matter key read is noted.
#[derive(Debug)]
pub struct Root {
    pub fixed: Vec<(&'static str, Value)>,
    pub front: Value,
    pub trace: Arc<Trace>,
}

impl Object for Root {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        if let Some((_, v)) = self.fixed.iter().find(|(k, _)| *k == name) {
            return Some(v.clone());
        }
        let v = self.front.get_item(key).ok().filter(|v| !v.is_undefined())?;
        Some(self.trace.child(v, Origin::Front { key: name.to_string() }))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let mut keys: Vec<Value> = self.fixed.iter().map(|(k, _)| Value::from(*k)).collect();
        if let Ok(it) = self.front.try_iter() {
            keys.extend(it.filter(|k| !self.fixed.iter().any(|(f, _)| Some(*f) == k.as_str())));
        }
        Enumerator::Values(keys)
    }
}

/// `text` with every print, set and condition rewritten to note lineage;
/// its sites are added to `sites`. Byte offsets change: an error in the
/// rewritten text is reported by rendering the original again.
pub fn rewrite(text: &str, file: &Path, sites: &Mutex<Vec<Site>>) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut sites = sites.lock().expect("sites lock");
    let mut from = 0;
    let mut raw = false;
    while let Some(i) = text[from..].find('{').map(|i| from + i) {
        let rest = &text[i..];
        let (open, close) = match rest.get(..2) {
            Some("{{") if !raw => ("{{", "}}"),
            Some("{%") => ("{%", "%}"),
            _ => {
                out.push_str(&text[from..=i]);
                from = i + 1;
                continue;
            }
        };
        if rest.starts_with("{##") {
            out.push_str(&text[from..=i]);
            from = i + 1;
            continue;
        }
        let Some(len) = tag_len(&rest[2..], close) else { break };
        let inner = &rest[2..2 + len];
        let end = i + 2 + len + 2;
        out.push_str(&text[from..i]);
        let (lead, body, trail) = trim_marks(inner);
        let words: Vec<&str> = body.split_whitespace().collect();
        if open == "{%" {
            match words.first().copied() {
                Some("raw") => raw = true,
                Some("endraw") => raw = false,
                _ => {}
            }
        }
        let rewritten = if raw { None } else if open == "{{" {
            let (line, column) = line_col(text, i);
            let k = sites.len();
            sites.push(site(file, line, column, body, vec![]));
            Some(format!("({}) | __folio_v({k})", body.trim()))
        } else {
            statement(body, &words, file, text, i, &mut sites)
        };
        match rewritten {
            Some(new) => {
                out.push_str(open);
                out.push_str(lead);
                out.push(' ');
                out.push_str(&new);
                out.push(' ');
                out.push_str(trail);
                out.push_str(close);
            }
            None => out.push_str(&text[i..end]),
        }
        from = end;
    }
    out.push_str(&text[from..]);
    out
}

fn statement(body: &str, words: &[&str], file: &Path, text: &str, at: usize, sites: &mut Vec<Site>) -> Option<String> {
    let head = *words.first()?;
    let after = body.trim_start().strip_prefix(head)?;
    match head {
        "set" => {
            let eq = top_level(after, "=")?;
            let (target, expr) = (&after[..eq], &after[eq + 1..]);
            let sets: Vec<String> = target.split(',').map(|t| t.trim().split('.').next().unwrap_or("").to_string()).filter(|t| !t.is_empty()).collect();
            let (line, column) = line_col(text, at);
            let k = sites.len();
            sites.push(site(file, line, column, expr, sets));
            Some(format!("set {} = ({}) | __folio_t({k})", target.trim(), expr.trim()))
        }
        "if" | "elif" => Some(format!("{head} ({}) | __folio_c", after.trim())),
        "for" => {
            let inn = top_level(after, " in ")?;
            let (target, iter) = (&after[..inn], &after[inn + 4..]);
            // A filtered or recursive loop is left as written.
            if top_level(iter, " if ").is_some() || iter.trim_end().ends_with("recursive") {
                return None;
            }
            let names: Vec<&str> = target.split(',').map(str::trim).collect();
            Some(format!("for {} in ({}) | __folio_c(\"{}\")", target.trim(), iter.trim(), names.join(",")))
        }
        _ => None,
    }
}

fn site(file: &Path, line: usize, column: usize, expr: &str, sets: Vec<String>) -> Site {
    let parts = split_top(expr, '|');
    let filters = parts.iter().skip(1).map(|f| f.trim().to_string()).collect();
    Site { file: file.to_path_buf(), line, column, expr: expr.trim().to_string(), filters, names: names(parts.first().map_or("", |s| s)), sets }
}

/// `-`/`+` whitespace marks kept at either end of a tag's inside.
fn trim_marks(inner: &str) -> (&str, &str, &str) {
    let lead = if inner.starts_with(['-', '+']) { &inner[..1] } else { "" };
    let rest = &inner[lead.len()..];
    let trail = if rest.ends_with(['-', '+']) { &rest[rest.len() - 1..] } else { "" };
    (lead, &rest[..rest.len() - trail.len()], trail)
}

/// The length of a tag's inside up to `close`, skipping string literals.
fn tag_len(s: &str, close: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        match quote {
            Some(_) if b[i] == b'\\' => i += 1,
            Some(q) if b[i] == q => quote = None,
            Some(_) => {}
            None if b[i] == b'"' || b[i] == b'\'' => quote = Some(b[i]),
            None if s[i..].starts_with(close) => return Some(i),
            None => {}
        }
        i += 1;
    }
    None
}

/// Byte offset of `pat` in `s` outside strings and brackets.
fn top_level(s: &str, pat: &str) -> Option<usize> {
    let b = s.as_bytes();
    let (mut depth, mut quote, mut i) = (0i32, None::<u8>, 0);
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(_) if c == b'\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                _ if depth == 0 && s[i..].starts_with(pat) => {
                    // `==`, `!=`, `<=`, `>=` are no assignment.
                    let prev = i.checked_sub(1).map(|p| b[p]);
                    let next = b.get(i + pat.len()).copied();
                    if pat != "=" || (!matches!(prev, Some(b'=' | b'!' | b'<' | b'>')) && next != Some(b'=')) {
                        return Some(i);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(i) = top_level(rest, sep.encode_utf8(&mut [0; 4])) {
        parts.push(&rest[..i]);
        rest = &rest[i + 1..];
    }
    parts.push(rest);
    parts
}

const KEYWORDS: &[&str] = &["and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "True", "False", "None", "loop"];

/// The variable names an expression reads: not attributes, filters or tests.
fn names(expr: &str) -> Vec<String> {
    let b = expr.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut prev_sig, mut prev_word) = (0, b' ', String::new());
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\'' {
            let mut j = i + 1;
            while j < b.len() && b[j] != c {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            i = j + 1;
            prev_sig = b'"';
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let word = &expr[start..i];
            let attr = prev_sig == b'.' || prev_sig == b'|' || prev_word == "is";
            let call = expr[i..].trim_start().starts_with('(');
            if !attr && !call && !KEYWORDS.contains(&word) && !out.iter().any(|w| w == word) {
                out.push(word.to_string());
            }
            prev_word = word.to_string();
            prev_sig = b'a';
            continue;
        }
        if !c.is_ascii_whitespace() {
            prev_sig = c;
            prev_word.clear();
        }
        i += 1;
    }
    out
}

fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(before.chars().count(), |n| before[n + 1..].chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_prints_sets_and_heads() {
        let sites = Mutex::new(vec![]);
        let t = "{% set top = data.m | sort(attribute=\"b\") | last %}\n{%- for r in data.m -%}{{ r.b | num(1) }}{% endfor %}{% if x == 1 %}{{- top.a -}}{% endif %}{% raw %}{{ a }}{% endraw %}";
        let out = rewrite(t, Path::new("r.md"), &sites);
        assert_eq!(
            out,
            "{% set top = (data.m | sort(attribute=\"b\") | last) | __folio_t(0) %}\n{%- for r in (data.m) | __folio_c(\"r\") -%}{{ (r.b | num(1)) | __folio_v(1) }}{% endfor %}{% if (x == 1) | __folio_c %}{{- (top.a) | __folio_v(2) -}}{% endif %}{% raw %}{{ a }}{% endraw %}"
        );
        let sites = sites.into_inner().unwrap();
        assert_eq!(sites[0].sets, ["top"]);
        assert_eq!(sites[1].filters, ["num(1)"]);
        assert_eq!(sites[1].names, ["r"]);
        assert_eq!(sites[2].names, ["top"]);
        assert_eq!((sites[2].line, sites[2].column), (2, 69));
    }

    #[test]
    fn names_skip_attributes_filters_tests_and_strings() {
        assert_eq!(names("(a.b * 10) | num(2) if c is not none else \"x y\" ~ d[e]"), ["a", "c", "d", "e"]);
    }
}
