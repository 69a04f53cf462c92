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
//! The settings ([`EarlyStopping`]) are public; the state machine is the trainer's own
//! (its tests below feed it scripted loss sequences).

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
pub(crate) enum StopDecision {
    /// A new best: remember this epoch (and its parameters, for `restore_best`).
    Improved,
    /// No improvement yet, keep going.
    Wait,
    /// Patience ran out: stop after this epoch.
    Stop,
}

/// The early-stopping state machine (see the module doc).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EarlyStopper {
    settings: EarlyStopping,
    best: f64,
    /// 1-based; 0 before any improvement.
    pub best_epoch: usize,
    wait: usize,
}

impl EarlyStopper {
    pub(crate) fn new(settings: EarlyStopping) -> EarlyStopper {
        EarlyStopper {
            settings,
            best: f64::INFINITY,
            best_epoch: 0,
            wait: 0,
        }
    }

    /// Feeds the monitored loss of epoch `epoch` (1-based).
    pub(crate) fn update(&mut self, epoch: usize, loss: f64) -> StopDecision {
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

#[cfg(test)]
mod tests {
    use super::*;
    use StopDecision::*;

    fn decisions(s: &mut EarlyStopper, losses: &[f64]) -> Vec<StopDecision> {
        losses
            .iter()
            .enumerate()
            .map(|(i, &l)| s.update(i + 1, l))
            .collect()
    }

    // Keras EarlyStopping, patience 2, by hand: e1 1.0 improves, e2 0.8 improves, e3 0.85
    // (wait 1), e4 0.79 improves, e5 0.9 (wait 1), e6 0.9 (wait 2) -> stop, best epoch 4.
    #[test]
    fn early_stopping_on_a_scripted_sequence() {
        let mut s = EarlyStopper::new(EarlyStopping {
            patience: 2,
            min_delta: 0.0,
            restore_best: false,
        });
        let got = decisions(&mut s, &[1.0, 0.8, 0.85, 0.79, 0.9, 0.9]);
        assert_eq!(got, vec![Improved, Improved, Wait, Improved, Wait, Stop]);
        assert_eq!(s.best_epoch, 4);
        // min_delta 0.05: 0.79 is not below 0.8 - 0.05, so e4 is the second epoch without an
        // improvement (wait 2): stop there, best e2.
        let mut s = EarlyStopper::new(EarlyStopping {
            patience: 2,
            min_delta: 0.05,
            restore_best: false,
        });
        let got = decisions(&mut s, &[1.0, 0.8, 0.85, 0.79]);
        assert_eq!(got, vec![Improved, Improved, Wait, Stop]);
        assert_eq!(s.best_epoch, 2);
    }

    // Patience 1: e1 improves, e2 is worse -> stop at once.
    #[test]
    fn patience_one_stops_at_the_first_epoch_without_progress() {
        let mut s = EarlyStopper::new(EarlyStopping {
            patience: 1,
            min_delta: 0.0,
            restore_best: false,
        });
        assert_eq!(decisions(&mut s, &[0.5, 0.7]), vec![Improved, Stop]);
    }
}
