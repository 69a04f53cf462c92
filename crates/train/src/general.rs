//! Helpers of the general path (the trainer's per-sample code in [`crate::state`]) that the
//! batched engine and the update preview share: gradients addressed by parameter, frozen
//! parameters, finiteness, parameter copies, the test loss.

use nnlab_core::{Gradients, Network, ParamId, Regularization, Trace};

use crate::{Samples, TrainConfig};

/// Where parameter `id` of `net` sits in gradients shaped like it: layer, whether it is a
/// weight (`dw`) or a bias (`db`), and the index there.
fn slot(net: &Network, id: ParamId) -> (usize, bool, usize) {
    match id {
        ParamId::Weight {
            layer,
            neuron,
            input,
        } => (layer, true, neuron * net.layers()[layer].n_in() + input),
        ParamId::Bias { layer, neuron } => (layer, false, neuron),
    }
}

/// The entry of `g` that belongs to parameter `id` of `net`.
pub(crate) fn grad_mut<'g>(g: &'g mut Gradients, net: &Network, id: ParamId) -> &'g mut f64 {
    let (l, weight, i) = slot(net, id);
    let g = &mut g.layers[l];
    if weight {
        &mut g.dw[i]
    } else {
        &mut g.db[i]
    }
}

/// The entry of `g` that belongs to parameter `id` of `net`.
pub(crate) fn grad_at(g: &Gradients, net: &Network, id: ParamId) -> f64 {
    let (l, weight, i) = slot(net, id);
    let g = &g.layers[l];
    if weight {
        g.dw[i]
    } else {
        g.db[i]
    }
}

/// Sets the gradient of every frozen parameter to 0, so no optimizer moves it.
pub(crate) fn zero_frozen(g: &mut Gradients, net: &Network, frozen: &[ParamId]) {
    for &id in frozen {
        *grad_mut(g, net, id) = 0.0;
    }
}

/// True when every parameter is finite. Checked after every update, so it is written to
/// vectorize: `v - v` is exactly 0 for a finite `v` and NaN for an infinity or a NaN, so the
/// sum of `v - v` over the parameters is 0 exactly when all are finite, and four running
/// sums with no early exit let the compiler use packed instructions (a per-value
/// `is_finite` with `all` was a scalar loop with a branch per value, about half the general
/// path's own time on 8-16-1 by `perf annotate` of `benches/course_sgd.rs`).
pub(crate) fn all_finite(net: &Network) -> bool {
    net.layers()
        .iter()
        .all(|l| finite_sum(l.weights_flat()) == 0.0 && finite_sum(l.biases()) == 0.0)
}

/// `Σ (v - v)` over `values`: 0 when every value is finite, NaN otherwise.
// `v - v` is the point: it is 0 or NaN, never a no-op.
#[allow(clippy::eq_op)]
fn finite_sum(values: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let chunks = values.chunks_exact(4);
    let tail: f64 = chunks.remainder().iter().map(|v| v - v).sum();
    for c in chunks {
        for k in 0..4 {
            acc[k] += c[k] - c[k];
        }
    }
    acc[0] + acc[1] + acc[2] + acc[3] + tail
}

/// Copies `src`'s parameters into `dst` of the same shape, reusing `dst`'s buffers.
pub(crate) fn copy_params(dst: &mut Network, src: &Network) {
    for (d, s) in dst.layers_mut().iter_mut().zip(src.layers()) {
        d.weights_flat_mut().copy_from_slice(s.weights_flat());
        d.biases_mut().copy_from_slice(s.biases());
    }
}

/// The mean loss of `net` over `test`, summed in row order, plus the weight penalty once
/// (as Keras's validation loss includes the regularization losses).
pub(crate) fn test_loss(
    net: &Network,
    test: &Samples,
    cfg: &TrainConfig,
    trace: &mut Trace,
) -> f64 {
    let mut sum = 0.0;
    for r in 0..test.n_rows() {
        net.forward_into(test.x_row(r), trace);
        sum += trace.loss(cfg.loss, test.y_row(r));
    }
    with_penalty(sum / test.n_rows() as f64, net, cfg.regularization())
}

/// `mean + penalty(net)` when there is a penalty, else `mean` untouched (so a run without
/// one keeps its bits).
pub(crate) fn with_penalty(mean: f64, net: &Network, reg: Regularization) -> f64 {
    if reg.is_active() {
        mean + reg.penalty(net)
    } else {
        mean
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab_core::Activation;

    // A value is finite exactly when f64::is_finite says so: every class of f64 (zeros of
    // both signs, subnormals, the largest finite, infinities, NaNs of both signs) in each
    // slot of a 2-2-1 network.
    #[test]
    fn all_finite_agrees_with_is_finite() {
        let values = [
            0.0,
            -0.0,
            f64::MIN_POSITIVE / 2.0,
            -1.5,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        let base = Network::zeros(&[2, 2, 1], &[Activation::Relu; 2]).unwrap();
        for id in base.param_ids() {
            for v in values {
                let mut net = base.clone();
                net.set(id, v);
                assert_eq!(all_finite(&net), v.is_finite(), "{id:?} = {v}");
            }
        }
    }
}
