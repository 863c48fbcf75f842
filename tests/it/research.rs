//! The research template: numbering identical in PDF and HTML, cross-references,
//! table of contents with the right page numbers, outline, header and footer.

use crate::common::*;

/// The research fixture, built once for all the tests that read it.
fn fixture() -> &'static Fixture {
    static BUILT: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    shared(&BUILT, "research-fixture", |root| {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        folio::core::paths::copy_dir(&repo.join("tests/fixtures/research"), root).unwrap();
        run_in(root, &["build", "--ignore-system-fonts"]).ok();
    })
}

const CAPTIONS: [&str; 5] = ["图 1：模型架构示意", "图 2：左侧图", "图 3：右侧图", "表 1：四大厂商对比", "表 2：风险清单"];

#[test]
fn float_numbers_match_in_pdf_and_html() {
    let f = fixture();
    let html = f.html("report.html");
    let mut captions = select_text(&html, "figure.figure figcaption");
    captions.extend(select_text(&html, "figure.table figcaption"));
    assert_eq!(captions, CAPTIONS);
    // The HTML lists of figures and tables carry the same entries.
    let mut lists = select_text(&html, "nav .lof a");
    lists.extend(select_text(&html, "nav .lot a"));
    assert_eq!(lists, CAPTIONS);

    let pages = pdf_pages(&f.out("report.pdf"));
    let body: String = pages[2..].concat();
    let front = &pages[1];
    for c in CAPTIONS {
        let c = squash(c);
        assert!(front.contains(&c), "list of figures/tables lacks {c}: {front}");
        assert_eq!(body.matches(&c).count(), 1, "body should show {c} once: {body}");
    }
    // Body order of figure captions equals the HTML order.
    let positions: Vec<usize> = CAPTIONS[..3].iter().map(|c| body.find(&squash(c)).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "figure order differs: {positions:?}");
}

