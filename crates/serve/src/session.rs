//! One training session: an experiment, its prepared data, an [`nnlab_train::Trainer`]
//! (the one `nnlab train` runs, so whole epochs give its bits), an undo stack of trainer
//! snapshots; what the page shows of it is [`crate::view`].

use std::collections::VecDeque;

use nnlab_core::Network;
use nnlab_lab::{samples, Experiment, Prepared};
use nnlab_store::clock::now_rfc3339;
use nnlab_train::{EpochRecord, Event, Snapshot, Trainer, Unit};
use serde::Deserialize;

use crate::data::prepare;
use crate::limits::{
    check_network, MAX_COUNT, MAX_EPOCHS, MAX_SAMPLE_STEPS, MAX_SNAPSHOT_VALUES, UNDO_DEPTH,
};
use crate::ApiError;

/// A training session (see the crate docs for the API that drives it).
#[derive(Debug, Clone)]
pub struct Session {
    /// The resolved experiment: rerunning it with `nnlab train` gives the same bits.
    pub experiment: Experiment,
    /// Uploaded CSV text, kept so reset and export/import need nothing else.
    pub csv: Option<String>,
    pub data: Prepared,
    pub initial: Network,
    trainer: Trainer,
    /// True once a parameter was set by hand (or an import resumed without the optimizer's
    /// state): from then on `nnlab train` on the configuration no longer gives these numbers.
    edited: bool,
    /// Undo points: the trainer's snapshot, the diagnostics' snapshot count, `edited`.
    undo: VecDeque<(Snapshot, usize, bool)>,
    /// The parameter the last action edited, if the last action was an edit: more edits of
    /// it (one slider drag sends dozens) share that edit's undo point.
    last_edit: Option<String>,
    /// End-of-epoch parameters for the diagnostics (bounded by [`MAX_SNAPSHOT_VALUES`]).
    pub(crate) snapshots: Vec<Vec<f64>>,
    /// Epochs per second while playing.
    pub playing: Option<f64>,
    /// When training from `initial` began (RFC 3339 UTC): the saved run's start time.
    pub started: String,
}

/// `{"unit": "sample" | "batch" | "epoch", "count": n}`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRequest {
    pub unit: Unit,
    #[serde(default = "one")]
    pub count: usize,
}

fn one() -> usize {
    1
}

/// `{"name": "w1", "value": 0.3}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamEdit {
    pub name: String,
    pub value: f64,
}

impl Session {
    /// A session at epoch 0; `csv` is uploaded CSV text when `data.source` names one.
    pub fn new(experiment: &Experiment, csv: Option<String>) -> Result<Session, ApiError> {
        let experiment = experiment.resolved();
        experiment
            .validate()
            .map_err(|e| ApiError::bad(e.in_syntax(nnlab_lab::Syntax::Json)))?;
        let initial = experiment.initial_network().map_err(ApiError::bad)?;
        check_network(&initial)?;
        let data = prepare(&experiment, csv.as_deref())?;
        let trainer = new_trainer(&experiment, &data, initial.clone())?;
        Ok(Session {
            experiment,
            csv,
            data,
            initial,
            trainer,
            edited: false,
            undo: VecDeque::new(),
            last_edit: None,
            snapshots: Vec::new(),
            playing: None,
            started: now_rfc3339(),
        })
    }

    /// Back to epoch 0 with the same starting parameters (same init seed); clears undo.
    pub fn reset(&mut self) -> Result<(), ApiError> {
        self.trainer = new_trainer(&self.experiment, &self.data, self.initial.clone())?;
        self.edited = false;
        self.undo.clear();
        self.last_edit = None;
        self.snapshots.clear();
        self.started = now_rfc3339();
        Ok(())
    }

    /// Continues from saved parameters and history (an import whose replay did not reproduce
    /// the export): the optimizer's moments and the position in the shuffle stream
    /// start afresh, so the session is marked as edited.
    pub fn resume(&mut self, net: Network, history: Vec<EpochRecord>) -> Result<(), ApiError> {
        if net.sizes() != self.initial.sizes() {
            return Err(ApiError::bad(format!(
                "params: the network is {} but the configuration says {}",
                net.arch_string(),
                self.initial.arch_string()
            )));
        }
        if history.len() > MAX_EPOCHS {
            return Err(ApiError::bad(format!(
                "history: {} epochs; a session holds at most {MAX_EPOCHS}",
                history.len()
            )));
        }
        let mut trainer = new_trainer(&self.experiment, &self.data, net)?;
        trainer.resume_after(history);
        self.trainer = trainer;
        self.edited = true;
        self.undo.clear();
        self.last_edit = None;
        self.snapshots.clear();
        Ok(())
    }

    fn push_undo(&mut self) {
        self.last_edit = None;
        if self.undo.len() == UNDO_DEPTH {
            self.undo.pop_front();
        }
        self.undo
            .push_back((self.trainer.snapshot(), self.snapshots.len(), self.edited));
    }

