//! Writing runs: inserting finished runs in one transaction, a `running` row at a run's
//! start, and its outcome at the end.

use rusqlite::{params, Transaction, TransactionBehavior};

use nnlab_lab::RunResult;

use super::Store;
use crate::clock::now_rfc3339;
use crate::history::encode;
use crate::record::{RunOutcome, RunRecord, RunStatus};
use crate::schema::sql_error;
use crate::StoreError;

impl Store {
    /// Inserts one run; returns its id.
    pub fn record(&mut self, record: &RunRecord) -> Result<i64, StoreError> {
        Ok(self.record_many(std::slice::from_ref(record))?[0])
    }

    /// Inserts many runs in one transaction (a sweep's batch: one fsync instead of one per
    /// run); returns their ids in order. All or none are stored.
    pub fn record_many(&mut self, records: &[RunRecord]) -> Result<Vec<i64>, StoreError> {
        self.immediate(|tx| records.iter().map(|r| insert(tx, r, None)).collect())
    }

    /// Inserts a `running` row for a run about to start, with this process's id, so a run
    /// killed before it ends is later seen as `interrupted`.
    pub fn begin(&mut self, record: &RunRecord) -> Result<i64, StoreError> {
        self.immediate(|tx| insert(tx, record, Some(std::process::id())))
    }

    /// Completes the row [`Store::begin`] inserted with the run's outcome.
    pub fn finish(&mut self, id: i64, result: &RunResult) -> Result<(), StoreError> {
        let outcome = RunOutcome::of(result, now_rfc3339())?;
        let status = RunStatus::of(&result.status);
        self.immediate(|tx| {
            tx.execute(
                "UPDATE runs SET status = ?1, pid = NULL WHERE id = ?2",
                params![status.as_str(), id],
            )?;
            write_outcome(tx, id, &outcome)
        })
    }

    /// Runs `work` in one IMMEDIATE transaction (the write lock taken at its start, so two
    /// writers queue instead of failing at commit) and commits it; nothing is kept on error.
    fn immediate<T>(
        &mut self,
        work: impl FnOnce(&Transaction) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let path = self.path.clone();
        let sql = |source| sql_error(&path, source);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let value = work(&tx).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(value)
    }
}

/// Seeds are u64; SQLite integers are i64. The cast keeps the bits both ways.
pub(super) fn seed_sql(seed: u64) -> i64 {
    seed as i64
}

fn insert(tx: &Transaction, r: &RunRecord, pid: Option<u32>) -> rusqlite::Result<i64> {
    // One statement for a started and a finished run (the outcome columns are NULL until
    // the run finishes): a sweep inserts thousands of finished runs, each without an UPDATE.
    let o = r.outcome.as_ref();
    let h = o.map(|o| encode(&o.history));
    let mut stmt = tx.prepare_cached(
        "INSERT INTO runs (status, started, pid, experiment, sweep, config_toml, config_json,
             data_seed, init_seed, shuffle_seed, version, finished, status_detail, epochs_run,
             initial_params, final_params, metrics, diagnostics, final_loss,
             train_loss, test_loss, lr, outcome, verdict)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
             ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
    )?;
    stmt.execute(params![
        r.status.as_str(),
        r.started,
        pid,
        r.experiment,
        r.sweep,
        r.config_toml,
        r.config.to_string(),
        seed_sql(r.seeds.0),
        seed_sql(r.seeds.1),
        seed_sql(r.seeds.2),
        r.version,
        o.map(|o| &o.finished),
        o.map(|o| o.status_detail.to_string()),
        o.map(|o| o.epochs_run as i64),
        o.map(|o| &o.initial_params),
        o.map(|o| &o.final_params),
        o.map(|o| o.metrics.to_string()),
        o.map(|o| o.diagnostics.to_string()),
        o.and_then(|o| o.history.last())
            .and_then(|h| finite(h.train_loss)),
        h.as_ref().map(|h| &h.train_loss),
        h.as_ref().and_then(|h| h.test_loss.as_ref()),
        h.as_ref().map(|h| &h.lr),
        o.map(|o| o.outcome.name()),
        o.map(|o| o.verdict.to_string()),
    ])?;
    Ok(tx.last_insert_rowid())
}

/// `final_loss` is a plain REAL for sorting and listing; SQLite stores NaN as NULL, and
/// every non-finite final loss is NULL on purpose (the history blobs keep the bits).
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn write_outcome(tx: &Transaction, id: i64, o: &RunOutcome) -> rusqlite::Result<()> {
    let h = encode(&o.history);
    tx.execute(
        "UPDATE runs SET finished = ?1, status_detail = ?2, epochs_run = ?3,
             initial_params = ?4, final_params = ?5, metrics = ?6, diagnostics = ?7,
             final_loss = ?8, train_loss = ?9, test_loss = ?10, lr = ?11, outcome = ?12,
             verdict = ?13
         WHERE id = ?14",
        params![
            o.finished,
            o.status_detail.to_string(),
            o.epochs_run as i64,
            o.initial_params,
            o.final_params,
            o.metrics.to_string(),
            o.diagnostics.to_string(),
            o.history.last().and_then(|h| finite(h.train_loss)),
            h.train_loss,
            h.test_loss,
            h.lr,
            o.outcome.name(),
            o.verdict.to_string(),
            id,
        ],
    )?;
    Ok(())
}
