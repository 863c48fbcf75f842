//! Typst backend, second half: a thin `World` that serves the generated
//! markup, the template, `meta.json` and the project's own files, and the
//! in-process compile to PDF. No network, no packages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use typst::diag::{FileError, FileResult, Severity as TSeverity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

use crate::core::diag::{Diagnostic, Location, Severity};
use typst_kit::fonts::FontStore;
use crate::core::paths::resolve_inside;

/// A file the typst compile sees that does not exist on disk as such.
struct VirtualFile {
    /// Where to point diagnostics (a template override, or a shown name).
    shown_path: PathBuf,
    source: Parsed,
}

/// A source parsed when first asked for: by typst's compile, or before it
/// asks by `FolioWorld::parse_ahead` on the other core, whichever comes
/// first (the other waits for that parse).
struct Parsed {
    source: OnceLock<Source>,
    /// The earlier build's source of this file, if any (edited, typst
    /// reparses only what changed), its id and its text.
    todo: Mutex<Option<(Option<Source>, FileId, String)>>,
}

impl Parsed {
    fn now(source: Source) -> Parsed {
        Parsed { source: OnceLock::from(source), todo: Mutex::new(None) }
    }

    fn later(prev: Option<Source>, id: FileId, text: String) -> Parsed {
        Parsed { source: OnceLock::new(), todo: Mutex::new(Some((prev, id, text))) }
    }

    fn get(&self) -> &Source {
        self.source.get_or_init(|| {
            let (prev, id, text) = self.todo.lock().expect("parse lock").take().expect("a source is parsed once");
            SourceSlots::update(prev, id, text)
        })
    }
}

/// typst's standard library, built and hashed once per process.
static LIBRARY: std::sync::LazyLock<LazyHash<Library>> = std::sync::LazyLock::new(|| LazyHash::new(Library::builder().build()));

pub struct FolioWorld {
    root: PathBuf,
    library: &'static LazyHash<Library>,
    fonts: Arc<FontStore>,
    main: FileId,
    sources: HashMap<FileId, VirtualFile>,
    /// The body's parts in the order the markup includes them, by their
    /// keys in the session's source slots (the last of which is the id).
    parts: Vec<(PathBuf, String, FileId)>,
    blobs: HashMap<FileId, Bytes>,
    disk: Mutex<HashMap<FileId, FileResult<Bytes>>>,
    today: Option<Datetime>,
    places: Vec<(FileId, std::ops::Range<usize>, Location)>,
}

pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("folio's own virtual paths are valid");
    FileId::new(RootedPath::new(VirtualRoot::Project, vpath))
}

/// The inputs of one typst compile.
pub struct TypstInput {
    pub main: String,
    pub template: String,
    /// Path of a project's own template override, for diagnostics.
    pub template_path: Option<PathBuf>,
    pub meta_json: String,
    /// Generated files the markup reads, by virtual path: the body's parts
    /// (`.typ`, one per chapter) and chart drawings.
    pub files: Vec<(String, Vec<u8>)>,
    pub today: Option<(i32, u8, u8)>,
    pub shown_main: PathBuf,
    /// Where each top-level block of the body stands, to name the Markdown
    /// line of an error typst raises while laying it out.
    pub places: Vec<(String, std::ops::Range<usize>, Location)>,
    /// The body's tables, for naming a cell `folio-table` could not fit.
    pub tables: Vec<crate::pdf::markup::TableFit>,
}

/// The names mitex's translations use: one parsed source for all reports.
static MATH_SCOPE: LazyLock<Source> = LazyLock::new(|| Source::new(file_id(crate::pdf::math::SCOPE_PATH), crate::pdf::math::SCOPE.to_string()));

/// The last sources compiled per report, kept by a session: editing a
/// previous `Source` (rather than making a new one) lets typst reparse and
/// re-lay out only what changed, which is what makes rebuilds in `watch`
/// incremental. These are the world's file slots, reset between compiles.
#[derive(Default)]
pub struct SourceSlots(Mutex<HashMap<(PathBuf, String, FileId), Source>>);

impl SourceSlots {
    /// The template's source, parsed once for every report of the project
    /// (and, after an edit, reparsed where it changed).
    pub fn template(&self, root: &Path, text: String) -> Source {
        self.reuse((root.to_path_buf(), String::new(), file_id("/research.typ")), text)
    }

    /// Parsed under the lock: a second caller (a report's compile while
    /// the build prepares the template) waits for the first's parse.
    fn reuse(&self, key: (PathBuf, String, FileId), text: String) -> Source {
        let mut cache = self.0.lock().expect("source cache lock");
        let source = Self::update(cache.get(&key).cloned(), key.2, text);
        cache.insert(key, source.clone());
        source
    }

