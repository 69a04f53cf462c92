//! `runs prune`: deleting finished runs by count, age, sweep and the store's total size, and
//! giving the space back (chunk files deleted, the database vacuumed).
//!
//! The criteria combine: [`Prune::status`] and [`Prune::sweep`] choose which finished runs
//! are candidates (never a `running` one); of those, the ones beyond the [`Prune::keep`]
//! newest and those that finished more than [`Prune::older_than`] ago go; then, if the store
//! is still above [`Prune::max_size`], the oldest candidates left go until it is not. "Newest"
//! is by start time, then id, the order of `runs list`.
//!
//! A run's size is what deleting it frees: its share of its chunk file (the file's bytes over
//! its runs), the history and JSON texts its row holds inline (runs of `nnlab train`, runs
//! from before schema v7), and the database's other bytes over its runs (the scalars and
//! indexes of a row). The store's size is its database file, its WAL and
//! its chunk files. After the deletes SQLite's `VACUUM` rewrites the database without the
//! freed pages and the WAL is truncated, so the files shrink at once.
//!
//! ```no_run
//! use nnlab_store::prune::{parse_age, parse_size, Prune};
//! use nnlab_store::Store;
//!
//! let store = Store::open("runs.sqlite".as_ref()).unwrap();
//! let rule = Prune {
//!     older_than: Some(parse_age("7d", "--older-than").unwrap()),
//!     max_size: Some(parse_size("500MB", "--max-size").unwrap()),
//!     ..Prune::default()
//! };
//! let gone = store.prune(&rule).unwrap();
//! println!("deleted {} runs", gone.len());
//! ```

use std::time::{Duration, SystemTime};

use crate::clock::rfc3339_at;
use crate::record::RunStatus;
use crate::{Store, StoreError};

/// Which finished runs `runs prune` deletes; see the module docs. The default deletes none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prune {
    /// Keep the N newest candidates (`--keep N`).
    pub keep: Option<usize>,
    /// Only runs with this status are candidates (`--status`).
    pub status: Option<RunStatus>,
    /// Only runs of this sweep are candidates (`--sweep ID`).
    pub sweep: Option<String>,
    /// Delete candidates that finished longer ago than this (`--older-than 7d`).
    pub older_than: Option<Duration>,
    /// Delete the oldest candidates until the store takes at most this many bytes
    /// (`--max-size 500MB`).
    pub max_size: Option<u64>,
}

impl Prune {
    /// True when some criterion deletes runs (status or sweep alone delete all they select).
    pub fn is_empty(&self) -> bool {
        *self == Prune::default()
    }
}

/// Reads an age such as `7d`, `12h`, `30m`, `90s` or `2w` (a whole number and one unit);
/// errors name `flag` and the value.
pub fn parse_age(text: &str, flag: &str) -> Result<Duration, StoreError> {
    let bad = |why: &str| StoreError::Input {
        key: flag.into(),
        message: format!("'{text}' is not an age ({why}; e.g. 7d, 12h, 30m, 90s, 2w)"),
    };
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(split);
    let n: u64 = n.parse().map_err(|_| bad("no whole number first"))?;
    let secs: u64 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        "" => return Err(bad("no unit")),
        _ => return Err(bad("unknown unit")),
    };
    n.checked_mul(secs)
        .map(Duration::from_secs)
        .ok_or_else(|| bad("too long"))
}

/// Reads a size such as `500MB`, `2GB`, `64KiB` or `1000` (bytes): decimal units `KB`, `MB`,
/// `GB` (powers of 1000) and binary `KiB`, `MiB`, `GiB` (powers of 1024), case-insensitive,
/// a number that may have a fraction (`1.5GB`); errors name `flag` and the value.
pub fn parse_size(text: &str, flag: &str) -> Result<u64, StoreError> {
    let bad = |why: &str| StoreError::Input {
        key: flag.into(),
        message: format!("'{text}' is not a size ({why}; e.g. 500MB, 2GB, 64KiB, 1000)"),
    };
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (n, unit) = t.split_at(split);
    let n: f64 = n.parse().map_err(|_| bad("no number first"))?;
    let scale: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return Err(bad("unknown unit")),
    };
    let bytes = n * scale;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(bad("too large"));
    }
    Ok(bytes.round() as u64)
}

/// The bytes of a run row `r`'s inline history and JSON texts (SQL).
const INLINE: &str = "coalesce(length(r.train_loss), 0) + coalesce(length(r.test_loss), 0)
    + coalesce(length(r.lr), 0) + coalesce(length(r.metrics), 0)
    + coalesce(length(r.verdict), 0) + coalesce(length(r.diagnostics), 0)
    + coalesce(length(r.initial_params), 0) + coalesce(length(r.final_params), 0)
    + coalesce(length(r.config_json), 0) + coalesce(length(r.config_toml), 0)
    + coalesce(length(r.status_detail), 0)";

/// A candidate: its id, whether it finished before the age cutoff, and what deleting it
/// frees.
struct Candidate {
    id: i64,
    old: bool,
    bytes: u64,
}

