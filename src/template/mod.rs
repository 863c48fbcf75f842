//! Template stage: each report's Markdown body is rendered through minijinja
//! with the front matter and the project's data. Values printed from data are
//! escaped for Markdown, so data never becomes markup.

pub mod family;
pub mod filters;
pub mod lineage;
mod missing;
mod origin;
pub mod printed;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use serde_json::Map;

use crate::input::data::DataSet;
use crate::input::spellings::Spellings;
use crate::core::diag::{Diagnostic, Location, Result};
use crate::core::paths::resolve_inside;
use crate::template::printed::Printed;

pub use crate::input::project::DEFAULT_FUEL;

/// The rendered Markdown of one report, with the sources it was made from.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub markdown: String,
    /// Every template source that took part: the report first, then includes.
    pub sources: Vec<(PathBuf, Arc<str>)>,
    /// E.g. a printed workbook cell that caches a formula error.
    pub warnings: Vec<Diagnostic>,
    /// With `--lineage`: every printed value (by its index in the value
    /// marks of `markdown`) and the template sites that printed them.
    pub lineage: Option<RenderedLineage>,
}

#[derive(Debug, Clone, Default)]
pub struct RenderedLineage {
    pub printed: Vec<Printed>,
    pub sites: Vec<lineage::Site>,
}

pub struct RenderInput<'a> {
    pub project_root: &'a Path,
    pub content_dir: &'a Path,
    pub report_path: &'a Path,
    pub report_text: Arc<str>,
    /// The report with its front matter blanked (same offsets as the file).
    pub body: &'a str,
    pub front: &'a Map<String, serde_json::Value>,
    pub data: Arc<DataSet>,
    pub fuel: u64,
    /// Largest rendered Markdown, in MiB (`[limits] output_mb`).
    pub max_output_mb: u64,
    /// Data sets the templates read (for incremental builds).
    pub reads: &'a Reads,
    /// Trace which cells each printed value was made from.
    pub lineage: bool,
    /// A family member's row in its `each:` data set (`ReportSource::row`).
    pub family_row: Option<usize>,
}

/// Stems of the data sets a report's templates read; `*` when a template
/// went through all of `data`.
pub use crate::input::reads::Reads;

const OUTPUT_TOO_LARGE: &str = "the template prints more than the output limit ([limits] output_mb in folio.toml)";

const MAIN: &str = "\u{0}report";

