//! Fonts: the CJK subsets folio ships and typst's Latin fonts, embedded in
//! the binary; a project's `fonts/` folder; system fonts only when a
//! character is not covered otherwise.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst_kit::fonts::FontStore;

const SHIPPED: [&[u8]; 4] = [
    folio_fonts_serif::REGULAR,
    folio_fonts_serif::BOLD,
    folio_fonts_sans::REGULAR,
    folio_fonts_sans::BOLD,
];

/// Their SHA-256, in the same order.
const SHIPPED_SHA256: [&str; 4] = [
    folio_fonts_serif::REGULAR_SHA256,
    folio_fonts_serif::BOLD_SHA256,
    folio_fonts_sans::REGULAR_SHA256,
    folio_fonts_sans::BOLD_SHA256,
];

/// What a build already knows of a project font file without reading it:
/// the SHA-256 (in hex, or a prefix of it) its bytes had when an earlier
/// build hashed them, if the file is unchanged since.
pub type Known<'a> = &'a dyn Fn(&Path) -> Option<String>;

/// Font stores kept for the life of the process, by project fonts folder and
/// its stamp, whether system fonts were added, and the characters found covered.
type CacheEntry = (PathBuf, String, Arc<FontStore>, bool, Covered);

/// Font stores a session's builds share.
#[derive(Default)]
pub struct FontCache(std::sync::Mutex<Vec<CacheEntry>>);

impl FontCache {
    /// Later builds of the session start from these fonts (with system
    /// fonts, once scanned, and the coverage found so far).
    pub fn remember(&self, fonts: &Fonts) {
        let mut cache = self.0.lock().expect("font cache lock");
        if let Some(entry) = cache.iter_mut().find(|(p, ..)| *p == fonts.project_fonts) {
            entry.2 = fonts.store.clone();
            entry.3 = fonts.system_scanned;
            entry.4 = fonts.covered.clone();
        }
    }

    pub fn clear(&self) {
        self.0.lock().expect("font cache lock").clear();
    }
}

/// Characters some font of a store is known to cover, one bit per code point.
/// Coverage only grows (system fonts are added, never removed), so a
/// rebuild checks only characters it has not seen before.
type Covered = Arc<std::sync::Mutex<Vec<u64>>>;

/// The fonts a build may use. The store is shared by every report's world.
pub struct Fonts {
    pub store: Arc<FontStore>,
    project_fonts: PathBuf,
    pub system_scanned: bool,
    covered: Covered,
}

/// Every font file in the binary: folio's CJK subsets, then typst's own.
pub fn in_binary() -> impl Iterator<Item = &'static [u8]> {
    SHIPPED.into_iter().chain(typst_assets::fonts())
}

/// What typst knows of each face of the fonts in the binary before it sets
/// text in one (family, style, the characters covered), as [`in_binary`]
/// gives them: their file's size, then each face's info. The fonts never
/// change once built, yet taking this from them costs 6 ms a process;
/// `the_infos_of_the_fonts_in_the_binary_are_theirs` checks it against
/// the fonts (and with FOLIO_BLESS=1 writes it anew).
const INFOS: &str = include_str!("embedded-fonts.json");

/// A face of a font in the binary, parsed when typst first needs it.
/// The faces of one file share its `Bytes`, and with them the hash typst
/// takes of the whole file: [`ready`] can take it before typst needs it.
#[derive(Clone)]
struct InBinary {
    data: &'static [u8],
    bytes: Bytes,
    index: u32,
}

impl typst_kit::fonts::FontSource for InBinary {
    fn load(&self) -> Option<Font> {
        Font::new(self.bytes.clone(), self.index)
    }
}

/// The fonts in the binary as a store, made once a process, with the
/// characters they cover marked. Each face is parsed when typst first
/// sets text in it: a report uses 4 to 8 of the 21.
struct Embedded {
    faces: Vec<(InBinary, FontInfo)>,
    store: Arc<FontStore>,
    covered: Vec<u64>,
}

fn embedded() -> &'static Embedded {
    static MADE: std::sync::OnceLock<Embedded> = std::sync::OnceLock::new();
    MADE.get_or_init(|| {
        let faces = infos_in_binary().unwrap_or_else(parse_in_binary);
        let mut store = FontStore::new();
        store.extend(faces.iter().cloned());
        let mut covered = vec![0; COVERED_WORDS];
        mark(&mut covered, store.book());
        Embedded { faces, store: Arc::new(store), covered }
    })
}

