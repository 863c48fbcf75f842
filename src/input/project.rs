//! A project on disk: its folders, its reports and their front matter.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::core::diag::{display_path, Diagnostic, Location, Result};

/// Project-wide settings from the optional `folio.toml` at the project root.
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Pass raw HTML written in the Markdown through to the HTML output
    /// (it is escaped, and so shown as text, by default).
    pub raw_html: bool,
    pub limits: Limits,
    /// Where the table of a workbook's sheet lies: `[workbooks.<stem>]`
    /// `<sheet> = "B3:F20"` or a named range.
    pub workbooks: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// The database `.sql` data files query: a SQLite file (relative to
    /// `content/`) or `postgres://…`; FOLIO_DATABASE_URL wins.
    pub database: Option<String>,
    /// `folio build --site`: the site's name, language, address and logo.
    pub site: SiteConfig,
    /// `[numbers]`: how CSV files write decimals and thousands.
    pub numbers: NumbersConfig,
    /// Every report's paper (`a4`, `us-letter`, …; typst's names), unless
    /// its front matter says `paper:`; A4 when neither does.
    pub paper: Option<String>,
    /// Every report's bibliography (relative to `content/`) and citation
    /// style, unless its front matter says `bibliography:` / `csl:`.
    pub bibliography: Option<String>,
    pub csl: Option<String>,
    /// `[brand]`: the house's colours, logo, fonts and footer.
    pub brand: crate::input::brand::Brand,
}

/// `[numbers]` in folio.toml: the separators of every CSV data file
/// (`decimal = ","`, `thousands = "."`), and `[numbers.file.<stem>]` for one.
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct NumbersConfig {
    pub decimal: Option<String>,
    pub thousands: Option<String>,
    pub file: std::collections::BTreeMap<String, NumberSeparators>,
}

#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct NumberSeparators {
    pub decimal: Option<String>,
    pub thousands: Option<String>,
}

impl NumbersConfig {
    /// The style of `data.<stem>`, or what is wrong with the setting.
    pub fn style(&self, stem: &str) -> std::result::Result<crate::core::format::NumberStyle, String> {
        let own = self.file.get(stem);
        let decimal = own.and_then(|o| o.decimal.as_deref()).or(self.decimal.as_deref());
        let thousands = own.and_then(|o| o.thousands.as_deref()).or(self.thousands.as_deref());
        let section = if own.is_some() { format!("[numbers.file.{stem}]") } else { "[numbers]".to_string() };
        let decimal = match decimal {
            None | Some(".") => '.',
            Some(",") => ',',
            Some(other) => return Err(format!("{section} decimal = \"{other}\": a decimal separator is \".\" or \",\"")),
        };
        let thousands = match thousands {
            None => None,
            Some(t) if [",", ".", " ", "'", "\u{a0}", "\u{202f}"].contains(&t) && !t.starts_with(decimal) => t.chars().next(),
            Some(other) => return Err(format!("{section} thousands = \"{other}\": a thousands separator is one of , . ' or a space, and not the decimal separator")),
        };
        Ok(crate::core::format::NumberStyle { decimal, thousands, explicit: own.is_some() || self.decimal.is_some() || self.thousands.is_some() })
    }
}

/// `[site]` in folio.toml.
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Shown in the index's title and heading, and in each page's link back.
    pub name: Option<String>,
    /// `zh` or `en`: the index page's language (default: the first report's).
    pub lang: Option<String>,
    /// Where the site is published, e.g. `https://research.example.com/`:
    /// with it the site gets an Atom feed, a sitemap, canonical links and
    /// social-card metadata; without it every link stays relative.
    pub base_url: Option<String>,
    /// One line under the index's heading, and the feed's subtitle.
    pub description: Option<String>,
    /// Reports the index shows before "more".
    pub per_page: Option<usize>,
    /// An image (SVG, PNG, JPEG or WebP) in the project, shown beside the
    /// site's name on the index and every page, e.g. `img/logo.svg`.
    pub logo: Option<String>,
}

impl SiteConfig {
    /// The logo's file name in the site's `assets/`, if there is a logo.
    pub fn logo_asset(&self) -> Option<String> {
        let ext = Path::new(self.logo.as_deref()?).extension()?.to_str()?.to_ascii_lowercase();
        Some(format!("logo.{ext}"))
    }
}

/// Default fuel: bounds template loops so a runaway loop ends with an error.
pub const DEFAULT_FUEL: u64 = 50_000_000;

