//! What a formula may be before any TeX translator sees it. The translators
//! (mitex, math-core) and typst's layout recurse once per level of nesting,
//! and a macro may expand without end: a formula must not overflow the
//! stack, hang or exhaust memory. Nesting is counted as the translators
//! would nest: groups, `\left…\right`, environments, and arguments given
//! without braces (`\sqrt\sqrt x`, `\frac1\frac1…`, `x^^^`).

/// Deepest nesting of TeX math that folio translates.
pub const MAX_TEX_DEPTH: usize = 32;

/// Longest formula, in bytes.
pub const MAX_TEX_LEN: usize = 20_000;

/// Largest a formula may grow when its `\newcommand`s are expanded, in bytes.
const MAX_EXPANDED: usize = 100_000;

/// Commands whose argument may come without braces and so nest.
const TAKES_ARGUMENT: &[&str] = &[
    "frac", "dfrac", "tfrac", "cfrac", "binom", "dbinom", "tbinom", "sqrt", "overline", "underline", "overbrace", "underbrace",
    "hat", "widehat", "bar", "vec", "dot", "ddot", "dddot", "tilde", "widetilde", "check", "breve", "acute", "grave", "mathring",
    "mathbf", "mathrm", "mathit", "mathbb", "mathcal", "mathfrak", "mathsf", "mathtt", "mathscr", "boldsymbol", "bm", "text",
    "textbf", "textit", "textrm", "operatorname", "boxed", "cancel", "bcancel", "xcancel", "stackrel", "overset", "underset",
    "substack", "pmod", "color", "textcolor", "phantom", "hphantom", "vphantom", "mathop", "mathrel", "mathbin", "overrightarrow",
    "overleftarrow", "xrightarrow", "xleftarrow", "not", "displaystyle", "textstyle", "scriptstyle", "lim", "sum", "prod", "int",
];

/// Commands that define macros.
const DEFINES: &[&str] = &["newcommand", "renewcommand", "providecommand", "def", "DeclareMathOperator"];

/// Why `tex` is not translated, if it is not. A fault in the checks
/// refuses the formula rather than failing the build.
pub fn refusal(tex: &str) -> Option<String> {
    std::panic::catch_unwind(|| checked(tex)).unwrap_or_else(|_| Some("folio could not check it".into()))
}

/// `refusal` without the catch: the fuzz target calls it, so that a fault
/// in the checks is found, not hidden.
pub fn checked(tex: &str) -> Option<String> {
    if tex.trim().is_empty() {
        return Some("the formula is empty".into());
    }
    if tex.len() > MAX_TEX_LEN {
        return Some(format!("it is longer than {MAX_TEX_LEN} characters"));
    }
    if let Some(why) = too_deep(tex) {
        return Some(why);
    }
    macros(tex)
}

#[derive(PartialEq)]
enum Last {
    Nothing,
    /// A command that takes an argument, or `^`/`_`.
    Wants,
    /// Anything else: a character or another command.
    Other,
}

/// The nesting the translators would meet, if over the bound.
fn too_deep(tex: &str) -> Option<String> {
    let b = tex.as_bytes();
    let (mut braces, mut lefts, mut envs, mut run) = (0usize, 0usize, 0usize, 0usize);
    let mut last = Last::Nothing;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'{' => {
                braces += 1;
                run = 0;
                last = Last::Nothing;
            }
            b'}' => {
                braces = braces.saturating_sub(1);
                run = 0;
                last = Last::Other;
            }
            b'^' | b'_' => {
                run += 1;
                last = Last::Wants;
            }
            b'\\' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j].is_ascii_alphabetic() {
                    j += 1;
                }
                // `\\`, `\{` and the like: one character.
                let word = if j == start { "" } else { &tex[start..j] };
                i = if j == start { (start + 1).min(b.len()) } else { j } - 1;
                match word {
                    "left" => lefts += 1,
                    "right" => lefts = lefts.saturating_sub(1),
                    "begin" => envs += 1,
                    "end" => envs = envs.saturating_sub(1),
                    w if TAKES_ARGUMENT.contains(&w) => {
                        run += 1;
                        last = Last::Wants;
                    }
                    _ => {
                        // An argument of the command before it keeps the run.
                        if last != Last::Wants {
                            run = 0;
                        }
                        last = Last::Other;
                    }
                }
            }
            c if c.is_ascii_whitespace() => {}
            _ => {
                if last != Last::Wants {
                    run = 0;
                }
                last = Last::Other;
            }
        }
        if braces + lefts + envs + run > MAX_TEX_DEPTH {
            return Some(format!("it nests more than {MAX_TEX_DEPTH} deep (groups, \\left…\\right, environments and arguments without braces, counted together)"));
        }
        i += 1;
    }
    None
}