/// The formatter of folio's HTML templates: minijinja's HTML escaping, with
/// the control characters HTML and XML forbid (U+0001 in a data cell)
/// replaced by U+FFFD first.
pub fn html_formatter(out: &mut minijinja::Output<'_>, state: &mut minijinja::State<'_, '_>, value: &Value) -> std::result::Result<(), minijinja::Error> {
    match value.as_str() {
        Some(s) if !value.is_safe() && s.chars().any(forbidden_in_html) => {
            let clean: String = s.chars().map(|c| if forbidden_in_html(c) { '\u{FFFD}' } else { c }).collect();
            minijinja::escape_formatter(out, state, &Value::from(clean))
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

fn forbidden_in_html(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Where a template prints: past `cap` bytes, writing fails (and the render
/// with it) before more is held.
struct Bounded {
    bytes: Vec<u8>,
    cap: usize,
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.cap {
            return Err(std::io::Error::other(OUTPUT_TOO_LARGE));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The formatter: each printed value leaves a marker and is kept (escaped
/// later for where it lands), bounded in total size, spelled as the data
/// wrote it.
fn print_through_markers(
    env: &mut Environment<'_>,
    printed: Arc<Mutex<(Vec<Printed>, usize)>>,
    formula_errors: Arc<Mutex<std::collections::BTreeSet<String>>>,
    spellings: Arc<Mutex<Spellings>>,
    max_output: usize,
    trace: Option<Arc<lineage::Trace>>,
) {
    env.set_formatter(move |out, state, value| {
        let traced = trace.as_ref().and_then(|t| t.take_pending());
        if value.is_safe() || !matches!(state.auto_escape(), AutoEscape::Custom(name) if name == "markdown") {
            return minijinja::escape_formatter(out, state, value);
        }
        if value.is_none() {
            return Ok(());
        }
        if let Some(u) = value.downcast_object_ref::<Unsaved>() {
            return Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                format!("this prints {}, a formula with no value saved (`{}`)", u.cell, u.formula),
            ));
        }
        let mut printed = printed.lock().expect("printed lock");
        let (values, size) = &mut *printed;
        // Bound what a template prints before it is all in memory.
        if *size > max_output {
            return Err(minijinja::Error::new(ErrorKind::InvalidOperation, OUTPUT_TOO_LARGE));
        }
        let plain_scalar = matches!(value.kind(), minijinja::value::ValueKind::Number | minijinja::value::ValueKind::Bool);
        out.write_str(&crate::template::printed::marker(values.len())).map_err(minijinja::Error::from)?;
        let written = match f64::try_from(value.clone()) {
            Ok(x) if value.kind() == minijinja::value::ValueKind::Number && !value.is_integer() => {
                spellings.lock().expect("spellings lock").written(x).map(str::to_string)
            }
            _ => None,
        };
        let text = match value.kind() {
            minijinja::value::ValueKind::Bool => spellings.lock().expect("spellings lock").flag(value.is_true()).to_string(),
            _ => written.unwrap_or_else(|| value.to_string()),
        };
        if crate::input::workbook::is_error_code(&text) {
            formula_errors.lock().expect("errors lock").insert(text.clone());
        }
        *size += text.len();
        values.push(Printed { text, plain_scalar, traced });
        Ok(())
    });
}

pub fn render(input: RenderInput<'_>) -> Result<Rendered> {
    if !input.lineage {
        return render_traced(&input, None);
    }
    // An error in the rewritten templates is reported by the templates as
    // written; were they to render where the rewritten ones did not, the
    // report is built without lineage and says so.
    let trace = Arc::new(lineage::Trace::default());
    match render_traced(&input, Some(trace)) {
        Ok(r) => Ok(r),
        Err(_) => {
            let mut r = render_traced(&input, None)?;
            r.warnings.push(
                Diagnostic::warning(format!("{}: lineage could not follow its templates; it is built without lineage", crate::core::diag::display_path(input.report_path)))
                    .hint("please report this template to folio's maintainers"),
            );
            Ok(r)
        }
    }
}

fn render_traced(input: &RenderInput<'_>, trace: Option<Arc<lineage::Trace>>) -> Result<Rendered> {
    let input = RenderInput { report_text: input.report_text.clone(), data: input.data.clone(), ..*input };
    let sources: Arc<Mutex<Vec<(PathBuf, Arc<str>)>>> =
        Arc::new(Mutex::new(vec![(input.report_path.to_path_buf(), input.report_text.clone())]));
    let load_errors: Arc<Mutex<Option<Diagnostic>>> = Arc::default();

    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(input.fuel));
    // `{{ references }}`: Pandoc's marker, where the cited works are listed.
    env.add_global("references", Value::from_safe_string("\n<div id=\"refs\"></div>\n".into()));
    // Block tags on lines of their own leave no blank lines behind. Template
    // comments are `{## … ##}`, since `{#label}` is folio's label syntax.
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .comment_delimiters("{##", "##}")
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("default delimiters are valid"),
    );
    env.set_auto_escape_callback(|_| AutoEscape::Custom("markdown".into()));
    // Printed values are escaped once the text is whole, for the place each
    // one lands in (crate::template::printed): here each leaves a marker.
    // The values so far, and their total size in bytes.
    let printed: Arc<Mutex<(Vec<Printed>, usize)>> = Arc::default();
    let max_output = (input.max_output_mb as usize).saturating_mul(1024 * 1024);
    // Formula errors (`#DIV/0!`) a template prints from a workbook.
    let formula_errors: Arc<Mutex<std::collections::BTreeSet<String>>> = Arc::default();
    // How the data this report reads wrote its decimals (input::spellings):
    // a plain `{{ r.price }}` prints `1.50` as written. A family member's
    // `row` is a row of its `each:` data set.
    let spellings: Arc<Mutex<Spellings>> = Arc::default();
    if let Some(stem) = input.front.get("each").and_then(|e| e.as_str()) {
        if let Some(s) = input.data.spellings(stem.trim_start_matches("data.")) {
            spellings.lock().expect("spellings lock").merge(&s);
        }
    }
    print_through_markers(&mut env, printed.clone(), formula_errors.clone(), spellings.clone(), max_output, trace.clone());
    crate::template::filters::register(&mut env);
    if let Some(t) = &trace {
        t.register(&mut env);
    }
    {
        let root = input.project_root.to_path_buf();
        let content = input.content_dir.to_path_buf();
        let sources = sources.clone();
        let load_errors_in_loader = load_errors.clone();
        let trace = trace.clone();
        env.set_loader(move |name| {
            let path = resolve_inside(&root, &content, name)
                .map_err(|e| minijinja::Error::new(ErrorKind::InvalidOperation, e))?;
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let shared: Arc<str> = text.as_str().into();
                    if let Err(r) = check_comments(&text) {
                        let d = comment_error(&path, &shared, r);
                        load_errors_in_loader.lock().expect("errors lock").get_or_insert(d);
                        return Err(minijinja::Error::new(ErrorKind::InvalidOperation, "Jinja comment"));
                    }
                    let text = match &trace {
                        Some(t) => lineage::rewrite(&text, &path, &t.sites),
                        None => text,
                    };
                    sources.lock().expect("sources lock").push((path, shared));
                    Ok(Some(text))
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(minijinja::Error::new(ErrorKind::InvalidOperation, format!("cannot read `{name}`: {e}"))),
            }
        });
    }
    check_comments(input.body).map_err(|r| comment_error(input.report_path, &input.report_text, r))?;
    let no_keys = |_: &str| None;
    let body = match &trace {
        Some(t) => lineage::rewrite(input.body, input.report_path, &t.sites),
        None => input.body.to_string(),
    };
    env.add_template_owned(MAIN, body).map_err(|e| template_error(&e, &input, &sources, &no_keys))?;

    let mut data = DataObject::new(input.data.clone(), load_errors.clone(), input.reads.clone(), input.front.clone()).spelled(spellings);
    data.trace = trace.clone();
    let data = Value::from_object(data);
    let ctx = match &trace {
        Some(t) => traced_root(&input, data, t),
        None => {
            let mut ctx = Map::new();
            for (k, v) in input.front {
                ctx.insert(k.clone(), v.clone());
            }
            let ctx = to_value(&ctx);
            minijinja::context! { meta => to_value(input.front), data => data, ..ctx }
        }
    };

    let tmpl = env.get_template(MAIN).map_err(|e| template_error(&e, &input, &sources, &no_keys))?;
    // For a missing attribute: the keys of the record an expression names.
    let keys_of = |expr: &str| -> Option<Vec<String>> {
        let v = env.compile_expression(expr).ok()?.eval(ctx.clone()).ok()?;
        (v.kind() == minijinja::value::ValueKind::Map).then(|| v.try_iter().ok().map(|it| it.map(|k| k.to_string()).collect()))?
    };
    // Bounded as it grows: literal text a loop repeats counts as it is written.
    let mut sink = Bounded { bytes: Vec::new(), cap: input.body.len() + max_output };
    let rendered = tmpl.render_captured_to(ctx.clone(), &mut sink).map(drop);
    let rendered = rendered.map(|()| String::from_utf8(std::mem::take(&mut sink.bytes)).expect("templates print UTF-8"));
    let too_large = || -> crate::core::diag::Failure {
        Diagnostic::error(format!("{} renders to more than {} MiB of Markdown", crate::core::diag::display_path(input.report_path), input.max_output_mb))
            .hint("a loop prints far more than a report holds; check its bounds, or raise [limits] output_mb in folio.toml")
            .into()
    };
    match rendered {
        // What templates add beyond the file's own text is bounded.
        Err(e) if e.kind() == ErrorKind::WriteFailure => Err(too_large()),
        Ok(markdown) if markdown.len() > input.body.len() + max_output => Err(too_large()),
        Ok(markdown) => {
            let (values, _) = std::mem::take(&mut *printed.lock().expect("printed lock"));
            let markdown = crate::template::printed::expand(&markdown, &values, trace.is_some()).map_err(|p| {
                let start = crate::core::diag::line_start(&markdown, p.line);
                let end = markdown[start..].find('\n').map_or(markdown.len(), |i| start + i);
                let text: Arc<str> = format!("{}{}{}", &markdown[..start], p.shown, &markdown[end..]).into();
                let end = start + p.shown.len();
                Diagnostic::error(format!("the printed value `{}` would change the chart's YAML", p.value))
                    .at(Location::new(input.report_path, text, start..end))
                    .hint("this is the rendered line; put the whole value in quotes in the chart block, e.g. caption: \"收入 {{ x }}\"")
            })?;
            let sources = sources.lock().expect("sources lock").clone();
            let warnings = formula_errors
                .lock()
                .expect("errors lock")
                .iter()
                .filter_map(|code| {
                    let cells = input.data.formula_error_cells(code);
                    (!cells.is_empty()).then(|| {
                        Diagnostic::warning(format!("{} prints the formula error `{code}` cached in {}", crate::core::diag::display_path(input.report_path), cells.join("; ")))
                            .hint("fix the formula in the workbook and save it there, or print another cell")
                    })
                })
                .collect();
            let lineage = trace.map(|t| RenderedLineage { printed: values, sites: std::mem::take(&mut *t.sites.lock().expect("sites lock")) });
            Ok(Rendered { markdown, sources, warnings, lineage })
        }
        Err(e) => {
            if let Some(d) = load_errors.lock().expect("errors lock").take() {
                return Err(d.into());
            }
            Err(template_error(&e, &input, &sources, &keys_of).into())
        }
    }
}

/// The context of a traced render: front-matter keys note their reads, and
/// a family member's `row` is its row of the `each:` data set.
fn traced_root(input: &RenderInput<'_>, data: Value, t: &Arc<lineage::Trace>) -> Value {
    let mut fixed = vec![("data", data), ("meta", t.wrap(to_value(input.front), lineage::Origin::Front { key: String::new() }))];
    let each = input.front.get("each").and_then(|v| v.as_str()).map(|s| s.trim_start_matches("data."));
    if let (Some(stem), Some(row)) = (each, input.front.get("row")) {
        let at = lineage::Origin::Cell { stem: stem.into(), sheet: None, row: input.family_row, key: String::new() };
        fixed.push(("row", t.wrap(to_value(row), at)));
    }
    Value::from_object(lineage::Root { fixed, front: to_value(input.front), trace: t.clone() })
}

/// Front-matter strings may use templates too (`summary: 共 {{ data.facts.n }} 家`),
/// so numbers in the cover live once in the data. They print as plain text.
pub fn render_front(
    front: &Map<String, serde_json::Value>,
    data: Arc<DataSet>,
    report_path: &Path,
    report_text: &Arc<str>,
    fuel: u64,
    reads: &Reads,
) -> Result<Map<String, serde_json::Value>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(fuel));
    crate::template::filters::register(&mut env);
    let errors: Arc<Mutex<Option<Diagnostic>>> = Arc::default();
    // A family member's `row` is there too: `title: "{{ row.name }}"`.
    let ctx = minijinja::context! {
        data => Value::from_object(DataObject::new(data, errors.clone(), reads.clone(), front.clone())),
        meta => to_value(front),
        row => front.get("row").map(to_value),
    };
    let keys_of = |expr: &str| -> Option<Vec<String>> {
        let v = env.compile_expression(expr).ok()?.eval(ctx.clone()).ok()?;
        (v.kind() == minijinja::value::ValueKind::Map).then(|| v.try_iter().ok().map(|it| it.map(|k| k.to_string()).collect()))?
    };
    let mut out = front.clone();
    for v in out.values_mut() {
        render_value(v, &env, &ctx).map_err(|(e, text)| {
            if let Some(d) = errors.lock().expect("errors lock").take() {
                return d;
            }
            // The value's text in the front matter as written.
            let end = report_text.find("\n---").unwrap_or(report_text.len());
            let at = report_text[..end].find(text.as_str()).unwrap_or(0);
            // A misspelled column or key, as in the body: the keys and a did-you-mean.
            let undefined = e.kind() == ErrorKind::UndefinedError;
            if let (true, Some(r)) = (undefined, e.range()) {
                if let Some(m) = missing::find(&text, r.start, &keys_of) {
                    let range = at + m.range.start..at + m.range.end;
                    let mut d = Diagnostic::error(format!("`{}` has no `{}`", m.owner, m.name)).at(Location::new(report_path, report_text.clone(), range)).hint(format!("`{}` has: {}", m.owner, m.keys.join(", ")));
                    if let Some(near) = crate::core::text::closest(&m.name, m.keys.iter().map(String::as_str)) {
                        d = d.hint(format!("did you mean `{near}`?"));
                    }
                    return d;
                }
            }
            let range = e.range().map_or(at..at + text.len(), |r| at + r.start..at + r.end);
            Diagnostic::error(format!("template error in front matter: {}", e.detail().unwrap_or(&e.kind().to_string())))
                .at(Location::new(report_path, report_text.clone(), range))
        })?;
    }
    Ok(out)
}

fn render_value(v: &mut serde_json::Value, env: &Environment<'_>, ctx: &Value) -> Result<(), (minijinja::Error, String)> {
    match v {
        serde_json::Value::String(s) if s.contains("{{") || s.contains("{%") => {
            *s = env.render_str(s, ctx.clone()).map_err(|e| (e, s.clone()))?;
        }
        serde_json::Value::Array(items) => {
            for it in items {
                render_value(it, env, ctx)?;
            }
        }
        serde_json::Value::Object(m) => {
            for it in m.values_mut() {
                render_value(it, env, ctx)?;
            }
        }
        _ => {}
    }
    Ok(())
}

pub fn to_value<T: serde::Serialize>(v: T) -> Value {
    Value::from(minijinja::value::Serde(v))
}

pub use crate::template::printed::escape_markdown;

/// Block tags that need an `{% end… %}`.
const BLOCKS: [&str; 7] = ["for", "if", "macro", "block", "filter", "call", "with"];

/// `for` from `{% for x in y %}`.
fn block_name(tag: &str) -> &str {
    tag.trim_start_matches("{%").trim_start_matches('-').split_whitespace().next().unwrap_or("")
}

/// The innermost block tag opened and never closed in `text`, by byte range.
fn unclosed_block(text: &str) -> Option<std::ops::Range<usize>> {
    let mut open: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{%").map(|i| from + i) {
        let end = text[i..].find("%}").map_or(text.len(), |e| i + e + 2);
        from = end.max(i + 2);
        let name = block_name(&text[i..end]).to_string();
        if let Some(closed) = name.strip_prefix("end") {
            if let Some(k) = open.iter().rposition(|(_, n)| n == closed) {
                open.truncate(k);
            }
        } else if BLOCKS.contains(&name.as_str()) {
            open.push((i..end, name));
        }
    }
    open.pop().map(|(r, _)| r)
}

/// `{# … #}` is a comment in Jinja but folio reads `{#…}` as a label:
/// such a comment would print into the report. The byte range of the first.
fn check_comments(text: &str) -> std::result::Result<(), std::ops::Range<usize>> {
    let mut raw = false;
    let mut from = 0;
    while let Some(i) = text[from..].find(['{']).map(|i| from + i) {
        from = i + 1;
        let rest = &text[i..];
        if rest.starts_with("{% raw") || rest.starts_with("{%- raw") {
            raw = true;
        } else if rest.starts_with("{% endraw") || rest.starts_with("{%- endraw") {
            raw = false;
        }
        if raw || !rest.starts_with("{#") || rest.starts_with("{##") {
            continue;
        }
        let inner = &rest[2..];
        let close = inner.find('}');
        let label = close.map(|c| &inner[..c]);
        let is_label = label.is_some_and(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.')));
        let looks_like_comment = inner.starts_with(char::is_whitespace) || label.is_some_and(|l| l.ends_with('#'));
        if !is_label && looks_like_comment {
            let end = inner.find("#}").map_or(i + 2, |e| i + 2 + e + 2);
            return Err(i..end);
        }
    }
    Ok(())
}

fn comment_error(path: &Path, text: &Arc<str>, range: std::ops::Range<usize>) -> Diagnostic {
    Diagnostic::error("`{# … #}` is not a comment in folio: it would print into the report")
        .at(Location::new(path, text.clone(), range))
        .hint("write template comments as {## … ##}; `{#name}` is folio's label syntax (e.g. `{#sec:intro}`)")
}

fn template_error(
    outer: &minijinja::Error,
    input: &RenderInput<'_>,
    sources: &Arc<Mutex<Vec<(PathBuf, Arc<str>)>>>,
    keys_of: &dyn Fn(&str) -> Option<Vec<String>>,
) -> Diagnostic {
    // An error inside an included file arrives wrapped: report the innermost.
    let mut e = outer;
    while let Some(inner) = std::error::Error::source(e).and_then(|s| s.downcast_ref::<minijinja::Error>()) {
        e = inner;
    }
    let mut message = match e.kind() {
        ErrorKind::UndefinedError => "undefined value".to_string(),
        ErrorKind::TemplateNotFound => "included file not found".to_string(),
        ErrorKind::OutOfFuel => "template ran too long (loop limit reached)".to_string(),
        ErrorKind::SyntaxError => "template syntax error".to_string(),
        _ => format!("template error: {}", e.kind()),
    };
    if let Some(detail) = e.detail() {
        message = format!("{message}: {detail}");
    }
    let name = e.name();
    let located = match name {
        None | Some(MAIN) => Some((input.report_path.to_path_buf(), input.report_text.clone())),
        Some(n) => {
            let target = input.content_dir.join(n);
            sources.lock().expect("sources lock").iter().find(|(p, _)| *p == target).cloned()
        }
    };
    if let (ErrorKind::UnknownFilter, Some(r), Some((_, text))) = (e.kind(), e.range(), &located) {
        message = format!("unknown filter `{}`", text.get(r).unwrap_or("?"));
    }
    let mut d = Diagnostic::error(message);
    let located_text = located.clone();
    if let Some((path, text)) = located {
        let loc = match (e.range(), e.line()) {
            (Some(r), _) => Some(Location::new(path, text, r)),
            (None, Some(line)) => {
                let start = crate::core::diag::line_start(&text, line);
                let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                Some(Location::new(path, text, start..end))
            }
            _ => None,
        };
        if let Some(loc) = loc {
            d = d.at(loc);
        }
    }
    // A misspelled column: point at it, list the record's keys, suggest one.
    let undefined = e.kind() == ErrorKind::UndefinedError || e.detail().is_some_and(|m| m.contains("got undefined"));
    if let (true, Some((path, text)), Some(r)) = (undefined, located_text.as_ref(), e.range()) {
        if let Some(m) = missing::find(text, r.start, keys_of) {
            d.message = format!("`{}` has no `{}`", m.owner, m.name);
            d.location = Some(Location::new(path.clone(), text.clone(), m.range.clone()));
            d = d.hint(format!("`{}` has: {}", m.owner, m.keys.join(", ")));
            if let Some(near) = crate::core::text::closest(&m.name, m.keys.iter().map(String::as_str)) {
                d = d.hint(format!("did you mean `{near}`?"));
            }
            return d;
        }
    }
    // A number filter given text or an empty cell: name that cell, found by
    // what the expression reads (template::origin), never by its text alone.
    let detail = e.detail().unwrap_or("");
    let bad = match detail.split("got string `").nth(1).and_then(|r| r.split('`').next()) {
        Some(text) => Some(text.to_string()),
        None => detail.contains("got none").then(String::new),
    };
    if let (Some(value), Some((_, text)), Some(r)) = (bad, located_text.as_ref(), e.range()) {
        if let Some(cell) = value_cell(input, text, r.start, &value) {
            d = d.hint(if value.is_empty() { format!("the empty cell is {cell}") } else { format!("`{value}` comes from {cell}") });
            if value.contains(',') && cell.contains(".csv") {
                d = d.hint("if the file writes decimal commas, say so in folio.toml: [numbers.file.<stem>] decimal = \",\" (README, \"Data\")");
            }
        }
    }
    d = match e.kind() {
        ErrorKind::UndefinedError => {
            let stems: Vec<&str> = input.data.stems().collect();
            let data = if stems.is_empty() { "none".to_string() } else { stems.join(", ") };
            let keys: Vec<&str> = input.front.keys().map(String::as_str).collect();
            d.hint(format!("data files available as data.<name>: {data}"))
                .hint(format!("front matter keys (also under meta.): {}", keys.join(", ")))
        }
        ErrorKind::TemplateNotFound => d.hint("include paths are relative to content/, e.g. {% include \"chapters/intro.md\" %}"),
        ErrorKind::OutOfFuel => d.hint("a loop runs too many times; check its bounds"),
        ErrorKind::UnknownFilter => d.hint(
            "folio's filters: num, fixed, signed, pct, signed_pct, currency, cn_unit, date, markdown; \
             minijinja's built-ins (length, sort, join, round, …) work too",
        ),
        ErrorKind::SyntaxError if e.detail().is_some_and(|m| m.contains("end of input")) => {
            // Point at the block that is still open, not at the end of the file.
            let open = located_text.as_ref().and_then(|(path, text)| unclosed_block(text).map(|r| (path.clone(), text.clone(), r)));
            let d = match open {
                Some((path, text, range)) => {
                    let tag = text[range.clone()].to_string();
                    let mut d = d.hint(format!("`{tag}` is not closed: add its {{% end{} %}}", block_name(&tag)));
                    d.location = Some(Location::new(path, text, range));
                    d
                }
                None => d.hint("a block ({% for %}, {% if %}, …) is not closed: add its {% endfor %} / {% endif %}"),
            };
            d
        }
        _ => d,
    };
    d
}

/// The cell the expression at byte `at` of `text` printed, holding `value`.
fn value_cell(input: &RenderInput<'_>, text: &str, at: usize, value: &str) -> Option<String> {
    let each = input.front.get("each").and_then(|v| v.as_str());
    let access = origin::access_at(text, at, each)?;
    // A family member's `row` is its own row of the `each:` data set.
    let own = each.is_some_and(|e| e.trim_start_matches("data.") == access.stem);
    let row = access.row.or(input.family_row.filter(|_| own));
    input.data.cell_of(&access.stem, access.sheet.as_deref(), row, &access.column, value)
}

/// `data.<stem>`: loads the file on first access.
#[derive(Debug)]
struct DataObject {
    set: Arc<DataSet>,
    /// Where the spellings of the files read go, for the formatter.
    spellings: Option<Arc<Mutex<Spellings>>>,
    errors: Arc<Mutex<Option<Diagnostic>>>,
    /// Each file as a template value, converted on first use: a report
    /// reads `data.facts` many times over.
    converted: Mutex<std::collections::HashMap<String, Value>>,
    reads: Reads,
    /// The report's front matter (its family row included): the parameters of queries.
    params: Map<String, serde_json::Value>,
    /// With `--lineage`: values note the cells read.
    trace: Option<Arc<lineage::Trace>>,
}

impl DataObject {
    fn new(set: Arc<DataSet>, errors: Arc<Mutex<Option<Diagnostic>>>, reads: Reads, params: Map<String, serde_json::Value>) -> Self {
        DataObject { set, spellings: None, errors, converted: Default::default(), reads, params, trace: None }
    }

    fn spelled(mut self, spellings: Arc<Mutex<Spellings>>) -> Self {
        self.spellings = Some(spellings);
        self
    }
}

impl Object for DataObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let stem = key.as_str()?;
        // A workbook's sheets are read one by one (see `Sheets`).
        let book = self.set.is_workbook(stem);
        if !book {
            self.reads.stem(stem);
        }
        let sheets = |v: Value| match (book, &self.trace) {
            (true, _) => Value::from_object(Sheets {
                stem: stem.to_string(),
                sheets: v,
                reads: self.reads.clone(),
                trace: self.trace.clone(),
                set: self.set.clone(),
                errors: self.errors.clone(),
            }),
            (false, Some(t)) => t.wrap(v, lineage::Origin::Cell { stem: stem.into(), sheet: None, row: None, key: String::new() }),
            (false, None) => v,
        };
        if let Some(v) = self.converted.lock().expect("data lock").get(stem) {
            return Some(sheets(v.clone()));
        }
        match self.set.get_with(stem, &self.params)? {
            Ok(v) => {
                let v = if book { mark_book_unsaved(to_value(&*v), &self.set, stem) } else { to_value(&*v) };
                if let (Some(to), Some(s)) = (&self.spellings, self.set.spellings(stem)) {
                    to.lock().expect("spellings lock").merge(&s);
                }
                self.converted.lock().expect("data lock").insert(stem.to_string(), v.clone());
                Some(sheets(v))
            }
            Err(d) => {
                // minijinja cannot carry our diagnostic; keep it for the caller.
                self.errors.lock().expect("errors lock").get_or_insert(d);
                None
            }
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.reads.every_stem();
        Enumerator::Values(self.set.stems().map(Value::from).collect())
    }
}

/// `data.<book>` of a workbook: records which sheet a report reads
/// (`data.model.Quarterly` is `model.Quarterly`), so that a family whose
/// rows are one sheet and whose members read another is rebuilt one member
/// per edited row. Going over the sheets themselves reads the whole book.
#[derive(Debug)]
struct Sheets {
    stem: String,
    sheets: Value,
    reads: Reads,
    trace: Option<Arc<lineage::Trace>>,
    set: Arc<DataSet>,
    errors: Arc<Mutex<Option<Diagnostic>>>,
}

impl Object for Sheets {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let v = self.sheets.get_item(key).ok().filter(|v| !v.is_undefined());
        // `data.<stem>.shown`, unless a sheet is named so.
        if v.is_none() && key.as_str() == Some("shown") {
            return Some(Value::from_object(Shown(self.clone())));
        }
        self.reads.stem(&format!("{}.{}", self.stem, key.as_str()?));
        let v = v?;
        Some(match &self.trace {
            Some(t) => t.wrap(v, lineage::Origin::Cell { stem: self.stem.as_str().into(), sheet: key.as_str().map(Into::into), row: None, key: String::new() }),
            None => v,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.reads.stem(&self.stem);
        match self.sheets.try_iter() {
            Ok(keys) => Enumerator::Values(keys.collect()),
            Err(_) => Enumerator::Empty,
        }
    }
}

/// A workbook cell holding a formula with no value saved (openpyxl and
/// other writers that do not compute): empty and false to a test, but a
/// template that prints it fails there, naming the cell, never a blank.
#[derive(Debug)]
pub struct Unsaved {
    /// `content/data/model.xlsx, cell Model!C7`
    pub cell: String,
    pub formula: String,
}

impl Object for Unsaved {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn is_true(self: &Arc<Self>) -> bool {
        false
    }

    fn render(self: &Arc<Self>, _f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Ok(())
    }
}

/// A workbook's sheets (`rows` included) with each unsaved formula cell
/// as an `Unsaved`: done once, when a report first reads the workbook.
fn mark_book_unsaved(book: Value, set: &DataSet, stem: &str) -> Value {
    let Ok(names) = book.try_iter() else { return book };
    let sheets: Vec<(Value, Vec<(crate::input::workbook::Unsaved, String)>)> = names
        .map(|name| {
            let unsaved = name.as_str().map(|n| set.workbook_unsaved(stem, n)).unwrap_or_default();
            (name, unsaved)
        })
        .collect();
    if sheets.iter().all(|(_, u)| u.is_empty()) {
        return book;
    }
    Value::from_object(Record(
        sheets
            .into_iter()
            .map(|(name, unsaved)| {
                let sheet = book.get_item(&name).unwrap_or_default();
                (name, mark_unsaved(sheet, unsaved))
            })
            .collect(),
    ))
}

/// A sheet's records with each unsaved formula cell as an `Unsaved`.
fn mark_unsaved(sheet: Value, unsaved: Vec<(crate::input::workbook::Unsaved, String)>) -> Value {
    if unsaved.is_empty() {
        return sheet;
    }
    let Ok(rows) = sheet.try_iter() else { return sheet };
    Value::from_iter(rows.enumerate().map(|(i, row)| {
        let here: Vec<&(crate::input::workbook::Unsaved, String)> = unsaved.iter().filter(|(u, _)| u.record == i).collect();
        if here.is_empty() {
            return row;
        }
        let Ok(keys) = row.try_iter() else { return row };
        Value::from_object(Record(
            keys.map(|k| {
                let cell = here.iter().find(|(u, _)| k.as_str() == Some(u.key.as_str()));
                let v = match cell {
                    Some((u, path)) => Value::from_object(Unsaved { cell: format!("{path}, cell {}", u.cell), formula: u.formula.clone() }),
                    None => row.get_item(&k).unwrap_or_default(),
                };
                (k, v)
            })
            .collect(),
        ))
    }))
}

/// A map rebuilt with its keys in their order (a record, a workbook).
#[derive(Debug)]
struct Record(Vec<(Value, Value)>);

impl Object for Record {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.0.iter().map(|(k, _)| k.clone()).collect())
    }
}

