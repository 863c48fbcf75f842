//! Model passes over the document tree the Markdown stage built: numbering
//! of headings, figures and tables, footnotes and cross-references are
//! resolved here, once (`resolve`); citations and references rendered in
//! the report's style (`cite`); `meta` is what templates see of it;
//! Chinese and Latin spaced by one rule (`spacing`).

pub mod cite;
pub mod meta;
pub mod resolve;
pub mod spacing;
