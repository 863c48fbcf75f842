//! Subsets of Noto Serif CJK SC (SIL Open Font License 1.1, see
//! `LICENSE-OFL.txt`) that folio embeds so that Chinese reports typeset on
//! a fresh machine: every GB2312 character, CJK and full-width punctuation,
//! general punctuation and Latin, with TrueType outlines. Made by
//! `fonts/tools/make-subset.py` in folio's repository. In a crate of their
//! own so that each published crate stays under the registry's size limit.

/// Regular weight.
pub const REGULAR: &[u8] = include_bytes!("../fonts/FolioSerifCJK-Regular.ttf");
/// Bold weight.
pub const BOLD: &[u8] = include_bytes!("../fonts/FolioSerifCJK-Bold.ttf");