    /// What the last build parsed of these files.
    fn previous(&self, keys: &[(PathBuf, String, FileId)]) -> Vec<Option<Source>> {
        let cache = self.0.lock().expect("source cache lock");
        keys.iter().map(|key| cache.get(key).cloned()).collect()
    }

    /// `prev` edited to `text` (typst reparses only what changed), or a new source.
    fn update(prev: Option<Source>, id: FileId, text: String) -> Source {
        match prev {
            Some(mut s) => {
                if s.text() != text {
                    s.replace(&text);
                }
                s
            }
            None => Source::new(id, text),
        }
    }

    /// Keep only the slots of these reports (by name), e.g. those the last
    /// build made, and the template all reports share.
    pub fn retain_reports(&self, names: &[String]) {
        self.0.lock().expect("source cache lock").retain(|(_, ident, _), _| ident.is_empty() || names.contains(ident));
    }

    pub fn clear(&self) {
        self.0.lock().expect("source cache lock").clear();
    }

    /// Drop the slots of one report (a build of very many keeps none).
    pub fn forget_report(&self, name: &str) {
        self.0.lock().expect("source cache lock").retain(|(_, ident, _), _| ident != name);
    }
}

impl FolioWorld {
    /// `ident` names the report (sources of one report are reused across builds).
    pub fn new(root: &Path, fonts: Arc<FontStore>, input: TypstInput) -> Self {
        Self::for_report(root, fonts, input, "", &SourceSlots::default())
    }

    pub fn for_report(root: &Path, fonts: Arc<FontStore>, input: TypstInput, ident: &str, slots: &SourceSlots) -> Self {
        let main = file_id("/main.typ");
        let key = |id| (root.to_path_buf(), ident.to_string(), id);
        let mut sources = HashMap::new();
        let generated = input.shown_main.with_extension("");
        sources.insert(main, VirtualFile { shown_path: input.shown_main, source: Parsed::now(slots.reuse(key(main), input.main)) });
        let template = slots.template(root, input.template);
        sources.insert(
            template.id(),
            VirtualFile { shown_path: input.template_path.unwrap_or_else(|| PathBuf::from("<built-in>/research.typ")), source: Parsed::now(template) },
        );
        sources.insert(
            MATH_SCOPE.id(),
            VirtualFile { shown_path: PathBuf::from("<built-in>/folio-math.typ"), source: Parsed::now(MATH_SCOPE.clone()) },
        );
        let mut blobs = HashMap::new();
        blobs.insert(file_id("/meta.json"), Bytes::from_string(input.meta_json));
        // Parts of the body are sources of their own: typst evaluates each
        // once and, after an edit, only the part that changed again.
        let mut parts = Vec::new();
        for (path, bytes) in input.files {
            let id = file_id(&path);
            match String::from_utf8(bytes) {
                Ok(text) if path.ends_with(".typ") => parts.push((generated.join(path.trim_start_matches('/')), (key(id), text))),
                Ok(text) => {
                    blobs.insert(id, Bytes::from_string(text));
                }
                Err(e) => {
                    blobs.insert(id, Bytes::new(e.into_bytes()));
                }
            }
        }
        // Parsed when typst first asks for them (as typst's CLI parses),
        // or ahead of it (`parse_ahead`).
        let keys: Vec<_> = parts.iter().map(|(_, (key, _))| key.clone()).collect();
        for ((shown_path, (key, text)), prev) in parts.into_iter().zip(slots.previous(&keys)) {
            sources.insert(key.2, VirtualFile { shown_path, source: Parsed::later(prev, key.2, text) });
        }
        let places = input.places.into_iter().map(|(f, r, l)| (file_id(&f), r, l)).collect();
        FolioWorld {
            places,
            root: root.to_path_buf(),
            library: &LIBRARY,
            fonts,
            main,
            sources,
            parts: keys,
            blobs,
            disk: Mutex::new(HashMap::new()),
            today: input.today.and_then(|(y, m, d)| Datetime::from_ymd(y, m, d)),
        }
    }

    /// Parse the body's parts, from the second, while typst's compile
    /// (which parses the first itself) evaluates those before them; then
    /// keep every part in `slots` for the next build of the session.
    pub fn parse_ahead(&self, slots: &SourceSlots) {
        for key in self.parts.iter().skip(1) {
            self.sources[&key.2].source.get();
        }
        let mut cache = slots.0.lock().expect("source cache lock");
        for key in &self.parts {
            cache.insert(key.clone(), self.sources[&key.2].source.get().clone());
        }
    }

