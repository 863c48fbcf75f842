//! `folio serve`: watch, plus an HTTP server on 127.0.0.1 (hyper, on a small
//! tokio runtime of its own) that serves the output folder and reloads an
//! open page as soon as its file is rewritten. A failed build is shown in the page as well as
//! in the terminal.
//!
//! It is a preview server for this machine: only `Host: localhost`,
//! `127.0.0.1` or `[::1]` is answered (no DNS rebinding), only files whose
//! path below the output folder holds no link are served (the file itself
//! and, for a folder, its `index.html` or the site's `404.html` included),
//! the request head is bounded in size and time, and connections are
//! capped; live-reload streams are tasks (no thread each) with a cap of
//! their own, so they never take the slots pages need.

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};

use crate::core::diag::Diagnostic;

#[derive(Default)]
pub struct State {
    /// Bumped after every build, good or bad, and every report written.
    pub generation: u64,
    /// The rendered diagnostics of the last build, when it failed.
    pub error: Option<String>,
    /// What the last few generations were, for a page to catch up on.
    log: std::collections::VecDeque<(u64, Happened)>,
}

enum Happened {
    /// These output paths were written: a page reloads when its own file
    /// is among them.
    Written(Vec<String>),
    /// A build ended (`error` says how).
    Built,
}

/// Generations of written paths and builds a page can catch up on.
const KEPT: usize = 64;

/// What the builds tell the open pages.
pub struct Hub {
    state: Mutex<State>,
    /// The generation, for the pages' event streams to wait on.
    generation: tokio::sync::watch::Sender<u64>,
    /// Live-reload streams open at once.
    streams: Arc<tokio::sync::Semaphore>,
}

impl Default for Hub {
    fn default() -> Hub {
        Hub { state: Mutex::default(), generation: tokio::sync::watch::channel(0).0, streams: Arc::new(tokio::sync::Semaphore::new(MAX_STREAMS)) }
    }
}

pub type Shared = Arc<Hub>;

/// Connections served at once (pages, their assets and live-reload streams).
const MAX_CONNECTIONS: usize = 256;
/// Of those, live-reload streams (a page each): past this, a stream is
/// refused (503) and the page simply does not reload by itself.
const MAX_STREAMS: usize = 32;
/// Largest file served.
const MAX_FILE: u64 = 1 << 30;
/// Buffer for the request head (hyper's smallest allowed); a larger head is refused.
const MAX_HEAD: usize = 8 * 1024;
/// Time a client has to send its request head.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);

/// Injected into served HTML pages (never into the files on disk).
/// A page is brought up to date when its own file was written (`changed`),
/// at once, not after the rest of the build: in place, its new body (and
/// head, when that changed) swapped in where the reader is scrolled to,
/// which is faster than a reload (Chromium reloads the flagship's page in
/// 230–400 ms), its inline scripts run again; a page that loads scripts
/// (the site's search), or one that cannot be fetched, reloads whole.
/// `folio:patched` tells the benchmark. The listing at `/`, and a page
/// showing a build's error, reload when a build ends (`built`).
const RELOAD_SCRIPT: &str = r#"<script data-folio-live>(function(){var s=new EventSource("/__folio/events");
var me=decodeURIComponent(location.pathname).replace(/^\//,"");if(me===""||/\/$/.test(me))me+="index.html";
function patch(){fetch(location.href,{cache:"no-store"}).then(function(r){if(!r.ok)throw r.status;return r.text();}).then(function(t){
var d=new DOMParser().parseFromString(t,"text/html");
if(d.querySelector("script[src]")||document.querySelector("script[src]")){location.reload();return;}
var x=window.scrollX,y=window.scrollY;
if(document.head.innerHTML!==d.head.innerHTML)document.head.replaceChildren.apply(document.head,Array.from(d.head.childNodes));
document.body.replaceChildren.apply(document.body,Array.from(d.body.childNodes));
document.body.querySelectorAll("script:not([data-folio-live])").forEach(function(o){var n=document.createElement("script");n.textContent=o.textContent;o.replaceWith(n);});
window.scrollTo({left:x,top:y,behavior:"instant"});document.dispatchEvent(new Event("folio:patched"));}).catch(function(){location.reload();});}
s.addEventListener("changed",function(e){if(JSON.parse(e.data).indexOf(me)>=0)patch();});
s.addEventListener("built",function(){if(document.getElementById("folio-build-error")||document.body.hasAttribute("data-folio-listing")||/(^|\/)index\.html$/.test(me))location.reload();});
s.addEventListener("build-error",function(e){var d=document.getElementById("folio-build-error");
if(!d){d=document.createElement("pre");d.id="folio-build-error";d.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:50%;overflow:auto;margin:0;padding:1em;background:#3b0d0d;color:#fff;font:13px/1.4 monospace;z-index:99999";document.body.appendChild(d);}
d.textContent=JSON.parse(e.data);});})();</script>"#;

