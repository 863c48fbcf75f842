//! `[brand]` in folio.toml: one place for the house's colours, logo, fonts
//! and footer, applied to the PDF, the HTML pages and the site.

use crate::common::*;

/// A 2×1 PNG logo (one navy, one white pixel).
fn logo_png() -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut bytes, 2, 1);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header().unwrap().write_image_data(&[10, 61, 98, 255, 255, 255]).unwrap();
    bytes
}

const BRAND: &str = "[brand]\nprimary = \"#0a3d62\"\naccent = \"#b33939\"\nlogo = \"img/logo.png\"\nbody_font = \"DejaVu Sans Mono\"\nfooter = \"ACME Research · for professional investors only\"\n\n[site]\nname = \"ACME Research\"\n";

fn branded() -> Fixture {
    let f = Fixture::new(&[
        ("folio.toml", BRAND),
        ("content/note.md", "---\ntitle: Chips outlook\nlang: en\nhouse: ACME Research\n---\n\n# Demand\n\nDemand for accelerators [keeps](https://example.com) rising.\n"),
    ]);
    std::fs::create_dir_all(f.root().join("img")).unwrap();
    std::fs::write(f.root().join("img/logo.png"), logo_png()).unwrap();
    f
}

/// Pixels of page 1 (at 50 dpi) within a few steps of `rgb`.
fn pixels_of(pdf: &std::path::Path, rgb: [u8; 3]) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("p");
    let ok = std::process::Command::new("pdftoppm").args(["-r", "50", "-png", "-f", "1", "-l", "1"]).arg(pdf).arg(&prefix).status().unwrap();
    assert!(ok.success());
    let file = std::fs::read_dir(dir.path()).unwrap().next().unwrap().unwrap().path();
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(file).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let step = info.color_type.samples();
    buf[..info.buffer_size()].chunks(step).filter(|p| p.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 6)).count()
}

#[test]
fn the_brand_colours_logo_font_and_footer_reach_the_pdf() {
    let f = branded();
    f.folio(&["build", "--site"]).ok();
    let pdf = f.out("note.pdf");
    // The title and headings in the house's colour, none in folio's own.
    assert!(pixels_of(&pdf, [10, 61, 98]) > 200, "too little of the brand colour on page 1");
    assert_eq!(pixels_of(&pdf, [140, 29, 44]), 0, "folio's own red is still there");
    // The logo is an image on the first page, and in the running header.
    let list = std::process::Command::new("pdfimages").args(["-list", "-f", "1", "-l", "1"]).arg(&pdf).output().unwrap();
    let list = String::from_utf8_lossy(&list.stdout).to_string();
    assert_eq!(list.lines().skip(2).filter(|l| l.split_whitespace().nth(3) == Some("2")).count(), 1, "{list}");
    // The body in the brand's font; the footer line on every page.
    let fonts = std::process::Command::new("pdffonts").arg(&pdf).output().unwrap();
    assert!(String::from_utf8_lossy(&fonts.stdout).contains("DejaVuSansMono"), "{}", String::from_utf8_lossy(&fonts.stdout));
    assert!(f.pdf_text("note.pdf").contains("ACMEResearch·forprofessionalinvestorsonly"));
    // The typst folder carries the brand beside the markup, as the template reads it.
    f.folio(&["build", "--format", "typst"]).ok();
    let brand: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f.out("note.typst/brand.json")).unwrap()).unwrap();
    assert_eq!(brand["primary"], "#0a3d62");
    assert_eq!(brand["logo"], "/img/logo.png");
    assert!(std::fs::read_to_string(f.out("note.typst/research.typ")).unwrap().contains("json(\"/brand.json\")"));
    assert_eq!(std::fs::read(f.out("note.typst/img/logo.png")).unwrap(), logo_png());
}

#[test]
fn the_brand_reaches_the_html_and_the_site_from_the_same_place() {
    let f = branded();
    f.folio(&["build", "--site"]).ok();
    let page = f.html_source("note.html");
    assert!(page.contains(":root { --brand: #0a3d62; --tint: color-mix(in srgb, #0a3d62 12%, white); --accent: #b33939; --brand-serif: \"DejaVu Sans Mono\"; }"), "{page}");
    // The site's stylesheet carries it too, and its logo is the brand's.
    let assets = f.out("site/assets");
    let css: String = std::fs::read_dir(&assets).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().starts_with("style.")).map(|e| std::fs::read_to_string(e.path()).unwrap()).collect();
    assert!(css.contains("--brand: #0a3d62;"), "{css}");
    assert_eq!(std::fs::read(assets.join("logo.png")).unwrap(), logo_png());
    let index = std::fs::read_to_string(f.out("site/index.html")).unwrap();
    assert!(index.contains("<img class=\"site-logo\" src=\"assets&#x2f;logo.png\" alt=\"\">ACME Research"), "{index}");
    // In a real browser the colours apply.
    let probe = "getComputedStyle(document.querySelector('h1.title, .title')).color + ' ' + getComputedStyle(document.querySelector('.content a')).color";
    if let Some(seen) = chromium_probe(&page, 1280, probe) {
        assert_eq!(seen, "rgb(10, 61, 98) rgb(179, 57, 57)");
    }
}

#[test]
fn a_brand_that_cannot_be_applied_is_an_error() {
    let f = branded();
    f.write("folio.toml", "[brand]\nprimary = \"navy\"\n");
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error: `primary = \"navy\"` in folio.toml [brand] is not a colour\n"), "{}", run.stderr);
    f.write("folio.toml", "[brand]\nbody_font = \"Libertinus Serf\"\n");
    let run = f.folio(&["build"]);
    assert!(run.stderr.starts_with("error: `body_font = \"Libertinus Serf\"` in folio.toml [brand] is no font folio has\n"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `Libertinus Serif`?"), "{}", run.stderr);
    f.write("folio.toml", "[brand]\nlogo = \"../logo.png\"\n");
    let run = f.folio(&["build"]);
    assert!(run.stderr.contains("`logo = \"../logo.png\"` in folio.toml [brand]"), "{}", run.stderr);
    f.write("folio.toml", "[brand]\ncolour = \"#000000\"\n");
    let run = f.folio(&["build"]);
    assert!(run.stderr.contains("unknown field `colour`, expected one of `primary`, `accent`, `logo`, `body_font`, `heading_font`, `footer`"), "{}", run.stderr);
}
