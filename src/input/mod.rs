//! Input stage: the project on disk (folders, settings, reports and their
//! front matter), its data files, and the manifest records an output folder
//! holds (read back as untrusted input).

pub mod bibliography;
pub mod brand;
pub mod csv_text;
pub mod data;
pub mod json_exact;
pub mod ods_merges;
pub mod origins;
pub mod project;
pub mod reads;
pub mod records;
pub mod seal;
pub mod spellings;
pub mod sql;
pub mod template_files;
pub mod toml_data;
pub mod workbook;
pub mod yaml;
