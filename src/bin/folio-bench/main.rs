//! The benchmark: `cargo run --release --bin folio-bench [-- --sizes 5,20,80 --reps 3]`.
//!
//! Generates synthetic Chinese report projects (deterministic for a seed),
//! builds them with the `folio` binary in fresh processes, and prints wall
//! time for PDF+HTML, PDF only and HTML only, time per stage, peak memory, and
//! the ratio of the whole build to typst's own layout + export of the same
//! generated markup. Then an incremental case (five one-character Markdown
//! edits and a one-number CSV edit, in one process as `folio watch` does,
//! against the cold `folio build`) and a batch of 100 small reports, parallel
//! vs one at a time.
//!
//! For profiling: `folio-bench edit-loop DIR FILE.md N` (a cold build, then N
//! one-character edits; `FOLIO_TRACE=1` prints typst's own stage timings of
//! the last one) and `folio-bench export-loop TYPST-FOLDER N` (one layout of
//! a `--format typst` folder, then N PDF exports of it); `folio-bench
//! generate DIR SECTIONS REPORTS` writes a synthetic project to try by hand.
//!
//! `folio-bench family [--sizes 100,1000] [--typst-sample 100]`: a family of
//! one-page notes built whole, per-note cost against one cold build, one row
//! changed, and one process per note two at a time (the typst CLI's way);
//! `folio-bench generate-family DIR N` writes such a project.
//!
//! `folio-bench lineage [--reps 15] [--family 1000]`: the cost of `--lineage`
//! on the flagship (fresh processes, with and without), and `folio diff` of
//! two `--lineage` builds of a family with one row changed.
//!
//! `folio-bench long [--chapters 27,110]`: a book-shaped document (110
//! chapters ≈ 560 pages) against typst's layout and export of its markup;
//! `folio-bench generate-book DIR CHAPTERS` writes one.
//!
//! `folio-bench one [--reps 25]`: the flagship's deep-dive and a one-page
//! note, each built alone, against typst's layout and export of its markup.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use folio::build::{build_with, BuildOptions, BuildReport, Format, Session};

mod book;
mod lineage;
mod one;
mod preview;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const WORDS: [&str; 24] = [
    "大模型", "算力", "数据中心", "推理成本", "训练数据", "云计算", "企业客户", "开源生态", "商业化", "应用场景",
    "搜索引擎", "广告系统", "芯片", "参数规模", "行业模型", "开发者", "平台", "用户增长", "毛利率", "资本开支",
    "监管政策", "内容安全", "多模态", "智能助手",
];
const TERMS: [&str; 10] = ["GPU", "API", "MaaS", "Transformer", "token", "RLHF", "PaaS", "SaaS", "LLM", "AIGC"];

fn sentence(rng: &mut Rng) -> String {
    let n = rng.next() % 1000;
    format!(
        "{}与{}的关系正在变化，{} 的使用量同比增长 {}.{}%，{}方面的投入达到 {} 亿元。",
        rng.pick(&WORDS),
        rng.pick(&WORDS),
        rng.pick(&TERMS),
        n / 10,
        n % 10,
        rng.pick(&WORDS),
        rng.next() % 500 + 10
    )
}

/// A project with `sections` sections (or `reports` small reports of one section).
pub fn generate(dir: &Path, sections: usize, reports: usize, seed: u64) {
    let mut rng = Rng(seed | 1);
    let content = dir.join("content");
    std::fs::create_dir_all(content.join("data")).unwrap();
    for r in 0..reports {
        let mut md = format!("---\ntitle: 合成基准报告 {r}\nlang: zh\ndate: 2024-01-01\nchapter_break: false\n---\n\n");
        for i in 0..sections {
            let id = format!("r{r}s{i}");
            let mut csv = String::from("item,value,growth\n");
            for k in 0..6 {
                csv.push_str(&format!("{}{k},{},{}\n", rng.pick(&WORDS), rng.next() % 900 + 100, (rng.next() % 400) as f64 / 1000.0 - 0.1));
            }
            std::fs::write(content.join("data").join(format!("{id}.csv")), csv).unwrap();
            md.push_str(&format!("# 第 {} 节：{} {{#sec:{id}}}\n\n", i + 1, rng.pick(&WORDS)));
            for _ in 0..3 {
                let para: String = (0..4).map(|_| sentence(&mut rng)).collect();
                md.push_str(&para);
                md.push_str("\n\n");
            }
            if i > 0 {
                let prev = format!("r{r}s{}", i - 1);
                md.push_str(&format!("承接@sec:{prev}，见@tbl:{prev} 与@fig:{prev}。[^n{i}]\n\n[^n{i}]: 第 {} 节的注释。\n\n", i + 1));
            }
            md.push_str(&format!(
                "Table: 第 {} 节数据 {{#tbl:{id}}}\n\n| 项目 | 数值 | 增速 |\n|---|---:|---:|\n{{% for row in data.{id} %}}\n| {{{{ row.item }}}} | {{{{ row.value | num }}}} | {{{{ row.growth | signed_pct }}}} |\n{{% endfor %}}\n\n数据来源：合成数据\n\n",
                i + 1
            ));
            md.push_str(&format!(
                "```chart\nkind: bar\ndata: {id}\nx: item\ny: value\nlabels: true\ncaption: 第 {} 节图表\nlabel: fig:{id}\nsource: 数据来源：合成数据\nalt: 第 {} 节六个项目数值的柱状图\n```\n\n",
                i + 1,
                i + 1
            ));
        }
        std::fs::write(content.join(format!("report{r:03}.md")), md).unwrap();
    }
}

