//! The CommonMark spec's examples, and the GFM spec's (CommonMark's plus
//! tables, strikethrough, autolinks and the tag filter), through folio's
//! document model into both backends: no panics, typst compiles, and the
//! visible text of each example's expected HTML appears in the PDF (and,
//! for GFM, in the web page).


struct Example {
    number: usize,
    markdown: String,
    html: String,
    /// The GFM extension an example shows (`table`, `disabled`, …), if any.
    extension: String,
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
        let Some(extension) = line.trim_end().strip_prefix(fence.as_str()) else { continue };
        if !(extension.is_empty() || extension.starts_with(' ')) {
            continue;
        }
        let extension = extension.trim().to_string();
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
        out.push(Example { number: out.len() + 1, markdown: md, html, extension });
    }
    out
}

/// Text a reader sees for the expected HTML, whitespace removed. List
/// markers count as visible, as a browser draws them: bullets by depth as
/// typst draws them (•, ‣, –), ordered items as `n.`.
fn visible(html: &str) -> String {
    visible_with(html, true)
}

/// `visible`, with list markers (a web page draws them, not as text) or not.
fn visible_with(html: &str, markers: bool) -> String {
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
            (false, "li") if markers => {
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

/// What building a spec's examples gave.
struct Outcome {
    built: usize,
    /// Examples whose expected text is all in the PDF, and in the web page.
    pdf_ok: usize,
    html_ok: usize,
    refused: Vec<usize>,
    pdf_misses: Vec<usize>,
    html_misses: Vec<usize>,
}

/// Each example as its own report (front matter, then the example verbatim
/// inside {% raw %}: its text starts on line 8 of content/exNNN.md), built
/// in one run; every error must be a missing or refused image at its line.
fn build_examples(examples: &[&Example]) -> Outcome {
    const HEAD: &str = "---\ntitle: Example\nlang: en\nchapter_break: false\nheading_numbers: none\n---\n{% raw %}\n";
    let files: Vec<(String, String)> = examples
        .iter()
        .map(|ex| (format!("content/ex{:03}.md", ex.number), format!("{HEAD}{}{{% endraw %}}\n", ex.markdown)))
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let f = crate::common::Fixture::new(&refs);
    let run = f.folio(&["build"]);
    let mut refused = Vec::new();
    let lines: Vec<&str> = run.stderr.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if let Some(msg) = l.strip_prefix("error: ") {
            assert!(msg.starts_with("image"), "an example failed for another reason: {l}\n{}", run.stderr);
            let place = lines[i + 1].trim().strip_prefix("--> content/ex").unwrap_or_else(|| panic!("no place: {}", lines[i + 1]));
            let (n, rest) = place.split_once(".md:").unwrap();
            let n: usize = n.parse().unwrap();
            let line: usize = rest.split(':').next().unwrap().parse().unwrap();
            let ex = examples.iter().find(|e| e.number == n).unwrap();
            assert!((8..8 + ex.markdown.lines().count()).contains(&line), "example {n}: line {line} is outside it");
            refused.push(n);
        }
    }
    refused.dedup();
    if !refused.is_empty() {
        assert_eq!(run.code, 1);
        assert!(run.stderr.contains(&format!("{} of {} reports failed", refused.len(), examples.len())), "{}", run.stderr);
    }
    let mut out = Outcome { built: 0, pdf_ok: 0, html_ok: 0, refused: refused.clone(), pdf_misses: vec![], html_misses: vec![] };
    let main = scraper::Selector::parse("main.content").unwrap();
    for ex in examples {
        let (pdf, html) = (f.out(&format!("ex{:03}.pdf", ex.number)), f.out(&format!("ex{:03}.html", ex.number)));
        if refused.contains(&ex.number) {
            assert!(!pdf.exists() && !html.exists(), "example {} failed but was written", ex.number);
            continue;
        }
        out.built += 1;
        let page = scraper::Html::parse_document(&std::fs::read_to_string(&html).unwrap());
        let body: String = page.select(&main).next().expect("<main class=\"content\">").text().collect();
        if crate::common::squash(&body).contains(&visible_with(&ex.html, false)) {
            out.html_ok += 1;
        } else {
            out.html_misses.push(ex.number);
        }
        let text: String = crate::common::squash(&pdf_extract::extract_text(&pdf).unwrap());
        if text.contains(&visible(&ex.html)) {
            out.pdf_ok += 1;
        } else {
            out.pdf_misses.push(ex.number);
        }
    }
    out
}

#[test]
fn commonmark_examples_build_each_as_its_own_report() {
    let spec = std::fs::read_to_string(spec_path()).expect("tests/data/commonmark-spec.txt");
    let examples = examples(&spec);
    assert_eq!(examples.len(), 655, "the spec has 655 examples");
    let o = build_examples(&examples.iter().collect::<Vec<_>>());
    eprintln!(
        "CommonMark: {}/655 built to PDF and HTML, {}/655 with all expected text in the PDF, {} in the HTML; refused (images): {:?}; PDF text differs: {:?}",
        o.built, o.pdf_ok, o.html_ok, o.refused, o.pdf_misses
    );
    // Refused: image examples whose files do not exist in the project.
    // Text differences: raw HTML, which folio escapes by default and so
    // shows as text, and glyphs no shipped font has.
    assert!(o.built >= 633, "only {} examples built", o.built);
    assert!(o.pdf_ok >= 613, "only {} examples show all expected text", o.pdf_ok);
}

#[test]
fn gfm_examples_build_each_as_its_own_report_in_both_outputs() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/gfm-spec.txt");
    let spec = std::fs::read_to_string(path).expect("tests/data/gfm-spec.txt");
    let all = examples(&spec);
    assert_eq!(all.len(), 673, "the GFM spec has 673 examples");
    // `disabled` examples show Markdown without an extension folio has on.
    let examples: Vec<&Example> = all.iter().filter(|e| e.extension != "disabled").collect();
    let o = build_examples(&examples);
    // The tag filter's example mixes tags folio sets with tags it shows as
    // text; it has a test of its own below.
    let extension_misses: Vec<(usize, &str)> = examples
        .iter()
        .filter(|e| !e.extension.is_empty() && e.extension != "tagfilter" && (o.pdf_misses.contains(&e.number) || o.html_misses.contains(&e.number)))
        .map(|e| (e.number, e.extension.as_str()))
        .collect();
    eprintln!(
        "GFM: {}/{} built to PDF and HTML, {} with all expected text in the PDF, {} in the HTML; refused (images): {:?}; PDF text differs: {:?}; HTML text differs: {:?}",
        o.built,
        examples.len(),
        o.pdf_ok,
        o.html_ok,
        o.refused,
        o.pdf_misses,
        o.html_misses
    );
    // Every example of GFM's tables, strikethrough and autolinks shows its
    // text in both outputs. The rest that differ are raw HTML, which folio
    // shows as text (README: Markdown), and a character no shipped font has.
    assert_eq!(extension_misses, vec![], "extension examples whose text differs");
    assert!(o.built >= 649, "only {} examples built", o.built);
    assert!(o.pdf_ok >= 631, "only {} examples show all expected text in the PDF", o.pdf_ok);
    assert!(o.html_ok >= 632, "only {} examples show all expected text in the HTML", o.html_ok);
}

/// GFM's tag filter: `<title>`, `<style>`, `<xmp>` and the rest it names are
/// escaped, so a reader sees them as text in both outputs, never dropped.
#[test]
fn the_tag_filter_shows_the_tags_it_filters_as_text() {
    let f = crate::common::Fixture::new(&[(
        "content/report.md",
        "---\ntitle: T\nlang: en\n---\n\nA <title> and <style> and <textarea>, <xmp> and <XMP>: all shown.\n",
    )]);
    f.folio(&["build"]).ok();
    let html = f.html_source("report.html");
    assert!(html.contains("A &lt;title&gt; and &lt;style&gt; and &lt;textarea&gt;, &lt;xmp&gt; and &lt;XMP&gt;: all shown."), "{html}");
    assert!(f.pdf_text("report.pdf").contains("A<title>and<style>and<textarea>,<xmp>and<XMP>:allshown."), "{}", f.pdf_text("report.pdf"));
    // With raw HTML passed through, they are still never live.
    f.write("folio.toml", "raw_html = true\n");
    f.folio(&["build"]).ok();
    let html = f.html_source("report.html");
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    assert!(main.contains("<p>A  and  and ,  and : all shown.</p>"), "the sanitizer drops them: {main}");
}
