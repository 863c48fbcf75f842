//! TeX math for the PDF: mitex translates it to typst math, whose names
//! typst lacks are defined in `math_scope.typ`. Before a translation reaches
//! a compile it is parsed with typst's own parser and checked: only math,
//! names that are defined, and the calls mitex makes from code for text
//! (`#textmath[…]`, `#textbf[…]`, …). A formula that fails the check is
//! shown as its TeX source, with a warning from the build.

use typst_syntax::{SyntaxKind, SyntaxNode};

/// The definitions each formula imports, and their virtual path.
pub const SCOPE: &str = include_str!("math_scope.typ");
pub const SCOPE_PATH: &str = "/folio-math.typ";

/// mitex's spellings of symbols that typst (0.14, 0.15) renamed.
const RENAMED: [(&str, &str); 34] = [
    ("angle.l", "chevron.l"), ("angle.r", "chevron.r"), ("dot.circle", "dot.o"), ("dot.circle.big", "dot.o.big"),
    ("plus.circle", "plus.o"), ("plus.circle.big", "plus.o.big"), ("times.circle", "times.o"),
    ("times.circle.big", "times.o.big"), ("minus.circle", "minus.o"), ("sect", "inter"), ("sect.big", "inter.big"),
    ("sect.double", "inter.double"), ("sect.sq", "inter.sq"), ("planck.reduce", "planck"), ("ohm.inv", "Omega.inv"),
    ("diff", "partial"), ("bracket.l.double", "bracket.stroked.l"), ("bracket.r.double", "bracket.stroked.r"),
    ("ast.circle", "ast.o"), ("circle.nested", "compose.o"), ("dash.circle", "dash.o"),
    ("arrow.l.dash", "arrow.l.dashed"), ("arrow.r.dash", "arrow.r.dashed"), ("gt.tri", "gt.closed"),
    ("gt.tri.eq", "gt.closed.eq"), ("gt.tri.eq.not", "gt.closed.eq.not"), ("gt.tri.not", "gt.closed.not"),
    ("lt.tri", "lt.closed"), ("lt.tri.eq", "lt.closed.eq"), ("lt.tri.eq.not", "lt.closed.eq.not"),
    ("lt.tri.not", "lt.closed.not"), ("join", "bowtie.big"), ("tack.r.double", "tack.rr"),
    ("tack.r.double.not", "tack.rr.not"),
];

