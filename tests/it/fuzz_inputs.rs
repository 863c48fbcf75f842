//! The fuzz targets' checks over their seeds (`fuzz/corpus/`) and every
//! input that once failed (`fuzz/regressions/`), in the test suite: a fixed
//! finding stays fixed without a fuzzing run.

use std::path::Path;

#[path = "../../fuzz/checks/chart.rs"]
mod chart;
#[path = "../../fuzz/checks/data.rs"]
mod data;
#[path = "../../fuzz/checks/formula.rs"]
mod formula;
#[path = "../../fuzz/checks/markdown.rs"]
mod markdown;
#[path = "../../fuzz/checks/records.rs"]
mod records;

/// Runs `check` over every file of the target's seeds and regressions;
/// returns how many.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in [fuzz.join("corpus").join(target), fuzz.join("regressions").join(target)] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            let result = std::panic::catch_unwind(|| check(&bytes));
            assert!(result.is_ok(), "{} fails the {target} target's check", file.display());
            n += 1;
        }
    }
    n
}

#[test]
fn every_seed_and_past_finding_passes_its_fuzz_targets_check() {
    assert!(replay("formula", formula::check) >= 7, "the formula seeds and the spaced \\newcommand finding");
    assert!(replay("chart", chart::check) >= 2);
    assert!(replay("data", data::check) >= 4);
    assert!(replay("markdown", markdown::check) >= 5);
    assert!(replay("records", records::check) >= 2);
}

#[test]
fn the_replay_fails_on_an_input_a_check_rejects() {
    let failed = std::panic::catch_unwind(|| replay("formula", |_| panic!("rejected")));
    assert!(failed.is_err());
}