pub fn folio_bin() -> PathBuf {
    std::env::current_exe().unwrap().parent().unwrap().join("folio")
}

struct Run {
    wall: Duration,
    stages: Vec<(String, f64)>,
    peak_mb: f64,
    /// Reports the manifest found up to date ("N report(s) up to date").
    skipped: usize,
}

fn run_folio(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let start = Instant::now();
    // Every build is measured whole: the manifest would skip reports built before.
    let force: &[&str] = if args.first() == Some(&"build") && !args.contains(&"--no-force") { &["--force"] } else { &[] };
    let args: Vec<&str> = args.iter().copied().filter(|a| *a != "--no-force").collect();
    let out = Command::new(folio_bin()).args(&args).args(force).arg("--timings").arg("--ignore-system-fonts").current_dir(dir).envs(env.iter().copied()).output().unwrap();
    let wall = start.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "folio failed:\n{err}");
    let skipped = err.lines().find_map(|l| l.split_once(" report(s) up to date").and_then(|(n, _)| n.trim().parse().ok())).unwrap_or(0);
    let (stages, peak_mb) = stages_of(&err);
    Run { wall, stages, peak_mb, skipped }
}

/// The stages `--timings` printed (`  name   12.3 ms`), and the peak memory.
fn stages_of(err: &str) -> (Vec<(String, f64)>, f64) {
    let mut stages = Vec::new();
    let mut peak_mb = 0.0;
    for line in err.lines().filter(|l| l.starts_with("  ") && !l.starts_with("  wrote")) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.len() >= 3 {
            let value: f64 = parts[parts.len() - 2].parse().unwrap_or(0.0);
            let name = parts[..parts.len() - 2].join(" ");
            if name == "peak memory" {
                peak_mb = value;
            } else {
                stages.push((name, value));
            }
        }
    }
    (stages, peak_mb)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Each folio run over the typst run made beside it: the machine's speed
/// drifts over seconds, and a pair sees the same machine. Their median,
/// middle half (the quartiles) and the 95% interval of that median (by
/// resampling the pairs), as text.
fn paired_ratios(folio: &[f64], typst: &[f64]) -> String {
    let mut r: Vec<f64> = folio.iter().zip(typst).map(|(f, t)| f / t).collect();
    r.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| r[((r.len() - 1) as f64 * q).round() as usize];
    let (lo, hi) = median_interval(&r);
    format!("run by run {:.3} (middle half {:.3}–{:.3}; 95% interval of the median {lo:.3}–{hi:.3})", at(0.5), at(0.25), at(0.75))
}

/// The 2.5th and 97.5th percentiles of the median of `v` resampled with
/// replacement 2,000 times (a fixed seed: the same runs, the same interval).
fn median_interval(v: &[f64]) -> (f64, f64) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut medians: Vec<f64> = (0..2000)
        .map(|_| {
            let mut s: Vec<f64> = (0..v.len()).map(|_| v[(rng.next() % v.len() as u64) as usize]).collect();
            s.sort_by(|a, b| a.total_cmp(b));
            s[s.len() / 2]
        })
        .collect();
    medians.sort_by(|a, b| a.total_cmp(b));
    (medians[50], medians[1949])
}

