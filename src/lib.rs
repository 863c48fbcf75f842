//! folio: Markdown + data → minijinja → document model → PDF (typst) and HTML.
//!
//! Data flows one way, one folder or file per stage:
//!
//! ```text
//! input (project, front matter, data) -> template (minijinja) -> markdown (comrak)
//!   -> model (numbering, cross-references, words) -> html / pdf (typst) -> build
//! cmd/ (watch, serve, new) drives build/ with a Session it owns
//! ```
//!
//! Only [`build`] knows the backends; the backends ([`html`], [`pdf`]) read
//! only the [`model`] and shared helpers ([`diag`], [`text`], [`chart`],
//! [`template_files`], [`paths`]).
//!
//! # Embedding folio
//!
//! A program can build reports without the CLI, e.g. a web service that
//! renders a report on request. [`build::build_with`] runs every stage and
//! returns the outputs (their paths and bytes) with the warnings; it writes
//! them atomically unless `dry_run` is set. Keep one [`build::Session`] for
//! as long as the same projects are rebuilt: it holds what a rebuild reuses
//! (parsed data, front matter, chart drawings, fonts, typst sources) and is
//! evicted explicitly with [`build::Session::evict`].
//!
//! ```no_run
//! use folio::build::{build_with, BuildOptions, Format, Session};
//!
//! let session = Session::new();
//! let opts = BuildOptions {
//!     dir: "my-project".into(),
//!     out: Some("/tmp/reports".into()),
//!     format: Format::All,
//!     sets: vec![("rating.action".into(), "维持".into())],
//!     strict: false,
//!     ignore_system_fonts: true,
//!     dry_run: false,
//!     site: false,
//!     progress: None,
//!     pdf_standards: vec![],
//!     only: vec![],
//!     shard: None,
//!     force: false,
//!     watchdog: false, list_comments: false, lineage: false, publish_changes: false,
//! };
//! match build_with(&opts, &session) {
//!     Ok(report) => {
//!         for out in &report.outputs {
//!             println!("{} ({} bytes)", out.path.display(), out.bytes.len());
//!         }
//!     }
//!     // Every error and warning carries its file, line and column.
//!     Err(failure) => folio::core::diag::print_all(&failure.0),
//! }
//! // Later builds of the same project reuse what did not change.
//! session.evict();
//! ```
//!
//! [`build::build`] is the same with a fresh session (one-shot builds).

#[cfg(feature = "pdf")]
pub mod build;
pub mod chart;
#[cfg(feature = "pdf")]
pub mod cmd;
pub mod core;
pub mod doc;
pub mod html;
pub mod input;
pub mod markdown;
pub mod model;
pub mod pdf;
pub mod template;
