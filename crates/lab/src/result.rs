//! What a run gives back: one serde type for the CLI, files, sweeps and the web page.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use nnlab_core::Network;
use nnlab_data::Scaler;
use nnlab_train::{ClassMetrics, EpochRecord, Metrics, TrainStatus};

use crate::config::Experiment;
use crate::diagnostics::Diagnostic;
use crate::verdict::{Outcome, Spread, Verdict};
use nnlab_core::NamedValues as ParamMap;

/// Where the data came from and how it was divided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSummary {
    pub source: String,
    pub inputs: Vec<String>,
    pub target: String,
    pub rows: usize,
    pub train_rows: usize,
    pub test_rows: usize,
    pub rows_skipped: usize,
    /// How text columns became numbers (`sex: female=0, male=1`).
    pub encoding: Vec<String>,
    /// The class names in class order when the target is classes (JSON: no key otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<String>,
}

/// Metrics of one set in scaled units and in the target's original units, and for a
/// classification run (a class target) its classification metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetMetrics {
    #[serde(flatten)]
    pub scaled: Metrics,
    pub original: Metrics,
    /// Accuracy, precision, recall, F1, log-loss and the confusion matrix of the predicted
    /// probabilities; absent (JSON: no key) for a regression run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<ClassMetrics>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsBySet {
    pub train: SetMetrics,
    pub test: Option<SetMetrics>,
}

/// One row's prediction in original units.
///
/// A regression row has the target and the prediction. A classification row also has
/// [`Prediction::class`]; its `target` is the true class index (for two classes that is the
/// 0/1 target itself), its `prediction` the network's output `p` (the probability of class 1)
/// for two classes and the predicted class index for more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub set: String,
    pub row: usize,
    pub inputs: Vec<f64>,
    pub target: f64,
    pub prediction: f64,
    /// Every class's probability and the true and predicted class (classification only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<ClassPrediction>,
}

/// A classification row's classes: indices into [`DataSummary::classes`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassPrediction {
    /// [`nnlab_core::predicted_class`] of the row's target (0/1 or one-hot).
    pub actual: usize,
    /// [`nnlab_core::predicted_class`] of the network's outputs.
    pub predicted: usize,
    /// One probability per class, in class order: `[1 - p, p]` for one sigmoid output, the
    /// softmax outputs for more.
    pub probabilities: Vec<f64>,
}

/// What a run keeps of its rows, and how to run with it: `RunOptions { predictions: false
/// }.run(&exp, &mut on_event)`. [`crate::run`] is `RunOptions::default().run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// One [`Prediction`] per row in [`RunResult::predictions`] (what `predictions.csv`,
    /// `result.json` and `--json` show). Without, the result's `predictions` is empty and
    /// the rows in original units are not kept beside the scaled ones: the data is scaled
    /// where it was loaded, so a large table is held once.
    pub predictions: bool,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions { predictions: true }
    }
}

/// Everything one training run produced, each fact once: the losses and the epoch count
/// are read from `history`, the parameters by name from the networks (see the methods).
///
/// As JSON (`nnlab train --json`, `result.json`) it keeps the documented keys, the derived
/// ones included: `config, data, status, epochs_run, epoch_loss, test_loss, history,
/// initial, final, initial_network, final_network, metrics, outcome, verdict, diagnostics, scaler,
/// predictions, sample_steps`. Reading that JSON back checks nothing of the derived keys:
/// they are derived again.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    /// The resolved configuration: rerunning it gives the same bits.
    pub config: Experiment,
    pub data: DataSummary,
    pub status: TrainStatus,
    /// One record per completed epoch: train loss (scaled units), test loss, rate.
    pub history: Vec<EpochRecord>,
    pub initial_network: Network,
    pub final_network: Network,
    pub metrics: MetricsBySet,
    /// The run's outcome (`learned`, `stuck`, ...), the set it was judged on and why.
    pub verdict: Verdict,
    pub diagnostics: Vec<Diagnostic>,
    pub scaler: Scaler,
    /// Empty when the run was made with [`RunOptions::predictions`] off.
    pub predictions: Vec<Prediction>,
    pub sample_steps: u64,
}

impl RunResult {
    /// Completed epochs.
    pub fn epochs_run(&self) -> usize {
        self.history.len()
    }

    /// Mean per-sample training loss of each completed epoch (scaled units).
    pub fn epoch_loss(&self) -> Vec<f64> {
        self.history.iter().map(|r| r.train_loss).collect()
    }

