//! `--shard I/N`: one of N workers builds the reports whose name hashes to
//! I. The partition depends on names only, so adding reports never moves
//! the others, and N workers cover every report exactly once. `--shard auto`
//! reads I and N from the job engine's environment.

use sha2::{Digest, Sha256};

use crate::core::diag::Diagnostic;

/// The file in a shard's folder that says which shard it is: `I/N`.
pub const MARKER: &str = "folio-shard.txt";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based.
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// `I/N` (0 ≤ I < N) or `auto`.
    pub fn parse(s: &str) -> Result<Shard, String> {
        if s == "auto" {
            return Shard::from_env(|k| std::env::var(k).ok()).map_err(|d| d.message);
        }
        let (i, n) = s.split_once('/').ok_or_else(|| format!("`{s}` is not I/N (e.g. 0/3) or auto"))?;
        let (index, count): (u64, u64) = (
            i.trim().parse().map_err(|_| format!("`{i}` in `{s}` is not a number"))?,
            n.trim().parse().map_err(|_| format!("`{n}` in `{s}` is not a number"))?,
        );
        if count == 0 || index >= count {
            return Err(format!("`{s}`: the index counts from 0 and must be below the count (0/{count} … {}/{count})", count.max(1) - 1));
        }
        Ok(Shard { index, count })
    }

    /// From the variables of the engines we know, first match wins:
    /// FOLIO_SHARD_INDEX + FOLIO_SHARD_COUNT (any engine, e.g. a CI matrix);
    /// Kubernetes Indexed Jobs' JOB_COMPLETION_INDEX with FOLIO_SHARD_COUNT;
    /// Slurm arrays' SLURM_ARRAY_TASK_ID (less SLURM_ARRAY_TASK_MIN) and
    /// SLURM_ARRAY_TASK_COUNT; GitLab's CI_NODE_INDEX (from 1) and CI_NODE_TOTAL.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Shard, Diagnostic> {
        let num = |k: &str| -> Result<Option<u64>, Diagnostic> {
            match var(k) {
                None => Ok(None),
                Some(v) => v.trim().parse().map(Some).map_err(|_| Diagnostic::error(format!("{k}={v} is not a number"))),
            }
        };
        let count_for = |engine: &str| -> Result<u64, Diagnostic> {
            num("FOLIO_SHARD_COUNT")?.ok_or_else(|| {
                Diagnostic::error(format!("{engine} gives this worker's index but not the number of workers"))
                    .hint("set FOLIO_SHARD_COUNT to the job's completions / parallelism")
            })
        };
        let found = if let Some(i) = num("FOLIO_SHARD_INDEX")? {
            Some((i, count_for("FOLIO_SHARD_INDEX")?))
        } else if let Some(i) = num("JOB_COMPLETION_INDEX")? {
            Some((i, count_for("JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)")?))
        } else if let Some(id) = num("SLURM_ARRAY_TASK_ID")? {
            let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let count = num("SLURM_ARRAY_TASK_COUNT")?.ok_or_else(|| Diagnostic::error("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not"))?;
            Some((id.checked_sub(min).ok_or_else(|| Diagnostic::error("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN"))?, count))
        } else if let Some(i) = num("CI_NODE_INDEX")? {
            let total = num("CI_NODE_TOTAL")?.ok_or_else(|| Diagnostic::error("CI_NODE_INDEX is set but CI_NODE_TOTAL is not"))?;
            Some((i.checked_sub(1).ok_or_else(|| Diagnostic::error("CI_NODE_INDEX counts from 1"))?, total))
        } else {
            None
        };
        let Some((index, count)) = found else {
            return Err(Diagnostic::error("--shard auto found no shard in the environment").hint(
                "set FOLIO_SHARD_INDEX and FOLIO_SHARD_COUNT, or run under a Kubernetes Indexed Job (JOB_COMPLETION_INDEX), a Slurm array (SLURM_ARRAY_TASK_ID) or GitLab's parallel jobs (CI_NODE_INDEX)",
            ));
        };
        if count == 0 || index >= count {
            return Err(Diagnostic::error(format!("shard {index} of {count} is out of range: the index counts from 0 and must be below the count")));
        }
        Ok(Shard { index, count })
    }

    /// Whether this shard builds the report `name`.
    pub fn owns(&self, name: &str) -> bool {
        index_of(name, self.count) == self.index
    }
}

/// The shard, of `count`, that builds the report `name`.
pub fn index_of(name: &str, count: u64) -> u64 {
    let digest = Sha256::digest(name.as_bytes());
    let h = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
    h % count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: std::collections::HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn every_name_lands_in_exactly_one_shard() {
        let names: Vec<String> = (0..1000).map(|i| format!("R{i:04}")).collect();
        let shards: Vec<Shard> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        let mut sizes = [0; 3];
        for n in &names {
            let owners: Vec<usize> = (0..3).filter(|i| shards[*i].owns(n)).collect();
            assert_eq!(owners.len(), 1, "{n}");
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|s| (280..390).contains(s)), "{sizes:?}");
    }

    #[test]
    fn engines_give_index_and_count() {
        let k8s = env(&[("JOB_COMPLETION_INDEX", "2"), ("FOLIO_SHARD_COUNT", "4")]);
        assert_eq!(Shard::from_env(k8s).unwrap(), Shard { index: 2, count: 4 });
        let slurm = env(&[("SLURM_ARRAY_TASK_ID", "5"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "8")]);
        assert_eq!(Shard::from_env(slurm).unwrap(), Shard { index: 4, count: 8 });
        let gitlab = env(&[("CI_NODE_INDEX", "1"), ("CI_NODE_TOTAL", "3")]);
        assert_eq!(Shard::from_env(gitlab).unwrap(), Shard { index: 0, count: 3 });
        let matrix = env(&[("FOLIO_SHARD_INDEX", "0"), ("FOLIO_SHARD_COUNT", "2")]);
        assert_eq!(Shard::from_env(matrix).unwrap(), Shard { index: 0, count: 2 });
        assert!(Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "1")])).unwrap_err().hints[0].contains("FOLIO_SHARD_COUNT"));
        assert!(Shard::from_env(env(&[])).is_err());
        assert!(Shard::from_env(env(&[("FOLIO_SHARD_INDEX", "3"), ("FOLIO_SHARD_COUNT", "3")])).is_err());
        assert_eq!(Shard::parse("1/3").unwrap(), Shard { index: 1, count: 3 });
        assert!(Shard::parse("3/3").is_err() && Shard::parse("x").is_err());
    }
}
