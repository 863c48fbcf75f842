//! The messy-cell corpus (tests/data/cells/messy.tsv): each spelling a CSV
//! cell arrives in, what a plain `{{ r.v }}` prints and what `num(2)` prints,
//! or that `num(2)` is an error naming the cell. Each cell is a file of its
//! own, so no cell's reading depends on another's.

use crate::common::{select_text, Fixture};

struct Case {
    cell: String,
    printed: String,
    num2: Option<String>,
}

fn corpus() -> Vec<Case> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cells/messy.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() == 5 && ["exact", "text", "respelled", "error"].contains(&f[3]), "{l}");
            Case { cell: f[0].into(), printed: f[1].into(), num2: (f[2] != "ERROR").then(|| f[2].into()) }
        })
        .collect()
}

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[test]
fn every_messy_cell_prints_as_the_corpus_says() {
    let cases = corpus();
    assert!(cases.len() >= 60, "the corpus holds {} cells", cases.len());
    let mut files: Vec<(String, String)> = cases.iter().enumerate().map(|(i, c)| (format!("content/data/c{i}.csv"), format!("v,k\n{},x\n", csv_cell(&c.cell)))).collect();
    let body: String = (0..cases.len()).map(|i| format!("⟦{{{{ data.c{i}[0].v }}}}⟧\n")).collect();
    files.push(("content/report.md".into(), format!("---\ntitle: Cells\nlang: en\n---\n\n{body}")));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let f = Fixture::new(&refs);
    f.folio(&["build", "--format", "html"]).ok();
    let text = select_text(&f.html("report.html"), "main p").join(" ");
    let printed: Vec<&str> = text.split('⟦').skip(1).map(|s| s.split('⟧').next().unwrap()).collect();
    assert_eq!(printed.len(), cases.len());
    let mut wrong = Vec::new();
    for (c, got) in cases.iter().zip(&printed) {
        if *got != c.printed {
            wrong.push(format!("`{}` printed `{got}`, expected `{}`", c.cell, c.printed));
        }
    }
    for (i, c) in cases.iter().enumerate() {
        f.write("content/report.md", &format!("---\ntitle: Cells\nlang: en\n---\n\n⟦{{{{ data.c{i}[0].v | num(2) }}}}⟧\n"));
        let run = f.folio(&["build", "--format", "html"]);
        match &c.num2 {
            Some(expected) => {
                let got = select_text(&f.html("report.html"), "main p").join(" ");
                if run.code != 0 || got != format!("⟦{expected}⟧") {
                    wrong.push(format!("`{}` | num(2) gave `{got}` ({}), expected `{expected}`", c.cell, run.stderr.lines().next().unwrap_or("")));
                }
            }
            None => {
                let names_cell = run.stderr.contains(&format!("content/data/c{i}.csv:2:"));
                if run.code == 0 || !run.stderr.contains("error:") || !names_cell {
                    wrong.push(format!("`{}` | num(2) should be an error naming content/data/c{i}.csv:2: {}", c.cell, run.stderr));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {} cells:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}
