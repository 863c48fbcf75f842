//! SQL as data: `content/data/<stem>.sql` holds one query, and `data.<stem>`
//! is its result as records with typed values. The database is set in
//! folio.toml (`database = "data/research.db"`, a SQLite file under
//! `content/`, or `database = "postgres://…"`); the environment variable
//! `FOLIO_DATABASE_URL` wins, so secrets stay out of the repository.
//!
//! Parameters (`:ticker`) are bound from the report's family row, then its
//! front matter (with `--set` applied), never spliced into the SQL text.
//! Queries run read-only (SQLite opened read-only and immutable; PostgreSQL
//! in a READ ONLY transaction) for at most `[limits] query_seconds`,
//! `data_rows` rows and `data_mb` of answer, each enforced by folio itself.
//!
//! A project file alone never makes folio open a connection: a server named
//! in folio.toml is used only when the user allows its host
//! (`FOLIO_ALLOW_DATABASE_HOST`) or names a database themselves
//! (`FOLIO_DATABASE_URL`). A SQLite file named in folio.toml is a project
//! file like any other: inside `content/`, reached through no link.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Map, Number, Value};

use crate::core::diag::{display_path, Diagnostic, Location};


#[derive(Debug, Clone, PartialEq)]
pub enum Database {
    /// A SQLite file; `confined` is the project folder it must lie in
    /// (a file named by the user's environment is theirs to name).
    Sqlite { path: PathBuf, confined: Option<PathBuf> },
    Postgres(String),
    /// A server named by folio.toml that the user has not allowed.
    NotAllowed(String),
}

/// Hosts the user allows folio.toml to name, `host` or `host:port`,
/// separated by commas.
pub const ALLOW_VAR: &str = "FOLIO_ALLOW_DATABASE_HOST";

/// Whether the user allows the server at `host:port/db`.
fn allowed(host_port_db: &str) -> bool {
    let Ok(list) = std::env::var(ALLOW_VAR) else { return false };
    let host_port = host_port_db.split('/').next().unwrap_or("");
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, _)| h);
    list.split(',').map(str::trim).any(|a| !a.is_empty() && (a.eq_ignore_ascii_case(host_port) || a.eq_ignore_ascii_case(host)))
}

/// The project's database and the setting it came from (for messages).
#[derive(Debug, Clone)]
pub struct Source {
    pub db: Database,
    pub from: String,
}

impl Source {
    /// `FOLIO_DATABASE_URL`, else `database` in folio.toml (a path is
    /// relative to `content/`).
    pub fn find(configured: Option<&str>, content_dir: &Path, root: &Path) -> Option<Source> {
        let (url, from, user) = match std::env::var("FOLIO_DATABASE_URL").ok().filter(|u| !u.trim().is_empty()) {
            Some(u) => (u, "the environment variable FOLIO_DATABASE_URL".to_string(), true),
            None => (configured?.to_string(), "`database` in folio.toml".to_string(), false),
        };
        let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            if user || allowed(&host_of(&url)) {
                Database::Postgres(url)
            } else {
                Database::NotAllowed(host_of(&url))
            }
        } else {
            let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(&url);
            Database::Sqlite { path: content_dir.join(path), confined: (!user).then(|| root.to_path_buf()) }
        };
        Some(Source { db, from })
    }

    /// Where the database is, never with its password.
    pub fn describe(&self) -> String {
        match &self.db {
            Database::Sqlite { path, .. } => format!("the SQLite file {}", display_path(path)),
            Database::Postgres(url) => format!("the PostgreSQL server {}", host_of(url)),
            Database::NotAllowed(host) => format!("the PostgreSQL server {host}"),
        }
    }

    /// A file whose changes change the results (SQLite), for incremental builds.
    pub fn file(&self) -> Option<&Path> {
        match &self.db {
            Database::Sqlite { path, .. } => Some(path),
            Database::Postgres(_) | Database::NotAllowed(_) => None,
        }
    }
}

/// `host:port/db` of a PostgreSQL URL, without user or password.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    rest.split('?').next().unwrap_or(rest).to_string()
}

/// The names a query binds (`:ticker`), in order of first use, with the byte
/// offset of the first use.
pub fn parameters(sql: &str) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for (name, at) in occurrences(sql) {
        if !out.iter().any(|(n, _)| *n == name) {
            out.push((name, at));
        }
    }
    out
}

