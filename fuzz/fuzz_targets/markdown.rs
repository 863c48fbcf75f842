//! The libFuzzer target of `fuzz/checks/markdown.rs`, which says what it checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/markdown.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check(data));
