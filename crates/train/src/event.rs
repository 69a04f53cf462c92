//! What a run reports: the per-epoch record, how it ended, and the event stream the CLI,
//! a report or the web page render in their own way.

use nnlab_core::Network;
use serde::{Deserialize, Serialize};

/// One epoch's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// 1-based.
    pub epoch: usize,
    /// The mean of the epoch's per-sample losses, each taken before its own update.
    pub train_loss: f64,
    /// The mean loss over the test rows with the end-of-epoch parameters.
    pub test_loss: Option<f64>,
    /// The learning rate used during this epoch.
    pub lr: f64,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TrainStatus {
    /// All epochs ran.
    Completed,
    /// Early stopping ended the run after `epoch`; the best monitored loss was at `best_epoch`.
    StoppedEarly { epoch: usize, best_epoch: usize },
    /// A sample loss, an epoch's mean loss or a parameter stopped being finite.
    Diverged {
        /// 1-based epoch in which it happened (the history holds the epochs before it).
        epoch: usize,
        /// 1-based position of the sample within the epoch.
        sample: usize,
        /// 1-based data row of that sample (differs from `sample` when shuffling).
        row: usize,
        /// The first parameter in display order that is not finite, else the largest in
        /// magnitude.
        parameter: String,
        value: f64,
        /// `"try a smaller learning rate, e.g. lr = <lr/10>"`.
        suggestion: String,
    },
}

/// Progress, streamed to the caller's callback: at most one event per epoch apart from the
/// rare learning-rate change, never one per sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Start {
        epochs: usize,
        rows: usize,
    },
    Epoch(EpochRecord),
    /// The parameters at the end of epoch `epoch`, flat in [`Network::param_ids`] order.
    Params {
        epoch: usize,
        params: Vec<f64>,
    },
    /// A step drop or a plateau reduction: `lr` applies from epoch `epoch` on (1-based).
    /// (The exponential schedule changes the rate every epoch; see [`EpochRecord::lr`].)
    LrChanged {
        epoch: usize,
        lr: f64,
    },
    StoppedEarly {
        epoch: usize,
        best_epoch: usize,
    },
    Diverged {
        epoch: usize,
        sample: usize,
        row: usize,
        parameter: String,
        value: f64,
        suggestion: String,
    },
    Finished,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainOutcome {
    pub status: TrainStatus,
    /// One record per completed epoch.
    pub history: Vec<EpochRecord>,
    /// The network before training.
    pub initial: Network,
    /// The network after training (the best epoch's, when early stopping restored it; the
    /// parameters at the moment of divergence for a diverged run). `train` leaves the same
    /// parameters in its `net`.
    pub final_net: Network,
    /// The 1-based epoch with the lowest monitored loss (with early stopping, by its
    /// `min_delta` rule).
    pub best_epoch: Option<usize>,
    /// Samples whose forward and backward pass ran (`rows · epochs` for a completed run).
    pub sample_steps: u64,
    /// True when the fast course kernel ran (see [`crate::Kernel::Auto`]).
    pub fast_kernel: bool,
}
