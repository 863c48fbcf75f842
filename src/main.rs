//! The `folio` command: parse arguments, run one subcommand, print
//! diagnostics, return an exit code (0 ok, 1 build failed, 2 usage).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use folio::cmd::progress::{Reporter, Verbosity};
use folio::build::{self, BuildOptions, BuildReport, Format};
use folio::core::diag::{self, Diagnostic, Failure};

#[derive(Parser)]
#[command(name = "folio", version, about = "Research reports from Markdown and data, as PDF and HTML")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct BuildArgs {
    /// Project folder (holds content/, optional templates/ and fonts/)
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Override a front-matter value for this build, e.g. --set rating.action=维持 (repeatable)
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = build::parse_set)]
    sets: Vec<(String, serde_json::Value)>,
    /// Treat warnings as errors
    #[arg(long)]
    strict: bool,
    /// Use only the fonts folio ships and the project's fonts/ folder
    #[arg(long)]
    ignore_system_fonts: bool,
    /// Output folder (default: DIR/output)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print how long each stage took
    #[arg(long)]
    timings: bool,
    /// Enforce a PDF standard (repeatable): a-2b (archival), ua-1 (accessible)
    #[arg(long = "pdf-standard", value_enum)]
    pdf_standards: Vec<build::PdfStandard>,
    /// Record where every printed value came from: output/lineage/<name>.json,
    /// and the values marked in the HTML (see `folio diff`)
    #[arg(long)]
    lineage: bool,
    #[command(flatten)]
    talk: Talk,
}

/// How much a command says while it works.
#[derive(clap::Args, Clone, Copy)]
struct Talk {
    /// Print only errors and the summary
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Print a line for every report (no progress bar)
    #[arg(short, long)]
    verbose: bool,
}

