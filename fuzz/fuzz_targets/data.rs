//! Arbitrary data files (CSV with any line endings, JSON, YAML, TOML): each
//! parses or fails with a diagnostic; never a panic, and rendering that
//! diagnostic never panics either. The first byte picks the format.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FORMATS: [&str; 4] = ["csv", "json", "yaml", "toml"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("d.{}", FORMATS[pick as usize % FORMATS.len()]));
    std::fs::write(&path, rest).unwrap();
    if let Err(d) = folio::input::data::load_file(&path) {
        let _ = d.render_plain();
    }
});
