//! Reading, listing and deleting stored runs.

use rusqlite::{params_from_iter, OptionalExtension, Row};
use serde::Serialize;
use serde_json::Value;

use nnlab_lab::verdict::Outcome;
use nnlab_train::EpochRecord;

use crate::chunk::{Facts, LastChunk};
use crate::query::Condition;
use crate::record::{ParamList, RunStatus};
use crate::sweeps::{config_value, SpecCache};
use crate::{Store, StoreError};

/// What `runs list` selects.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<RunStatus>,
    pub outcome: Option<Outcome>,
    pub experiment: Option<String>,
    pub sweep: Option<String>,
    pub conditions: Vec<Condition>,
    pub limit: Option<usize>,
}

/// One run as listed: everything but the history and the parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSummary {
    pub id: i64,
    pub status: RunStatus,
    pub started: String,
    pub finished: Option<String>,
    pub experiment: Option<String>,
    pub sweep: Option<String>,
    pub version: String,
    pub seeds: (u64, u64, u64),
    pub epochs_run: Option<usize>,
    /// The last epoch's mean training loss (`None` while running or if it was not finite).
    pub final_loss: Option<f64>,
    pub config: Value,
    /// JSON of `MetricsBySet` (`null` while running).
    pub metrics: Value,
    /// How the run ended up (learned, stuck, ...); `None` while running, for interrupted
    /// runs and for runs recorded before schema v6 (outcome unknown, see
    /// [`crate::schema::V6`]).
    pub outcome: Option<Outcome>,
}

/// One run with everything stored about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredRun {
    #[serde(flatten)]
    pub summary: RunSummary,
    pub config_toml: String,
    pub status_detail: Value,
    pub initial_params: Option<String>,
    pub final_params: Option<String>,
    pub diagnostics: Value,
    /// JSON of the run's `Verdict` (outcome, judged set, R², spread, reason); `null` when
    /// the outcome is unknown.
    pub verdict: Value,
    pub history: Vec<EpochRecord>,
}

const SUMMARY_COLUMNS: &str = "id, status, started, finished, experiment, sweep, version,
    data_seed, init_seed, shuffle_seed, epochs_run, final_loss, config_json, metrics,
    sweep_ref, sweep_index, outcome, chunk, chunk_pos";

/// Where a row's chunk columns are in [`SUMMARY_COLUMNS`].
const CHUNK: usize = 17;

