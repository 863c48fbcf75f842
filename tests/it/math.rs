//! TeX math in both outputs: the equations of well-known papers
//! (tests/data/math/formulas.md) typeset in the PDF (mitex → typst) and
//! become MathML in the HTML (math-core), with the TeX kept; every name
//! folio's math scope defines typesets; a formula neither converter knows
//! is shown as its source with a warning at its line.

use crate::common::*;

fn corpus() -> Fixture {
    Fixture::new(&[("content/formulas.md", include_str!("../data/math/formulas.md"))])
}

#[test]
fn formulas_of_real_papers_typeset_in_the_pdf_and_become_mathml() {
    let f = corpus();
    let run = f.folio(&["build"]).ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    let text = f.pdf_text("formulas.pdf");
    // Typeset, not TeX: operator names upright, blackboard bold, big operators, partials.
    for typeset in ["Attention(𝑄,𝐾,𝑉)=softmax", "MultiHead", "ℝ", "∑", "∏", "𝜕𝑤", "𝔼[𝑅", "Cov(𝑅", "lim", "otherwise"] {
        assert!(text.contains(typeset), "{typeset} missing from the PDF: {text}");
    }
    for source in ["\\frac", "\\operatorname", "\\begin", "\\mathbb", "\\left"] {
        assert!(!text.contains(source), "TeX source {source} in the PDF: {text}");
    }
    // Labelled equations are numbered in both outputs.
    assert!(text.contains("(1)") && text.contains("(4)"), "{text}");

    let html = f.html("formulas.html");
    let annotations = select_text(&html, "math annotation[encoding='application/x-tex']");
    assert_eq!(annotations.len(), 14, "{annotations:?}");
    assert!(annotations.iter().any(|a| a.starts_with("\\operatorname{Attention}(Q, K, V)")), "{annotations:?}");
    assert_eq!(select_text(&html, "code.math").len(), 0, "a formula was left as TeX");
    assert_eq!(select_text(&html, ".math.display .eqno"), ["(1)", "(2)", "(3)", "(4)"]);
    let source = f.html_source("formulas.html");
    assert!(source.contains("<mfrac>") && source.contains("<munderover>") && source.contains("𝔼"), "no MathML structure");
    assert!(source.contains("alttext=\"\\frac{\\partial w}{\\partial t}"), "the TeX is not the alt text");
    // On a phone, a wide formula scrolls in its own box: the page does not
    // scroll sideways, and the equation number is not drawn over it.
    let probe = "(function(){var d=document.querySelector('[id=\\'eq:bs\\']');var m=d.querySelector('math').getBoundingClientRect(),n=d.querySelector('.eqno').getBoundingClientRect();return [document.documentElement.scrollWidth<=document.documentElement.clientWidth, d.scrollWidth>d.clientWidth, m.right<=n.left].join(',')})()";
    if let Some(v) = chromium_probe(&source, 390, probe) {
        assert_eq!(v, "true,true,true");
    }
    // The math font the stylesheet loads is written beside the page.
    let font = std::fs::read(f.out("folio-math.otf")).unwrap();
    assert!(font.starts_with(b"OTTO"), "not an OpenType font");
}

#[test]
fn every_name_of_the_math_scope_typesets_without_a_warning() {
    let f = Fixture::new(&[("content/commands.md", include_str!("../data/math/commands.md"))]);
    let run = f.folio(&["build"]).ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let text = f.pdf_text("commands.pdf");
    assert!(!text.contains('\\'), "a formula was shown as TeX: {text}");
    assert!(text.contains("argmax") && text.contains("⟨𝑥|𝑦⟩") && text.contains("中文"), "{text}");
    // In the HTML, what MathML cannot express typst draws: an SVG image
    // with the TeX as its alt text; nothing is left as TeX source.
    let html = f.html("commands.html");
    assert_eq!(select_text(&html, "code.math").len() + select_text(&html, ".math.display > code").len(), 0);
    let drawn: Vec<String> = html
        .select(&scraper::Selector::parse("img.math-drawn").unwrap())
        .map(|i| i.value().attr("alt").unwrap().to_string())
        .collect();
    assert!(drawn.iter().any(|a| a.starts_with("\\boxed{x}")), "{drawn:?}");
    let src = html.select(&scraper::Selector::parse("img.math-drawn").unwrap()).next().unwrap().value().attr("src").unwrap().to_string();
    use base64::Engine as _;
    let svg = base64::engine::general_purpose::STANDARD.decode(src.strip_prefix("data:image/svg+xml;base64,").unwrap()).unwrap();
    let svg = String::from_utf8(svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<path"), "{}", &svg[..svg.len().min(200)]);
}

#[test]
fn a_formula_no_output_can_typeset_is_an_error_at_its_line_with_a_did_you_mean() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: M\nlang: en\n---\n\nFine: $a^2$.\n\nUnknown: $\\fracc{x}{2} + 1$ here.\n",
    )]);
    let run = f.folio(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr.trim_end(), @r#"
    error: formula `\fracc{x}{2} + 1` cannot be typeset by any output
     --> content/report.md:8:11
      |
    8 | Unknown: $\fracc{x}{2} + 1$ here.
      |           ^^^^^^^^^^^^^^^^
      = hint: the HTML shows it as TeX: Unknown command "\fracc".
      = hint: the PDF shows it as TeX: unknown command: \fracc
      = hint: did you mean `\frac`?
      = hint: use the commands of LaTeX's amsmath (README, "Math"); document commands such as \newcommand have no place in a formula
    build failed with 1 error(s); no output was written
    "#);
    assert!(!f.out("report.pdf").exists());
}

#[test]
fn a_formula_whose_braces_do_not_pair_is_an_error() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: M\nlang: en\n---\n\n$$\\left( \\frac{V_T}{V_0} \\right)^{1/T - 1$$\n",
    )]);
    let run = f.folio(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error: formula `\\left( \\frac{V_T}{V_0} \\right)^{1/T - 1` has a `{` that is never closed\n --> content/report.md:6:3\n"), "{}", run.stderr);
}

#[test]
fn text_in_a_formula_cannot_run_as_typst() {
    let f = Fixture::new(&[(
        "content/report.md",
        "---\ntitle: M\nlang: en\n---\n\n$$\\text{]; #panic(\"x\") [} + \\text{$#read(\"/etc/passwd\")$}$$\n",
    )]);
    f.folio(&["build", "--format", "pdf"]).ok();
    let text = f.pdf_text("report.pdf");
    assert!(text.contains("];#panic(\"x\")["), "{text}");
    assert!(!text.contains("root:"), "{text}");
}
