//! The layering the README describes, computed from the `crate::` paths of
//! every file under `src/`: a module may name only modules of a lower layer.

use std::collections::BTreeSet;
use std::path::Path;

/// Lowest first. `chart` sits below `markdown`, which draws a chart block
/// when it reads it; `doc` is the document tree the passes and backends share.
const LAYERS: [&[&str]; 10] = [
    &["core"],
    &["input"],
    &["template"],
    &["chart"],
    &["doc"],
    &["markdown"],
    &["model"],
    &["html", "pdf"],
    &["build"],
    &["cmd"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every `crate::name` a text names.
fn named(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + 7..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

#[test]
fn no_layer_imports_a_higher_one_and_no_module_is_unplaced() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut wrong = Vec::new();
    for path in all {
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        if matches!(first.as_str(), "bin" | "main" | "lib") {
            continue;
        }
        let Some(own) = layer(&first) else {
            wrong.push(format!("{} is in no layer", rel.display()));
            continue;
        };
        for dep in named(&std::fs::read_to_string(&path).unwrap()) {
            match layer(&dep) {
                _ if dep == first => {}
                Some(l) if l < own => {}
                Some(_) => wrong.push(format!("{} ({first}) names crate::{dep}", rel.display())),
                None => wrong.push(format!("{} names crate::{dep}, in no layer", rel.display())),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_check_sees_an_upward_import() {
    assert!(named("use crate::build::Session;\nlet x = crate::core::diag::x;").contains("build"));
    assert!(layer("core") < layer("build"));
}
