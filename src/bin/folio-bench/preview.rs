//! `folio-bench preview`: how long a saved edit takes to reach the page a
//! writer has open under `folio serve`, from the file's write to the first
//! frame Chromium draws of the page patched in place (puppeteer-core).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{flagship_copy, folio_bin, median};

/// Runs `folio-bench preview [--edits 15]`; false for another command.
pub fn command(args: &[String]) -> bool {
    if args.get(1).map(String::as_str) != Some("preview") {
        return false;
    }
    let edits: usize = args.iter().position(|a| a == "--edits").and_then(|i| args.get(i + 1)).and_then(|n| n.parse().ok()).unwrap_or(15);
    let Some(pptr) = puppeteer() else {
        eprintln!("needs puppeteer-core: npm install --prefix ~/.cache/folio/puppeteer puppeteer-core (or set FOLIO_PUPPETEER_DIR)");
        std::process::exit(2);
    };
    let flagship = flagship_copy();
    let (mut server, port) = serve(flagship.path());
    let times = edit_and_reload(&pptr, flagship.path(), port, edits);
    let _ = server.kill();
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let p90 = sorted[(sorted.len() * 9 / 10).min(sorted.len() - 1)];
    println!("preview under `folio serve`, the flagship's report.html, {edits} edits of a chapter (write → first frame of the patched page):");
    println!("  median {:.0} ms, fastest {:.0} ms, 90th percentile {p90:.0} ms, slowest {:.0} ms", median(times), sorted[0], sorted[sorted.len() - 1]);
    true
}

fn puppeteer() -> Option<PathBuf> {
    let dir = std::env::var_os("FOLIO_PUPPETEER_DIR").map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/folio/puppeteer")))?;
    dir.join("node_modules/puppeteer-core").is_dir().then_some(dir)
}

/// `folio serve --port 0` in `dir`, once it watches; its port.
fn serve(dir: &Path) -> (std::process::Child, u16) {
    let mut child = Command::new(folio_bin()).args(["serve", "--port", "0"]).current_dir(dir).stderr(Stdio::piped()).spawn().unwrap();
    let mut err = child.stderr.take().unwrap();
    let (mut seen, mut buf, start) = (String::new(), [0u8; 256], Instant::now());
    while !seen.contains("watching") && start.elapsed() < Duration::from_secs(120) {
        let n = err.read(&mut buf).unwrap();
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let port = seen.split("http://127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).and_then(|p| p.parse().ok()).expect(&seen);
    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    (child, port)
}

/// Each edit changes one number in a chapter's prose (a text no build had
/// before), waits for the page to reload, and lets the build finish.
fn edit_and_reload(pptr: &Path, project: &Path, port: u16, edits: usize) -> Vec<f64> {
    let chapter = project.join("content/chapters/07-outlook.md");
    let script = format!(
        r#"const puppeteer = require({module:?});
const fs = require('fs');
(async () => {{
  const browser = await puppeteer.launch({{ executablePath: {chromium:?}, args: ['--no-sandbox', '--disable-gpu'], headless: true }});
  const page = await browser.newPage();
  await page.goto('http://127.0.0.1:{port}/report.html', {{ waitUntil: 'load' }});
  await new Promise(r => setTimeout(r, 1500));
  const original = fs.readFileSync({chapter:?}, 'utf8');
  const times = [];
  for (let i = 0; i < {edits}; i++) {{
    // The page is patched in place: done at the first frame drawn after.
    const patched = page.evaluate(() => new Promise(r => document.addEventListener('folio:patched', () => requestAnimationFrame(() => r()), {{ once: true }})));
    const t0 = performance.now();
    fs.writeFileSync({chapter:?}, original + '\n\n本节第 ' + (1000 + i) + ' 次修改。\n');
    await patched;
    times.push(performance.now() - t0);
    await new Promise(r => setTimeout(r, 700));
  }}
  console.log(JSON.stringify(times));
  await browser.close();
}})().catch(e => {{ console.log(JSON.stringify({{ failed: String(e) }})); process.exit(1); }});
"#,
        module = pptr.join("node_modules/puppeteer-core").display().to_string(),
        chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| Path::new(p).exists()).unwrap_or("/usr/bin/chromium"),
        chapter = chapter.display().to_string(),
    );
    let js = project.join("preview-bench.js");
    std::fs::write(&js, script).unwrap();
    let out = Command::new("node").arg(&js).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str::<Vec<f64>>(stdout.trim()).unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr)))
}
