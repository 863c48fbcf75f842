//! `folio-bench lineage`: what `--lineage` costs on the flagship, and what
//! `folio diff` costs on a large family.

use std::process::Command;
use std::time::Instant;

use super::{flagship_copy, folio_bin, generate_family, median, ms, run_folio};

/// Runs `folio-bench lineage [--reps 15] [--family 1000]`; false for another command.
pub fn command(args: &[String]) -> bool {
    if args.get(1).map(String::as_str) != Some("lineage") {
        return false;
    }
    let get = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    // The difference is a few percent of a build that varies by more:
    // fifteen alternating runs each by default.
    let reps: usize = get("--reps").and_then(|r| r.parse().ok()).unwrap_or(15);
    let family: usize = get("--family").and_then(|r| r.parse().ok()).unwrap_or(1000);
    lineage_bench(reps, family);
    true
}

/// What `--lineage` costs on the flagship, and what `folio diff` costs on a family.
fn lineage_bench(reps: usize, family: usize) {
    println!("lineage (medians of {reps} runs, fresh process each)\n");
    let flagship = flagship_copy();
    // Runs alternate so that drift of the machine falls on both sides alike.
    let (mut plain, mut traced) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        plain.push(ms(run_folio(flagship.path(), &["build"], &[]).wall));
        traced.push(ms(run_folio(flagship.path(), &["build", "--lineage"], &[]).wall));
    }
    let (p, t) = (median(plain), median(traced));
    println!("  flagship (PDF+HTML): build {p:.1} ms, with --lineage {t:.1} ms → {:+.1}% ({:+.1} ms)", (t / p - 1.0) * 100.0, t - p);

    let tmp = tempfile::tempdir().unwrap();
    generate_family(tmp.path(), family, 7);
    let build = ms(run_folio(tmp.path(), &["build", "--lineage"], &[]).wall);
    let csv = tmp.path().join("content/data/companies.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    // The first note's 2022 revenue, one more: its table cell and bar label change.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    cells[5] = format!("{:.1}", cells[5].parse::<f64>().unwrap() + 1.0);
    lines[1] = cells.join(",");
    std::fs::write(&csv, lines.join("\n") + "\n").unwrap();
    run_folio(tmp.path(), &["build", "--lineage", "--no-force"], &[]);
    let diffs: Vec<f64> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            let out = Command::new(folio_bin()).args(["diff", "--last"]).current_dir(tmp.path()).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            ms(start.elapsed())
        })
        .collect();
    let out = Command::new(folio_bin()).args(["diff", "--last"]).current_dir(tmp.path()).output().unwrap();
    let changed = String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.contains(" changed, ")).count();
    println!(
        "  family of {family} notes: `folio build --lineage` {build:.0} ms; one row changed, `folio diff --last` {:.0} ms ({changed} report(s) with changes listed)",
        median(diffs)
    );
}