/// Bounds that keep a bad input from hanging a build or exhausting memory.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest data file read, in MiB.
    pub data_mb: u64,
    /// Most records in one data file.
    pub data_rows: usize,
    /// Template work budget (minijinja fuel); loops stop with an error past it.
    pub template_fuel: u64,
    /// Most values (cells, list items, record fields) in one data file.
    pub data_values: usize,
    /// Deepest nesting of lists and records in one data file.
    pub data_depth: usize,
    /// Most points one chart draws (rows times series).
    pub chart_points: usize,
    /// Longest text in one table cell, in characters.
    pub cell_chars: usize,
    /// Largest rendered Markdown of one report (templates included), in MiB.
    pub output_mb: u64,
    /// Longest a SQL query may run, in seconds.
    pub query_seconds: u64,
    /// Longest one report's build may run, in seconds (the watchdog's).
    pub report_seconds: u64,
    /// Most memory a build may hold, in MiB (the watchdog's).
    pub memory_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            data_mb: 32,
            data_rows: 100_000,
            template_fuel: DEFAULT_FUEL,
            data_values: 1_000_000,
            data_depth: 64,
            chart_points: 50_000,
            cell_chars: 5_000,
            output_mb: 16,
            query_seconds: 10,
            report_seconds: 30,
            memory_mb: 1792,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub templates_dir: PathBuf,
    pub fonts_dir: PathBuf,
    pub config: Config,
    pub reports: Vec<ReportSource>,
}

/// One `content/<name>.md`, split into front matter and body.
#[derive(Debug, Clone)]
pub struct ReportSource {
    pub name: String,
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Front matter as a generic value (with `--set` overrides applied).
    /// Shared by the members of a family until one is built (see `family`).
    pub front: Arc<Map<String, Value>>,
    /// The file with its front matter blanked out (newlines kept), so that
    /// byte offsets and lines of the body match the file.
    pub body: Arc<str>,
    /// A family member: its row in the `each:` data set (the row itself is
    /// `front.row`).
    pub row: Option<usize>,
}

impl Project {
    pub fn open(root: &Path) -> Result<Project> {
        Self::open_cached(root, &FrontMatterCache::default())
    }

    /// Like `open`, reusing front matter a session parsed before.
    pub fn open_cached(root: &Path, cache: &FrontMatterCache) -> Result<Project> {
        if !root.is_dir() {
            return Err(Diagnostic::error(format!("project folder {} does not exist", display_path(root)))
                .hint("pass the folder that holds `content/`, or run folio inside it")
                .into());
        }
        let content_dir = root.join("content");
        if !content_dir.is_dir() {
            return Err(Diagnostic::error(format!("{} has no `content/` folder", display_path(root)))
                .hint("a project keeps its reports in content/<name>.md; `folio new DIR` creates one")
                .into());
        }
        let mut config = load_config(root, &root.join("folio.toml"))?;
        config.brand.check()?;
        if let Some(logo) = &config.brand.logo {
            check_logo(root, logo, "brand")?;
        }
        // The brand's logo is the site's unless [site] names its own.
        if config.site.logo.is_none() {
            config.site.logo = config.brand.logo.clone();
        }
        if let Some(url) = &config.site.base_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(Diagnostic::error(format!("`base_url = \"{url}\"` in folio.toml [site] is not an absolute http(s) address"))
                    .hint("write it as the site's published address, e.g. base_url = \"https://research.example.com/\"")
                    .into());
            }
        }
        if let Some(logo) = &config.site.logo {
            check_logo(root, logo, "site")?;
        }
        let mut reports = Vec::new();
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&content_dir)
            .map_err(|e| Diagnostic::io("read", &content_dir, &e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "md") && p.is_file())
            .collect();
        entries.sort();
        for path in entries {
            let text = crate::core::paths::read_inside(root, &path)?;
            reports.push(ReportSource::from_text_cached(&path, text, cache)?);
        }
        if reports.is_empty() {
            return Err(Diagnostic::error(format!("no reports in {}", display_path(&content_dir)))
                .hint("a report is a Markdown file directly in content/, e.g. content/report.md")
                .into());
        }
        Ok(Project {
            root: root.to_path_buf(),
            templates_dir: root.join("templates"),
            fonts_dir: root.join("fonts"),
            content_dir,
            config,
            reports,
        })
    }
}

