//! The libFuzzer target of `fuzz/checks/records.rs`, which says what it checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/records.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check(data));
