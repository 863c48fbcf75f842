//! `folio build --site`: `output/site/` ready for any static host — an index
//! of every report, each report's HTML and PDF, the stylesheet under a
//! content-hashed name, and only relative links.

use std::path::Path;

use minijinja::{context, Environment, Value};

use crate::build::{BuildReport, Output, ReportInfo};
use crate::input::project::SiteConfig;
use crate::core::diag::{Diagnostic, Result};
use crate::template::to_value;
use crate::input::template_files::Templates;

/// Largest logo copied into the site.
const LOGO_MAX: u64 = 4 << 20;

/// An SVG logo is an image, never a program: one with a script, an event
/// handler, a `javascript:` link or embedded HTML is refused, not copied.
fn refuse_active_svg(path: &std::path::Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let refuse = |why: &str| {
        Diagnostic::error(format!("the logo {} {why}", crate::core::diag::display_path(path)))
            .hint("export the logo again as a plain SVG (or PNG), without scripts or embedded HTML")
    };
    let text = std::str::from_utf8(bytes).map_err(|_| refuse("is not UTF-8 text"))?;
    let doc = roxmltree::Document::parse(text).map_err(|e| refuse(&format!("is not well-formed SVG ({e})")))?;
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name().to_ascii_lowercase();
        if matches!(name.as_str(), "script" | "foreignobject" | "iframe" | "object" | "embed") {
            return Err(refuse(&format!("holds a <{}> element", node.tag_name().name())));
        }
        for a in node.attributes() {
            let (key, value) = (a.name().to_ascii_lowercase(), a.value().trim().to_ascii_lowercase());
            if key.starts_with("on") || (key == "href" && value.starts_with("javascript:")) {
                return Err(refuse(&format!("has an active attribute `{}`", a.name())));
            }
        }
    }
    Ok(())
}

/// FNV-1a: a stable content hash for asset names (same bytes, same name on
/// every machine and Rust version).
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:016x}", h)[..10].to_string()
}

/// The stylesheet's site path, e.g. `assets/style.1a2b3c4d5e.css`.
pub fn css_href(templates: &Templates) -> Result<String> {
    let css = templates.get("style.css")?;
    Ok(format!("assets/style.{}.css", content_hash(css.text.as_bytes())))
}

/// Front matter of reports: what the site's name and language default to.
type Front = serde_json::Map<String, serde_json::Value>;

/// The site's name: `[site] name`, else the house of its first report,
/// else a plain word in the site's language.
pub fn site_name<'a>(site: &SiteConfig, fronts: impl IntoIterator<Item = &'a Front> + Clone) -> String {
    if let Some(n) = &site.name {
        return n.clone();
    }
    if let Some(h) = fronts.clone().into_iter().find_map(|f| f.get("house").and_then(|h| h.as_str())) {
        return h.to_string();
    }
    if site_lang(site, fronts) == "zh-CN" { "研究报告".into() } else { "Reports".into() }
}

/// The index's language: `[site] lang`, else the first report's.
pub fn site_lang<'a>(site: &SiteConfig, fronts: impl IntoIterator<Item = &'a Front>) -> &'static str {
    let first = fronts.into_iter().next().and_then(|f| f.get("lang")).and_then(|l| l.as_str()).map(str::to_string);
    match site.lang.clone().or(first).as_deref() {
        Some(l) if l.starts_with("en") => "en",
        _ => "zh-CN",
    }
}

/// The page's absolute address under `base_url`.
pub fn absolute(base: &str, file: &str) -> String {
    let base = if base.ends_with('/') { base.to_string() } else { format!("{base}/") };
    format!("{base}{}", relative_href(file).trim_start_matches("./"))
}

/// The facets of the index: front-matter fields that sort reports.
const FACETS: [(&str, &str, &str); 4] = [("sector", "行业", "Sector"), ("rating", "评级", "Rating"), ("report_type", "报告类型", "Report type"), ("author", "作者", "Author")];

