//! After a report built: its manifest record, and its files handed to the
//! writers.

use crate::build::one::OneCx;
use crate::build::run::Shared;
use crate::build::{manifest, writer, Output, ReportInfo};
use crate::core::diag::Result;
use crate::input::project::ReportSource;
use crate::input::reads::{Read, Reads};
use std::path::PathBuf;

/// What a report read, as its record names it.
pub(crate) struct Inputs {
    /// Files, each once, in order.
    pub read: Vec<PathBuf>,
    /// Workbook sheets read by their values (stem, sheet).
    pub sheets: Vec<(String, String)>,
    /// It queried a database server: built again every time.
    pub always: bool,
}

/// What the report read: its files, the data sets its templates and
/// charts used (a workbook's sheets by their values, when it read only
/// some), template overrides and the project's fonts.
pub(crate) fn inputs(sh: &Shared<'_>, reads: &Reads) -> Inputs {
    let data = sh.data;
    let got = reads.get();
    let mut read: Vec<PathBuf> = got.files.iter().cloned().collect();
    let mut sheets: Vec<(String, String)> = Vec::new();
    for stem in data.stems().filter(|s| !data.is_query(s)) {
        match (got.of_stem(stem), data.path(stem)) {
            (Read::Nothing, _) | (_, None) => {}
            (Read::Sheets(names), Some(_)) if data.is_workbook(stem) => sheets.extend(names.into_iter().map(|n| (stem.to_string(), n))),
            (_, Some(path)) => read.push(path),
        }
    }
    read.extend(sh.templates.overrides());
    read.extend(sh.fonts_read.iter().cloned());
    // A query's results: a SQLite file is an input like any other; a server's
    // data cannot be hashed without asking it, so such a report is always
    // built again.
    let queried = data.stems().any(|s| data.is_query(s) && got.of_stem(s) != Read::Nothing);
    let mut always = false;
    if queried {
        match data.database().and_then(|db| db.file()) {
            Some(file) => read.push(file.to_path_buf()),
            None => always = true,
        }
    }
    read.sort();
    read.dedup();
    Inputs { read, sheets, always }
}

/// The inputs known so far hashed now (into the build's `Hashes`), on the
/// other core while typst lays the report out: the record then finds them
/// hashed.
pub(crate) fn hash_ahead(sh: &Shared<'_>, reads: &Reads) {
    let Inputs { read, sheets, .. } = inputs(sh, reads);
    for path in &read {
        sh.hashes.of(path);
    }
    for (stem, sheet) in &sheets {
        sh.hashes.of_sheet(sh.data, stem, sheet);
    }
}

/// After a report built: its manifest record, and its files handed to the
/// writers at once (each is written atomically), so that a family of
/// thousands never holds more than a few reports' outputs in memory. What
/// stays in `cx.outputs` are the paths, without their bytes.
pub(crate) fn finish_one(sh: &Shared<'_>, source: &ReportSource, k: usize, key: &str, info: &ReportInfo, cx: &mut OneCx, writers: &writer::Writers) -> Result<()> {
    let (project, data, opts, out_dir) = (sh.project, sh.data, sh.opts, sh.out_dir);
    if opts.dry_run {
        return Ok(());
    }
    // The site's copy of the page and the PDF.
    let mut files = std::mem::take(&mut cx.outputs);
    if opts.site {
        let site = out_dir.join("site");
        files.extend(cx.site_html.drain(..).map(|o| Output { path: site.join(&o.path), bytes: o.bytes }));
        if let Some(pdf) = files.iter().find(|o| o.path.extension().is_some_and(|e| e == "pdf")) {
            files.push(Output { path: site.join(format!("{}.pdf", source.name)), bytes: pdf.bytes.clone() });
        }
    }
    let files = std::sync::Arc::new(files);
    // The site's files of this report that an earlier site build wrote and
    // this one did not (a preview image after `base_url` went away). Other
    // outputs stay: a PDF-only build leaves the last HTML where it was.
    let mut remove = Vec::new();
    if let Some(old) = sh.old_site.get(&source.name) {
        for rel in old {
            let path = out_dir.join(rel);
            if !files.iter().any(|o| o.path == path) && crate::core::paths::no_link_below(out_dir, path.parent().unwrap_or(out_dir)).is_ok() {
                remove.push(path);
            }
        }
    }
    cx.outputs = files.iter().map(|o| o.path.clone()).chain([manifest::record_path(out_dir, &source.name)]).map(|path| Output { path, bytes: Vec::new() }).collect();
    // Written by the writers while this worker goes on: the outputs at
    // once, the record (the outputs' hashes: 1 ms of the flagship's
    // deep-dive, 4 ms of a 500-page book) once made.
    let (record_tx, record) = std::sync::mpsc::sync_channel(1);
    writers.send(writer::Job { k, files: files.clone(), record, remove });
    let Inputs { read, sheets, always } = inputs(sh, &cx.reads);
    let key = if always { manifest::ALWAYS.to_string() } else { key.to_string() };
    let _ = record_tx.send(manifest::record(&project.root, out_dir, source, key, (&read, &sheets), &files, info, sh.hashes, sh.records, data));
    Ok(())
}
