//! The HTML carries the CJK faces the PDF is set in, as WOFF2 cut to the
//! characters its pages hold: a reader without Noto CJK sees the PDF's
//! faces, never tofu.

use std::collections::BTreeSet;

use write_fonts::read::{FontRef, TableProvider};

use crate::common::*;

const FACES: [&str; 4] = ["folio-serif-cjk.woff2", "folio-serif-cjk-bold.woff2", "folio-sans-cjk.woff2", "folio-sans-cjk-bold.woff2"];

/// The characters a WOFF2 font maps.
fn mapped(path: &std::path::Path) -> BTreeSet<char> {
    let ttf = wuff::decompress_woff2(&std::fs::read(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    let font = FontRef::new(&ttf).unwrap();
    let cmap = font.cmap().unwrap();
    let subtables = cmap.encoding_records().iter().filter_map(|r| r.subtable(cmap.offset_data()).ok()).collect::<Vec<_>>();
    subtables.iter().flat_map(|s| s.iter()).filter(|(_, g)| g.to_u32() != 0).filter_map(|(c, _)| char::from_u32(c)).collect()
}

/// Ideographs, CJK and full-width punctuation in `text`.
fn cjk(text: &str) -> BTreeSet<char> {
    text.chars().filter(|&c| matches!(c as u32, 0x3000..=0x9FFF | 0xFF00..=0xFFEF)).collect()
}

fn project() -> Fixture {
    Fixture::new(&[
        ("content/a.md", "---\ntitle: 大模型周报\nlang: zh\ndate: 2023-05-04\n---\n\n# 行业动态\n\n百度发布“文心一言”，**阿里巴巴**推出通义千问——竞争加剧。\n"),
        ("content/b.md", "---\ntitle: Chips outlook\nlang: en\n---\n\n# Demand\n\nAccelerators remain “scarce”.\n"),
    ])
}

#[test]
fn the_html_carries_the_pdfs_cjk_faces_cut_to_the_characters_of_its_pages() {
    let f = project();
    f.folio(&["build", "--site", "--format", "html"]).ok();
    for (pages, fonts) in [("", ""), ("site/", "site/assets/")] {
        let dir = f.out(pages);
        let html = std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.path().extension().is_some_and(|x| x == "html"));
        let pages: String = html.map(|e| std::fs::read_to_string(e.path()).unwrap()).collect();
        let wanted = cjk(&pages);
        assert!(wanted.contains(&'文') && wanted.contains(&'。'));
        for face in FACES {
            let dir = fonts;
            let got = mapped(&f.out(&format!("{dir}{face}")));
            // Every CJK character of the pages, and Chinese quotes and dashes;
            // nothing the pages do not hold.
            let missing: Vec<&char> = wanted.difference(&got).collect();
            assert!(missing.is_empty(), "{dir}{face} lacks {missing:?}");
            assert!(got.contains(&'“') && got.contains(&'—'), "{dir}{face}");
            let extra: Vec<&char> = got.iter().filter(|c| !pages.contains(**c)).collect();
            assert!(extra.is_empty(), "{dir}{face} holds {extra:?}, which no page does");
        }
    }
    // The stylesheet names them, for Chinese pages with their punctuation.
    let page = f.html_source("a.html");
    assert!(page.contains(r#"@font-face { font-family: "Folio Serif CJK zh"; src: url("folio-serif-cjk.woff2") format("woff2"); font-weight: 400;"#), "{page}");
    // Chromium accepts them (its font sanitizer refuses a malformed font):
    // the Chinese page's faces load, the English page's quotes stay Latin.
    let Some(pptr) = crate::site::puppeteer() else { return };
    let result = crate::site::in_chromium_serving(
        &pptr,
        &f,
        &[],
        r#"
  const missing = [];
  // (Chromium asks for /favicon.ico whatever the page links.)
  page.on('response', r => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) missing.push(r.url().replace(base, '')); });
  const faces = async url => {
    await page.goto(base + url, { waitUntil: 'load' });
    return page.evaluate(async () => { await document.fonts.ready; return [...document.fonts].filter(f => f.status !== 'unloaded').map(f => f.family + ' ' + f.weight + ' ' + f.status).sort(); });
  };
  return { zh: await faces('/a.html'), en: await faces('/b.html'), missing };
"#,
    );
    assert_eq!(
        result["zh"],
        serde_json::json!(["Folio Sans CJK zh 400 loaded", "Folio Sans CJK zh 700 loaded", "Folio Serif CJK zh 400 loaded", "Folio Serif CJK zh 700 loaded"]),
        "{result}"
    );
    assert_eq!(result["en"], serde_json::json!([]), "{result}");
    assert_eq!(result["missing"], serde_json::json!([]), "{result}");
}

#[test]
fn the_faces_are_cut_again_only_when_the_pages_characters_change() {
    let f = project();
    f.folio(&["build"]).ok();
    let font = f.out("folio-serif-cjk.woff2");
    let before = std::fs::metadata(&font).unwrap().modified().unwrap();
    f.folio(&["build", "--force"]).ok();
    assert_eq!(std::fs::metadata(&font).unwrap().modified().unwrap(), before, "cut again for the same characters");
    assert!(!mapped(&font).contains(&'鹰'));
    f.write("content/a.md", "---\ntitle: 大模型周报\nlang: zh\n---\n\n# 行业动态\n\n鹰派加息。\n");
    f.folio(&["build", "--site"]).ok();
    let now = mapped(&font);
    assert!(now.contains(&'鹰') && !now.contains(&'百'), "{now:?}");
    assert!(f.out("site/assets/folio-serif-cjk.woff2").is_file());
    // Once no page holds Chinese, the site has no face left to publish.
    f.write("content/a.md", "---\ntitle: Weekly\nlang: en\n---\n\n# News\n\nRates “rise”.\n");
    f.folio(&["build", "--site"]).ok();
    assert!(!f.out("site/assets/folio-serif-cjk.woff2").exists() && !f.out("site/assets/folio-sans-cjk.woff2").exists());
}

#[test]
fn pages_without_cjk_get_no_faces() {
    let f = Fixture::new(&[("content/b.md", "---\ntitle: Chips outlook\nlang: en\n---\n\n# Demand\n\nAccelerators remain “scarce” — for now.\n")]);
    f.folio(&["build", "--site"]).ok();
    for face in FACES {
        assert!(!f.out(face).exists() && !f.out(&format!("site/assets/{face}")).exists(), "{face}");
    }
}
