//! One training session: an experiment, its prepared data, a [`Stepper`], an undo stack and
//! what the page shows ([`SessionState`]).

use std::collections::VecDeque;

use nnlab_core::{NamedValues, Network};
use nnlab_lab::diagnostics::{diagnose, Diagnostic, Evidence};
use nnlab_lab::result::DataSummary;
use nnlab_lab::{Experiment, Prepared};
use nnlab_report::StepReport;
use nnlab_store::clock::now_rfc3339;
use nnlab_train::{EpochRecord, TrainStatus};
use serde::{Deserialize, Serialize};

use crate::data::prepare;
use crate::limits::{
    check_network, MAX_COUNT, MAX_EPOCHS, MAX_SAMPLE_STEPS, MAX_SNAPSHOT_VALUES, UNDO_DEPTH,
};
use crate::stepper::{Progress, Stepper, Unit};
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
    pub stepper: Stepper,
    undo: VecDeque<(Progress, usize)>,
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

/// What `GET /api/sessions/{id}` returns (and each server-sent event while playing).
#[derive(Debug, Clone, Serialize)]
pub struct SessionState {
    pub id: String,
    pub config: Experiment,
    pub data: DataSummary,
    /// Completed epochs.
    pub epoch: usize,
    /// Rows of the current epoch already processed.
    pub position: usize,
    pub rows: usize,
    /// Rows per optimizer update.
    pub batch_size: usize,
    /// `completed` while steps are allowed, else `diverged` or `stopped_early` with details.
    pub status: TrainStatus,
    pub playing: Option<f64>,
    /// The learning rate of the current (or next) epoch.
    pub lr: f64,
    pub params: NamedValues,
    pub network: Network,
    /// The selected training row (1-based) and the forward/backward pass on it, with the
    /// plain-SGD step at `lr`, in scaled units (as `nnlab step --json` reports it).
    pub row: usize,
    pub step: StepReport,
    /// The selected row's input and target in original units.
    pub row_input: Vec<f64>,
    pub row_target: f64,
    /// History records from `history_from` (0-based) on.
    pub history_from: usize,
    pub history: Vec<EpochRecord>,
    /// Mean loss over the training (and test) rows with the current parameters.
    pub train_loss: f64,
    pub test_loss: Option<f64>,
    pub diagnostics: Vec<Diagnostic>,
    /// Steps that `undo` can take back.
    pub undo: usize,
}

impl Session {
    /// A session at epoch 0; `csv` is uploaded CSV text when `data.source` names one.
    pub fn new(experiment: &Experiment, csv: Option<String>) -> Result<Session, ApiError> {
        let experiment = experiment.resolved();
        experiment.validate().map_err(ApiError::bad)?;
        let initial = experiment.initial_network().map_err(ApiError::bad)?;
        check_network(&initial)?;
        let data = prepare(&experiment, csv.as_deref())?;
        let stepper = new_stepper(&experiment, &data, initial.clone())?;
        Ok(Session {
            experiment,
            csv,
            data,
            initial,
            stepper,
            undo: VecDeque::new(),
            snapshots: Vec::new(),
            playing: None,
            started: now_rfc3339(),
        })
    }

    /// Back to epoch 0 with the same starting parameters (same init seed); clears undo.
    pub fn reset(&mut self) -> Result<(), ApiError> {
        self.stepper = new_stepper(&self.experiment, &self.data, self.initial.clone())?;
        self.undo.clear();
        self.snapshots.clear();
        self.started = now_rfc3339();
        Ok(())
    }

