//! The CJK faces the PDF is set in, for the HTML: WOFF2 subsets holding only
//! the characters the pages use, so a reader without Noto CJK sees the same
//! faces as in the PDF, and never tofu. The stylesheet names them by file
//! (`@font-face`, see `style.css`); they are written beside the pages and
//! into the site's `assets/`, like the math font.

use std::collections::BTreeSet;
use std::path::Path;

use write_fonts::read::{FontRef, TableProvider};
use write_fonts::tables::cmap::Cmap;
use write_fonts::types::{GlyphId, Tag};
use write_fonts::FontBuilder;

use super::Output;
use crate::core::diag::{Diagnostic, Result};

/// One shipped face: the file the stylesheet loads and the font it is cut from.
pub struct Face {
    pub file: &'static str,
    pub font: &'static [u8],
    pub sans: bool,
}

/// Body and strong text (serif), headings and captions (sans), as in the PDF.
pub const FACES: [Face; 4] = [
    Face { file: "folio-serif-cjk.woff2", font: folio_fonts_serif::REGULAR, sans: false },
    Face { file: "folio-serif-cjk-bold.woff2", font: folio_fonts_serif::BOLD, sans: false },
    Face { file: "folio-sans-cjk.woff2", font: folio_fonts_sans::REGULAR, sans: true },
    Face { file: "folio-sans-cjk-bold.woff2", font: folio_fonts_sans::BOLD, sans: true },
];

/// Characters the stylesheet's `unicode-range` gives the shipped faces on
/// every page: ideographs, CJK and full-width punctuation, kana.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x2FDF | 0x3000..=0x9FFF | 0xF900..=0xFAFF | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

/// Punctuation a Chinese page also takes from the CJK face, as the PDF does
/// (typst's `latin-in-cjk`): quotes, dashes, the ellipsis and the middle dot.
pub fn is_zh_punctuation(c: char) -> bool {
    matches!(c, '\u{B7}' | '\u{2014}' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{2026}')
}

/// The characters the shipped faces draw on some pages.
#[derive(Default)]
pub struct Chars {
    /// CJK characters anywhere: every face.
    pub cjk: BTreeSet<char>,
    /// Every character of a chart: the sans faces, which draw charts whole
    /// (Latin too), as in the PDF and as the chart module measured them.
    pub chart: BTreeSet<char>,
}

impl Chars {
    /// The characters `face` is cut to.
    /// (Chinese punctuation alone, on an English page, needs no face.)
    fn of(&self, face: &Face) -> BTreeSet<char> {
        let cjk = if self.cjk.iter().any(|&c| is_cjk(c)) { self.cjk.clone() } else { BTreeSet::new() };
        if face.sans { cjk.union(&self.chart).copied().collect() } else { cjk }
    }
}

/// The characters of `html` a shipped face draws.
pub fn collect(html: &str, into: &mut Chars) {
    into.cjk.extend(html.chars().filter(|&c| is_cjk(c) || is_zh_punctuation(c)));
    let mut rest = html;
    while let Some(start) = rest.find("<svg ") {
        let end = rest[start..].find("</svg>").map_or(rest.len(), |e| start + e);
        let svg = &rest[start..end];
        if svg.split('>').next().is_some_and(|tag| tag.contains("class=\"chart\"")) {
            into.chart.extend(svg.chars().filter(|c| !c.is_control()));
        }
        rest = &rest[end..];
        if rest.len() <= 6 {
            break;
        }
        rest = &rest[6..];
    }
}

/// A page (or an earlier font) larger than this is not read: folio did not
/// write it.
const PAGE_CAP: u64 = 64 << 20;

/// The fonts for the HTML pages directly in `dir`: those on disk and the
/// `pending` ones about to be written (the site's index), cut to their
/// characters and written into `fonts_dir`.
/// Also the names of every face the pages need, cut again or not.
pub fn for_pages(dir: &Path, pending: &[Output], fonts_dir: &Path) -> Result<(Vec<Output>, Vec<&'static str>)> {
    let is_page = |p: &Path| p.parent() == Some(dir) && p.extension().is_some_and(|e| e == "html");
    let mut chars = Chars::default();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = e.path();
        // A link is not followed; a pending page's old copy is not read.
        if e.file_type().is_ok_and(|k| k.is_file()) && is_page(&path) && !pending.iter().any(|o| o.path == path) {
            if let Ok(bytes) = crate::core::paths::read_regular(dir, &path, PAGE_CAP) {
                collect(&String::from_utf8_lossy(&bytes), &mut chars);
            }
        }
    }
    for o in pending.iter().filter(|o| is_page(&o.path)) {
        collect(&String::from_utf8_lossy(&o.bytes), &mut chars);
    }
    // Each face's characters, once: what it is cut to, and whether it is needed.
    let wanted: Vec<(&Face, BTreeSet<char>)> = FACES.iter().map(|f| (f, chars.of(f))).filter(|(_, w)| !w.is_empty()).collect();
    let needed = wanted.iter().map(|(f, _)| f.file).collect();
    let files = outputs(fonts_dir, &wanted).map_err(|e| Diagnostic::error(format!("the HTML's CJK fonts: {e}")))?;
    Ok((files, needed))
}

