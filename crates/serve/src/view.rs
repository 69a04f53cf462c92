//! What the page shows of a session ([`SessionState`]): the network and its numbers, the
//! step the math panel explains, the history, the verdict and the diagnostics so far.

use nnlab_core::{NamedValues, Network};
use nnlab_data::Dataset;
use nnlab_lab::config::{settings, Settings};
use nnlab_lab::diagnostics::{diagnose, Depth, Diagnostic, Evidence};
use nnlab_lab::result::DataSummary;
use nnlab_lab::verdict::Verdict;
use nnlab_lab::{samples, verdict_for, Experiment};
use nnlab_report::StepReport;
use nnlab_train::{EpochRecord, TrainStatus, UpdatePreview};
use serde::{Deserialize, Serialize};

use crate::limits::MAX_SAMPLE_STEPS;
use crate::replay::{log_text, replay_cost};
use crate::session::Session;
use crate::ApiError;

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
    /// What the next sample step will really do (the configured optimizer, the batch's
    /// accumulated gradient); `null` once training has ended.
    pub update: Option<UpdatePreview>,
    /// The selected row's input and target in original units; for a class target the row's
    /// class index (the 0/1 target itself for two classes).
    pub row_input: Vec<f64>,
    pub row_target: f64,
    /// History records from `history_from` (0-based) on.
    pub history_from: usize,
    pub history: Vec<EpochRecord>,
    /// Mean loss over the training (and test) rows with the current parameters.
    pub train_loss: f64,
    pub test_loss: Option<f64>,
    /// The configuration as the setup form's fields: every key's text (`null` when off),
    /// from the key table (`nnlab_lab::config::settings`).
    pub settings: Settings,
    /// The outcome of the training so far (`learned`, `still_improving`, ...) as
    /// `nnlab train` would judge it if it stopped here; `null` before the first epoch.
    pub verdict: Option<Verdict>,
    pub diagnostics: Vec<Diagnostic>,
    /// Steps that `undo` can take back.
    pub undo: usize,
    /// What a share link carries to give this state bit for bit: the starting setup and the
    /// actions since (see `crate::replay`). `null` when no replay can: after an import
    /// without the optimizer's state, or past the sample steps a request may run.
    pub replay: Option<Replay>,
}

/// A share link's content.
#[derive(Debug, Clone, Serialize)]
pub struct Replay {
    /// The session's configuration at its start (creation or reset) as the form's texts,
    /// like `settings`: after a resize, `settings` names the new shape, this the old one.
    pub settings: Settings,
    /// The actions since the start: `POST /api/sessions`'s `replay`.
    pub log: String,
}

/// What a state request asks for (`?row=R&since=K&factors=F&nodes=N&sgd=false` on `GET`, on
/// every change and on the event stream); the default is the whole state on the next sample
/// step's row.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateOptions {
    /// The selected training row, 1-based.
    pub row: Option<usize>,
    /// The first history record to send (0-based).
    #[serde(default)]
    pub since: usize,
    /// Which parameters' chain-rule factors the step report carries.
    #[serde(default)]
    pub factors: Names,
    /// Which nodes' backward equations (`dl_da_equation`, `dl_dz_equation`) the step
    /// report carries, by node name (`L1.n2`, `node 1`); the others' are empty strings.
    /// The page shows one node's at a time (its forward `equation`, in every node's
    /// tooltip, is always sent); at 10-16-16-1 the backward ones are 26 KB of every state.
    #[serde(default)]
    pub nodes: Names,
    /// `sgd=false` leaves the step report's plain-SGD step out (its `update`, `after` and
    /// `change` empty): the page shows the trainer's real next step (`update` of the state)
    /// instead, and at 10-16-16-1 the three are 38 KB of every state.
    #[serde(default = "yes")]
    pub sgd: bool,
}

/// The whole state, on the next sample step's row: what a request without options gets.
impl Default for StateOptions {
    fn default() -> Self {
        StateOptions {
            row: None,
            since: 0,
            factors: Names::All,
            nodes: Names::All,
            sgd: yes(),
        }
    }
}

/// `sgd`'s default: the whole step report.
fn yes() -> bool {
    true
}

/// Whose parts of the step report a state carries (`factors=`, `nodes=`): `all` (the
/// default: the step report as `nnlab step --json` gives it), `none`, or one name (a
/// parameter's, `w5` or `L2.w[3][1]`; a node's, `L1.n2`). The factors are most of a state on
/// a big network (207 KB of 270 at 10-16-16-1, thirty states a second while playing) and
/// the page shows one parameter's (or node's) at a time. A name the network lacks gives
/// none: a page whose selection a resize removed still gets its state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub enum Names {
    #[default]
    All,
    None,
    Only(String),
}

