//! Languages and the words folio itself prints in each (the built-in
//! templates carry the words of their own layout).

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// Words that depend on the report's language.
pub struct Words {
    pub contents: &'static str,
    pub figures: &'static str,
    pub tables: &'static str,
    pub caption_sep: &'static str,
    pub footnotes: &'static str,
    pub references: &'static str,
}

pub fn words(lang: Lang) -> Words {
    match lang {
        Lang::Zh => Words {
            contents: "目录",
            figures: "图目录",
            tables: "表目录",
            caption_sep: "：",
            footnotes: "注释",
            references: "参考文献",
        },
        Lang::En => Words {
            contents: "Contents",
            figures: "List of Figures",
            tables: "List of Tables",
            caption_sep: ": ",
            footnotes: "Notes",
            references: "References",
        },
    }
}

/// Whether a character is CJK (ideographs, kana, hangul, CJK punctuation).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x31FF | 0x3200..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

const ZH_DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// Chinese numerals for chapter numbers: 1 → 一, 12 → 十二, 23 → 二十三.
pub fn zh_numeral(n: usize) -> String {
    match n {
        0..=9 => ZH_DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { ZH_DIGITS[n - 10] }),
        20..=99 => format!("{}十{}", ZH_DIGITS[n / 10], if n.is_multiple_of(10) { "" } else { ZH_DIGITS[n % 10] }),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(zh_numeral(3), "三");
        assert_eq!(zh_numeral(10), "十");
        assert_eq!(zh_numeral(12), "十二");
        assert_eq!(zh_numeral(20), "二十");
        assert_eq!(zh_numeral(23), "二十三");
    }
}
