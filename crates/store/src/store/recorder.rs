//! Recording one `nnlab train` run from its start to its end ([`Recorder`]).

use std::path::Path;

use nnlab_lab::{Experiment, RunResult};

use super::Store;
use crate::clock::now_rfc3339;
use crate::record::RunRecord;
use crate::StoreError;

/// Records one `nnlab train` run: a `running` row at the start, its outcome at the end.
pub struct Recorder {
    store: Store,
    id: i64,
}

impl Recorder {
    /// Opens the store and inserts the `running` row for `exp`.
    pub fn start(
        path: &Path,
        exp: &Experiment,
        experiment: Option<&str>,
    ) -> Result<Recorder, StoreError> {
        let mut store = Store::open(path)?;
        let record = RunRecord::starting(exp, now_rfc3339())?.tagged(experiment, None);
        let id = store.begin(&record)?;
        Ok(Recorder { store, id })
    }

    /// The run's id in the store.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Stores the outcome; returns the run's id.
    pub fn finish(mut self, result: &RunResult) -> Result<i64, StoreError> {
        self.store.finish(self.id, result)?;
        Ok(self.id)
    }

    /// Removes the row of a run that never trained (its configuration or data was rejected).
    pub fn abandon(self) -> Result<(), StoreError> {
        self.store.delete(&[self.id]).map(|_| ())
    }
}
