//! What a run gives back: one serde type for the CLI, files, sweeps and the web page.

use serde::{Deserialize, Serialize};

use nnlab_core::Network;
use nnlab_data::Scaler;
use nnlab_train::{EpochRecord, Metrics, TrainStatus};

use crate::config::Experiment;
use crate::diagnostics::Diagnostic;
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
}

/// Metrics of one set in scaled units and in the target's original units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetMetrics {
    #[serde(flatten)]
    pub scaled: Metrics,
    pub original: Metrics,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsBySet {
    pub train: SetMetrics,
    pub test: Option<SetMetrics>,
}

/// One row's prediction in original units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub set: String,
    pub row: usize,
    pub inputs: Vec<f64>,
    pub target: f64,
    pub prediction: f64,
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

/// Everything one training run produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// The resolved configuration: rerunning it gives the same bits.
    pub config: Experiment,
    pub data: DataSummary,
    pub status: TrainStatus,
    pub epochs_run: usize,
    /// Mean per-sample training loss of each epoch (scaled units).
    pub epoch_loss: Vec<f64>,
    /// Mean test loss after each epoch, when there is a test set.
    pub test_loss: Option<Vec<f64>>,
    pub history: Vec<EpochRecord>,
    pub initial: ParamMap,
    #[serde(rename = "final")]
    pub final_params: ParamMap,
    pub initial_network: Network,
    pub final_network: Network,
    pub metrics: MetricsBySet,
    pub diagnostics: Vec<Diagnostic>,
    pub scaler: Scaler,
    /// Empty when the run was made with [`RunOptions::predictions`] off.
    pub predictions: Vec<Prediction>,
    pub sample_steps: u64,
}
