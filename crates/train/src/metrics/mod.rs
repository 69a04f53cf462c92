//! Regression metrics of predictions `y_hat` against targets `y` over `n` values.
//!
//! ```text
//! mse  = Σ (y - y_hat)² / n            rmse = sqrt(mse)
//! mae  = Σ |y - y_hat| / n
//! r2   = 1 - SS_res / SS_tot,  SS_res = Σ (y - y_hat)²,  SS_tot = Σ (y - mean(y))²
//! mape = Σ_{y ≠ 0} |(y - y_hat) / y| · 100 / (count of y ≠ 0)
//! ```
//!
//! `r2` is NaN when `SS_tot = 0` (all targets equal: R² is undefined) and serializes as
//! JSON `null`; `mape` is `None` when every target is 0, and `mape_excluded` counts the
//! rows left out because their target is 0.
//!
//! ```
//! use nnlab_train::metrics;
//! // By hand: errors 0, 0, 1 -> mse = mae = 1/3; SS_tot = 2 -> r2 = 1 - 1/2.
//! let m = metrics::compute(&[1.0, 2.0, 4.0], &[1.0, 2.0, 3.0]);
//! assert_eq!(m.r2, 0.5);
//! ```

mod classes;

pub use classes::{classify, n_classes, ClassMetrics, ClassScores};

use nnlab_core::Network;
use serde::{Deserialize, Serialize};

use crate::Samples;

/// The metrics of one set of predictions (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub mse: f64,
    pub rmse: f64,
    pub mae: f64,
    /// NaN (JSON `null`) when all targets are equal.
    pub r2: f64,
    /// `None` when every target is 0.
    pub mape: Option<f64>,
    /// Rows left out of `mape` because their target is 0.
    pub mape_excluded: usize,
    pub n: usize,
}

/// The metrics of `y_hat` against `y`, paired up to the shorter length; sums run left to
/// right. With no values at all every mean is NaN.
pub fn compute(y_hat: &[f64], y: &[f64]) -> Metrics {
    let n = y_hat.len().min(y.len());
    compute_by(n, |i| (y_hat[i], y[i]), |i| y[i])
}

/// [`compute`] over `n` rows given by functions instead of slices, so a caller can produce
/// predictions or targets on the fly (in other units, from a network) without holding a
/// column of them: `pair(i)` is `(y_hat_i, y_i)`, `target(i)` is `y_i` alone. The sums run
/// in the same order as [`compute`], so the result is the same bits.
pub fn compute_by(
    n: usize,
    mut pair: impl FnMut(usize) -> (f64, f64),
    mut target: impl FnMut(usize) -> f64,
) -> Metrics {
    let nf = n as f64;
    let mut ss_res = 0.0;
    let mut abs = 0.0;
    let mut ape = 0.0;
    let mut excluded = 0;
    for i in 0..n {
        let (p, t) = pair(i);
        let e = t - p;
        ss_res += e * e;
        abs += e.abs();
        if t == 0.0 {
            excluded += 1;
        } else {
            ape += (e / t).abs();
        }
    }
    let mut sum = 0.0;
    for i in 0..n {
        sum += target(i);
    }
    let mean = sum / nf;
    let mut ss_tot = 0.0;
    for i in 0..n {
        let t = target(i);
        ss_tot += (t - mean) * (t - mean);
    }
    let mse = ss_res / nf;
    let counted = n - excluded;
    Metrics {
        mse,
        rmse: mse.sqrt(),
        mae: abs / nf,
        r2: if ss_tot == 0.0 {
            f64::NAN
        } else {
            1.0 - ss_res / ss_tot
        },
        mape: (counted > 0).then(|| ape / counted as f64 * 100.0),
        mape_excluded: excluded,
        n,
    }
}

/// The network's prediction for every row, flat (`n_rows · n_outputs` values, row-major).
/// Empty when the samples' input width differs from the network's.
pub fn predict_all(net: &Network, samples: &Samples) -> Vec<f64> {
    let mut out = Vec::with_capacity(samples.n_rows() * net.n_outputs());
    let mut trace = nnlab_core::Trace::new(net);
    if samples.n_inputs != net.n_inputs() {
        return out;
    }
    for r in 0..samples.n_rows() {
        net.forward_into(samples.x_row(r), &mut trace);
        out.extend_from_slice(trace.output());
    }
    out
}
