//! Citations and references: `[@key]`, `[@key, p. 20]`, `[@a; @b]` and
//! `@key` cite entries of the report's bibliography in its CSL style; the
//! PDF and the HTML print the same citations and the same entries, in the
//! same order; an unknown key is an error with a did-you-mean.
//!
//! `tests/data/bib/gral.bib` is a Zotero export shipped in the biblatex
//! crate's package (MIT), unchanged.

use crate::common::*;

const GRAL: &str = include_str!("../data/bib/gral.bib");

/// The entries of a page's references, as the HTML shows them.
fn html_entries(f: &Fixture, page: &str) -> Vec<(String, String)> {
    let doc = f.html(page);
    let sel = scraper::Selector::parse("section.references .csl-entry").unwrap();
    doc.select(&sel).map(|e| (e.value().attr("id").unwrap_or("").to_string(), e.text().collect::<String>())).collect()
}

fn en_fixture() -> Fixture {
    Fixture::new(&[
        ("content/gral.bib", GRAL),
        (
            "content/survey.md",
            "---\ntitle: Locating sensors\nlang: en\nbibliography: gral.bib\ncsl: apa\n---\n\n# Methods\n\n\
             Indoor location began with badges [@want_active_1992] and radio maps [@bahl_radar:_2000, p. 777].\n\
             @rappaport_wireless_2002 explains the channel; both lines of work are surveyed together\n\
             [@bahl_radar:_2000; @want_active_1992].\n\n# Protocols\n\nMessages travel over MQTT [@banks_mqtt_2014].\n",
        ),
    ])
}

#[test]
fn an_english_report_cites_author_date_alike_in_pdf_and_html() {
    let f = en_fixture();
    f.folio(&["build"]).ok();
    let pdf = f.pdf_text("survey.pdf");
    for cite in ["(Want et al., 1992)", "(Bahl & Padmanabhan, 2000, p. 777)", "Rappaport (2002)", "(Bahl & Padmanabhan, 2000; Want et al., 1992)", "(Banks & Gupta, 2014)"] {
        assert!(pdf.contains(&squash(cite)), "PDF lacks {cite}: {pdf}");
    }
    let entries = html_entries(&f, "survey.html");
    let ids: Vec<&str> = entries.iter().map(|(id, _)| id.as_str()).collect();
    // Alphabetical by author; the 79 entries never cited are not listed.
    assert_eq!(ids, ["ref-bahl_radar:_2000", "ref-banks_mqtt_2014", "ref-rappaport_wireless_2002", "ref-want_active_1992"]);
    assert_eq!(
        entries[3].1,
        "Want, R., Hopper, A., Falcão, V., & Gibbons, J. (1992). The Active Badge Location System. ACM Transactions on Information Systems, 10(1), 91–102."
    );
    // The PDF sets the same entries, in the same order, after its heading.
    let refs = &pdf[pdf.find("References").expect("a References heading")..];
    let mut at = 0;
    for (_, text) in &entries {
        let found = refs[at..].find(&squash(text)).unwrap_or_else(|| panic!("PDF lacks, or misorders, {text}"));
        at += found;
    }
    // Each citation links to its entry.
    let doc = f.html("survey.html");
    let hrefs: Vec<String> = doc.select(&scraper::Selector::parse("a.cite").unwrap()).map(|a| a.value().attr("href").unwrap().to_string()).collect();
    assert_eq!(hrefs, ["#ref-want_active_1992", "#ref-bahl_radar:_2000", "#ref-rappaport_wireless_2002", "#ref-bahl_radar:_2000", "#ref-banks_mqtt_2014"]);
}

