//! Helpers of the general path (the trainer's per-sample code in [`crate::state`]) that the
//! batched engine and the update preview share: gradients addressed by parameter, frozen
//! parameters, finiteness, parameter copies, the test loss.

use nnlab_core::{sample_loss, Gradients, Loss, Network, ParamId, Trace};

use crate::Samples;

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

pub(crate) fn all_finite(net: &Network) -> bool {
    net.layers().iter().all(|l| {
        l.weights_flat()
            .iter()
            .chain(l.biases())
            .all(|v| v.is_finite())
    })
}

/// Copies `src`'s parameters into `dst` of the same shape, reusing `dst`'s buffers.
pub(crate) fn copy_params(dst: &mut Network, src: &Network) {
    for (d, s) in dst.layers_mut().iter_mut().zip(src.layers()) {
        d.weights_flat_mut().copy_from_slice(s.weights_flat());
        d.biases_mut().copy_from_slice(s.biases());
    }
}

/// The mean loss of `net` over `test`, summed in row order.
pub(crate) fn test_loss(net: &Network, test: &Samples, loss: Loss, trace: &mut Trace) -> f64 {
    let mut sum = 0.0;
    for r in 0..test.n_rows() {
        net.forward_into(test.x_row(r), trace);
        sum += sample_loss(loss, trace.output(), test.y_row(r));
    }
    sum / test.n_rows() as f64
}
