//! How wide a label is, from the advances of the face charts are drawn in
//! (Noto Sans CJK SC, folio's own sans: the PDF's, and the HTML's through
//! its web font), not from a guess per kind of character. Without the fonts
//! (a build with no PDF backend) the guess stands in.

/// Width of `s` in ems of the regular (or bold) face.
pub fn ems(s: &str, bold: bool) -> f64 {
    #[cfg(feature = "pdf")]
    if let Some(face) = if bold { &*faces::BOLD } else { &*faces::REGULAR } {
        return s.chars().map(|c| face.advance(c).unwrap_or_else(|| guess(c))).sum();
    }
    #[cfg(not(feature = "pdf"))]
    let _ = bold;
    s.chars().map(guess).sum()
}

/// An estimate for a character the face does not have.
fn guess(c: char) -> f64 {
    if crate::core::words::is_cjk(c) {
        1.0
    } else if c.is_ascii_uppercase() {
        0.65
    } else {
        0.55
    }
}

#[cfg(feature = "pdf")]
mod faces {
    use std::sync::LazyLock;

    use write_fonts::read::{FontRef, TableProvider};

    /// A face's character map and advances, read once.
    pub struct Face {
        font: FontRef<'static>,
        upem: f64,
    }

    impl Face {
        fn new(data: &'static [u8]) -> Option<Face> {
            let font = FontRef::new(data).ok()?;
            let upem = font.head().ok()?.units_per_em() as f64;
            Some(Face { font, upem })
        }

        pub fn advance(&self, c: char) -> Option<f64> {
            let gid = self.font.cmap().ok()?.map_codepoint(c)?;
            let hmtx = self.font.hmtx().ok()?;
            Some(hmtx.advance(gid)? as f64 / self.upem)
        }
    }

    pub static REGULAR: LazyLock<Option<Face>> = LazyLock::new(|| Face::new(folio_fonts_sans::REGULAR));
    pub static BOLD: LazyLock<Option<Face>> = LazyLock::new(|| Face::new(folio_fonts_sans::BOLD));
}

#[cfg(all(test, feature = "pdf"))]
mod tests {
    #[test]
    fn widths_are_the_faces_advances() {
        // Ideographs are one em; Latin is proportional, bold wider.
        assert_eq!(super::ems("中国", false), 2.0);
        let (i, m) = (super::ems("i", false), super::ems("m", false));
        assert!(i < 0.35 && m > 0.8, "{i} {m}");
        assert!(super::ems("2023-04-10", true) > super::ems("2023-04-10", false));
    }
}