/// The `{…}` group starting at `b[i]` (which must be `{`): its end, after
/// `}`. An escaped brace (`\{`, `\}`) is no group's (found by
/// fuzz/fuzz_targets/formula.rs: a body ended early at `\}` hid its use of
/// itself).
fn group_end(b: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut k = i;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k + 1);
                }
            }
            _ => {}
        }
        k += 1;
    }
    None
}

/// The `\name`s used in `text`.
fn commands(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            let mut j = i + 1;
            while j < b.len() && b[j].is_ascii_alphabetic() {
                j += 1;
            }
            if j > i + 1 {
                out.push(&text[i + 1..j]);
            }
            i = j.max(i + 2);
        } else {
            i += 1;
        }
    }
    out
}

/// A macro that refers to itself, directly or through others, or expands
/// past the bound.
fn macros(tex: &str) -> Option<String> {
    if !DEFINES.iter().any(|d| tex.contains(&format!("\\{d}"))) {
        return None;
    }
    // name -> body
    let mut defs: Vec<(String, String)> = Vec::new();
    let b = tex.as_bytes();
    let mut i = 0;
    while let Some(at) = tex[i..].find('\\').map(|k| k + i) {
        let word: String = tex[at + 1..].chars().take_while(char::is_ascii_alphabetic).collect();
        // Past the backslash and its word (ASCII): always a char boundary.
        i = at + 1 + word.len();
        if !DEFINES.contains(&word.as_str()) {
            continue;
        }
        // The name: `{\name}` or `\name` (after `*`, as in
        // `\DeclareMathOperator*`).
        let mut k = i;
        if b.get(k) == Some(&b'*') {
            k += 1;
        }
        while k < b.len() && b[k].is_ascii_whitespace() {
            k += 1;
        }
        let braced = b.get(k) == Some(&b'{');
        let spaces = |mut k: usize| {
            while b.get(k).is_some_and(u8::is_ascii_whitespace) {
                k += 1;
            }
            k
        };
        if braced {
            k = spaces(k + 1);
        }
        // A definition the guard cannot read is refused, never skipped
        // (`{ \R}` was, and hid a self-reference; found by the fuzz target).
        if b.get(k) != Some(&b'\\') {
            return Some(format!("the definition of \\{word} is not `\\{word}{{\\name}}[n]{{body}}`"));
        }
        let name: String = tex[k + 1..].chars().take_while(char::is_ascii_alphabetic).collect();
        if name.is_empty() {
            return Some(format!("the \\{word} names no macro (a macro's name is letters)"));
        }
        k += 1 + name.len();
        if braced {
            k = spaces(k);
            // `{\name}` and nothing else: mitex's macro engine panics on
            // less (found by fuzz/fuzz_targets/formula.rs).
            if b.get(k) != Some(&b'}') || name.is_empty() {
                return Some(format!("the definition of \\{word} is not `\\{word}{{\\name}}[n]{{body}}`"));
            }
            k += 1;
        }
        // Skip `[n]`, `[default]`, `#1#2` and spaces up to the body.
        loop {
            match b.get(k) {
                Some(c) if c.is_ascii_whitespace() => k += 1,
                Some(b'[') => {
                    while k < b.len() && b[k] != b']' {
                        k += 1;
                    }
                    k += 1;
                }
                Some(b'#') => {
                    k += 1;
                    while b.get(k).is_some_and(u8::is_ascii_digit) {
                        k += 1;
                    }
                }
                _ => break,
            }
        }
        // The body: a group, or else one token (`\newcommand{\R}\R` is
        // \R defined as itself; found by fuzz/fuzz_targets/formula.rs).
        let (body, end) = match b.get(k) {
            Some(b'{') => {
                let Some(end) = group_end(b, k) else { return Some(format!("the definition of \\{name} is not closed")) };
                (&tex[k + 1..end - 1], end)
            }
            Some(b'\\') => {
                // `\word`, or a backslash and one character (of any width).
                let rest = &tex[k + 1..];
                let word = rest.chars().take_while(char::is_ascii_alphabetic).count();
                let len = if word > 0 { word } else { rest.chars().next().map_or(0, char::len_utf8) };
                (&tex[k..k + 1 + len], k + 1 + len)
            }
            Some(_) => {
                let len = tex[k..].chars().next().map_or(1, char::len_utf8);
                (&tex[k..k + len], k + len)
            }
            None => return Some(format!("the definition of \\{name} has no body")),
        };
        // A definition that changes what the guard counts, or that defines
        // more when expanded, could grow without the bound seeing it (found
        // by fuzz/fuzz_targets/formula.rs: `\def\newcommand{…}`).
        if DEFINES.contains(&name.as_str()) || matches!(name.as_str(), "begin" | "end" | "left" | "right") {
            return Some(format!("it redefines \\{name}"));
        }
        if commands(body).iter().any(|c| DEFINES.contains(c)) {
            return Some(format!("the macro \\{name} defines macros itself"));
        }
        defs.push((name, body.to_string()));
        i = end;
    }
    // Expanded size by name, found depth-first; a name met again on the way is a cycle.
    fn size(name: &str, defs: &[(String, String)], on_path: &mut Vec<String>, known: &mut Vec<(String, usize)>) -> Result<usize, String> {
        if let Some((_, s)) = known.iter().find(|(n, _)| n == name) {
            return Ok(*s);
        }
        // Every definition of the name counts (a \renewcommand of one that
        // was harmless may refer to itself; found by the formula fuzz target).
        let body: String = defs.iter().filter(|(n, _)| n == name).map(|(_, b)| b.as_str()).collect();
        if body.is_empty() && !defs.iter().any(|(n, _)| n == name) {
            return Ok(name.len() + 1);
        }
        if on_path.iter().any(|n| n == name) {
            return Err(format!("the macro \\{name} refers to itself"));
        }
        on_path.push(name.to_string());
        let mut total = body.len();
        for used in commands(&body) {
            total = total.saturating_add(size(used, defs, on_path, known)?);
            if total > MAX_EXPANDED {
                return Err(format!("the macro \\{name} expands to more than {MAX_EXPANDED} characters"));
            }
        }
        on_path.pop();
        known.push((name.to_string(), total));
        Ok(total)
    }
    let mut known = Vec::new();
    for (name, _) in &defs {
        if let Err(why) = size(name, &defs, &mut Vec::new(), &mut known) {
            return Some(why);
        }
    }
    // Each use of a macro in the formula expands it.
    let mut total = tex.len();
    for used in commands(tex) {
        if let Some((_, s)) = known.iter().find(|(n, _)| n == used) {
            total = total.saturating_add(*s);
        }
    }
    (total > MAX_EXPANDED).then(|| format!("its macros expand to more than {MAX_EXPANDED} characters"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_formulas_pass() {
        for tex in [r"x^2 + y^2 = z^2", r"\frac{a}{b} + \sqrt{\frac{1}{2}}", r"\hat\alpha + \vec v", r"\left( \frac{V_T}{V_0} \right)^{1/T} - 1", r"\begin{aligned} a &= b \\ c &= d \end{aligned}", r"\newcommand{\R}{\mathbb{R}} x \in \R"] {
            assert_eq!(refusal(tex), None, "{tex}");
        }
    }

    #[test]
    fn deep_or_endless_formulas_are_refused() {
        for tex in [r"\left(".repeat(2000), r"\sqrt".repeat(5000) + "x", r"\frac1".repeat(5000) + "2", r"\mathbf".repeat(5000) + "x", r"\overline".repeat(5000) + "x", r"\begin{aligned}".repeat(5000), format!("x{}", "^".repeat(5000)), "{".repeat(40)] {
            assert!(refusal(&tex).is_some(), "{}", &tex[..40.min(tex.len())]);
        }
        assert!(refusal(r"\newcommand{\a}{\a} \a").unwrap().contains("refers to itself"));
        assert!(refusal(r"\newcommand{\a}{\b} \newcommand{\b}{\a} \a").unwrap().contains("refers to itself"));
        let doubling: String = (0..30).map(|k| format!(r"\newcommand{{\m{}}}{{\m{}\m{}}}", letters(k + 1), letters(k), letters(k))).collect();
        assert!(refusal(&format!(r"\newcommand{{\ma}}{{x}}{doubling} \m{}", letters(30))).unwrap().contains("expand"));
    }

    #[test]
    fn what_the_fuzzer_found_is_scanned_safely_or_refused() {
        // Found by fuzz/fuzz_targets/formula.rs: a backslash before a
        // character of more than one byte.
        let _ = refusal("\u{14}newc\u{0}\u{0}\u{0}\u{0}\u{0}hmm`n\\defbR}{\\");
        let _ = refusal("\\newcommand\\é{x}");
        assert!(refusal(r"\newcommand{\R}{\x\}y \R}{s\R").unwrap().contains("refers to itself"));
        assert!(refusal(r"\newcommand{\R}\R}{x} \R").unwrap().contains("refers to itself"));
        assert!(refusal(r"\def\R\R \R").unwrap().contains("refers to itself"));
        assert_eq!(refusal(r"\newcommand{\R}[1][x]{#1 y} \R"), None);
        assert!(refusal("nue;n\\renewcommand\\\\θoenw;").unwrap().contains("names no macro"));
        assert!(refusal("\\def\\a\\θ x").is_none());
        assert!(refusal(r"\newcommand{\H}{x}\renewcommand{\H}{p\H} \H").unwrap().contains("refers to itself"));
        assert!(refusal(r"#\newcommand{ \R}{\mX^\R}{^^} x \in \R").unwrap().contains("refers to itself"));
        assert!(refusal(r"\newcommand 1").is_some());
        assert_eq!(refusal(r"\DeclareMathOperator*{\argmax}{arg\,max} \argmax_x f"), None);
        assert!(refusal("rt\\sf\u{f}p>\u{f}i\u{0}qtOOFFf^^Fnewcomnd{\\H}{\u{a}\u{0}\u{0}\u{0}\u{2}\u{0}\u{0}\u{0}\\newcommand{\\H}{\u{a}\u{0}\u{0}\u{0}\u{2}\u{0}\u{0}\u{0}}}nd{\\H}{\u{a}\u{0}\u{0}\u{0}n\u{0}\u{0}\u{0}omnd{\\\u{f}OOOOH}{nd{\\H}{\u{a}\u{0}\u{0}\u{0}n\u{0}\u{0}\u{0}\\newcoim\\ne}wcommand{\\H}{\u{a}\u{0}\u{0}\u{0}\u{2}\u{0}}} x ({\\H}{\u{a}\u{0}\u{0}\u{0}\u{2}\u{0}\u{0}\u{0}\\newcommand{\\H}{\u{a}\u{0}\u{0}\u{0}\u{2}\u{0}p\\H}\u{0}\u{0}}}nd{\\H}{\u{a}\u{0}\u{0}\u{0}n\u{0}\u{0}\u{0}omnd{\\H}{nd{\\H}{\u{a}\u{0}\u{0}\u{0}n\u{0}\u{0}\u{0}\\newcoim\\ne}wcommand{\\H}{\u{a}\u{0}{\u{a}\u{0}\u{0}\u{2}\u{0} \u{0}\u{0}\u{0}F\\").is_some());
        // Found by the same target: redefining \newcommand exhausted memory.
        assert_eq!(refusal("\\def\\newcommand{\\R}{\n\u{0}\u{0}\u{0}Mmat\\R}{\\min \\R").as_deref(), Some("it redefines \\newcommand"));
        assert!(refusal(r"\newcommand{\a}{\newcommand{\b}{x}\b} \a").unwrap().contains("defines macros itself"));
        assert!(refusal("\\newcommand{\\R#{\\ma\u{1}\u{0}[\u{0}\u{0}/>\u{0}\u{e}thbb}Rwcox \\in \\R").unwrap().contains("is not `\\newcommand{\\name}[n]{body}`"));
    }

    fn letters(k: usize) -> String {
        // Macro names are letters only.
        std::iter::repeat_n('a', k + 1).collect()
    }
}
