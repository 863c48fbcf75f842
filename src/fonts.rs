//! Fonts: the CJK subsets folio ships and typst's Latin fonts, embedded in
//! the binary; a project's `fonts/` folder; system fonts only when a
//! character is not covered otherwise.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst_kit::fonts::FontStore;

const SHIPPED: [&[u8]; 4] = [
    include_bytes!("../fonts/FolioSerifCJK-Regular.ttf"),
    include_bytes!("../fonts/FolioSerifCJK-Bold.ttf"),
    include_bytes!("../fonts/FolioSansCJK-Regular.ttf"),
    include_bytes!("../fonts/FolioSansCJK-Bold.ttf"),
];

/// Font stores kept for the life of the process, by project fonts folder and
/// its stamp, and whether system fonts were added.
type CacheEntry = (PathBuf, String, Arc<FontStore>, bool);
static CACHE: std::sync::LazyLock<std::sync::Mutex<Vec<CacheEntry>>> = std::sync::LazyLock::new(Default::default);

/// The fonts a build may use. The store is shared by every report's world.
pub struct Fonts {
    pub store: Arc<FontStore>,
    project_fonts: PathBuf,
    pub system_scanned: bool,
}

fn embedded() -> impl Iterator<Item = (Font, FontInfo)> {
    SHIPPED.into_iter().chain(typst_assets::fonts()).flat_map(|data| {
        Font::iter(Bytes::new(data)).map(|f| {
            let info = f.info().clone();
            (f, info)
        })
    })
}

impl Fonts {
    /// Shipped fonts plus the project's `fonts/` folder.
    pub fn new(project_fonts: &Path) -> Fonts {
        Fonts { store: Arc::new(Self::store(project_fonts, false)), project_fonts: project_fonts.to_path_buf(), system_scanned: false }
    }

    /// Fonts for a build, reused while the project's fonts folder is
    /// unchanged: in `watch` a rebuild neither re-parses the embedded fonts
    /// nor gives typst new font objects to re-hash.
    pub fn cached(project_fonts: &Path) -> Fonts {
        let stamp = folder_stamp(project_fonts);
        let mut cache = CACHE.lock().expect("font cache lock");
        if let Some((_, _, store, system)) = cache.iter().find(|(p, s, ..)| p == project_fonts && *s == stamp) {
            return Fonts { store: store.clone(), project_fonts: project_fonts.to_path_buf(), system_scanned: *system };
        }
        let fonts = Fonts::new(project_fonts);
        cache.retain(|(p, ..)| p != project_fonts);
        cache.push((project_fonts.to_path_buf(), stamp, fonts.store.clone(), false));
        fonts
    }

    fn store(project_fonts: &Path, system: bool) -> FontStore {
        let mut store = FontStore::new();
        store.extend(embedded());
        if project_fonts.is_dir() {
            store.extend(typst_kit::fonts::scan(project_fonts));
        }
        if system {
            store.extend(typst_kit::fonts::system());
        }
        store
    }

    /// Scanning system fonts costs 80-400 ms: done only when a character is
    /// missing from the shipped and project fonts.
    pub fn add_system(&mut self) {
        if !self.system_scanned {
            self.store = Arc::new(Self::store(&self.project_fonts, true));
            self.system_scanned = true;
            // Later builds in this process (watch) start from the scanned set.
            let mut cache = CACHE.lock().expect("font cache lock");
            if let Some(entry) = cache.iter_mut().find(|(p, ..)| *p == self.project_fonts) {
                entry.2 = self.store.clone();
                entry.3 = true;
            }
        }
    }

    pub fn book(&self) -> &FontBook {
        self.store.book()
    }

    /// Characters no known font covers.
    pub fn uncovered(&self, chars: impl Iterator<Item = char>) -> Vec<char> {
        let book = self.book();
        let infos: Vec<&FontInfo> = (0..).map_while(|i| book.info(i)).collect();
        // Each distinct character is looked up once: a report repeats a few
        // thousand characters many times over.
        let distinct: std::collections::BTreeSet<char> = chars.filter(|c| !c.is_whitespace() && !c.is_control()).collect();
        distinct.into_iter().filter(|&c| !infos.iter().any(|i| i.coverage.contains(c as u32))).collect()
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