type Body = BoxBody<Bytes, Infallible>;

/// Bind the server; port 0 picks a free one. Returns the bound port.
pub fn start(port: u16, root: PathBuf, shared: Shared) -> Result<u16, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::error(format!("cannot listen on 127.0.0.1:{port}: {e}")).hint("pick another port with --port")
    };
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(cannot)?;
    listener.set_nonblocking(true).map_err(cannot)?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().enable_time().build().map_err(cannot)?;
    std::thread::spawn(move || runtime.block_on(accept_loop(listener, root, shared, port)));
    Ok(port)
}

async fn accept_loop(listener: std::net::TcpListener, root: PathBuf, shared: Shared, port: u16) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        // Past the cap a connection is closed at once, before reading anything.
        let Ok(slot) = slots.clone().try_acquire_owned() else { continue };
        let (root, shared) = (root.clone(), shared.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let (root, shared) = (root.clone(), shared.clone());
                async move { Ok::<_, Infallible>(handle(&req, &root, &shared, port)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_DEADLINE)
                .max_buf_size(MAX_HEAD)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(slot);
        });
    }
}

/// Record a build's outcome and wake every waiting page.
pub fn publish(shared: &Shared, error: Option<String>) {
    let mut st = shared.state.lock().expect("serve state lock");
    st.error = error;
    happened(shared, st, Happened::Built);
}

/// A report's outputs are on disk: its open pages reload now, before the
/// build's site index and search are done.
pub fn publish_written(shared: &Shared, paths: &[String]) {
    happened(shared, shared.state.lock().expect("serve state lock"), Happened::Written(paths.to_vec()));
}

/// A new generation: logged (the last `KEPT`), and every waiting page woken.
fn happened(shared: &Shared, mut st: std::sync::MutexGuard<'_, State>, what: Happened) {
    st.generation += 1;
    let g = st.generation;
    st.log.push_back((g, what));
    if st.log.len() > KEPT {
        st.log.pop_front();
    }
    shared.generation.send_replace(g);
}

/// Only names of this machine: a page elsewhere that rebinds its own name
/// to 127.0.0.1 (DNS rebinding) sends its own Host and is refused.
fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else { return false };
    // Host names are case-insensitive (RFC 9110): LOCALHOST is localhost.
    let host = host.to_ascii_lowercase();
    ["localhost", "127.0.0.1", "[::1]"].iter().any(|name| host == *name || host == format!("{name}:{port}"))
}

fn handle(req: &Request<Incoming>, root: &Path, shared: &Shared, port: u16) -> Response<Body> {
    let host = req.headers().get(hyper::header::HOST).and_then(|h| h.to_str().ok());
    if !host_allowed(host, port) {
        return plain(StatusCode::FORBIDDEN, "folio serve answers only localhost, 127.0.0.1 and [::1]");
    }
    if req.method() != hyper::Method::GET && req.method() != hyper::Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET");
    }
    let path = req.uri().path();
    if path == "/__folio/events" {
        return events(shared);
    }
    if path == "/" {
        // The site, when there is one; its links are relative to site/.
        if root.join("site/index.html").is_file() {
            let mut r = respond(StatusCode::FOUND, "text/plain; charset=utf-8", b"/site/\n".to_vec());
            r.headers_mut().insert(hyper::header::LOCATION, hyper::header::HeaderValue::from_static("/site/"));
            return r;
        }
        return respond(StatusCode::OK, "text/html; charset=utf-8", index(root).into_bytes());
    }
    let rel = crate::core::paths::percent_decode(path.trim_start_matches('/'));
    let rel_path = Path::new(&rel);
    if rel_path.components().any(|c| !matches!(c, Component::Normal(_))) {
        return plain(StatusCode::NOT_FOUND, "not found");
    }
    // No link below the output folder is followed, so none reaches a file
    // outside it; the file opened is checked, after `index.html` is added.
    let mut file = root.join(rel_path);
    // A folder is its index page, as on a static host.
    if std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_dir()) {
        file = file.join("index.html");
    }
    match crate::core::paths::read_regular(root, &file, MAX_FILE) {
        Ok(mut body) => {
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext == "html" {
                let html = String::from_utf8_lossy(&body);
                let injected = match html.rfind("</body>") {
                    Some(i) => format!("{}{RELOAD_SCRIPT}{}", &html[..i], &html[i..]),
                    None => format!("{html}{RELOAD_SCRIPT}"),
                };
                body = injected.into_bytes();
            }
            respond(StatusCode::OK, content_type(ext), body)
        }
        // Under the site, its own "not found" page, as a static host would show.
        Err(_) => match crate::core::paths::read_regular(root, &root.join("site/404.html"), MAX_FILE) {
            Ok(page) if rel.starts_with("site/") => respond(StatusCode::NOT_FOUND, "text/html; charset=utf-8", page),
            _ => plain(StatusCode::NOT_FOUND, "not found"),
        },
    }
}

