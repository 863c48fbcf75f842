//! One integration-test crate, so typst links once.

mod build;
mod charts;
mod charts_real_data;
mod common;
mod commonmark;
mod data_sources;
mod diagnostics;
mod escaping;
mod families;
mod flagship;
mod html_valid;
mod limits;
mod math;
mod properties;
mod reliability;
mod research;
mod security;
mod site;
mod workflow;
mod readme;
mod user_input;
mod hostile;
mod snapshots;
mod first_hour;
mod trust;
mod cli;
