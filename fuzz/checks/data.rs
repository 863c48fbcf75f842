//! Arbitrary data files (CSV with any line endings, JSON, YAML, TOML): each
//! parses or fails with a diagnostic; never a panic, and rendering that
//! diagnostic never panics either. The first byte picks the format.
//!
//! The check itself, shared by the fuzz target and by the test that replays
//! the seeds and every input that once failed (`tests/it/fuzz_inputs.rs`).

const FORMATS: [&str; 4] = ["csv", "json", "yaml", "toml"];

pub fn check(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("d.{}", FORMATS[pick as usize % FORMATS.len()]));
    std::fs::write(&path, rest).unwrap();
    if let Err(d) = folio::input::data::load_file(&path) {
        let _ = d.render_plain();
    }
}
