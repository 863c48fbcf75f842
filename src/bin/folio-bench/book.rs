//! The long-document case: a project shaped like a long public book —
//! chapters of English prose with emphasis, inline code and links, a code
//! block, a table, a block quote, a list, a footnote and a formula each
//! (about 5 pages a chapter: 110 chapters make ~560 pages) — built to PDF
//! in fresh processes and set against typst's own layout and export of the
//! markup folio generated for it.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use super::{median, ms, run_folio, Rng};

const PROSE: [&str; 12] = [
    "The compiler checks every borrow before the program runs,",
    "so a whole class of memory errors never reaches production.",
    "Ownership moves with the value, and a reference may not outlive it;",
    "the rules are few, but their consequences reach every module.",
    "A trait names behaviour that many types can share,",
    "and generic code written against it is monomorphised at compile time.",
    "Errors are values: a function that can fail says so in its type,",
    "and the caller decides whether to recover, retry or pass the error on.",
    "Iterators compose lazily, so a chain of adapters costs one loop;",
    "closures capture what they use and nothing more.",
    "Threads share data only through types that promise it is safe,",
    "which turns a data race from a night of debugging into a compile error.",
];

fn paragraph(rng: &mut Rng, chapter: usize, k: usize) -> String {
    let mut p = String::new();
    for s in 0..7 {
        p.push_str(rng.pick(&PROSE));
        p.push(' ');
        if s == 2 {
            p.push_str(&format!("See *section {chapter}.{k}* and `Vec<T>` in [the reference](https://doc.rust-lang.org/std/vec/). "));
        }
    }
    p.trim_end().to_string()
}

/// Writes `content/book.md` with `chapters` chapters.
pub fn generate_book(dir: &Path, chapters: usize, seed: u64) {
    let mut rng = Rng(seed | 1);
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    let mut md = String::from("---\ntitle: A Long Book\nlang: en\ndate: 2024-01-01\n---\n\n");
    for c in 1..=chapters {
        md.push_str(&format!("# Chapter {c}: Working with values\n\n"));
        for k in 1..=6 {
            md.push_str(&format!("## Part {k}\n\n"));
            for _ in 0..5 {
                md.push_str(&paragraph(&mut rng, c, k));
                md.push_str("\n\n");
            }
        }
        md.push_str(&format!(
            "```rust\nfn chapter_{c}(values: &[u64]) -> u64 {{\n    values.iter().filter(|v| *v % 2 == 0).map(|v| v * {c}).sum()\n}}\n```\n\n"
        ));
        md.push_str("| Type | Size (bytes) | Copy | Notes |\n|---|---:|:---:|---|\n");
        for (t, s) in [("u8", 1), ("u32", 4), ("u64", 8), ("f64", 8), ("char", 4), ("bool", 1)] {
            md.push_str(&format!("| `{t}` | {s} | yes | a primitive of chapter {c} |\n"));
        }
        md.push_str(&format!(
            "\n> The cost of an abstraction is paid once, by the compiler.[^c{c}]\n\n[^c{c}]: A note of chapter {c}.\n\n- borrow, then release\n- move, then forget\n- clone only when needed\n\nThe sum grows as $\\sum_{{i=1}}^{{n}} i = \\frac{{n(n+1)}}{{2}}$ for chapter {c}.\n\n"
        ));
    }
    std::fs::write(content.join("book.md"), md).unwrap();
}

/// `long` and `generate-book DIR CHAPTERS`; false for other commands.
pub fn command(args: &[String]) -> bool {
    let get = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    match args.get(1).map(String::as_str) {
        Some("long") => {
            let sizes: Vec<usize> = get("--chapters").unwrap_or_else(|| "27,110".into()).split(',').map(|s| s.parse().unwrap()).collect();
            long_bench(&sizes, get("--reps").and_then(|r| r.parse().ok()).unwrap_or(7));
        }
        Some("generate-book") => generate_book(Path::new(&args[2]), args[3].parse().unwrap(), 42),
        _ => return false,
    }
    true
}

/// The median over runs of one stage's time (0 in a run without it).
fn stage_median<'a>(runs: impl IntoIterator<Item = &'a Vec<(String, f64)>>, name: &str) -> f64 {
    median(runs.into_iter().map(|s| s.iter().find(|(n, _)| n == name).map_or(0.0, |(_, v)| *v)).collect())
}

