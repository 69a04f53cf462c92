//! Runs and sweeps whose process is gone: marking them `interrupted` when a store opens.

use std::path::Path;
use std::time::Duration;

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use nnlab_lab::sweep::files::parse_spec;
use nnlab_lab::sweep::grid::shard_indices;
use nnlab_lab::sweep::Shard;

use super::write::seed_sql;
use super::Store;
use crate::clock::{now_rfc3339, parse_rfc3339};
use crate::record::{RunStatus, VERSION};
use crate::StoreError;

impl Store {
    /// Turns `running` rows whose recording process no longer exists into `interrupted`,
    /// and gives every unfinished sweep whose writer process is gone (killed mid-sweep) an
    /// `interrupted` row for each planned run it never wrote ([`Store::mark_sweep`]).
    /// Where `/proc` is missing (not Linux), a process is taken as gone after
    /// [`STALE_AFTER`]. Returns how many runs it marked or inserted.
    pub fn mark_interrupted(&self) -> Result<usize, StoreError> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare("SELECT id, pid, started FROM runs WHERE status = 'running'")
            .map_err(&sql)?;
        let rows: Vec<(i64, Option<i64>, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(&sql)?
            .collect::<Result<_, _>>()
            .map_err(&sql)?;
        let now = parse_rfc3339(&now_rfc3339()).unwrap_or(0);
        let mut marked = 0;
        for (id, pid, started) in rows {
            if !process_alive(pid, parse_rfc3339(&started), now) {
                marked += self
                    .conn
                    .execute(
                        "UPDATE runs SET status = 'interrupted' WHERE id = ?1 AND status = 'running'",
                        [id],
                    )
                    .map_err(&sql)?;
            }
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id, pid, created FROM sweeps WHERE finished = 0")
            .map_err(&sql)?;
        let sweeps: Vec<(i64, Option<i64>, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(&sql)?
            .collect::<Result<_, _>>()
            .map_err(&sql)?;
        for (id, pid, created) in sweeps {
            if !process_alive(pid, parse_rfc3339(&created), now) {
                marked += self.mark_sweep(id)?;
            }
        }
        Ok(marked)
    }

    /// In one `BEGIN IMMEDIATE` transaction: inserts an `interrupted` row for each planned
    /// grid index of sweep `id` that has no row, tagged with the sweep's ref and index (its
    /// configuration is rebuilt from the spec like any sweep run's; its seeds are that
    /// configuration's, its start the sweep's creation), and marks the sweep finished so it
    /// happens once. A sweep already finished (another process got here first) is left
    /// alone. A planned index whose configuration cannot be built (a spec no longer valid)
    /// gets no row; a spec that does not read back gets none at all, and the sweep is
    /// marked finished either way. Returns how many rows it inserted.
    fn mark_sweep(&self, id: i64) -> Result<usize, StoreError> {
        let sql = self.sql();
        let tx =
            Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(&sql)?;
        let row = tx
            .query_row(
                "SELECT name, spec_toml, experiment, created, shard_k, shard_n, version
                 FROM sweeps WHERE id = ?1 AND finished = 0",
                [id],
                |r| {
                    Ok(UnfinishedSweep {
                        name: r.get(0)?,
                        spec: r.get(1)?,
                        experiment: r.get(2)?,
                        created: r.get(3)?,
                        shard: (r.get(4)?, r.get(5)?),
                        version: r.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(&sql)?;
        let Some(sweep) = row else {
            return Ok(0);
        };
        let mut inserted = 0;
        if let Ok(spec) = parse_spec(&sweep.spec, "sweeps.spec_toml") {
            let n_runs = spec.n_runs();
            let mut written = vec![false; n_runs];
            {
                let mut stmt = tx
                    .prepare("SELECT sweep_index FROM runs WHERE sweep_ref = ?1")
                    .map_err(&sql)?;
                let mut rows = stmt.query([id]).map_err(&sql)?;
                while let Some(r) = rows.next().map_err(&sql)? {
                    let index: Option<i64> = r.get(0).map_err(&sql)?;
                    if let Some(w) = index
                        .and_then(|i| usize::try_from(i).ok())
                        .and_then(|i| written.get_mut(i))
                    {
                        *w = true;
                    }
                }
            }
            let mut insert = tx
                .prepare(
                    "INSERT INTO runs (status, started, experiment, sweep, data_seed, init_seed,
                         shuffle_seed, version, sweep_ref, sweep_index)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .map_err(&sql)?;
            let version = sweep.version.as_deref().unwrap_or(VERSION);
            for index in sweep.planned(n_runs) {
                if written.get(index).copied().unwrap_or(true) {
                    continue;
                }
                let Ok(exp) = spec.experiment(&spec.point(index)) else {
                    continue;
                };
                let seeds = exp.seeds();
                insert
                    .execute(params![
                        RunStatus::Interrupted.as_str(),
                        sweep.created,
                        sweep.experiment,
                        sweep.name,
                        seed_sql(seeds.0),
                        seed_sql(seeds.1),
                        seed_sql(seeds.2),
                        version,
                        id,
                        index as i64,
                    ])
                    .map_err(&sql)?;
                inserted += 1;
            }
        }
        tx.execute("UPDATE sweeps SET finished = 1 WHERE id = ?1", [id])
            .map_err(&sql)?;
        tx.commit().map_err(&sql)?;
        Ok(inserted)
    }
}

/// What [`Store::mark_sweep`] reads of a sweep that never finished.
struct UnfinishedSweep {
    name: String,
    spec: String,
    experiment: Option<String>,
    created: String,
    shard: (Option<i64>, Option<i64>),
    version: Option<String>,
}

impl UnfinishedSweep {
    fn planned(&self, n_runs: usize) -> Vec<usize> {
        planned(self.shard, n_runs)
    }
}

/// The planned grid indices of a sweep of `n_runs` whose row holds `(shard_k, shard_n)`:
/// its shard's, every index without one, none if the stored shard is not `1 <= K <= N`
/// (the schema checks it too).
pub(crate) fn planned(shard: (Option<i64>, Option<i64>), n_runs: usize) -> Vec<usize> {
    let shard = match shard {
        (None, None) => None,
        (Some(k), Some(n)) => match (usize::try_from(k), usize::try_from(n)) {
            (Ok(k), Ok(n)) if (1..=n).contains(&k) => Some(Shard { k, n }),
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    shard_indices(n_runs, shard)
}

/// Without `/proc`, a `running` row older than this is taken as abandoned.
pub const STALE_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);

fn process_alive(pid: Option<i64>, started: Option<u64>, now: u64) -> bool {
    let Some(pid) = pid else { return false };
    if pid == i64::from(std::process::id()) {
        return true;
    }
    if Path::new("/proc/self").exists() {
        return Path::new(&format!("/proc/{pid}")).exists();
    }
    started.is_some_and(|s| now.saturating_sub(s) < STALE_AFTER.as_secs())
}
