//! The leaf layer: helpers every stage uses and that import nothing else of
//! the crate — diagnostics, confined paths, text, language words, number and
//! date formatting, the one date parser, the formula guard, source maps and
//! timings. A module here may use another module here, never one above.

pub mod dates;
pub mod diag;
pub mod excel_format;
pub mod format;
pub mod paths;
pub mod sourcemap;
pub mod tex_guard;
pub mod text;
pub mod threads;
pub mod timings;
pub mod value_marks;
pub mod words;
