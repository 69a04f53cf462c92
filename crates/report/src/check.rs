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

use nnlab_core::{gradient_check, Loss, Network};

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
    /// The parameter with the largest relative error.
    pub worst: String,
    /// `max_rel_error < tolerance`.
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
        let check = gradient_check(net, &[(x.to_vec(), y.to_vec())], loss, CHECK_EPS)?;
        let entries = net
            .named_param_ids()
            .into_iter()
            .filter_map(|(name, id)| {
                check.entries.iter().find(|e| e.id == id).map(|e| CheckRow {
                    name,
                    backprop: e.backprop,
                    numeric: e.numeric,
                    rel_error: e.rel_error,
                })
            })
            .collect();
        Ok(CheckReport {
            eps: CHECK_EPS,
            tolerance: CHECK_TOLERANCE,
            entries,
            max_rel_error: check.max_rel_error,
            worst: check.worst,
            // Written so that a NaN error fails the check.
            passed: check.max_rel_error < CHECK_TOLERANCE,
        })
    }
}
