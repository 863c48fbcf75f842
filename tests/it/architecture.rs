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

/// `src/` and every `.rs` file under it.
fn sources() -> (std::path::PathBuf, Vec<std::path::PathBuf>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    (src, all)
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
    let (src, all) = sources();
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

/// The functions of `text` (by name, first line) with more than `max`
/// lines, from `fn` to the closing brace at the `fn`'s own indentation.
fn long_functions(text: &str, max: usize) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let head = ["pub(crate) ", "pub(super) ", "pub "].iter().find_map(|p| trimmed.strip_prefix(p)).unwrap_or(trimmed);
        let head = head.strip_prefix("async ").unwrap_or(head);
        let Some(rest) = head.strip_prefix("fn ") else { continue };
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        // A declaration without a body (in a trait) ends with `;`.
        let Some(open) = lines[i..].iter().position(|l| l.trim_end().ends_with('{') || l.trim_end().ends_with(';')) else { continue };
        if lines[i + open].trim_end().ends_with(';') || lines[i + open].trim_end().ends_with("}") {
            continue;
        }
        let close = format!("{indent}}}");
        if let Some(end) = lines[i + open..].iter().position(|l| *l == close) {
            let len = open + end + 1;
            if len > max {
                out.push((name, i + 1, len));
            }
        }
    }
    out
}

#[test]
fn no_function_has_more_than_150_lines() {
    let (src, all) = sources();
    let mut long = Vec::new();
    for path in all {
        for (name, line, len) in long_functions(&std::fs::read_to_string(&path).unwrap(), 150) {
            long.push(format!("{}:{line}: fn {name} has {len} lines", path.strip_prefix(&src).unwrap().display()));
        }
    }
    assert!(long.is_empty(), "split these functions:\n{}", long.join("\n"));
}

#[test]
fn the_length_check_measures_a_function_to_its_closing_brace() {
    let body = "    x();\n".repeat(160);
    let text = format!("fn short() {{\n}}\n\npub(crate) fn long(\n    a: u8,\n) -> u8 {{\n{body}}}\n\ntrait T {{\n    fn f(&self);\n}}\n");
    assert_eq!(long_functions(&text, 150), vec![("long".to_string(), 4, 164)]);
}

#[test]
fn the_build_module_only_orchestrates() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/build/mod.rs")).unwrap();
    let n = text.lines().count();
    assert!(n < 400, "src/build/mod.rs has {n} lines: its stages belong in their own files");
}
