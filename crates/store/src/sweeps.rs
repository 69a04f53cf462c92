//! Configurations of sweep runs rebuilt from their sweep's spec (schema v4), and a
//! sweep's state counted from its runs ([`Store::sweep_status`]).
//!
//! A run recorded by [`crate::SweepWriter`] keeps its sweep (`sweep_ref`, a row of the
//! `sweeps` table holding the `sweep.toml` text) and its grid index instead of its own
//! configuration texts. Reading it rebuilds the configuration the sweep ran
//! ([`SweepSpec::experiment`] of [`SweepSpec::point`]) and gives the texts the store
//! held before v4: `config_toml` is `Experiment::to_toml`, `config` the JSON value read back
//! from `serde_json::to_value(..).to_string()`, exactly the round trip a stored
//! `config_json` took.

use std::collections::HashMap;
use std::rc::Rc;

use rusqlite::OptionalExtension;
use serde_json::Value;

use nnlab_lab::sweep::files::parse_spec;
use nnlab_lab::sweep::SweepSpec;
use nnlab_lab::Experiment;

use crate::{Store, StoreError};

/// Specs already read, by `sweeps.id`: listing the 1000 runs of a sweep parses its spec once.
#[derive(Default)]
pub(crate) struct SpecCache {
    specs: HashMap<i64, Rc<SweepSpec>>,
}

/// The JSON value of a configuration as a stored `config_json` reads back.
pub(crate) fn config_value(exp: &Experiment) -> Result<Value, serde_json::Error> {
    serde_json::from_str(&serde_json::to_value(exp)?.to_string())
}

impl Store {
    /// The configuration of run `id`, grid point `index` of the sweep `sweep_ref`.
    pub(crate) fn sweep_experiment(
        &self,
        cache: &mut SpecCache,
        id: i64,
        sweep_ref: i64,
        index: i64,
    ) -> Result<Experiment, StoreError> {
        let spec = match cache.specs.get(&sweep_ref) {
            Some(s) => Rc::clone(s),
            None => {
                let text: String = self
                    .conn
                    .prepare_cached("SELECT spec_toml FROM sweeps WHERE id = ?1")
                    .and_then(|mut stmt| stmt.query_row([sweep_ref], |r| r.get(0)))
                    .map_err(|e| {
                        self.corrupt(id, "sweep_ref", &format!("sweep {sweep_ref}: {e}"))
                    })?;
                let spec = parse_spec(&text, "sweeps.spec_toml")
                    .map_err(|e| self.corrupt(id, "sweep spec", &e.to_string()))?;
                let s = Rc::new(spec);
                cache.specs.insert(sweep_ref, Rc::clone(&s));
                s
            }
        };
        let spec = &*spec;
        let index = usize::try_from(index)
            .ok()
            .filter(|&i| i < spec.n_runs())
            .ok_or_else(|| {
                self.corrupt(
                    id,
                    "sweep_index",
                    &format!("{index} is not a run of a {}-run sweep", spec.n_runs()),
                )
            })?;
        spec.experiment(&spec.point(index))
            .map_err(|e| self.corrupt(id, "sweep configuration", &e.to_string()))
    }
}

/// How a recorded sweep stands ([`Store::sweep_status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepState {
    /// Its writer is still at work.
    Running,
    /// Every planned run is stored.
    Finished,
    /// Its writer ended (or died) with planned runs not stored: a full disk, a failed
    /// sweep, a kill (the runs a killed sweep never wrote are stored as `interrupted`, which
    /// does not count as stored).
    Incomplete,
}

impl SweepState {
    pub fn as_str(self) -> &'static str {
        match self {
            SweepState::Running => "running",
            SweepState::Finished => "finished",
            SweepState::Incomplete => "incomplete",
        }
    }
}

/// A sweep's state and its counts: `stored` of its `planned` runs hold a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepStatus {
    pub state: SweepState,
    pub stored: usize,
    pub planned: usize,
}

impl std::fmt::Display for SweepStatus {
    /// `finished (15 of 15 runs stored)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} of {} runs stored)",
            self.state.as_str(),
            self.stored,
            self.planned
        )
    }
}

/// What [`Store::sweep_status`] reads of a sweep's row.
struct SweepRow {
    id: i64,
    spec: String,
    /// `(shard_k, shard_n)`.
    shard: (Option<i64>, Option<i64>),
    /// Its writer ended (the `finished` column).
    ended: bool,
}

impl Store {
    /// The state of the sweep tagged `name` (the id `nnlab runs list --sweep` takes; the
    /// latest such sweep), or `None` when the store keeps no spec for it. Counted from
    /// the runs themselves, the one place the fact lives: the sweep's `finished` column says
    /// only that its writer ended, and the sweep is [`SweepState::Finished`] only when every
    /// planned run (its shard's grid indices) has a stored result. A sweep recorded before
    /// schema v5 has no plan: its whole grid counts as planned.
    pub fn sweep_status(&self, name: &str) -> Result<Option<SweepStatus>, StoreError> {
        let sql = self.sql();
        let row = self
            .conn
            .query_row(
                "SELECT id, spec_toml, shard_k, shard_n, finished FROM sweeps
                 WHERE name = ?1 ORDER BY id DESC LIMIT 1",
                [name],
                |r| {
                    Ok(SweepRow {
                        id: r.get(0)?,
                        spec: r.get(1)?,
                        shard: (r.get(2)?, r.get(3)?),
                        ended: r.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(&sql)?;
        let Some(SweepRow {
            id,
            spec,
            shard,
            ended,
        }) = row
        else {
            return Ok(None);
        };
        let spec = parse_spec(&spec, "sweeps.spec_toml")
            .map_err(|e| self.corrupt(id, "sweep spec", &e.to_string()))?;
        let planned = crate::store::interrupted::planned(shard, spec.n_runs()).len();
        let stored: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM runs
                 WHERE sweep_ref = ?1 AND status NOT IN ('running', 'interrupted')",
                [id],
                |r| r.get(0),
            )
            .map_err(&sql)?;
        let stored = usize::try_from(stored).unwrap_or(0);
        let state = match (ended, stored >= planned) {
            (false, _) => SweepState::Running,
            (true, true) => SweepState::Finished,
            (true, false) => SweepState::Incomplete,
        };
        Ok(Some(SweepStatus {
            state,
            stored,
            planned,
        }))
    }
}
