//! Formulas a backend cannot typeset: the HTML has typst draw what MathML
//! cannot express; what is left shows as its TeX source, and the build
//! warns once per formula, at the formula.

use std::collections::HashSet;

use crate::build::backend::{Backend, Fallback};
use crate::build::tex_names::COMMON;
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
        let shown: String = tex.trim().chars().take(60).collect();
        // Found only for a formula that needs saying: a search per formula
        // would make a long, formula-rich document quadratic.
        let place = || map.locate(tex, 0);
        // Past the guard's bounds (depth, length, self-reference) a formula
        // is shown as its TeX with a warning; within them, what no output
        // can typeset is a typo.
        let bounded = crate::core::tex_guard::checked(tex).is_none();
        // Braces that do not pair: TeX refuses it, a translator guesses.
        if let Some(wrong) = unbalanced(tex).filter(|_| bounded) {
            let mut d = Diagnostic::error(format!("formula `{shown}` has {wrong}"));
            if let Some(loc) = place() {
                d = d.at(loc);
            }
            out.push(d.hint("close every `{` with `}` and every `\\left` with a `\\right` (`\\right.` closes with nothing)"));
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
        // No output can typeset it: a typo, not a limit of one backend.
        let none_can = bounded && why.len() == backends.len();
        let mut d = if none_can { Diagnostic::error(format!("formula `{shown}` cannot be typeset by any output")) } else { Diagnostic::warning(format!("formula `{shown}` cannot be typeset")) };
        if let Some(loc) = place() {
            d = d.at(loc);
        }
        for w in why {
            d = d.hint(w);
        }
        for name in commands(tex).filter(|n| !COMMON.contains(n)) {
            if let Some(near) = crate::core::text::closest(name, COMMON.iter().copied()) {
                d = d.hint(format!("did you mean `\\{near}`?"));
            }
        }
        out.push(d.hint("use the commands of LaTeX's amsmath (README, \"Math\"); document commands such as \\newcommand have no place in a formula"));
    }
    doc.math_svg.extend(drawn);
    out
}

/// The command names of `tex` (`\\frac` → `frac`).
fn commands(tex: &str) -> impl Iterator<Item = &str> {
    tex.match_indices('\\').filter_map(move |(i, _)| {
        let name = &tex[i + 1..];
        let end = name.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(name.len());
        (end > 0).then(|| &name[..end])
    })
}

/// What does not pair in `tex`: a `{` left open, a `}` with none open, a
/// `\\left` without its `\\right` (or the other way).
fn unbalanced(tex: &str) -> Option<&'static str> {
    let mut depth: i64 = 0;
    let mut chars = tex.chars();
    while let Some(c) = chars.next() {
        match c {
            // `\{`, `\}` and `\\` are characters, not groups.
            '\\' => {
                chars.next();
            }
            '{' => depth += 1,
            '}' if depth == 0 => return Some("a `}` that closes nothing"),
            '}' => depth -= 1,
            _ => {}
        }
    }
    if depth > 0 {
        return Some("a `{` that is never closed");
    }
    let (lefts, rights) = (commands(tex).filter(|c| *c == "left").count(), commands(tex).filter(|c| *c == "right").count());
    match lefts.cmp(&rights) {
        std::cmp::Ordering::Greater => Some("a `\\left` without its `\\right`"),
        std::cmp::Ordering::Less => Some("a `\\right` without its `\\left`"),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_and_delimiters_pair() {
        assert_eq!(unbalanced(r"\left( \frac{V_T}{V_0} \right)^{1/T - 1"), Some("a `{` that is never closed"));
        assert_eq!(unbalanced(r"a}"), Some("a `}` that closes nothing"));
        assert_eq!(unbalanced(r"\left( x"), Some("a `\\left` without its `\\right`"));
        assert_eq!(unbalanced(r"\{x\} \leftarrow \left. y \right|"), None);
        assert_eq!(commands(r"\fracc{a}{b} + \\ \alpha").collect::<Vec<_>>(), ["fracc", "alpha"]);
    }
}
