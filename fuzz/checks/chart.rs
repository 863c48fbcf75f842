//! Arbitrary chart specs (YAML, with inline rows) are drawn or refused with a
//! diagnostic; never a panic, and a drawn chart is well-formed SVG text.
//!
//! The check itself, shared by the fuzz target and by the test that replays
//! the seeds and every input that once failed (`tests/it/fuzz_inputs.rs`).

pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if folio::input::data::nesting_depth(text) > folio::input::data::MAX_SPEC_DEPTH {
        return;
    }
    let Ok(spec) = folio::input::yaml::from_str::<folio::chart::ChartSpec>(text) else { return };
    let set = folio::input::data::DataSet::default();
    let drawn = folio::chart::rows_for(&spec, &set).and_then(|rows| folio::chart::render(&spec, &rows));
    match drawn {
        Ok(chart) => assert!(chart.svg().starts_with("<svg") && chart.svg().ends_with("</svg>"), "{}", chart.svg()),
        Err(d) => {
            let _ = d.render_plain();
        }
    }
}
