//! A conservative translation of TeX math into typst math, for the PDF.
//! Only a known subset is translated (letters, numbers, operators, scripts,
//! \frac, \sqrt, Greek letters, common symbols, \text); anything else returns
//! `None` and the caller shows the TeX source instead, so a formula can never
//! break the typst compile.

const SYMBOLS: [(&str, &str); 44] = [
    ("alpha", "alpha"), ("beta", "beta"), ("gamma", "gamma"), ("delta", "delta"), ("epsilon", "epsilon"),
    ("varepsilon", "epsilon.alt"), ("zeta", "zeta"), ("eta", "eta"), ("theta", "theta"), ("lambda", "lambda"),
    ("mu", "mu"), ("nu", "nu"), ("xi", "xi"), ("pi", "pi"), ("rho", "rho"), ("sigma", "sigma"), ("tau", "tau"),
    ("phi", "phi"), ("varphi", "phi.alt"), ("chi", "chi"), ("psi", "psi"), ("omega", "omega"), ("Gamma", "Gamma"),
    ("Delta", "Delta"), ("Theta", "Theta"), ("Lambda", "Lambda"), ("Sigma", "Sigma"), ("Phi", "Phi"),
    ("Omega", "Omega"), ("sum", "sum"), ("prod", "product"), ("int", "integral"), ("infty", "infinity"),
    ("cdot", "dot.op"), ("times", "times"), ("pm", "plus.minus"), ("leq", "lt.eq"), ("le", "lt.eq"),
    ("geq", "gt.eq"), ("ge", "gt.eq"), ("neq", "eq.not"), ("approx", "approx"), ("to", "arrow.r"),
    ("ldots", "dots.h"),
];

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

/// Typst math for `tex`, or `None` when it uses anything outside the subset.
/// Deepest `{…}` nesting translated.
const MAX_GROUP_DEPTH: usize = 32;

pub fn to_typst(tex: &str) -> Option<String> {
    // Deeply nested groups would recurse past the stack (and typst's own
    // math layout after it): such TeX is shown as its source.
    let mut depth: usize = 0;
    for c in tex.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_GROUP_DEPTH {
            return None;
        }
    }
    let mut p = Parser { chars: tex.chars().collect(), pos: 0 };
    let out = p.sequence(None)?;
    (p.pos == p.chars.len() && !out.trim().is_empty()).then_some(out)
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// Atoms until `close` (or the end), separated by spaces.
    fn sequence(&mut self, close: Option<char>) -> Option<String> {
        let mut out = String::new();
        loop {
            self.skip_space();
            match self.peek() {
                None if close.is_none() => return Some(out),
                None => return None,
                Some(c) if Some(c) == close => {
                    self.pos += 1;
                    return Some(out);
                }
                Some('^' | '_') => {
                    let op = self.peek()?;
                    self.pos += 1;
                    if out.trim().is_empty() {
                        return None;
                    }
                    let arg = self.argument()?;
                    out = format!("{}{op}({arg})", out.trim_end());
                    out.push(' ');
                }
                Some(_) => {
                    let atom = self.atom()?;
                    out.push_str(&atom);
                    out.push(' ');
                }
            }
        }
    }

    /// One braced group or one atom.
    fn argument(&mut self) -> Option<String> {
        self.skip_space();
        if self.peek() == Some('{') {
            self.pos += 1;
            let inner = self.sequence(Some('}'))?;
            return (!inner.trim().is_empty()).then(|| inner.trim().to_string());
        }
        self.atom()
    }

    fn atom(&mut self) -> Option<String> {
        let c = self.peek()?;
        self.pos += 1;
        Some(match c {
            'a'..='z' | 'A'..='Z' => c.to_string(),
            '0'..='9' => {
                let mut n = c.to_string();
                while let Some(d) = self.peek().filter(|d| d.is_ascii_digit() || *d == '.') {
                    n.push(d);
                    self.pos += 1;
                }
                n.trim_end_matches('.').to_string() + if n.ends_with('.') { " ." } else { "" }
            }
            '+' | '-' | '=' | '<' | '>' | '!' | '\'' => c.to_string(),
            // Escaped, so an unbalanced bracket can never open a typst group
            // (or a content block inside a function call), and a comma or
            // colon inside `frac(…)` cannot split or name its arguments.
            '(' | ')' | '[' | ']' | '|' | '/' | ',' | ':' => format!("\\{c}"),
            '{' => self.sequence(Some('}'))?,
            '\\' => return self.command(),
            _ => return None,
        })
    }

    fn command(&mut self) -> Option<String> {
        let mut name = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_alphabetic) {
            name.push(c);
            self.pos += 1;
        }
        match name.as_str() {
            "frac" => {
                let num = self.argument()?;
                let den = self.argument()?;
                Some(format!("frac({num}, {den})"))
            }
            "sqrt" => Some(format!("sqrt({})", self.argument()?)),
            "text" | "mathrm" => {
                self.skip_space();
                if self.peek() != Some('{') {
                    return None;
                }
                self.pos += 1;
                let mut text = String::new();
                loop {
                    match self.peek()? {
                        '}' => break,
                        c if c.is_alphanumeric() || c == ' ' => text.push(c),
                        _ => return None,
                    }
                    self.pos += 1;
                }
                self.pos += 1;
                Some(format!("\"{text}\""))
            }
            "left" | "right" => self.atom(),
            _ => SYMBOLS.iter().find(|(tex, _)| *tex == name).map(|(_, typ)| typ.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_formulas() {
        assert_eq!(to_typst("E = mc^2").as_deref(), Some("E = m c^(2) "));
        assert_eq!(to_typst("\\frac{a+b}{2}").as_deref(), Some("frac(a + b, 2) "));
        assert_eq!(to_typst("x_{i} \\leq \\sqrt{y}").as_deref(), Some("x_(i) lt.eq sqrt(y) "));
        assert_eq!(to_typst("\\sum_{i=1}^{n} i").as_deref(), Some("sum_(i = 1)^(n) i "));
        assert_eq!(to_typst("\\text{loss} = 1/2").as_deref(), Some("\"loss\" = 1 \\/ 2 "));
        assert_eq!(to_typst("f(x) = [a]").as_deref(), Some("f \\( x \\) = \\[ a \\] "));
        assert_eq!(to_typst("0.33").as_deref(), Some("0.33 "));
        // A comma or colon in an argument stays one argument.
        assert_eq!(to_typst("\\frac,(").as_deref(), Some("frac(\\,, \\() "));
        assert_eq!(to_typst("\\frac{a:}{b}").as_deref(), Some("frac(a \\:, b) "));
    }

    #[test]
    fn outside_the_subset_is_refused() {
        for tex in ["\\begin{matrix}", "a \\\\ b", "x^", "^2", "{", "}", "中文", "#x", "\"q\"", "a & b", "\\text{a\"b}", ""] {
            assert_eq!(to_typst(tex), None, "{tex}");
        }
    }
}
