//! Several gradient-descent steps on the same example: how the prediction and the loss move.
//!
//! Row `k` holds the parameters after `k` steps and the prediction and loss they give, so
//! row 0 is the start and row `N` the result of the last step.
//!
//! ```
//! use nnlab_core::{course, Loss};
//! use nnlab_report::StepsReport;
//! let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! let r = StepsReport::new(&net, &[1.0, 0.0], &[2.0], 0.01, Loss::SquaredError, 3).unwrap();
//! assert_eq!(r.rows.len(), 4);
//! assert_eq!(r.rows[0].loss, 0.25);
//! assert!(r.rows[3].loss < r.rows[0].loss);
//! ```

use serde::{Deserialize, Serialize};

use nnlab_core::{Loss, Network, Regularization};

use crate::named::{one_or_many, NamedValues};
use crate::step::penalized_backprop;
use crate::{ReportError, StepReport};

/// The most steps one report holds: each keeps a row of every parameter, and longer runs are
/// training, not a worked example.
pub const MAX_STEPS: usize = 100_000;

/// The state after `step` steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRow {
    pub step: usize,
    #[serde(with = "one_or_many")]
    pub prediction: Vec<f64>,
    pub loss: f64,
    pub params: NamedValues,
}

/// `steps` successive steps on one example, and the full report of the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepsReport {
    pub steps: usize,
    pub lr: f64,
    /// Rows `0..=steps`.
    pub rows: Vec<StepRow>,
    /// The first step in full.
    pub first: StepReport,
}

impl StepsReport {
    /// Runs `steps` (1 to [`MAX_STEPS`]) steps of backprop and update from `net` on `(x, y)`.
    pub fn new(
        net: &Network,
        x: &[f64],
        y: &[f64],
        lr: f64,
        loss: Loss,
        steps: usize,
    ) -> Result<StepsReport, ReportError> {
        StepsReport::regularized(net, x, y, lr, (loss, Regularization::NONE), steps)
    }

    /// [`StepsReport::new`] with the L1/L2 penalty `reg` in every step's loss and gradients.
    pub fn regularized(
        net: &Network,
        x: &[f64],
        y: &[f64],
        lr: f64,
        (loss, reg): (Loss, Regularization),
        steps: usize,
    ) -> Result<StepsReport, ReportError> {
        if steps == 0 {
            return Err(ReportError::Invalid {
                field: "--steps".into(),
                reason: "'0' is not a number of steps (give 1 or more)".into(),
            });
        }
        if steps > MAX_STEPS {
            return Err(ReportError::Invalid {
                field: "--steps".into(),
                reason: format!("'{steps}' is more than the {MAX_STEPS} steps a report can show"),
            });
        }
        let first = StepReport::regularized(net, x, y, lr, loss, reg)?;
        let named = net.named_param_ids();
        let mut current = net.clone();
        let mut rows = Vec::with_capacity(steps + 1);
        for step in 0..=steps {
            let (trace, loss_value, _, grads, _) = penalized_backprop(&current, x, y, loss, reg)?;
            rows.push(StepRow {
                step,
                prediction: trace.output().to_vec(),
                loss: loss_value,
                params: NamedValues(
                    named
                        .iter()
                        .map(|(n, id)| (n.clone(), current.get(*id)))
                        .collect(),
                ),
            });
            if step < steps {
                current.apply_gradients(&grads, lr);
            }
        }
        Ok(StepsReport {
            steps,
            lr,
            rows,
            first,
        })
    }

    /// The first value that stopped being finite, in step order: a row's parameter (in
    /// display order), else the loss they give (`nnlab step` then exits 3, as `train` does).
    pub fn non_finite(&self) -> Option<NonFinite> {
        self.rows.iter().find_map(|r| {
            let (what, value) = r
                .params
                .0
                .iter()
                .cloned()
                .chain(std::iter::once(("loss".to_string(), r.loss)))
                .find(|(_, v)| !v.is_finite())?;
            Some(NonFinite {
                step: r.step,
                what,
                value,
            })
        })
    }
}

impl StepReport {
    /// The first value of the step that is not finite: the loss, else a parameter after
    /// the update (step 1).
    pub fn non_finite(&self) -> Option<NonFinite> {
        let before = std::iter::once(("loss".to_string(), self.loss)).map(|v| (0, v));
        let after = self.after.0.iter().cloned().map(|v| (1, v));
        before
            .chain(after)
            .find(|(_, (_, v))| !v.is_finite())
            .map(|(step, (what, value))| NonFinite { step, what, value })
    }
}

/// A loss or parameter that became inf or NaN, `step` steps in (0: at the start).
#[derive(Debug, Clone, PartialEq)]
pub struct NonFinite {
    pub step: usize,
    /// `loss` or a parameter's name (`w5`).
    pub what: String,
    pub value: f64,
}

impl std::fmt::Display for NonFinite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.step {
            0 => write!(f, "the {} is {:?} at the start", self.what, self.value),
            k => write!(f, "{} became {:?} after step {k}", self.what, self.value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab_core::course;

    // The course's example (gradients 1, 1, 0, 0, 1.5, 0.5, 1, 1, 1 at the start) with
    // lr = 1.5e308: w5's update is -1.5e308 · 1.5, beyond f64's 1.8e308, so w5 = -inf after
    // step 1, the first parameter in display order to overflow (w1's 1 - 1.5e308 is finite).
    #[test]
    fn the_first_overflowing_value_is_found() {
        let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
        let (x, y) = ([1.0, 0.0], [2.0]);
        let one = StepReport::new(&net, &x, &y, 1.5e308, Loss::SquaredError).unwrap();
        let found = one.non_finite().unwrap();
        assert_eq!(found.to_string(), "w5 became -inf after step 1");
        let many = StepsReport::new(&net, &x, &y, 1.5e308, Loss::SquaredError, 3).unwrap();
        assert_eq!(many.non_finite(), Some(found));
        let calm = StepsReport::new(&net, &x, &y, 0.01, Loss::SquaredError, 3).unwrap();
        assert_eq!(calm.non_finite(), None);
        assert_eq!(calm.first.non_finite(), None);
    }
}