fn load_config(root: &Path, path: &Path) -> Result<Config> {
    if !path.exists() {
        return Ok(Config::default());
    }
    let text = crate::core::paths::read_inside(root, path)?;
    toml::from_str(&text).map_err(|e| {
        let mut d = Diagnostic::error(format!("invalid folio.toml: {}", e.message()));
        if let Some(span) = e.span() {
            d = d.at(Location::new(path, text.as_str().into(), span));
        }
        d.hint("folio.toml knows: raw_html = true|false, database = \"…\", paper = \"a4\"|\"us-letter\"|…, bibliography = \"refs.bib\", csl = \"apa\"|\"x.csl\", [brand] primary, accent, logo, body_font, heading_font, footer, [site] name, lang, base_url, description, per_page, logo, [workbooks.<stem>] <sheet> = \"B3:F20\", [numbers] decimal, thousands (also [numbers.file.<stem>]), and [limits] data_mb, data_rows, data_values, data_depth, template_fuel, chart_points, cell_chars, output_mb, query_seconds, report_seconds, memory_mb").into()
    })
}

impl ReportSource {
    /// Where front-matter key `key` is written (`title` in `title: …`); the
    /// front matter as a whole when it is not there as written.
    pub fn key_location(&self, key: &str) -> Location {
        let text = &self.text;
        let end = text.find("\n---").unwrap_or(text.len());
        match text[..end].match_indices(&format!("\n{key}:")).next() {
            Some((at, _)) => Location::new(self.path.clone(), text.clone(), at + 1..at + 1 + key.len()),
            None => Location::new(self.path.clone(), text.clone(), 0..text.find("\n---").map_or(3, |i| i + 1).min(text.len())),
        }
    }

    pub fn from_text(path: &Path, text: String) -> Result<ReportSource> {
        Self::from_text_cached(path, text, &FrontMatterCache::default())
    }

    pub fn from_text_cached(path: &Path, text: String, cache: &FrontMatterCache) -> Result<ReportSource> {
        let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let text: Arc<str> = text.into();
        let (front, body) = split_front_matter(path, &text, cache)?;
        Ok(ReportSource { name, path: path.to_path_buf(), text, front: Arc::new(front), body: body.into(), row: None })
    }

    /// Apply `--set key=value` overrides; dotted keys reach into maps.
    pub fn apply_overrides(&mut self, sets: &[(String, Value)]) {
        for (key, value) in sets {
            let mut map = Arc::make_mut(&mut self.front);
            let parts: Vec<&str> = key.split('.').collect();
            for part in &parts[..parts.len() - 1] {
                let entry = map.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
                if !entry.is_object() {
                    *entry = Value::Object(Map::new());
                }
                map = entry.as_object_mut().expect("just made an object");
            }
            map.insert(parts[parts.len() - 1].to_string(), value.clone());
        }
    }
}

/// The front-matter keys folio and its built-in templates read (README,
/// "Front matter"), nested ones by their dotted path.
pub const FRONT_KEYS: &[&str] = &[
    "title", "subtitle", "lang", "date", "author", "authors", "heading_numbers", "toc", "lists", "chapter_break",
    "float_numbers", "report_type", "sector", "house", "rating", "rating.action", "rating.rating",
    "rating.target_price", "key_data", "core_views", "summary", "related", "analysts", "footer", "back_matter",
    "cover_chart", "each", "name",
];

/// Every key of `front` by its dotted path (`rating`, `rating.action`).
pub fn front_paths(front: &Map<String, Value>, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
    for (k, v) in front {
        let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        if let Value::Object(inner) = v {
            front_paths(inner, &path, out);
        }
        out.insert(path);
    }
}

/// Front matter parsed by earlier builds of a session, by its YAML text: in
/// `watch` an edit to the body does not parse the front matter again.
#[derive(Debug, Default)]
pub struct FrontMatterCache(std::sync::Mutex<std::collections::HashMap<String, Map<String, Value>>>);

impl FrontMatterCache {
    pub fn clear(&self) {
        self.0.lock().expect("front matter cache lock").clear();
    }
}

