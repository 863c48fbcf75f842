//! Arbitrary manifest records and shard folders: a record is judged without
//! a panic; one that fits names only plain paths and its own report's
//! outputs; and a merge's copies of a fitting record come only from inside
//! the shard, through no link (a link to a secret file is planted beside
//! the real outputs).
//!
//! The check itself, shared by the fuzz target and by the test that replays
//! the seeds and every input that once failed (`tests/it/fuzz_inputs.rs`).

const NAMES: [&str; 4] = ["report", "a.b", "..", "x/y"];
const SECRET: &[u8] = b"SECRET outside the shard";

pub fn check(data: &[u8]) {
    let Some((&pick, json)) = data.split_first() else { return };
    let name = NAMES[pick as usize % NAMES.len()];
    let key = folio::input::seal::Key::fixed(b"fuzzing key of 32 bytes or more.");
    let Ok(got) = folio::input::records::judge(json, name, &key) else { return };
    let Some(entry) = got.fitting() else { return };
    assert!(folio::core::paths::is_safe_name(name));
    assert!(folio::core::paths::is_plain_relative(&entry.source));
    for o in entry.outputs.keys() {
        assert!(folio::core::paths::is_plain_relative(o) && folio::input::records::is_output_of(name, o), "{o}");
    }
    for f in entry.files.keys() {
        assert!(folio::core::paths::is_plain_relative(f), "{f}");
    }
    // A shard holding each output as a link to a secret, but for the first.
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret");
    std::fs::write(&secret, SECRET).unwrap();
    let shard = tempfile::tempdir().unwrap();
    for (k, o) in entry.outputs.keys().enumerate() {
        let path = shard.path().join(o);
        // One output may be another's folder (`r.typst/a`, `r.typst/a/b`):
        // then the second cannot be planted, and the merge must cope.
        if std::fs::create_dir_all(path.parent().unwrap()).is_err() {
            continue;
        }
        if k == 0 {
            let _ = std::fs::write(&path, b"output");
        } else {
            let _ = std::os::unix::fs::symlink(&secret, &path);
        }
    }
    std::fs::create_dir_all(shard.path().join("manifest")).unwrap();
    std::fs::write(shard.path().join("manifest").join(format!("{name}.json")), json).unwrap();
    if let Ok(copies) = folio::input::records::shard_copies(shard.path(), &entry, &format!("manifest/{name}.json")) {
        for (rel, bytes) in copies {
            assert!(folio::core::paths::is_plain_relative(&rel));
            assert_ne!(bytes, SECRET, "{rel} was read through a link");
        }
    }
}
