//! TeX math for the HTML: MathML Core from math-core, which browsers lay
//! out themselves; the TeX rides along as its annotation (and `alttext`),
//! so copying or a screen reader still finds the source.

use std::sync::LazyLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

static CONVERTER: LazyLock<Option<LatexToMathML>> =
    LazyLock::new(|| LatexToMathML::new(MathCoreConfig { annotation: true, ..MathCoreConfig::default() }).ok());

/// `<math>` for `tex`, or why it cannot be shown as math.
pub fn to_mathml(tex: &str, display: bool) -> Result<String, String> {
    if let Some(why) = crate::core::tex_guard::refusal(tex) {
        return Err(why);
    }
    let converter = CONVERTER.as_ref().ok_or("the MathML converter did not start")?;
    let mode = if display { MathDisplay::Block } else { MathDisplay::Inline };
    // As for the PDF's translator: a panic fails the formula, not folio.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| converter.convert_with_local_state(tex, mode)))
        .map_err(|_| "the TeX translator failed on it".to_string())?
        .map_err(|e| e.error_message().to_string())?;
    // alttext: what assistive technology reads when it does not read MathML.
    let alt = format!(" alttext=\"{}\"", crate::core::text::escape(tex.trim()));
    Ok(valid_for_checker(&result.mathml.replacen("<math", &format!("<math{alt}"), 1)))
}

/// math-core sets `displaystyle` and `scriptlevel` on elements such as
/// `<mtable>`, `<mfrac>` and `<mrow>`, which MathML Core allows on every
/// element but the HTML checker's MathML schema only on `<math>` and
/// `<mstyle>`: those attributes move to an `<mstyle>` around the element,
/// which renders the same.
fn valid_for_checker(mathml: &str) -> String {
    const MOVED: [&str; 2] = ["displaystyle", "scriptlevel"];
    let mut out = String::with_capacity(mathml.len() + 64);
    // For each open element: whether an <mstyle> was opened around it.
    let mut wrapped: Vec<bool> = Vec::new();
    let mut rest = mathml;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with("</") {
            out.push_str(tag);
            if wrapped.pop().unwrap_or(false) {
                out.push_str("</mstyle>");
            }
            continue;
        }
        let name_end = tag[1..].find(|c: char| c.is_whitespace() || c == '>' || c == '/').map_or(tag.len(), |e| e + 1);
        let name = &tag[1..name_end];
        let self_closing = tag.ends_with("/>");
        let mut kept = String::from(&tag[..name_end]);
        let mut moved = String::new();
        let mut attrs = &tag[name_end..tag.len() - if self_closing { 2 } else { 1 }];
        // Attributes are `name="value"`, as math-core writes them.
        while let Some(eq) = attrs.find("=\"") {
            let close = attrs[eq + 2..].find('"').map_or(attrs.len(), |c| eq + 2 + c + 1);
            let attr = &attrs[..close];
            let key = attr.trim_start();
            if name != "math" && name != "mstyle" && MOVED.iter().any(|m| key.starts_with(&format!("{m}=\""))) {
                moved.push(' ');
                moved.push_str(key);
            } else {
                kept.push_str(attr);
            }
            attrs = &attrs[close..];
        }
        kept.push_str(attrs);
        kept.push_str(if self_closing { "/>" } else { ">" });
        if !moved.is_empty() {
            out.push_str(&format!("<mstyle{moved}>"));
        }
        out.push_str(&kept);
        match (self_closing, moved.is_empty()) {
            (true, false) => out.push_str("</mstyle>"),
            (true, true) => {}
            (false, m) => wrapped.push(!m),
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn style_attributes_move_to_a_style_element() {
        assert_eq!(
            super::valid_for_checker(r#"<math display="block"><mtable scriptlevel="0" class="x"><mtr><mtd><mfrac displaystyle="true" scriptlevel="0"><mn>1</mn><mi>x</mi></mfrac><mspace width="1em" scriptlevel="1"/></mtd></mtr></mtable></math>"#),
            r#"<math display="block"><mstyle scriptlevel="0"><mtable class="x"><mtr><mtd><mstyle displaystyle="true" scriptlevel="0"><mfrac><mn>1</mn><mi>x</mi></mfrac></mstyle><mstyle scriptlevel="1"><mspace width="1em"/></mstyle></mtd></mtr></mtable></mstyle></math>"#
        );
    }
}
