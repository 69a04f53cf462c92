//! One training session: an experiment, its prepared data, an [`nnlab_train::Trainer`]
//! (the one `nnlab train` runs, so whole epochs give its bits), an undo stack of trainer
//! snapshots, and the log of its actions that a share link replays ([`crate::replay`]);
//! what the page shows of it is [`crate::view`].

use std::collections::VecDeque;

use nnlab_core::Network;
use nnlab_lab::{samples, Experiment, Prepared};
use nnlab_store::clock::now_rfc3339;
use nnlab_train::{EpochRecord, Event, Snapshot, Trainer, Unit};
use serde::Deserialize;

use crate::data::prepare;
use crate::limits::{
    check_network, check_sizes, MAX_COUNT, MAX_EPOCHS, MAX_SAMPLE_STEPS, MAX_SNAPSHOT_VALUES,
    UNDO_DEPTH,
};
use crate::replay::{record, Action};
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
    pub(crate) trainer: Trainer,
    /// True once a parameter was set by hand (or an import resumed without the optimizer's
    /// state): from then on `nnlab train` on the configuration no longer gives these numbers.
    pub(crate) edited: bool,
    /// Undo points, the newest last.
    undo: VecDeque<UndoPoint>,
    /// The parameter the last action edited, if the last action was an edit: more edits of
    /// it (one slider drag sends dozens) share that edit's undo point.
    last_edit: Option<String>,
    /// End-of-epoch parameters for the diagnostics (bounded by [`MAX_SNAPSHOT_VALUES`]).
    pub(crate) snapshots: Vec<Vec<f64>>,
    /// Epochs per second while playing.
    pub playing: Option<f64>,
    /// When training from `initial` began (RFC 3339 UTC): the saved run's start time.
    pub started: String,
    /// The experiment at the start (creation or reset), from which `log` replays.
    pub(crate) start: Experiment,
    /// The actions since the start (merged, see [`crate::replay`]); `None` once an import
    /// resumed without the optimizer's state, which no replay can give back.
    pub(crate) log: Option<Vec<Action>>,
}

/// What undo puts back.
#[derive(Debug, Clone)]
pub(crate) enum UndoPoint {
    /// Before a step, an edit or play: the trainer's snapshot, the diagnostics' snapshot
    /// count, `edited` and the action log.
    Step {
        snapshot: Box<Snapshot>,
        snapshots: usize,
        edited: bool,
        log: Option<Vec<Action>>,
    },
    /// Before an architecture change: everything it replaced.
    Arch(Box<BeforeArch>),
}

#[derive(Debug, Clone)]
pub(crate) struct BeforeArch {
    pub(crate) experiment: Experiment,
    pub(crate) initial: Network,
    pub(crate) trainer: Trainer,
    pub(crate) snapshots: Vec<Vec<f64>>,
    pub(crate) edited: bool,
    pub(crate) log: Option<Vec<Action>>,
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
        // The server's own shape limits first, from the sizes alone: nothing is built for a
        // network it would refuse (the schema's limits, in `validate`, are far wider).
        let arch = &experiment.model.arch;
        check_sizes(&arch.to_string(), arch.sizes())?;
        experiment
            .validate()
            .map_err(|e| ApiError::bad(e.in_syntax(nnlab_lab::Syntax::Json)))?;
        let initial = experiment.initial_network().map_err(ApiError::bad)?;
        check_network(&initial)?;
        let data = prepare(&experiment, csv.as_deref())?;
        let trainer = new_trainer(&experiment, &data, initial.clone())?;
        Ok(Session {
            start: experiment.clone(),
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
            log: Some(Vec::new()),
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
        self.start = self.experiment.clone();
        self.log = Some(Vec::new());
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
        self.forget_undo();
        self.snapshots.clear();
        self.log = None;
        Ok(())
    }

    fn push_undo(&mut self) {
        let point = UndoPoint::Step {
            snapshot: Box::new(self.trainer.snapshot()),
            snapshots: self.snapshots.len(),
            edited: self.edited,
            log: self.log.clone(),
        };
        self.push_point(point);
    }

    pub(crate) fn push_point(&mut self, point: UndoPoint) {
        self.last_edit = None;
        if self.undo.len() == UNDO_DEPTH {
            self.undo.pop_front();
        }
        self.undo.push_back(point);
    }

    /// Leaves nothing to undo (after a replay or a resume: their start is the session's).
    pub(crate) fn forget_undo(&mut self) {
        self.undo.clear();
        self.last_edit = None;
    }

    /// Takes back the last step request, parameter edit, play or architecture change.
    pub fn undo(&mut self) -> Result<(), ApiError> {
        let point = self
            .undo
            .pop_back()
            .ok_or_else(|| ApiError::conflict("nothing to undo"))?;
        self.last_edit = None;
        match point {
            UndoPoint::Step {
                snapshot,
                snapshots,
                edited,
                log,
            } => {
                self.trainer.restore(*snapshot);
                self.snapshots.truncate(snapshots);
                self.edited = edited;
                self.log = log;
            }
            UndoPoint::Arch(before) => {
                let b = *before;
                self.experiment = b.experiment;
                self.initial = b.initial;
                self.trainer = b.trainer;
                self.snapshots = b.snapshots;
                self.edited = b.edited;
                self.log = b.log;
            }
        }
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
            log,
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
        let steps = trainer
            .step(&samples(&data.train), test.as_ref(), unit, count, &mut keep)
            .map_err(ApiError::internal)?;
        if let Some(log) = log {
            record(log, Action::Step(unit, count));
        }
        Ok(steps)
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
        if let Some(log) = &mut self.log {
            let name = self.trainer.network().param_name(id);
            record(log, Action::Edit(name, edit.value));
        }
        Ok(())
    }
}

/// The trainer `nnlab_lab::run` would make for the experiment, starting from `net`.
pub(crate) fn new_trainer(
    exp: &Experiment,
    data: &Prepared,
    net: Network,
) -> Result<Trainer, ApiError> {
    // One output per target: one, or one per class of a one-hot class target.
    let targets = data.train.n_targets();
    if data.train.n_inputs() != net.n_inputs() || net.n_outputs() != targets {
        return Err(ApiError::bad(format!(
            "arch: the network {} does not fit data with {} inputs and {} target{}",
            net.arch_string(),
            data.train.n_inputs(),
            targets,
            if targets == 1 { "" } else { "s" }
        )));
    }
    let test = data.test.as_ref().map(samples);
    Trainer::new(net, &exp.train, &samples(&data.train), test.as_ref()).map_err(ApiError::bad)
}

fn ended() -> ApiError {
    ApiError::conflict("training has ended (diverged or stopped early): reset or undo first")
}