impl Store {
    /// Runs matching `filter`, newest first (by start time, then id).
    pub fn list(&self, filter: &Filter) -> Result<Vec<RunSummary>, StoreError> {
        let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM runs WHERE 1 = 1");
        let mut args: Vec<String> = Vec::new();
        if let Some(s) = filter.status {
            args.push(s.as_str().into());
            sql += &format!(" AND status = ?{}", args.len());
        }
        if let Some(o) = filter.outcome {
            args.push(o.name().into());
            sql += &format!(" AND outcome = ?{}", args.len());
        }
        if let Some(e) = &filter.experiment {
            args.push(e.clone());
            sql += &format!(" AND experiment = ?{}", args.len());
        }
        if let Some(s) = &filter.sweep {
            args.push(s.clone());
            sql += &format!(" AND sweep = ?{}", args.len());
        }
        sql += " ORDER BY started DESC, id DESC";
        let err = self.sql();
        let mut stmt = self.conn.prepare(&sql).map_err(&err)?;
        let mut rows = stmt.query(params_from_iter(args.iter())).map_err(&err)?;
        let mut out = Vec::new();
        let mut specs = SpecCache::default();
        let mut chunks = LastChunk::default();
        while let Some(row) = rows.next().map_err(&err)? {
            let (run, _, _) = self.summary(row, &mut specs, &mut chunks)?;
            if filter.conditions.iter().all(|c| c.matches(&run.config)) {
                out.push(run);
                if filter.limit.is_some_and(|l| out.len() >= l) {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// The summary of a row selected with [`SUMMARY_COLUMNS`] first, the rebuilt
    /// configuration of a sweep run (see [`crate::sweeps`]), and the facts of a run stored
    /// in a chunk (see [`crate::chunk`]).
    fn summary(
        &self,
        row: &Row,
        specs: &mut SpecCache,
        chunks: &mut LastChunk,
    ) -> Result<(RunSummary, Option<nnlab_lab::Experiment>, Option<Facts>), StoreError> {
        let err = self.sql();
        let id: i64 = row.get(0).map_err(&err)?;
        let status: String = row.get(1).map_err(&err)?;
        let status = status
            .parse()
            .map_err(|_| self.corrupt(id, "status", &status))?;
        let seed = |i| row.get::<_, i64>(i).map(|s| s as u64).map_err(&err);
        let config_json: Option<String> = row.get(12).map_err(&err)?;
        let sweep_ref: Option<i64> = row.get(14).map_err(&err)?;
        let sweep_index: Option<i64> = row.get(15).map_err(&err)?;
        let (config, rebuilt) = match (config_json, sweep_ref, sweep_index) {
            (Some(text), _, _) => (self.json(id, "config_json", Some(text))?, None),
            (None, Some(sweep), Some(index)) => {
                let exp = self.sweep_experiment(specs, id, sweep, index)?;
                let value =
                    config_value(&exp).map_err(|e| self.corrupt(id, "config", &e.to_string()))?;
                (value, Some(exp))
            }
            _ => return Err(self.corrupt(id, "config_json", "missing, and not a sweep run")),
        };
        let chunk: Option<i64> = row.get(CHUNK).map_err(&err)?;
        let facts = match chunk {
            Some(c) => Some(self.chunk_facts(chunks, id, c, row.get(CHUNK + 1).map_err(&err)?)?),
            None => None,
        };
        let metrics = match &facts {
            Some(f) => f.metrics.clone(),
            None => self.json(id, "metrics", row.get(13).map_err(&err)?)?,
        };
        let summary = RunSummary {
            id,
            status,
            started: row.get(2).map_err(&err)?,
            finished: row.get(3).map_err(&err)?,
            experiment: row.get(4).map_err(&err)?,
            sweep: row.get(5).map_err(&err)?,
            version: row.get(6).map_err(&err)?,
            seeds: (seed(7)?, seed(8)?, seed(9)?),
            epochs_run: row
                .get::<_, Option<i64>>(10)
                .map_err(&err)?
                .map(|n| n.max(0) as usize),
            final_loss: row.get(11).map_err(&err)?,
            config,
            metrics,
            outcome: match row.get::<_, Option<String>>(16).map_err(&err)? {
                None => None,
                Some(name) => {
                    Some(Outcome::parse(&name).ok_or_else(|| self.corrupt(id, "outcome", &name))?)
                }
            },
        };
        Ok((summary, rebuilt, facts))
    }

    fn json(&self, id: i64, what: &str, text: Option<String>) -> Result<Value, StoreError> {
        match text {
            None => Ok(Value::Null),
            Some(t) => serde_json::from_str(&t).map_err(|e| self.corrupt(id, what, &e.to_string())),
        }
    }

    pub(crate) fn corrupt(&self, id: i64, what: &str, message: &str) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            id,
            what: what.into(),
            message: message.into(),
        }
    }

    /// Everything stored about run `id`.
    pub fn get(&self, id: i64) -> Result<StoredRun, StoreError> {
        let err = self.sql();
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, config_toml, status_detail, initial_params,
                 final_params, diagnostics, verdict FROM runs WHERE id = ?1"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(&err)?;
        let mut rows = stmt.query([id]).map_err(&err)?;
        let Some(row) = rows.next().map_err(&err)? else {
            return Err(StoreError::NotFound {
                path: self.path.clone(),
                id,
            });
        };
        let mut chunks = LastChunk::default();
        let (summary, rebuilt, facts) =
            self.summary(row, &mut SpecCache::default(), &mut chunks)?;
        let text = |i: usize| row.get::<_, Option<String>>(CHUNK + 1 + i).map_err(&err);
        let config_toml = match (text(1)?, rebuilt) {
            (Some(text), _) => text,
            (None, Some(exp)) => exp.to_toml()?,
            (None, None) => return Err(self.corrupt(id, "config_toml", "missing")),
        };
        let run = match facts {
            Some(f) => StoredRun {
                config_toml,
                status_detail: f.status_detail,
                initial_params: Some(f.initial_params),
                final_params: Some(f.final_params),
                diagnostics: f.diagnostics,
                verdict: f.verdict,
                history: self.history(id)?,
                summary,
            },
            None => StoredRun {
                config_toml,
                status_detail: self.json(id, "status_detail", text(2)?)?,
                initial_params: text(3)?,
                final_params: text(4)?,
                diagnostics: self.json(id, "diagnostics", text(5)?)?,
                verdict: self.json(id, "verdict", text(6)?)?,
                history: self.history(id)?,
                summary,
            },
        };
        Ok(run)
    }

    /// Run `id`'s per-epoch history (empty while it is running). Losses read back with
    /// their exact bits, NaN and infinities included.
    pub fn history(&self, id: i64) -> Result<Vec<EpochRecord>, StoreError> {
        let err = self.sql();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT train_loss, test_loss, lr, chunk, chunk_pos FROM runs WHERE id = ?1",
            )
            .map_err(&err)?;
        let mut rows = stmt.query([id]).map_err(&err)?;
        // No such run reads as no history, as it did when history had its own table.
        let Some(row) = rows.next().map_err(&err)? else {
            return Ok(Vec::new());
        };
        let train: Option<Vec<u8>> = row.get(0).map_err(&err)?;
        let test: Option<Vec<u8>> = row.get(1).map_err(&err)?;
        let lr: Option<Vec<u8>> = row.get(2).map_err(&err)?;
        if let Some(chunk) = row.get::<_, Option<i64>>(3).map_err(&err)? {
            let pos = row.get(4).map_err(&err)?;
            return self.chunk_history(&mut LastChunk::default(), id, chunk, pos);
        }
        match (train, lr) {
            (Some(train), Some(lr)) => crate::history::decode(&train, test.as_deref(), &lr)
                .map_err(|m| self.corrupt(id, "history", &m)),
            _ => Ok(Vec::new()),
        }
    }

    /// Deletes runs by id (their history goes with them); returns how many existed.
    ///
    /// A chunk ([`crate::chunk`]) whose last run is deleted goes too: its row in the same
    /// transaction, its file after the commit (a process killed in between leaves a file
    /// no row names, which [`Store::remove_orphan_chunks`] removes).
    pub fn delete(&self, ids: &[i64]) -> Result<usize, StoreError> {
        let err = self.sql();
        let tx = self.conn.unchecked_transaction().map_err(&err)?;
        let mut n = 0;
        let mut chunks = std::collections::BTreeSet::new();
        for id in ids {
            let chunk: Option<Option<i64>> = tx
                .query_row("SELECT chunk FROM runs WHERE id = ?1", [id], |r| r.get(0))
                .optional()
                .map_err(&err)?;
            chunks.extend(chunk.flatten());
            n += tx
                .execute("DELETE FROM runs WHERE id = ?1", [id])
                .map_err(&err)?;
        }
        let mut dead = Vec::new();
        for c in chunks {
            let gone = tx
                .execute(
                    "DELETE FROM chunks WHERE id = ?1
                         AND NOT EXISTS (SELECT 1 FROM runs WHERE chunk = ?1)",
                    [c],
                )
                .map_err(&err)?;
            if gone > 0 {
                dead.push(c);
            }
        }
        tx.commit().map_err(&err)?;
        let dir = crate::chunk::dir_of(&self.path);
        for c in dead {
            remove_file(&crate::chunk::file_of(&dir, c))?;
        }
        Ok(n)
    }

    /// Removes the chunk files that no `chunks` row names (left by a process killed between
    /// writing a file and committing, or between a delete's commit and its unlink); returns
    /// how many. Only files named like chunk files (`<id>.nnc`) are touched, and only those
    /// whose id is below the next id SQLite will give, so a writer's file about to be
    /// committed is left alone.
    pub fn remove_orphan_chunks(&self) -> Result<usize, StoreError> {
        let err = self.sql();
        let dir = crate::chunk::dir_of(&self.path);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(0);
        };
        let (live, next): (std::collections::HashSet<i64>, i64) = {
            let tx = self.conn.unchecked_transaction().map_err(&err)?;
            let live = tx
                .prepare("SELECT id FROM chunks")
                .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                .map_err(&err)?;
            let next: i64 = tx
                .query_row(
                    "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'chunks'), 0)",
                    [],
                    |r| r.get(0),
                )
                .map_err(&err)?;
            (live, next)
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let id = name
                .to_str()
                .and_then(|n| n.strip_suffix(".nnc"))
                .and_then(|n| n.parse::<i64>().ok());
            if id.is_some_and(|id| id <= next && !live.contains(&id)) {
                remove_file(&entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

impl StoredRun {
    /// What was recorded of the run's outcome, as [`nnlab_lab::rerun`] checks a fresh
    /// training against it; `None` for a run that never finished (nothing to compare).
    pub fn recorded(&self) -> Result<Option<nnlab_lab::Recorded>, StoreError> {
        if self.summary.finished.is_none() {
            return Ok(None);
        }
        let params = |what: &str, text: &Option<String>| {
            text.as_deref()
                .map(|t| {
                    ParamList::parse(t)
                        .map(|p| p.0)
                        .map_err(|e| StoreError::Corrupt {
                            path: String::new(),
                            id: self.summary.id,
                            what: format!("{what}_params"),
                            message: e.to_string(),
                        })
                })
                .transpose()
        };
        Ok(Some(nnlab_lab::Recorded {
            status: self.summary.status.to_string(),
            history: self.history.clone(),
            initial_params: params("initial", &self.initial_params)?,
            final_params: params("final", &self.final_params)?,
        }))
    }

    /// The run as [`nnlab_lab::compare`] sets it beside others.
    pub fn compared(&self) -> nnlab_lab::Compared<'_> {
        nnlab_lab::Compared {
            id: self.summary.id,
            status: self.summary.status.as_str(),
            outcome: self.summary.outcome.map(Outcome::name),
            config: &self.summary.config,
            final_loss: self.summary.final_loss,
            metrics: &self.summary.metrics,
            history: &self.history,
        }
    }
}

/// Removes a file; one already gone is not an error.
fn remove_file(path: &std::path::Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(StoreError::Io {
            path: path.display().to_string(),
            source: e,
        }),
        _ => Ok(()),
    }
}