/// The faces with their infos as [`INFOS`] keeps them; none when it is not
/// of these fonts (a file of another size), nor of this typst.
fn infos_in_binary() -> Option<Vec<(InBinary, FontInfo)>> {
    let kept: Vec<(usize, Vec<FontInfo>)> = serde_json::from_str(INFOS).ok()?;
    let files: Vec<&'static [u8]> = in_binary().collect();
    if kept.len() != files.len() {
        return None;
    }
    let mut faces = Vec::new();
    for (data, (len, infos)) in files.into_iter().zip(kept) {
        if data.len() != len {
            return None;
        }
        let bytes = Bytes::new(data);
        faces.extend(infos.into_iter().enumerate().map(|(index, info)| (InBinary { data, bytes: bytes.clone(), index: index as u32 }, info)));
    }
    Some(faces)
}

/// The faces with their infos, each font parsed for them.
fn parse_in_binary() -> Vec<(InBinary, FontInfo)> {
    in_binary()
        .flat_map(|data| {
            let bytes = Bytes::new(data);
            Font::iter(bytes.clone()).enumerate().map(move |(index, f)| (InBinary { data, bytes: bytes.clone(), index: index as u32 }, f.info().clone()))
        })
        .collect()
}

/// Make the store of the fonts in the binary now, so that the first
/// [`Fonts`] finds it ready (a second caller waits for the first, never
/// makes it again).
pub fn prepare() {
    let _ = embedded();
}

/// A face of a font in the binary, as typst's font book names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Face {
    pub family: &'static str,
    pub weight: u16,
}

/// The faces folio's built-in template sets a report's text in, in the
/// order a report first uses them: the sans of the title, byline and
/// headings (its CJK font sets their Latin letters too), the Latin serif
/// of the body, with Chinese text the CJK serif, and with bold text the
/// serifs' bold. A test checks them against built notes' PDFs.
pub fn built_in_template_faces(chinese: bool, bold: bool) -> Vec<Face> {
    let face = |family, weight| Face { family, weight };
    let mut faces = vec![face("Noto Sans CJK SC", 400), face("Noto Sans CJK SC", 700)];
    if chinese {
        faces.push(face("Noto Serif CJK SC", 400));
    }
    faces.push(face("Libertinus Serif", 400));
    if bold {
        if chinese {
            faces.push(face("Noto Serif CJK SC", 700));
        }
        faces.push(face("Libertinus Serif", 700));
    }
    faces
}

/// Hash the files of these faces of the fonts in the binary (upright), in
/// this order. typst hashes the whole file of a font when it first sets
/// text in it: 2-4 ms for each of folio's CJK subsets, inside the report's
/// layout unless done before, on a core the build leaves idle. The hash
/// is kept with the file's `Bytes`, which typst is given when it loads
/// the face. No face is loaded here: a thread that yields to the build
/// must hold no lock typst waits on (a hash typst needs while it is being
/// taken here, typst takes itself).
pub fn ready(faces: &[Face]) {
    let embedded = embedded();
    for face in faces {
        let found = embedded.faces.iter().find(|(_, info)| {
            info.family == face.family && info.variant.weight.to_number() == face.weight && info.variant.style == typst::text::FontStyle::Normal
        });
        if let Some((source, _)) = found {
            let _ = typst::utils::hash128(&source.bytes);
        }
    }
}

/// One bit per code point.
const COVERED_WORDS: usize = (char::MAX as usize + 1).div_ceil(64);

/// Mark every code point of every font of `book`, in one pass over each
/// font's ranges (0.3 ms): typst's `Coverage::contains` walks a font's
/// runs from the start, thousands of them in a CJK subset, so asking it
/// character by character took 5 ms for a long report.
fn mark(covered: &mut [u64], book: &FontBook) {
    for info in (0..).map_while(|i| book.info(i)) {
        // A font's table may name code points past Unicode's end.
        for c in info.coverage.iter() {
            if let Some(word) = covered.get_mut(c as usize / 64) {
                *word |= 1 << (c % 64);
            }
        }
    }
}

/// Largest font file read from a project.
const FONT_MAX: u64 = 64 << 20;