const ZH_BIB: &str = r#"@article{li2021,
  author = {李明 and 王芳 and 张伟 and 刘洋},
  title = {大语言模型的规模定律研究},
  journal = {计算机学报},
  year = {2021},
  volume = {44},
  number = {3},
  pages = {1--20},
}
@book{wu2019,
  author = {吴军},
  title = {浪潮之巅},
  publisher = {人民邮电出版社},
  address = {北京},
  year = {2019},
  edition = {4},
}
@online{nbs2024,
  author = {{国家统计局}},
  title = {中华人民共和国2023年国民经济和社会发展统计公报},
  url = {https://www.stats.gov.cn/sj/zxfb/202402/t20240228_1947915.html},
  urldate = {2024-02-29},
  year = {2024},
}
@article{kaplan2020,
  author = {Kaplan, Jared and McCandlish, Sam},
  title = {Scaling Laws for Neural Language Models},
  journal = {arXiv preprint},
  year = {2020},
}
"#;

#[test]
fn a_chinese_report_numbers_citations_in_gb_t_7714_order() {
    let f = Fixture::new(&[
        ("content/refs.bib", ZH_BIB),
        (
            "content/zh.md",
            "---\ntitle: 大模型研究\nbibliography: refs.bib\n---\n\n# 规模\n\n规模定律最早由国外学者提出[@kaplan2020]，国内学者随后验证[@li2021, 第 5 页]。\n\n\
             行业史见[@wu2019]，宏观数据来自统计公报[@nbs2024; @li2021]。\n",
        ),
    ]);
    f.folio(&["build"]).ok();
    let entries = html_entries(&f, "zh.html");
    let texts: Vec<String> = entries.iter().map(|(_, t)| t.clone()).collect();
    // Numbered in order of first citation, with GB/T 7714's type marks.
    assert_eq!(
        texts,
        [
            "[1]KAPLAN J, MCCANDLISH S. Scaling Laws for Neural Language Models[J]. arXiv preprint, 2020.",
            "[2]李明, 王芳, 张伟, 等. 大语言模型的规模定律研究[J]. 计算机学报, 2021, 44(3): 1-20.",
            "[3]吴军. 浪潮之巅[M]. 4 版. 北京: 人民邮电出版社, 2019.",
            "[4]国家统计局. 中华人民共和国2023年国民经济和社会发展统计公报[EB/OL]. (2024)[2024-02-29]. https://www.stats.gov.cn/sj/zxfb/202402/t20240228_1947915.html.",
        ]
    );
    let doc = f.html("zh.html");
    let cites = select_text(&doc, "a.cite");
    assert_eq!(cites, ["[1]", "[2]", "[3]", "[2,4]"]);
    // Superscript, as the standard sets them.
    assert_eq!(select_text(&doc, "a.cite > sup").len(), 4);
    let pdf = f.pdf_text("zh.pdf");
    assert!(pdf.contains("提出[1]，国内学者随后验证[2]。"), "{pdf}");
    assert!(pdf.contains("统计公报[2,4]。"), "{pdf}");
    let refs = &pdf[pdf.find("参考文献").expect("a 参考文献 heading")..];
    let mut at = 0;
    for t in &texts {
        at += refs[at..].find(&squash(t)).unwrap_or_else(|| panic!("PDF lacks, or misorders, {t}: {refs}"));
    }
}

#[test]
fn an_unknown_key_is_an_error_with_the_nearest_key() {
    let f = Fixture::new(&[
        ("content/gral.bib", GRAL),
        ("content/r.md", "---\ntitle: T\nlang: en\nbibliography: gral.bib\n---\n\nBadges came first [@want_active_1993, p. 3].\n"),
    ]);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn a_citation_without_a_bibliography_is_an_error_not_text() {
    let f = Fixture::new(&[("content/r.md", "---\ntitle: T\nlang: en\n---\n\nAs shown [@grunfeld1958]. Mail me at a@b.org or @handle.\n")]);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error: `@grunfeld1958` cites, but this report has no bibliography\n --> content/r.md:6:11\n"), "{}", run.stderr);
    // Without brackets, and without a bibliography, `@name` is text.
    f.write("content/r.md", "---\ntitle: T\nlang: en\n---\n\nMail me at a@b.org or @handle.\n");
    f.folio(&["build"]).ok();
    assert!(f.pdf_text("r.pdf").contains("a@b.orgor@handle."));
}

#[test]
fn style_names_files_and_places() {
    let f = en_fixture();
    // folio.toml gives every report its bibliography and style; a
    // cross-reference is never a citation.
    f.write("folio.toml", "bibliography = \"gral.bib\"\ncsl = \"ieee\"\n");
    f.write(
        "content/survey.md",
        "---\ntitle: Locating sensors\nlang: en\n---\n\n# Methods {#sec:m}\n\nBadges [@want_active_1992], see @sec:m and [@sec:m].\n\n{{ references }}\n\n# Appendix\n\nRadar [@bahl_radar:_2000].\n",
    );
    f.folio(&["build"]).ok();
    let pdf = f.pdf_text("survey.pdf");
    assert!(pdf.contains("Badges[1],seeSection1and[Section1]."), "{pdf}");
    // The references stand where `{{ references }}` put them.
    let (refs, appendix) = (pdf.find("References").unwrap(), pdf.find("2Appendix").unwrap());
    assert!(refs < appendix, "{pdf}");
    assert_eq!(html_entries(&f, "survey.html").len(), 2);
    // A style name folio does not know, and a .csl file in the project.
    f.write("content/survey.md", "---\ntitle: T\nlang: en\ncsl: chicago-autor-date\n---\n\nBadges [@want_active_1992].\n");
    let run = f.folio(&["build"]);
    assert!(run.stderr.starts_with("error: `csl: chicago-autor-date` is no style folio knows\n --> content/survey.md:4:1\n"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `chicago-author-date`?"), "{}", run.stderr);
    f.write("content/house.csl", HOUSE_CSL);
    f.write("content/survey.md", "---\ntitle: T\nlang: en\ncsl: house.csl\n---\n\nBadges [@want_active_1992].\n");
    f.folio(&["build"]).ok();
    assert!(f.pdf_text("survey.pdf").contains("Badges<Want,Hopper,Falcão,Gibbons1992>."));
    assert_eq!(html_entries(&f, "survey.html")[0].1, "Want, Hopper, Falcão, Gibbons — The Active Badge Location System");
}

/// A chart's source line cites like a paragraph does.
#[test]
fn a_chart_source_cites() {
    let f = Fixture::new(&[
        ("content/refs.bib", ZH_BIB),
        ("content/data/m.csv", "model,params\nA,1\nB,2\n"),
        ("content/r.md", "---\ntitle: 图表\nbibliography: refs.bib\n---\n\n正文[@wu2019]。\n\n```chart\nkind: bar\ndata: m\nx: model\ny: params\ncaption: 参数\nalt: A 1, B 2\nsource: 数据来源：论文[@li2021; @kaplan2020]\n```\n"),
    ]);
    f.folio(&["build"]).ok();
    assert!(f.pdf_text("r.pdf").contains("数据来源：论文[2,3]"), "{}", f.pdf_text("r.pdf"));
    assert_eq!(select_text(&f.html("r.html"), ".float-source a.cite"), ["[2,3]"]);
}

#[test]
fn a_bibliography_outside_the_project_is_refused() {
    let f = Fixture::new(&[("content/r.md", "---\ntitle: T\nlang: en\nbibliography: ../../etc/refs.bib\n---\n\nText.\n")]);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("leads outside the project folder"), "{}", run.stderr);
    assert!(run.stderr.contains("--> content/r.md:4:1"), "{}", run.stderr);
}

/// A house style of the project's own, in CSL 1.0.
const HOUSE_CSL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>House</title><id>house</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout prefix="&lt;" suffix="&gt;" delimiter="; ">
      <names variable="author"><name form="short"/></names>
      <date variable="issued"><date-part name="year"/></date>
    </layout>
  </citation>
  <bibliography>
    <layout>
      <names variable="author"><name form="short"/></names>
      <text variable="title" prefix=" — "/>
    </layout>
  </bibliography>
</style>
"#;
