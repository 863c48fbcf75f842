//! The site's Atom feed and sitemap, written when `[site] base_url` says
//! where the site lives (both need absolute addresses).

use crate::build::site::absolute;
use crate::build::ReportInfo;
use crate::input::project::SiteConfig;
use crate::core::text::escape;

fn text<'a>(r: &'a ReportInfo, key: &str) -> Option<&'a str> {
    r.front.get(key).and_then(|v| v.as_str())
}

/// `2023-05-04` → `2023-05-04T00:00:00Z`; reports without a date count as
/// the oldest.
fn timestamp(date: Option<&str>) -> String {
    match date.and_then(crate::core::dates::parse) {
        Some(d) => format!("{}T00:00:00Z", crate::core::dates::iso(d.day)),
        None => "1970-01-01T00:00:00Z".to_string(),
    }
}

/// An Atom feed of `reports` (newest first): ids and links are the pages'
/// absolute addresses.
pub fn atom(name: &str, site: &SiteConfig, base: &str, reports: &[&ReportInfo]) -> String {
    let updated = reports.iter().map(|r| timestamp(text(r, "date"))).max().unwrap_or_else(|| timestamp(None));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <id>{}</id>\n  <title>{}</title>\n", escape(&absolute(base, "")), escape(name)));
    if let Some(d) = &site.description {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(d)));
    }
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    out.push_str(&format!("  <link rel=\"self\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&absolute(base, "feed.xml")), escape(&absolute(base, ""))));
    out.push_str(&format!("  <author><name>{}</name></author>\n  <generator>folio</generator>\n", escape(name)));
    for r in reports {
        let url = absolute(base, &format!("{}.html", r.name));
        let title = text(r, "title").unwrap_or(&r.name);
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <id>{}</id>\n    <title>{}</title>\n", escape(&url), escape(title)));
        out.push_str(&format!("    <updated>{}</updated>\n", timestamp(text(r, "date"))));
        out.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&url)));
        if r.pages.is_some() {
            out.push_str(&format!("    <link rel=\"enclosure\" type=\"application/pdf\" href=\"{}\"/>\n", escape(&absolute(base, &format!("{}.pdf", r.name)))));
        }
        if let Some(a) = text(r, "author") {
            out.push_str(&format!("    <author><name>{}</name></author>\n", escape(a)));
        }
        if let Some(s) = text(r, "core_views").or_else(|| text(r, "subtitle")) {
            out.push_str(&format!("    <summary>{}</summary>\n", escape(s)));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// A sitemap of the index and every report page.
pub fn sitemap(base: &str, reports: &[&ReportInfo]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    out.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(&absolute(base, ""))));
    for r in reports {
        out.push_str(&format!("  <url><loc>{}</loc>", escape(&absolute(base, &format!("{}.html", r.name)))));
        if let Some(d) = text(r, "date").and_then(crate::core::dates::parse) {
            out.push_str(&format!("<lastmod>{}</lastmod>", crate::core::dates::iso(d.day)));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
