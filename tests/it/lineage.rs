//! Provenance and change review: `folio build --lineage` records the cell
//! behind every printed value (output/lineage/<name>.json, `data-src` in
//! the HTML), and `folio diff` lists what a data change changed.

use std::path::Path;

use serde_json::Value;

use crate::common::*;

fn lineage(f: &Fixture, name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(f.root().join("output/lineage").join(format!("{name}.json"))).unwrap()).unwrap()
}

/// `(text, expr, [short source, …])` of every value printed.
fn values(l: &Value) -> Vec<(String, String, Vec<String>)> {
    l["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let sources = v["sources"].as_array().unwrap().iter().map(short).collect();
            (v["text"].as_str().unwrap().to_string(), v["expr"].as_str().unwrap().to_string(), sources)
        })
        .collect()
}

fn short(s: &Value) -> String {
    let file = s["file"].as_str().unwrap_or("").rsplit('/').next().unwrap().to_string();
    match (s["kind"].as_str().unwrap(), s.get("cell"), s.get("row")) {
        ("set", ..) => format!("--set:{}", s["column"].as_str().unwrap()),
        ("front_matter", ..) => format!("{file}:front:{}", s["column"].as_str().unwrap()),
        (_, Some(c), _) => format!("{file}:{}", c.as_str().unwrap()),
        (_, None, Some(r)) => format!("{file}:{r}:{}", s["column"].as_str().unwrap()),
        _ => format!("{file}:{}", s["column"].as_str().unwrap()),
    }
}

