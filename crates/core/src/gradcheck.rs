//! An independent check of backpropagation by central finite differences.
//!
//! For each parameter `p`: `dL/dp ≈ (L(p + h) - L(p - h)) / 2h`, with `h = eps·max(1, |p|)`,
//! compared with the backpropagated gradient by the relative error
//! `|numeric - backprop| / max(|numeric|, |backprop|, 1e-12)`.
//!
//! A gradient or relative error that is not a finite number (a loss that overflows to inf or
//! NaN within `h` of the parameter) is a failed check, never a skipped one: it counts as the
//! largest error, and [`GradCheck::passes`] is false whatever the tolerance.
//!
//! ```
//! use nnlab_core::{course, gradient_check, Loss};
//! let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! let check = gradient_check(&net, &[(vec![1.0, 0.0], vec![2.0])], Loss::SquaredError, 1e-6).unwrap();
//! assert!(check.max_rel_error < 1e-6);
//! ```

use serde::{Deserialize, Serialize};

use crate::{CoreError, Gradients, Loss, Network, ParamId, Regularization, Trace};

/// One parameter's two gradients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradCheckEntry {
    pub name: String,
    pub id: ParamId,
    pub backprop: f64,
    pub numeric: f64,
    pub rel_error: f64,
}

impl GradCheckEntry {
    /// Both gradients and their relative error are finite numbers.
    pub fn is_finite(&self) -> bool {
        self.backprop.is_finite() && self.numeric.is_finite() && self.rel_error.is_finite()
    }
}

/// The check of every parameter and the largest relative error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradCheck {
    pub entries: Vec<GradCheckEntry>,
    /// The largest relative error; the first non-finite one when there is any (then it may be
    /// NaN, which serializes as JSON `null`).
    pub max_rel_error: f64,
    /// The parameter with the largest relative error, or the first whose check is not finite.
    pub worst: String,
}

impl GradCheck {
    /// Every entry is finite and its relative error below `tolerance`.
    pub fn passes(&self, tolerance: f64) -> bool {
        self.entries
            .iter()
            .all(|e| e.is_finite() && e.rel_error < tolerance)
    }
}

/// Mean loss over `samples` (pairs of input and target).
pub fn mean_loss(net: &Network, samples: &[(Vec<f64>, Vec<f64>)], loss: Loss) -> f64 {
    let mut trace = Trace::new(net);
    let mut acc = 0.0;
    for (x, y) in samples {
        net.forward_into(x, &mut trace);
        acc += trace.loss(loss, y);
    }
    acc / samples.len() as f64
}

/// Gradients of the mean loss over `samples` by backpropagation.
pub fn mean_gradients(
    net: &Network,
    samples: &[(Vec<f64>, Vec<f64>)],
    loss: Loss,
) -> Result<Gradients, CoreError> {
    let mut total = Gradients::zeros(net);
    for (x, y) in samples {
        let (_, _, _, g) = net.backprop(x, y, loss)?;
        total.add_assign(&g);
    }
    total.scale(1.0 / samples.len() as f64);
    Ok(total)
}

/// Compares backpropagation with central differences for every parameter.
pub fn gradient_check(
    net: &Network,
    samples: &[(Vec<f64>, Vec<f64>)],
    loss: Loss,
    eps: f64,
) -> Result<GradCheck, CoreError> {
    gradient_check_regularized(net, samples, loss, Regularization::NONE, eps)
}

/// [`gradient_check`] of the objective `mean loss + reg.penalty(net)`: its backpropagated
/// gradient is [`mean_gradients`] plus [`Regularization::add_gradient`], as one update of a
/// batch of `samples` uses it.
pub fn gradient_check_regularized(
    net: &Network,
    samples: &[(Vec<f64>, Vec<f64>)],
    loss: Loss,
    reg: Regularization,
    eps: f64,
) -> Result<GradCheck, CoreError> {
    if samples.is_empty() {
        return Err(CoreError::WrongCount {
            what: "samples",
            expected: 1,
            found: 0,
        });
    }
    let mut grads = mean_gradients(net, samples, loss)?;
    reg.add_gradient(net, &mut grads);
    let backprop = grads.flat();
    let objective = |n: &Network| mean_loss(n, samples, loss) + reg.penalty(n);
    let mut probe = net.clone();
    let mut entries = Vec::with_capacity(backprop.len());
    for (k, id) in net.param_ids().into_iter().enumerate() {
        let p = net.get(id);
        let h = eps * p.abs().max(1.0);
        probe.set(id, p + h);
        let up = objective(&probe);
        probe.set(id, p - h);
        let down = objective(&probe);
        probe.set(id, p);
        let numeric = (up - down) / (2.0 * h);
        let bp = backprop[k];
        let rel_error = (numeric - bp).abs() / numeric.abs().max(bp.abs()).max(1e-12);
        entries.push(GradCheckEntry {
            name: net.param_name(id),
            id,
            backprop: bp,
            numeric,
            rel_error,
        });
    }
    // `f64::max` and `>` both pass over NaN; a non-finite entry must win instead, so the
    // first one is the worst and nothing after it can displace it.
    let mut worst: Option<&GradCheckEntry> = None;
    for e in &entries {
        let beats =
            worst.is_none_or(|w| w.is_finite() && (!e.is_finite() || e.rel_error > w.rel_error));
        if beats {
            worst = Some(e);
        }
    }
    let (max_rel_error, worst) =
        worst.map_or((0.0, String::new()), |w| (w.rel_error, w.name.clone()));
    Ok(GradCheck {
        entries,
        max_rel_error,
        worst,
    })
}
