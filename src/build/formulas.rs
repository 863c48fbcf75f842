//! Formulas a backend cannot typeset: each backend shows their TeX source
//! instead, and the build warns once per formula, at the formula.

use std::collections::HashSet;

use crate::diag::Diagnostic;
use crate::model::Document;
use crate::sourcemap::SourceMap;

pub(super) fn check(doc: &Document, map: &SourceMap, html: bool, pdf: bool) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (tex, display) in doc.formulas() {
        if !seen.insert((tex, display)) {
            continue;
        }
        let mut why = Vec::new();
        if let (true, Err(e)) = (pdf, crate::pdf::math::to_typst(tex)) {
            why.push(format!("the PDF shows it as TeX: {e}"));
        }
        if let (true, Err(e)) = (html, crate::html::math::to_mathml(tex, display)) {
            why.push(format!("the HTML shows it as TeX: {e}"));
        }
        if why.is_empty() {
            continue;
        }
        let shown: String = tex.trim().chars().take(60).collect();
        let mut d = Diagnostic::warning(format!("formula `{shown}` cannot be typeset"));
        if let Some(loc) = map.locate(tex, 0) {
            d = d.at(loc);
        }
        for w in why {
            d = d.hint(w);
        }
        out.push(d.hint("use the commands of LaTeX's amsmath (README, \"Math\"); document commands such as \\newcommand have no place in a formula"));
    }
    out
}