/// Split `---\nYAML\n---\n` off the top. The body keeps the file's byte
/// offsets: the front matter is replaced by spaces, its newlines kept.
fn split_front_matter(path: &Path, text: &Arc<str>, cache: &FrontMatterCache) -> Result<(Map<String, Value>, String)> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Ok((Map::new(), text.to_string()));
    }
    let mut offset = first_line_end;
    let mut close = None;
    for line in text[first_line_end..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = close else {
        return Err(Diagnostic::error("front matter is not closed")
            .at(Location::new(path, text.clone(), 0..3))
            .hint("end the YAML front matter with a line of three dashes: ---")
            .into());
    };
    let yaml = &text[first_line_end..yaml_end];
    let cached = cache.0.lock().expect("front matter cache lock").get(yaml).cloned();
    if crate::input::data::nesting_depth(yaml) > crate::input::data::MAX_SPEC_DEPTH {
        return Err(Diagnostic::error(format!("front matter nests lists or records more than {} deep", crate::input::data::MAX_SPEC_DEPTH))
            .at(Location::new(path, text.clone(), first_line_end..yaml_end.min(first_line_end + 3)))
            .hint("front matter holds settings and short lists; keep large data in content/data/")
            .into());
    }
    let front = if yaml.trim().is_empty() {
        Map::new()
    } else if let Some(front) = cached {
        front
    } else {
        match crate::input::yaml::from_str::<Value>(yaml) {
            Ok(Value::Object(m)) => {
                let mut cache = cache.0.lock().expect("front matter cache lock");
                if cache.len() >= 256 {
                    cache.clear();
                }
                cache.insert(yaml.to_string(), m.clone());
                m
            }
            Ok(Value::Null) => Map::new(),
            Ok(_) => {
                return Err(Diagnostic::error("front matter must be a YAML mapping of keys to values")
                    .at(Location::new(path, text.clone(), first_line_end..yaml_end))
                    .hint("write it as `key: value` lines, e.g. `title: My report`")
                    .into())
            }
            Err(e) => {
                // Errors found at the end of the YAML point at its last line, not at `---`.
                let last_line = yaml.trim_end().rfind('\n').map_or(0, |i| i + 1);
                let index = e.offset.unwrap_or(0);
                let index = if index >= yaml.trim_end().len() { last_line } else { index };
                let start = first_line_end + index;
                let msg = e.message;
                // The hint that fits the error: tabs, or quoting.
                let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                let hint = if msg.contains("tab") || text[line_start..line_end].contains('\t') {
                    "YAML indents with spaces only: replace the tab (shown as →) with spaces"
                } else {
                    "front matter is YAML; quote values that contain `: ` or start with a special character"
                };
                return Err(Diagnostic::error(format!("invalid YAML front matter: {msg}"))
                    .at(Location::new(path, text.clone(), start..start + 1))
                    .hint(hint)
                    .into());
            }
        }
    };
    // One space per byte, not per character: the body keeps the file's byte
    // offsets even when the front matter holds CJK, emoji or accents.
    let blanked: String = text[..body_start].bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }).collect();
    Ok((front, blanked + &text[body_start..]))
}

/// A `logo` names an image inside the project.
fn check_logo(root: &Path, logo: &str, section: &str) -> Result<()> {
    let at = |what: &str| {
        Diagnostic::error(format!("`logo = \"{logo}\"` in folio.toml [{section}] {what}"))
            .hint("name an SVG, PNG, JPEG or WebP file in the project, relative to folio.toml, e.g. logo = \"img/logo.svg\"")
    };
    let ext = Path::new(logo).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("svg" | "png" | "jpg" | "jpeg" | "webp")) {
        return Err(at("is not an SVG, PNG, JPEG or WebP image").into());
    }
    let path = root.join(logo);
    if !path.is_file() {
        return Err(at("does not exist").into());
    }
    if !crate::core::paths::stays_inside(root, &path) {
        return Err(at("is outside the project").into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_keeps_offsets() {
        let r = ReportSource::from_text(Path::new("r.md"), "---\ntitle: T\n---\n# Hi\n".into()).unwrap();
        assert_eq!(r.front["title"], "T");
        assert_eq!(r.body.len(), r.text.len());
        assert_eq!(&r.body[17..], "# Hi\n");
        assert!(r.body[..17].trim().is_empty());
    }

    #[test]
    fn bad_yaml_points_at_line() {
        let err = ReportSource::from_text(Path::new("r.md"), "---\ntitle: T\nx: [1,\n---\nbody\n".into()).unwrap_err();
        let d = &err.0[0];
        assert!(d.message.starts_with("invalid YAML front matter"), "{}", d.message);
        assert!(d.location.as_ref().unwrap().line_col().0 >= 3);
    }

    #[test]
    fn overrides_reach_nested_keys() {
        let mut r = ReportSource::from_text(Path::new("r.md"), "---\nrating:\n  action: 维持\n---\n".into()).unwrap();
        r.apply_overrides(&[("rating.action".into(), Value::from("上调")), ("title".into(), Value::from("X"))]);
        assert_eq!(r.front["rating"]["action"], "上调");
        assert_eq!(r.front["title"], "X");
    }
}
