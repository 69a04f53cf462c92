//! The end of the verdict for a classification run: accuracy against the majority-class
//! baseline takes R²'s place.
//!
//! The baseline is the accuracy of always answering the judged set's most common class
//! (`majority`). A run's `gain` is the share of that baseline's errors it removes,
//! `(accuracy - majority) / (1 - majority)`: 0 for no better than the baseline, 1 for no
//! error, the classification twin of R² (the share of the mean's squared error removed).
//!
//! | outcome | holds when (after the shared rules: diverged, stuck, oscillating, still improving) |
//! |---|---|
//! | `no_better_than_mean` | accuracy ≤ the majority-class baseline |
//! | `stopped_early` | early stopping ended the run, above the baseline |
//! | `plateaued` | the gain is below [`LEARNED_GAIN`] |
//! | `learned` | none of the above |

use serde::{Deserialize, Serialize};

use nnlab_report::sig4;
use nnlab_train::TrainStatus;

use super::{Judge, Outcome};

/// The least gain over the baseline (share of its errors removed) of a settled run that
/// learned, as [`super::LEARNED_R2`] is for R²: a run that removes less than a quarter of the
/// baseline's errors has plateaued.
pub const LEARNED_GAIN: f64 = 0.25;

/// What `--explain-outcomes` adds for classification runs (`{gain}` is [`LEARNED_GAIN`] in
/// percent), wrapped at 88 columns as the definitions are.
pub(super) const EXPLAIN: &str =
    "\nA classification run (a cross-entropy loss) is judged by its accuracy instead of R²
in the last four rules: no_better_than_mean when the accuracy is not above always
answering the most common class (the majority-class baseline), plateaued when it removes
less than {gain}% of that baseline's errors, learned otherwise.\n";

/// A classification run's accuracy on the judged set and its majority-class baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Accuracy {
    pub accuracy: f64,
    /// The accuracy of always answering the most common true class.
    pub majority: f64,
}

impl Accuracy {
    /// `(accuracy - majority) / (1 - majority)`: the share of the baseline's errors removed
    /// (NaN when the baseline is already perfect: one class only).
    pub fn gain(self) -> f64 {
        (self.accuracy - self.majority) / (1.0 - self.majority)
    }

    /// `accuracy 0.95 (majority class 0.5)`, the phrase the verdict's reasons quote.
    pub fn phrase(self) -> String {
        format!(
            "accuracy {} (majority class {})",
            sig4(self.accuracy),
            sig4(self.majority)
        )
    }

    /// Above the baseline (false for NaN).
    pub fn beats_baseline(self) -> bool {
        self.accuracy > self.majority
    }
}

/// The outcome of a settled classification run (after the shared rules) and why.
pub(super) fn settled(j: &Judge, a: Accuracy) -> (Outcome, String) {
    let set = j.judged_on.name();
    let score = a.phrase();
    if !a.beats_baseline() {
        return (
            Outcome::NoBetterThanMean,
            format!(
                "{score} on the {set} set: always answering the most common class does as well"
            ),
        );
    }
    if let TrainStatus::StoppedEarly { epoch, best_epoch } = j.status {
        return (
            Outcome::StoppedEarly,
            format!("early stopping ended the run at epoch {epoch} (best test loss at epoch {best_epoch}); {score} on the {set} set"),
        );
    }
    if a.gain() < LEARNED_GAIN {
        return (
            Outcome::Plateaued,
            format!(
                "the loss has settled at {score} on the {set} set: it removes {}% of the majority-class baseline's errors, less than {}%",
                sig4(a.gain() * 100.0),
                sig4(LEARNED_GAIN * 100.0)
            ),
        );
    }
    (
        Outcome::Learned,
        format!("the loss has settled at {score} on the {set} set"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{judge, JudgedOn, Spread};
    use super::*;

    /// A settled classification run on the test set: the loss falls to a floor
    /// (L_e = 0.1 + 0.5^e, flat at the end), predictions spread like the 0/1 targets.
    fn judged(accuracy: f64, majority: f64, status: &TrainStatus) -> super::super::Verdict {
        let loss: Vec<f64> = (0..300).map(|e| 0.1 + 0.5f64.powi(e)).collect();
        let p = [0.1, 0.9, 0.2, 0.8, 0.3, 0.7];
        let y = [0.0, 1.0, 0.0, 1.0, 0.0, 1.0];
        judge(&Judge {
            status,
            train_loss: &loss,
            judged_on: JudgedOn::Test,
            r2: 0.5,
            spread: Spread::of(&p, &y),
            linear_r2: Some(0.9),
            accuracy: Some(Accuracy { accuracy, majority }),
        })
    }

    // 0.95 against a baseline of 0.5 removes (0.95 - 0.5)/(1 - 0.5) = 90% of its errors:
    // learned, said with accuracy; R² 0.5 below the line's 0.9 would have been `plateaued`
    // for a regression run, and plays no part here.
    #[test]
    fn accuracy_judges_a_classifier() {
        let v = judged(0.95, 0.5, &TrainStatus::Completed);
        assert_eq!(v.outcome, Outcome::Learned, "{}", v.reason);
        assert_eq!(
            v.reason,
            "the loss has settled at accuracy 0.95 (majority class 0.5) on the test set"
        );
        assert!(
            (Accuracy {
                accuracy: 0.95,
                majority: 0.5
            }
            .gain()
                - 0.9)
                .abs()
                < 1e-12
        );
    }

    // 0.5 against 0.5: no better than always answering the majority class. 0.6 against 0.5
    // removes (0.6 - 0.5)/0.5 = 20% of the baseline's errors, under 25%: plateaued; 0.65
    // removes 30%: learned.
    #[test]
    fn the_baseline_and_the_gain_decide() {
        let v = judged(0.5, 0.5, &TrainStatus::Completed);
        assert_eq!(v.outcome, Outcome::NoBetterThanMean, "{}", v.reason);
        assert!(v
            .reason
            .contains("always answering the most common class does as well"));
        let v = judged(0.6, 0.5, &TrainStatus::Completed);
        assert_eq!(v.outcome, Outcome::Plateaued, "{}", v.reason);
        assert!(
            v.reason
                .contains("removes 20% of the majority-class baseline's errors"),
            "{}",
            v.reason
        );
        assert_eq!(
            judged(0.65, 0.5, &TrainStatus::Completed).outcome,
            Outcome::Learned
        );
        let stopped = TrainStatus::StoppedEarly {
            epoch: 40,
            best_epoch: 30,
        };
        let v = judged(0.9, 0.5, &stopped);
        assert_eq!(v.outcome, Outcome::StoppedEarly);
        assert!(v
            .reason
            .ends_with("accuracy 0.9 (majority class 0.5) on the test set"));
    }

    // The accuracy rides in the verdict's JSON for a classifier and not at all for regression.
    #[test]
    fn json_carries_accuracy_only_for_classifiers() {
        let v = judged(0.95, 0.5, &TrainStatus::Completed);
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["accuracy"]["accuracy"], 0.95);
        let mut regression = v.clone();
        regression.accuracy = None;
        let json = serde_json::to_value(&regression).unwrap();
        assert!(json.get("accuracy").is_none());
        let back: super::super::Verdict = serde_json::from_value(json).unwrap();
        assert_eq!(back.accuracy, None);
    }
}
