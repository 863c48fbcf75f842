//! The libFuzzer target of `fuzz/checks/formula.rs`, which says what it checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/formula.rs"]
mod checks;

fuzz_target!(init: {
    // libFuzzer's hook aborts on any panic, also one folio catches: the
    // translators' own panics (mitex on odd input) fail the formula, by
    // design. A panic folio does not catch still aborts the run.
    std::panic::set_hook(Box::new(|_| {}));
}, |data: &[u8]| checks::check(data));
