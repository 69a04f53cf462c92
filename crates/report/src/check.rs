//! The finite-difference gradient check of one example, in display order, with a verdict.
//!
//! ```
//! use nnlab_core::{course, Loss};
//! use nnlab_report::CheckReport;
//! let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! let check = CheckReport::new(&net, &[1.0, 0.0], &[2.0], Loss::SquaredError).unwrap();
//! assert!(check.passed);
//! assert_eq!(check.entries[0].name, "w1");
//! ```

use serde::{Deserialize, Serialize};

use nnlab_core::{gradient_check_regularized, Loss, Network, Regularization};

use crate::ReportError;

/// The relative step of the central differences: `h = 1e-6·max(1, |p|)`.
pub const CHECK_EPS: f64 = 1e-6;
/// Backpropagation passes when every relative error is below this. Central differences are
/// accurate to about `h²` plus rounding `1e-16/h`, both far below it on smooth functions;
/// a relu kink within `h` of a node's `z` is the usual reason to exceed it.
pub const CHECK_TOLERANCE: f64 = 1e-6;

/// One parameter's backpropagated and numeric gradients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckRow {
    pub name: String,
    pub backprop: f64,
    pub numeric: f64,
    /// `|numeric - backprop| / max(|numeric|, |backprop|, 1e-12)`.
    pub rel_error: f64,
}

/// [`nnlab_core::gradient_check`] on one example, with the verdict against [`CHECK_TOLERANCE`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    pub eps: f64,
    pub tolerance: f64,
    /// In display order (`w1..w6, b1..b3` on the course network).
    pub entries: Vec<CheckRow>,
    pub max_rel_error: f64,
    /// The parameter with the largest relative error (the first non-finite one if any).
    pub worst: String,
    /// The parameters whose gradients or relative error are not finite numbers (JSON writes
    /// such a number as `null`, so the names are listed here), in display order.
    pub non_finite: Vec<String>,
    /// Every relative error is finite and below the tolerance.
    pub passed: bool,
}

impl CheckReport {
    /// Checks every gradient of the loss on `(x, y)` by central differences.
    pub fn new(
        net: &Network,
        x: &[f64],
        y: &[f64],
        loss: Loss,
    ) -> Result<CheckReport, ReportError> {
        CheckReport::regularized(net, x, y, loss, Regularization::NONE)
    }

    /// [`CheckReport::new`] of the loss plus the L1/L2 penalty `reg`.
    pub fn regularized(
        net: &Network,
        x: &[f64],
        y: &[f64],
        loss: Loss,
        reg: Regularization,
    ) -> Result<CheckReport, ReportError> {
        let sample = [(x.to_vec(), y.to_vec())];
        let check = gradient_check_regularized(net, &sample, loss, reg, CHECK_EPS)?;
        let mut entries = Vec::with_capacity(check.entries.len());
        let mut non_finite = Vec::new();
        for (name, id) in net.named_param_ids() {
            if let Some(e) = check.entries.iter().find(|e| e.id == id) {
                if !e.is_finite() {
                    non_finite.push(name.clone());
                }
                entries.push(CheckRow {
                    name,
                    backprop: e.backprop,
                    numeric: e.numeric,
                    rel_error: e.rel_error,
                });
            }
        }
        Ok(CheckReport {
            eps: CHECK_EPS,
            tolerance: CHECK_TOLERANCE,
            passed: check.passes(CHECK_TOLERANCE),
            entries,
            max_rel_error: check.max_rel_error,
            worst: check.worst,
            non_finite,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{render_text, StepReport};
    use nnlab_core::course;

    /// `nnlab step --weights 1,0.5,1,1.7976931348623157e308,1,1 --biases 0.5,-10,0.5
    /// --target 3 --check` (input (1, 0)): the probe w4 + h overflows, so w4's numeric
    /// gradient is NaN (see `a_nan_gradient_fails_the_check` in nnlab-core's tests). It used
    /// to print `nan` for w4 and then PASS.
    #[test]
    fn a_nan_gradient_fails_and_is_named() {
        let net = course::network([1.0, 0.5, 1.0, f64::MAX, 1.0, 1.0], [0.5, -10.0, 0.5]);
        let (x, y) = ([1.0, 0.0], [3.0]);
        let check = CheckReport::new(&net, &x, &y, Loss::SquaredError).unwrap();
        assert!(!check.passed);
        assert_eq!(check.non_finite, ["w4"]);
        assert_eq!(check.worst, "w4");
        let mut report = StepReport::new(&net, &x, &y, 0.01, Loss::SquaredError).unwrap();
        report.check = Some(check);
        let text = render_text(&report);
        assert!(
            text.contains(
                "\n  largest relative error nan (w4), tolerance 1e-06: FAIL, not a finite number \
             for w4 (the loss, or the parameter moved by h, overflows)\n"
            ),
            "{text}"
        );
        assert!(!text.contains("PASS"), "{text}");
    }
}
