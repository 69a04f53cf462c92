//! `nnlab runs import STORE...`: other stores' runs merged into this one, e.g. the stores of
//! the shards of a sweep run on a cluster, each run once.
//!
//! A run has no identity across stores but its content, so a run is known by its [`RunKey`]:
//! start and finish times (milliseconds), status, tags (experiment, sweep), seeds, nnlab
//! version, configuration, epochs run and the bits of the final loss. A source run is added
//! when this store holds fewer runs with its key than the source does; so importing a store
//! twice, or a store into itself, adds nothing, and two identical runs of one source both
//! arrive. Added runs get new ids of this store (in the source's order of starting) and keep
//! everything else: tags (a sweep's runs still list with `runs list --sweep ID`), times,
//! configuration, outcome, parameters, metrics, diagnostics and the per-epoch history, bit
//! for bit. A sweep run's configuration is stored with the run rather than rebuilt from its
//! sweep's spec.
//!
//! Runs are read through [`Store::list`] and [`Store::get`] and written through
//! [`Store::record_many`], so the import follows whatever layout those keep. It writes in
//! batches of [`BATCH`] runs, each one transaction: a killed import leaves whole runs, and
//! running it again adds the rest. Not imported: runs still `running` in the source (import
//! them once they finish) and finished runs recorded before the store kept outcomes (schema
//! v6), which [`RunRecord`] cannot hold; [`Imported`] counts both.

use std::collections::HashMap;
use std::path::Path;

use crate::read::{Filter, RunSummary, StoredRun};
use crate::record::{RunOutcome, RunRecord, RunStatus};
use crate::{Store, StoreError};

/// Runs written per transaction.
pub const BATCH: usize = 256;

/// What identifies a run across stores (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RunKey {
    started: String,
    finished: Option<String>,
    status: &'static str,
    experiment: Option<String>,
    sweep: Option<String>,
    seeds: (u64, u64, u64),
    version: String,
    /// The configuration's JSON text (keys sorted, numbers in their shortest exact form).
    config: String,
    epochs_run: Option<usize>,
    final_loss: Option<u64>,
}

impl RunKey {
    pub fn of(r: &RunSummary) -> RunKey {
        RunKey {
            started: r.started.clone(),
            finished: r.finished.clone(),
            status: r.status.as_str(),
            experiment: r.experiment.clone(),
            sweep: r.sweep.clone(),
            seeds: r.seeds,
            version: r.version.clone(),
            config: r.config.to_string(),
            epochs_run: r.epochs_run,
            final_loss: r.final_loss.map(f64::to_bits),
        }
    }
}

/// What one import did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Imported {
    /// The ids the added runs got here, in the order they were added.
    pub added: Vec<i64>,
    /// Runs of the source this store already held.
    pub present: usize,
    /// Runs still `running` in the source, left out.
    pub running: usize,
    /// Finished runs of the source without an outcome (recorded before schema v6), left out.
    pub no_outcome: usize,
}

/// A stored run as a record to insert again; `None` when it cannot be (running, or finished
/// without an outcome: see the module doc).
fn record_of(run: StoredRun, source: &str) -> Result<Option<RunRecord>, StoreError> {
    let s = run.summary;
    if s.status == RunStatus::Running {
        return Ok(None);
    }
    let missing = |what: &str| StoreError::Corrupt {
        path: source.to_string(),
        id: s.id,
        what: what.into(),
        message: "missing in a finished run".into(),
    };
    let outcome = match (&s.finished, s.outcome) {
        (Some(finished), Some(outcome)) => Some(RunOutcome {
            finished: finished.clone(),
            status_detail: run.status_detail,
            epochs_run: s.epochs_run.unwrap_or(run.history.len()),
            initial_params: run
                .initial_params
                .ok_or_else(|| missing("initial_params"))?,
            final_params: run.final_params.ok_or_else(|| missing("final_params"))?,
            metrics: s.metrics,
            diagnostics: run.diagnostics,
            outcome,
            verdict: run.verdict,
            history: run.history,
        }),
        (Some(_), None) => return Ok(None),
        (None, _) => None,
    };
    Ok(Some(RunRecord {
        status: s.status,
        started: s.started,
        experiment: s.experiment,
        sweep: s.sweep,
        config_toml: run.config_toml,
        config: s.config,
        seeds: s.seeds,
        version: s.version,
        outcome,
    }))
}

impl Store {
    /// Adds the runs of the store at `source` that this one lacks (see the module doc).
    /// `source` must be an existing file; opening it migrates it to this nnlab's schema,
    /// like any other command would.
    pub fn import(&mut self, source: &Path) -> Result<Imported, StoreError> {
        let name = source.display().to_string();
        if !source.is_file() {
            return Err(StoreError::Input {
                key: name,
                message: "no such run store".into(),
            });
        }
        let from = Store::open(source)?;
        let mut have: HashMap<RunKey, usize> = HashMap::new();
        for r in self.list(&Filter::default())? {
            *have.entry(RunKey::of(&r)).or_default() += 1;
        }
        let mut seen: HashMap<RunKey, usize> = HashMap::new();
        let mut report = Imported::default();
        let mut todo = Vec::new();
        // Oldest first, so ids here grow with the start times as they did there.
        for r in from.list(&Filter::default())?.into_iter().rev() {
            if r.status == RunStatus::Running {
                report.running += 1;
                continue;
            }
            let key = RunKey::of(&r);
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            if *n <= have.get(&key).copied().unwrap_or(0) {
                report.present += 1;
            } else {
                todo.push(r.id);
            }
        }
        for ids in todo.chunks(BATCH) {
            let mut records = Vec::with_capacity(ids.len());
            for id in ids {
                match record_of(from.get(*id)?, &name)? {
                    Some(r) => records.push(r),
                    None => report.no_outcome += 1,
                }
            }
            report.added.extend(self.record_many(&records)?);
        }
        Ok(report)
    }
}