#[test]
fn cross_references_resolve_identically() {
    let f = fixture();
    let html = f.html("report.html");
    assert_eq!(
        select_text(&html, "a.xref"),
        vec!["图 1", "表 1", "1.2 节", "图 2", "图 3", "表 2", "第一节"]
    );
    let hrefs: Vec<String> = html
        .select(&scraper::Selector::parse("a.xref").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(hrefs, ["#fig:arch", "#tbl:giants", "#sec:detail", "#fig:left", "#fig:right", "#tbl:risks", "#sec:overview"]);
    for h in &hrefs {
        let sel = format!("[id='{}']", &h[1..]);
        assert_eq!(html.select(&scraper::Selector::parse(&sel).unwrap()).count(), 1, "{h} has no target");
    }
    let text = f.pdf_text("report.pdf");
    for s in ["见图1与表1，详见1.2节", "如图2和图3所示", "参见表2和第一节"] {
        assert!(text.contains(s), "PDF lacks {s}");
    }
}

#[test]
fn sources_and_notes_attach_to_their_floats() {
    let f = fixture();
    let html = f.html("report.html");
    assert_eq!(
        select_text(&html, ".float-source"),
        vec!["数据来源：测试资料", "资料来源：公司公告", "数据来源：左右两图的来源", "数据来源：左右两图的来源", "来源：测试"]
    );
    assert_eq!(select_text(&html, ".float-note"), vec!["注：测试注释。"]);
    assert_eq!(html.select(&scraper::Selector::parse(".figure-row figure").unwrap()).count(), 2);
    let text = f.pdf_text("report.pdf");
    assert!(text.contains("资料来源：公司公告注：测试注释。"), "{text}");
}

/// The page number at the end of the contents line holding `entry`.
fn toc_page(front_raw: &str, entry: &str) -> usize {
    let line = front_raw
        .lines()
        .find(|l| squash(l).starts_with(entry))
        .unwrap_or_else(|| panic!("contents lack {entry}: {front_raw}"));
    let digits: String = line.trim_end().chars().rev().take_while(|c| c.is_ascii_digit()).collect();
    digits.chars().rev().collect::<String>().parse().unwrap()
}

#[test]
fn contents_carry_the_right_page_numbers() {
    let f = fixture();
    let pages = pdf_pages(&f.out("report.pdf"));
    let raw = pdf_extract::extract_text_by_pages(f.out("report.pdf")).unwrap();
    let front = &pages[1];
    assert!(front.starts_with("海外行业深度报告·互联网示例证券研究所目录"), "{front}");
    for (entry, heading) in [
        ("一、行业概况", "一、行业概况"),
        ("2、竞争格局", "2、竞争格局"),
        ("二、风险提示", "二、风险提示"),
        ("表2：风险清单", "表2：风险清单"),
        ("图2：左侧图", "图2：左侧图"),
    ] {
        let listed = toc_page(&raw[1], entry);
        let actual = pages.iter().enumerate().skip(2).find(|(_, p)| p.contains(heading)).map(|(i, _)| i + 1).unwrap();
        assert_eq!(listed, actual, "{entry} listed on page {listed}, found on {actual}");
    }
}

#[test]
fn header_and_footer_on_every_page_after_the_first() {
    let f = fixture();
    let pages = pdf_pages(&f.out("report.pdf"));
    assert!(pages.len() >= 4, "{} pages", pages.len());
    for (i, p) in pages.iter().enumerate().skip(1) {
        assert!(p.starts_with("海外行业深度报告·互联网示例证券研究所"), "page {} header: {p}", i + 1);
        let footer = format!("请务必阅读正文之后的免责条款和声明。{}", i + 1);
        assert!(p.trim_end().ends_with(&footer), "page {} footer: {p}", i + 1);
    }
}

#[test]
fn cover_shows_rating_box_and_side_column() {
    let f = fixture();
    let pages = pdf_pages(&f.out("report.pdf"));
    for s in ["测试研究报告", "版式与编号", "核心观点", "维持", "强于大市", "目标价：示例", "行业指数1,234", "相关报告", "执业证书编号：S0000000000001", "第一条。摘要正文一。"] {
        assert!(pages[0].contains(s), "cover lacks {s}: {}", pages[0]);
    }
    let html = f.html("report.html");
    assert_eq!(select_text(&html, ".rating-box .action"), vec!["维持"]);
    assert_eq!(select_text(&html, ".rating-box .rating"), vec!["强于大市"]);
    assert_eq!(select_text(&html, ".summary strong"), vec!["第一条。", "第二条。"]);
    // Back matter from front matter, in both outputs.
    assert_eq!(select_text(&html, ".back-matter h2"), vec!["分析师声明", "免责声明"]);
    assert!(pages.last().unwrap().contains("分析师声明本报告署名分析师声明为测试文本。"));
}

fn outline_titles(doc: &pdf_extract::Document, first: pdf_extract::ObjectId, out: &mut Vec<String>) {
    let mut next = Some(first);
    while let Some(id) = next {
        let item = doc.get_dictionary(id).unwrap();
        out.push(pdf_extract::decode_text_string(item.get(b"Title").unwrap()).unwrap());
        if let Ok(child) = item.get(b"First").and_then(|c| c.as_reference()) {
            outline_titles(doc, child, out);
        }
        next = item.get(b"Next").and_then(|n| n.as_reference()).ok();
    }
}

#[test]
fn outline_mirrors_headings() {
    let f = fixture();
    let doc = pdf_extract::Document::load(f.out("report.pdf")).unwrap();
    let outlines = doc.catalog().unwrap().get(b"Outlines").unwrap().as_reference().unwrap();
    let first = doc.get_dictionary(outlines).unwrap().get(b"First").unwrap().as_reference().unwrap();
    let mut titles = Vec::new();
    outline_titles(&doc, first, &mut titles);
    let html = f.html("report.html");
    let headings = select_text(&html, "main > h1, main > h2, main > h3");
    assert_eq!(titles, headings);
    assert_eq!(titles, ["一、行业概况", "1、发展历程", "1.1 早期阶段", "2、竞争格局", "二、风险提示"]);
}

#[test]
fn english_reports_use_english_words_and_decimal_numbers() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: Models\nlang: en\nfloat_numbers: chapter\nlists: true\n---\n\n# Intro\n\nTable: Sizes {#tbl:s}\n\n| a |\n|---|\n| 1 |\n\nSource: papers\n\n# Detail {#sec:d}\n\nTable: More {#tbl:m}\n\n| b |\n|---|\n| 2 |\n\nSee @tbl:s, @tbl:m and @sec:d.\n",
    )]);
    f.folio(&["build"]).ok();
    let html = f.html("report.html");
    assert_eq!(select_text(&html, "main h1"), vec!["1 Intro", "2 Detail"]);
    assert_eq!(select_text(&html, "figcaption"), vec!["Table 1-1: Sizes", "Table 2-1: More"]);
    assert_eq!(select_text(&html, "nav .lot a"), vec!["Table 1-1: Sizes", "Table 2-1: More"]);
    assert_eq!(select_text(&html, "a.xref"), vec!["Table 1-1", "Table 2-1", "Section 2"]);
    let text = f.pdf_text("report.pdf");
    assert!(text.contains("SeeTable1-1,Table2-1andSection2."), "{text}");
    assert!(text.contains("ListofTables"));
}

#[test]
fn labelled_equations_are_numbered_and_referenced() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: Eq\nlang: en\n---\n\nMass and energy:\n\n$$E = mc^2$$ {#eq:energy}\n\nUnnumbered:\n\n$$a + b$$\n\n$$x^2$$ {#eq:sq}\n\nBy @eq:energy and @eq:sq.\n",
    )]);
    f.folio(&["build"]).ok();
    let html = f.html("report.html");
    assert_eq!(select_text(&html, ".math.display .eqno"), ["(1)", "(2)"]);
    assert_eq!(select_text(&html, "a.xref"), ["Eq. (1)", "Eq. (2)"]);
    assert_eq!(select_text(&html, "[id='eq:energy'] math annotation"), ["E = mc^2"]);
    // The PDF typesets the formulas: math italic letters, raised exponents.
    let text = f.pdf_text("report.pdf");
    assert!(text.contains("𝐸=𝑚𝑐2(1)") && text.contains("𝑎+𝑏𝑥2(2)"), "{text}");
    assert!(!text.contains("mc^2"), "formula shown as TeX source: {text}");
    assert!(text.contains("ByEq.(1)andEq.(2)."), "{text}");
}

#[test]
fn contents_leaders_are_drawn_not_typed() {
    // Dot leaders as text were thousands of one-dot runs: slow to export,
    // noise when copying the contents or reading it aloud.
    let f = fixture();
    let pages = pdf_pages(&f.out("report.pdf"));
    let front = &pages[1];
    assert!(front.contains("一、行业概况"), "{front}");
    assert!(!front.contains("..."), "leader dots came out as text: {front}");
}
