//! `[brand]` in folio.toml: the house's colours, logo, fonts and footer,
//! set in one place for the PDF, the HTML pages and the site.

use serde::Deserialize;

use crate::core::diag::{Diagnostic, Result};

#[derive(Debug, Default, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Brand {
    /// Headings, rules, the cover's title and the site's masthead: `#8c1d2c`.
    pub primary: Option<String>,
    /// Links (and the HTML's focus ring): `#1a4f8b`.
    pub accent: Option<String>,
    /// An image in the project (SVG, PNG, JPEG or WebP), relative to
    /// folio.toml: in every PDF page's running header (the cover's too) and
    /// beside the site's name (`[site] logo`, when set, wins on the site).
    pub logo: Option<String>,
    /// A font family in the project's `fonts/`, set before folio's own.
    pub body_font: Option<String>,
    pub heading_font: Option<String>,
    /// The PDF's footer line on every page, for reports whose front matter
    /// has no `footer:`.
    pub footer: Option<String>,
}

/// folio's own colours, which a brand replaces.
pub const PRIMARY: &str = "#8c1d2c";
pub const ACCENT: &str = "#1a4f8b";

impl Brand {
    /// The colours must read as colours, and a font name as one name.
    pub fn check(&self) -> Result<()> {
        for (key, value) in [("primary", &self.primary), ("accent", &self.accent)] {
            if let Some(v) = value {
                if !is_hex_colour(v) {
                    return Err(Diagnostic::error(format!("`{key} = \"{v}\"` in folio.toml [brand] is not a colour"))
                        .hint("write it as a hex colour, e.g. primary = \"#8c1d2c\"")
                        .into());
                }
            }
        }
        for (key, value) in [("body_font", &self.body_font), ("heading_font", &self.heading_font), ("footer", &self.footer)] {
            if let Some(v) = value.as_deref().filter(|v| v.trim().is_empty() || v.contains(['\n', '\r', '"', '\\', '{', '}', ';', '<'])) {
                return Err(Diagnostic::error(format!("`{key} = {v:?}` in folio.toml [brand] is empty or holds a character it may not"))
                    .hint("a font is one family name, e.g. body_font = \"Source Serif 4\"; a footer is one line of text")
                    .into());
            }
        }
        Ok(())
    }

    pub fn primary(&self) -> &str {
        self.primary.as_deref().unwrap_or(PRIMARY)
    }

    pub fn accent(&self) -> &str {
        self.accent.as_deref().unwrap_or(ACCENT)
    }

    /// What the stylesheet gets after its own rules: the brand's colours
    /// and font families as the CSS variables the pages use.
    pub fn css(&self) -> String {
        if *self == Brand::default() {
            return String::new();
        }
        let mut css = String::from("\n/* [brand] in folio.toml */\n:root {");
        if let Some(p) = &self.primary {
            css.push_str(&format!(" --brand: {p}; --tint: color-mix(in srgb, {p} 12%, white);"));
        }
        if let Some(a) = &self.accent {
            css.push_str(&format!(" --accent: {a};"));
        }
        if let Some(f) = &self.body_font {
            css.push_str(&format!(" --brand-serif: \"{f}\";"));
        }
        if let Some(f) = &self.heading_font {
            css.push_str(&format!(" --brand-sans: \"{f}\";"));
        }
        css.push_str(" }\n");
        css
    }

    /// What the PDF template reads (`/brand.json`): the logo as the path
    /// typst reads it at.
    pub fn for_typst(&self) -> serde_json::Value {
        serde_json::json!({
            "primary": self.primary(),
            "accent": self.accent(),
            "logo": self.logo.as_ref().map(|l| format!("/{}", l.trim_start_matches("./"))),
            "body_fonts": self.body_font.iter().collect::<Vec<_>>(),
            "heading_fonts": self.heading_font.iter().collect::<Vec<_>>(),
            "footer": self.footer,
        })
    }
}

fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#').is_some_and(|h| matches!(h.len(), 3 | 6) && h.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_checked_and_become_css_variables() {
        let b = Brand { primary: Some("#0a3d62".into()), body_font: Some("Source Serif 4".into()), ..Default::default() };
        assert!(b.check().is_ok());
        assert_eq!(b.css(), "\n/* [brand] in folio.toml */\n:root { --brand: #0a3d62; --tint: color-mix(in srgb, #0a3d62 12%, white); --brand-serif: \"Source Serif 4\"; }\n");
        assert_eq!(Brand::default().css(), "");
        for bad in ["red", "#12345", "#gggggg", "#0a3d62; } body { display: none"] {
            assert!(Brand { accent: Some(bad.into()), ..Default::default() }.check().is_err(), "{bad}");
        }
        assert!(Brand { heading_font: Some("A\"; } x {".into()), ..Default::default() }.check().is_err());
    }
}
