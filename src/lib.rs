//! folio: Markdown + data → minijinja → document model → PDF (typst) and HTML.
//!
//! Stages, one module each, data flowing one way:
//! project → data → render → markdown → resolve (model) → html / typst_markup + pdf → output.

pub mod build;
pub mod chart;
pub mod data;
pub mod diag;
pub mod filters;
pub mod fonts;
pub mod highlight;
pub mod html;
pub mod markdown;
pub mod model;
pub mod output;
pub mod paths;
pub mod pdf;
pub mod printed;
pub mod project;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod sourcemap;
pub mod templates;
pub mod texmath;
pub mod typst_markup;
pub mod watch;
