//! Report families: one Markdown file and a table give a report per row;
//! names are checked, `--only` picks members, the manifest skips what is up
//! to date and rebuilds exactly what changed, and shards built apart merge
//! into the same files, byte for byte, as one build.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::*;

const COMPANIES: &str = "ticker,name,lang,revenue,growth
BABA,阿里巴巴,zh,8686.9,0.019
BIDU,百度,zh,1236.8,-0.010
TCEHY,腾讯,zh,5545.5,-0.010
MSFT,Microsoft,en,1982.7,0.069
GOOG,Alphabet,en,2828.4,0.098
META,Meta,en,1166.1,-0.011
";

const HISTORY: &str = "ticker,year,revenue
BABA,2022A,8530.6
BABA,2023E,8686.9
BIDU,2022A,1244.9
BIDU,2023E,1236.8
";

const NOTE: &str = r#"---
each: companies
name: "{{ row.ticker }}"
title: "{{ row.name }} ({{ row.ticker }})"
lang: "{{ row.lang }}"
---
# {{ row.name }}

Revenue {{ row.revenue | num(1) }}, growth {{ row.growth | signed_pct(1) }}.

{% include "parts/disclaimer.md" %}
"#;

fn family() -> Fixture {
    Fixture::new(&[
        ("content/notes.md", NOTE),
        ("content/parts/disclaimer.md", "For illustration only.\n"),
        ("content/data/companies.csv", COMPANIES),
        ("content/data/history.csv", HISTORY),
    ])
}

/// The family members a build built (not skipped), from its progress lines.
fn built(stderr: &str) -> Vec<String> {
    let mut names: Vec<String> = stderr.lines().filter_map(|l| l.strip_prefix("built content/notes.md [")).map(|l| l.split(']').next().unwrap().to_string()).collect();
    names.sort();
    names
}

