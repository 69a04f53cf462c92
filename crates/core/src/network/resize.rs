//! Resizing a network (the playground's +/− neurons and layers) while keeping what it has
//! learned where it still fits.
//!
//! The rule pairs the layers of two networks: hidden layers by position from the input, the
//! output layer with the output layer (a layer added or removed is the last hidden one, as
//! TensorFlow Playground does it). Within paired layers, the weight into neuron `j` from
//! input `i` and the bias of neuron `j` are the same parameter when both indices exist in
//! both layers. Every other parameter is new and takes the value of a freshly initialized
//! network of the new shape (the experiment's initializer, drawn from its init seed).
//!
//! ```
//! use nnlab_core::{course, Activation, Network};
//! let trained = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! // A fresh 2-3-1 network: here all 9s, so the new parameters are easy to see.
//! let mut fresh = Network::zeros(&[2, 3, 1], &[Activation::Relu; 2]).unwrap();
//! for id in fresh.param_ids() { fresh.set(id, 9.0); }
//! let wider = trained.resized(&fresh);
//! // Hidden neurons 1 and 2 keep w1..w4 and b1, b2; neuron 3 is new.
//! assert_eq!(wider.layers()[0].weights_flat(), &[1.0, 1.0, 0.5, -1.0, 9.0, 9.0]);
//! // The output keeps w5, w6 and b3; its weight from the new neuron is new.
//! assert_eq!(wider.layers()[1].weights_flat(), &[1.0, 1.0, 9.0]);
//! assert_eq!(wider.layers()[1].biases(), &[0.5]);
//! ```

use crate::{Network, ParamId};

impl Network {
    /// A network of `fresh`'s shape and activations whose parameters are this network's
    /// wherever the same parameter exists in both (see the module doc), bit for bit, and
    /// `fresh`'s elsewhere.
    pub fn resized(&self, fresh: &Network) -> Network {
        let mut out = fresh.clone();
        for id in fresh.param_ids() {
            if let Some(old) = counterpart(id, fresh, self) {
                out.set(id, self.get(old));
            }
        }
        out
    }

    /// The parameter of `other` that is `id` of this network under the resize rule, if
    /// `other` has it: how a name (a frozen parameter) carries over to a resized network.
    pub fn counterpart_in(&self, id: ParamId, other: &Network) -> Option<ParamId> {
        counterpart(id, self, other)
    }
}

/// `id` of `from`, as a parameter of `to`: hidden layers pair by position, output with
/// output; the neuron and input indices must exist in `to`'s paired layer.
fn counterpart(id: ParamId, from: &Network, to: &Network) -> Option<ParamId> {
    let (layer, neuron, input) = id.parts();
    let (from_last, to_last) = (from.layers().len() - 1, to.layers().len() - 1);
    let paired = if layer == from_last {
        to_last
    } else if layer < to_last {
        layer
    } else {
        return None;
    };
    let target = &to.layers()[paired];
    if neuron >= target.n_out() || input.is_some_and(|i| i >= target.n_in()) {
        return None;
    }
    Some(ParamId::from_parts(paired, neuron, input))
}

#[cfg(test)]
mod tests {
    use crate::{Activation, Layer, Network, ParamId};

    /// A network of the given sizes whose parameter `k` in flat order is `base + k`: every
    /// value names its own position, so a kept or new value is visible in the asserts.
    fn numbered(sizes: &[usize], base: f64) -> Network {
        let acts = vec![Activation::Relu; sizes.len() - 1];
        let mut net = Network::zeros(sizes, &acts).unwrap();
        for (k, id) in net.param_ids().into_iter().enumerate() {
            net.set(id, base + k as f64);
        }
        net
    }

