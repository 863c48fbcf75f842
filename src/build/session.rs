//! What builds reuse from one another: a `watch` or `serve` loop (or a
//! program embedding folio) owns one Session and passes it to each build; a
//! one-shot `folio build` uses a fresh one. Nothing here is global: each
//! stage owns the type of its own cache, the session only holds them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::chart::DrawnCache;
use crate::input::data::ParseCache;
use crate::input::project::FrontMatterCache;
use crate::pdf::fonts::FontCache;
use crate::pdf::world::SourceSlots;

#[derive(Default)]
pub struct Session {
    /// Front matter by its YAML text.
    pub(crate) front_matter: FrontMatterCache,
    /// Data files by path, while their text and the limits are the same.
    pub(crate) parsed: Arc<ParseCache>,
    /// Chart drawings by spec and data.
    pub(crate) drawn: DrawnCache,
    /// Font stores and the characters known to be covered.
    pub(crate) fonts: FontCache,
    /// typst's sources per report (the world's file slots).
    pub(crate) sources: SourceSlots,
    /// Reports compiled, to trim typst's caches every few of them.
    compiled: AtomicUsize,
    /// Told each report's output paths (relative to the output folder) as
    /// soon as they are written: `serve` reloads a page then, before the
    /// build's site index and search are done.
    pub(crate) on_written: std::sync::Mutex<Option<WrittenHook>>,
}

/// What `Session::on_written` calls.
pub type WrittenHook = std::sync::Arc<dyn Fn(&[String]) + Send + Sync>;

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    /// Drop everything reused so far: the next build starts cold.
    pub fn evict(&self) {
        self.front_matter.clear();
        self.parsed.clear();
        self.drawn.clear();
        self.fonts.clear();
        self.sources.clear();
        crate::pdf::world::trim_caches();
    }

    /// Call `hook` with each report's output paths as they are written.
    pub fn on_written(&self, hook: WrittenHook) {
        *self.on_written.lock().expect("hook lock") = Some(hook);
    }

    /// Under `serve` (a hook is set): a report's HTML page is written the
    /// moment it is rendered, while its PDF is still being laid out, and
    /// the page is told, so the preview updates without waiting for the
    /// PDF. The writers later find the same bytes on disk and leave them.
    pub(crate) fn write_page_early(&self, out_dir: &std::path::Path, outputs: &[crate::build::Output]) {
        let Some(hook) = self.on_written.lock().expect("hook lock").clone() else { return };
        for o in outputs.iter().filter(|o| o.path.extension().is_some_and(|e| e == "html")) {
            if crate::build::output::write_atomic(out_dir, &o.path, &o.bytes).is_ok() {
                hook(&[crate::build::manifest::relative(out_dir, &o.path)]);
            }
        }
    }

    /// After a build: keep only the typst sources of the reports it built,
    /// and trim typst's memo caches to what recent builds used.
    pub fn after_build(&self, report_names: &[String]) {
        self.sources.retain_reports(report_names);
        crate::pdf::world::trim_caches();
    }

    /// In a build of many reports, trim typst's caches after every fourth
    /// one: trimming walks every cache, so doing it after each report slows
    /// a batch, and not at all lets memory grow with it. A family too big
    /// to keep its sources for the next build (`keep` false) keeps only
    /// what the reports since the last trim used: the template and the
    /// fonts, which every member uses, stay. Its memory then stays flat
    /// and it builds faster, for each trim walks smaller caches.
    pub(crate) fn after_report(&self, keep: bool) {
        if self.compiled.fetch_add(1, Ordering::Relaxed) % 4 == 3 {
            typst::comemo::evict(if keep { 5 } else { 1 });
        }
    }
}