/// The mean of the fastest quarter of `v`: the machine's noise only ever
/// adds time.
fn fastest_quarter(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len().div_ceil(4);
    v[..n].iter().sum::<f64>() / n as f64
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A typst world over a folder `folio build --format typst` wrote, with the shipped fonts.
fn world_from_folder(folder: &Path) -> folio::pdf::world::FolioWorld {
    let read = |p: &str| std::fs::read_to_string(folder.join(p)).unwrap();
    let mut files = Vec::new();
    for sub in ["body", "charts"] {
        for e in std::fs::read_dir(folder.join(sub)).into_iter().flatten().flatten() {
            files.push((format!("/{sub}/{}", e.file_name().to_string_lossy()), std::fs::read(e.path()).unwrap()));
        }
    }
    // As typst's CLI loads the fonts in its binary: each face parsed for
    // its info at the start (folio keeps the infos of its own).
    let mut store = typst_kit::fonts::FontStore::new();
    store.extend(folio::pdf::fonts::in_binary().flat_map(|data| folio::pdf::fonts::faces(typst::foundations::Bytes::new(data))));
    let input = folio::pdf::world::TypstInput {
        main: read("main.typ"),
        template: read("research.typ"),
        template_path: None,
        meta_json: read("meta.json"),
        files,
        today: None,
        shown_main: PathBuf::from("main.typ"),
        places: vec![],
        tables: vec![],
    };
    folio::pdf::world::FolioWorld::new(folder, std::sync::Arc::new(store), input)
}

/// typst's own layout + export of folio's generated markup, cold, in-process.
/// Its stages go to stderr as `folio build --timings` prints them.
fn typst_only(folder: &Path) -> f64 {
    let begin = Instant::now();
    let world = world_from_folder(folder);
    let start = Instant::now();
    let mut t = folio::core::timings::Timings::default();
    t.add("fonts and files", start - begin);
    let compiled = folio::pdf::world::compile(&world, "bench", &[], false, &mut t).unwrap();
    t.time("write", || std::fs::write(folder.join("main.pdf"), compiled.pdf)).unwrap();
    for (stage, d) in &t.stages {
        eprintln!("  {stage:<16} {:>7.1} ms", ms(*d));
    }
    ms(start.elapsed())
}

/// Build options as `folio watch` uses them for `dir`.
/// One build in a watch-like session, then what watch does after it.
fn rebuild(opts: &BuildOptions, session: &Session) -> BuildReport {
    let report = build_with(opts, session).unwrap();
    let names: Vec<String> = report.reports.iter().map(|r| r.name.clone()).collect();
    session.after_build(&names);
    report
}

fn watch_options(dir: &Path) -> BuildOptions {
    BuildOptions {
        dir: dir.to_path_buf(), out: None, format: Format::All, sets: vec![], strict: false,
        ignore_system_fonts: true, dry_run: false, site: false, progress: None, pdf_standards: vec![],
        only: vec![], shard: None, force: true, watchdog: false, list_comments: false, lineage: false, publish_changes: false,
    }
}

/// One-character edits of a Markdown file: its last CJK character of prose
/// (before the final newline) replaced by others the report already uses, so
/// an edit changes the text but not the fonts' glyph sets, and the k-th edit
/// gives text no earlier one gave (nothing is served whole from typst's memo
/// cache) for k up to the number of distinct characters.
struct Edits {
    path: PathBuf,
    text: String,
    at: usize,
    original: char,
    pool: Vec<char>,
}

impl Edits {
    fn new(path: PathBuf) -> Edits {
        let text = std::fs::read_to_string(&path).unwrap();
        let at = text.trim_end().char_indices().rev().find(|(_, c)| folio::core::words::is_cjk(*c) && *c != '。').unwrap().0;
        let original = text[at..].chars().next().unwrap();
        let mut pool: Vec<char> = text.chars().filter(|&c| folio::core::words::is_cjk(c) && c != '。' && c != original).collect();
        pool.sort();
        pool.dedup();
        Edits { path, text, at, original, pool }
    }

    /// Write the k-th edit.
    fn write(&self, k: usize) {
        let mut edited = self.text.clone();
        edited.replace_range(self.at..self.at + self.original.len_utf8(), &self.pool[(k * 7) % self.pool.len()].to_string());
        std::fs::write(&self.path, edited).unwrap();
    }

    /// Put the file back as it was.
    fn restore(&self) {
        std::fs::write(&self.path, &self.text).unwrap();
    }
}

/// How many one-character edits the incremental case makes (their median is reported).
const EDITS: usize = 5;

/// Cold build, then `EDITS` one-character edits in `md` (see `Edits`), then one number changed
/// in `csv` (the last whole number of its first data row), each timed, in
/// this one process as `folio watch` runs them, trimming typst's caches
/// between builds as watch does.
/// Returns (cold, first edit, median edit, data edit) in ms.
fn incremental(dir: &Path, md: &str, csv: &str) -> (f64, f64, f64, f64) {
    let opts = watch_options(dir);
    let session = Session::new();
    let t = Instant::now();
    rebuild(&opts, &session);
    let cold = ms(t.elapsed());
    let md = Edits::new(dir.join(md));
    let mut edits = Vec::new();
    let mut last_stages = String::new();
    for k in 0..EDITS {
        md.write(k);
        let t = Instant::now();
        let report = rebuild(&opts, &session);
        edits.push(ms(t.elapsed()));
        let stages: Vec<String> = report.timings.stages.iter().map(|(s, d)| format!("{s} {:.1}", ms(*d))).collect();
        last_stages = stages.join(", ");
    }
    eprintln!("{last_stages}");
    let first = edits[0];
    let csv = dir.join(csv);
    let data = std::fs::read_to_string(&csv).unwrap();
    let mut lines: Vec<String> = data.lines().map(str::to_string).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    let last = cells.iter().rposition(|c| c.parse::<i64>().is_ok()).expect("a whole number in the first data row");
    cells[last] = (cells[last].parse::<i64>().unwrap() + 1).to_string();
    lines[1] = cells.join(",");
    std::fs::write(&csv, lines.join("\n") + "\n").unwrap();
    let t = Instant::now();
    rebuild(&opts, &session);
    let data_edit = ms(t.elapsed());
    // Leave the project as it was.
    md.restore();
    std::fs::write(&csv, &data).unwrap();
    (cold, first, median(edits), data_edit)
}

/// typst's own timing events of the last build, summed by name (inclusive).
fn print_trace() {
    let mut json = Vec::new();
    typst_timing::export_json(&mut json, |_| (String::new(), 0)).unwrap();
    let events: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
    let mut open: Vec<(String, f64, u64)> = Vec::new();
    let mut sums: Vec<(String, f64, usize)> = Vec::new();
    for e in events {
        let (name, ts, tid) = (e["name"].as_str().unwrap().to_string(), e["ts"].as_f64().unwrap(), e["tid"].as_u64().unwrap());
        if e["ph"] == "B" {
            open.push((name, ts, tid));
        } else if let Some(k) = open.iter().rposition(|(n, _, t)| *n == name && *t == tid) {
            let (name, start, _) = open.remove(k);
            // Count only the outermost scope of a name on a thread.
            if open.iter().any(|(n, _, t)| *n == name && *t == tid) {
                continue;
            }
            match sums.iter_mut().find(|(n, ..)| *n == name) {
                Some(s) => {
                    s.1 += ts - start;
                    s.2 += 1;
                }
                None => sums.push((name, ts - start, 1)),
            }
        }
    }
    sums.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (name, us, count) in sums.iter().take(45) {
        eprintln!("  {name:<32} {:>8.2} ms  ×{count}", us / 1000.0);
    }
}

fn edit_loop(dir: &Path, md: &str, n: usize) {
    let opts = watch_options(dir);
    let session = Session::new();
    rebuild(&opts, &session);
    let md = Edits::new(dir.join(md));
    let mut total = 0.0;
    let mut each = Vec::new();
    let mut stages = folio::build::Timings::default();
    for i in 0..n {
        md.write(i);
        let trace = i + 1 == n && std::env::var_os("FOLIO_TRACE").is_some();
        if trace {
            typst_timing::clear();
            typst_timing::enable();
        }
        let t = Instant::now();
        let report = rebuild(&opts, &session);
        total += ms(t.elapsed());
        each.push(ms(t.elapsed()));
        if trace {
            typst_timing::disable();
            print_trace();
        }
        for (s, d) in report.timings.stages {
            stages.add(s, d);
        }
    }
    md.restore();
    let listed: f64 = stages.stages.iter().map(|(_, d)| ms(*d)).sum();
    let shown: Vec<String> = stages.stages.iter().map(|(s, d)| format!("{s} {:.1}", ms(*d) / n as f64)).collect();
    println!(
        "{:.1} ms per edit, median {:.1} ({}, other {:.1})",
        total / n as f64,
        median(each),
        shown.join(", "),
        (total - listed) / n as f64
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("typst-only") {
        println!("{:.1}", typst_only(Path::new(&args[2])));
        return;
    }
    if args.get(1).map(String::as_str) == Some("family") {
        let get = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
        let sizes: Vec<usize> = get("--sizes").unwrap_or_else(|| "100,1000".into()).split(',').map(|s| s.parse().unwrap()).collect();
        let sample: usize = get("--typst-sample").and_then(|r| r.parse().ok()).unwrap_or(100);
        family_bench(&sizes, sample);
        return;
    }
    if preview::command(&args) || lineage::command(&args) || book::command(&args) || one::command(&args) {
        return;
    }
    if args.get(1).map(String::as_str) == Some("generate-family") {
        // A family project to try by hand: DIR NOTES.
        generate_family(Path::new(&args[2]), args[3].parse().unwrap(), 7);
        return;
    }
    if args.get(1).map(String::as_str) == Some("generate") {
        // A synthetic project to try by hand: DIR SECTIONS REPORTS.
        generate(Path::new(&args[2]), args[3].parse().unwrap(), args[4].parse().unwrap(), 42);
        return;
    }
    if args.get(1).map(String::as_str) == Some("export-loop") {
        // For profiling the PDF export alone: one layout, N exports of it.
        let n: usize = args[3].parse().unwrap();
        let world = world_from_folder(Path::new(&args[2]));
        let doc = typst::compile::<typst_layout::PagedDocument>(&world).output.unwrap();
        let times: Vec<f64> = (0..n)
            .map(|_| {
                let t = Instant::now();
                typst_pdf::pdf(&doc, &Default::default()).unwrap();
                ms(t.elapsed())
            })
            .collect();
        println!("export median {:.2} ms, min {:.2} ms", median(times.clone()), times.iter().cloned().fold(f64::MAX, f64::min));
        return;
    }
    if args.get(1).map(String::as_str) == Some("edit-loop") {
        // For profiling: a cold build, then N one-character edits.
        edit_loop(Path::new(&args[2]), &args[3], args[4].parse().unwrap());
        return;
    }
    if args.get(1).map(String::as_str) == Some("incremental") {
        let (c, f, e, d) = incremental(Path::new(&args[2]), &args[3], &args[4]);
        println!("{c:.1} {f:.1} {e:.1} {d:.1}");
        return;
    }
    let get = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let sizes: Vec<usize> = get("--sizes").unwrap_or_else(|| "5,20,80".into()).split(',').map(|s| s.parse().unwrap()).collect();
    let reps: usize = get("--reps").and_then(|r| r.parse().ok()).unwrap_or(3);
    let seed: u64 = get("--seed").and_then(|r| r.parse().ok()).unwrap_or(42);
    let me = std::env::current_exe().unwrap();

    println!("folio benchmark (medians of {reps} runs, fresh process each; seed {seed})\n");
    let mut per_section = Vec::new();
    for &n in &sizes {
        let tmp = tempfile::tempdir().unwrap();
        generate(tmp.path(), n, 1, seed);
        let mut all = Vec::new();
        let mut pdf = Vec::new();
        let mut html = Vec::new();
        let mut runs = Vec::new();
        for _ in 0..reps {
            let r = run_folio(tmp.path(), &["build"], &[]);
            all.push(ms(r.wall));
            runs.push(r);
            pdf.push(ms(run_folio(tmp.path(), &["build", "--format", "pdf"], &[]).wall));
            html.push(ms(run_folio(tmp.path(), &["build", "--format", "html"], &[]).wall));
        }
        run_folio(tmp.path(), &["build", "--format", "typst"], &[]);
        let folder = tmp.path().join("output/report000.typst");
        // Like `typst compile` of that folder: a fresh process that loads the
        // fonts, reads the files, lays out, exports and writes the PDF.
        let typst: Vec<f64> = (0..reps)
            .map(|_| {
                let start = Instant::now();
                let out = Command::new(&me).arg("typst-only").arg(&folder).output().unwrap();
                assert!(out.status.success());
                ms(start.elapsed())
            })
            .collect();
        let pages = {
            let out = Command::new(folio_bin()).args(["build", "--format", "pdf"]).current_dir(tmp.path()).output().unwrap();
            String::from_utf8_lossy(&out.stderr).split(" pages)").next().and_then(|s| s.rsplit('(').next()).unwrap_or("?").to_string()
        };
        let (all_m, typst_m) = (median(all), median(typst));
        per_section.push((n, all_m / n as f64));
        println!("N = {n} sections ({pages} pages)");
        println!("  PDF+HTML  {:>8.1} ms", all_m);
        println!("  PDF only  {:>8.1} ms", median(pdf));
        println!("  HTML only {:>8.1} ms", median(html));
        println!("  typst layout+export of the same markup {:>8.1} ms  → ratio {:.2}", typst_m, all_m / typst_m);
        let r = &runs[runs.len() / 2];
        let stages: Vec<String> = r.stages.iter().map(|(s, v)| format!("{s} {v:.1}")).collect();
        println!("  stages (ms): {}", stages.join(", "));
        println!("  peak memory {:.1} MB\n", r.peak_mb);
    }
    if per_section.len() >= 2 {
        let (a, b) = (per_section[per_section.len() - 2], per_section[per_section.len() - 1]);
        println!("per-section cost: N={} {:.1} ms, N={} {:.1} ms ({:+.0}%)\n", a.0, a.1, b.0, b.1, (b.1 / a.1 - 1.0) * 100.0);
    }

    let synthetic = tempfile::tempdir().unwrap();
    generate(synthetic.path(), *sizes.iter().find(|&&n| n >= 20).unwrap_or(&sizes[0]), 1, seed);
    let flagship = flagship_copy();
    let cases = [
        ("synthetic report", synthetic.path(), "content/report000.md", "content/data/r0s0.csv"),
        ("flagship", flagship.path(), "content/chapters/02-global.md", "content/data/hardware.csv"),
    ];
    for (name, dir, md, csv) in cases {
        let mut last_stages = String::new();
        let inc: Vec<Vec<f64>> = (0..reps)
            .map(|_| {
                let out = Command::new(&me).arg("incremental").arg(dir).arg(md).arg(csv).output().unwrap();
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                last_stages = String::from_utf8_lossy(&out.stderr).trim().to_string();
                String::from_utf8_lossy(&out.stdout).split_whitespace().map(|x| x.parse().unwrap()).collect()
            })
            .collect();
        let col = |i: usize| median(inc.iter().map(|x| x[i]).collect());
        let (cold, first, edit, data) = (col(0), col(1), col(2), col(3));
        // The cold build a user waits for: `folio build` in a fresh process.
        let fresh = median((0..reps).map(|_| ms(run_folio(dir, &["build"], &[]).wall)).collect());
        let pct = |x: f64, of: f64| x / of * 100.0;
        println!("incremental, {name} (one process, as in watch; medians of {reps} runs):");
        println!("  cold build: `folio build` in a fresh process {fresh:.1} ms; first build of the watching process {cold:.1} ms");
        println!(
            "  one-character edit (median of {EDITS} edits) {edit:.1} ms = {:.0}% of the cold `folio build` ({:.0}% of the first build in process); first edit after start {first:.1} ms",
            pct(edit, fresh),
            pct(edit, cold)
        );
        println!("  one-number CSV edit {data:.1} ms = {:.0}% of the cold `folio build`", pct(data, fresh));
        println!("  stages of the last one-character rebuild (ms): {last_stages}\n");
    }

    let tmp = tempfile::tempdir().unwrap();
    generate(tmp.path(), 1, 100, seed);
    let par = median((0..reps).map(|_| ms(run_folio(tmp.path(), &["build"], &[]).wall)).collect());
    let seq = median((0..reps).map(|_| ms(run_folio(tmp.path(), &["build"], &[("FOLIO_JOBS", "1")]).wall)).collect());
    println!("batch of 100 reports: parallel {par:.1} ms, one at a time {seq:.1} ms (speed-up {:.2}×)", seq / par);
}

/// The flagship's content and settings in a temporary folder.
pub fn flagship_copy() -> tempfile::TempDir {
    let flagship = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    folio::core::paths::copy_dir(&root.join("content"), &flagship.path().join("content")).unwrap();
    std::fs::copy(root.join("folio.toml"), flagship.path().join("folio.toml")).unwrap();
    flagship
}

/// A family of `n` one-page company notes (Chinese and English by turns,
/// a table and a chart each, data in one CSV).
pub fn generate_family(dir: &Path, n: usize, seed: u64) {
    let mut rng = Rng(seed | 1);
    std::fs::create_dir_all(dir.join("content/data")).unwrap();
    let mut csv = String::from("ticker,name,lang,rating,summary,r2022,r2023,r2024\n");
    for i in 0..n {
        let zh = i % 2 == 0;
        let base = 100.0 + (rng.next() % 9000) as f64 / 10.0;
        let summary = if zh {
            (0..12).map(|_| rng.pick(&WORDS)).collect::<Vec<_>>().join("，") + "。"
        } else {
            "Revenue grew on cloud demand while margins held; we keep our view on the model roadmap and capital spending.".to_string()
        };
        csv.push_str(&format!(
            "C{i:05},{},{},{},{summary},{base:.1},{:.1},{:.1}\n",
            if zh { format!("示例公司{i}") } else { format!("Example Co {i}") },
            if zh { "zh" } else { "en" },
            if zh { "买入" } else { "Buy" },
            base * 1.1,
            base * 1.25
        ));
    }
    std::fs::write(dir.join("content/data/companies.csv"), csv).unwrap();
    let note = r#"---
each: companies
name: "{{ row.ticker }}"
title: "{{ row.name }} ({{ row.ticker }})"
lang: "{{ row.lang }}"
rating: {action: "{{ row.rating }}", rating: "{{ row.rating }}"}
---
# {{ row.name }}

{{ row.summary }}

Table: {{ "营业收入" if row.lang == "zh" else "Revenue" }} {#tbl:revenue}

| | 2022A | 2023E | 2024E |
|---|---:|---:|---:|
| {{ "营业收入" if row.lang == "zh" else "Revenue" }} | {{ row.r2022 | num(1) }} | {{ row.r2023 | num(1) }} | {{ row.r2024 | num(1) }} |

```chart
kind: bar
rows: [{y: 2022A, v: {{ row.r2022 }}}, {y: 2023E, v: {{ row.r2023 }}}, {y: 2024E, v: {{ row.r2024 }}}]
x: y
y: v
labels: true
height: 240
caption: "{{ row.name }}"
alt: "{{ row.name }}"
```
"#;
    std::fs::write(dir.join("content/notes.md"), note).unwrap();
}

fn family_bench(sizes: &[usize], sample: usize) {
    let me = std::env::current_exe().unwrap();
    println!("report family: one-page notes (zh and en, a table and a chart each), one CSV\n");
    // A single note, cold: what one report costs on its own.
    let one = tempfile::tempdir().unwrap();
    generate_family(one.path(), 1, 7);
    let single = median((0..5).map(|_| ms(run_folio(one.path(), &["build"], &[]).wall)).collect());
    println!("  one note, cold `folio build`: {single:.1} ms");
    let mut per = Vec::new();
    let mut biggest = None;
    for &n in sizes {
        let tmp = tempfile::tempdir().unwrap();
        generate_family(tmp.path(), n, 7);
        // A small family builds in a few tenths of a second, where this
        // machine's noise is largest: more runs for it.
        let reps = if n < 1000 { 7 } else { 3 };
        let runs: Vec<Run> = (0..reps).map(|_| run_folio(tmp.path(), &["build"], &[])).collect();
        let wall = median(runs.iter().map(|r| ms(r.wall)).collect());
        let peak = runs.iter().map(|r| r.peak_mb).fold(0.0, f64::max);
        per.push((n, wall / n as f64, peak));
        println!(
            "  {n} notes: {wall:.0} ms, {:.2} ms a note = {:.0}% of one cold build; peak memory {peak:.0} MB",
            wall / n as f64,
            wall / n as f64 / single * 100.0
        );
        biggest = Some((n, tmp));
    }
    if per.len() >= 2 {
        let (a, b) = (per[0], per[per.len() - 1]);
        println!("  linear in N: {} notes {:.2} ms each, {} notes {:.2} ms each ({:+.0}%); peak memory {:.0} → {:.0} MB", a.0, a.1, b.0, b.1, (b.1 / a.1 - 1.0) * 100.0, a.2, b.2);
    }
    let Some((n, tmp)) = biggest else { return };
    // Memory beyond the data: the biggest table again, with only a quarter
    // of its members built (every row is parsed either way; the first few
    // hundred members warm typst's caches).
    let names: Vec<String> = (0..(n / 4).max(1)).map(|i| format!("C{i:05}")).collect();
    let mut only = vec!["build", "--only"];
    only.extend(names.iter().map(String::as_str));
    let few = (0..3).map(|_| run_folio(tmp.path(), &only, &[]).peak_mb).fold(0.0, f64::max);
    println!("  memory beyond the data ({n}-row table): {} members built {few:.0} MB, all {n} {:.0} MB", names.len(), per.last().unwrap().2);
    // One row changed: only its note is built again.
    let csv = tmp.path().join("content/data/companies.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, text.replacen(",买入,", ",增持,", 1)).unwrap();
    let r = run_folio(tmp.path(), &["build", "--no-force"], &[]);
    println!("  one row changed, {n} notes: {:.0} ms for the whole run ({} built, {} skipped)", ms(r.wall), n - r.skipped, r.skipped);
    // The typst CLI (FOLIO_TYPST or `typst` on PATH; else a stand-in: a
    // fresh process of ours that loads the fonts, reads the files, lays out
    // and writes the PDF) compiling every note's generated markup, one
    // process per note, two at a time, on a sample of the notes.
    run_folio(tmp.path(), &["build", "--format", "typst"], &[]);
    let mut folders: Vec<PathBuf> = std::fs::read_dir(tmp.path().join("output")).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "typst")).collect();
    folders.sort();
    folders.truncate(sample);
    let typst_cli = std::env::var("FOLIO_TYPST").ok().or_else(|| Command::new("typst").arg("--version").output().ok().filter(|o| o.status.success()).map(|_| "typst".to_string()));
    let what = match &typst_cli {
        Some(cli) => format!("the typst CLI ({})", String::from_utf8_lossy(&Command::new(cli).arg("--version").output().unwrap().stdout).trim()),
        None => "a stand-in for the typst CLI (no `typst` found)".to_string(),
    };
    // The CJK fonts folio ships, as files: with them the CLI sets the same
    // pages folio does (without, its Chinese text would be missing glyphs).
    let font_dir = tmp.path().join("cli-fonts");
    std::fs::create_dir_all(&font_dir).unwrap();
    for (name, bytes) in [
        ("FolioSerifCJK-Regular.ttf", folio_fonts_serif::REGULAR),
        ("FolioSerifCJK-Bold.ttf", folio_fonts_serif::BOLD),
        ("FolioSansCJK-Regular.ttf", folio_fonts_sans::REGULAR),
        ("FolioSansCJK-Bold.ttf", folio_fonts_sans::BOLD),
    ] {
        std::fs::write(font_dir.join(name), bytes).unwrap();
    }
    let start = Instant::now();
    // Two at a time as `xargs -P 2` runs them: each of two slots starts the
    // next note as soon as its last one is done.
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some(f) = folders.get(next.fetch_add(1, std::sync::atomic::Ordering::SeqCst)) {
                    let status = match &typst_cli {
                        Some(cli) => Command::new(cli)
                            .args(["compile", "--root"])
                            .arg(f)
                            .arg("--font-path")
                            .arg(&font_dir)
                            .arg(f.join("main.typ"))
                            .arg(f.join("out.pdf"))
                            .stdout(std::process::Stdio::null())
                            .stderr(std::process::Stdio::null())
                            .status(),
                        None => Command::new(&me).arg("typst-only").arg(f).stdout(std::process::Stdio::null()).status(),
                    };
                    assert!(status.unwrap().success());
                }
            });
        }
    });
    let typst_per = ms(start.elapsed()) / folders.len() as f64;
    let folio_per = per.last().unwrap().1;
    println!(
        "  {what}, one process per note, two at a time ({} sampled): {typst_per:.1} ms a note; folio {folio_per:.2} ms a note → {:.1}× faster",
        folders.len(),
        typst_per / folio_per
    );
    warm_typst_peer(tmp.path(), n, &font_dir);
}

