//! Reading, listing and deleting stored runs.

use rusqlite::{params_from_iter, Row};
use serde::Serialize;
use serde_json::Value;

use nnlab_lab::verdict::Outcome;
use nnlab_train::EpochRecord;

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
    sweep_ref, sweep_index, outcome";

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
        while let Some(row) = rows.next().map_err(&err)? {
            let (run, _) = self.summary(row, &mut specs)?;
            if filter.conditions.iter().all(|c| c.matches(&run.config)) {
                out.push(run);
                if filter.limit.is_some_and(|l| out.len() >= l) {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// The summary of a row selected with [`SUMMARY_COLUMNS`] first, and the rebuilt
    /// configuration of a sweep run (see [`crate::sweeps`]).
    fn summary(
        &self,
        row: &Row,
        specs: &mut SpecCache,
    ) -> Result<(RunSummary, Option<nnlab_lab::Experiment>), StoreError> {
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
            metrics: self.json(id, "metrics", row.get(13).map_err(&err)?)?,
            outcome: match row.get::<_, Option<String>>(16).map_err(&err)? {
                None => None,
                Some(name) => {
                    Some(Outcome::parse(&name).ok_or_else(|| self.corrupt(id, "outcome", &name))?)
                }
            },
        };
        Ok((summary, rebuilt))
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
        let (summary, rebuilt) = self.summary(row, &mut SpecCache::default())?;
        let config_toml = match (row.get::<_, Option<String>>(17).map_err(&err)?, rebuilt) {
            (Some(text), _) => text,
            (None, Some(exp)) => exp.to_toml()?,
            (None, None) => return Err(self.corrupt(id, "config_toml", "missing")),
        };
        let run = StoredRun {
            config_toml,
            status_detail: self.json(id, "status_detail", row.get(18).map_err(&err)?)?,
            initial_params: row.get(19).map_err(&err)?,
            final_params: row.get(20).map_err(&err)?,
            diagnostics: self.json(id, "diagnostics", row.get(21).map_err(&err)?)?,
            verdict: self.json(id, "verdict", row.get(22).map_err(&err)?)?,
            history: self.history(id)?,
            summary,
        };
        Ok(run)
    }

    /// Run `id`'s per-epoch history (empty while it is running). Losses read back with
    /// their exact bits, NaN and infinities included.
    pub fn history(&self, id: i64) -> Result<Vec<EpochRecord>, StoreError> {
        let err = self.sql();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT train_loss, test_loss, lr FROM runs WHERE id = ?1")
            .map_err(&err)?;
        let mut rows = stmt.query([id]).map_err(&err)?;
        // No such run reads as no history, as it did when history had its own table.
        let Some(row) = rows.next().map_err(&err)? else {
            return Ok(Vec::new());
        };
        let train: Option<Vec<u8>> = row.get(0).map_err(&err)?;
        let test: Option<Vec<u8>> = row.get(1).map_err(&err)?;
        let lr: Option<Vec<u8>> = row.get(2).map_err(&err)?;
        match (train, lr) {
            (Some(train), Some(lr)) => crate::history::decode(&train, test.as_deref(), &lr)
                .map_err(|m| self.corrupt(id, "history", &m)),
            _ => Ok(Vec::new()),
        }
    }

    /// Deletes runs by id (their history goes with them); returns how many existed.
    pub fn delete(&self, ids: &[i64]) -> Result<usize, StoreError> {
        let err = self.sql();
        let tx = self.conn.unchecked_transaction().map_err(&err)?;
        let mut n = 0;
        for id in ids {
            n += tx
                .execute("DELETE FROM runs WHERE id = ?1", [id])
                .map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        Ok(n)
    }

    /// Deletes finished runs (never `running` ones) with `status` (any when `None`),
    /// keeping the `keep` newest of them; returns the ids deleted.
    pub fn prune(&self, keep: usize, status: Option<RunStatus>) -> Result<Vec<i64>, StoreError> {
        let runs = self.list(&Filter {
            status,
            ..Filter::default()
        })?;
        let doomed: Vec<i64> = runs
            .iter()
            .filter(|r| r.status != RunStatus::Running)
            .skip(keep)
            .map(|r| r.id)
            .collect();
        self.delete(&doomed)?;
        Ok(doomed)
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