/// The WOFF2 files of the faces `wanted` (the serif faces when a page holds
/// CJK, the sans ones also for charts), in `dir`. A file whose characters
/// are those already on disk is not cut again (see `same_chars`).
fn outputs(dir: &Path, wanted: &[(&Face, BTreeSet<char>)]) -> std::result::Result<Vec<Output>, String> {
    use rayon::prelude::*;
    // One face a core.
    let cut = wanted.par_iter().map(|(face, chars)| {
        let path = dir.join(face.file);
        if same_chars(dir, &path, face, chars) {
            return Ok(None);
        }
        let bytes = woff2(face.font, chars).map_err(|e| format!("{}: {e}", face.file))?;
        Ok(Some(Output { path, bytes }))
    });
    cut.collect::<std::result::Result<Vec<Option<Output>>, String>>().map(|v| v.into_iter().flatten().collect())
}

/// Whether the WOFF2 of `face` at `path` maps exactly `chars` (those the
/// face has): a cut is ~30 ms a face; decoding what is there a few.
fn same_chars(dir: &Path, path: &Path, face: &Face, chars: &BTreeSet<char>) -> bool {
    let Ok(bytes) = crate::core::paths::read_regular(dir, path, PAGE_CAP) else { return false };
    let Some(ttf) = wuff::decompress_woff2(&bytes).ok() else { return false };
    let Ok(font) = FontRef::new(&ttf) else { return false };
    let mapped = mapped_chars(&font);
    let Ok(source) = FontRef::new(face.font) else { return false };
    let Ok(source_cmap) = source.cmap() else { return false };
    let wanted: BTreeSet<char> = chars.iter().copied().filter(|&c| source_cmap.map_codepoint(c).is_some()).collect();
    mapped == wanted
}

/// The characters a font's cmap maps.
fn mapped_chars(font: &FontRef) -> BTreeSet<char> {
    let Ok(cmap) = font.cmap() else { return BTreeSet::new() };
    let subtables = cmap.encoding_records().iter().filter_map(|r| r.subtable(cmap.offset_data()).ok());
    // Format 4 ends with U+FFFF mapped to .notdef.
    subtables.flat_map(|s| s.iter()).filter(|(_, g)| g.to_u32() != 0).filter_map(|(c, _)| char::from_u32(c)).collect()
}

/// `font` cut to `chars`, with a cmap of its own (the subsetter, made for
/// PDF embedding, drops it) and the original OS/2 (browsers' font
/// sanitizers want one), as WOFF2.
fn woff2(font: &[u8], chars: &BTreeSet<char>) -> std::result::Result<Vec<u8>, String> {
    let source = FontRef::new(font).map_err(|e| e.to_string())?;
    let cmap = source.cmap().map_err(|e| e.to_string())?;
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut mappings = Vec::new();
    for &c in chars {
        if let Some(g) = cmap.map_codepoint(c) {
            let old = u16::try_from(g.to_u32()).map_err(|_| "a glyph id past 65535".to_string())?;
            mappings.push((c, GlyphId::new(remapper.remap(old) as u32)));
        }
    }
    let cut = subsetter::subset(font, 0, &remapper).map_err(|e| format!("{e:?}"))?;
    let cut_ref = FontRef::new(&cut).map_err(|e| e.to_string())?;
    let new_cmap = Cmap::from_mappings(mappings).map_err(|e| e.to_string())?;
    let mut builder = FontBuilder::new();
    builder.add_table(&new_cmap).map_err(|e| e.to_string())?;
    let os2 = Tag::new(b"OS/2");
    if let Some(data) = source.table_data(os2) {
        builder.add_raw(os2, data.as_bytes().to_vec());
    }
    builder.copy_missing_tables(cut_ref);
    let ttf = builder.build();
    // The cut takes 2 ms, its compression the rest: quality 5 is 30 ms for
    // a deep-dive's 900 characters, 5% larger than quality 11 (840 ms).
    // glyf/loca stay untransformed: Chromium's decoder refuses some
    // transformed long-loca fonts (ttf2woff2's issue #30).
    ttf2woff2::encode(&ttf, ttf2woff2::BrotliQuality::from(5)).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_maps_exactly_its_characters() {
        let chars: BTreeSet<char> = "研究报告“模型”——中国。".chars().collect();
        let w = woff2(FACES[0].font, &chars).unwrap();
        let ttf = wuff::decompress_woff2(&w).unwrap();
        let font = FontRef::new(&ttf).unwrap();
        assert_eq!(mapped_chars(&font), chars);
        assert!(font.table_data(Tag::new(b"OS/2")).is_some());
        assert!(font.glyf().is_ok());
    }
}
