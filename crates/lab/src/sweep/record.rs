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

/// The snake_case name of a diagnostic kind: [`Kind::name`] (kept for its callers).
pub fn kind_name(kind: Kind) -> &'static str {
    kind.name()
}

/// Every kind, for reading `runs.csv` back: [`Kind::ALL`] (kept for its callers).
pub const KINDS: [Kind; Kind::ALL.len()] = Kind::ALL;

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
    /// R² of the final network on the training set, in the target's original units (NaN
    /// when undefined).
    pub train_r2: f64,
    /// R² on the test set, when there is one.
    pub test_r2: Option<f64>,
    /// MAPE in percent on the training set, original units (`None` when every target is 0).
    pub train_mape: Option<f64>,
    /// MAPE on the test set (`None` without a test set or when every target is 0).
    pub test_mape: Option<f64>,
    /// A classification run's accuracy on the training set (`None` for regression; not a
    /// column of `runs.csv`, so `None` when read back from it).
    #[serde(default)]
    pub train_accuracy: Option<f64>,
    /// Its accuracy on the test set, when there is one.
    #[serde(default)]
    pub test_accuracy: Option<f64>,
    /// The kinds of the run's diagnostics, in `diagnose` order.
    pub diagnostics: Vec<Kind>,
    /// The mean train loss of every completed epoch.
    pub epoch_loss: Vec<f64>,
    /// The mean test loss after every completed epoch, when there is a test set.
    pub test_epoch_loss: Option<Vec<f64>>,
}

impl SweepRun {
    /// The record of a full [`RunResult`] (the path every non-fast run takes).
    pub fn from_result(index: usize, values: Vec<String>, r: &RunResult) -> SweepRun {
        let test = r.metrics.test.as_ref();
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
            train_r2: r.metrics.train.original.r2,
            test_r2: test.map(|t| t.original.r2),
            train_mape: r.metrics.train.original.mape,
            test_mape: test.and_then(|t| t.original.mape),
            train_accuracy: r.metrics.train.classification.as_ref().map(|c| c.accuracy),
            test_accuracy: test
                .and_then(|t| t.classification.as_ref())
                .map(|c| c.accuracy),
            diagnostics: r.diagnostics.iter().map(|d| d.kind).collect(),
            epoch_loss: r.epoch_loss(),
            test_epoch_loss: r.test_loss(),
        }
    }

    /// True when the run had a test set: then the held-out numbers judge it.
    pub fn has_test_set(&self) -> bool {
        self.test_r2.is_some()
    }

    /// R² on the set that judges the run: the test set when there is one, else the
    /// training set (the set the outcome was judged on).
    pub fn judged_r2(&self) -> f64 {
        self.test_r2.unwrap_or(self.train_r2)
    }

    /// A classification run's accuracy on the judged set (see [`SweepRun::judged_r2`]).
    pub fn judged_accuracy(&self) -> Option<f64> {
        if self.has_test_set() {
            self.test_accuracy
        } else {
            self.train_accuracy
        }
    }

    /// MAPE on the judged set (see [`SweepRun::judged_r2`]).
    pub fn judged_mape(&self) -> Option<f64> {
        if self.has_test_set() {
            self.test_mape
        } else {
            self.train_mape
        }
    }

    /// The loss the summary ranks by: the last epoch's loss on the judged set (the test loss
    /// when there is a test set, else the train loss), or `+inf` for a diverged run (its loss
    /// became non-finite, so it ranks below every run that finished).
    pub fn judged_loss(&self) -> f64 {
        match (self.status, self.test_loss) {
            (Status::Diverged, _) => f64::INFINITY,
            (_, Some(t)) => t,
            _ => self.train_loss,
        }
    }

    /// The run ended with a finite loss (the runs whose losses the means and spreads use).
    pub fn finite(&self) -> bool {
        self.status != Status::Diverged && self.judged_loss().is_finite()
    }
}
