//! Predictions from a stored run (`nnlab predict ID`, `nnlab.predict(ID, rows)`): what the
//! store keeps of it, handed to [`Predictor::from_recorded`], which refits the scaler on the
//! run's data and checks it against the run's recorded metrics.

use nnlab_lab::Predictor;

use crate::{Store, StoreError};

impl Store {
    /// The predictor of run `id`: its final network and the scaler of its training rows.
    /// A run that did not finish has no final parameters to predict with.
    pub fn predictor(&self, id: i64) -> Result<Predictor, StoreError> {
        let run = self.get(id)?;
        let what = format!("run {id}");
        let params = run
            .final_params
            .as_deref()
            .ok_or_else(|| StoreError::Input {
                key: what.clone(),
                message: format!(
                    "it is {} and has no final parameters; predict from a finished run",
                    run.summary.status
                ),
            })?;
        Ok(Predictor::from_recorded(
            &what,
            &run.config_toml,
            params,
            &run.summary.metrics,
        )?)
    }
}
