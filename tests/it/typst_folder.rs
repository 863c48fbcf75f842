//! `--format typst` folders compiled as the typst CLI compiles them: every
//! file from the folder itself (nothing built in), fonts from typst's own
//! embedded set plus `--font-path fonts`, then the page count compared with
//! folio's PDF.

use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::common::{pdf_pages, Fixture};

/// What `typst compile --root <dir> --font-path fonts <dir>/main.typ` sees.
struct CliWorld {
    root: PathBuf,
    main: FileId,
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn id(path: &str) -> FileId {
    FileId::new(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).unwrap()))
}

fn font_files(dir: &Path, out: &mut Vec<Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            font_files(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("ttf" | "otf" | "ttc")) {
            out.push(std::fs::read(&path).unwrap());
        }
    }
}

impl CliWorld {
    fn new(root: &Path) -> CliWorld {
        let mut data: Vec<Vec<u8>> = typst_assets::fonts().map(|f| f.to_vec()).collect();
        font_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"), &mut data);
        let fonts: Vec<Font> = data.into_iter().flat_map(|d| Font::iter(Bytes::new(d))).collect();
        CliWorld {
            root: root.to_path_buf(),
            main: id("/main.typ"),
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    }

    fn read(&self, id: FileId) -> FileResult<Vec<u8>> {
        let path = self.root.join(id.get().vpath().get_without_slash());
        std::fs::read(&path).map_err(|e| FileError::from_io(e, &path))
    }
}

impl World for CliWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        let text = String::from_utf8(self.read(id)?).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text))
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.read(id).map(Bytes::new)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// Pages of the folder's compile, or typst's errors.
fn compile_folder(dir: &Path) -> Result<usize, String> {
    let world = CliWorld::new(dir);
    match typst::compile::<PagedDocument>(&world).output {
        Ok(doc) => Ok(doc.pages().len()),
        Err(errors) => Err(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")),
    }
}

const WITH_EVERYTHING: &str = "---\ntitle: Folder\nlang: en\n---\n# Growth\n\nRevenue rose $\\frac{a}{b} \\le \\sqrt{x}$ in 2024.\n\n$$\n\\sum_{i=1}^{n} x_i^2\n$$\n\n```chart\nkind: bar\ndata: sales\nx: year\ny: revenue\ncaption: Revenue\n```\n\n| Year | Revenue |\n|---|---|\n{% for r in data.sales %}| {{ r.year }} | {{ r.revenue | num(1) }} |\n{% endfor %}\n# Outlook\n\nA <kbd>key</kbd> and <mark>marked</mark> words, H<sub>2</sub>O.\n";

#[test]
fn typst_folder_compiles_as_the_cli_would_with_formulas_and_charts() {
    let f = Fixture::new(&[
        ("content/report.md", WITH_EVERYTHING),
        ("content/data/sales.csv", "year,revenue\n2022,10.5\n2023,12.25\n2024,15\n"),
    ]);
    f.folio(&["build", "--format", "typst"]).ok();
    let dir = f.out("report.typst");
    assert!(dir.join("folio-math.typ").is_file(), "the formulas' scope is written");
    let pages = compile_folder(&dir).unwrap_or_else(|e| panic!("the folder does not compile: {e}"));
    f.folio(&["build", "--format", "pdf"]).ok();
    assert_eq!(pages, pdf_pages(&f.out("report.pdf")).len());
}

#[test]
fn flagship_typst_folder_compiles_to_the_same_pages() {
    let f = crate::common::flagship();
    f.folio(&["build", "--format", "typst"]).ok();
    let pages = compile_folder(&f.out("report.typst")).unwrap_or_else(|e| panic!("the flagship folder does not compile: {e}"));
    f.folio(&["build", "--format", "pdf"]).ok();
    assert_eq!(pages, pdf_pages(&f.out("report.pdf")).len());
}
