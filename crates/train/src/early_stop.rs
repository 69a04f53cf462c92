//! Early stopping with Keras's `EarlyStopping` semantics (mode `min`), on the monitored loss:
//! the test loss when there is a test set, else the training loss.
//!
//! ```text
//! after epoch e (1-based), with best = +inf and wait = 0 at the start:
//!     wait += 1
//!     if loss < best - min_delta:  best = loss; best_epoch = e; wait = 0
//!     elif wait >= patience and e > 1:  stop
//! ```
//!
//! So training stops after `patience` epochs in a row without an improvement. With
//! `restore_best`, a run that stops early ends with the parameters of `best_epoch` (Keras
//! restores only when it stops early, and so do we).
//!
//! ```
//! use nnlab_train::{EarlyStopper, EarlyStopping, StopDecision};
//! let mut s = EarlyStopper::new(EarlyStopping { patience: 1, min_delta: 0.0, restore_best: false });
//! assert_eq!(s.update(1, 0.5), StopDecision::Improved);
//! assert_eq!(s.update(2, 0.7), StopDecision::Stop);
//! ```

use serde::{Deserialize, Serialize};

use crate::error::invalid;
use crate::TrainError;

/// The early-stopping settings. Defaults: patience 10 (Keras's 0 stops at the first
/// epoch without progress, rarely what a student wants), `min_delta` 0 and `restore_best`
/// false (Keras's).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EarlyStopping {
    pub patience: usize,
    pub min_delta: f64,
    pub restore_best: bool,
}

impl Default for EarlyStopping {
    fn default() -> Self {
        EarlyStopping {
            patience: 10,
            min_delta: 0.0,
            restore_best: false,
        }
    }
}

impl EarlyStopping {
    /// `min_delta` must be finite and at least 0.
    pub fn validate(&self) -> Result<(), TrainError> {
        if self.min_delta.is_finite() && self.min_delta >= 0.0 {
            Ok(())
        } else {
            Err(invalid(
                "early_stopping.min_delta",
                self.min_delta,
                "must be finite and at least 0",
            ))
        }
    }
}

/// What the stopper decided after one epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopDecision {
    /// A new best: remember this epoch (and its parameters, for `restore_best`).
    Improved,
    /// No improvement yet, keep going.
    Wait,
    /// Patience ran out: stop after this epoch.
    Stop,
}

/// The early-stopping state machine (see the module doc).
#[derive(Debug, Clone, PartialEq)]
pub struct EarlyStopper {
    pub settings: EarlyStopping,
    pub best: f64,
    /// 1-based; 0 before any improvement.
    pub best_epoch: usize,
    pub wait: usize,
}

impl EarlyStopper {
    pub fn new(settings: EarlyStopping) -> EarlyStopper {
        EarlyStopper {
            settings,
            best: f64::INFINITY,
            best_epoch: 0,
            wait: 0,
        }
    }

    /// Feeds the monitored loss of epoch `epoch` (1-based).
    pub fn update(&mut self, epoch: usize, loss: f64) -> StopDecision {
        self.wait += 1;
        if loss < self.best - self.settings.min_delta {
            self.best = loss;
            self.best_epoch = epoch;
            self.wait = 0;
            StopDecision::Improved
        } else if self.wait >= self.settings.patience && epoch > 1 {
            StopDecision::Stop
        } else {
            StopDecision::Wait
        }
    }
}
