//! Where the output layer meets the loss: a sample's loss from the output layer's `z` and
//! `a` ([`sample_loss`]), the output layer's `dL/da` and `dL/dz` ([`output_gradient`]), which
//! losses go with which outputs ([`check_output`]), and the predicted class
//! ([`predicted_class`]).
//!
//! **Per-sample convention.** Squared, absolute, Huber and binary cross-entropy: the mean
//! over the outputs of the per-output loss (Keras's convention; one output is just its
//! loss). Categorical cross-entropy: the sum over the classes, one number per sample
//! (`-Σ_k y_k·ln p_k`, as Keras's `categorical_crossentropy` and PyTorch's
//! `CrossEntropyLoss` per sample).
//!
//! **From the logits.** Binary cross-entropy needs a sigmoid output and is computed from its
//! `z`: `max(z, 0) - z·y + ln(1 + e^-|z|)` ([`Loss::f_logit`]). Categorical cross-entropy
//! needs a softmax output and is computed by log-sum-exp: with `m = max_k z_k` and
//! `S = Σ_k e^{z_k - m}`, `-ln p_k = ln S - (z_k - m)`. Both are exact rearrangements and
//! finite for every finite `z` (`e^x` only ever sees `x <= 0`), where `ln(σ(1000))`-style
//! arithmetic on the rounded probability would give `ln 0 = -inf`.
//!
//! **dL/dz = y_hat - y.** For sigmoid + binary cross-entropy,
//! `dL/dz = dL/dp · dp/dz = (p - y)/(p(1 - p)) · p(1 - p) = p - y`; for softmax + categorical
//! cross-entropy, `dL/dz_i = Σ_j (-y_j/p_j)·p_j(δ_ij - p_i) = p_i·Σ_j y_j - y_i`, which is
//! `p_i - y_i` for a one-hot `y`. Backpropagation uses these directly: the chain through
//! `dL/dp` would divide by `p(1 - p)`, which is 0 at saturation (`σ(40)` rounds to 1), giving
//! `0/0 = NaN` or a gradient destroyed by rounding; the product form is exact and bounded.
//! `dL/da` is still recorded (in its clipped probability form, [`Loss::df`]) so a step trace
//! can show it, but nothing is computed from it.
//!
//! **Mixed combinations are refused** ([`check_output`]): binary cross-entropy after any
//! output but sigmoid, categorical cross-entropy after any output but softmax. A
//! cross-entropy of a ReLU or identity output is not a probability's log-loss (it can be
//! negative or above 1), and clipping it would hide the mistake behind a loss that stops
//! learning where the clip bites. Softmax with a regression loss is allowed and backpropagates
//! through softmax's full Jacobian.
//!
//! ```
//! use nnlab_core::{output, Activation, Loss};
//! // sigmoid output z = 0 (p = 1/2), y = 1: L = ln 2, dL/dz = 1/2 - 1.
//! let (z, p) = ([0.0], [0.5]);
//! assert_eq!(output::sample_loss(Loss::BinaryCrossEntropy, &z, &p, &[1.0]), 2f64.ln());
//! let (mut da, mut dz) = ([0.0], [0.0]);
//! output::output_gradient(Loss::BinaryCrossEntropy, Activation::Sigmoid, &z, &p, &[1.0], &mut da, &mut dz);
//! assert_eq!(dz, [-0.5]);
//! assert!(output::check_output(Loss::BinaryCrossEntropy, Activation::Relu).is_err());
//! ```

use crate::{Activation, CoreError, Loss};

/// Refuses a loss with an output activation it is not defined for: binary cross-entropy
/// needs sigmoid, categorical cross-entropy needs softmax (see the module docs for why).
/// Every other combination is accepted.
pub fn check_output(loss: Loss, output: Activation) -> Result<(), CoreError> {
    let needs = match loss {
        Loss::BinaryCrossEntropy => Activation::Sigmoid,
        Loss::CategoricalCrossEntropy => Activation::Softmax,
        _ => return Ok(()),
    };
    if output == needs {
        Ok(())
    } else {
        Err(CoreError::LossNeedsOutput {
            loss: loss.to_string(),
            needs: needs.symbol(),
            found: output.to_string(),
        })
    }
}

/// One sample's loss from the output layer's pre-activations `z`, its activations `y_hat`
/// and the target `y` (all of one length), by the conventions of the module docs.
///
/// The cross-entropies read only `z` (as logits); the other losses read only `y_hat`. A
/// cross-entropy is only meaningful after the output [`check_output`] accepts: with another
/// output this still treats `z` as logits (no panic, no NaN), which is why every caller
/// that takes a loss from the user checks first.
pub fn sample_loss(loss: Loss, z: &[f64], y_hat: &[f64], y: &[f64]) -> f64 {
    match loss {
        Loss::CategoricalCrossEntropy => {
            let (m, ln_s) = log_sum_exp_parts(z);
            let mut acc = 0.0;
            for (zk, yk) in z.iter().zip(y) {
                acc += yk * (ln_s - (zk - m));
            }
            acc
        }
        Loss::BinaryCrossEntropy => mean_over_outputs(z, y, |zj, yj| loss.f_logit(zj, yj)),
        _ => mean_over_outputs(y_hat, y, |p, yj| loss.f(p, yj)),
    }
}