impl Store {
    /// Deletes the finished runs `rule` selects (see the module docs), removes stray chunk
    /// files ([`Store::remove_orphan_chunks`]) and, when something was deleted, vacuums the
    /// database; returns the ids deleted, newest first within each round.
    ///
    /// A size is reached in rounds: a run's size is an estimate (the database keeps pages
    /// of its own), so while the vacuumed files still take more than
    /// [`Prune::max_size`], the oldest candidates left go again, at least one a round.
    pub fn prune(&self, rule: &Prune) -> Result<Vec<i64>, StoreError> {
        let mut gone = self.prune_once(rule)?;
        if let Some(max) = rule.max_size {
            let by_size = Prune {
                keep: None,
                older_than: None,
                ..rule.clone()
            };
            while self.size()? > max {
                let more = self.prune_once(&by_size)?;
                if more.is_empty() {
                    break;
                }
                gone.extend(more);
            }
        }
        Ok(gone)
    }

    /// One round of [`Store::prune`].
    fn prune_once(&self, rule: &Prune) -> Result<Vec<i64>, StoreError> {
        let mut candidates = self.candidates(rule)?;
        let per_row = self.row_bytes()?;
        for c in &mut candidates {
            c.bytes += per_row;
        }
        // Neither count, age nor size given: status or sweep alone select every candidate.
        let all = rule.keep.is_none() && rule.older_than.is_none() && rule.max_size.is_none();
        let mut doomed: Vec<bool> = candidates
            .iter()
            .enumerate()
            .map(|(k, c)| all || rule.keep.is_some_and(|keep| k >= keep) || c.old)
            .collect();
        if let Some(max) = rule.max_size {
            let freed: u64 = candidates
                .iter()
                .zip(&doomed)
                .filter(|(_, &d)| d)
                .map(|(c, _)| c.bytes)
                .sum();
            let mut size = self.size()?.saturating_sub(freed);
            // Newest first: the oldest left go first.
            for (c, d) in candidates.iter().zip(doomed.iter_mut()).rev() {
                if size <= max {
                    break;
                }
                if !*d {
                    *d = true;
                    size = size.saturating_sub(c.bytes);
                }
            }
        }
        let ids: Vec<i64> = candidates
            .iter()
            .zip(&doomed)
            .filter(|(_, &d)| d)
            .map(|(c, _)| c.id)
            .collect();
        self.delete(&ids)?;
        self.remove_orphan_chunks()?;
        if !ids.is_empty() {
            self.reclaim()?;
        }
        Ok(ids)
    }

    /// The finished runs `rule`'s status and sweep select, newest first.
    fn candidates(&self, rule: &Prune) -> Result<Vec<Candidate>, StoreError> {
        let cutoff = rule.older_than.map(|age| {
            rfc3339_at(
                SystemTime::now()
                    .checked_sub(age)
                    .unwrap_or(SystemTime::UNIX_EPOCH),
            )
        });
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT r.id, coalesce(r.finished, r.started) < ?3,
                         coalesce(c.bytes / c.runs, 0) + {INLINE}
                     FROM runs r LEFT JOIN chunks c ON c.id = r.chunk
                     WHERE r.status <> 'running'
                         AND (?1 IS NULL OR r.status = ?1) AND (?2 IS NULL OR r.sweep = ?2)
                     ORDER BY r.started DESC, r.id DESC"
            ))
            .map_err(self.sql())?;
        let rows = stmt
            .query_map(
                rusqlite::params![rule.status.map(RunStatus::as_str), rule.sweep, cutoff],
                |r| {
                    Ok(Candidate {
                        id: r.get(0)?,
                        old: r.get::<_, Option<bool>>(1)?.unwrap_or(false),
                        bytes: r.get::<_, i64>(2)?.max(0) as u64,
                    })
                },
            )
            .map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// The database's bytes that are not inline histories or JSON texts, over its runs:
    /// what a row's scalars and index entries take, on average.
    fn row_bytes(&self) -> Result<u64, StoreError> {
        let (inline, n): (i64, i64) = self
            .conn
            .query_row(
                &format!("SELECT coalesce(sum({INLINE}), 0), count(*) FROM runs r"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.sql())?;
        let len = |p: &str| std::fs::metadata(p).map_or(0, |m| m.len());
        let db = len(&self.path) + len(&format!("{}-wal", self.path));
        Ok(db.saturating_sub(inline.max(0) as u64) / (n.max(1) as u64))
    }

    /// The bytes the store takes on disk: its database file, its WAL and its chunk files.
    pub fn size(&self) -> Result<u64, StoreError> {
        let len = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let mut total = len(self.path.as_ref()) + len(format!("{}-wal", self.path).as_ref());
        if let Ok(entries) = std::fs::read_dir(crate::chunk::dir_of(&self.path)) {
            total += entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum::<u64>();
        }
        Ok(total)
    }

    /// Gives deleted rows' space back to the file system: `VACUUM` rewrites the database
    /// without its free pages, and a truncating checkpoint empties the WAL the rewrite
    /// went through.
    fn reclaim(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(self.sql())
    }
}