/// The fonts of a project's `fonts/` folder, read through no link and each
/// under a size cap (a link to a device or a huge file is skipped). A file
/// that is one of the fonts folio ships, byte for byte (a project that
/// keeps its copy, as this repository's own does), is the embedded font
/// already: parsing it again would cost 5 ms a face and give typst each
/// face twice. A file `known` to hash as a shipped font is not even read
/// (reading and comparing the four costs 12 ms).
fn project(dir: &Path, known: Known<'_>) -> Vec<(Font, FontInfo)> {
    let is_font = |p: &Path| p.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc" | "otc"));
    let shipped = |p: &Path| known(p).is_some_and(|h| h.len() >= 32 && SHIPPED_SHA256.iter().any(|s| s.starts_with(&h)));
    crate::core::paths::regular_files(dir)
        .into_iter()
        .filter(|p| is_font(p) && !shipped(p))
        .filter_map(|p| crate::core::paths::read_regular(dir, &p, FONT_MAX).ok())
        .filter(|data| !SHIPPED.iter().any(|shipped| shipped[..] == data[..]))
        .flat_map(|data| faces(Bytes::new(data)).collect::<Vec<_>>())
        .collect()
}

/// Every face of a font file, parsed, with its info.
pub fn faces(data: Bytes) -> impl Iterator<Item = (Font, FontInfo)> {
    Font::iter(data).map(|f| {
        let info = f.info().clone();
        (f, info)
    })
}

/// The font file in the binary of the face of `family` at `weight`, found
/// by the faces' kept infos (no font is parsed).
pub fn file_in_binary(family: &str, weight: u16) -> Option<&'static [u8]> {
    embedded().faces.iter().find(|(_, info)| info.family == family && info.variant.weight.to_number() == weight).map(|(face, _)| face.data)
}

impl Fonts {
    /// Shipped fonts plus the project's `fonts/` folder.
    pub fn new(project_fonts: &Path) -> Fonts {
        Self::knowing(project_fonts, &|_| None)
    }

    /// As [`Fonts::new`], told what is known of the project's font files.
    pub fn knowing(project_fonts: &Path, known: Known<'_>) -> Fonts {
        Fonts {
            store: Self::store(project_fonts, known, false),
            project_fonts: project_fonts.to_path_buf(),
            system_scanned: false,
            covered: Arc::new(std::sync::Mutex::new(embedded().covered.clone())),
        }
    }

    /// Fonts for a build, reused while the project's fonts folder is
    /// unchanged: in `watch` a rebuild neither re-parses the embedded fonts
    /// nor gives typst new font objects to re-hash.
    pub fn cached(project_fonts: &Path, cache: &FontCache, known: Known<'_>) -> Fonts {
        let stamp = folder_stamp(project_fonts);
        let mut cache = cache.0.lock().expect("font cache lock");
        if let Some((_, _, store, system, covered)) = cache.iter().find(|(p, s, ..)| p == project_fonts && *s == stamp) {
            return Fonts {
                store: store.clone(),
                project_fonts: project_fonts.to_path_buf(),
                system_scanned: *system,
                covered: covered.clone(),
            };
        }
        let fonts = Fonts::knowing(project_fonts, known);
        cache.retain(|(p, ..)| p != project_fonts);
        cache.push((project_fonts.to_path_buf(), stamp, fonts.store.clone(), false, fonts.covered.clone()));
        fonts
    }

    /// The fonts in the binary's own store when the project adds none.
    fn store(project_fonts: &Path, known: Known<'_>, system: bool) -> Arc<FontStore> {
        let own = project(project_fonts, known);
        if own.is_empty() && !system {
            return embedded().store.clone();
        }
        let mut store = FontStore::new();
        store.extend(embedded().faces.iter().cloned());
        store.extend(own);
        if system {
            store.extend(typst_kit::fonts::system());
        }
        Arc::new(store)
    }

    /// Scanning system fonts costs 80-400 ms: done only when a character is
    /// missing from the shipped and project fonts.
    pub fn add_system(&mut self) {
        if !self.system_scanned {
            self.store = Self::store(&self.project_fonts, &|_| None, true);
            self.system_scanned = true;
        }
    }

    pub fn book(&self) -> &FontBook {
        self.store.book()
    }

    /// Every font family name typst can set.
    pub fn families(&self) -> Vec<String> {
        self.book().families().map(|(name, _)| name.to_string()).collect()
    }

    /// Characters no known font covers, in code point order.
    pub fn uncovered(&self, chars: impl Iterator<Item = char>) -> Vec<char> {
        let mut covered = self.covered.lock().expect("coverage lock");
        if covered.is_empty() {
            covered.resize(COVERED_WORDS, 0);
        }
        let known = |bits: &[u64], c: char| bits[c as usize / 64] & (1 << (c as usize % 64)) != 0;
        // Each new distinct character is looked up once: a report repeats a
        // few thousand characters many times over, and a rebuild brings few new ones.
        let new: std::collections::BTreeSet<char> =
            chars.filter(|&c| !known(&covered, c) && !c.is_whitespace() && !c.is_control()).collect();
        if new.is_empty() {
            return vec![];
        }
        // Characters of fonts beyond the binary's (the project's, the
        // system's) are marked when one is first missing.
        mark(&mut covered, self.book());
        new.into_iter().filter(|&c| !known(&covered, c)).collect()
    }
}

