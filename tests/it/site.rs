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
fn puppeteer() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("FOLIO_PUPPETEER_DIR").map(std::path::PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cache/folio/puppeteer")))?;
    if dir.join("node_modules/puppeteer-core").is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "CI must install puppeteer-core (.ci/run does)");
    eprintln!("skipped: no puppeteer-core (npm install puppeteer-core in ~/.cache/folio/puppeteer)");
    None
}

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
    let (mut child, port) = crate::hostile::serve(&f);
    let script = format!(
        r#"const puppeteer = require({module:?});
(async () => {{
  const browser = await puppeteer.launch({{ executablePath: {chromium:?}, args: ['--no-sandbox', '--disable-gpu'], headless: true }});
  const page = await browser.newPage();
  const errors = [];
  page.on('console', m => {{ if (m.type() === 'error') errors.push(m.text()); }});
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto('http://127.0.0.1:{port}/site/index.html', {{ waitUntil: 'load' }});
  const found = {{}};
  for (const q of ['文心一言', 'packaging']) {{
    await page.$eval('.pagefind-ui__search-input', el => {{ el.value = ''; }});
    await page.type('.pagefind-ui__search-input', q);
    await page.waitForSelector('.pagefind-ui__result-link', {{ timeout: 15000 }});
    await new Promise(r => setTimeout(r, 500));
    found[q] = await page.$$eval('.pagefind-ui__result-link', as => as.map(a => a.textContent.trim() + ' ' + a.getAttribute('href')));
  }}
  // A heading link of the last search lands on its heading.
  // A result's heading link (or the result itself, found under one heading).
  const links = await page.$$eval('.pagefind-ui__result-link', as => as.map(a => a.href).filter(h => h.includes('#')));
  const sub = links[0];
  await page.goto(sub, {{ waitUntil: 'load' }});
  const landed = await page.evaluate(() => {{ const el = document.getElementById(decodeURIComponent(location.hash.slice(1))); return el ? el.textContent.trim() : 'none'; }});
  console.log(JSON.stringify({{ found, landed, errors }}));
  await browser.close();
}})().catch(e => {{ console.log(JSON.stringify({{ failed: String(e) }})); process.exit(1); }});
"#,
        module = pptr.join("node_modules/puppeteer-core").display().to_string(),
        chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| std::path::Path::new(p).exists()).unwrap_or("/usr/bin/chromium"),
    );
    let js = f.root().join("search.js");
    std::fs::write(&js, script).unwrap();
    let out = std::process::Command::new("node").arg(&js).output().unwrap();
    let _ = child.kill();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let result: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    assert!(result.get("failed").is_none(), "{result}");
    let found = &result["found"];
    assert!(found["文心一言"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().starts_with("大模型周报")), "{result}");
    assert!(found["packaging"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().starts_with("Chips outlook")), "{result}");
    assert_eq!(result["landed"].as_str(), Some("2 Supply"), "{result}");
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
}
