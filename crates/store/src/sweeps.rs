//! Configurations of sweep runs rebuilt from their sweep's spec (schema v4).
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
