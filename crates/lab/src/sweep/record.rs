//! What a sweep keeps of each run: its settings, how it ended, the final numbers, the kinds
//! of diagnostics and the loss curve. One [`SweepRun`] is one row of `runs.csv`.

use serde::{Deserialize, Serialize};

use nnlab_train::TrainStatus;

use crate::diagnostics::Kind;
use crate::result::RunResult;
use crate::verdict::Outcome;

/// How a run ended, as written in `runs.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Completed,
    StoppedEarly,
    Diverged,
}

impl Status {
    pub fn of(status: &TrainStatus) -> Status {
        match status {
            TrainStatus::Completed => Status::Completed,
            TrainStatus::StoppedEarly { .. } => Status::StoppedEarly,
            TrainStatus::Diverged { .. } => Status::Diverged,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Completed => "completed",
            Status::StoppedEarly => "stopped_early",
            Status::Diverged => "diverged",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [Status::Completed, Status::StoppedEarly, Status::Diverged]
            .into_iter()
            .find(|st| st.name() == s)
    }
}

/// The snake_case name of a diagnostic kind (as in `result.json`).
pub fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Symmetry => "symmetry",
        Kind::DeadRelu => "dead_relu",
        Kind::Divergence => "divergence",
        Kind::Exploding => "exploding",
        Kind::Oscillation => "oscillation",
        Kind::Stagnation => "stagnation",
        Kind::LargestMovers => "largest_movers",
    }
}

/// Every kind, for reading `runs.csv` back.
pub const KINDS: [Kind; 7] = [
    Kind::Symmetry,
    Kind::DeadRelu,
    Kind::Divergence,
    Kind::Exploding,
    Kind::Oscillation,
    Kind::Stagnation,
    Kind::LargestMovers,
];

/// One run of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepRun {
    /// 0-based position in the whole grid (shards keep the grid's numbering).
    pub index: usize,
    /// The value of each varied key, as typed.
    pub values: Vec<String>,
    pub status: Status,
    /// The run's outcome (see [`crate::verdict`]).
    pub outcome: Outcome,
    /// The 1-based epoch in which a diverged run's loss or a parameter became non-finite.
    pub diverged_epoch: Option<usize>,
    /// Completed epochs (a diverged run has `diverged_epoch - 1`).
    pub epochs_run: usize,
    /// The last completed epoch's mean train loss (scaled units); NaN with no epoch.
    pub train_loss: f64,
    /// The last completed epoch's mean test loss, when there is a test set.
    pub test_loss: Option<f64>,
    /// R² of the final network, on the test set when there is one, else on the train set,
    /// in the target's original units (NaN when undefined).
    pub r2: f64,
    /// MAPE in percent, same set and units as `r2` (`None` when every target is 0).
    pub mape: Option<f64>,
    /// The kinds of the run's diagnostics, in `diagnose` order.
    pub diagnostics: Vec<Kind>,
    /// The mean train loss of every completed epoch.
    pub epoch_loss: Vec<f64>,
}

impl SweepRun {
    /// The record of a full [`RunResult`] (the path every non-fast run takes).
    pub fn from_result(index: usize, values: Vec<String>, r: &RunResult) -> SweepRun {
        let m = r.metrics.test.as_ref().unwrap_or(&r.metrics.train);
        SweepRun {
            index,
            values,
            status: Status::of(&r.status),
            outcome: r.outcome(),
            diverged_epoch: match r.status {
                TrainStatus::Diverged { epoch, .. } => Some(epoch),
                _ => None,
            },
            epochs_run: r.epochs_run(),
            train_loss: r.final_loss().unwrap_or(f64::NAN),
            test_loss: r.test_loss().map(|t| t.last().copied().unwrap_or(f64::NAN)),
            r2: m.original.r2,
            mape: m.original.mape,
            diagnostics: r.diagnostics.iter().map(|d| d.kind).collect(),
            epoch_loss: r.epoch_loss(),
        }
    }

    /// The loss the summary ranks by: the final train loss, or `+inf` for a diverged run
    /// (its loss became non-finite, so it ranks below every run that finished).
    pub fn final_loss(&self) -> f64 {
        if self.status == Status::Diverged {
            f64::INFINITY
        } else {
            self.train_loss
        }
    }

    /// The run ended with a finite loss (the runs whose losses the means and spreads use).
    pub fn finite(&self) -> bool {
        self.status != Status::Diverged && self.final_loss().is_finite()
    }
}