impl From<String> for Names {
    fn from(s: String) -> Self {
        match s.as_str() {
            "all" => Names::All,
            "none" => Names::None,
            _ => Names::Only(s),
        }
    }
}

impl Names {
    /// Whether the part of `name` (a parameter's factors, a node's equations) is sent.
    pub fn keeps(&self, name: &str) -> bool {
        match self {
            Names::All => true,
            Names::None => false,
            Names::Only(n) => n == name,
        }
    }
}

impl Session {
    /// The page's view as `opt` asks for it: `opt.row` is 1-based (default: the row the next
    /// sample step visits), `opt.since` the first history record to include.
    pub fn state(&mut self, id: &str, opt: &StateOptions) -> Result<SessionState, ApiError> {
        let (row, since) = (opt.row, opt.since);
        let t = self.trainer();
        let n = t.n_rows();
        let train = &self.data.train;
        let update = t.preview(&samples(train)).map_err(ApiError::internal)?;
        let r = match row {
            Some(r) if (1..=n).contains(&r) => r - 1,
            Some(r) => return Err(ApiError::bad(format!("row: {r} is not in 1..={n}"))),
            // The row the preview's step visits (a shuffled epoch's first row included).
            None => update.as_ref().map_or_else(|| t.next_row(), |u| u.row - 1),
        };
        let net = t.network().clone();
        let lr = t.lr();
        let (loss, reg) = (t.config().loss, t.config().regularization());
        let y = train.target_row(r);
        let mut step = StepReport::regularized(&net, train.row(r), y, lr, loss, reg)
            .map_err(ApiError::internal)?;
        step.gradient_factors.retain(|g| opt.factors.keeps(&g.name));
        for node in step.nodes.iter_mut().filter(|n| !opt.nodes.keeps(&n.name)) {
            node.dl_da_equation.clear();
            node.dl_dz_equation.clear();
        }
        if !opt.sgd {
            for values in [&mut step.update, &mut step.after, &mut step.change] {
                values.0.clear();
            }
        }
        // With the trainer's weight penalty (0 without one), as its losses are reported.
        let penalty = reg.penalty(&net);
        let train_loss = mean_loss(&net, train, loss) + penalty;
        let test_loss = self
            .data
            .test
            .as_ref()
            .map(|s| mean_loss(&net, s, loss) + penalty);
        let verdict = (!t.history().is_empty())
            .then(|| verdict_for(&self.data, &net, t.status(), t.history()));
        let diagnostics = self.diagnostics(verdict.as_ref());
        let history = t.history();
        let from = since.min(history.len());
        let original = &self.data.original().map_err(ApiError::internal)?.train;
        Ok(SessionState {
            id: id.to_string(),
            config: self.experiment.clone(),
            data: self.data.summary.clone(),
            epoch: t.epoch(),
            position: t.position(),
            rows: n,
            batch_size: t.batch_rows(),
            status: t.status().clone(),
            playing: self.playing,
            lr,
            params: NamedValues::of(&net),
            row: r + 1,
            step,
            update,
            row_input: original.row(r).to_vec(),
            row_target: crate::data::row_target(original, r),
            history_from: from,
            history: history[from..].to_vec(),
            train_loss,
            test_loss,
            settings: settings(&self.experiment),
            verdict,
            diagnostics,
            undo: self.undo_depth(),
            replay: self.share(),
            network: net,
        })
    }
}

impl Session {
    /// The share link's content, when a replay of the log is allowed.
    fn share(&self) -> Option<Replay> {
        let log = self.log.as_ref()?;
        let t = self.trainer();
        (replay_cost(log, t.n_rows(), t.batch_rows()) <= MAX_SAMPLE_STEPS).then(|| Replay {
            settings: settings(&self.start),
            log: log_text(log),
        })
    }

    /// The findings `nnlab train` would list for the training so far, given its verdict.
    pub fn diagnostics(&self, verdict: Option<&Verdict>) -> Vec<Diagnostic> {
        diagnose(&Evidence {
            initial: &self.initial,
            final_net: self.trainer().network(),
            history: self.trainer().history(),
            status: self.trainer().status(),
            verdict,
            train: samples(&self.data.train),
            test: self.data.test.as_ref().map(samples),
            cfg: &self.experiment.train,
            snapshots: &self.snapshots,
            // Called on every state request: the cheap pass, no replay.
            depth: Depth::Kinds,
        })
    }
}

/// The mean per-sample loss of `net` over `set`, summed in row order.
fn mean_loss(net: &Network, set: &Dataset, loss: nnlab_core::Loss) -> f64 {
    let mut trace = nnlab_core::Trace::new(net);
    let mut sum = 0.0;
    for r in 0..set.n_rows() {
        net.forward_into(set.row(r), &mut trace);
        sum += trace.loss(loss, set.target_row(r));
    }
    sum / set.n_rows() as f64
}
