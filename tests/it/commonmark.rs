//! The CommonMark spec's examples through folio's document model into both
//! backends: no panics, typst compiles, and the visible text of each
//! example's expected HTML appears in the PDF.


struct Example {
    number: usize,
    markdown: String,
    html: String,
}

fn spec_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/commonmark-spec.txt")
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
fn commonmark_examples_build_each_as_its_own_report() {
    let spec = std::fs::read_to_string(spec_path()).expect("tests/data/commonmark-spec.txt");
    let examples = examples(&spec);
    assert_eq!(examples.len(), 655, "the spec has 655 examples");
    // Front matter, then the example verbatim inside {% raw %}: its text
    // starts on line 8 of content/exNNN.md.
    const HEAD: &str = "---\ntitle: Example\nlang: en\nchapter_break: false\nheading_numbers: none\n---\n{% raw %}\n";
    let files: Vec<(String, String)> = examples
        .iter()
        .map(|ex| (format!("content/ex{:03}.md", ex.number), format!("{HEAD}{}{{% endraw %}}\n", ex.markdown)))
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let f = crate::common::Fixture::new(&refs);
    let run = f.folio(&["build"]);
    // Every error is a missing or refused image, naming the report and the line.
    let mut refused = Vec::new();
    let lines: Vec<&str> = run.stderr.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if let Some(msg) = l.strip_prefix("error: ") {
            assert!(msg.starts_with("image"), "an example failed for another reason: {l}\n{}", run.stderr);
            let place = lines[i + 1].trim().strip_prefix("--> content/ex").unwrap_or_else(|| panic!("no place: {}", lines[i + 1]));
            let (n, rest) = place.split_once(".md:").unwrap();
            let n: usize = n.parse().unwrap();
            let line: usize = rest.split(':').next().unwrap().parse().unwrap();
            let ex = &examples[n - 1];
            assert!((8..8 + ex.markdown.lines().count()).contains(&line), "example {n}: line {line} is outside it");
            refused.push(n);
        }
    }
    refused.dedup();
    if !refused.is_empty() {
        assert_eq!(run.code, 1);
        assert!(run.stderr.contains(&format!("{} of 655 reports failed", refused.len())), "{}", run.stderr);
    }
    let (mut built, mut text_ok, mut text_misses) = (0, 0, Vec::new());
    for ex in &examples {
        let (pdf, html) = (f.out(&format!("ex{:03}.pdf", ex.number)), f.out(&format!("ex{:03}.html", ex.number)));
        if refused.contains(&ex.number) {
            assert!(!pdf.exists() && !html.exists(), "example {} failed but was written", ex.number);
            continue;
        }
        built += 1;
        assert!(std::fs::read_to_string(&html).unwrap().contains("<main class=\"content\">"));
        let text: String = crate::common::squash(&pdf_extract::extract_text(&pdf).unwrap());
        if text.contains(&visible(&ex.html)) {
            text_ok += 1;
        } else {
            text_misses.push(ex.number);
        }
    }
    eprintln!("CommonMark: {built}/655 built to PDF and HTML, {text_ok}/655 with all expected text; refused (images): {refused:?}; text differs: {text_misses:?}");
    // Refused: image examples whose files do not exist in the project.
    // Text differences: raw HTML, which folio escapes by default and so
    // shows as text, and glyphs no shipped font has.
    assert!(built >= 633, "only {built} examples built");
    assert!(text_ok >= 613, "only {text_ok} examples show all expected text");
}