/// Names, sizes and modification times of a folder's files.
fn folder_stamp(dir: &Path) -> String {
    let mut entries: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let m = e.metadata().ok();
            let modified = m.as_ref().and_then(|m| m.modified().ok()).and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            format!("{:?}:{:?}:{:?}", e.file_name(), m.map(|m| m.len()), modified)
        })
        .collect();
    entries.sort();
    entries.join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_is_remembered_but_missing_characters_are_reported_every_time() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FontCache::default();
        let fonts = Fonts::cached(&dir.path().join("fonts"), &cache, &|_| None);
        let text = "模型A1\u{20000}模型";
        assert_eq!(fonts.uncovered(text.chars()), vec!['\u{20000}']);
        let again = Fonts::cached(&dir.path().join("fonts"), &cache, &|_| None);
        assert!(again.covered.lock().unwrap()['模' as usize / 64] != 0, "covered characters are cached");
        assert_eq!(again.uncovered(text.chars()), vec!['\u{20000}']);
        assert_eq!(again.uncovered("模型".chars()), Vec::<char>::new());
    }

    #[test]
    fn a_project_copy_of_a_shipped_font_is_not_loaded_twice_but_an_edited_one_is() {
        let dir = tempfile::tempdir().unwrap();
        let count = |fonts: &Fonts| (0..).map_while(|i| fonts.book().info(i)).count();
        let shipped = count(&Fonts::new(&dir.path().join("none")));
        let fonts_dir = dir.path().join("fonts");
        std::fs::create_dir_all(fonts_dir.join("sans")).unwrap();
        std::fs::write(fonts_dir.join("sans/copy.ttf"), folio_fonts_sans::REGULAR).unwrap();
        assert_eq!(count(&Fonts::new(&fonts_dir)), shipped);
        // Same size, its last byte changed: the project's own font, loaded
        // beside the shipped one.
        let mut edited = folio_fonts_sans::REGULAR.to_vec();
        let last = edited.len() - 1;
        edited[last] ^= 1;
        std::fs::write(fonts_dir.join("sans/copy.ttf"), &edited).unwrap();
        assert_eq!(count(&Fonts::new(&fonts_dir)), shipped + 1);
        // Known (from an earlier build's record) to hash as a shipped font:
        // not read at all.
        std::fs::write(fonts_dir.join("sans/copy.ttf"), b"not read").unwrap();
        let known = |_: &Path| Some(folio_fonts_sans::REGULAR_SHA256[..32].to_string());
        assert_eq!(count(&Fonts::knowing(&fonts_dir, &known)), shipped);
        assert_eq!(count(&Fonts::knowing(&fonts_dir, &|_| Some("0123".repeat(8)))), shipped, "a file that does not parse adds nothing");
    }

    #[test]
    fn the_infos_of_the_fonts_in_the_binary_are_theirs() {
        let parsed = parse_in_binary();
        let by_file: Vec<(usize, Vec<FontInfo>)> = in_binary().map(|data| (data.len(), faces(Bytes::new(data)).map(|(_, info)| info).collect())).collect();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pdf/embedded-fonts.json");
        if std::env::var_os("FOLIO_BLESS").is_some() {
            // Built into the binary: the next build of the tests checks it.
            std::fs::write(&path, serde_json::to_string(&by_file).unwrap() + "\n").unwrap();
            return;
        }
        let kept = infos_in_binary().expect("src/pdf/embedded-fonts.json is of other fonts: run this test with FOLIO_BLESS=1 to write it anew");
        assert_eq!(kept.len(), parsed.len());
        for ((a, info_a), (b, info_b)) in kept.iter().zip(&parsed) {
            assert!(std::ptr::eq(a.data, b.data) && a.index == b.index);
            assert!(info_a == info_b, "{} differs from its font: run this test with FOLIO_BLESS=1 to write src/pdf/embedded-fonts.json anew", info_b.family);
        }
        // A face parsed when typst needs it is the face the info is of.
        let store = &embedded().store;
        let last = kept.len() - 1;
        assert!(store.font(last).unwrap().info() == &parsed[last].1);
    }

    #[test]
    fn the_shipped_fonts_hashes_are_theirs() {
        use sha2::Digest;
        for (font, sha) in SHIPPED.iter().zip(SHIPPED_SHA256) {
            assert_eq!(crate::input::records::hex(&sha2::Sha256::digest(font)), sha);
        }
    }
}