/// `data.<book>.shown`: each sheet's cells as the spreadsheet shows them,
/// read (and traced to their cells) like the sheet itself.
#[derive(Debug)]
struct Shown(Arc<Sheets>);

impl Object for Shown {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let book = &self.0;
        let sheet = key.as_str()?;
        book.reads.stem(&format!("{}.{sheet}", book.stem));
        match book.set.workbook_shown(&book.stem, sheet)? {
            Ok(records) => {
                // A formula with no value saved shows nothing: printing it fails, as for the values.
                let v = mark_unsaved(to_value(&records), book.set.workbook_unsaved(&book.stem, sheet));
                Some(match &book.trace {
                    Some(t) => t.wrap(v, lineage::Origin::Cell { stem: book.stem.as_str().into(), sheet: Some(sheet.into()), row: None, key: String::new() }),
                    None => v,
                })
            }
            Err(d) => {
                book.errors.lock().expect("errors lock").get_or_insert(d);
                None
            }
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.0.enumerate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str, data: &[(&str, &str)]) -> Result<String> {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("data")).unwrap();
        for (name, text) in data {
            std::fs::write(content.join("data").join(name), text).unwrap();
        }
        let set = Arc::new(DataSet::discover(&content.join("data"), &Default::default()).unwrap());
        let front = serde_json::json!({"title": "T"}).as_object().unwrap().clone();
        let path = content.join("r.md");
        render(RenderInput {
            project_root: dir.path(),
            content_dir: &content,
            report_path: &path,
            report_text: body.into(),
            body,
            front: &front,
            data: set,
            fuel: DEFAULT_FUEL,
            max_output_mb: 16,
            reads: &Reads::default(),
            lineage: false,
            family_row: None,
        })
        .map(|r| r.markdown)
    }

    #[test]
    fn data_is_escaped_for_markdown() {
        let out = run("{{ data.m[0].x }}", &[("m.csv", "x\n*bold* <b> [a](b)\n")]).unwrap();
        assert_eq!(out, r"\*bold\* \<b\> \[a\]\(b\)");
    }

    #[test]
    fn markdown_filter_opts_in() {
        let out = run("{{ data.m[0].x | markdown }}", &[("m.csv", "x\n*bold*\n")]).unwrap();
        assert_eq!(out, "*bold*");
    }

    #[test]
    fn undefined_is_an_error_with_location() {
        let err = run("line one\nsee {{ data.nope }}\n", &[("m.csv", "x\n1\n")]).unwrap_err();
        let d = &err.0[0];
        assert_eq!(d.message, "`data` has no `nope`");
        assert_eq!(d.location.as_ref().unwrap().line_col(), (2, 13));
        assert_eq!(d.hints[0], "`data` has: m");
    }

    #[test]
    fn bad_data_file_reports_its_own_location() {
        let err = run("{{ data.m }}", &[("m.json", "{\"a\": }")]).unwrap_err();
        let d = &err.0[0];
        assert!(d.message.starts_with("invalid JSON"), "{}", d.message);
        assert!(d.location.as_ref().unwrap().path.ends_with("m.json"));
    }

    #[test]
    fn runaway_loop_is_stopped() {
        let err = run("{% for i in range(1000000000) %}x{% endfor %}", &[]).unwrap_err();
        assert!(err.0[0].message.contains("too long") || err.0[0].message.contains("range"), "{}", err.0[0].message);
    }
}
