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

/// SHA-256 of [`REGULAR`], for a user of the crate to know a file is this
/// font without comparing it byte by byte (folio's tests check it).
pub const REGULAR_SHA256: &str = "33b6b17fdbe5eb3f203fd4eb1732fd9582bdb83f8dbc27b4f99c72a83959eb37";
/// SHA-256 of [`BOLD`].
pub const BOLD_SHA256: &str = "48183b88fb11221fb34dc04a4e5f49a794e43b2b09686f8f66251de942ad8136";
