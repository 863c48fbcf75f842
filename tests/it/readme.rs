//! Every code example in the README runs as written: the filter table, the
//! front matter, the templated Markdown, the chart spec and folio's Markdown
//! additions.

use crate::common::*;

fn readme() -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The first fenced block (``` or ````) tagged `info` after the heading `heading`.
fn block(heading: &str, info: &str) -> String {
    let text = readme();
    let start = text.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("README has no heading {heading}"));
    let mut lines = text[start..].lines();
    let mut fence = None;
    let mut out = String::new();
    for l in lines.by_ref() {
        match fence {
            None => {
                let t = l.trim_start();
                let ticks = t.chars().take_while(|c| *c == '`').count();
                if ticks >= 3 && t[ticks..].trim() == info {
                    fence = Some("`".repeat(ticks));
                }
            }
            Some(ref f) if l.trim() == f => return out,
            Some(_) => {
                out.push_str(l);
                out.push('\n');
            }
        }
    }
    panic!("no ```{info} block after {heading}");
}

fn render(src: &str) -> Result<String, String> {
    let mut env = minijinja::Environment::new();
    folio::template::filters::register(&mut env);
    env.render_str(src, minijinja::context! { row => minijinja::context! { note => "**bold**" } }).map_err(|e| format!("{e:#}"))
}

/// `a`, `b` from "`a` ... `b`" cells.
fn code_spans(cell: &str) -> Vec<String> {
    cell.split('`').skip(1).step_by(2).map(|s| s.replace("\\|", "|")).collect()
}

#[test]
fn every_filter_in_the_table_works_as_written() {
    let text = readme();
    let table: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("| filter | example | result |")).skip(2).take_while(|l| l.starts_with('|')).collect();
    assert!(table.len() >= 9, "the filter table has {} rows", table.len());
    for row in table {
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").collect();
        let (signature, example, result) = (code_spans(cells[0]), code_spans(cells[1]), code_spans(cells[2]));
        let out = render(&format!("{{{{ {} }}}}", example[0])).unwrap_or_else(|e| panic!("{row}: {e}"));
        match result.first() {
            Some(want) => assert_eq!(&out, want, "{row}"),
            None => assert_eq!(out, "**bold**", "{row}"),
        }
        // The signature as the table writes it, keyword arguments included.
        let value = example[0].split(" | ").next().unwrap();
        let with_signature = format!("{{{{ {value} | {} }}}}", signature[0]);
        render(&with_signature).unwrap_or_else(|e| panic!("{with_signature}: {e}"));
    }
}

/// A 1×1 PNG for the Markdown example's figures.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00,
    0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49,
    0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

const MODELS: &str = "model,params_b\nGPT-3,175\nPaLM,540\nLLaMA,65\n";

#[test]
fn front_matter_templates_chart_and_markdown_examples_build() {
    let front = block("### Front matter", "yaml");
    let templated = block("### Templates in Markdown", "markdown");
    let chart = block("### Charts", "markdown");
    let additions = block("### Markdown", "markdown");
    // The chart example and the Markdown example both label `fig:sizes`: two reports.
    let f = Fixture::new(&[
        ("content/report.md", &format!("{front}\n{templated}\n{additions}")),
        ("content/chart.md", &format!("{front}\n{chart}")),
        ("content/data/models.csv", MODELS),
        ("content/refs.bib", "@book{wu2019, author = {吴军}, title = {浪潮之巅}, publisher = {人民邮电出版社}, year = {2019}}\n"),
    ]);
    for img in ["content/img/sizes.png", "content/img/a.png", "content/img/b.png"] {
        std::fs::create_dir_all(f.root().join(img).parent().unwrap()).unwrap();
        std::fs::write(f.root().join(img), PNG).unwrap();
    }
    f.folio(&["build"]).ok();
    let text = f.pdf_text("report.pdf");
    for want in ["逐浪大模型", "共收录3个模型", "540.0", "主要大模型参数规模"] {
        assert!(text.contains(want), "{want} missing from the PDF");
    }
    assert!(f.pdf_text("chart.pdf").contains("代表性大模型参数规模（十亿）"));
}

/// The README's chart section: every ```chart example (and each example of
/// the key table) is a valid spec, and the examples build on real data.
#[test]
fn every_chart_key_and_example_in_the_readme_works() {
    let text = readme();
    let section = &text[text.find("\n### Charts\n").unwrap()..text.find("\n### Markdown\n").unwrap()];
    let mut examples = Vec::new();
    let mut inside: Option<String> = None;
    for l in section.lines() {
        match &mut inside {
            None if l.trim() == "```chart" => inside = Some(String::new()),
            Some(body) if l.trim() == "```" => {
                examples.push(std::mem::take(body));
                inside = None;
            }
            Some(body) => {
                body.push_str(l);
                body.push('\n');
            }
            None => {}
        }
    }
    assert_eq!(examples.len(), 3, "the first example, the split and the bar + line");
    for e in &examples {
        folio::input::yaml::from_str::<folio::chart::ChartSpec>(e).unwrap_or_else(|err| panic!("{err:?}\n{e}"));
    }
    // Each key of the table with its example, added to a minimal spec.
    let mut keys = 0;
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split(" | ").collect();
        for example in code_spans(cells[1]).iter().filter(|e| e.contains(": ")) {
            let mut spec: serde_json::Map<String, serde_json::Value> = folio::input::yaml::from_str("kind: line\nrows: [{m: 2023-01, v: 1}]\nx: m\ny: v\ncaption: C\n").unwrap();
            let extra: serde_json::Map<String, serde_json::Value> = folio::input::yaml::from_str(example).unwrap_or_else(|e| panic!("{example}: {e:?}"));
            spec.extend(extra);
            serde_json::from_value::<folio::chart::ChartSpec>(serde_json::Value::Object(spec)).unwrap_or_else(|e| panic!("`{example}`: {e}"));
            keys += 1;
        }
    }
    assert!(keys >= 25, "{keys} examples");
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let stocks = std::fs::read_to_string(repo.join("tests/data/vega-datasets/stocks.csv")).unwrap();
    let cloud = repo.join("content/data/cloud.xlsx");
    let models = std::fs::read_to_string(repo.join("content/data/models.csv")).unwrap();
    let reports: Vec<(String, String)> =
        examples.iter().enumerate().map(|(i, e)| (format!("content/r{i}.md"), format!("---\ntitle: R{i}\n---\n\n```chart\n{e}```\n"))).collect();
    let mut files: Vec<(&str, &str)> = vec![("content/data/stocks.csv", &stocks), ("content/data/models.csv", &models)];
    files.extend(reports.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let f = Fixture::new(&files);
    std::fs::copy(cloud, f.root().join("content/data/cloud.xlsx")).unwrap();
    f.folio(&["build"]).ok();
    assert!(f.pdf_text("r1.pdf").contains("雷曼破产"));
    assert!(f.pdf_text("r2.pdf").contains("同比增速（右轴）"));
}
