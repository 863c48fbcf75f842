//! Arbitrary TeX through the guard and both translators (MathML for the
//! HTML, typst math for the PDF): each gives a result or a reason, never a
//! panic, a stack overflow or a hang.
//!
//! The check itself, shared by the fuzz target and by the test that replays
//! the seeds and every input that once failed (`tests/it/fuzz_inputs.rs`).

pub fn check(data: &[u8]) {
    let Ok(tex) = std::str::from_utf8(data) else { return };
    let refused = folio::core::tex_guard::checked(tex);
    let html = folio::html::math::to_mathml(tex, data.first().is_some_and(|b| b % 2 == 0));
    let pdf = folio::pdf::math::to_typst(tex);
    // What the guard refuses, neither translator is given.
    if refused.is_some() {
        assert!(html.is_err() && pdf.is_err());
    }
}
