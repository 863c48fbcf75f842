//! Page flow that passes for a house's: a short note is a note whatever its
//! chapters (one page, its disclosures under the body), and Chinese text
//! takes its quotes and dashes from the CJK font; a table that runs on to
//! another page says so there.

use crate::common::*;

fn fonts_on(pdf: &std::path::Path, page: usize) -> String {
    let out = std::process::Command::new("pdffonts").args(["-f", &page.to_string(), "-l", &page.to_string()]).arg(pdf).output().expect("pdffonts (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// A build hashes the fonts of the faces the built-in template will set a
/// short report in while it reads the project (typst hashes a font's whole
/// file when it first sets text in it: 2-4 ms for a CJK font). Those faces
/// must be ones a note sets text in, and every CJK font a note embeds
/// must be among them.
#[test]
fn the_faces_hashed_ahead_are_the_ones_a_note_sets_text_in() {
    let ps_name = |face: &folio::pdf::fonts::Face| {
        let family = face.family.replace(' ', "").replace("CJKSC", "CJKsc");
        format!("{family}-{}", if face.weight >= 700 { "Bold" } else { "Regular" })
    };
    for (lang, bold) in [("en", false), ("en", true), ("zh", false), ("zh", true)] {
        let (title, text) = if lang == "zh" { ("行业点评", "加速器供给偏紧，HBM 产能 2024 年翻倍") } else { ("Chips outlook", "Accelerators remain scarce through 2024") };
        let strong = match (bold, lang) {
            (false, _) => String::new(),
            (true, "zh") => "，**产能**与 **Capacity** 同步扩张".to_string(),
            (true, _) => ", and **capacity** grows".to_string(),
        };
        let f = Fixture::new(&[("content/note.md", &format!("---\ntitle: {title}\nlang: {lang}\n---\n\n# Demand\n\n{text}{strong}.\n"))]);
        f.folio(&["build", "--format", "pdf"]).ok();
        let fonts = fonts_on(&f.out("note.pdf"), 1);
        let embedded: Vec<&str> = fonts.lines().skip(2).filter_map(|l| l.split_whitespace().next()?.split_once('+').map(|(_, name)| name)).collect();
        let faces = folio::pdf::fonts::built_in_template_faces(lang == "zh", bold);
        for face in &faces {
            assert!(embedded.iter().any(|e| e.starts_with(&ps_name(face))), "{lang}, bold {bold}: {} is hashed ahead but not used:\n{fonts}", ps_name(face));
        }
        for cjk in embedded.iter().filter(|e| e.contains("CJK")) {
            assert!(faces.iter().any(|face| cjk.starts_with(&ps_name(face))), "{lang}, bold {bold}: {cjk} is used but not hashed ahead");
        }
    }
}

#[test]
fn a_one_page_english_note_with_chapters_and_a_disclaimer_stays_on_one_page() {
    let f = Fixture::new(&[(
        "content/note.md",
        "---\ntitle: Chips outlook\nlang: en\nback_matter:\n  - title: Disclaimer\n    paragraphs: [\"This note is for professional investors only. It is not advice; past performance is no guide to the future.\"]\n---\n\n# Demand\n\nAccelerators remain scarce through 2024.\n\n# Supply\n\nFoundries add capacity for advanced packaging.\n\n# Risks\n\nExport rules may tighten further.\n",
    )]);
    f.folio(&["build"]).ok();
    let pages = pdf_pages(&f.out("note.pdf"));
    assert_eq!(pages.len(), 1, "{pages:?}");
    assert!(pages[0].contains("3Risks") && pages[0].contains("Disclaimer") && pages[0].contains("notadvice"), "{}", pages[0]);
    assert!(!pages[0].contains("Contents"), "a note has no contents page");
    // A long report still gets its contents page and chapter breaks.
    let long: String = (1..=4).map(|i| format!("# Part {i}\n\n{}\n\n", "Demand for accelerators keeps rising as models grow. ".repeat(60))).collect();
    f.write("content/note.md", &format!("---\ntitle: Chips outlook\nlang: en\n---\n\n{long}"));
    f.folio(&["build"]).ok();
    let pages = pdf_pages(&f.out("note.pdf"));
    assert!(pages[1].starts_with("ChipsoutlookChipsoutlookContents") || pages.iter().any(|p| p.contains("Contents1Part1")), "{pages:?}");
}

#[test]
fn a_table_that_runs_on_says_so_above_its_repeated_header() {
    let rows: String = (1..=70).map(|i| format!("| 公司{i} | {i}.00 |\n")).collect();
    let f = Fixture::new(&[(
        "content/t.md",
        &format!("---\ntitle: 长表\nlang: zh\n---\n\n# 数据\n\n表：各公司参数 {{#tbl:long}}\n\n| 公司 | 参数 |\n|---|---:|\n{rows}\n资料来源：示例\n"),
    )]);
    f.folio(&["build"]).ok();
    let pages = pdf_pages(&f.out("t.pdf"));
    assert!(pages.len() >= 2, "{pages:?}");
    assert!(!pages[0].contains("（续）"), "{}", pages[0]);
    assert!(pages[1].contains("表1（续）公司参数"), "{}", pages[1]);
    let en = rows.replace("公司", "Firm ");
    f.write("content/t.md", &format!("---\ntitle: Long\nlang: en\n---\n\n# Data\n\nTable: Parameters {{#tbl:long}}\n\n| Firm | Value |\n|---|---:|\n{en}\nSource: example\n"));
    f.folio(&["build"]).ok();
    let pages = pdf_pages(&f.out("t.pdf"));
    assert!(pages[1].contains("Table1(continued)FirmValue"), "{}", pages[1]);
}

/// Each character of a PDF with the font it is set in, read by pdfminer.six
/// (from PyPI; `.ci/run` installs it into `FOLIO_PDFMINER_DIR`); None,
/// skipped, where it is missing outside CI.
fn chars_with_fonts(pdf: &std::path::Path) -> Option<Vec<(char, String)>> {
    let dir = std::env::var_os("FOLIO_PDFMINER_DIR").map(std::path::PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cache/folio/pdfminer")));
    let script = "import sys\nfrom pdfminer.high_level import extract_pages\nfrom pdfminer.layout import LTChar\n\
def walk(o):\n    if isinstance(o, LTChar):\n        print(repr(o.get_text()), o.fontname)\n    elif hasattr(o, '__iter__'):\n        for c in o: walk(c)\n\
for page in extract_pages(sys.argv[1]): walk(page)\n";
    let mut cmd = std::process::Command::new("python3");
    if let Some(d) = &dir {
        cmd.env("PYTHONPATH", d);
    }
    let out = cmd.arg("-c").arg(script).arg(pdf).output().ok()?;
    if !out.status.success() {
        assert!(std::env::var_os("CI").is_none(), "CI must have pdfminer.six (.ci/run installs it): {}", String::from_utf8_lossy(&out.stderr));
        eprintln!("skipped: no pdfminer.six");
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    Some(
        text.lines()
            .filter_map(|l| {
                let (ch, font) = l.rsplit_once(' ')?;
                let c = ch.trim_matches('\'').trim_matches('"').chars().next()?;
                Some((c, font.to_string()))
            })
            .collect(),
    )
}

/// Chinese text takes its quotes, dashes, ellipses and middle dots from the
/// CJK face, English keeps Latin ones: by the fonts on the page (poppler),
/// then character by character (pdfminer).
#[test]
fn every_punctuation_mark_of_chinese_text_is_set_in_the_cjk_face_english_keeps_latin_ones() {
    let f = Fixture::new(&[
        ("content/zh.md", "---\ntitle: 大模型\nlang: zh\n---\n\n他说：“模型即平台”——这是‘新’范式……商汤·日日新。\n\n另一段：“数据”与“算力”——缺一不可……\n"),
        ("content/en.md", "---\ntitle: Models\nlang: en\n---\n\nHe said: “models are platforms” — a ‘new’ paradigm… DALL·E.\n"),
    ]);
    f.folio(&["build", "--ignore-system-fonts"]).ok();
    let zh = fonts_on(&f.out("zh.pdf"), 1);
    assert!(!zh.contains("Libertinus"), "Chinese text set its punctuation in the Latin font:\n{zh}");
    let en = fonts_on(&f.out("en.pdf"), 1);
    assert!(en.contains("LibertinusSerif"), "{en}");
    let marks = ['“', '”', '‘', '’', '—', '…', '·', '：', '，', '。'];
    for (pdf, at_least, face) in [("zh.pdf", 15, "CJK"), ("en.pdf", 7, "Libertinus")] {
        let Some(chars) = chars_with_fonts(&f.out(pdf)) else { return };
        let set: Vec<&(char, String)> = chars.iter().filter(|(c, _)| marks.contains(c)).collect();
        assert!(set.len() >= at_least, "{chars:?}");
        for (c, font) in set {
            assert!(font.contains(face), "{c} of {pdf} is set in {font}");
        }
    }
}

/// The same on the flagship: every quote, dash, ellipsis and middle dot of
/// its Chinese report in a CJK face, wherever it stands (text, tables,
/// captions, charts, references).
#[test]
fn the_flagships_chinese_punctuation_is_all_in_the_cjk_faces() {
    let f = flagship();
    f.folio(&["build", "--format", "pdf", "--only", "report"]).ok();
    let Some(chars) = chars_with_fonts(&f.out("report.pdf")) else { return };
    let marks = ['“', '”', '‘', '’', '—', '…', '·'];
    let set: Vec<&(char, String)> = chars.iter().filter(|(c, _)| marks.contains(c)).collect();
    assert!(set.len() >= 100, "{}", set.len());
    let latin: Vec<String> = set.iter().filter(|(_, f)| !f.contains("CJK")).map(|(c, f)| format!("{c} {f}")).collect();
    assert!(latin.is_empty(), "{} of {} in a Latin face: {latin:?}", latin.len(), set.len());
}
