//! One report against typst on its markup: `folio-bench one [--reps 25]`.
//! The flagship's deep-dive (with its `fonts/` folder, as the repository
//! holds it) and the one-page note `folio new --lang en` makes, each built
//! as a user builds it — `folio build --format pdf --only NAME --force`, a
//! fresh process — against `folio-bench typst-only` of the `--format typst`
//! folder folio wrote for it (typst's layout and export in a fresh process,
//! the same fonts loaded, each source parsed when typst first asks for it,
//! as its CLI does, the PDF written). The two run
//! by turns, each first in every other pair, so that both see the same
//! machine. Beside the medians: the fastest quarter of each (the machine's
//! noise only ever adds time) and the CPU time each process used.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::{fastest_quarter, folio_bin, median, ms, paired_ratios};

/// `one [--reps N]`; false for other commands.
pub fn command(args: &[String]) -> bool {
    if args.get(1).map(String::as_str) != Some("one") {
        return false;
    }
    let reps = args.iter().position(|a| a == "--reps").and_then(|i| args.get(i + 1)).and_then(|r| r.parse().ok()).unwrap_or(25);
    let flagship = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "fonts", "templates"] {
        if root.join(dir).is_dir() {
            folio::core::paths::copy_dir(&root.join(dir), &flagship.path().join(dir)).unwrap();
        }
    }
    std::fs::copy(root.join("folio.toml"), flagship.path().join("folio.toml")).unwrap();
    let note = tempfile::tempdir().unwrap();
    let made = Command::new(folio_bin()).args(["new", "--lang", "en"]).arg(note.path().join("note")).output().unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    // A manifest record keeps the stamps only of files left alone for 2 s:
    // the copies are given that, as a project's files have it.
    std::thread::sleep(Duration::from_millis(2100));
    println!("one report against typst on its markup (medians of {reps}, by turns, fresh processes)\n");
    for (what, dir) in [("the flagship's deep-dive", flagship.path().to_path_buf()), ("a one-page note (folio new --lang en)", note.path().join("note"))] {
        compare(what, &dir, "report", reps);
    }
    true
}

/// A run's wall time and the CPU time (user and system) its process used.
fn timed(cmd: &mut Command) -> (f64, f64) {
    let before = children_cpu();
    let start = Instant::now();
    let out = cmd.output().unwrap();
    let wall = ms(start.elapsed());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (wall, children_cpu() - before)
}

/// CPU time used by this process's waited-for children so far, in ms.
fn children_cpu() -> f64 {
    // SAFETY: getrusage writes into the struct it is given, nothing else.
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut u);
        u
    };
    let t = |v: libc::timeval| v.tv_sec as f64 * 1000.0 + v.tv_usec as f64 / 1000.0;
    t(usage.ru_utime) + t(usage.ru_stime)
}

fn compare(what: &str, dir: &Path, name: &str, reps: usize) {
    let folio = || timed(Command::new(folio_bin()).args(["build", "--format", "pdf", "--only", name, "--force"]).current_dir(dir));
    timed(Command::new(folio_bin()).args(["build", "--format", "typst", "--only", name, "--force"]).current_dir(dir));
    let folder = dir.join("output").join(format!("{name}.typst"));
    let typst = || timed(Command::new(std::env::current_exe().unwrap()).arg("typst-only").arg(&folder));
    // One of each first: the files read into the page cache, the manifest
    // record written.
    folio();
    typst();
    let (mut f, mut t, mut f_cpu, mut t_cpu) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..reps {
        let (a, b) = if i % 2 == 0 {
            let a = folio();
            (a, typst())
        } else {
            let b = typst();
            (folio(), b)
        };
        f.push(a.0);
        f_cpu.push(a.1);
        t.push(b.0);
        t_cpu.push(b.1);
    }
    let spread = |v: &[f64]| (v.iter().cloned().fold(f64::MAX, f64::min), v.iter().cloned().fold(0.0, f64::max));
    let ((f_lo, f_hi), (t_lo, t_hi)) = (spread(&f), spread(&t));
    let pairs = paired_ratios(&f, &t);
    let (fq, tq) = (fastest_quarter(&f), fastest_quarter(&t));
    let (fm, tm, fc, tc) = (median(f), median(t), median(f_cpu), median(t_cpu));
    println!("{what}");
    println!("  folio build    {fm:>7.1} ms  ({f_lo:.0}–{f_hi:.0})");
    println!("  typst, same markup {tm:>7.1} ms  ({t_lo:.0}–{t_hi:.0})  → ratio {:.3}; {pairs}", fm / tm);
    println!("  fastest quarter: folio {fq:.1} ms, typst {tq:.1} ms → ratio {:.3}", fq / tq);
    println!("  CPU time (user + system): folio {fc:.1} ms, typst {tc:.1} ms → ratio {:.3}\n", fc / tc);
}