    /// Parse now what every report's compile starts with (the template,
    /// the math names), and with `code` typst's syntax definitions, which
    /// its first `raw` element in a language loads (4 ms), so that a
    /// build can do it on another core while it reads the project.
    pub fn prepare(root: &Path, template: String, slots: &SourceSlots, code: bool) {
        slots.template(root, template);
        LazyLock::force(&MATH_SCOPE);
        if code {
            LazyLock::force(&typst::text::RAW_SYNTAXES);
        }
    }

    fn read_disk(&self, id: FileId) -> FileResult<Bytes> {
        let mut cache = self.disk.lock().expect("disk cache lock");
        if let Some(hit) = cache.get(&id) {
            return hit.clone();
        }
        let rel = id.get().vpath().get_without_slash().to_string();
        let result = match resolve_inside(&self.root, &self.root, &rel) {
            Ok(path) => std::fs::read(&path).map(Bytes::new).map_err(|e| FileError::from_io(e, &path)),
            Err(_) => Err(FileError::AccessDenied),
        };
        cache.insert(id, result.clone());
        result
    }

    /// The writer's line of the top-level block a typst diagnostic arose
    /// in: its own place, or any call on its trace, inside the body.
    fn markdown_place(&self, d: &SourceDiagnostic) -> Option<Location> {
        std::iter::once(d.span).chain(d.trace.iter().map(|t| t.span.into())).find_map(|span: typst::syntax::DiagSpan| {
            let id = span.id()?;
            let range = self.range(span)?;
            self.places.iter().find(|(f, r, _)| *f == id && r.start <= range.start && range.start <= r.end).map(|(_, _, l)| l.clone())
        })
    }

