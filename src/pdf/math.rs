//! TeX math for the PDF: mitex translates it to typst math, whose names
//! typst lacks are defined in `math_scope.typ`. Before a translation reaches
//! a compile it is parsed with typst's own parser and checked: only math,
//! names that are defined, and the two calls mitex makes from code
//! (`#textmath[…]`, `#math.equation(…)`). A formula that fails the check is
//! shown as its TeX source, with a warning from the build.

use typst_syntax::{SyntaxKind, SyntaxNode};

/// The definitions body parts with a formula import, and their virtual path.
pub const SCOPE: &str = include_str!("math_scope.typ");
pub const SCOPE_PATH: &str = "/folio-math.typ";

/// mitex's spellings of symbols that typst (0.14, 0.15) renamed.
const RENAMED: [(&str, &str); 31] = [
    ("angle.l", "chevron.l"), ("angle.r", "chevron.r"), ("dot.circle", "dot.o"), ("dot.circle.big", "dot.o.big"),
    ("plus.circle", "plus.o"), ("plus.circle.big", "plus.o.big"), ("times.circle", "times.o"),
    ("times.circle.big", "times.o.big"), ("minus.circle", "minus.o"), ("sect", "inter"), ("sect.big", "inter.big"),
    ("sect.double", "inter.double"), ("sect.sq", "inter.sq"), ("planck.reduce", "planck"), ("ohm.inv", "Omega.inv"),
    ("diff", "partial"), ("bracket.l.double", "bracket.stroked.l"), ("bracket.r.double", "bracket.stroked.r"),
    ("ast.circle", "ast.o"), ("circle.nested", "compose.o"), ("dash.circle", "dash.o"),
    ("arrow.l.dash", "arrow.l.dashed"), ("arrow.r.dash", "arrow.r.dashed"), ("gt.tri", "gt.closed"),
    ("gt.tri.eq", "gt.closed.eq"), ("gt.tri.eq.not", "gt.closed.eq.not"), ("gt.tri.not", "gt.closed.not"),
    ("lt.tri", "lt.closed"), ("lt.tri.eq", "lt.closed.eq"), ("lt.tri.eq.not", "lt.closed.eq.not"),
    ("lt.tri.not", "lt.closed.not"),
];

/// Names mitex can write that neither typst's math nor the scope defines:
/// document-level TeX (preamble, conditionals, definitions) with no place
/// in a formula, and `set`, a typst keyword.
const UNDEFINED: [&str; 66] = [
    "AtBeginDocument", "AtEndDocument", "AtEndOfClass", "AtEndOfPackage", "CheckCommand", "CurrentOption",
    "DeclareOption", "DeclareRobustCommand", "DeclareTextCommand", "DeclareTextCommandDefault", "ExecuteOptions",
    "IfFileExists", "InputIfFileExists", "LoadClass", "LoadClassWithOptions", "PassOptionsToClass",
    "PassOptionsToPackage", "ProcessOptions", "ProvideTextCommand", "ProvideTextCommandDefault", "ProvidesClass",
    "ProvidesFile", "RequirePackage", "RequirePackageWithOptions", "begingroup", "def", "documentclass",
    "enumerate", "expandafter", "figure", "hskip", "if", "ifdim", "iffalse", "ifhbox", "ifhmode", "ifinner",
    "ifmmode", "ifnum", "ifodd", "iftrue", "ifvbox", "ifvmode", "ifvoid", "ifx", "ignorespaces",
    "ignorespacesafterend", "item", "itemize", "kern", "mkern", "mskip", "newcommand", "newcounter",
    "newenvironment", "newfont", "newlength", "newsavebox", "newtheorem", "noexpand", "providecommand", "relax",
    "renewcommand", "renewenvironment", "set", "table",
];

/// Typst math (without the `$`s) for `tex`, or why it cannot be typeset.
pub fn to_typst(tex: &str) -> Result<String, String> {
    if let Some(why) = crate::text::tex_refusal(tex) {
        return Err(why);
    }
    let code = mitex::convert_math(tex, None).map_err(|e| e.trim_start_matches("error: ").to_string())?;
    let wrapped = format!("${code}$");
    let root = typst_syntax::parse(&wrapped);
    if let Some(e) = root.errors_and_warnings().0.first() {
        return Err(format!("its translation does not parse ({})", e.message));
    }
    let mut out = String::with_capacity(wrapped.len());
    rewrite(&root, false, &mut out)?;
    Ok(out.trim_start_matches('$').trim_end_matches('$').to_string())
}

/// Copies `node`'s text, renaming symbols and refusing what must not run.
/// In `cases`, TeX puts a quad between a value and its condition; typst's
/// alignment points put nothing, so the quad is added.
fn rewrite(node: &SyntaxNode, in_cases: bool, out: &mut String) -> Result<(), String> {
    match node.kind() {
        SyntaxKind::MathIdent => math_name(node.leaf_text(), out),
        SyntaxKind::MathFieldAccess => math_name(&node.full_text(), out),
        SyntaxKind::MathAlignPoint if in_cases => {
            out.push_str("& quad ");
            Ok(())
        }
        SyntaxKind::MathCall => {
            let cases = node.children().next().is_some_and(|c| matches!(c.full_text().as_str(), "cases" | "rcases"));
            node.children().try_for_each(|c| rewrite(c, cases, out))
        }
        SyntaxKind::FuncCall => {
            let callee = node.children().next().map(|c| c.full_text()).unwrap_or_default();
            if callee != "textmath" && callee != "math.equation" {
                return Err(format!("its translation calls `{callee}`"));
            }
            out.push_str(&callee);
            node.children().skip(1).try_for_each(|c| rewrite(c, false, out))
        }
        SyntaxKind::Named => {
            // The key is a name, not a variable.
            let mut it = node.children();
            if let Some(key) = it.next() {
                out.push_str(&key.full_text());
            }
            it.try_for_each(|c| rewrite(c, in_cases, out))
        }
        SyntaxKind::Ident | SyntaxKind::FieldAccess => Err(format!("its translation uses `{}`", node.full_text())),
        _ if node.children().len() == 0 => {
            out.push_str(node.leaf_text());
            Ok(())
        }
        _ => node.children().try_for_each(|c| rewrite(c, in_cases, out)),
    }
}

fn math_name(name: &str, out: &mut String) -> Result<(), String> {
    let name = RENAMED.iter().find(|(old, _)| *old == name).map_or(name, |(_, new)| new);
    if UNDEFINED.contains(&name) {
        return Err(format!("`\\{name}` has no meaning in a formula"));
    }
    out.push_str(name);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_renames_and_refuses() {
        assert_eq!(to_typst(r"\frac{a}{b}").unwrap().trim(), "frac(a ,b )");
        assert!(to_typst(r"a \oplus b").unwrap().contains("plus.o"));
        assert!(to_typst(r"\langle x \rangle").unwrap().contains("chevron.l"));
        assert_eq!(to_typst(r"\set{x}").unwrap_err(), "`\\set` has no meaning in a formula");
        assert_eq!(to_typst(r"\mbox{x}").unwrap_err(), "unknown command: \\mbox");
        // Text is escaped by mitex; the check would refuse anything else.
        let t = to_typst(r#"\text{]; #panic("x") [}"#).unwrap();
        assert!(t.starts_with("#textmath["), "{t}");
        assert!(to_typst(&format!("{}x{}", "{".repeat(40), "}".repeat(40))).is_err());
    }
}