/// Every file under `dir`, relative path → bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn folio_env(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_folio"));
    cmd.args(args).current_dir(root);
    for k in ["FOLIO_SHARD_INDEX", "FOLIO_SHARD_COUNT", "JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT", "CI_NODE_INDEX", "CI_NODE_TOTAL"] {
        cmd.env_remove(k);
    }
    cmd.envs(env.iter().copied());
    let out = cmd.output().unwrap();
    Run { code: out.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

#[test]
fn one_report_per_row_with_its_row_in_templates() {
    let f = family();
    let run = f.folio(&["build"]).ok();
    assert_eq!(built(&run.stderr), ["BABA", "BIDU", "GOOG", "META", "MSFT", "TCEHY"]);
    let text = f.pdf_text("BIDU.pdf");
    assert!(text.contains("百度(BIDU)") && text.contains("1,236.8") && text.contains("-1.0%"), "{text}");
    let html = f.html("MSFT.html");
    assert_eq!(select_text(&html, "main h1"), ["1 Microsoft"]);
    assert_eq!(html.root_element().value().attr("lang"), Some("en"));
    assert_eq!(f.html("BABA.html").root_element().value().attr("lang"), Some("zh-CN"));
}

#[test]
fn charts_of_a_member_filter_a_data_set_by_its_row() {
    let f = family();
    f.write("content/notes.md", &NOTE.replace("{% include", "```chart\nkind: bar\ndata: history\nwhere: {ticker: \"{{ row.ticker }}\"}\nx: year\ny: revenue\nlabels: true\ncaption: Revenue\nalt: Bars\n```\n\n{% include"));
    f.folio(&["build", "--only", "BABA", "BIDU"]).ok();
    let labels = |name: &str| select_text(&f.html(&format!("{name}.html")), "figure .chart-box:not(.chart-narrow) svg text");
    assert!(labels("BABA").contains(&"8,530.6".to_string()) && !labels("BABA").contains(&"1,244.9".to_string()));
    assert!(labels("BIDU").contains(&"1,244.9".to_string()));
}

#[test]
fn an_error_in_a_filtered_chart_names_the_data_sets_own_row() {
    let f = family();
    f.write("content/notes.md", &NOTE.replace("{% include", "```chart\nkind: bar\ndata: history\nwhere: {ticker: \"{{ row.ticker }}\"}\nx: year\ny: revenue\ncaption: Revenue\nalt: Bars\n```\n\n{% include"));
    f.write("content/data/history.csv", &HISTORY.replace("BIDU,2023E,1236.8", "BIDU,2023E,n/a"));
    let run = f.folio(&["build", "--only", "BIDU"]);
    // The second of BIDU's rows is the data set's fourth: line 5.
    assert!(run.stderr.starts_with("error: column `revenue` holds a non-numeric value `n/a` in data row 4\n --> content/data/history.csv:5:12\n"), "{}", run.stderr);
}

#[test]
fn only_builds_the_named_members() {
    let f = family();
    let run = f.folio(&["build", "--only", "GOOG", "BIDU"]).ok();
    assert_eq!(built(&run.stderr), ["BIDU", "GOOG"]);
    assert!(f.out("GOOG.pdf").exists() && !f.out("MSFT.pdf").exists());
    let run = f.folio(&["build", "--only", "GOOGL"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: --only GOOGL: the project has no report named `GOOGL`\n  = hint: did you mean `GOOG`?\n  = hint: reports: BABA, BIDU, TCEHY, MSFT, GOOG, META\nbuild failed with 1 error(s); no output was written\n"
    );
    // Part of a name, in any case, is a name too far to be a misspelling.
    let run = f.folio(&["build", "--only", "cehy"]);
    assert!(run.stderr.contains("  = hint: did you mean `TCEHY`?\n"), "{}", run.stderr);
    let run = f.folio(&["build", "--only", "b"]);
    assert!(run.stderr.contains("  = hint: reports whose names hold `b`: `BABA`, `BIDU`\n"), "{}", run.stderr);
}

/// Files are written by writer threads while the next members build: a
/// member whose file cannot be written fails, by name, and the others land.
#[test]
fn a_member_whose_file_cannot_be_written_fails_alone() {
    let f = family();
    // A folder where the PDF should go: the rename over it fails.
    std::fs::create_dir_all(f.out("MSFT.pdf")).unwrap();
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("output/MSFT.pdf"), "{}", run.stderr);
    assert!(run.stderr.contains("note: 1 of 6 reports failed (content/notes.md [MSFT]); the other 5 were written"), "{}", run.stderr);
    for name in ["BABA", "BIDU", "TCEHY", "GOOG", "META"] {
        assert!(f.out(&format!("{name}.pdf")).is_file(), "{name}");
    }
    // Nothing half-written is left beside the outputs, and once the way is
    // clear the next build writes the member that failed.
    let stray: Vec<String> = std::fs::read_dir(f.out("")).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(".folio-tmp")).collect();
    assert!(stray.is_empty(), "{stray:?}");
    std::fs::remove_dir(f.out("MSFT.pdf")).unwrap();
    let run = f.folio(&["build"]).ok();
    assert_eq!(built(&run.stderr), ["MSFT"]);
}

#[test]
fn unsafe_duplicate_and_missing_names_are_errors_naming_the_rows() {
    let f = family();
    f.write("content/data/companies.csv", &COMPANIES.replace("META,Meta", "../x,Meta"));
    let run = f.folio(&["build"]);
    assert_eq!(
        run.stderr,
        "error: row 6 of `companies` gives the report name `../x`, which starts with a dot
 --> content/data/companies.csv:7:1
  |
7 | ../x,Meta,en,1166.1,-0.011
  | ^
  = hint: a name may hold letters, digits, `-`, `_` and `.`; fix the row, or build the name from other columns
  = hint: the name comes from `name:` in content/notes.md
build failed with 1 error(s); no output was written
"
    );
    f.write("content/data/companies.csv", &COMPANIES.replace("META,Meta", "BIDU,Meta"));
    let run = f.folio(&["build"]);
    assert_eq!(
        run.stderr,
        "error: two reports are named `BIDU`: row 2 of `companies` (family content/notes.md) and row 6 of `companies` (family content/notes.md)
 --> content/data/companies.csv:7:1
  |
7 | BIDU,Meta,en,1166.1,-0.011
  | ^
  = hint: each report writes output/<name>.pdf and .html; make `name:` unique, e.g. add a column
build failed with 1 error(s); no output was written
"
    );
    assert!(!f.out("BABA.pdf").exists(), "nothing is written when the family is wrong");
    f.write("content/data/companies.csv", COMPANIES);
    f.write("content/notes.md", &NOTE.replace("name: \"{{ row.ticker }}\"\n", ""));
    let run = f.folio(&["build"]);
    assert!(run.stderr.starts_with("error: a report family needs `name:`, each member's file name\n --> content/notes.md:2:1\n"), "{}", run.stderr);
    f.write("content/notes.md", &NOTE.replace("each: companies", "each: companys"));
    let run = f.folio(&["build"]);
    assert!(run.stderr.contains("error: `each: companys` names no data set") && run.stderr.contains("did you mean `companies`?"), "{}", run.stderr);
}