    /// Turn a typst diagnostic into ours, pointing into the file it came from.
    pub fn convert(&self, d: &SourceDiagnostic) -> Diagnostic {
        let severity = match d.severity {
            TSeverity::Error => Severity::Error,
            TSeverity::Warning => Severity::Warning,
        };
        let mut out = Diagnostic {
            severity,
            message: d.message.to_string(),
            location: None,
            hints: d.hints.iter().map(|h| h.v.to_string()).collect(),
            kind: None,
        };
        let span = d.span;
        let (id, range) = match (span.id(), self.range(span)) {
            (Some(id), Some(range)) => (Some(id), Some(range)),
            _ => {
                // Errors without a place of their own get the innermost traced call.
                let traced = d.trace.iter().rev().find_map(|t| Some((t.span.id()?, self.range(t.span)?)));
                match traced {
                    Some((id, r)) => (Some(id), Some(r)),
                    None => (None, None),
                }
            }
        };
        if let (Some(id), Some(range)) = (id, range) {
            if let Some(v) = self.sources.get(&id) {
                out.location = Some(Location::new(v.shown_path.clone(), v.source.get().text().into(), range));
            }
        }
        // Raised in the built-in template: point at the Markdown block being
        // laid out, and say where typst saw it. In a project's own template:
        // keep the place, and name the block. (Places in the generated markup
        // are mapped back by the build, which knows the writer's files.)
        let shown = out.location.as_ref().map(|l| l.path.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(place) = self.markdown_place(d) {
            if shown.starts_with("<built-in>") || out.location.is_none() {
                if let Some(typst_loc) = out.location.take() {
                    out.hints.push(format!("typst raised this at {} while laying out this block", typst_loc.describe()));
                }
                out.location = Some(place);
            } else if !shown.starts_with("<generated>") {
                out.hints.push(format!("while laying out {}", place.describe()));
            }
        }
        out
    }
}

impl World for FolioWorld {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(v) = self.sources.get(&id) {
            return Ok(v.source.get().clone());
        }
        if matches!(id.get().root(), VirtualRoot::Package(_)) {
            return Err(FileError::Other(Some("packages are not available to folio reports".into())));
        }
        let bytes = self.read_disk(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(v) = self.sources.get(&id) {
            return Ok(Bytes::from_string(v.source.get().text().to_string()));
        }
        if let Some(b) = self.blobs.get(&id) {
            return Ok(b.clone());
        }
        if matches!(id.get().root(), VirtualRoot::Package(_)) {
            return Err(FileError::Other(Some("packages are not available to folio reports".into())));
        }
        self.read_disk(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

/// Keep typst's memo caches bounded across the builds of a long watch
/// session: drop what the last ten builds did not use. Called between
/// builds, after the outputs are written, so a rebuild does not wait for it.
pub fn trim_caches() {
    typst::comemo::evict(10);
}

/// PDF standards folio can enforce (typst checks conformance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PdfStandard {
    /// PDF/A-2b, for archiving
    #[value(name = "a-2b")]
    A2b,
    /// PDF/UA-1, accessible (tagged, alt text for every figure)
    #[value(name = "ua-1")]
    Ua1,
}

pub struct Compiled {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
    /// The first page's top as a PNG card, when asked for (see `preview_png`).
    pub preview: Option<Vec<u8>>,
    /// The page each printed value landed on (`--lineage`), by value index.
    pub value_pages: Vec<(usize, usize)>,
    /// Tables the template had to set smaller than its size, or could not fit.
    pub table_fits: Vec<TableFitted>,
}

/// What `folio-table` did with a table whose texts did not fit its columns
/// (`metadata((id, size, fits))<folio-fit>` in the template).
#[derive(Debug, Clone, PartialEq)]
pub struct TableFitted {
    /// The table's `fit.id`: its index in `markup::Generated::tables`.
    pub id: usize,
    /// The type size it was set in, in points.
    pub size: f64,
    /// False when even the smallest size left a text wider than its column.
    pub fits: bool,
}

/// Width and height of a link-preview card (Open Graph, Twitter), 1.91:1.
pub const PREVIEW_SIZE: (u32, u32) = (1200, 628);

/// The top of the first page, drawn by typst's own renderer at the card's
/// width and cut to the card's height: for a report, the cover's title,
/// rating and first lines, which is what a link preview should show.
fn preview_png(doc: &PagedDocument) -> Option<Vec<u8>> {
    let (w, h) = PREVIEW_SIZE;
    // Only the card's part of the page is drawn: the frame is cut to it.
    let mut page = doc.pages().first()?.clone();
    let scale = w as f64 / page.frame.width().to_pt();
    let height = (h as f64 / scale).min(page.frame.height().to_pt());
    page.frame.set_size(typst::layout::Size::new(page.frame.width(), typst::layout::Abs::pt(height)));
    let pixmap = typst_render::render(&page, &typst_render::RenderOptions { pixel_per_pt: scale.into(), ..Default::default() });
    let card = if pixmap.height() > h { pixmap.clone_rect(tiny_skia::IntRect::from_xywh(0, 0, pixmap.width(), h)?)? } else { pixmap };
    // The page is opaque, so its premultiplied pixels are plain RGBA; the
    // fast deflate takes a third of the time of tiny-skia's own encoder.
    let rgb: Vec<u8> = card.data().chunks_exact(4).flat_map(|px| [px[0], px[1], px[2]]).collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, card.width(), card.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_compression(png::Compression::Fast);
    encoder.write_header().ok()?.write_image_data(&rgb).ok()?;
    Some(out)
}

pub fn compile(
    world: &FolioWorld,
    ident: &str,
    standards: &[crate::pdf::world::PdfStandard],
    preview: bool,
    t: &mut crate::core::timings::Timings,
) -> Result<Compiled, Vec<Diagnostic>> {
    let list: Vec<typst_pdf::PdfStandard> = standards
        .iter()
        .map(|s| match s {
            crate::pdf::world::PdfStandard::A2b => typst_pdf::PdfStandard::A_2b,
            crate::pdf::world::PdfStandard::Ua1 => typst_pdf::PdfStandard::Ua_1,
        })
        .collect();
    let standards = typst_pdf::PdfStandards::new(&list).map_err(|e| vec![Diagnostic::error(e.message().to_string())])?;
    let result = t.time("typst layout", || typst::compile::<PagedDocument>(world));
    let warnings: Vec<Diagnostic> = result.warnings.iter().map(|d| world.convert(d)).collect();
    let doc = match result.output {
        Ok(doc) => doc,
        Err(errors) => {
            let mut all: Vec<Diagnostic> = errors.iter().map(|d| world.convert(d)).collect();
            all.extend(warnings);
            return Err(all);
        }
    };
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some("folio".to_string())),
        standards,
        ..Default::default()
    };
    let pdf = t
        .time("pdf export", || typst_pdf::pdf(&doc, &options))
        .map_err(|errs| errs.iter().map(|d| world.convert(d)).collect::<Vec<_>>())?;
    let preview = if preview { t.time("preview image", || preview_png(&doc)) } else { None };
    let value_pages = value_pages(&doc);
    let table_fits = table_fits(&doc);
    Ok(Compiled { pdf, pages: doc.pages().len(), warnings, preview, value_pages, table_fits })
}

/// The value of each `#metadata(…)<label>` laid out, with its 1-based page.
fn labelled_metadata(doc: &PagedDocument, label: &str) -> Vec<(typst::foundations::Value, Option<usize>)> {
    use typst::foundations::{Label, Selector};
    use typst::introspection::{Introspector, MetadataElem};
    let Some(label) = Label::new(typst::utils::PicoStr::intern(label)) else { return vec![] };
    let introspector = doc.introspector();
    introspector
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|c| Some((c.to_packed::<MetadataElem>()?.value.clone(), c.location().and_then(|l| introspector.page(l)).map(|p| p.get()))))
        .collect()
}

