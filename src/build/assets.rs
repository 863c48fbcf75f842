//! Files the HTML pages share: the math font MathML is set in (browsers
//! stretch brackets and radicals only with an OpenType MATH font, and few
//! systems have one), beside the pages and in the site.

use std::path::Path;
use std::sync::LazyLock;

use super::Output;

/// The file name the stylesheet's `@font-face` loads (relative to the page
/// or, in the site, to the stylesheet).
pub const MATH_FONT_FILE: &str = "folio-math.otf";

/// New Computer Modern Math, the font typst sets the PDF's math in (from
/// typst-assets, SIL Open Font License), so both outputs look alike.
static MATH_FONT: LazyLock<&'static [u8]> = LazyLock::new(|| crate::pdf::fonts::file_in_binary("New Computer Modern Math", 400).unwrap_or_default());

/// The math font for pages whose stylesheet is in `dir` (beside the pages,
/// or the site's `assets/`), unless the same file is there already.
pub fn math_font(dir: &Path) -> Option<Output> {
    let path = dir.join(MATH_FONT_FILE);
    let bytes = *MATH_FONT;
    if bytes.is_empty() || std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64) {
        return None;
    }
    Some(Output { path, bytes: bytes.to_vec() })
}

/// Remove what folio wrote into the site's `assets/` before and this build
/// did not write (an older stylesheet `style.*.css` or `logo.*`; the math
/// font once no report has a formula; a CJK face no page needs now, of
/// `faces`); files of other names stay.
pub fn prune(site_dir: &Path, written: &[Output], math: bool, faces: &[&str]) {
    let dir = site_dir.join("assets");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let stale = if name == MATH_FONT_FILE {
            !math
        } else if let Some(face) = crate::build::webfonts::FACES.iter().find(|f| f.file == name) {
            !faces.contains(&face.file)
        } else {
            let ours = (name.starts_with("style.") && name.ends_with(".css")) || name.starts_with("logo.");
            ours && !written.iter().any(|o| o.path == e.path())
        };
        if stale {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
