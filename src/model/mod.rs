//! Model passes over the document tree the Markdown stage built: numbering
//! of headings, figures and tables, footnotes and cross-references are
//! resolved here, once (`resolve`); `meta` is what templates see of it.

pub mod meta;
pub mod resolve;