#[test]
fn changing_palms_parameters_lists_exactly_the_values_that_depend_on_them() {
    let f = flagship();
    f.folio(&["build", "--lineage", "-q"]).ok();
    let first = std::fs::read(f.root().join("output/lineage/report.json")).unwrap();
    // The same inputs write the same bytes.
    f.folio(&["build", "--lineage", "--force", "-q"]).ok();
    assert_eq!(first, std::fs::read(f.root().join("output/lineage/report.json")).unwrap());
    let csv = f.root().join("content/data/models.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("\nPaLM,Google,540,"));
    std::fs::write(&csv, text.replace("\nPaLM,Google,540,", "\nPaLM,Google,562,")).unwrap();
    f.folio(&["build", "--lineage", "-q"]).ok();
    let run = f.folio(&["diff", "--last", "--exit-code"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let changed: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("  ~ ")).collect();
    assert_eq!(
        changed,
        [
            "  ~ 540 → 562   {{ largest.params_b | num }}",
            "  ~ 5,400 → 5,620   {{ (largest.params_b * 10) | num }}",
            "  ~ 540 → 562   {{ palm.params_b | num }}",
            "  ~ 540 → 562   {{ m.params_b }}",
            "  ~ 540 → 562   [chart 图 5 (fig:sizes): params_b of PaLM]",
        ],
        "{}",
        run.stdout
    );
    // Each names its cell first; nothing else moved, in any report.
    let froms: Vec<&str> = run.stdout.lines().filter(|l| l.trim_start().starts_with("from ")).collect();
    assert_eq!(froms.len(), 5);
    assert!(froms.iter().all(|l| l.trim_start().starts_with("from content/data/models.csv row 15, column params_b (line 16)")), "{froms:?}");
    assert!(run.stdout.contains("report: 5 changed, 0 added, 0 removed values; 0 changed passages of prose\n"), "{}", run.stdout);
    for note in ["note-alibaba", "note-baidu", "note-bytedance", "note-tencent"] {
        assert!(run.stdout.contains(&format!("{note}: no change\n")), "{}", run.stdout);
    }
    // Where they are: the sentence's values on a PDF page and an HTML element.
    let l = lineage(&f, "report");
    let palm = l["values"].as_array().unwrap().iter().find(|v| v["expr"] == "palm.params_b | num").unwrap();
    assert_eq!(palm["filters"], serde_json::json!(["num"]));
    assert_eq!(palm["template"]["file"], "content/chapters/01-development.md");
    assert!(palm["pdf_page"].as_u64().unwrap() > 1);
    let id = palm["html"].as_str().unwrap();
    let html = f.html("report.html");
    let span = html.select(&scraper::Selector::parse(&format!("span#{id}")).unwrap()).next().unwrap();
    assert_eq!(span.text().collect::<String>(), "562");
    assert!(span.value().attr("data-src").unwrap().starts_with("models.csv:15:params_b "));
    // The changes page: the old value struck through beside the new.
    let changes = std::fs::read_to_string(f.root().join("output/changes/report.html")).unwrap();
    assert!(changes.contains(&format!("<del class=\"folio-old\">540</del><span class=\"v folio-changed\" id=\"{id}\"")), "no marked change");
    assert!(changes.contains("5 changes since the old build"));
}

#[test]
fn lineage_names_csv_json_workbook_front_matter_and_set_origins() {
    let f = Fixture::new(&[
        ("content/data/q.csv", "quarter,rev\n2023Q1,1250.50\n2023Q2,1302\n"),
        ("content/data/facts.json", "{\"n\": 7, \"deep\": {\"k\": \"v\"}}"),
        (
            "content/report.md",
            "---\ntitle: Lineage\nlang: en\nanalyst: Li\n---\n\nBy {{ analyst }}; rated {{ rating }}.\n\n{% set total = data.q | sum(attribute=\"rev\") %}\n{% for r in data.q %}\n- {{ r.quarter }}: {{ r.rev | num(1) }}\n{% endfor %}\n\nTotal {{ total | num(1) }} from {{ data.facts.n }} and {{ data.facts.deep.k }}; book {{ data.model.Model[1].Ticker }}.\n",
        ),
    ]);
    let book = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/workbooks/model.xlsx");
    std::fs::copy(book, f.root().join("content/data/model.xlsx")).unwrap();
    f.folio(&["build", "--lineage", "--format", "html", "--set", "rating=Buy"]).ok();
    let got = values(&lineage(&f, "report"));
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        [
            ("Li".into(), "analyst".into(), s(&["report.md:front:analyst"])),
            ("Buy".into(), "rating".into(), s(&["--set:rating"])),
            ("2023Q1".into(), "r.quarter".into(), s(&["q.csv:1:quarter"])),
            ("1,250.5".into(), "r.rev | num(1)".into(), s(&["q.csv:1:rev"])),
            ("2023Q2".into(), "r.quarter".into(), s(&["q.csv:2:quarter"])),
            ("1,302.0".into(), "r.rev | num(1)".into(), s(&["q.csv:2:rev"])),
            // A value computed in the template names every cell it combines.
            ("2,552.5".into(), "total | num(1)".into(), s(&["q.csv:1:rev", "q.csv:2:rev"])),
            ("7".into(), "data.facts.n".into(), s(&["facts.json:n"])),
            ("v".into(), "data.facts.deep.k".into(), s(&["facts.json:deep.k"])),
            ("BIDU".into(), "data.model.Model[1].Ticker".into(), s(&["model.xlsx:Model!A4"])),
        ]
    );
    let l = lineage(&f, "report");
    let rev = &l["values"][3]["sources"][0];
    assert_eq!((rev["line"].as_u64(), rev["raw"].as_str()), (Some(2), Some("1250.50")));
    assert_eq!(l["values"][6]["through"], serde_json::json!(["total"]));
    // The HTML says where each came from; without --lineage it says nothing.
    let html = f.html_source("report.html");
    assert!(html.contains("data-src=\"q.csv:1:rev\" data-info=\"content/data/q.csv row 1, column rev (line 2): 1250.50\" tabindex=\"0\">1,250.5</span>"), "{html}");
    f.folio(&["build", "--format", "html", "--set", "rating=Buy"]).ok();
    assert!(!f.html_source("report.html").contains("data-src"));
}

#[test]
fn a_family_members_lineage_names_its_row() {
    let f = Fixture::new(&[
        ("content/data/firms.csv", "ticker,price\nAAA,10.5\nBBB,20\n"),
        ("content/notes.md", "---\neach: firms\nname: \"note-{{ row.ticker }}\"\ntitle: \"{{ row.ticker }}\"\nlang: en\n---\n\nPrice {{ row.price | num(2) }}.\n"),
    ]);
    f.folio(&["build", "--lineage", "--format", "html"]).ok();
    let l = lineage(&f, "note-BBB");
    assert_eq!(l["row"], serde_json::json!({"kind": "row", "file": "content/data/firms.csv", "row": 2, "column": ""}));
    assert_eq!(values(&l), [("20.00".to_string(), "row.price | num(2)".to_string(), vec!["firms.csv:2:price".to_string()])]);
}

#[test]
fn a_query_results_values_name_their_result_row_and_column() {
    let f = Fixture::new(&[
        ("content/report.md", "---\ntitle: S\nlang: en\nticker: BIDU\n---\n\n{% for p in data.prices %}{{ p.day }} {{ p.close | num(2) }}; {% endfor %}\n"),
        ("content/data/prices.sql", "SELECT day, close FROM prices WHERE ticker = :ticker ORDER BY day\n"),
        ("folio.toml", "database = \"data/research.db\"\n"),
    ]);
    let schema = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sql/research.sql")).unwrap();
    rusqlite::Connection::open(f.root().join("content/data/research.db")).unwrap().execute_batch(&schema).unwrap();
    f.folio(&["build", "--lineage", "--format", "html"]).ok();
    let l = lineage(&f, "report");
    let got = values(&l);
    let s = |t: &str, e: &str, src: &str| (t.to_string(), e.to_string(), vec![src.to_string()]);
    assert_eq!(
        got[..4],
        [
            s("2023-01-31", "p.day", "prices.sql:1:day"),
            s("150.00", "p.close | num(2)", "prices.sql:1:close"),
            s("2023-02-28", "p.day", "prices.sql:2:day"),
            s("140.10", "p.close | num(2)", "prices.sql:2:close"),
        ]
    );
    assert_eq!(l["values"][1]["sources"][0]["kind"], "query");
    // The page says it is a result row of the query, not a line of a file.
    let html = f.html_source("report.html");
    assert!(html.contains("data-info=\"content/data/prices.sql result row 2, column close\""), "{html}");
}

#[test]
fn lineage_changes_nothing_in_the_pdf() {
    let f = Fixture::new(&[
        ("content/data/q.csv", "quarter,rev\n2023Q1,1250.5\n"),
        ("content/report.md", "---\ntitle: Same\nlang: en\n---\n\n# Revenue {{ data.q[0].rev }}\n\nRevenue *{{ data.q[0].rev | num(1) }}* in [{{ data.q[0].quarter }}](https://example.com/{{ data.q[0].quarter }}) and `{{ data.q[0].rev }}`.\n\n| Q | Rev |\n|---|---|\n| {{ data.q[0].quarter }} | {{ data.q[0].rev }} |\n"),
    ]);
    f.folio(&["build", "--format", "pdf"]).ok();
    let plain = pdf_text(&f.root().join("output/report.pdf"));
    let run = f.folio(&["build", "--format", "all", "--lineage", "--force"]).ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(plain, pdf_text(&f.root().join("output/report.pdf")));
    // A value in a formula or link target is no element; the others are.
    let l = lineage(&f, "report");
    let with_element: Vec<bool> = l["values"].as_array().unwrap().iter().map(|v| v.get("html").is_some()).collect();
    assert_eq!(with_element, [true, true, true, false, false, true, true]);
}

fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext").arg(path).arg("-").output().expect("run pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn diff_refuses_builds_without_lineage_and_of_other_projects() {
    let f = Fixture::new(&[("content/report.md", "---\ntitle: A\nlang: en\n---\n\nText.\n")]);
    f.folio(&["build", "--format", "html", "--out", "plain"]).ok();
    f.folio(&["build", "--format", "html", "--lineage", "--out", "traced"]).ok();
    let run = f.folio(&["diff", "plain", "traced"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: OLD plain was built without --lineage: it has no lineage/ folder\n  = hint: build it with `folio build --lineage --out plain`"), "{}", run.stderr);
    let g = Fixture::new(&[("content/report.md", "---\ntitle: B\nlang: en\n---\n\nOther.\n"), ("content/extra.md", "---\ntitle: C\nlang: en\n---\n\nMore.\n")]);
    g.folio(&["build", "--format", "html", "--lineage"]).ok();
    let other = g.root().join("output").display().to_string();
    let run = f.folio(&["diff", "traced", &other]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("is a build of project `"), "{}", run.stderr);
    // A report in one build only is listed, never an error.
    f.write("content/extra.md", "---\ntitle: C\nlang: en\n---\n\nMore.\n");
    f.folio(&["build", "--format", "html", "--lineage", "--out", "later"]).ok();
    let run = f.folio(&["diff", "traced", "later", "--exit-code"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "extra: added (only in the new build)\nreport: no change\n");
    let run = f.folio(&["diff", "later", "traced"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "report: no change\nextra: removed (only in the old build)\n"));
}

#[test]
fn diff_lists_changed_prose_and_added_values() {
    let f = Fixture::new(&[
        ("content/data/q.csv", "quarter,rev\n2023Q1,5\n"),
        ("content/report.md", "---\ntitle: P\nlang: en\n---\n\nRevenue was {{ data.q[0].rev }}. Margins held.\n"),
    ]);
    f.folio(&["build", "--format", "html", "--lineage"]).ok();
    f.write("content/report.md", "---\ntitle: P\nlang: en\n---\n\nRevenue was {{ data.q[0].rev }}. Margins fell.\n\nQuarter {{ data.q[0].quarter }}.\n");
    f.folio(&["build", "--format", "html", "--lineage"]).ok();
    let run = f.folio(&["diff", "--last"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "report: 0 changed, 1 added, 0 removed values; 1 changed passages of prose\n  + 2023Q1   {{ data.q[0].quarter }}\n      from content/data/q.csv row 1, column quarter (line 2)\n      at content/report.md:8:9, HTML #v1\n  prose - Margins held.\n  prose + Margins fell.\n  prose + Quarter {}.\n"
    );
}

#[test]
fn the_lineage_schema_describes_what_folio_writes() {
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lineage.schema.json")).unwrap()).unwrap();
    let f = Fixture::new(&[("content/data/q.csv", "a\n1\n"), ("content/report.md", "---\ntitle: S\nlang: en\n---\n\n{{ data.q[0].a }}\n")]);
    f.folio(&["build", "--format", "html", "--lineage"]).ok();
    let l = lineage(&f, "report");
    // Every key written is one the schema names, and every required one is written.
    let check = |obj: &Value, def: &Value| {
        let props = def["properties"].as_object().unwrap();
        for k in obj.as_object().unwrap().keys() {
            assert!(props.contains_key(k), "schema lacks `{k}`");
        }
        for k in def["required"].as_array().unwrap() {
            assert!(obj.get(k.as_str().unwrap()).is_some(), "missing required `{k}`");
        }
    };
    check(&l, &schema);
    check(&l["values"][0], &schema["$defs"]["value"]);
    check(&l["values"][0]["sources"][0], &schema["$defs"]["source"]);
    assert_eq!(schema["properties"]["schema"]["const"], "folio-lineage/1");
}

/// In Chromium, under `folio serve --lineage`: hovering a value in a
/// sentence, focusing a table cell and clicking a chart's value label each
/// show the cell it came from (file, row, column, the text as written), on
/// a wide screen and a phone; Escape closes it; the console stays clean.
#[test]
fn hovering_or_clicking_a_printed_value_shows_its_cell() {
    let Some(pptr) = crate::site::puppeteer() else { return };
    let f = Fixture::new(&[
        ("content/data/q.csv", "quarter,rev\n2023Q1,1250.50\n2023Q2,1302\n"),
        (
            "content/report.md",
            "---\ntitle: 营收\nlang: zh\n---\n\n营收 {{ data.q[0].rev | num(1) }} 亿元。\n\n| 季度 | 营收 |\n|---|---|\n{% for r in data.q %}| {{ r.quarter }} | {{ r.rev | num(0) }} |\n{% endfor %}\n\n```chart\nkind: bar\ndata: q\nx: quarter\ny: rev\nlabels: true\ncaption: 季度营收\nlabel: fig:rev\n```\n",
        ),
    ]);
    let result = crate::site::in_chromium_serving(
        &pptr,
        &f,
        &["--lineage"],
        r#"
  const out = { missing: [] };
  page.on('response', r => { if (r.status() >= 400) out.missing.push(r.url().replace(base, '')); });
  for (const w of [1280, 390]) {
    await page.setViewport({ width: w, height: 900 });
    await page.goto(base + '/report.html', { waitUntil: 'load' });
    const tip = () => page.$eval('#folio-source', t => t.hidden ? 'hidden' : t.textContent);
    await page.hover('p .v[data-info]');
    out[w + ' text'] = await tip();
    await page.focus('tr:nth-child(2) td:nth-child(2) .v[data-info]');
    out[w + ' cell'] = await tip();
    const box = w > 500 ? '.chart-wide' : '.chart-narrow';
    const label = await page.$(box + ' svg text.v');
    await label.click();
    await page.mouse.move(0, 0);
    out[w + ' chart'] = await tip();
    out[w + ' label'] = await page.evaluate(el => el.textContent, label);
    await page.keyboard.press('Escape');
    out[w + ' closed'] = await tip();
  }
  out.errors = errors;
  return out;
"#,
    );
    for w in [1280, 390] {
        assert_eq!(result[format!("{w} text")], "q.csv:1:revcontent/data/q.csv row 1, column rev (line 2): 1250.50", "{result}");
        assert_eq!(result[format!("{w} cell")], "q.csv:2:revcontent/data/q.csv row 2, column rev (line 3): 1302", "{result}");
        // A click keeps the label's cell open after the pointer leaves.
        assert_eq!(result[format!("{w} label")], "1,250.50", "{result}");
        assert_eq!(result[format!("{w} chart")], "q.csv:1:revcontent/data/q.csv row 1, column rev (line 2): 1250.50", "{result}");
        assert_eq!(result[format!("{w} closed")], "hidden", "{result}");
    }
    // Chromium asks for /favicon.ico by itself; the page asks for nothing missing.
    assert!(result["missing"].as_array().unwrap().iter().all(|m| m == "/favicon.ico"), "{result}");
    assert!(result["errors"].as_array().unwrap().iter().all(|e| e.as_str().unwrap().starts_with("Failed to load resource: the server responded with a status of 404")), "{result}");
}

/// `folio build --site --lineage --publish-changes` publishes the change
/// page of each report that changed since the build before, beside its
/// site page (same stylesheet, same links), and only while it is news.
#[test]
fn a_site_publishes_the_change_pages_of_what_changed_when_asked() {
    let f = Fixture::new(&[
        ("content/data/q.csv", "quarter,rev\n2023Q1,5\n"),
        ("content/a.md", "---\ntitle: A\nlang: en\n---\n\nRevenue was {{ data.q[0].rev }}.\n"),
        ("content/b.md", "---\ntitle: B\nlang: en\n---\n\nQuarter {{ data.q[0].quarter }}.\n"),
    ]);
    let publish = ["build", "--format", "html", "--site", "--lineage", "--publish-changes"];
    let site = f.root().join("output/site");
    f.folio(&publish).ok();
    // The first build has nothing to compare with.
    assert!(!site.join("a.changes.html").exists());
    f.write("content/data/q.csv", "quarter,rev\n2023Q1,7\n");
    f.folio(&publish).ok();
    let page = std::fs::read_to_string(site.join("a.changes.html")).unwrap();
    assert!(page.contains("<h2>1 change since the previous build</h2>"), "{page}");
    assert!(page.contains("<del class=\"folio-old\">5</del><span class=\"v folio-changed\" id=\"v0\""), "{page}");
    let css = |html: &str| html.split("rel=\"stylesheet\" href=\"").nth(1).and_then(|r| r.split('"').next()).map(|h| h.replace("&#x2f;", "/"));
    let report = std::fs::read_to_string(site.join("a.html")).unwrap();
    assert_eq!(css(&page), css(&report));
    assert!(css(&page).is_some_and(|href| site.join(&href).is_file()), "{page}");
    assert!(!site.join("b.changes.html").exists(), "b did not change");
    // The index and search list reports, not their change pages.
    assert!(!std::fs::read_to_string(site.join("index.html")).unwrap().contains("changes.html"));
    // Rebuilt with nothing changed since, the page goes.
    f.folio(&["build", "--format", "html", "--site", "--lineage", "--publish-changes", "--force"]).ok();
    assert!(!site.join("a.changes.html").exists());
    let run = f.folio(&["build", "--site", "--publish-changes"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--lineage"), "{}", run.stderr);
}