/// The strongest peer a user scripting typst has: typst kept warm in one
/// process per core (the PyPI binding's `typst.Compiler`, fonts loaded
/// once per worker), compiling every note's generated markup, against
/// folio's whole build of the family, PDF only, alternating runs.
fn warm_typst_peer(project: &Path, n: usize, font_dir: &Path) {
    let has_binding = Command::new("python3").args(["-c", "import typst"]).output().is_ok_and(|o| o.status.success());
    if !has_binding {
        println!("  warm typst peer skipped: `pip install typst==0.15.0` (the PyPI binding) to compare against it");
        return;
    }
    let script = project.join("warm_typst.py");
    std::fs::write(&script, WARM_TYPST_PY).unwrap();
    let out_dir = project.join("output");
    let (mut folio, mut warm) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        folio.push(ms(run_folio(project, &["build", "--format", "pdf"], &[]).wall));
        let start = Instant::now();
        let status = Command::new("python3").arg(&script).arg(&out_dir).arg(font_dir).status().unwrap();
        assert!(status.success(), "the warm typst peer failed");
        warm.push(ms(start.elapsed()));
    }
    let (f, w) = (median(folio), median(warm));
    println!(
        "  typst kept warm (PyPI binding {}, two worker processes) on all {n} notes' markup: {w:.0} ms; folio's whole build, PDF only: {f:.0} ms → folio {:+.1}%",
        String::from_utf8_lossy(&Command::new("python3").args(["-c", "import importlib.metadata as m; print(m.version('typst'))"]).output().unwrap().stdout).trim(),
        (f / w - 1.0) * 100.0
    );
}

/// Two worker processes, each with one `typst.Compiler` (fonts loaded once),
/// compiling the folders `--format typst` wrote, as a user scripting typst would.
const WARM_TYPST_PY: &str = r#"import multiprocessing as mp, pathlib, sys, typst
out, fonts = pathlib.Path(sys.argv[1]), sys.argv[2]
compiler = None
def init():
    global compiler
    compiler = typst.Compiler(font_paths=[fonts], ignore_system_fonts=True)
def one(folder):
    compiler.compile(input=str(folder / "main.typ"), root=str(folder), output=str(folder / "out.pdf"))
if __name__ == "__main__":
    folders = sorted(p for p in out.iterdir() if p.suffix == ".typst")
    with mp.Pool(2, initializer=init) as pool:
        pool.map(one, folders, chunksize=8)
"#;
