//! Formulas a backend cannot typeset: the HTML has typst draw what MathML
//! cannot express; what is left shows as its TeX source, and the build
//! warns once per formula, at the formula.

use std::collections::HashSet;

use crate::build::backend::{Backend, Fallback};
use crate::core::diag::Diagnostic;
use crate::doc::Document;
use crate::core::sourcemap::SourceMap;

/// Warnings for the formulas of `doc` that a backend cannot typeset; one a
/// backend asks to have drawn is drawn as SVG by `draw` (for the HTML: what
/// MathML cannot express but typst can).
pub(super) fn check(
    doc: &mut Document,
    map: &SourceMap,
    backends: &[&dyn Backend],
    draw: &dyn Fn(&str, bool) -> Option<String>,
) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut drawn = Vec::new();
    for (tex, display) in doc.formulas() {
        if !seen.insert((tex, display)) {
            continue;
        }
        let mut why = Vec::new();
        let typst = crate::pdf::math::to_typst(tex);
        for fallback in backends.iter().filter_map(|b| b.formula(tex, display, &typst)) {
            match fallback {
                Fallback::Tex(reason) => why.push(reason),
                Fallback::Drawn(reason) => match typst.as_ref().ok().and_then(|m| draw(m, display)) {
                    Some(svg) => drawn.push(((tex.to_string(), display), svg)),
                    None => why.push(reason),
                },
            }
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
    doc.math_svg.extend(drawn);
    out
}