impl Talk {
    fn reporter(self) -> Reporter {
        Reporter::new(if self.quiet {
            Verbosity::Quiet
        } else if self.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build every report of the project into PDF and HTML
    Build {
        #[command(flatten)]
        args: BuildArgs,
        /// Which outputs to write (`typst` writes the generated typst source folder)
        #[arg(long, value_enum, default_value = "all")]
        format: Format,
        /// Also write output/site/, ready to copy to a static host
        #[arg(long)]
        site: bool,
        /// Build only the reports of these names (family members by their `name:`)
        #[arg(long, num_args = 1.., value_name = "NAME")]
        only: Vec<String>,
        /// Build one of N shards: I/N (I from 0), or `auto` from the job engine's
        /// environment (Kubernetes Indexed Jobs, Slurm arrays, GitLab, FOLIO_SHARD_INDEX/COUNT)
        #[arg(long, value_name = "I/N", value_parser = build::shard::Shard::parse)]
        shard: Option<build::shard::Shard>,
        /// Rebuild every report, also those the manifest says are up to date
        #[arg(long)]
        force: bool,
        /// With --site --lineage: publish site/<name>.changes.html, each changed
        /// report's page with what changed since the build before marked
        #[arg(long, requires_all = ["site", "lineage"])]
        publish_changes: bool,
    },
    /// Write one output folder and site from the folders of shard builds (no report is built again)
    Site {
        /// Project folder (its templates make the index)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folders of `folio build --site --shard I/N --out DIR`
        #[arg(long, num_args = 1.., required = true, value_name = "DIR")]
        from: Vec<PathBuf>,
        /// Output folder (default: DIR/output)
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        talk: Talk,
    },
    /// List what changed between two builds made with --lineage: every printed value (old → new, its source cell), every sentence; writes NEW/changes/<name>.html
    Diff {
        /// The earlier build's output folder (e.g. the release a reviewer approved)
        #[arg(required_unless_present = "last")]
        old: Option<PathBuf>,
        /// The later build's output folder
        #[arg(required_unless_present = "last")]
        new: Option<PathBuf>,
        /// Compare output/ with the build before it (each --lineage build keeps its predecessor in output/previous/)
        #[arg(long, value_name = "OUT", num_args = 0..=1, default_missing_value = "output", conflicts_with_all = ["old", "new"])]
        last: Option<PathBuf>,
        /// Exit with status 1 when anything changed (for CI gates; errors exit with 2)
        #[arg(long)]
        exit_code: bool,
    },
    /// Run every stage of a build but write nothing; the exit status says whether the project is sound
    Check {
        #[command(flatten)]
        args: BuildArgs,
        /// List every HTML comment (`<!-- … -->`) as a warning; with
        /// --strict, a report that still holds one fails
        #[arg(long)]
        comments: bool,
    },
    /// Rebuild whenever a file the last build read changes
    Watch {
        #[command(flatten)]
        args: BuildArgs,
    },
    /// Watch, and serve output/ on 127.0.0.1 with live reload
    Serve {
        #[command(flatten)]
        args: BuildArgs,
        /// Port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
    /// Create a new project that builds as it is
    New {
        /// Folder to create
        dir: PathBuf,
        /// Language of the sample report: zh (Chinese) or en (English)
        #[arg(long, default_value = "zh", value_parser = ["zh", "en"])]
        lang: String,
    },
    /// Print a shell completion script, e.g. `folio completions bash > ~/.local/share/bash-completion/completions/folio`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print folio's man page (roff), e.g. `folio man > ~/.local/share/man/man1/folio.1`
    Man,
}

fn run_diff(old: Option<PathBuf>, new: Option<PathBuf>, last: Option<PathBuf>, exit_code: bool) -> ExitCode {
    let (old, new) = match (last, old, new) {
        (Some(out), ..) => build::diff::last(&out),
        (None, Some(old), Some(new)) => (old, new),
        _ => unreachable!("clap requires OLD and NEW without --last"),
    };
    let result = build::diff::diff(&old, &new).and_then(|diffs| {
        let pages = build::diff::change_pages(&new, &diffs)?;
        build::output::write_all_atomic(&new, &pages)?;
        Ok((diffs, pages))
    });
    match result {
        Ok((diffs, pages)) => {
            print!("{}", build::diff::report_text(&diffs));
            for p in &pages {
                eprintln!("  wrote {}", diag::display_path(&p.path));
            }
            let changed = diffs.iter().any(|d| !d.is_empty());
            if exit_code && changed { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Err(failure) => {
            print_diagnostics(&failure.0, Verbosity::Normal);
            ExitCode::from(2)
        }
    }
}

fn options(args: &BuildArgs, format: Format, site: bool, dry_run: bool) -> BuildOptions {
    BuildOptions {
        dir: args.dir.clone(),
        out: args.out.clone(),
        format,
        sets: args.sets.clone(),
        strict: args.strict,
        ignore_system_fonts: args.ignore_system_fonts,
        dry_run,
        site,
        progress: None,
        pdf_standards: args.pdf_standards.clone(),
        only: vec![],
        shard: None,
        force: false,
        // The command line bounds a build from outside too (watchdog.rs).
        watchdog: true,
        list_comments: false,
        lineage: args.lineage,
        publish_changes: false,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { args, format, site, only, shard, force, publish_changes } => {
            run_build(&BuildOptions { only, shard, force, publish_changes, ..options(&args, format, site, false) }, args.timings, &args.talk.reporter())
        }
        Command::Site { dir, from, out, talk } => {
            let reporter = talk.reporter().without_plain_lines();
            let merged = build::merge::merge_site(&dir, &from, out.as_deref(), reporter.progress().as_ref());
            reporter.finish();
            match merged {
                Ok(merged) => {
                    print_diagnostics(&merged.warnings, reporter.verbosity());
                    eprintln!("merged {} reports from {} folders into {} files", merged.reports, from.len(), merged.outputs.len());
                    ExitCode::SUCCESS
                }
                Err(failure) => fail(&failure, reporter.verbosity()),
            }
        }
        Command::Diff { old, new, last, exit_code } => run_diff(old, new, last, exit_code),
        Command::Check { args, comments } => {
            run_build(&BuildOptions { list_comments: comments, ..options(&args, Format::All, false, true) }, args.timings, &args.talk.reporter())
        }
        Command::Watch { args } => run_watch(&options(&args, Format::All, false, false), args.timings, None),
        // Serving builds the site too: its index, search and feed work as published.
        Command::Serve { args, port } => run_watch(&options(&args, Format::All, true, false), args.timings, Some(port)),
        Command::New { dir, lang } => match folio::cmd::new::new_project(&dir, &lang) {
            Ok(files) => {
                for f in files {
                    eprintln!("  created {f}");
                }
                eprintln!("next: folio build {}", diag::display_path(&dir));
                ExitCode::SUCCESS
            }
            Err(d) => {
                // Nothing was built: no word of a failed build.
                diag::print_all(&[d]);
                ExitCode::from(1)
            }
        },
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "folio", &mut script);
            print_out(&script)
        }
        Command::Man => {
            let mut page = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut page) {
                Ok(()) => print_out(&page),
                Err(e) => {
                    diag::print_all(&[Diagnostic::error(format!("cannot make the man page: {e}"))]);
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// Write a generated file to standard output; a reader that stops early
/// (`| head`) is no error.
fn print_out(bytes: &[u8]) -> ExitCode {
    use std::io::Write;
    match std::io::stdout().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            diag::print_all(&[Diagnostic::error(format!("cannot write to standard output: {e}"))]);
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Diagnostics as the verbosity asks: with `--quiet`, errors only.
fn print_diagnostics(diags: &[Diagnostic], verbosity: Verbosity) {
    if verbosity == Verbosity::Quiet {
        let errors: Vec<Diagnostic> = diags.iter().filter(|d| d.severity == diag::Severity::Error).cloned().collect();
        diag::print_all(&errors);
    } else {
        diag::print_all(diags);
    }
}

fn run_build(opts: &BuildOptions, timings: bool, reporter: &Reporter) -> ExitCode {
    let start = std::time::Instant::now();
    let session = build::Session::new();
    let result = build::build_with(&BuildOptions { progress: reporter.progress(), ..opts.clone() }, &session);
    // The process ends right after: its memory goes back whole, without
    // typst's caches freed entry by entry first.
    std::mem::forget(session);
    reporter.finish();
    match result {
        Ok(report) => {
            print_diagnostics(&report.warnings.0, reporter.verbosity());
            if opts.dry_run {
                eprintln!("check passed: {} report(s)", report.built());
            } else {
                eprint!("{}", build::describe(&report));
            }
            print_timings(&report, start.elapsed(), timings);
            ExitCode::SUCCESS
        }
        Err(failure) => fail(&failure, reporter.verbosity()),
    }
}

fn fail(failure: &Failure, verbosity: Verbosity) -> ExitCode {
    // A note says which reports were written: part of the summary.
    let shown: Vec<Diagnostic> = failure.0.iter().filter(|d| verbosity != Verbosity::Quiet || d.severity != diag::Severity::Warning).cloned().collect();
    diag::print_all(&shown);
    let n = failure.0.iter().filter(|d| d.severity == diag::Severity::Error).count();
    // A note says which reports were written when only some failed.
    if failure.0.iter().any(|d| d.severity == diag::Severity::Note) {
        eprintln!("build failed with {n} error(s)");
    } else {
        eprintln!("build failed with {n} error(s); no output was written");
    }
    ExitCode::from(1)
}

fn print_timings(report: &BuildReport, total: std::time::Duration, detail: bool) {
    eprintln!("done in {:.0} ms", total.as_secs_f64() * 1000.0);
    if detail {
        for (stage, d) in &report.timings.stages {
            eprintln!("  {stage:<14} {:>8.1} ms", d.as_secs_f64() * 1000.0);
        }
        if let Some(kb) = peak_memory_kb() {
            eprintln!("  peak memory    {:>8.1} MB", kb as f64 / 1024.0);
        }
    }
}

/// Peak resident memory of this process (Linux), in KiB.
fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn run_watch(opts: &BuildOptions, timings: bool, port: Option<u16>) -> ExitCode {
    let shared = folio::cmd::serve::Shared::default();
    if let Some(port) = port {
        let root = opts.out.clone().unwrap_or_else(|| opts.dir.join("output"));
        let _ = std::fs::create_dir_all(&root);
        match folio::cmd::serve::start(port, root, shared.clone()) {
            Ok(port) => eprintln!("serving http://127.0.0.1:{port}/ (Ctrl-C to stop)"),
            Err(d) => return fail(&Failure::from(d), Verbosity::Normal),
        }
    }
    let result = folio::cmd::watch::watch(
        opts,
        |event| match event {
            folio::cmd::watch::Event::Built(report, took) => {
                diag::print_all(&report.warnings.0);
                eprint!("{}", build::describe(report));
                print_timings(report, took, timings);
                folio::cmd::serve::publish(&shared, None);
                eprintln!("watching for changes…");
            }
            folio::cmd::watch::Event::Failed(failure) => {
                diag::print_all(&failure.0);
                eprintln!("build failed; the previous outputs are kept. watching for changes…");
                let text: String = failure.0.iter().map(Diagnostic::render_plain).collect();
                folio::cmd::serve::publish(&shared, Some(text));
            }
        },
        || false,
        port.is_some().then(|| {
            let shared = shared.clone();
            std::sync::Arc::new(move |paths: &[String]| folio::cmd::serve::publish_written(&shared, paths)) as folio::build::session::WrittenHook
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => fail(&Failure::from(d), Verbosity::Normal),
    }
}
