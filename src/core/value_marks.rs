//! Where a printed data value stands in the text between the template and
//! the backends (`folio build --lineage`): private-use characters around it,
//! `OPEN index MID … END`, so the model can make the value an element the
//! HTML and PDF can point at. Nothing else writes these characters; any a
//! backend meets outside a value is removed.

pub const OPEN: char = '\u{F8F2}';
pub const MID: char = '\u{F8F3}';
pub const END: char = '\u{F8F4}';

/// A piece of marked text.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'a> {
    Text(&'a str),
    Open(usize),
    End,
}

pub fn has_marks(s: &str) -> bool {
    s.contains([OPEN, END])
}

/// `s` cut at its marks.
pub fn pieces(s: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find([OPEN, END]) {
        if i > 0 {
            out.push(Piece::Text(&rest[..i]));
        }
        if rest[i..].starts_with(END) {
            out.push(Piece::End);
            rest = &rest[i + END.len_utf8()..];
            continue;
        }
        let after = &rest[i + OPEN.len_utf8()..];
        match after.find(MID).and_then(|m| Some((m, after[..m].parse::<usize>().ok()?))) {
            Some((m, index)) => {
                out.push(Piece::Open(index));
                rest = &after[m + MID.len_utf8()..];
            }
            None => rest = after,
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// `s` without marks: the text as printed.
pub fn strip(s: &str) -> std::borrow::Cow<'_, str> {
    if !has_marks(s) {
        return s.into();
    }
    pieces(s).into_iter().filter_map(|p| if let Piece::Text(t) = p { Some(t) } else { None }).collect::<String>().into()
}

/// The marks around value `index`'s text.
pub fn wrap(index: usize, text: &str) -> String {
    format!("{OPEN}{index}{MID}{text}{END}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_round_trip() {
        let s = format!("a {} b", wrap(7, "5,400"));
        assert_eq!(pieces(&s), [Piece::Text("a "), Piece::Open(7), Piece::Text("5,400"), Piece::End, Piece::Text(" b")]);
        assert_eq!(strip(&s), "a 5,400 b");
        assert_eq!(strip("plain"), "plain");
    }
}