/// `folio-bench long [--chapters 27,110] [--reps 7]`.
pub fn long_bench(sizes: &[usize], reps: usize) {
    let me = std::env::current_exe().unwrap();
    println!("long documents (book-shaped; medians of {reps} runs by turns, fresh process each)\n");
    let mut per_page = Vec::new();
    for &n in sizes {
        let tmp = tempfile::tempdir().unwrap();
        generate_book(tmp.path(), n, 42);
        run_folio(tmp.path(), &["build", "--format", "typst"], &[]);
        let folder = tmp.path().join("output/book.typst");
        // By turns, so that both see the same machine (its speed drifts
        // over seconds), each going first in every other pair: whichever
        // always ran first would meet the machine as the other left it.
        let (mut runs, mut typst) = (Vec::new(), Vec::new());
        let mut typst_stages = Vec::new();
        let mut typst_run = || {
            let start = Instant::now();
            let out = Command::new(&me).arg("typst-only").arg(&folder).output().unwrap();
            let wall = ms(start.elapsed());
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{err}");
            typst_stages.push(super::stages_of(&err).0);
            wall
        };
        for i in 0..reps {
            if i % 2 == 0 {
                runs.push(run_folio(tmp.path(), &["build", "--format", "pdf"], &[]));
                typst.push(typst_run());
            } else {
                typst.push(typst_run());
                runs.push(run_folio(tmp.path(), &["build", "--format", "pdf"], &[]));
            }
        }
        let walls: Vec<f64> = runs.iter().map(|r| ms(r.wall)).collect();
        let pairs = super::paired_ratios(&walls, &typst);
        let (fq, tq) = (super::fastest_quarter(&walls), super::fastest_quarter(&typst));
        let wall = median(walls);
        let typst = median(typst);
        let pages = {
            let out = Command::new(super::folio_bin()).args(["build", "--format", "pdf", "--force"]).current_dir(tmp.path()).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            err.split(" pages)").next().and_then(|s| s.rsplit('(').next()).and_then(|p| p.parse::<usize>().ok()).unwrap_or(1)
        };
        let folio = |name: &str| stage_median(runs.iter().map(|r| &r.stages), name);
        let own: f64 = ["templates", "markdown", "model", "formulas", "typst markup"].iter().map(|s| folio(s)).sum();
        per_page.push((n, pages, own / pages as f64));
        println!("{n} chapters ({pages} pages)");
        println!("  folio build (PDF)  {wall:>8.1} ms");
        println!("  typst layout+export of the same markup {typst:>8.1} ms  → ratio {:.3}; {pairs}", wall / typst);
        println!("  fastest quarter: folio {fq:.1} ms, typst {tq:.1} ms → ratio {:.3}", fq / tq);
        println!("  folio's own stages (templates, markdown, model, formulas, typst markup) {own:.1} ms = {:.3} ms per page", own / pages as f64);
        let stages: Vec<String> = runs[runs.len() / 2].stages.iter().map(|(s, v)| format!("{s} {v:.1}")).collect();
        println!("  stages (ms): {}", stages.join(", "));
        // typst's layout and export in folio's build against the same in
        // typst's own run.
        println!(
            "  typst layout {:.1} and PDF export {:.1} ms in folio's build; {:.1} and {:.1} in typst's run (its fonts and files read in {:.1}, its PDF written in {:.1})",
            folio("typst layout"),
            folio("pdf export"),
            stage_median(&typst_stages, "typst layout"),
            stage_median(&typst_stages, "pdf export"),
            stage_median(&typst_stages, "fonts and files"),
            stage_median(&typst_stages, "write"),
        );
        println!("  peak memory {:.1} MB\n", runs[runs.len() / 2].peak_mb);
    }
    if let [(a, pa, ca), .., (b, pb, cb)] = per_page[..] {
        println!("folio's own cost per page: {a} chapters ({pa} p.) {ca:.3} ms, {b} chapters ({pb} p.) {cb:.3} ms ({:+.0}%)", (cb / ca - 1.0) * 100.0);
    }
}
