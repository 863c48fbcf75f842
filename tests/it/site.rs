//! `folio build --site` as a site: named, in its language, newest first,
//! filterable without a server, with pages that link back, a 404 page, a
//! favicon and robots.txt; with `base_url` an Atom feed, a sitemap,
//! canonical links and social-card metadata, and without it only relative
//! links. Filters are checked in Chromium.

use crate::common::*;

fn report(title: &str, lang: &str, date: &str, sector: &str, rating: &str, kind: &str, author: &str) -> String {
    format!(
        "---\ntitle: {title}\nlang: {lang}\ndate: {date}\nsector: {sector}\nreport_type: {kind}\nauthor: {author}\nrating: {{action: 维持, rating: {rating}}}\ncore_views: Views of {title}.\n---\n\n# One\n\nText.\n"
    )
}

fn site(config: &str) -> Fixture {
    let f = Fixture::new(&[
        ("content/a-cloud.md", &report("云计算周报", "zh", "2023-05-04", "互联网", "买入", "周报", "张三")),
        ("content/b-chips.md", &report("Chips outlook", "en", "2023-06-12", "Semiconductors", "Hold", "Deep dive", "Jane Doe")),
        ("content/c-games.md", &report("游戏行业点评", "zh", "2023-04-20", "互联网", "增持", "点评", "李四")),
        ("folio.toml", config),
    ]);
    f.folio(&["build", "--site"]).ok();
    f
}

const PUBLISHED: &str = "[site]\nname = \"Example Research\"\nlang = \"en\"\nbase_url = \"https://research.example.com/reports/\"\ndescription = \"Notes and deep dives.\"\n";

fn page(f: &Fixture, name: &str) -> scraper::Html {
    scraper::Html::parse_document(&std::fs::read_to_string(f.out(&format!("site/{name}"))).unwrap())
}

fn attr(doc: &scraper::Html, css: &str, name: &str) -> Option<String> {
    doc.select(&scraper::Selector::parse(css).unwrap()).next().and_then(|e| e.value().attr(name).map(str::to_string))
}

#[test]
fn the_index_is_a_named_page_newest_first_with_filters() {
    let f = site(PUBLISHED);
    let index = page(&f, "index.html");
    assert_eq!(attr(&index, "html", "lang").as_deref(), Some("en"));
    assert_eq!(select_text(&index, "title"), ["Example Research"]);
    assert_eq!(select_text(&index, "main h1"), ["Example Research"]);
    assert_eq!(select_text(&index, ".report-card h2 a"), ["Chips outlook", "云计算周报", "游戏行业点评"], "newest first");
    let filters = select_text(&index, ".facets label");
    assert_eq!(filters.len(), 4, "{filters:?}");
    let options = select_text(&index, "select[data-facet='sector'] option");
    assert_eq!(options, ["All", "Semiconductors", "互联网"]);
    assert_eq!(attr(&index, ".report-card", "data-author").as_deref(), Some("Jane Doe"));
}

