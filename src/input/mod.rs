//! Input stage: the project on disk (folders, settings, reports and their
//! front matter) and its data files.

pub mod data;
pub mod family;
pub mod project;
pub mod sql;
pub mod workbook;
