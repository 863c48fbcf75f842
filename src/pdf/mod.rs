//! PDF backend: the model printed as typst markup (`markup`) with charts
//! redrawn as typst shapes (`chart`), compiled and exported in-process
//! (`world`), with the fonts folio ships (`fonts`) and TeX math translated
//! to typst's (`math`).

pub mod chart;
#[cfg(feature = "pdf")]
pub mod fonts;
pub mod literal;
pub mod markup;
pub mod math;
#[cfg(feature = "pdf")]
pub mod table_fit;
#[cfg(feature = "pdf")]
pub mod world;
