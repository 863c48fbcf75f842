//! The CommonMark spec's examples through folio's document model into both
//! backends: no panics, typst compiles, and the visible text of each
//! example's expected HTML appears in the PDF.

use folio::build::snippet;
use folio::fonts::Fonts;

struct Example {
    number: usize,
    markdown: String,
    html: String,
}

fn spec_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/commonmark/spec.txt")
}

fn examples(spec: &str) -> Vec<Example> {
    let fence = format!("{} example", "`".repeat(32));
    let close = "`".repeat(32);
    let mut out = Vec::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if line.trim_end() != fence {
            continue;
        }
        let mut md = String::new();
        let mut html = String::new();
        let mut in_html = false;
        for l in lines.by_ref() {
            if l.trim_end() == close {
                break;
            }
            if l == "." {
                in_html = true;
                continue;
            }
            let l = l.replace('→', "\t");
            if in_html { html.push_str(&l); html.push('\n') } else { md.push_str(&l); md.push('\n') }
        }
        out.push(Example { number: out.len() + 1, markdown: md, html });
    }
    out
}

/// Text a reader sees for the expected HTML, whitespace removed. List
/// markers count as visible, as a browser draws them: bullets by depth as
/// typst draws them (•, ‣, –), ordered items as `n.`.
fn visible(html: &str) -> String {
    let mut text = String::new();
    let mut lists: Vec<Option<usize>> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        let Some(end) = rest[i..].find('>') else {
            text.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let tag = &rest[i + 1..i + end];
        let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        match (tag.starts_with('/'), name.as_str()) {
            (false, "ul") => lists.push(None),
            (false, "ol") => {
                let start = tag.split("start=\"").nth(1).and_then(|s| s.split('"').next()).and_then(|n| n.parse().ok());
                lists.push(Some(start.unwrap_or(1)));
            }
            (true, "ul" | "ol") => {
                lists.pop();
            }
            (false, "li") => {
                // Bullets go by the depth of bulleted lists alone.
                let depth = lists.iter().filter(|l| l.is_none()).count();
                match lists.last_mut() {
                    Some(Some(n)) => {
                        text.push_str(&format!("{n}."));
                        *n += 1;
                    }
                    Some(None) => text.push(["•", "‣", "–"][(depth - 1) % 3].chars().next().unwrap()),
                    None => {}
                }
            }
            _ => {}
        }
        rest = &rest[i + end + 1..];
    }
    text.push_str(rest);
    decode_entities(&text).chars().filter(|c| !c.is_whitespace()).collect()
}

fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|e| *e <= 32);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let ch = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "nbsp" => Some('\u{a0}'),
                    "copy" => Some('©'),
                    "AElig" => Some('Æ'),
                    "Dcaron" => Some('Ď'),
                    "frac34" => Some('¾'),
                    "HilbertSpace" => Some('ℋ'),
                    "DifferentialD" => Some('ⅆ'),
                    "ClockwiseContourIntegral" => Some('∲'),
                    "ngE" => Some('≧'),
                    "ouml" => Some('ö'),
                    _ => None,
                }
            };
            ch.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(if c == '\0' { '\u{fffd}' } else { c });
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn commonmark_examples_pass_through_both_backends() {
    let spec = std::fs::read_to_string(spec_path()).expect("../shared/commonmark/spec.txt");
    let examples = examples(&spec);
    assert_eq!(examples.len(), 655, "the spec has 655 examples");
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("content")).unwrap();
    let fonts = Fonts::new(&root.path().join("fonts"));
    let (mut compiled, mut text_ok, mut refused) = (0, 0, Vec::new());
    let mut text_misses = Vec::new();
    for ex in &examples {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| snippet(root.path(), &ex.markdown, &fonts)));
        let Ok(result) = result else { panic!("example {} panicked", ex.number) };
        match result {
            Ok((html, pdf)) => {
                compiled += 1;
                assert!(html.contains("<main class=\"content\">"));
                let text: String =
                    pdf_extract::extract_text_from_mem(&pdf).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
                let want = visible(&ex.html);
                if text.contains(&want) {
                    text_ok += 1;
                } else {
                    if std::env::var("FOLIO_CM_DEBUG").is_ok() {
                        let tail: String = text.chars().rev().take(want.chars().count() + 60).collect::<Vec<_>>().into_iter().rev().collect();
                        eprintln!("#{} want {want:?}\n   got {tail:?}", ex.number);
                    }
                    text_misses.push(ex.number);
                }
            }
            // A refusal must be a diagnostic (e.g. an image path outside the project), never a crash.
            Err(f) => refused.push((ex.number, f.0[0].message.clone())),
        }
    }
    eprintln!(
        "CommonMark: {compiled}/655 compiled to PDF, {text_ok}/655 with all expected text; refused: {refused:?}; text differs: {text_misses:?}"
    );
    for (n, msg) in &refused {
        assert!(msg.starts_with("image"), "example {n} refused for another reason: {msg}");
    }
    // Refused: image examples whose files do not exist in the project (a
    // real build must say so). Text differences: raw HTML, which folio
    // escapes by default and so shows as text, and glyphs no shipped font has.
    assert!(compiled >= 633, "only {compiled} examples compiled");
    assert!(text_ok >= 613, "only {text_ok} examples show all expected text");
}
