//! The `folio` command: parse arguments, run one subcommand, print
//! diagnostics, return an exit code (0 ok, 1 build failed, 2 usage).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use folio::build::{self, BuildOptions, Format};
use folio::diag;

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
}

#[derive(Subcommand)]
enum Command {
    /// Build every report of the project into PDF and HTML
    Build {
        #[command(flatten)]
        args: BuildArgs,
        /// Which outputs to write
        #[arg(long, value_enum, default_value = "all")]
        format: Format,
        /// Output folder (default: DIR/output)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run every stage of a build but write nothing; the exit status says whether the project is sound
    Check {
        #[command(flatten)]
        args: BuildArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (args, format, out, dry_run) = match cli.command {
        Command::Build { args, format, out } => (args, format, out, false),
        Command::Check { args } => (args, Format::All, None, true),
    };
    let opts = BuildOptions {
        dir: args.dir,
        out,
        format,
        sets: args.sets,
        strict: args.strict,
        ignore_system_fonts: args.ignore_system_fonts,
        dry_run,
    };
    match build::build(&opts) {
        Ok(report) => {
            diag::print_all(&report.warnings.0);
            if dry_run {
                eprintln!("check passed: {} report(s)", report.reports.len());
            } else {
                eprint!("{}", build::describe(&report));
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            diag::print_all(&failure.0);
            let n = failure.0.iter().filter(|d| d.severity == diag::Severity::Error).count();
            eprintln!("build failed with {n} error(s); no output was written");
            ExitCode::from(1)
        }
    }
}