/// Every `:name` of a query with its byte offset; text inside quotes and
/// comments, and `::` casts, hold no names.
fn occurrences(sql: &str) -> Vec<(String, usize)> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b':' if b.get(i + 1) == Some(&b':') => i += 1,
            b':' if b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                out.push((sql[start..j].to_string(), i));
                i = j - 1;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The value bound to `:name`: the family row's, else the front matter's.
pub fn lookup<'a>(params: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    params.get("row").and_then(|r| r.get(name)).or_else(|| params.get(name)).filter(|v| !v.is_object() && !v.is_array())
}

pub struct Query<'a> {
    pub path: &'a Path,
    pub text: &'a std::sync::Arc<str>,
    pub params: &'a Map<String, Value>,
    pub max_rows: usize,
    /// Most bytes of answer (`[limits] data_mb`).
    pub max_bytes: u64,
    /// Longest the query may run (`[limits] query_seconds`).
    pub timeout: Duration,
}

impl Query<'_> {
    fn at(&self, offset: usize, len: usize) -> Location {
        Location::new(self.path, self.text.clone(), offset..(offset + len).min(self.text.len()))
    }

    /// Bound values in order of `parameters`, or an error at the first one missing.
    fn values(&self) -> Result<Vec<(String, Value)>, Diagnostic> {
        parameters(self.text)
            .into_iter()
            .map(|(name, at)| match lookup(self.params, &name) {
                Some(v) => Ok((name, v.clone())),
                None => {
                    let mut keys: Vec<&str> = self.params.keys().map(String::as_str).filter(|k| *k != "row").collect();
                    if let Some(Value::Object(row)) = self.params.get("row") {
                        keys.extend(row.keys().map(String::as_str));
                    }
                    Err(Diagnostic::error(format!("the query binds `:{name}`, which the report does not set"))
                        .at(self.at(at, name.len() + 1))
                        .hint(format!("parameters come from the family's row, the front matter or --set; this report has: {}", keys.join(", "))))
                }
            })
            .collect()
    }

    /// The query's records, and a warning when the server's role could do
    /// more than read.
    pub fn run(&self, source: &Source) -> Result<(Value, Option<Diagnostic>), Diagnostic> {
        let values = self.values()?;
        let (rows, warning) = match &source.db {
            Database::Sqlite { path, confined } => self.sqlite(path, confined.as_deref(), &values).map(|rows| (rows, None)),
            Database::Postgres(url) => self.postgres(url, &values),
            Database::NotAllowed(host) => Err(Diagnostic::error(format!("folio.toml names the PostgreSQL server {host}; a project's files alone never make folio connect anywhere"))
                .at(self.at(0, 0))
                .hint(format!("if you trust this project, allow the server with {ALLOW_VAR}={} (or set FOLIO_DATABASE_URL yourself)", host.split('/').next().unwrap_or(host)))),
        }
        .map_err(|d| d.hint(format!("the database is {}, from {}", source.describe(), source.from)))?;
        Ok((Value::Array(rows.into_iter().map(Value::Object).collect()), warning))
    }

    fn too_big(&self) -> Diagnostic {
        Diagnostic::error(format!("the answer to the query of {} is larger than {} MiB", display_path(self.path), self.max_bytes >> 20))
            .at(self.at(0, 0))
            .hint("select fewer or shorter columns, or raise [limits] data_mb in folio.toml")
    }

    /// A cell of the answer no template or chart can show as it is.
    fn unshowable(&self, row: usize, column: &str, what: &str) -> Diagnostic {
        Diagnostic::error(format!("the query of {} answers {what} in row {row}, column `{column}`", display_path(self.path)))
            .at(self.at(0, 0))
            .hint("select something that prints (e.g. CAST it, or leave the row out with WHERE)")
    }

    fn too_many(&self) -> Diagnostic {
        Diagnostic::error(format!("the query of {} returns more than {} rows", display_path(self.path), self.max_rows))
            .at(self.at(0, 0))
            .hint("narrow it with WHERE or LIMIT, or raise [limits] data_rows in folio.toml")
    }

    fn sqlite(&self, path: &Path, confined: Option<&Path>, values: &[(String, Value)]) -> Result<Vec<Map<String, Value>>, Diagnostic> {
        use rusqlite::{types::ValueRef, OpenFlags};
        if let Some(root) = confined {
            let rel = path.strip_prefix(root).ok().and_then(Path::to_str);
            if !rel.is_some_and(crate::core::paths::is_plain_relative) {
                return Err(Diagnostic::error(format!("the database {} is outside the project folder", display_path(path)))
                    .at(self.at(0, 0))
                    .hint("keep the SQLite file in content/ and name it relative to it, e.g. database = \"data/research.db\" (or set FOLIO_DATABASE_URL)"));
            }
            crate::core::paths::no_link_below(root, path).map_err(|why| why.diagnostic(path).at(self.at(0, 0)))?;
        }
        if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
            return Err(Diagnostic::error(format!("cannot open the database {}: no such file", display_path(path))).at(self.at(0, 0)));
        }
        // Immutable: SQLite neither locks the file nor makes -wal/-shm
        // files beside it (a WAL file's unmerged pages are not read).
        let uri = format!("file:{}?mode=ro&immutable=1", uri_path(path));
        let conn = rusqlite::Connection::open_with_flags(uri, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI)
            .map_err(|e| Diagnostic::error(format!("cannot open the database {}: {e}", display_path(path))).at(self.at(0, 0)))?;
        let deadline = Instant::now() + self.timeout;
        conn.progress_handler(10_000, Some(move || Instant::now() > deadline));
        let failed = |e: rusqlite::Error| match e {
            rusqlite::Error::SqlInputError { msg, offset, .. } => {
                Diagnostic::error(format!("SQL error: {msg}")).at(self.at(offset.max(0) as usize, 1))
            }
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::OperationInterrupted => {
                Diagnostic::error(format!("the query ran longer than {} s and was stopped", self.timeout.as_secs()))
                    .at(self.at(0, 0))
                    .hint("make it cheaper (an index, a narrower WHERE), or raise [limits] query_seconds in folio.toml")
            }
            other => Diagnostic::error(format!("SQL error: {other}")).at(self.at(0, 0)),
        };
        let mut stmt = conn.prepare(self.text).map_err(failed)?;
        if !stmt.readonly() {
            return Err(Diagnostic::error("the query would change the database; folio only reads").at(self.at(0, 0)).hint("data queries are one SELECT (or WITH … SELECT)"));
        }
        for (name, v) in values {
            let Some(i) = stmt.parameter_index(&format!(":{name}")).map_err(failed)? else { continue };
            let bound = match v {
                Value::Null => rusqlite::types::Value::Null,
                Value::Bool(b) => rusqlite::types::Value::Integer(*b as i64),
                Value::Number(n) if n.is_i64() => rusqlite::types::Value::Integer(n.as_i64().unwrap_or(0)),
                Value::Number(n) => rusqlite::types::Value::Real(n.as_f64().unwrap_or(0.0)),
                Value::String(s) => rusqlite::types::Value::Text(s.clone()),
                _ => rusqlite::types::Value::Null,
            };
            stmt.raw_bind_parameter(i, bound).map_err(failed)?;
        }
        let names: Vec<String> = stmt.column_names().into_iter().map(str::to_string).collect();
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        let mut bytes = 0u64;
        while let Some(row) = rows.next().map_err(failed)? {
            if out.len() == self.max_rows {
                return Err(self.too_many());
            }
            for i in 0..names.len() {
                bytes += match row.get_ref(i).map_err(failed)? {
                    ValueRef::Text(t) | ValueRef::Blob(t) => t.len() as u64,
                    _ => 8,
                };
            }
            if bytes > self.max_bytes {
                return Err(self.too_big());
            }
            let mut rec = Map::new();
            for (i, name) in names.iter().enumerate() {
                let v = match row.get_ref(i).map_err(failed)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::Number(n.into()),
                    ValueRef::Real(f) => match Number::from_f64(f) {
                        Some(n) => Value::Number(n),
                        None => return Err(self.unshowable(out.len() + 1, name, &format!("`{f}`, not a finite number,"))),
                    },
                    ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => return Err(self.unshowable(out.len() + 1, name, "binary data (a BLOB)")),
                };
                rec.insert(name.clone(), v);
            }
            out.push(rec);
        }
        Ok(out)
    }

    /// The query on a PostgreSQL server, over a socket folio opens and caps
    /// itself: every step within the time limit, the answer within
    /// `max_bytes`, whatever the server does.
    fn postgres(&self, url: &str, values: &[(String, Value)]) -> Result<(Vec<Map<String, Value>>, Option<Diagnostic>), Diagnostic> {
        let host = host_of(url);
        let config: tokio_postgres::Config = url.parse().map_err(|e| Diagnostic::error(format!("the PostgreSQL URL for {host} is not valid: {e}")))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| Diagnostic::error(format!("cannot start the PostgreSQL client: {e}")))?;
        let budget = self.timeout + CONNECT_TIMEOUT;
        let over = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let result = runtime.block_on(async {
            match tokio::time::timeout(budget, self.pg_session(&config, &host, values, over.clone())).await {
                Ok(r) => r,
                Err(_) => Err(Diagnostic::error(format!("the PostgreSQL server {host} did not finish answering within {} s", budget.as_secs()))
                    .at(self.at(0, 0))
                    .hint("make the query cheaper, or raise [limits] query_seconds in folio.toml")),
            }
        });
        // The cap, not the server, ended the answer.
        if over.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(self.too_big());
        }
        result
    }

    async fn pg_session(&self, config: &tokio_postgres::Config, host: &str, values: &[(String, Value)], over: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Result<(Vec<Map<String, Value>>, Option<Diagnostic>), Diagnostic> {
        use tokio_postgres::config::Host;
        use tokio_postgres::types::{ToSql, Type};
        let unreachable = |e: &dyn std::fmt::Display| Diagnostic::error(format!("cannot reach the PostgreSQL server {host}: {}", first_line(&e.to_string())));
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let cap = self.max_bytes.saturating_mul(2).saturating_add(1 << 20);
        let connect = async {
            match config.get_hosts().first() {
                Some(Host::Tcp(name)) => {
                    let s = tokio::net::TcpStream::connect((name.as_str(), port)).await.map_err(|e| unreachable(&e))?;
                    let _ = s.set_nodelay(true);
                    config.connect_raw(Capped::new(Stream::Tcp(s), cap, over), tokio_postgres::NoTls).await.map_err(|e| unreachable(&e))
                }
                #[cfg(unix)]
                Some(Host::Unix(dir)) => {
                    let s = tokio::net::UnixStream::connect(dir.join(format!(".s.PGSQL.{port}"))).await.map_err(|e| unreachable(&e))?;
                    config.connect_raw(Capped::new(Stream::Unix(s), cap, over), tokio_postgres::NoTls).await.map_err(|e| unreachable(&e))
                }
                _ => Err(unreachable(&"the URL names no host")),
            }
        };
        let (mut client, connection) = tokio::time::timeout(CONNECT_TIMEOUT, connect)
            .await
            .map_err(|_| unreachable(&format!("no answer within {} s", CONNECT_TIMEOUT.as_secs())))??;
        tokio::spawn(connection);
        // `:name` becomes `$n`; the values travel apart from the text.
        let params = parameters(self.text);
        let mut sql = String::with_capacity(self.text.len());
        let mut last = 0;
        for (name, at) in occurrences(self.text) {
            let n = params.iter().position(|(p, _)| *p == name).map_or(0, |k| k + 1);
            sql.push_str(&self.text[last..at]);
            sql.push_str(&format!("${n}"));
            last = at + 1 + name.len();
        }
        sql.push_str(&self.text[last..]);
        let sql = sql.trim().trim_end_matches(';');
        let limited = format!("SELECT * FROM ({sql}) AS folio_query LIMIT {}", self.max_rows + 1);
        let texts: Vec<Option<String>> = values.iter().map(|(_, v)| match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }).collect();
        let args: Vec<&(dyn ToSql + Sync)> = texts.iter().map(|t| t as &(dyn ToSql + Sync)).collect();
        let failed = |e: tokio_postgres::Error| {
            let at = e.as_db_error().and_then(|d| match d.position() {
                Some(tokio_postgres::error::ErrorPosition::Original(p)) => Some(*p as usize),
                _ => None,
            });
            // Map the position in the sent text back to the file.
            let at = at.map(|p| p.saturating_sub(1).saturating_sub("SELECT * FROM (".len())).unwrap_or(0);
            let msg = e.as_db_error().map_or_else(|| first_line(&e.to_string()), |d| d.message().to_string());
            Diagnostic::error(format!("SQL error: {msg}")).at(self.at(at.min(self.text.len()), 1))
        };
        // A superuser's READ ONLY transaction still reads the server's files
        // (pg_read_file, lo_export): say so.
        let superuser = client.query_one("SHOW is_superuser", &[]).await.ok().and_then(|r| r.try_get::<_, String>(0).ok()).is_some_and(|v| v == "on");
        let warning = superuser.then(|| {
            Diagnostic::warning(format!("folio is connected to the PostgreSQL server {host} as a superuser: a project's query could read the server's files"))
                .hint("connect as a role that may only SELECT the report tables (README, \"Security model\")")
        });
        let tx = client.build_transaction().read_only(true).start().await.map_err(failed)?;
        tx.batch_execute(&format!("SET LOCAL statement_timeout = {}", self.timeout.as_millis())).await.map_err(failed)?;
        // Parameters are sent as text and cast by the server to the type
        // the query needs.
        let stmt = tx.prepare_typed(&limited, &vec![Type::TEXT; texts.len()]).await.map_err(failed)?;
        let rows = tx.query(&stmt, &args).await.map_err(failed)?;
        if rows.len() > self.max_rows {
            return Err(self.too_many());
        }
        let mut out = Vec::new();
        for row in rows {
            let mut rec = Map::new();
            for (i, col) in row.columns().iter().enumerate() {
                let value = pg_value(&row, i, col.type_()).map_err(|what| self.unshowable(out.len() + 1, col.name(), &what))?;
                rec.insert(col.name().to_string(), value);
            }
            out.push(rec);
        }
        Ok((out, warning))
    }
}

