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
    Ok(result.mathml.replacen("<math", &format!("<math{alt}"), 1))
}
