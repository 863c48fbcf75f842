//! Arbitrary Markdown through the model into both backends: never a panic,
//! and every failure is a diagnostic naming the user's file.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

struct Env {
    root: tempfile::TempDir,
    fonts: folio::pdf::fonts::Fonts,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("content")).unwrap();
        let fonts = folio::pdf::fonts::Fonts::new(&root.path().join("fonts"));
        Env { root, fonts }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(md) = std::str::from_utf8(data) else { return };
    let env = env();
    if let Err(failure) = folio::build::snippet(env.root.path(), md, &env.fonts) {
        for d in failure.0.iter().filter(|d| d.severity == folio::diag::Severity::Error) {
            let loc = d.location.as_ref().expect("every error names a place");
            assert!(loc.path.ends_with("content/snippet.md"), "{}", d.render_plain());
        }
    }
});
