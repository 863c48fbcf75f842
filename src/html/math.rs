//! TeX math for the HTML: MathML Core from math-core, which browsers lay
//! out themselves; the TeX rides along as its annotation (and `alttext`),
//! so copying or a screen reader still finds the source.

use std::sync::LazyLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

static CONVERTER: LazyLock<Option<LatexToMathML>> =
    LazyLock::new(|| LatexToMathML::new(MathCoreConfig { annotation: true, ..MathCoreConfig::default() }).ok());

/// `<math>` for `tex`, or why it cannot be shown as math.
pub fn to_mathml(tex: &str, display: bool) -> Result<String, String> {
    if let Some(why) = crate::text::tex_refusal(tex) {
        return Err(why);
    }
    let converter = CONVERTER.as_ref().ok_or("the MathML converter did not start")?;
    let mode = if display { MathDisplay::Block } else { MathDisplay::Inline };
    let result = converter.convert_with_local_state(tex, mode).map_err(|e| e.error_message().to_string())?;
    // alttext: what assistive technology reads when it does not read MathML.
    let alt = format!(" alttext=\"{}\"", crate::text::escape(tex.trim()));
    Ok(valid_tables(&result.mathml.replacen("<math", &format!("<math{alt}"), 1)))
}

/// math-core sets `scriptlevel` on `<mtable>`, which MathML Core allows on
/// every element but the HTML checker's MathML schema only on `<mstyle>`:
/// the attribute moves to an `<mstyle>` around the table, which renders
/// the same.
fn valid_tables(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len() + 32);
    let mut wrapped = Vec::new();
    let mut rest = mathml;
    while let Some(at) = rest.find("<mtable").into_iter().chain(rest.find("</mtable>")).min() {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(tail) = rest.strip_prefix("</mtable>") {
            out.push_str("</mtable>");
            if wrapped.pop().unwrap_or(false) {
                out.push_str("</mstyle>");
            }
            rest = tail;
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        match tag.find(" scriptlevel=\"") {
            Some(a) => {
                let v_end = tag[a + 14..].find('"').map_or(tag.len(), |e| a + 14 + e + 1);
                out.push_str(&format!("<mstyle{}>", &tag[a..v_end]));
                out.push_str(&tag[..a]);
                out.push_str(&tag[v_end..]);
                wrapped.push(true);
            }
            None => {
                out.push_str(tag);
                wrapped.push(false);
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn scriptlevel_moves_from_tables_to_a_style() {
        assert_eq!(
            super::valid_tables(r#"<math><mtable scriptlevel="0" class="x"><mtr><mtd><mtable><mtr/></mtable></mtd></mtr></mtable></math>"#),
            r#"<math><mstyle scriptlevel="0"><mtable class="x"><mtr><mtd><mtable><mtr/></mtable></mtd></mtr></mtable></mstyle></math>"#
        );
    }
}