/// Longest wait for a PostgreSQL server to accept and greet.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A socket to a database server.
enum Stream {
    Tcp(tokio::net::TcpStream),
    #[cfg(unix)]
    Unix(tokio::net::UnixStream),
}

/// A socket whose reads end with an error past `cap` bytes: a server
/// (or something posing as one) cannot make folio hold an answer of any
/// size, whatever length its messages claim.
struct Capped {
    inner: Stream,
    read: u64,
    cap: u64,
    over: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Capped {
    fn new(inner: Stream, cap: u64, over: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Capped {
        Capped { inner, read: 0, cap, over }
    }
}

macro_rules! on_stream {
    ($s:expr, $x:ident => $e:expr) => {
        match $s {
            Stream::Tcp($x) => $e,
            #[cfg(unix)]
            Stream::Unix($x) => $e,
        }
    };
}

impl tokio::io::AsyncRead for Capped {
    fn poll_read(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>, buf: &mut tokio::io::ReadBuf<'_>) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = on_stream!(&mut self.inner, s => std::pin::Pin::new(s).poll_read(cx, buf));
        self.read += (buf.filled().len() - before) as u64;
        if self.read > self.cap {
            self.over.store(true, std::sync::atomic::Ordering::SeqCst);
            return std::task::Poll::Ready(Err(std::io::Error::other("the answer is over folio's size limit")));
        }
        polled
    }
}

impl tokio::io::AsyncWrite for Capped {
    fn poll_write(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>, data: &[u8]) -> std::task::Poll<std::io::Result<usize>> {
        on_stream!(&mut self.inner, s => std::pin::Pin::new(s).poll_write(cx, data))
    }

    fn poll_flush(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
        on_stream!(&mut self.inner, s => std::pin::Pin::new(s).poll_flush(cx))
    }

    fn poll_shutdown(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
        on_stream!(&mut self.inner, s => std::pin::Pin::new(s).poll_shutdown(cx))
    }
}

/// A path as a SQLite URI's path (`%`, `?` and `#` escaped).
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

/// A cell of a PostgreSQL answer, or what it is when nothing can show it
/// as it is (a non-finite number, binary data, a type folio does not read).
fn pg_value(row: &tokio_postgres::Row, i: usize, ty: &tokio_postgres::types::Type) -> Result<Value, String> {
    use tokio_postgres::types::Type;
    let num = |f: Option<f64>| match f {
        None => Ok(Value::Null),
        Some(x) => Number::from_f64(x).map(Value::Number).ok_or_else(|| format!("`{x}`, not a finite number")),
    };
    let got = |e: tokio_postgres::Error| format!("a value folio could not read ({e})");
    Ok(match *ty {
        Type::INT2 => row.try_get::<_, Option<i16>>(i).map_err(got)?.map_or(Value::Null, |v| Value::Number(v.into())),
        Type::INT4 => row.try_get::<_, Option<i32>>(i).map_err(got)?.map_or(Value::Null, |v| Value::Number(v.into())),
        Type::INT8 => row.try_get::<_, Option<i64>>(i).map_err(got)?.map_or(Value::Null, |v| Value::Number(v.into())),
        Type::FLOAT4 => num(row.try_get::<_, Option<f32>>(i).map_err(got)?.map(f64::from))?,
        Type::FLOAT8 => num(row.try_get::<_, Option<f64>>(i).map_err(got)?)?,
        Type::BOOL => row.try_get::<_, Option<bool>>(i).map_err(got)?.map_or(Value::Null, Value::Bool),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row.try_get::<_, Option<String>>(i).map_err(got)?.map_or(Value::Null, Value::String),
        // NUMERIC, dates and times: as the server prints them (exact).
        Type::NUMERIC | Type::DATE | Type::TIMESTAMP | Type::TIMESTAMPTZ | Type::JSON | Type::XML | Type::UNKNOWN => {
            match row.try_get::<_, Option<PgText>>(i).map_err(got)? {
                None => Value::Null,
                Some(PgText(s)) if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") => return Err(format!("`{s}`, not a finite number")),
                Some(PgText(s)) => crate::input::data::cell_value(&s),
            }
        }
        Type::BYTEA => return Err("binary data (BYTEA)".into()),
        // Binary forms folio does not decode (UUID, INTERVAL, arrays, …)
        // would print as garbage.
        ref other => return Err(format!("a value of type `{}`, which folio does not read (CAST it to text)", other.name())),
    })
}

/// Any value in PostgreSQL's text form (NUMERIC stays exact, dates ISO).
struct PgText(String);

impl<'a> tokio_postgres::types::FromSql<'a> for PgText {
    fn from_sql(ty: &tokio_postgres::types::Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        use tokio_postgres::types::Type;
        Ok(PgText(match *ty {
            Type::NUMERIC => numeric_text(raw).ok_or("bad numeric")?,
            Type::DATE => {
                let days = i32::from_be_bytes(raw.get(..4).ok_or("bad date")?.try_into()?);
                crate::core::dates::iso(days as f64 + 10957.0)
            }
            Type::TIMESTAMP | Type::TIMESTAMPTZ => {
                let us = i64::from_be_bytes(raw.get(..8).ok_or("bad timestamp")?.try_into()?);
                let secs = us.div_euclid(1_000_000);
                let day = secs.div_euclid(86400);
                let s = secs.rem_euclid(86400);
                format!("{}T{:02}:{:02}:{:02}", crate::core::dates::iso(day as f64 + 10957.0), s / 3600, s / 60 % 60, s % 60)
            }
            _ => String::from_utf8(raw.to_vec())?,
        }))
    }

    fn accepts(_: &tokio_postgres::types::Type) -> bool {
        true
    }
}

/// PostgreSQL's binary NUMERIC as decimal text.
fn numeric_text(raw: &[u8]) -> Option<String> {
    let word = |i: usize| -> Option<i32> { Some(i16::from_be_bytes(raw.get(i..i + 2)?.try_into().ok()?) as i32) };
    let (ndigits, weight, sign, dscale) = (word(0)? as usize, word(2)?, word(4)? as u16, word(6)? as usize);
    match sign {
        0xC000 => return Some("NaN".into()),
        0xD000 => return Some("Infinity".into()),
        0xF000 => return Some("-Infinity".into()),
        _ => {}
    }
    let digits: Vec<i32> = (0..ndigits).map(|k| word(8 + 2 * k)).collect::<Option<_>>()?;
    let mut int = String::new();
    for w in 0..=weight.max(0) {
        let d = digits.get(w as usize).copied().unwrap_or(0);
        if int.is_empty() { int.push_str(&d.to_string()) } else { int.push_str(&format!("{d:04}")) }
    }
    if weight < 0 {
        int = "0".into();
    }
    let mut frac = String::new();
    for w in (weight + 1)..(weight + 1 + dscale.div_ceil(4) as i32) {
        let d = if w < 0 { 0 } else { digits.get(w as usize).copied().unwrap_or(0) };
        frac.push_str(&format!("{d:04}"));
    }
    frac.truncate(dscale);
    let sign = if sign == 0x4000 { "-" } else { "" };
    Some(if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_names_skip_quotes_comments_and_casts() {
        let sql = "SELECT x::text, ':no' FROM t -- :nope\nWHERE a = :ticker AND b > :min /* :not */ AND c = :ticker";
        let names: Vec<String> = parameters(sql).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["ticker", "min"]);
    }

    #[test]
    fn hosts_are_named_without_passwords() {
        assert_eq!(host_of("postgres://analyst:s3cret@db.example.com:5432/research?sslmode=require"), "db.example.com:5432/research");
    }

    #[test]
    fn numeric_binary_to_text() {
        // 1234.5600 : ndigits 2, weight 0, sign 0, dscale 4, digits [1234, 5600]
        let raw = [0, 2, 0, 0, 0, 0, 0, 4, 0x04, 0xD2, 0x15, 0xE0];
        assert_eq!(numeric_text(&raw).as_deref(), Some("1234.5600"));
    }
}
