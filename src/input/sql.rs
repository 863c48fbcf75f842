//! SQL as data: `content/data/<stem>.sql` holds one query, and `data.<stem>`
//! is its result as records with typed values. The database is set in
//! folio.toml (`database = "data/research.db"`, a SQLite file under
//! `content/`, or `database = "postgres://…"`); the environment variable
//! `FOLIO_DATABASE_URL` wins, so secrets stay out of the repository.
//!
//! Parameters (`:ticker`) are bound from the report's family row, then its
//! front matter (with `--set` applied), never spliced into the SQL text.
//! Queries run read-only (SQLite opened read-only; PostgreSQL in a READ ONLY
//! transaction) for at most `[limits] query_seconds` and `data_rows` rows.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Map, Number, Value};

use crate::diag::{display_path, Diagnostic, Location};


#[derive(Debug, Clone, PartialEq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
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
    pub fn find(configured: Option<&str>, content_dir: &Path) -> Option<Source> {
        let (url, from) = match std::env::var("FOLIO_DATABASE_URL").ok().filter(|u| !u.trim().is_empty()) {
            Some(u) => (u, "the environment variable FOLIO_DATABASE_URL".to_string()),
            None => (configured?.to_string(), "`database` in folio.toml".to_string()),
        };
        let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Database::Postgres(url)
        } else {
            let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(&url);
            Database::Sqlite(content_dir.join(path))
        };
        Some(Source { db, from })
    }

    /// Where the database is, never with its password.
    pub fn describe(&self) -> String {
        match &self.db {
            Database::Sqlite(p) => format!("the SQLite file {}", display_path(p)),
            Database::Postgres(url) => format!("the PostgreSQL server {}", host_of(url)),
        }
    }

    /// A file whose changes change the results (SQLite), for incremental builds.
    pub fn file(&self) -> Option<&Path> {
        match &self.db {
            Database::Sqlite(p) => Some(p),
            Database::Postgres(_) => None,
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

    pub fn run(&self, source: &Source) -> Result<Value, Diagnostic> {
        let values = self.values()?;
        let rows = match &source.db {
            Database::Sqlite(path) => self.sqlite(path, &values),
            Database::Postgres(url) => self.postgres(url, &values),
        }
        .map_err(|d| d.hint(format!("the database is {}, from {}", source.describe(), source.from)))?;
        Ok(Value::Array(rows.into_iter().map(Value::Object).collect()))
    }

    fn too_many(&self) -> Diagnostic {
        Diagnostic::error(format!("the query of {} returns more than {} rows", display_path(self.path), self.max_rows))
            .at(self.at(0, 0))
            .hint("narrow it with WHERE or LIMIT, or raise [limits] data_rows in folio.toml")
    }

    fn sqlite(&self, path: &Path, values: &[(String, Value)]) -> Result<Vec<Map<String, Value>>, Diagnostic> {
        use rusqlite::{types::ValueRef, OpenFlags};
        if !path.is_file() {
            return Err(Diagnostic::error(format!("cannot open the database {}: no such file", display_path(path))).at(self.at(0, 0)));
        }
        let conn = rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
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
        while let Some(row) = rows.next().map_err(failed)? {
            if out.len() == self.max_rows {
                return Err(self.too_many());
            }
            let mut rec = Map::new();
            for (i, name) in names.iter().enumerate() {
                let v = match row.get_ref(i).map_err(failed)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::Number(n.into()),
                    ValueRef::Real(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
                    ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => Value::Null,
                };
                rec.insert(name.clone(), v);
            }
            out.push(rec);
        }
        Ok(out)
    }

    fn postgres(&self, url: &str, values: &[(String, Value)]) -> Result<Vec<Map<String, Value>>, Diagnostic> {
        use postgres::types::{ToSql, Type};
        let host = host_of(url);
        let mut config: postgres::Config = url.parse().map_err(|e| Diagnostic::error(format!("the PostgreSQL URL for {host} is not valid: {e}")))?;
        config.connect_timeout(Duration::from_secs(5));
        let mut client = config
            .connect(postgres::NoTls)
            .map_err(|e| Diagnostic::error(format!("cannot reach the PostgreSQL server {host}: {}", first_line(&e.to_string()))))?;
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
        let failed = |e: postgres::Error| {
            let at = e.as_db_error().and_then(|d| match d.position() {
                Some(postgres::error::ErrorPosition::Original(p)) => Some(*p as usize),
                _ => None,
            });
            // Map the position in the sent text back to the file.
            let at = at.map(|p| p.saturating_sub(1).saturating_sub("SELECT * FROM (".len())).unwrap_or(0);
            let msg = e.as_db_error().map_or_else(|| first_line(&e.to_string()), |d| d.message().to_string());
            Diagnostic::error(format!("SQL error: {msg}")).at(self.at(at.min(self.text.len()), 1))
        };
        let mut tx = client.build_transaction().read_only(true).start().map_err(failed)?;
        tx.batch_execute(&format!("SET LOCAL statement_timeout = {}", self.timeout.as_millis())).map_err(failed)?;
        // Parameters are sent as text and cast by the server to the type
        // the query needs.
        let stmt = tx.prepare_typed(&limited, &vec![Type::TEXT; texts.len()]).map_err(failed)?;
        let rows = tx.query(&stmt, &args).map_err(failed)?;
        if rows.len() > self.max_rows {
            return Err(self.too_many());
        }
        let mut out = Vec::new();
        for row in rows {
            let mut rec = Map::new();
            for (i, col) in row.columns().iter().enumerate() {
                rec.insert(col.name().to_string(), pg_value(&row, i, col.type_()));
            }
            out.push(rec);
        }
        Ok(out)
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

fn pg_value(row: &postgres::Row, i: usize, ty: &postgres::types::Type) -> Value {
    use postgres::types::Type;
    let num = |f: Option<f64>| f.and_then(Number::from_f64).map_or(Value::Null, Value::Number);
    match *ty {
        Type::INT2 => row.get::<_, Option<i16>>(i).map_or(Value::Null, |v| Value::Number(v.into())),
        Type::INT4 => row.get::<_, Option<i32>>(i).map_or(Value::Null, |v| Value::Number(v.into())),
        Type::INT8 => row.get::<_, Option<i64>>(i).map_or(Value::Null, |v| Value::Number(v.into())),
        Type::FLOAT4 => num(row.get::<_, Option<f32>>(i).map(f64::from)),
        Type::FLOAT8 => num(row.get::<_, Option<f64>>(i)),
        Type::BOOL => row.get::<_, Option<bool>>(i).map_or(Value::Null, Value::Bool),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row.get::<_, Option<String>>(i).map_or(Value::Null, Value::String),
        // NUMERIC, dates and the rest: as the server prints them (exact).
        _ => match row.try_get::<_, Option<PgText>>(i) {
            Ok(Some(PgText(s))) => crate::input::data::cell_value(&s),
            _ => Value::Null,
        },
    }
}

/// Any value in PostgreSQL's text form (NUMERIC stays exact, dates ISO).
struct PgText(String);

impl<'a> postgres::types::FromSql<'a> for PgText {
    fn from_sql(ty: &postgres::types::Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::Type;
        Ok(PgText(match *ty {
            Type::NUMERIC => numeric_text(raw).ok_or("bad numeric")?,
            Type::DATE => {
                let days = i32::from_be_bytes(raw.get(..4).ok_or("bad date")?.try_into()?);
                crate::chart::dates::iso(days as f64 + 10957.0)
            }
            Type::TIMESTAMP | Type::TIMESTAMPTZ => {
                let us = i64::from_be_bytes(raw.get(..8).ok_or("bad timestamp")?.try_into()?);
                let secs = us.div_euclid(1_000_000);
                let day = secs.div_euclid(86400);
                let s = secs.rem_euclid(86400);
                format!("{}T{:02}:{:02}:{:02}", crate::chart::dates::iso(day as f64 + 10957.0), s / 3600, s / 60 % 60, s % 60)
            }
            _ => String::from_utf8_lossy(raw).into_owned(),
        }))
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }
}

/// PostgreSQL's binary NUMERIC as decimal text.
fn numeric_text(raw: &[u8]) -> Option<String> {
    let word = |i: usize| -> Option<i32> { Some(i16::from_be_bytes(raw.get(i..i + 2)?.try_into().ok()?) as i32) };
    let (ndigits, weight, sign, dscale) = (word(0)? as usize, word(2)?, word(4)? as u16, word(6)? as usize);
    if sign == 0xC000 {
        return Some("NaN".into());
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