#[test]
fn report_pages_link_back_and_to_their_pdf() {
    let f = site(PUBLISHED);
    let p = page(&f, "b-chips.html");
    let links: Vec<(String, String)> = p
        .select(&scraper::Selector::parse("nav.site-nav a").unwrap())
        .map(|a| (a.text().collect(), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(links, [("← Example Research".to_string(), "./index.html".to_string()), ("PDF".to_string(), "./b-chips.pdf".to_string())]);
    assert_eq!(attr(&p, "html", "lang").as_deref(), Some("en"));
    assert_eq!(attr(&page(&f, "a-cloud.html"), "html", "lang").as_deref(), Some("zh-CN"), "each page in its report's language");
    assert_eq!(attr(&p, "link[rel=canonical]", "href").as_deref(), Some("https://research.example.com/reports/b-chips.html"));
    assert_eq!(attr(&p, "meta[property='og:title']", "content").as_deref(), Some("Chips outlook"));
    assert_eq!(attr(&p, "meta[property='og:description']", "content").as_deref(), Some("Views of Chips outlook."));
    assert!(f.out("site/b-chips.pdf").is_file());
}

#[test]
fn a_404_page_a_favicon_and_robots_txt() {
    let f = site(PUBLISHED);
    let nf = page(&f, "404.html");
    assert_eq!(select_text(&nf, "h1"), ["Page not found"]);
    assert_eq!(attr(&nf, "main a", "href").as_deref(), Some("https://research.example.com/reports/index.html"));
    let icon = std::fs::read_to_string(f.out("site/favicon.svg")).unwrap();
    assert!(icon.starts_with("<svg") && icon.contains(">E</text>"), "{icon}");
    assert_eq!(std::fs::read_to_string(f.out("site/robots.txt")).unwrap(), "User-agent: *\nAllow: /\nSitemap: https://research.example.com/reports/sitemap.xml\n");
    // Served by a web server running as another user.
    use std::os::unix::fs::PermissionsExt;
    for name in ["index.html", "404.html", "feed.xml", "b-chips.pdf"] {
        let mode = std::fs::metadata(f.out(&format!("site/{name}"))).unwrap().permissions().mode();
        assert_eq!(mode & 0o044, 0o044, "{name} is readable by others: {mode:o}");
    }
}

#[test]
fn the_feed_and_sitemap_are_xml_with_absolute_links() {
    let f = site(PUBLISHED);
    let feed = std::fs::read_to_string(f.out("site/feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    let child = |n: roxmltree::Node<'_, '_>, name: &str| n.children().find(|c| c.tag_name().name() == name).and_then(|c| c.text()).map(str::to_string);
    assert_eq!(child(root, "id").as_deref(), Some("https://research.example.com/reports/"));
    assert_eq!(child(root, "title").as_deref(), Some("Example Research"));
    assert_eq!(child(root, "updated").as_deref(), Some("2023-06-12T00:00:00Z"));
    let entries: Vec<_> = root.children().filter(|c| c.tag_name().name() == "entry").collect();
    assert_eq!(entries.len(), 3);
    for e in &entries {
        let id = child(*e, "id").unwrap();
        assert!(id.starts_with("https://research.example.com/reports/") && id.ends_with(".html"), "{id}");
        assert!(child(*e, "updated").unwrap().ends_with("T00:00:00Z"));
        assert!(child(*e, "title").is_some());
        let link = e.children().find(|c| c.tag_name().name() == "link").unwrap();
        assert_eq!(link.attribute("href"), Some(id.as_str()));
    }
    let sitemap = std::fs::read_to_string(f.out("site/sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc.descendants().filter(|n| n.tag_name().name() == "loc").filter_map(|n| n.text()).collect();
    assert_eq!(locs.len(), 4, "the index and three reports");
    assert!(locs.iter().all(|l| l.starts_with("https://research.example.com/reports/")), "{locs:?}");
}

/// The preview card is the top of the PDF's first page, drawn by typst: a
/// 1200×628 PNG beside the page, named in its Open Graph and Twitter tags.
#[test]
fn each_page_has_a_preview_image_of_its_first_page() {
    let f = site(PUBLISHED);
    let p = page(&f, "b-chips.html");
    let url = "https://research.example.com/reports/b-chips.png";
    assert_eq!(attr(&p, "meta[property='og:image']", "content").as_deref(), Some(url));
    assert_eq!(attr(&p, "meta[name='twitter:image']", "content").as_deref(), Some(url));
    assert_eq!(attr(&p, "meta[name='twitter:card']", "content").as_deref(), Some("summary_large_image"));
    assert_eq!(attr(&p, "meta[property='og:image:alt']", "content").as_deref(), Some("Chips outlook"));
    let png = std::fs::read(f.out("site/b-chips.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // IHDR: width and height, big-endian, at bytes 16..24.
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((size(16), size(20)), (1200, 628));
    // What it shows is the cover's top: poppler draws the PDF's first page
    // at the same width, and the two agree on which bands of rows hold ink.
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("pdftoppm")
        .args(["-f", "1", "-l", "1", "-scale-to-x", "1200", "-scale-to-y", "-1", "-png", "-singlefile"])
        .arg(f.out("site/b-chips.pdf"))
        .arg(dir.path().join("p"))
        .status()
        .expect("run pdftoppm (poppler-utils)");
    assert!(status.success());
    let ours = ink_bands(&png, 628);
    let poppler = ink_bands(&std::fs::read(dir.path().join("p.png")).unwrap(), 628);
    assert!(ours.iter().filter(|b| **b).count() >= 5, "the card is nearly blank: {ours:?}");
    let differ = ours.iter().zip(&poppler).filter(|(a, b)| a != b).count();
    assert!(differ <= 2, "typst's card and poppler's page differ in {differ} bands:\n{ours:?}\n{poppler:?}");
    // Without base_url there is no card (its tags need absolute addresses).
    let plain = site("[site]\nname = \"Desk\"\n");
    assert!(!plain.out("site/b-chips.png").exists());
    assert!(attr(&page(&plain, "b-chips.html"), "meta[property='og:image']", "content").is_none());
}

/// For each band of 16 rows in the first `rows`: whether it has a dark pixel.
fn ink_bands(png_bytes: &[u8], rows: usize) -> Vec<bool> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let dark = |row: usize| {
        let line = &buf[row * info.line_size..(row + 1) * info.line_size];
        line.chunks(channels).any(|px| px.iter().take(3).map(|&c| c as u32).sum::<u32>() < 3 * 128)
    };
    (0..rows.min(info.height as usize) / 16).map(|band| (band * 16..band * 16 + 16).any(dark)).collect()
}

#[test]
fn without_base_url_every_link_stays_relative() {
    let f = site("[site]\nname = \"Desk\"\n");
    assert!(!f.out("site/feed.xml").exists() && !f.out("site/sitemap.xml").exists());
    for name in ["index.html", "404.html", "a-cloud.html", "robots.txt"] {
        let text = std::fs::read_to_string(f.out(&format!("site/{name}"))).unwrap();
        for bad in ["href=\"/", "href=\"http", "src=\"/", "src=\"http"] {
            assert!(!text.contains(bad), "{name} has {bad}");
        }
    }
    // The index is in its first report's language when the settings do not say.
    assert_eq!(attr(&page(&f, "index.html"), "html", "lang").as_deref(), Some("zh-CN"));
}

#[test]
fn a_logo_is_copied_and_shown_beside_the_name() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><rect width=\"8\" height=\"8\"/></svg>\n";
    let f = Fixture::new(&[
        ("content/a.md", &report("Chips outlook", "en", "2023-06-12", "Semiconductors", "Hold", "Deep dive", "Jane Doe")),
        ("img/logo.svg", svg),
        ("folio.toml", "[site]\nname = \"Desk\"\nlogo = \"img/logo.svg\"\n"),
    ]);
    f.folio(&["build", "--site"]).ok();
    assert_eq!(std::fs::read_to_string(f.out("site/assets/logo.svg")).unwrap(), svg);
    assert_eq!(attr(&page(&f, "index.html"), ".masthead img.site-logo", "src").as_deref(), Some("assets/logo.svg"));
    assert_eq!(attr(&page(&f, "a.html"), "nav.site-nav img.site-logo", "src").as_deref(), Some("./assets/logo.svg"));
    // A logo that is not there, or not an image, stops the build before anything is written.
    f.write("folio.toml", "[site]\nlogo = \"img/missing.svg\"\n");
    let run = f.folio(&["build", "--site"]);
    assert!(run.stderr.starts_with("error: `logo = \"img/missing.svg\"` in folio.toml [site] does not exist\n"), "{}", run.stderr);
    f.write("folio.toml", "[site]\nlogo = \"content/a.md\"\n");
    let run = f.folio(&["build", "--site"]);
    assert!(run.stderr.starts_with("error: `logo = \"content/a.md\"` in folio.toml [site] is not an SVG, PNG, JPEG or WebP image\n"), "{}", run.stderr);
}

/// A site build leaves no file an earlier one wrote and this one would not:
/// the preview image once `base_url` goes, the stylesheet it replaced, the
/// math font once no report has a formula. Files the user put there stay.
#[test]
fn what_a_site_no_longer_has_is_removed() {
    let f = Fixture::new(&[
        ("content/a.md", "---\ntitle: A\nlang: en\ndate: 2023-06-12\n---\n\nMass and energy: $E = mc^2$.\n"),
        ("folio.toml", PUBLISHED),
    ]);
    f.folio(&["build", "--site"]).ok();
    let css_of = |f: &Fixture| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(f.out("site/assets")).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    };
    assert!(f.out("site/a.png").is_file());
    let before = css_of(&f);
    assert_eq!(before.len(), 2, "{before:?}");
    assert!(before.contains(&"folio-math.otf".to_string()), "{before:?}");
    std::fs::write(f.out("site/assets/mine.txt"), "kept").unwrap();
    // No base_url, another stylesheet, no formula.
    f.write("folio.toml", "[site]\nname = \"Desk\"\n");
    f.write("templates/style.css", "body { color: #222; }\n");
    f.write("content/a.md", "---\ntitle: A\nlang: en\ndate: 2023-06-12\n---\n\nNo formula.\n");
    f.folio(&["build", "--site"]).ok();
    assert!(!f.out("site/a.png").exists(), "the preview image stayed");
    let after = css_of(&f);
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(after.contains(&"mine.txt".to_string()) && after.iter().any(|n| n.starts_with("style.")), "{after:?}");
    assert!(!after.iter().any(|n| before.contains(n) && n.starts_with("style.")), "the old stylesheet stayed: {after:?}");
}

#[test]
fn a_bad_base_url_is_an_error() {
    let f = Fixture::new(&[("content/r.md", "---\ntitle: R\n---\n\nText.\n"), ("folio.toml", "[site]\nbase_url = \"research.example.com\"\n")]);
    let run = f.folio(&["build", "--site"]);
    assert!(run.stderr.starts_with("error: `base_url = \"research.example.com\"` in folio.toml [site] is not an absolute http(s) address\n"), "{}", run.stderr);
}

#[test]
fn filters_and_more_work_in_a_browser() {
    let f = site("[site]\nname = \"Desk\"\nlang = \"en\"\nper_page = 2\n");
    let html = std::fs::read_to_string(f.out("site/index.html")).unwrap();
    let css = std::fs::read_dir(f.out("site/assets")).unwrap().flatten().next().unwrap().path();
    let page = html.replace("href=\"assets/", &format!("href=\"file://{}/", css.parent().unwrap().display()));
    let visible = "[].slice.call(document.querySelectorAll('.report-card')).filter(function(c){return c.getClientRects().length>0}).map(function(c){return c.querySelector('h2 a').textContent}).join('|')";
    // Two shown of three, and a "more" button.
    let Some(first) = chromium_probe(&page, 1280, &format!("{visible}+' #'+document.getElementById('shown').textContent")) else { return };
    assert_eq!(first, "Chips outlook|云计算周报 #3");
    let more = format!("(function(){{document.getElementById('more').click();return {visible}}})()");
    assert_eq!(chromium_probe(&page, 1280, &more).unwrap(), "Chips outlook|云计算周报|游戏行业点评");
    let filter = format!("(function(){{var s=document.querySelector('select[data-facet=sector]');s.value='互联网';s.dispatchEvent(new Event('change'));return {visible}+' #'+document.getElementById('shown').textContent}})()");
    assert_eq!(chromium_probe(&page, 390, &filter).unwrap(), "云计算周报|游戏行业点评 #2");
}

/// The folder where `.ci/run` installs puppeteer-core from the npm registry;
/// None (skipped) outside CI when it is not there.
pub fn puppeteer() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("FOLIO_PUPPETEER_DIR").map(std::path::PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cache/folio/puppeteer")))?;
    if dir.join("node_modules/puppeteer-core").is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "CI must install puppeteer-core (.ci/run does)");
    eprintln!("skipped: no puppeteer-core (npm install puppeteer-core in ~/.cache/folio/puppeteer)");
    None
}

/// Runs `body` (JavaScript in an async function with `page`, `errors` and
/// `base`, the served output folder, in scope; it returns a JSON-able value)
/// in headless Chromium driven by puppeteer-core, under `folio serve`.
fn in_chromium(pptr: &std::path::Path, f: &Fixture, body: &str) -> serde_json::Value {
    in_chromium_serving(pptr, f, &[], body)
}

/// `in_chromium` under `folio serve` with more arguments.
pub fn in_chromium_serving(pptr: &std::path::Path, f: &Fixture, serve: &[&str], body: &str) -> serde_json::Value {
    let (mut child, port) = crate::hostile::serve_with(f, serve);
    let script = format!(
        r#"const puppeteer = require({module:?});
(async () => {{
  const browser = await puppeteer.launch({{ executablePath: {chromium:?}, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'], headless: true }});
  const page = await browser.newPage();
  const errors = [];
  page.on('console', m => {{ if (m.type() === 'error') errors.push(m.text()); }});
  page.on('pageerror', e => errors.push(String(e)));
  const base = 'http://127.0.0.1:{port}';
  const result = await (async () => {{ {body} }})();
  console.log(JSON.stringify(result));
  await browser.close();
}})().catch(e => {{ console.log(JSON.stringify({{ failed: String(e) }})); process.exit(1); }});
"#,
        module = pptr.join("node_modules/puppeteer-core").display().to_string(),
        chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| std::path::Path::new(p).exists()).unwrap_or("/usr/bin/chromium"),
    );
    let js = f.root().join("browser.js");
    std::fs::write(&js, script).unwrap();
    let out = std::process::Command::new("node").arg(&js).output().unwrap();
    let _ = child.kill();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let result: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    assert!(result.get("failed").is_none(), "{result}");
    result
}

/// Opens the site's index and defines `search(q)`: types `q` into the
/// search box and waits for its results (false when none come).
const SEARCH_JS: &str = r#"
  await page.goto(base + '/', { waitUntil: 'load' });
  await page.waitForSelector('.pagefind-ui__search-input', { timeout: 15000 });
  const search = async q => {
    await page.$eval('.pagefind-ui__search-input', el => { el.value = ''; });
    await page.type('.pagefind-ui__search-input', q);
    try { await page.waitForSelector('.pagefind-ui__result-link', { timeout: 15000 }); } catch (e) { return false; }
    await new Promise(r => setTimeout(r, 500));
    return true;
  };
"#;

/// In Chromium, under `folio serve`: the search box finds a Chinese term
/// and an English one, a result's heading link lands on that heading, and
/// the console stays clean.
#[test]
fn search_finds_chinese_and_english_terms_under_serve() {
    let Some(pptr) = puppeteer() else { return };
    let f = Fixture::new(&[
        ("content/a.md", "---\ntitle: 大模型周报\nlang: zh\ndate: 2023-05-04\n---\n\n# 行业动态 {#sec:news}\n\n百度发布文心一言，阿里巴巴推出通义千问。\n\n# 算力 {#sec:compute}\n\n训练需要大量高端芯片。\n"),
        ("content/b.md", "---\ntitle: Chips outlook\nlang: en\ndate: 2023-06-12\n---\n\n# Demand {#sec:demand}\n\nAccelerators remain scarce.\n\n# Supply {#sec:supply}\n\nFoundries add capacity for advanced packaging.\n"),
    ]);
    let result = in_chromium(
        &pptr,
        &f,
        &[
            SEARCH_JS,
            r#"
  const found = {};
  for (const q of ['文心一言', 'packaging']) {
    if (!await search(q)) return { failed: 'no results for ' + q };
    found[q] = await page.$$eval('.pagefind-ui__result-link', as => as.map(a => a.textContent.trim() + ' ' + a.getAttribute('href')));
    // Each result shows its report's date beside the excerpt.
    found[q + ' dates'] = await page.$$eval('.pagefind-ui__result-tag', ts => ts.map(t => t.textContent.trim()));
  }
  // A result's heading link (or the result itself, found under one heading)
  // lands on its heading.
  const links = await page.$$eval('.pagefind-ui__result-link', as => as.map(a => a.href).filter(h => h.includes('#')));
  await page.goto(links[0], { waitUntil: 'load' });
  const landed = await page.evaluate(() => { const el = document.getElementById(decodeURIComponent(location.hash.slice(1))); return el ? el.textContent.trim() : 'none'; });
  return { found, landed, errors };
"#,
        ]
        .concat(),
    );
    let found = &result["found"];
    assert!(found["文心一言"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().starts_with("大模型周报")), "{result}");
    assert!(found["packaging"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().starts_with("Chips outlook")), "{result}");
    assert_eq!(result["landed"].as_str(), Some("2 Supply"), "{result}");
    assert!(found["文心一言 dates"].as_array().unwrap().iter().any(|d| d.as_str().unwrap().contains("2023年5月4日")), "{result}");
    assert!(found["packaging dates"].as_array().unwrap().iter().any(|d| d.as_str().unwrap().contains("2023")), "{result}");
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
}

/// The index as a reader of the site's language reads it: dates written
/// its way, a deep-dive before the notes of its date, a title that has a
/// colon joined to its subtitle once.
#[test]
fn the_index_writes_dates_in_its_language_and_puts_the_deep_dive_first() {
    let long: String = (1..=3).map(|i| format!("# 第{i}章\n\n{}\n\n", "大模型的训练需要大量算力与数据，国内平台正在追赶。".repeat(80))).collect();
    let f = Fixture::new(&[
        ("content/a-note.md", "---\ntitle: 一页纸：阿里巴巴\nsubtitle: 公司点评\nlang: zh\ndate: 2023-05-04\n---\n\n正文。\n"),
        ("content/z-deep.md", &format!("---\ntitle: 逐浪大模型\nsubtitle: 深度报告\nlang: zh\ndate: 2023-05-04\n---\n\n{long}")),
        ("folio.toml", "[site]\nname = \"示例\"\nlang = \"zh\"\n"),
    ]);
    f.folio(&["build", "--site"]).ok();
    let index = page(&f, "index.html");
    assert_eq!(select_text(&index, ".report-card h2"), ["逐浪大模型：深度报告", "一页纸：阿里巴巴 · 公司点评"]);
    assert_eq!(select_text(&index, ".card-date"), ["2023年5月4日", "2023年5月4日"]);
}

/// On a site whose language is English, each page is indexed in its own
/// language and the index page searches them all: a Chinese term finds the
/// Chinese report, an English stem the English one, and words only the
/// cover holds (core views) are found too.
#[test]
fn search_finds_every_language_and_the_cover_from_any_index() {
    let Some(pptr) = puppeteer() else { return };
    let f = Fixture::new(&[
        ("content/a.md", "---\ntitle: 大模型周报\nlang: zh\ndate: 2023-05-04\ncore_views: 封面独有的词汇羲和号。\n---\n\n# 行业动态\n\n百度发布文心一言，阿里巴巴推出通义千问。\n"),
        ("content/b.md", "---\ntitle: Chips outlook\nlang: en\ndate: 2023-06-12\ncore_views: Only the cover mentions zanzibar.\n---\n\n# Supply\n\nFoundries add capacity for advanced packaging.\n"),
        ("folio.toml", "[site]\nname = \"Example Research\"\nlang = \"en\"\n"),
    ]);
    let result = in_chromium(
        &pptr,
        &f,
        &[
            SEARCH_JS,
            r#"
  const found = {};
  for (const q of ['文心一言', '通义千问', '羲和号', 'packaged', 'zanzibar']) {
    found[q] = await search(q) ? await page.$$eval('.pagefind-ui__result-link', as => as.map(a => a.textContent.trim())) : [];
  }
  return { found, errors };
"#,
        ]
        .concat(),
    );
    let found = &result["found"];
    for (q, title) in [("文心一言", "大模型周报"), ("通义千问", "大模型周报"), ("羲和号", "大模型周报"), ("packaged", "Chips outlook"), ("zanzibar", "Chips outlook")] {
        assert!(found[q].as_array().unwrap().iter().any(|r| r.as_str().unwrap().starts_with(title)), "{q}: {result}");
    }
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
}

/// axe-core's violations of serious or critical impact on each page (a path
/// under the served output folder), at desktop and phone widths; None
/// (skipped) outside CI without puppeteer-core and axe-core.
fn axe_audit(f: &Fixture, pages: &[&str]) -> Option<serde_json::Value> {
    let pptr = puppeteer()?;
    let axe = pptr.join("node_modules/axe-core/axe.min.js");
    if !axe.is_file() {
        assert!(std::env::var_os("CI").is_none(), "CI must install axe-core (.ci/run does)");
        eprintln!("skipped: no axe-core beside puppeteer-core");
        return None;
    }
    let body = format!(
        r#"
  const audits = {{}};
  for (const path of {pages}) for (const width of [1280, 390]) {{
    await page.setViewport({{ width, height: 900 }});
    const resp = await page.goto(base + path, {{ waitUntil: 'load' }});
    if (resp.status() !== 200) return {{ failed: path + ' answered ' + resp.status() }};
    await page.addScriptTag({{ path: {axe:?} }});
    const r = await page.evaluate(async () => await axe.run(document, {{ resultTypes: ['violations'] }}));
    audits[path + ' @' + width] = r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
  }}
  return {{ audits, errors }};
"#,
        pages = serde_json::json!(pages),
        axe = axe.display().to_string()
    );
    let result = in_chromium(&pptr, f, &body);
    assert_eq!(result["audits"].as_object().unwrap().len(), pages.len() * 2, "{result}");
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    Some(result["audits"].clone())
}

/// axe-core (from the npm registry, installed by `.ci/run` beside
/// puppeteer-core) audits the index and a report page with a chart, a table,
/// a footnote and a formula.
#[test]
fn the_index_and_a_report_page_pass_an_accessibility_audit() {
    let f = Fixture::new(&[
        ("content/a.md", "---\ntitle: 大模型周报\nsubtitle: 算力篇\nlang: zh\ndate: 2023-05-04\nsector: 互联网\nrating: {action: 维持, rating: 买入}\ncore_views: 算力需求持续增长。\n---\n\n# 行业动态 {#sec:news}\n\n百度发布文心一言[^1]，注意力为 $\\operatorname{softmax}(QK^\\top/\\sqrt{d_k})V$，见@tbl:p。\n\nTable: 参数规模 {#tbl:p}\n\n| 模型 | 参数量 |\n|---|---:|\n| GPT-3 | 175 |\n\n```chart\nkind: bar\ncaption: 参数规模\nalt: GPT-3 175, PaLM 540\ndata: models\nx: model\ny: params\n```\n\n[^1]: 2023 年 3 月。\n"),
        ("content/b.md", "---\ntitle: Chips outlook\nlang: en\ndate: 2023-06-12\n---\n\n# Demand\n\nAccelerators remain scarce.\n"),
        ("content/data/models.csv", "model,params\nGPT-3,175\nPaLM,540\n"),
        // With base_url the index links the feed from the masthead, and pages carry their preview cards.
        ("folio.toml", "[site]\nname = \"Example Research\"\nlang = \"zh\"\nbase_url = \"https://research.example.com/\"\n"),
    ]);
    let Some(audits) = axe_audit(&f, &["/site/index.html", "/site/a.html", "/site/b.html"]) else { return };
    for (page, violations) in audits.as_object().unwrap() {
        assert_eq!(violations, &serde_json::json!([]), "axe on {page}: {violations}");
    }
}

/// Without `base_url` (every link relative), the index, a report page and
/// the 404 page pass the same audit at both widths.
#[test]
fn a_site_without_base_url_passes_the_audit_too() {
    let f = Fixture::new(&[
        ("content/a.md", "---\ntitle: 大模型周报\nlang: zh\ndate: 2023-05-04\ncore_views: 算力需求持续增长。\n---\n\n# 行业动态\n\n百度发布文心一言。\n"),
        ("content/b.md", "---\ntitle: Chips outlook\nlang: en\ndate: 2023-06-12\n---\n\n# Demand\n\nAccelerators remain scarce.\n"),
        ("folio.toml", "[site]\nname = \"Example Research\"\nlang = \"en\"\n"),
    ]);
    let Some(audits) = axe_audit(&f, &["/site/index.html", "/site/a.html", "/site/404.html"]) else { return };
    for (page, violations) in audits.as_object().unwrap() {
        assert_eq!(violations, &serde_json::json!([]), "axe on {page}: {violations}");
    }
}

/// The same audit on the flagship's site: its index, the deep dive and a note.
#[test]
fn the_flagship_site_passes_an_accessibility_audit() {
    let f = flagship();
    let Some(audits) = axe_audit(&f, &["/site/index.html", "/site/report.html", "/site/note-alibaba.html", "/site/note-scaling.html"]) else { return };
    for (page, violations) in audits.as_object().unwrap() {
        assert_eq!(violations, &serde_json::json!([]), "axe on {page}: {violations}");
    }
}

/// Under `folio serve`, saving the Markdown brings the open page up to date
/// in place: no reload (what the page held survives), the reader's scroll
/// position kept, the new text there.
#[test]
fn a_saved_edit_patches_the_open_page_in_place() {
    let Some(pptr) = puppeteer() else { return };
    let long: String = (0..60).map(|i| format!("第 {i} 段，用于滚动。\n\n")).collect();
    let f = Fixture::new(&[("content/a.md", &format!("---\ntitle: 周报\nlang: zh\n---\n\n# 动态\n\n{long}结尾。\n"))]);
    let md = f.root().join("content/a.md").display().to_string();
    let body = format!(
        r#"
  const fs = require('fs');
  await page.goto(base + '/a.html', {{ waitUntil: 'load' }});
  await new Promise(r => setTimeout(r, 800));
  await page.evaluate(() => {{ window.kept = 1; window.scrollTo({{ top: 600, behavior: 'instant' }}); }});
  const patched = page.evaluate(() => new Promise(r => document.addEventListener('folio:patched', () => r(true), {{ once: true }})));
  fs.writeFileSync({md:?}, fs.readFileSync({md:?}, 'utf8').replace('结尾。', '改过的结尾。'));
  await Promise.race([patched, new Promise((_, fail) => setTimeout(() => fail('no patch within 20 s'), 20000))]);
  return await page.evaluate(() => [window.kept === 1, Math.round(window.scrollY), document.body.textContent.includes('改过的结尾')]);
"#
    );
    let result = in_chromium_serving(&pptr, &f, &[], &body);
    assert_eq!(result, serde_json::json!([true, 600, true]));
}