fn facet_values(front: &serde_json::Map<String, serde_json::Value>, key: &str) -> Vec<String> {
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    match key {
        "rating" => front.get("rating").and_then(|r| r.get("rating")).and_then(text).into_iter().collect(),
        "author" => match front.get("author").or_else(|| front.get("authors")) {
            Some(serde_json::Value::Array(a)) => a.iter().filter_map(text).collect(),
            Some(v) => text(v).into_iter().collect(),
            None => vec![],
        },
        k => front.get(k).and_then(text).into_iter().collect(),
    }
}

/// The index (newest first, with filters by sector, rating, report type and
/// author), the stylesheet under its hashed name, a favicon, a 404 page,
/// robots.txt, and with `base_url` an Atom feed and a sitemap.
pub fn index_outputs(reports: &[ReportInfo], has_pdf: bool, site: &SiteConfig, templates: &Templates, root: &Path, site_dir: &Path) -> Result<Vec<Output>> {
    let css = templates.get("style.css")?;
    let href = css_href(templates)?;
    let fronts = reports.iter().map(|r| &r.front);
    let name = site_name(site, fronts.clone());
    let lang = site_lang(site, fronts);
    let zh = lang == "zh-CN";
    let mut out = vec![Output { path: site_dir.join(&href), bytes: css.text.as_bytes().to_vec() }];
    // The logo (checked when the project loaded) under a fixed name.
    if let (Some(logo), Some(asset)) = (&site.logo, site.logo_asset()) {
        let path = root.join(logo);
        let bytes = crate::core::paths::read_regular(root, &path, LOGO_MAX).map_err(|why| why.diagnostic(&path))?;
        if asset.ends_with(".svg") {
            refuse_active_svg(&path, &bytes)?;
        }
        out.push(Output { path: site_dir.join("assets").join(asset), bytes });
    }
    // Newest first, by the ISO form of each date (`2024/01/15` sorts beside
    // `2024-01-02`; a date that does not read sorts as written); reports of
    // one date by title.
    let written = |r: &ReportInfo| r.front.get("date").and_then(|d| d.as_str()).map(str::to_string);
    let mut dated: Vec<(&ReportInfo, Option<String>)> =
        reports.iter().map(|r| (r, written(r).and_then(|d| crate::core::format::format_date(&d, "iso").ok()))).collect();
    let title = |r: &ReportInfo| r.front.get("title").and_then(|d| d.as_str()).unwrap_or(&r.name).to_string();
    // On one date the longer report first (the deep-dive before its notes).
    dated.sort_by_cached_key(|(r, iso)| (std::cmp::Reverse(iso.clone().or_else(|| written(r)).unwrap_or_default()), std::cmp::Reverse(r.pages.unwrap_or(0)), title(r)));
    let sorted: Vec<&ReportInfo> = dated.iter().map(|(r, _)| *r).collect();
    let facets: Vec<Value> = FACETS
        .iter()
        .filter_map(|(key, zh_label, en_label)| {
            let mut values: Vec<String> = sorted.iter().flat_map(|r| facet_values(&r.front, key)).collect();
            values.sort();
            values.dedup();
            // A filter with one choice filters nothing.
            (values.len() > 1).then(|| context! { key => *key, label => if zh { *zh_label } else { *en_label }, values => values })
        })
        .collect();
    let page = templates.get("index.html")?;
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_formatter(crate::template::html_formatter);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    crate::template::filters::register(&mut env);
    env.add_template("index.html", &page.text).map_err(|e| templates.error(&page, &e))?;
    let items: Vec<Value> = dated
        .iter()
        .map(|(r, date_iso)| {
            let f: std::collections::BTreeMap<&str, Vec<String>> = FACETS.iter().map(|(k, ..)| (*k, facet_values(&r.front, k))).collect();
            context! {
                name => r.name.clone(),
                html => relative_href(&format!("{}.html", r.name)),
                pdf => if has_pdf && r.pages.is_some() { Some(relative_href(&format!("{}.pdf", r.name))) } else { None },
                meta => to_value(&r.front),
                // `<time datetime>` takes ISO dates only; readers see the
                // site's language (2023年5月4日 / May 4, 2023).
                date_iso => date_iso.clone(),
                date_shown => written(r).and_then(|d| crate::core::format::format_date(&d, if zh { "zh" } else { "en" }).ok()),
                facets => f,
            }
        })
        .collect();
    let words = if zh {
        context! { all => "全部", filter => "筛选", reports => "篇报告", more => "显示更多", feed => "订阅", search => "搜索报告" }
    } else {
        context! { all => "All", filter => "Filter", reports => "reports", more => "Show more", feed => "Feed", search => "Search the reports" }
    };
    let ctx = context! {
        reports => items,
        css_href => href.clone(),
        lang => lang,
        facets => facets,
        words => words,
        per_page => site.per_page.unwrap_or(50).max(1),
        site => context! { name => name.clone(), description => site.description.clone(), base_url => site.base_url.clone(), logo => site.logo_asset().map(|a| format!("assets/{a}")) },
    };
    let html = env.get_template("index.html").and_then(|t| t.render(ctx)).map_err(|e| templates.error(&page, &e))?;
    out.push(Output { path: site_dir.join("index.html"), bytes: html.into_bytes() });
    out.push(Output { path: site_dir.join("favicon.svg"), bytes: favicon(&name).into_bytes() });
    out.push(Output { path: site_dir.join("404.html"), bytes: not_found(&name, lang, &href, &site.base_url.as_deref().map_or("./".to_string(), |b| if b.ends_with('/') { b.to_string() } else { format!("{b}/") })).into_bytes() });
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &site.base_url {
        robots.push_str(&format!("Sitemap: {}\n", absolute(base, "sitemap.xml")));
        out.push(Output { path: site_dir.join("feed.xml"), bytes: crate::build::feed::atom(&name, site, base, &sorted).into_bytes() });
        out.push(Output { path: site_dir.join("sitemap.xml"), bytes: crate::build::feed::sitemap(base, &sorted).into_bytes() });
    }
    out.push(Output { path: site_dir.join("robots.txt"), bytes: robots.into_bytes() });
    Ok(out)
}