/// What mitex calls from code: text inside a formula, and a formula inside
/// that text. Its other calls (`\ref`, `\cite`, `\footnote`, images,
/// headings) have no place in a formula.
const CODE_CALLS: [&str; 12] = [
    "textmath", "textbf", "textit", "textrm", "textup", "textnormal", "textmd", "texttt", "textsf", "emph",
    "strong", "math.equation",
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
    if let Some(why) = crate::core::tex_guard::refusal(tex) {
        return Err(why);
    }
    // mitex's parser can panic on odd input (an unmatched checkpoint in
    // rowan, found by fuzz/fuzz_targets/formula.rs): a formula, not folio,
    // fails then.
    let code = std::panic::catch_unwind(|| mitex::convert_math(tex, None))
        .map_err(|_| "the TeX translator failed on it".to_string())?
        .map_err(|e| e.trim_start_matches("error: ").to_string())?;
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
        SyntaxKind::MathIdent => {
            // A function where typst wants content (`\left\right\frac`
            // puts a bare `frac` inside `lr(…)`): typst would stop there.
            if is_function(node.leaf_text()) {
                return Err(format!("`{}` is missing an argument", node.leaf_text()));
            }
            math_name(node.leaf_text(), out)
        }
        SyntaxKind::MathFieldAccess => math_name(&node.full_text(), out),
        SyntaxKind::MathAlignPoint if in_cases => {
            out.push_str("& quad ");
            Ok(())
        }
        SyntaxKind::MathCall => {
            let callee = node.children().next().map(|c| c.full_text()).unwrap_or_default();
            let given = node.children().nth(1).map_or(0, positional_args);
            if given < min_args(&callee) {
                return Err(format!("`{callee}` is missing an argument"));
            }
            let cases = matches!(callee.as_str(), "cases" | "rcases");
            // The callee is the one place a function's name stands alone.
            let mut children = node.children();
            match children.next() {
                Some(c) if matches!(c.kind(), SyntaxKind::MathIdent | SyntaxKind::MathFieldAccess) => math_name(&c.full_text(), out)?,
                Some(c) => rewrite(c, cases, out)?,
                None => {}
            }
            children.try_for_each(|c| rewrite(c, cases, out))
        }
        SyntaxKind::FuncCall => {
            let callee = node.children().next().map(|c| c.full_text()).unwrap_or_default();
            if !CODE_CALLS.contains(&callee.as_str()) {
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

/// How many positional arguments a call in math needs: mitex writes a
/// call for a command given too few (`\frac+` becomes `frac(+)`).
fn min_args(callee: &str) -> usize {
    const TWO: [&str; 16] = [
        "frac", "binom", "dfrac", "tfrac", "cfrac", "dbinom", "tbinom", "overset", "underset", "stackrel", "colortext",
        "mitexcolor", "colorbox", "raisebox", "atop", "brack",
    ];
    const ANY: [&str; 12] =
        ["matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix", "mitexarray", "cases", "rcases", "mat", "vec"];
    if TWO.contains(&callee) {
        2
    } else if ANY.contains(&callee) {
        0
    } else {
        1
    }
}

/// typst's math functions that are not also symbols (`hat`, `dot` and the
/// other accents are symbols when they stand alone).
const MATH_FUNCTIONS: [&str; 54] = [
    "accent", "attach", "scripts", "limits", "stretch", "lr", "mid", "abs", "norm", "floor", "ceil", "round", "sqrt", "root",
    "frac", "binom", "cancel", "class", "equation", "mat", "vec", "cases", "op", "primes", "display", "inline", "script",
    "sscript", "serif", "sans", "frak", "mono", "bb", "cal", "scr", "upright", "italic", "bold", "underline", "overline",
    "underbrace", "overbrace", "underbracket", "overbracket", "underparen", "overparen", "undershell", "overshell", "text",
    "box", "block", "h", "v", "move",
];

/// Whether `name` is a function of typst's math or of folio's math scope.
fn is_function(name: &str) -> bool {
    static SCOPE_FUNCTIONS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        SCOPE.lines().filter_map(|l| l.strip_prefix("#let ")?.split_once('(').map(|(n, _)| n)).filter(|n| !n.contains([' ', '='])).collect()
    });
    MATH_FUNCTIONS.contains(&name) || SCOPE_FUNCTIONS.contains(&name)
}

/// Positional arguments in a call's argument list (named ones do not count).
fn positional_args(args: &SyntaxNode) -> usize {
    let mut count = 0;
    let mut current = false;
    for c in args.children() {
        match c.kind() {
            SyntaxKind::LeftParen | SyntaxKind::RightParen | SyntaxKind::Space | SyntaxKind::Named => {}
            SyntaxKind::Comma | SyntaxKind::Semicolon => {
                count += usize::from(current);
                current = false;
            }
            _ => current = true,
        }
    }
    count + usize::from(current)
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
    fn a_translator_panic_fails_the_formula() {
        // Found by fuzz/fuzz_targets/formula.rs: mitex's parser panics here.
        assert_eq!(to_typst("gneb{al_____be__________\\over\u{0}~Sb}sA").unwrap_err(), "the TeX translator failed on it");
    }

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
        assert_eq!(to_typst(r"\frac+").unwrap_err(), "`frac` is missing an argument");
        assert!(to_typst(r"\frac{a}{b} \sqrt[3]{x} \begin{pmatrix}\end{pmatrix}").is_ok());
        // Found by the property test: a function with no call at all.
        assert_eq!(to_typst(r"\left\right\alpha\left\right\frac").unwrap_err(), "`frac` is missing an argument");
        assert!(to_typst(r"\hat{x} + \dot{y} \cdot \tilde{z}").is_ok());
    }

    /// Every function of typst's math module that is not a symbol is known
    /// as one (a new typst that adds one fails here, not in a user's build).
    #[cfg(feature = "pdf")]
    #[test]
    fn every_math_function_of_typst_is_known() {
        use typst::foundations::Value;
        let library = <typst::Library as typst::LibraryExt>::builder().build();
        let functions: Vec<String> =
            library.math.scope().iter().filter(|(_, b)| matches!(b.read(), Value::Func(_))).map(|(name, _)| name.to_string()).collect();
        assert!(functions.iter().any(|f| f == "frac") && functions.len() > 30, "{functions:?}");
        let missing: Vec<&String> = functions.iter().filter(|name| !is_function(name)).collect();
        assert!(missing.is_empty(), "{missing:?}");
    }
}
