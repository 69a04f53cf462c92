//! A session as a stored run: the [`RunResult`] that `nnlab_lab::run` would give for the
//! training so far (built by the pipeline's [`assemble`] stage), recorded like an `nnlab
//! train` run (`POST /api/sessions/{id}/save`).
//!
//! The stored configuration has `train.epochs` set to the epochs completed (one more when
//! the run diverged in the next one), so `nnlab runs rerun ID` trains exactly as far as
//! the session did and, stepping being bit-identical to `nnlab train`, gets the same bits.
//! What breaks that (a hand-edited parameter, an import without optimizer state, a save in
//! the middle of an epoch, uploaded CSV data the store does not keep) is said in `notes`.

use nnlab_lab::{assemble, RunResult, Trained};
use nnlab_store::clock::now_rfc3339;
use nnlab_store::RunRecord;
use nnlab_train::TrainStatus;

use crate::session::Session;
use crate::ApiError;

/// What a save records, and why a rerun would not reproduce it (empty when it would).
pub struct SavedRun {
    pub record: RunRecord,
    pub notes: Vec<String>,
}

/// The session's run as a finished [`RunRecord`]; 409 before the first epoch.
pub fn saved_run(s: &Session) -> Result<SavedRun, ApiError> {
    let (result, notes) = run_result(s)?;
    let record = RunRecord::finished(&result, s.started.clone(), now_rfc3339())
        .map_err(ApiError::internal)?;
    Ok(SavedRun { record, notes })
}

/// The run so far as `nnlab_lab::run` reports one, with the notes on reproducibility.
pub fn run_result(s: &Session) -> Result<(RunResult, Vec<String>), ApiError> {
    let t = s.trainer();
    let history = t.history();
    let diverged = matches!(t.status(), TrainStatus::Diverged { .. });
    if history.is_empty() && !diverged {
        return Err(ApiError::conflict(
            "nothing to save yet: step at least one whole epoch first",
        ));
    }
    let mut notes = Vec::new();
    if s.edited() {
        notes.push(
            "a parameter was set by hand, the network was resized, or the run was imported without its optimizer state"
                .to_string(),
        );
    }
    if t.position() > 0 && !diverged {
        notes.push(format!(
            "saved in the middle of epoch {} (after row {} of {}): the final parameters include part of an epoch",
            t.epoch() + 1,
            t.position(),
            t.n_rows()
        ));
    }
    if s.csv.is_some() {
        notes.push(format!(
            "the data was uploaded CSV text ('{}'), which the store does not keep",
            s.experiment.data.source
        ));
    }
    let mut config = s.experiment.clone();
    config.train.epochs = history.len() + usize::from(diverged);
    // The run pipeline's last stage, given what the session trained: the same metrics,
    // predictions and diagnostics code as `nnlab train`.
    let trained = Trained {
        initial: s.initial.clone(),
        final_net: t.network().clone(),
        history: history.to_vec(),
        status: t.status().clone(),
        sample_steps: t.sample_steps(),
        snapshots: s.snapshots.clone(),
    };
    Ok((assemble(config, &s.data, trained), notes))
}
