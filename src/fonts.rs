//! Fonts: the CJK subsets folio ships and typst's Latin fonts, embedded in
//! the binary; a project's `fonts/` folder; system fonts only when a
//! character is not covered otherwise.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst_kit::fonts::FontStore;

const SHIPPED: [&[u8]; 4] = [
    include_bytes!("../fonts/FolioSerifCJK-Regular.otf"),
    include_bytes!("../fonts/FolioSerifCJK-Bold.otf"),
    include_bytes!("../fonts/FolioSansCJK-Regular.otf"),
    include_bytes!("../fonts/FolioSansCJK-Bold.otf"),
];

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
        }
    }

    pub fn book(&self) -> &FontBook {
        self.store.book()
    }

    /// Characters no known font covers.
    pub fn uncovered(&self, chars: impl Iterator<Item = char>) -> Vec<char> {
        let book = self.book();
        let infos: Vec<&FontInfo> = (0..).map_while(|i| book.info(i)).collect();
        let mut missing: Vec<char> =
            chars.filter(|&c| !c.is_whitespace() && !c.is_control() && !infos.iter().any(|i| i.coverage.contains(c as u32))).collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }
}