#[test]
fn the_manifest_rebuilds_exactly_what_changed() {
    let f = family();
    assert_eq!(built(&f.folio(&["build"]).ok().stderr).len(), 6);
    let again = f.folio(&["build"]).ok();
    assert_eq!(built(&again.stderr), Vec::<String>::new());
    assert!(again.stderr.contains("6 report(s) up to date, not built again"), "{}", again.stderr);
    // One row edited: that member only.
    f.write("content/data/companies.csv", &COMPANIES.replace("5545.5", "5600.0"));
    assert_eq!(built(&f.folio(&["build"]).ok().stderr), ["TCEHY"]);
    assert!(f.pdf_text("TCEHY.pdf").contains("5,600.0"));
    // The include every member reads: all of them.
    f.write("content/parts/disclaimer.md", "For illustration only, not advice.\n");
    assert_eq!(built(&f.folio(&["build"]).ok().stderr).len(), 6);
    // A template override, then a font file: all of them.
    f.write("templates/style.css", "body { color: #111; }\n");
    assert_eq!(built(&f.folio(&["build"]).ok().stderr).len(), 6);
    f.write("fonts/README.txt", "fonts of the house\n");
    assert_eq!(built(&f.folio(&["build"]).ok().stderr).len(), 6);
    // A data set no member reads changes nothing.
    f.write("content/data/history.csv", &HISTORY.replace("8530.6", "1.0"));
    assert_eq!(built(&f.folio(&["build"]).ok().stderr), Vec::<String>::new());
    // An output deleted by hand is written again; --force rebuilds all.
    std::fs::remove_file(f.out("GOOG.pdf")).unwrap();
    assert_eq!(built(&f.folio(&["build"]).ok().stderr), ["GOOG"]);
    assert_eq!(built(&f.folio(&["build", "--force"]).ok().stderr).len(), 6);
    // A row removed: its outputs and record go.
    f.write("content/data/companies.csv", &COMPANIES.replace("META,Meta,en,1166.1,-0.011\n", ""));
    f.folio(&["build"]).ok();
    assert!(!f.out("META.pdf").exists() && !f.out("META.html").exists() && !f.out("manifest/META.json").exists());
    assert!(f.out("GOOG.pdf").exists());
}

#[test]
fn a_member_that_reads_the_whole_table_is_rebuilt_when_any_row_changes() {
    let f = family();
    f.write("content/notes.md", &NOTE.replace("{% include", "Peers: {{ data.companies | length }}.\n\n{% include"));
    f.folio(&["build"]).ok();
    f.write("content/data/companies.csv", &COMPANIES.replace("5545.5", "5600.0"));
    assert_eq!(built(&f.folio(&["build"]).ok().stderr).len(), 6);
}

#[test]
fn three_shards_merge_into_the_files_of_one_build() {
    let f = family();
    f.folio(&["build", "--site", "--out", "single"]).ok();
    let mut seen: Vec<String> = Vec::new();
    for i in 0..3 {
        let run = f.folio(&["build", "--site", "--shard", &format!("{i}/3"), "--out", &format!("shard-{i}")]).ok();
        seen.extend(built(&run.stderr));
        assert!(!f.root().join(format!("shard-{i}/site/index.html")).exists(), "a shard writes no index");
    }
    seen.sort();
    assert_eq!(seen, ["BABA", "BIDU", "GOOG", "META", "MSFT", "TCEHY"], "every report in exactly one shard");
    let run = f.folio(&["site", "--from", "shard-0", "shard-1", "shard-2", "--out", "merged"]).ok();
    assert!(run.stderr.starts_with("merged 6 reports from 3 folders"), "{}", run.stderr);
    let (single, merged) = (files(&f.root().join("single")), files(&f.root().join("merged")));
    assert_eq!(single.keys().collect::<Vec<_>>(), merged.keys().collect::<Vec<_>>());
    for (name, bytes) in &single {
        assert!(merged[name] == *bytes, "{name} differs");
    }
    assert!(single.contains_key("site/index.html") && single.contains_key("manifest/BIDU.json"));
}