    /// Takes back the last step request, parameter edit or play.
    pub fn undo(&mut self) -> Result<(), ApiError> {
        let (snapshot, snaps, edited) = self
            .undo
            .pop_back()
            .ok_or_else(|| ApiError::conflict("nothing to undo"))?;
        self.last_edit = None;
        self.trainer.restore(snapshot);
        self.snapshots.truncate(snaps);
        self.edited = edited;
        Ok(())
    }

    /// Checks a step request against the limits, saves an undo point, then steps.
    pub fn step(&mut self, req: StepRequest) -> Result<u64, ApiError> {
        if req.count == 0 || req.count > MAX_COUNT {
            return Err(ApiError::bad(format!(
                "count: {} is not in 1..={MAX_COUNT}",
                req.count
            )));
        }
        let rows = self.trainer.n_rows();
        let per_unit = match req.unit {
            Unit::Sample => 1,
            Unit::Batch => self.trainer.batch_rows(),
            Unit::Epoch => rows,
        };
        if req.count.saturating_mul(per_unit) > MAX_SAMPLE_STEPS {
            return Err(ApiError::bad(format!(
                "count: {} {:?} steps of {per_unit} rows exceed {MAX_SAMPLE_STEPS} sample steps a request",
                req.count, req.unit
            )));
        }
        let epochs_after = self.trainer.epoch()
            + req.count.div_ceil(match req.unit {
                Unit::Epoch => 1,
                _ => rows.div_ceil(per_unit).max(1),
            });
        if epochs_after > MAX_EPOCHS {
            return Err(ApiError::bad(format!(
                "count: a session runs at most {MAX_EPOCHS} epochs; reset it"
            )));
        }
        if !self.trainer.is_running() {
            return Err(ended());
        }
        self.push_undo();
        self.advance(req.unit, req.count)
    }

    /// Steps without an undo point (the play loop saves one when play starts); returns the
    /// sample steps run. Stops early (without an error) when the run diverges or early
    /// stopping ends it; refuses to step a run that has ended.
    pub fn advance(&mut self, unit: Unit, count: usize) -> Result<u64, ApiError> {
        if !self.trainer.is_running() {
            return Err(ended());
        }
        let Session {
            trainer,
            data,
            snapshots,
            ..
        } = self;
        let test = data.test.as_ref().map(samples);
        // The end-of-epoch parameters `nnlab train` hands its diagnostics, as it gets them.
        let mut keep = |e: &Event| {
            if let Event::Params { params, .. } = e {
                if (snapshots.len() + 1) * params.len() <= MAX_SNAPSHOT_VALUES {
                    snapshots.push(params.clone());
                }
            }
        };
        trainer
            .step(&samples(&data.train), test.as_ref(), unit, count, &mut keep)
            .map_err(ApiError::internal)
    }

    /// Steps that `undo` can take back.
    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    /// The trainer: the network, the position, the history and the status so far.
    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// True once a parameter was set by hand or an import resumed without the optimizer's
    /// state (undoing the edit clears it again).
    pub fn edited(&self) -> bool {
        self.edited
    }

    /// Saves an undo point when play starts.
    pub fn start_play(&mut self, epochs_per_second: f64) {
        if self.playing.is_none() {
            self.push_undo();
        }
        self.playing = Some(epochs_per_second);
    }

    /// Sets one weight or bias by name (`w1`, `L1.w[2][1]`); undoable, with one undo point
    /// for a run of edits of the same parameter (a slider drag).
    pub fn edit(&mut self, edit: &ParamEdit) -> Result<(), ApiError> {
        if !edit.value.is_finite() {
            return Err(ApiError::bad(format!(
                "value: {} is not finite",
                edit.value
            )));
        }
        let id = self
            .trainer
            .network()
            .param_by_name(&edit.name)
            .map_err(|e| ApiError::bad(format!("name: {e}")))?;
        let again = self.last_edit.as_deref() == Some(edit.name.as_str()) && !self.undo.is_empty();
        if !again {
            self.push_undo();
        }
        self.trainer.set_param(id, edit.value);
        self.edited = true;
        self.last_edit = Some(edit.name.clone());
        Ok(())
    }
}

/// The trainer `nnlab_lab::run` would make for the experiment, starting from `net`.
fn new_trainer(exp: &Experiment, data: &Prepared, net: Network) -> Result<Trainer, ApiError> {
    if data.train.n_inputs() != net.n_inputs() || net.n_outputs() != 1 {
        return Err(ApiError::bad(format!(
            "arch: the network {} does not fit data with {} inputs and 1 target",
            net.arch_string(),
            data.train.n_inputs()
        )));
    }
    let test = data.test.as_ref().map(samples);
    Trainer::new(net, &exp.train, &samples(&data.train), test.as_ref()).map_err(ApiError::bad)
}

fn ended() -> ApiError {
    ApiError::conflict("training has ended (diverged or stopped early): reset or undo first")
}
