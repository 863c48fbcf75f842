//! Subsets of Noto Sans CJK SC (SIL Open Font License 1.1, see
//! `LICENSE-OFL.txt`) that folio embeds so that Chinese reports typeset on
//! a fresh machine: every GB2312 character, CJK and full-width punctuation,
//! general punctuation and Latin, with TrueType outlines. Made by
//! `fonts/tools/make-subset.py` in folio's repository. In a crate of their
//! own so that each published crate stays under the registry's size limit.

/// Regular weight.
pub const REGULAR: &[u8] = include_bytes!("../fonts/FolioSansCJK-Regular.ttf");
/// Bold weight.
pub const BOLD: &[u8] = include_bytes!("../fonts/FolioSansCJK-Bold.ttf");

/// SHA-256 of [`REGULAR`], for a user of the crate to know a file is this
/// font without comparing it byte by byte (folio's tests check it).
pub const REGULAR_SHA256: &str = "01fdb390e81161d69cddaa4a4d0e5dc0699851c728b8bc797d7852790a092524";
/// SHA-256 of [`BOLD`].
pub const BOLD_SHA256: &str = "75c73d3f9c717145776bbfae26a8e8ccebca1b4efe0f3970f894c819e00d1c36";
