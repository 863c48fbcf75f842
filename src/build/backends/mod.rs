//! One file per backend: how the build drives its renderer (`crate::html`,
//! `crate::pdf`).

pub(crate) mod html;
pub(crate) mod pdf;
pub(crate) mod typst;