#[test]
fn shard_auto_reads_each_engines_variables() {
    let f = family();
    let members = |args: &[&str], env: &[(&str, &str)]| -> Vec<String> {
        let _ = std::fs::remove_dir_all(f.root().join("output"));
        let run = folio_env(f.root(), args, env);
        assert_eq!(run.code, 0, "{}", run.stderr);
        built(&run.stderr)
    };
    let second_of_three = members(&["build", "--shard", "1/3"], &[]);
    assert!(!second_of_three.is_empty());
    let engines: [&[(&str, &str)]; 4] = [
        &[("FOLIO_SHARD_INDEX", "1"), ("FOLIO_SHARD_COUNT", "3")],
        &[("JOB_COMPLETION_INDEX", "1"), ("FOLIO_SHARD_COUNT", "3")],
        &[("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "3")],
        &[("CI_NODE_INDEX", "2"), ("CI_NODE_TOTAL", "3")],
    ];
    for env in engines {
        assert_eq!(members(&["build", "--shard", "auto"], env), second_of_three, "{env:?}");
    }
    let run = folio_env(f.root(), &["build", "--shard", "auto"], &[("JOB_COMPLETION_INDEX", "1")]);
    assert_eq!(run.code, 2, "a usage error: {}", run.stderr);
    assert!(run.stderr.contains("JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) gives this worker's index but not the number of workers"), "{}", run.stderr);
}

#[test]
fn the_flagship_family_writes_a_note_per_company() {
    let f = flagship();
    f.folio(&["build", "--format", "pdf"]).ok();
    for id in ["alibaba", "baidu", "tencent", "bytedance"] {
        assert!(f.out(&format!("note-{id}.pdf")).exists(), "{id}");
    }
    let text = f.pdf_text("note-baidu.pdf");
    assert!(text.contains("百度：大模型布局一页纸") && text.contains("飞桨PaddlePaddle"), "{text}");
    assert_eq!(pdf_pages(&f.out("note-baidu.pdf")).len(), 1, "a one-page note");
}

#[test]
fn the_shard_examples_in_docs_use_shard_auto_and_the_merge() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/shards");
    let k8s: serde_json::Value = folio::input::yaml::from_str(&std::fs::read_to_string(docs.join("kubernetes-indexed-job.yaml")).unwrap()).unwrap();
    assert_eq!(k8s["spec"]["completionMode"].as_str(), Some("Indexed"));
    let container = &k8s["spec"]["template"]["spec"]["containers"][0];
    assert!(container["args"][0].as_str().unwrap().contains("folio build --site --shard auto"));
    assert_eq!(container["env"][0]["name"].as_str(), Some("FOLIO_SHARD_COUNT"));
    assert_eq!(container["env"][0]["value"].as_str(), k8s["spec"]["completions"].as_u64().map(|n| n.to_string()).as_deref());
    let ci: serde_json::Value = folio::input::yaml::from_str(&std::fs::read_to_string(docs.join("github-actions-matrix.yml")).unwrap()).unwrap();
    let steps = serde_json::to_string(&ci["jobs"]).unwrap();
    assert!(steps.contains("--shard auto") && steps.contains("site --from shard-0 shard-1 shard-2 shard-3"), "{steps}");
}

/// Run one line of a job file (`folio …` or `cargo run --release -- …`) as
/// the engine would, with its variables, in `root`.
fn run_job_line(root: &Path, line: &str, env: &[(&str, &str)]) -> Run {
    let line = line.trim().strip_prefix("cargo run --release -- ").or_else(|| line.trim().strip_prefix("folio ")).unwrap_or_else(|| panic!("not a folio command: {line}"));
    let args: Vec<&str> = line.split_whitespace().collect();
    let run = folio_env(root, &args, env);
    assert_eq!(run.code, 0, "{line}: {}", run.stderr);
    run
}

/// The merge of what the engine's workers wrote is what one build writes.
fn same_as_one_build(f: &Fixture, merged: &Path) {
    let single = f.root().join("single");
    if !single.exists() {
        f.folio(&["build", "--site", "--out", "single"]).ok();
    }
    let (single, merged) = (files(&single), files(merged));
    assert_eq!(single.keys().collect::<Vec<_>>(), merged.keys().collect::<Vec<_>>());
    for (name, bytes) in &single {
        assert!(merged[name] == *bytes, "{name} differs");
    }
}

#[test]
fn the_ci_matrix_and_indexed_job_examples_run_as_their_engines_would() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/shards");
    let f = family();
    // GitHub Actions: one job per matrix index with the job's env (its
    // `${{ matrix.index }}` filled in), then the site job's merge.
    let ci: serde_json::Value = folio::input::yaml::from_str(&std::fs::read_to_string(docs.join("github-actions-matrix.yml")).unwrap()).unwrap();
    let shard = &ci["jobs"]["shard"];
    let indexes: Vec<u64> = shard["strategy"]["matrix"]["index"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    let count = shard["env"]["FOLIO_SHARD_COUNT"].as_u64().unwrap();
    assert_eq!(indexes, (0..count).collect::<Vec<_>>(), "the matrix covers every shard once");
    assert_eq!(shard["env"]["FOLIO_SHARD_INDEX"].as_str(), Some("${{ matrix.index }}"));
    let run_steps = |job: &serde_json::Value| -> Vec<String> { job["steps"].as_array().unwrap().iter().filter_map(|s| s["run"].as_str().map(str::to_string)).collect() };
    for i in &indexes {
        let (i, n) = (i.to_string(), count.to_string());
        for line in run_steps(shard) {
            run_job_line(f.root(), &line.replace("${{ matrix.index }}", &i), &[("FOLIO_SHARD_INDEX", &i), ("FOLIO_SHARD_COUNT", &n)]);
        }
    }
    for line in run_steps(&ci["jobs"]["site"]) {
        assert!(run_job_line(f.root(), &line, &[]).stderr.contains(&format!("from {count} folders")));
    }
    same_as_one_build(&f, &f.root().join("output"));
    // Kubernetes: `completions` pods, each with JOB_COMPLETION_INDEX and the
    // container's env, writing to the shared volume; then the merge its
    // comment gives.
    let f = family();
    let k8s: serde_json::Value = folio::input::yaml::from_str(&std::fs::read_to_string(docs.join("kubernetes-indexed-job.yaml")).unwrap()).unwrap();
    let completions = k8s["spec"]["completions"].as_u64().unwrap();
    let container = &k8s["spec"]["template"]["spec"]["containers"][0];
    let env: Vec<(String, String)> = container["env"].as_array().unwrap().iter().map(|e| (e["name"].as_str().unwrap().to_string(), e["value"].as_str().unwrap().to_string())).collect();
    let volume = f.root().join("volume");
    std::fs::create_dir_all(&volume).unwrap();
    let out = volume.to_str().unwrap();
    for i in 0..completions {
        let i = i.to_string();
        let mut vars: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        vars.push(("JOB_COMPLETION_INDEX", &i));
        let line = container["args"][0].as_str().unwrap().replace("$(JOB_COMPLETION_INDEX)", &i).replace("/out", out);
        run_job_line(f.root(), &line, &vars);
    }
    let from: Vec<String> = (0..completions).map(|i| format!("{out}/shard-{i}")).collect();
    let mut args = vec!["site", "--from"];
    args.extend(from.iter().map(String::as_str));
    let merged = format!("{out}/site-build");
    args.extend(["--out", &merged]);
    assert_eq!(folio_env(f.root(), &args, &[]).code, 0);
    same_as_one_build(&f, Path::new(&merged));
    // A folder left out: the merge names what is missing instead of
    // writing a site without it.
    let holding = from.iter().position(|d| std::fs::read_dir(Path::new(d).join("manifest")).unwrap().count() > 0).unwrap();
    let mut partial = vec!["site", "--from"];
    partial.extend(from.iter().enumerate().filter(|(k, _)| *k != holding).map(|(_, d)| d.as_str()));
    partial.extend(["--out", "partial"]);
    let run = folio_env(f.root(), &partial, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("are in none of the folders") && run.stderr.contains("no folder named is that shard"), "{}", run.stderr);
}

#[test]
fn a_large_family_sums_up_what_it_wrote_and_names_what_failed() {
    // More members than a build lists file by file (LISTED_REPORTS, 64).
    let f = large_family(70);
    let run = f.folio(&["build", "--format", "pdf"]).ok();
    let summary: Vec<&str> = run.stderr.lines().filter(|l| !l.starts_with('[') && !l.starts_with("done in")).collect();
    assert_eq!(summary, ["built 70 reports (70 pages of PDF)", "  wrote 70 files into output"], "{}", run.stderr);
    assert!(f.out("T00.pdf").is_file() && f.out("T69.pdf").is_file());
    // With the site, its files are counted too: one line, whatever their number.
    let run = f.folio(&["build", "--site"]).ok();
    let wrote: Vec<&str> = run.stderr.lines().filter(|l| l.contains("wrote")).collect();
    assert_eq!(wrote.len(), 1, "{}", run.stderr);
    let n: usize = wrote[0].strip_prefix("  wrote ").and_then(|l| l.strip_suffix(" files into output")).unwrap().parse().unwrap();
    let on_disk = files(&f.out("site")).len();
    assert_eq!(n, 140 + on_disk, "{n} files counted, the site holds {on_disk}");
    assert!(std::fs::read_to_string(f.out("site/index.html")).unwrap().contains("T69.html"));
    // One member whose PDF cannot be written: the others are, and the
    // note says so (the outputs are counted, not listed).
    std::fs::remove_file(f.out("T05.pdf")).unwrap();
    std::fs::create_dir_all(f.out("T05.pdf")).unwrap();
    let run = f.folio(&["build", "--format", "pdf", "--force"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("note: 1 of 70 reports failed (content/notes.md [T05]); the other 69 were written"), "{}", run.stderr);
    assert!(run.stderr.ends_with("build failed with 1 error(s)\n"), "{}", run.stderr);
}

/// A family of `n` English members, T00, T01, …
fn large_family(n: usize) -> Fixture {
    let mut csv = String::from("ticker,name,lang,revenue,growth\n");
    for i in 0..n {
        csv.push_str(&format!("T{i:02},Company {i},en,{}.5,0.01\n", 100 + i));
    }
    Fixture::new(&[("content/notes.md", NOTE), ("content/parts/disclaimer.md", "For illustration only.\n"), ("content/data/companies.csv", &csv)])
}

#[test]
fn a_large_familys_build_report_counts_its_members_instead_of_holding_an_entry_each() {
    use folio::build::{build, BuildOptions, Format};
    let f = large_family(70);
    let opts = BuildOptions {
        dir: f.root().to_path_buf(), out: None, format: Format::Pdf, sets: vec![], strict: false,
        ignore_system_fonts: true, dry_run: false, site: false, progress: None, pdf_standards: vec![],
        only: vec![], shard: None, force: false, watchdog: false, list_comments: false, lineage: false, publish_changes: false,
    };
    // Past LISTED_REPORTS (64) and without a site: counted, not listed, so
    // that a family's memory does not grow with its number of members.
    let report = build(&opts).unwrap();
    assert_eq!((report.reports.len(), report.unlisted_reports, report.unlisted_pages, report.built()), (0, 70, Some(70), 70));
    assert!(!report.lists_every_report());
    assert_eq!(folio::build::describe(&report), "built 70 reports (70 pages of PDF)\n  wrote 70 files into output\n".replace("output", &f.root().join("output").display().to_string()));
    // One row changed: the member built is listed, the 69 up to date are counted.
    f.write("content/data/companies.csv", &std::fs::read_to_string(f.root().join("content/data/companies.csv")).unwrap().replace("T07,Company 7,en,107.5", "T07,Company 7,en,99.5"));
    let report = build(&opts).unwrap();
    let names: Vec<&str> = report.reports.iter().map(|r| r.name.as_str()).collect();
    assert_eq!((names, report.skipped, report.built()), (vec!["T07"], 69, 1));
    assert!(!report.lists_every_report());
    // A site lists every member, for its index.
    let report = build(&BuildOptions { site: true, ..opts.clone() }).unwrap();
    assert_eq!((report.reports.len(), report.unlisted_reports), (70, 0));
    assert!(report.lists_every_report());
}

#[test]
fn a_forced_rebuild_writes_the_outputs_and_keeps_records_that_did_not_change() {
    use std::os::unix::fs::MetadataExt;
    let f = family();
    f.folio(&["build"]).ok();
    let inode = |p: &str| std::fs::metadata(f.out(p)).unwrap().ino();
    let (pdf, record, other) = (inode("BIDU.pdf"), inode("manifest/BIDU.json"), inode("manifest/BABA.json"));
    // Every output is written again (a new file replaces the old one); a
    // record saying what it said stays the file it was.
    assert_eq!(built(&f.folio(&["build", "--force"]).ok().stderr).len(), 6);
    assert_ne!(inode("BIDU.pdf"), pdf);
    assert_eq!(inode("manifest/BIDU.json"), record);
    // A changed row changes its member's record, and only that one.
    f.write("content/data/companies.csv", &COMPANIES.replace("1236.8", "1240.0"));
    assert_eq!(built(&f.folio(&["build"]).ok().stderr), ["BIDU"]);
    assert_ne!(inode("manifest/BIDU.json"), record);
    assert_eq!(inode("manifest/BABA.json"), other);
}

#[test]
fn a_family_whose_members_read_another_sheet_of_its_workbook_rebuilds_only_the_edited_row() {
    let books = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/workbooks");
    let note = "---\neach: family\nname: \"{{ row.ticker }}\"\ntitle: \"{{ row.name }}\"\nlang: en\n---\n\n\
{% for p in data.family.Prices %}{% if p.ticker == row.ticker %}Close {{ p.close }}.{% endif %}{% endfor %}\n\n\
```chart\nkind: bar\ndata: family.Prices\nx: ticker\ny: close\ncaption: Closes\nalt: The three closes.\n```\n";
    let f = Fixture::new(&[("content/notes.md", note)]);
    std::fs::create_dir_all(f.root().join("content/data")).unwrap();
    std::fs::copy(books.join("family.xlsx"), f.root().join("content/data/family.xlsx")).unwrap();
    assert_eq!(built(&f.folio(&["build"]).ok().stderr).len(), 3);
    assert!(f.pdf_text("BIDU.pdf").contains("Close104.5."));
    // One row of the family's sheet edited, saved by the spreadsheet program:
    // the Prices sheet every member reads is unchanged, so one member builds.
    std::fs::copy(books.join("family-edited.xlsx"), f.root().join("content/data/family.xlsx")).unwrap();
    assert_eq!(built(&f.folio(&["build"]).ok().stderr), ["BIDU"]);
    assert!(f.pdf_text("BIDU.pdf").contains("Baidu,Inc."));
    // A member that goes over every sheet reads the whole workbook.
    f.write("content/notes.md", &note.replace("Close {{ p.close }}.", "Close {{ p.close }} of {{ data.family | length }} sheets."));
    assert_eq!(built(&f.folio(&["build"]).ok().stderr).len(), 3);
    std::fs::copy(books.join("family.xlsx"), f.root().join("content/data/family.xlsx")).unwrap();
    assert_eq!(built(&f.folio(&["build"]).ok().stderr).len(), 3, "the whole workbook is read: every member builds");
    // A chart of the Prices sheet is a read of that sheet: a close edited
    // there rebuilds every member.
    f.write("content/notes.md", &note.replace("{% for p in data.family.Prices %}{% if p.ticker == row.ticker %}Close {{ p.close }}.{% endif %}{% endfor %}", "A chart."));
    assert_eq!(built(&f.folio(&["build"]).ok().stderr).len(), 3);
    std::fs::copy(books.join("family-prices.xlsx"), f.root().join("content/data/family.xlsx")).unwrap();
    assert_eq!(built(&f.folio(&["build"]).ok().stderr).len(), 3, "each member charts the sheet that changed");
}