    /// Continues from saved parameters and history (an import that [`Session::replay`]
    /// could not reproduce): the optimizer's moments and the position in the shuffle stream
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
        let mut stepper = new_stepper(&self.experiment, &self.data, net)?;
        stepper.progress.epoch = history.len();
        stepper.progress.edited = true;
        stepper.history = history;
        self.stepper = stepper;
        self.undo.clear();
        self.snapshots.clear();
        Ok(())
    }

    fn push_undo(&mut self) {
        if self.undo.len() == UNDO_DEPTH {
            self.undo.pop_front();
        }
        self.undo
            .push_back((self.stepper.snapshot(), self.snapshots.len()));
    }

    /// Takes back the last step request, parameter edit or play.
    pub fn undo(&mut self) -> Result<(), ApiError> {
        let (progress, snaps) = self
            .undo
            .pop_back()
            .ok_or_else(|| ApiError::conflict("nothing to undo"))?;
        self.stepper.restore(progress);
        self.snapshots.truncate(snaps);
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
        let rows = self.stepper.n_rows();
        let per_unit = match req.unit {
            Unit::Sample => 1,
            Unit::Batch => self.stepper.batch(),
            Unit::Epoch => rows,
        };
        if req.count.saturating_mul(per_unit) > MAX_SAMPLE_STEPS {
            return Err(ApiError::bad(format!(
                "count: {} {:?} steps of {per_unit} rows exceed {MAX_SAMPLE_STEPS} sample steps a request",
                req.count, req.unit
            )));
        }
        let epochs_after = self.stepper.progress.epoch
            + req.count.div_ceil(match req.unit {
                Unit::Epoch => 1,
                _ => rows.div_ceil(per_unit).max(1),
            });
        if epochs_after > MAX_EPOCHS {
            return Err(ApiError::bad(format!(
                "count: a session runs at most {MAX_EPOCHS} epochs; reset it"
            )));
        }
        self.push_undo();
        self.advance(req.unit, req.count)
    }

    /// Steps without an undo point (the play loop saves one when play starts).
    pub fn advance(&mut self, unit: Unit, count: usize) -> Result<u64, ApiError> {
        let mut steps = 0;
        for _ in 0..count {
            let before = self.stepper.history.len();
            steps += self.stepper.step(unit, 1)?;
            if self.stepper.history.len() > before {
                self.keep_snapshot();
            }
            if !self.stepper.running() {
                break;
            }
        }
        Ok(steps)
    }

    /// Saves an undo point when play starts.
    pub fn start_play(&mut self, epochs_per_second: f64) {
        if self.playing.is_none() {
            self.push_undo();
        }
        self.playing = Some(epochs_per_second);
    }

    fn keep_snapshot(&mut self) {
        let params = self.stepper.progress.net.params_flat();
        if (self.snapshots.len() + 1) * params.len() <= MAX_SNAPSHOT_VALUES {
            self.snapshots.push(params);
        }
    }

    /// Sets one weight or bias by name (`w1`, `L1.w[2][1]`); undoable.
    pub fn edit(&mut self, edit: &ParamEdit) -> Result<(), ApiError> {
        if !edit.value.is_finite() {
            return Err(ApiError::bad(format!(
                "value: {} is not finite",
                edit.value
            )));
        }
        let id = self
            .stepper
            .progress
            .net
            .param_by_name(&edit.name)
            .map_err(|e| ApiError::bad(format!("name: {e}")))?;
        self.push_undo();
        self.stepper.progress.net.set(id, edit.value);
        self.stepper.progress.edited = true;
        Ok(())
    }

    /// The page's view; `row` is 1-based (default: the row the next sample step visits),
    /// `since` the first history record to include.
    pub fn state(
        &mut self,
        id: &str,
        row: Option<usize>,
        since: usize,
    ) -> Result<SessionState, ApiError> {
        let n = self.stepper.n_rows();
        let r = match row {
            Some(r) if (1..=n).contains(&r) => r - 1,
            Some(r) => return Err(ApiError::bad(format!("row: {r} is not in 1..={n}"))),
            None => self.stepper.next_row(),
        };
        let train = &self.data.train;
        let net = self.stepper.progress.net.clone();
        let lr = self.stepper.progress.lr;
        let loss = self.stepper.config().loss;
        let step = StepReport::new(&net, train.row(r), &train.y[r..r + 1], lr, loss)
            .map_err(ApiError::internal)?;
        let train_loss = mean_loss(&net, train, loss);
        let test_loss = self.stepper.test_loss();
        let diagnostics = self.diagnostics();
        let history = &self.stepper.history;
        let from = since.min(history.len());
        let original = &self.data.original().map_err(ApiError::internal)?.train;
        Ok(SessionState {
            id: id.to_string(),
            config: self.experiment.clone(),
            data: self.data.summary.clone(),
            epoch: self.stepper.progress.epoch,
            position: self.stepper.progress.position,
            rows: n,
            batch_size: self.stepper.batch(),
            status: self.stepper.progress.status.clone(),
            playing: self.playing,
            lr,
            params: NamedValues::of(&net),
            row: r + 1,
            step,
            row_input: original.row(r).to_vec(),
            row_target: original.y[r],
            history_from: from,
            history: history[from..].to_vec(),
            train_loss,
            test_loss,
            diagnostics,
            undo: self.undo.len(),
            network: net,
        })
    }
}

impl Session {
    /// The findings `nnlab train` would list for the training so far.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        diagnose(&Evidence {
            initial: &self.initial,
            final_net: &self.stepper.progress.net,
            history: &self.stepper.history,
            status: &self.stepper.progress.status,
            train_x: &self.data.train.x,
            snapshots: &self.snapshots,
            frozen: &self.experiment.train.freeze,
        })
    }
}

fn new_stepper(exp: &Experiment, data: &Prepared, net: Network) -> Result<Stepper, ApiError> {
    let test = data.test.as_ref().map(|t| (t.x.clone(), t.y.clone()));
    Stepper::new(
        net,
        data.train.x.clone(),
        data.train.y.clone(),
        data.train.n_inputs(),
        test,
        &exp.train,
    )
}

/// The mean per-sample loss of `net` over `set`, summed in row order.
fn mean_loss(net: &Network, set: &nnlab_data::Dataset, loss: nnlab_core::Loss) -> f64 {
    let mut trace = nnlab_core::Trace::new(net);
    let mut sum = 0.0;
    for r in 0..set.n_rows() {
        net.forward_into(set.row(r), &mut trace);
        sum += nnlab_core::sample_loss(loss, trace.output(), &set.y[r..r + 1]);
    }
    sum / set.n_rows() as f64
}
