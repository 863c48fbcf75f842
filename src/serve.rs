//! `folio serve`: watch, plus a small HTTP server on 127.0.0.1 that serves the
//! output folder and reloads open pages after each rebuild. A failed build is
//! shown in the page as well as in the terminal.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::diag::Diagnostic;

#[derive(Default)]
pub struct State {
    /// Bumped after every build, good or bad.
    pub generation: u64,
    /// The rendered diagnostics of the last build, when it failed.
    pub error: Option<String>,
}

pub type Shared = Arc<(Mutex<State>, Condvar)>;

/// Injected into served HTML pages (never into the files on disk).
const RELOAD_SCRIPT: &str = r#"<script>(function(){var s=new EventSource("/__folio/events");
s.addEventListener("reload",function(){location.reload();});
s.addEventListener("build-error",function(e){var d=document.getElementById("folio-build-error");
if(!d){d=document.createElement("pre");d.id="folio-build-error";d.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:50%;overflow:auto;margin:0;padding:1em;background:#3b0d0d;color:#fff;font:13px/1.4 monospace;z-index:99999";document.body.appendChild(d);}
d.textContent=JSON.parse(e.data);});})();</script>"#;

/// Bind the server; port 0 picks a free one. Returns the bound port.
pub fn start(port: u16, root: PathBuf, shared: Shared) -> Result<u16, Diagnostic> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| Diagnostic::error(format!("cannot listen on 127.0.0.1:{port}: {e}")).hint("pick another port with --port"))?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    let open = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            // A bounded number of connections at once; past it, a quick 503.
            if open.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= MAX_CONNECTIONS {
                open.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                let _ = respond(&mut stream, "503 Service Unavailable", "text/plain", b"too many connections");
                continue;
            }
            let (root, shared, open) = (root.clone(), shared.clone(), open.clone());
            std::thread::spawn(move || {
                let _ = handle(stream, &root, &shared, port);
                open.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            });
        }
    });
    Ok(port)
}

/// Record a build's outcome and wake every waiting page.
pub fn publish(shared: &Shared, error: Option<String>) {
    let (lock, cv) = &**shared;
    let mut st = lock.lock().expect("serve state lock");
    st.generation += 1;
    st.error = error;
    cv.notify_all();
}

/// Connections served at once (pages, their assets and live-reload streams).
const MAX_CONNECTIONS: usize = 64;
/// The request line and headers together, in bytes.
const MAX_HEAD: u64 = 16 * 1024;
/// Time a client has to send its request head.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);

/// The request head, read within MAX_HEAD bytes and HEAD_DEADLINE: the
/// request line and the Host header. `None` for a slow or oversized head.
fn read_head(stream: &TcpStream) -> std::io::Result<Option<(String, Option<String>)>> {
    let start = std::time::Instant::now();
    let mut reader = BufReader::new(stream.try_clone()?.take(MAX_HEAD));
    let mut lines = Vec::new();
    loop {
        let left = HEAD_DEADLINE.checked_sub(start.elapsed()).filter(|d| !d.is_zero());
        let Some(left) = left else { return Ok(None) };
        stream.set_read_timeout(Some(left))?;
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) => return Ok(None),
            Ok(_) if !line.ends_with('\n') => return Ok(None),
            Ok(_) if line.trim().is_empty() => break,
            Ok(_) => lines.push(line),
            Err(_) => return Ok(None),
        }
    }
    let request = lines.first().cloned().unwrap_or_default();
    let host = lines.iter().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case("host").then(|| v.trim().to_string())
    });
    Ok(Some((request, host)))
}

/// Only names of this machine: a page elsewhere that rebinds its own name
/// to 127.0.0.1 (DNS rebinding) sends its own Host and is refused.
fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else { return false };
    ["localhost", "127.0.0.1", "[::1]"].iter().any(|name| host == *name || host == format!("{name}:{port}"))
}

fn handle(mut stream: TcpStream, root: &Path, shared: &Shared, port: u16) -> std::io::Result<()> {
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let Some((request, host)) = read_head(&stream)? else {
        return respond(&mut stream, "408 Request Timeout", "text/plain", b"request head too slow or too large");
    };
    if !host_allowed(host.as_deref(), port) {
        return respond(&mut stream, "403 Forbidden", "text/plain", b"folio serve answers only localhost, 127.0.0.1 and [::1]");
    }
    stream.set_read_timeout(None)?;
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    if method != "GET" && method != "HEAD" {
        return respond(&mut stream, "405 Method Not Allowed", "text/plain", b"only GET");
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == "/__folio/events" {
        return events(stream, shared);
    }
    if path == "/" {
        return respond(&mut stream, "200 OK", "text/html; charset=utf-8", index(root).as_bytes());
    }
    let rel = crate::paths::percent_decode(path.trim_start_matches('/'));
    let rel_path = Path::new(&rel);
    if rel_path.components().any(|c| !matches!(c, Component::Normal(_))) {
        return respond(&mut stream, "404 Not Found", "text/plain", b"not found");
    }
    // Links inside the output folder must not reach files outside it.
    let file = root.join(rel_path);
    if !crate::paths::stays_inside(root, &file) {
        return respond(&mut stream, "404 Not Found", "text/plain", b"not found");
    }
    match std::fs::read(&file) {
        Ok(mut body) => {
            let ext = rel.rsplit('.').next().unwrap_or("");
            if ext == "html" {
                let html = String::from_utf8_lossy(&body);
                let injected = match html.rfind("</body>") {
                    Some(i) => format!("{}{RELOAD_SCRIPT}{}", &html[..i], &html[i..]),
                    None => format!("{html}{RELOAD_SCRIPT}"),
                };
                body = injected.into_bytes();
            }
            respond(&mut stream, "200 OK", content_type(ext), &body)
        }
        Err(_) => respond(&mut stream, "404 Not Found", "text/plain", b"not found"),
    }
}

fn events(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n")?;
    let (lock, cv) = &**shared;
    let mut seen = {
        let st = lock.lock().expect("serve state lock");
        if let Some(e) = &st.error {
            send_error(&mut stream, e)?;
        }
        st.generation
    };
    stream.write_all(b": connected\n\n")?;
    loop {
        let st = lock.lock().expect("serve state lock");
        let (st, timeout) = cv.wait_timeout_while(st, Duration::from_secs(15), |s| s.generation == seen).expect("serve state lock");
        if timeout.timed_out() {
            drop(st);
            // A comment line keeps the connection alive and notices closed pages.
            stream.write_all(b": ping\n\n")?;
            continue;
        }
        seen = st.generation;
        match &st.error {
            Some(e) => send_error(&mut stream, e)?,
            None => stream.write_all(b"event: reload\ndata: {}\n\n")?,
        }
    }
}

fn send_error(stream: &mut TcpStream, text: &str) -> std::io::Result<()> {
    let json = serde_json::to_string(text).unwrap_or_default();
    stream.write_all(format!("event: build-error\ndata: {json}\n\n").as_bytes())
}

fn respond(stream: &mut TcpStream, status: &str, ctype: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)
}

fn index(root: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html") || n.ends_with(".pdf"))
        .collect();
    names.sort();
    let items: String = names
        .iter()
        .map(|n| format!("<li><a href=\"{0}\">{0}</a></li>", crate::html::escape(n)))
        .collect();
    format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>folio</title></head><body><h1>folio</h1><ul>{items}</ul>{RELOAD_SCRIPT}</body></html>")
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "js" => "text/javascript",
        _ => "application/octet-stream",
    }
}