/// The site's initial on the house colour.
fn favicon(name: &str) -> String {
    let initial = crate::core::text::escape(&name.chars().next().unwrap_or('F').to_string());
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect width=\"32\" height=\"32\" rx=\"6\" fill=\"#7a1526\"/><text x=\"16\" y=\"23\" font-size=\"20\" font-family=\"sans-serif\" font-weight=\"700\" text-anchor=\"middle\" fill=\"#ffffff\">{initial}</text></svg>\n"
    )
}

/// Served for any missing address, so its links are absolute under
/// `base_url` (else relative to the site's top folder).
fn not_found(name: &str, lang: &str, css: &str, root: &str) -> String {
    let (title, text, back) = if lang == "zh-CN" { ("页面不存在", "这个地址没有页面，可能已经移走。", "返回首页") } else { ("Page not found", "There is no page at this address; it may have moved.", "Back to the index") };
    let name = crate::core::text::escape(name);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title} · {name}</title>\n<link rel=\"icon\" href=\"{root}favicon.svg\" type=\"image/svg+xml\">\n<link rel=\"stylesheet\" href=\"{root}{css}\">\n</head>\n<body>\n<main class=\"not-found\">\n<h1>{title}</h1>\n<p>{text}</p>\n<p><a href=\"{root}index.html\">{back} · {name}</a></p>\n</main>\n</body>\n</html>\n"
    )
}

/// A link to a file beside the page: `./` and percent-encoding, so that a
/// report named `javascript:alert(1)` is a file name, never a URL scheme.
pub fn relative_href(file: &str) -> String {
    let mut out = String::from("./");
    for b in file.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn error_if_empty(report: &BuildReport) -> Result<()> {
    if report.reports.is_empty() {
        return Err(Diagnostic::error("no report was built, so there is no site to write").into());
    }
    Ok(())
}