    /// Mean test loss after each epoch (NaN where an epoch has none), when there is a test
    /// set.
    pub fn test_loss(&self) -> Option<Vec<f64>> {
        self.has_test_set().then(|| {
            self.history
                .iter()
                .map(|r| r.test_loss.unwrap_or(f64::NAN))
                .collect()
        })
    }

    /// True when the run had a test set (and so test losses and test metrics).
    pub fn has_test_set(&self) -> bool {
        self.data.test_rows > 0
    }

    /// The run's outcome (see [`crate::verdict`]).
    pub fn outcome(&self) -> Outcome {
        self.verdict.outcome
    }

    /// The last completed epoch's mean training loss.
    pub fn final_loss(&self) -> Option<f64> {
        self.history.last().map(|r| r.train_loss)
    }

    /// The parameters before training, by name in display order.
    pub fn initial_params(&self) -> ParamMap {
        ParamMap::of(&self.initial_network)
    }

    /// The parameters after training, by name in display order.
    pub fn final_params(&self) -> ParamMap {
        ParamMap::of(&self.final_network)
    }
}

/// The JSON form of a [`RunResult`]: its facts and what is derived from them, under the
/// documented keys and in their order.
#[derive(Serialize)]
struct ResultJson<'a> {
    config: &'a Experiment,
    data: &'a DataSummary,
    status: &'a TrainStatus,
    epochs_run: usize,
    epoch_loss: Vec<f64>,
    test_loss: Option<Vec<f64>>,
    history: &'a [EpochRecord],
    initial: ParamMap,
    #[serde(rename = "final")]
    final_params: ParamMap,
    initial_network: &'a Network,
    final_network: &'a Network,
    metrics: &'a MetricsBySet,
    outcome: Outcome,
    verdict: &'a Verdict,
    diagnostics: &'a [Diagnostic],
    scaler: &'a Scaler,
    predictions: &'a [Prediction],
    sample_steps: u64,
}

impl Serialize for RunResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ResultJson {
            config: &self.config,
            data: &self.data,
            status: &self.status,
            epochs_run: self.epochs_run(),
            epoch_loss: self.epoch_loss(),
            test_loss: self.test_loss(),
            history: &self.history,
            initial: self.initial_params(),
            final_params: self.final_params(),
            initial_network: &self.initial_network,
            final_network: &self.final_network,
            metrics: &self.metrics,
            outcome: self.verdict.outcome,
            verdict: &self.verdict,
            diagnostics: &self.diagnostics,
            scaler: &self.scaler,
            predictions: &self.predictions,
            sample_steps: self.sample_steps,
        }
        .serialize(s)
    }
}

/// The facts of a `result.json`; its derived keys (`epochs_run`, `epoch_loss`,
/// `test_loss`, `initial`, `final`) are ignored, unknown keys being allowed.
#[derive(Deserialize)]
struct ResultFacts {
    config: Experiment,
    data: DataSummary,
    status: TrainStatus,
    history: Vec<EpochRecord>,
    initial_network: Network,
    final_network: Network,
    metrics: MetricsBySet,
    /// Absent in files written before outcomes existed: judged again from the facts.
    verdict: Option<Verdict>,
    diagnostics: Vec<Diagnostic>,
    scaler: Scaler,
    #[serde(default)]
    predictions: Vec<Prediction>,
    sample_steps: u64,
}

impl<'de> Deserialize<'de> for RunResult {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RunResult, D::Error> {
        let f = ResultFacts::deserialize(d)?;
        let verdict = f.verdict.unwrap_or_else(|| {
            let judged = if f.metrics.test.is_some() {
                "test"
            } else {
                "train"
            };
            let (p, y): (Vec<f64>, Vec<f64>) = f
                .predictions
                .iter()
                .filter(|p| p.set == judged)
                .map(|p| (p.prediction, p.target))
                .unzip();
            crate::run::verdict_of(&f.status, &f.history, &f.metrics, Spread::of(&p, &y), None)
        });
        Ok(RunResult {
            config: f.config,
            data: f.data,
            status: f.status,
            history: f.history,
            initial_network: f.initial_network,
            final_network: f.final_network,
            metrics: f.metrics,
            verdict,
            diagnostics: f.diagnostics,
            scaler: f.scaler,
            predictions: f.predictions,
            sample_steps: f.sample_steps,
        })
    }
}