/// `(1/n) Σ_j term(v_j, y_j)`, summed left to right; exactly `term(v_0, y_0)` for one output.
#[inline(always)]
fn mean_over_outputs(v: &[f64], y: &[f64], term: impl Fn(f64, f64) -> f64) -> f64 {
    let mut acc = term(v[0], y[0]);
    for j in 1..v.len() {
        acc += term(v[j], y[j]);
    }
    if v.len() > 1 {
        acc / v.len() as f64
    } else {
        acc
    }
}

/// `(m, ln S)` with `m = max_k z_k` and `S = Σ_k e^{z_k - m}` (in `[1, n]` for finite `z`).
fn log_sum_exp_parts(z: &[f64]) -> (f64, f64) {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut s = 0.0;
    for zk in z {
        s += (zk - m).exp();
    }
    (m, s.ln())
}

/// The output layer's `dL/da` and `dL/dz` for one sample, from its `z`, `a = y_hat` and the
/// target `y`.
///
/// Sigmoid + binary cross-entropy: `dL/dz_j = (y_hat_j - y_j)/n` (`n` outputs, no division
/// for one). Softmax + categorical cross-entropy: `dL/dz_k = y_hat_k·Σ_j y_j - y_k`
/// (`y_hat_k - y_k` for one-hot targets, as `Σ_j y_j` is then exactly 1). Every other pair:
/// `dL/da_j = loss'(y_hat_j, y_j)/n` (no `/n` for categorical cross-entropy, a sum) and
/// `dL/dz` by [`Activation::backward_layer`]. `dL/da` is filled in every case (the
/// probability form, for display).
pub fn output_gradient(
    loss: Loss,
    act: Activation,
    z: &[f64],
    y_hat: &[f64],
    y: &[f64],
    dl_da: &mut [f64],
    dl_dz: &mut [f64],
) {
    let n = y_hat.len();
    let per_output = |g: f64| {
        if n > 1 && loss != Loss::CategoricalCrossEntropy {
            g / n as f64
        } else {
            g
        }
    };
    for ((da, &p), &yj) in dl_da.iter_mut().zip(y_hat).zip(y) {
        *da = per_output(loss.df(p, yj));
    }
    match (loss, act) {
        (Loss::BinaryCrossEntropy, Activation::Sigmoid) => {
            for ((dz, &p), &yj) in dl_dz.iter_mut().zip(y_hat).zip(y) {
                *dz = per_output(p - yj);
            }
        }
        (Loss::CategoricalCrossEntropy, Activation::Softmax) => {
            let mut total = 0.0;
            for yj in y {
                total += yj;
            }
            for ((dz, &p), &yj) in dl_dz.iter_mut().zip(y_hat).zip(y) {
                *dz = p * total - yj;
            }
        }
        _ => act.backward_layer(z, y_hat, dl_da, dl_dz),
    }
}

/// Whether backprop takes the shortcut `dL/dz = y_hat - y` for this pair (sigmoid + binary
/// cross-entropy, softmax + categorical cross-entropy), for explanations.
pub fn uses_logit_gradient(loss: Loss, act: Activation) -> bool {
    matches!(
        (loss, act),
        (Loss::BinaryCrossEntropy, Activation::Sigmoid)
            | (Loss::CategoricalCrossEntropy, Activation::Softmax)
    )
}

/// The predicted class of one sample's outputs: for one output (a probability of class 1),
/// 1 if `p >= 0.5` else 0; for several, the first index of the largest output. NaN never
/// wins (`NaN >= 0.5` is false; a NaN output is never larger than another), and no outputs
/// give class 0.
pub fn predicted_class(outputs: &[f64]) -> usize {
    match outputs {
        [p] => usize::from(*p >= 0.5),
        _ => {
            let mut best = 0;
            for (k, v) in outputs.iter().enumerate().skip(1) {
                if *v > outputs[best] || outputs[best].is_nan() && !v.is_nan() {
                    best = k;
                }
            }
            best
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The rule of the interface: one output is a probability of class 1 (>= 0.5 is class 1),
    // several are scores whose first largest wins; NaN never wins.
    #[test]
    fn predicted_class_by_hand() {
        assert_eq!(predicted_class(&[0.5]), 1);
        assert_eq!(predicted_class(&[0.4999]), 0);
        assert_eq!(predicted_class(&[f64::NAN]), 0);
        assert_eq!(predicted_class(&[0.2, 0.5, 0.3]), 1);
        assert_eq!(predicted_class(&[0.4, 0.2, 0.4]), 0, "ties: the first");
        assert_eq!(predicted_class(&[f64::NAN, 0.1, 0.9]), 2);
        assert_eq!(predicted_class(&[0.3, f64::NAN, 0.2]), 0);
        assert_eq!(predicted_class(&[]), 0);
    }

    #[test]
    fn cross_entropies_need_their_output() {
        assert!(check_output(Loss::BinaryCrossEntropy, Activation::Sigmoid).is_ok());
        assert!(check_output(Loss::CategoricalCrossEntropy, Activation::Softmax).is_ok());
        assert!(check_output(Loss::SquaredError, Activation::Softmax).is_ok());
        assert_eq!(
            check_output(Loss::BinaryCrossEntropy, Activation::Relu)
                .unwrap_err()
                .to_string(),
            "loss binary_cross_entropy needs a sigmoid output layer, but the output activation is relu"
        );
        assert!(check_output(Loss::CategoricalCrossEntropy, Activation::Sigmoid).is_err());
        assert!(check_output(Loss::BinaryCrossEntropy, Activation::Softmax).is_err());
    }
}
