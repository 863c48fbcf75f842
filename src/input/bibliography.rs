//! A report's bibliography (`bibliography:`: BibTeX/BibLaTeX or hayagriva
//! YAML) and citation style (`csl:`: a built-in style's name or a `.csl`
//! file), read inside the project through no link; front matter wins over
//! folio.toml. The model's citation pass (`model::cite`) uses both.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use hayagriva::citationberg::{IndependentStyle, Style};
use hayagriva::Library;

use crate::core::diag::{display_path, Diagnostic, Location};
use crate::core::paths::{read_regular, resolve_inside};

/// Largest bibliography or style file read, in bytes.
const MAX_BYTES: u64 = 16 << 20;

/// What a report cites from, and in which style.
#[derive(Clone)]
pub struct Sources {
    pub library: Arc<Library>,
    pub style: Arc<IndependentStyle>,
    /// The bibliography file, for diagnostics and the dependency recorder.
    pub path: PathBuf,
}

/// Where a setting was written: a report's front matter key, or folio.toml.
pub struct Setting<'a> {
    pub value: &'a str,
    /// Paths are relative to this folder (the report's, or content/).
    pub base: &'a Path,
    pub at: Location,
}

/// The style folio uses when none is named: GB/T 7714 (numeric) for
/// Chinese reports, Chicago author-date for English ones.
pub fn default_style(zh: bool) -> &'static str {
    if zh { "gb-7714-2015-numeric" } else { "chicago-author-date" }
}

pub fn load(root: &Path, bib: &Setting<'_>, csl: &Setting<'_>) -> Result<Sources, Diagnostic> {
    let (path, text) = read_text(root, bib, "bibliography")?;
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let library = match ext.as_deref() {
        Some("bib" | "biblatex" | "bibtex") => hayagriva::io::from_biblatex_str(&text).map_err(|errors| {
            let (span, why) = match errors.into_iter().next() {
                Some(hayagriva::io::BibLaTeXError::Parse(e)) => (e.span, e.kind.to_string()),
                Some(hayagriva::io::BibLaTeXError::Type(e)) => (e.span, e.kind.to_string()),
                None => (0..0, "unreadable".to_string()),
            };
            Diagnostic::error(format!("the bibliography cannot be read: {why}"))
                .at(Location::new(&path, text.as_str().into(), span))
                .hint("fix the entry there; each entry is @type{key, field = {value}, …}")
        })?,
        Some("yaml" | "yml") => hayagriva::io::from_yaml_str(&text).map_err(|e| {
            let d = Diagnostic::error(format!("the bibliography cannot be read: {e}"));
            match e.location() {
                Some(l) => d.at(Location::at_line_col(&path, text.as_str().into(), l.line(), l.column())),
                None => d.at(Location::new(&path, text.as_str().into(), 0..0)),
            }
            .hint("see hayagriva's YAML format: https://github.com/typst/hayagriva/blob/main/docs/file-format.md")
        })?,
        _ => {
            return Err(Diagnostic::error(format!("`bibliography: {}` is neither BibTeX (.bib) nor hayagriva YAML (.yaml)", bib.value))
                .at(bib.at.clone())
                .hint("name a .bib or .yaml file"))
        }
    };
    let style = style(root, csl)?;
    Ok(Sources { library: Arc::new(library), style: Arc::new(style), path })
}

fn read_text(root: &Path, s: &Setting<'_>, key: &str) -> Result<(PathBuf, String), Diagnostic> {
    let at = |d: Diagnostic| d.at(s.at.clone());
    let path = resolve_inside(root, s.base, s.value).map_err(|e| at(Diagnostic::error(format!("`{key}: {}`: {e}", s.value))))?;
    let bytes = read_regular(root, &path, MAX_BYTES).map_err(|why| {
        let d = why.diagnostic(&path);
        at(Diagnostic { message: format!("`{key}: {}`: {}", s.value, d.message), ..d })
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| at(Diagnostic::error(format!("{} is not UTF-8 text", display_path(&path))).hint("save it as UTF-8")))?;
    Ok((path, text))
}

/// A built-in style by name, or a `.csl` file in the project.
fn style(root: &Path, csl: &Setting<'_>) -> Result<IndependentStyle, Diagnostic> {
    use hayagriva::archive::ArchivedStyle;
    let independent = |s: Style, at: &dyn Fn(Diagnostic) -> Diagnostic| match s {
        Style::Independent(s) => Ok(s),
        // A dependent style names its parent: folio has it if it is built in.
        Style::Dependent(d) => match ArchivedStyle::by_id(&d.parent_link.href).map(ArchivedStyle::get) {
            Some(Style::Independent(s)) => Ok(s),
            _ => Err(at(Diagnostic::error(format!("this style depends on `{}`, which folio does not have", d.parent_link.href))
                .hint("use the parent style's .csl file instead"))),
        },
    };
    if !csl.value.ends_with(".csl") {
        let at = |d: Diagnostic| d.at(csl.at.clone());
        return match ArchivedStyle::by_name(csl.value) {
            Some(s) => independent(s.get(), &at),
            None => {
                let names: Vec<&str> = ArchivedStyle::all().iter().flat_map(|s| s.names().iter().copied()).collect();
                let mut d = Diagnostic::error(format!("`csl: {}` is no style folio knows", csl.value));
                if let Some(near) = crate::core::text::closest(csl.value, names.iter().copied()) {
                    d = d.hint(format!("did you mean `{near}`?"));
                }
                Err(at(d.hint("name a built-in style (gb-7714-2015-numeric, apa, chicago-author-date, ieee, …) or a .csl file in the project")))
            }
        };
    }
    let (path, text) = read_text(root, csl, "csl")?;
    let at_file = |d: Diagnostic| d.at(Location::new(&path, text.as_str().into(), 0..0));
    let parsed = Style::from_xml(&text).map_err(|e| at_file(Diagnostic::error(format!("the style cannot be read: {e}")).hint("a .csl file is CSL 1.0 XML, as the Zotero style repository has them")))?;
    independent(parsed, &at_file)
}
