//! The seal on manifest records: an HMAC with a key only this user's folio
//! knows, so that a record that came with a downloaded project (or was
//! edited) is never taken for one this folio wrote. Such a record is a
//! stranger's claim: its report is built again and nothing it lists is
//! deleted.
//!
//! The key is `FOLIO_RECORD_KEY` when set (shards on a cluster that should
//! trust each other's records share it), else 32 random bytes kept in
//! `$XDG_CACHE_HOME/folio/record-key` (or `~/.cache/folio/record-key`),
//! made on first use. Without either, no record is trusted.

use std::io::{Read, Write};
use std::path::PathBuf;

use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

pub struct Key(Option<Vec<u8>>);

/// This user's folio cache: `$XDG_CACHE_HOME/folio`, else `~/.cache/folio`.
pub fn cache_dir() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("folio"))
}

fn key_file() -> Option<PathBuf> {
    Some(cache_dir()?.join("record-key"))
}

fn load_or_make(path: &std::path::Path) -> Option<Vec<u8>> {
    if let Ok(bytes) = std::fs::read(path) {
        return (bytes.len() >= 32).then_some(bytes);
    }
    let mut key = vec![0u8; 32];
    std::fs::File::open("/dev/urandom").ok()?.read_exact(&mut key).ok()?;
    let dir = path.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let mut tmp = tempfile::Builder::new().prefix(".record-key-").tempfile_in(dir).ok()?;
    tmp.write_all(&key).ok()?;
    // Another folio may have made one meanwhile: the first one stays.
    match tmp.persist_noclobber(path) {
        Ok(_) => Some(key),
        Err(_) => std::fs::read(path).ok().filter(|b| b.len() >= 32),
    }
}

impl Key {
    /// This user's key (see the module's text).
    pub fn load() -> Key {
        if let Some(k) = std::env::var_os("FOLIO_RECORD_KEY").filter(|v| !v.is_empty()) {
            return Key(Some(k.as_encoded_bytes().to_vec()));
        }
        Key(key_file().and_then(|p| load_or_make(&p)))
    }

    /// A key of the given bytes (tests and fuzzing).
    pub fn fixed(bytes: &[u8]) -> Key {
        Key(Some(bytes.to_vec()))
    }

    /// No key: nothing is sealed or trusted (`check`, which reads no record).
    pub fn absent() -> Key {
        Key(None)
    }

    /// The MAC of `bytes` under this key, if there is a key.
    fn mac(&self, bytes: &[u8]) -> Option<HmacSha256> {
        let mut mac = HmacSha256::new_from_slice(self.0.as_ref()?).expect("HMAC takes any key length");
        mac.update(bytes);
        Some(mac)
    }

    /// The seal of `bytes`; empty when there is no key.
    pub fn seal(&self, bytes: &[u8]) -> String {
        self.mac(bytes).map_or_else(String::new, |mac| crate::input::records::hex(&mac.finalize().into_bytes()))
    }

    /// Whether `seal` is this key's seal of `bytes` (compared in constant time).
    pub fn verifies(&self, bytes: &[u8], seal: &str) -> bool {
        match (self.mac(bytes), unhex(seal)) {
            (Some(mac), Some(tag)) => mac.verify_slice(&tag).is_ok(),
            _ => false,
        }
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}