/// Where each `#metadata(N)<folio-v>` the markup holds for a printed value
/// (`--lineage`) was laid out: (N, 1-based page).
fn value_pages(doc: &PagedDocument) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = labelled_metadata(doc, "folio-v")
        .into_iter()
        .filter_map(|(value, page)| match value {
            typst::foundations::Value::Int(i) => Some((usize::try_from(i).ok()?, page?)),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out
}

/// Every `<folio-fit>` record of the template's tables, in id order.
fn table_fits(doc: &PagedDocument) -> Vec<TableFitted> {
    use typst::foundations::Value;
    let mut out: Vec<TableFitted> = labelled_metadata(doc, "folio-fit")
        .into_iter()
        .filter_map(|(value, _)| {
            let Value::Dict(d) = value else { return None };
            let id = match d.get("id").ok()? {
                Value::Int(i) => usize::try_from(*i).ok()?,
                _ => return None,
            };
            let size = match d.get("size").ok()? {
                Value::Float(f) => *f,
                Value::Int(i) => *i as f64,
                _ => return None,
            };
            let fits = matches!(d.get("fits").ok()?, Value::Bool(true));
            Some(TableFitted { id, size, fits })
        })
        .collect();
    out.sort_by_key(|f| f.id);
    out.dedup_by_key(|f| f.id);
    out
}

/// One formula (typst math from `crate::pdf::math`) drawn as SVG by typst,
/// for an HTML page where MathML cannot express it; None if it fails.
pub fn formula_svg(root: &Path, fonts: Arc<FontStore>, math: &str, display: bool) -> Option<String> {
    let equation = if display { format!("$ {math} $") } else { format!("${math}$") };
    let main = format!(
        "#set page(width: auto, height: auto, margin: (x: 1pt, y: 3pt), fill: none)\n#set text(size: 12pt)\n#{{ import \"{}\": *; {equation} }}\n",
        crate::pdf::math::SCOPE_PATH
    );
    let input = TypstInput {
        main,
        template: String::new(),
        template_path: None,
        meta_json: "{}".into(),
        files: vec![],
        today: None,
        shown_main: PathBuf::from("<generated>/formula.typ"),
        places: vec![],
        tables: vec![],
    };
    let world = FolioWorld::new(root, fonts, input);
    let doc = typst::compile::<PagedDocument>(&world).output.ok()?;
    let page = doc.pages().first()?;
    Some(typst_svg::svg(page, &typst_svg::SvgOptions::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(one: &str) -> TypstInput {
        TypstInput {
            main: "#include \"/body/1.typ\"\n#include \"/body/2.typ\"\n".into(),
            template: String::new(),
            template_path: None,
            meta_json: "{}".into(),
            files: vec![("/body/1.typ".into(), one.as_bytes().to_vec()), ("/body/2.typ".into(), b"Two *parts*.".to_vec())],
            today: None,
            shown_main: PathBuf::from("main.typ"),
            places: vec![],
            tables: vec![],
        }
    }

    #[test]
    fn parts_are_parsed_when_asked_for_or_ahead_and_kept_for_the_next_build() {
        let (root, slots) = (tempfile::tempdir().unwrap(), SourceSlots::default());
        let world = FolioWorld::for_report(root.path(), Arc::new(FontStore::new()), input("One."), "r", &slots);
        // typst asks for the first part itself; the rest are parsed ahead.
        assert_eq!(world.source(file_id("/body/1.typ")).unwrap().text(), "One.");
        world.parse_ahead(&slots);
        let kept = |path: &str| slots.0.lock().unwrap().get(&(root.path().to_path_buf(), "r".to_string(), file_id(path))).map(|s| s.text().to_string());
        assert_eq!(kept("/body/1.typ").as_deref(), Some("One."));
        assert_eq!(kept("/body/2.typ").as_deref(), Some("Two *parts*."));
        // The next build's part starts from the kept source, edited.
        let again = FolioWorld::for_report(root.path(), Arc::new(FontStore::new()), input("One, edited."), "r", &slots);
        assert_eq!(again.source(file_id("/body/1.typ")).unwrap().text(), "One, edited.");
        assert_eq!(String::from_utf8(again.file(file_id("/body/2.typ")).unwrap().to_vec()).unwrap(), "Two *parts*.");
    }
}