fn respond(status: StatusCode, ctype: &str, body: Vec<u8>) -> Response<Body> {
    let mut r = Response::new(Full::new(Bytes::from(body)).boxed());
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(hyper::header::CONTENT_TYPE, ctype.parse().expect("a valid content type"));
    h.insert(hyper::header::CACHE_CONTROL, "no-store".parse().expect("a valid header"));
    // One request per connection: a preview server needs no keep-alive.
    h.insert(hyper::header::CONNECTION, "close".parse().expect("a valid header"));
    r
}

fn plain(status: StatusCode, text: &str) -> Response<Body> {
    respond(status, "text/plain; charset=utf-8", text.as_bytes().to_vec())
}

/// A server-sent event stream: a task waits for builds and feeds the page
/// until it goes away.
struct Events(tokio::sync::mpsc::Receiver<Bytes>);

impl hyper::body::Body for Events {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|b| b.map(|b| Ok(Frame::data(b))))
    }
}

fn events(shared: &Shared) -> Response<Body> {
    let Ok(permit) = shared.streams.clone().try_acquire_owned() else {
        return plain(StatusCode::SERVICE_UNAVAILABLE, "too many open pages");
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(4);
    let mut generation = shared.generation.subscribe();
    let mut seen = *generation.borrow_and_update();
    let shared = shared.clone();
    tokio::spawn(async move {
        // Held while the stream is open.
        let _permit = permit;
        let error = shared.state.lock().expect("serve state lock").error.clone();
        for first in error.map(|e| error_event(&e)).into_iter().chain([": connected\n\n".to_string()]) {
            if tx.send(Bytes::from(first)).await.is_err() {
                return;
            }
        }
        loop {
            let message = tokio::select! {
                // The page went away: end now, not at the next ping.
                _ = tx.closed() => return,
                changed = generation.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    let st = shared.state.lock().expect("serve state lock");
                    let message = catch_up(&st, seen);
                    seen = st.generation;
                    message

                }
                // A comment line keeps the connection alive.
                _ = tokio::time::sleep(Duration::from_secs(15)) => ": ping\n\n".to_string(),
            };
            if tx.send(Bytes::from(message)).await.is_err() {
                return;
            }
        }
    });
    let mut r = Response::new(Events(rx).boxed());
    let h = r.headers_mut();
    h.insert(hyper::header::CONTENT_TYPE, "text/event-stream".parse().expect("a valid content type"));
    h.insert(hyper::header::CACHE_CONTROL, "no-cache".parse().expect("a valid header"));
    r
}

/// What a page has not been told since generation `seen`: the paths
/// written (`changed`), then how the last build ended (`built`, or the
/// error).
fn catch_up(st: &State, seen: u64) -> String {
    let new = || st.log.iter().filter(|(g, _)| *g > seen).map(|(_, what)| what);
    let mut paths: Vec<&String> = new().flat_map(|what| match what {
        Happened::Written(p) => p.as_slice(),
        Happened::Built => &[],
    }).collect();
    paths.sort();
    paths.dedup();
    let mut out = String::new();
    if !paths.is_empty() {
        out.push_str(&format!("event: changed\ndata: {}\n\n", serde_json::to_string(&paths).unwrap_or_default()));
    }
    if new().any(|what| matches!(what, Happened::Built)) {
        out.push_str(&match &st.error {
            Some(e) => error_event(e),
            None => "event: built\ndata: {}\n\n".to_string(),
        });
    }
    if out.is_empty() {
        out.push_str(": nothing new\n\n");
    }
    out
}

fn error_event(text: &str) -> String {
    let json = serde_json::to_string(text).unwrap_or_default();
    format!("event: build-error\ndata: {json}\n\n")
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
        .map(|n| format!("<li><a href=\"{}\">{}</a></li>", crate::core::text::escape(&crate::build::site::relative_href(n)), crate::core::text::escape(n)))
        .collect();
    format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>folio</title></head><body data-folio-listing><h1>folio</h1><ul>{items}</ul>{RELOAD_SCRIPT}</body></html>")
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
