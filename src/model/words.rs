//! The words folio itself prints, by the report's language (the built-in
//! templates carry the words of their own layout).

use super::Lang;

/// Words that depend on the report's language.
pub struct Words {
    pub contents: &'static str,
    pub figures: &'static str,
    pub tables: &'static str,
    pub caption_sep: &'static str,
    pub footnotes: &'static str,
}

pub fn words(lang: Lang) -> Words {
    match lang {
        Lang::Zh => Words {
            contents: "目录",
            figures: "图目录",
            tables: "表目录",
            caption_sep: "：",
            footnotes: "注释",
        },
        Lang::En => Words {
            contents: "Contents",
            figures: "List of Figures",
            tables: "List of Tables",
            caption_sep: ": ",
            footnotes: "Notes",
        },
    }
}