    // 2-2-1 -> 2-3-1, then back. Flat order per layer: weights row-major, then biases, so
    // the trained 2-2-1 is layer 1 w = [0.1, 1.1, 2.1, 3.1], b = [4.1, 5.1]; layer 2 w =
    // [6.1, 7.1], b = [8.1]. The fresh 2-3-1 (base 100) has layer 1 w = 100..105, b =
    // 106..108; layer 2 w = 109..111, b = 112.
    #[test]
    fn a_wider_layer_keeps_every_old_parameter_bit_for_bit() {
        let trained = numbered(&[2, 2, 1], 0.1);
        let fresh = numbered(&[2, 3, 1], 100.0);
        let wide = trained.resized(&fresh);
        assert_eq!(wide.sizes(), [2, 3, 1]);
        let l1 = &wide.layers()[0];
        assert_eq!(l1.weights_flat(), &[0.1, 1.1, 2.1, 3.1, 104.0, 105.0]);
        assert_eq!(l1.biases(), &[4.1, 5.1, 108.0]);
        let l2 = &wide.layers()[1];
        assert_eq!(l2.weights_flat(), &[6.1, 7.1, 111.0]);
        assert_eq!(l2.biases(), &[8.1]);
        // Back to 2-2-1: exactly the trained network again.
        let fresh_small = numbered(&[2, 2, 1], -50.0);
        assert_eq!(wide.resized(&fresh_small), trained);
    }

    // 2-2-1 -> 2-2-2-1 adds a hidden layer before the output: layer 1 is kept, the new
    // layer 2 is all fresh, and the output (now layer 3) keeps w5, w6, b3 from its inputs
    // 1 and 2. Fresh 2-2-2-1 (base 200): layer 1 = 200..205, layer 2 w = 206..209, b =
    // 210, 211, layer 3 w = 212, 213, b = 214.
    #[test]
    fn an_added_layer_is_fresh_and_the_output_keeps_its_weights() {
        let trained = numbered(&[2, 2, 1], 0.5);
        let deeper = trained.resized(&numbered(&[2, 2, 2, 1], 200.0));
        assert_eq!(deeper.sizes(), [2, 2, 2, 1]);
        assert_eq!(deeper.layers()[0], trained.layers()[0]);
        assert_eq!(
            deeper.layers()[1].weights_flat(),
            &[206.0, 207.0, 208.0, 209.0]
        );
        assert_eq!(deeper.layers()[1].biases(), &[210.0, 211.0]);
        assert_eq!(deeper.layers()[2], trained.layers()[1]);
        // Removing it again gives the trained network.
        assert_eq!(deeper.resized(&numbered(&[2, 2, 1], 0.0)), trained);
    }

    // The fresh network's activations win (they are the configuration's), and a removed
    // hidden neuron's parameters have no counterpart.
    #[test]
    fn names_carry_over_and_removed_parameters_have_none() {
        let trained = Network::from_layers(vec![
            Layer::new(vec![vec![1.0, 2.0]; 3], vec![0.0; 3], Activation::Relu).unwrap(),
            Layer::new(vec![vec![3.0, 4.0, 5.0]], vec![6.0], Activation::Identity).unwrap(),
        ])
        .unwrap();
        let fresh = Network::zeros(&[2, 2, 1], &[Activation::Tanh, Activation::Identity]).unwrap();
        let narrow = trained.resized(&fresh);
        assert_eq!(narrow.layers()[0].activation, Activation::Tanh);
        assert_eq!(narrow.layers()[1].weights_flat(), &[3.0, 4.0]);
        let gone = ParamId::Bias {
            layer: 0,
            neuron: 2,
        };
        assert_eq!(trained.counterpart_in(gone, &narrow), None);
        let out_w = ParamId::Weight {
            layer: 1,
            neuron: 0,
            input: 1,
        };
        let deeper = Network::zeros(&[2, 3, 4, 1], &[Activation::Relu; 3]).unwrap();
        assert_eq!(
            trained.counterpart_in(out_w, &deeper),
            Some(ParamId::Weight {
                layer: 2,
                neuron: 0,
                input: 1
            })
        );
    }
}
