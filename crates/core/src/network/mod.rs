//! A dense feed-forward network of any layer sizes, with per-layer activations.
//!
//! For layer `l` with inputs `a[l-1]` (the sample `x` for the first layer), neuron `j`:
//!
//! ```text
//! z[l][j] = a[l-1][0]·w[l][j][0] + a[l-1][1]·w[l][j][1] + ... + b[l][j]   (left to right, bias last)
//! a[l][j] = f_l(z[l][j])                (softmax: a[l] = softmax(z[l]), the whole layer)
//! ```
//!
//! The products are summed in input-index order and the bias added last, with no fused
//! multiply-add: this is the course's order, so the course's published numbers come out to
//! the last bit (see [`crate::course`]).
//!
//! ```
//! use nnlab_core::{Activation, Network};
//! // One neuron, z = 1·2 + 3·(-1) + 0.5 = -0.5, identity output.
//! let net = Network::from_layers(vec![nnlab_core::Layer::new(
//!     vec![vec![2.0, -1.0]], vec![0.5], Activation::Identity).unwrap()]).unwrap();
//! assert_eq!(net.predict(&[1.0, 3.0]).unwrap(), vec![-0.5]);
//! ```

use serde::{Deserialize, Serialize};

use crate::{Activation, CoreError};

mod buffers;
mod layer;
mod resize;

pub use buffers::{Gradients, LayerGradients, Trace};
pub use layer::Layer;

/// A dense network: layers applied in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "NetworkSpec", into = "NetworkSpec")]
pub struct Network {
    layers: Vec<Layer>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct NetworkSpec {
    layers: Vec<Layer>,
}

impl TryFrom<NetworkSpec> for Network {
    type Error = CoreError;
    fn try_from(s: NetworkSpec) -> Result<Self, CoreError> {
        Network::from_layers(s.layers)
    }
}

impl From<Network> for NetworkSpec {
    fn from(n: Network) -> NetworkSpec {
        NetworkSpec { layers: n.layers }
    }
}

/// Softmax is a probability vector over classes: only the output layer may have it, and
/// only with two or more neurons (one neuron's softmax is the constant 1, which learns
/// nothing).
fn check_softmax(layers: &[Layer]) -> Result<(), CoreError> {
    let last = layers.len().saturating_sub(1);
    for (l, layer) in layers.iter().enumerate() {
        if layer.activation != Activation::Softmax {
            continue;
        }
        let reason = if l != last {
            format!(
                "softmax is only valid as the last layer's activation (layer {} of {})",
                l + 1,
                last + 1
            )
        } else if layer.n_out < 2 {
            "softmax needs at least 2 output neurons (for one output use sigmoid)".to_string()
        } else {
            continue;
        };
        let mut sizes = vec![layers[0].n_in.to_string()];
        sizes.extend(layers.iter().map(|l| l.n_out.to_string()));
        return Err(CoreError::InvalidArchitecture {
            spec: sizes.join("-"),
            reason,
        });
    }
    Ok(())
}

impl Network {
    /// A network from layers whose sizes chain (`n_out` of one is `n_in` of the next).
    pub fn from_layers(layers: Vec<Layer>) -> Result<Network, CoreError> {
        if layers.is_empty() {
            return Err(CoreError::InvalidArchitecture {
                spec: String::new(),
                reason: "a network needs at least one layer".into(),
            });
        }
        check_softmax(&layers)?;
        for (l, pair) in layers.windows(2).enumerate() {
            if pair[0].n_out != pair[1].n_in {
                return Err(CoreError::ShapeMismatch {
                    layer: l + 2,
                    what: "inputs",
                    expected: pair[0].n_out,
                    found: pair[1].n_in,
                });
            }
        }
        Ok(Network { layers })
    }

    /// A network of zeros with the given sizes (`[2, 2, 1]`) and one activation per layer.
    pub fn zeros(sizes: &[usize], activations: &[Activation]) -> Result<Network, CoreError> {
        let spec = || {
            sizes
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("-")
        };
        if sizes.len() < 2 || sizes.contains(&0) {
            return Err(CoreError::InvalidArchitecture {
                spec: spec(),
                reason: "give at least an input and an output size, none of them 0".into(),
            });
        }
        if activations.len() != sizes.len() - 1 {
            return Err(CoreError::WrongCount {
                what: "activations (one per layer after the input)",
                expected: sizes.len() - 1,
                found: activations.len(),
            });
        }
        let layers: Vec<Layer> = sizes
            .windows(2)
            .zip(activations)
            .map(|(w, &act)| Layer::zeros(w[0], w[1], act))
            .collect();
        check_softmax(&layers)?;
        Ok(Network { layers })
    }

    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }
    pub fn layers_mut(&mut self) -> &mut [Layer] {
        &mut self.layers
    }
    pub fn n_inputs(&self) -> usize {
        self.layers[0].n_in
    }
    pub fn n_outputs(&self) -> usize {
        self.layers[self.layers.len() - 1].n_out
    }
    /// Layer sizes, input first: `[2, 2, 1]` for the course network.
    pub fn sizes(&self) -> Vec<usize> {
        let mut s = vec![self.n_inputs()];
        s.extend(self.layers.iter().map(|l| l.n_out));
        s
    }
    /// `2-2-1`.
    pub fn arch_string(&self) -> String {
        self.sizes()
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("-")
    }
    /// The last layer's activation.
    pub fn output_activation(&self) -> Activation {
        self.layers[self.layers.len() - 1].activation
    }
    /// Total number of weights and biases.
    pub fn n_params(&self) -> usize {
        self.layers.iter().map(|l| l.w.len() + l.b.len()).sum()
    }

    /// The forward pass, recording every node's `z` and `a` into `trace` (no allocation).
    ///
    /// Panics if `x.len() != n_inputs()`; [`Network::forward`] checks it instead.
    pub fn forward_into(&self, x: &[f64], trace: &mut Trace) {
        assert_eq!(x.len(), self.n_inputs(), "input width");
        for (l, layer) in self.layers.iter().enumerate() {
            let (before, rest) = trace.a.split_at_mut(l);
            let input: &[f64] = if l == 0 { x } else { &before[l - 1] };
            let z = &mut trace.z[l];
            for (j, zj) in z.iter_mut().enumerate() {
                *zj = layer.z(j, input);
            }
            layer.activation.forward_layer(z, &mut rest[0]);
        }
        trace.x.clear();
        trace.x.extend_from_slice(x);
    }

    /// The forward pass with every node's `z` and `a`.
    pub fn forward(&self, x: &[f64]) -> Result<Trace, CoreError> {
        self.check_input(x)?;
        let mut trace = Trace::new(self);
        self.forward_into(x, &mut trace);
        Ok(trace)
    }

    /// The network's outputs `y_hat` for one sample.
    pub fn predict(&self, x: &[f64]) -> Result<Vec<f64>, CoreError> {
        Ok(self.forward(x)?.output().to_vec())
    }

    pub(crate) fn check_input(&self, x: &[f64]) -> Result<(), CoreError> {
        if x.len() != self.n_inputs() {
            return Err(CoreError::WrongCount {
                what: "input",
                expected: self.n_inputs(),
                found: x.len(),
            });
        }
        Ok(())
    }

    /// `p = p - lr·dL/dp` for every parameter, all from gradients of the old parameters.
    pub fn apply_gradients(&mut self, grads: &Gradients, lr: f64) {
        for (layer, g) in self.layers.iter_mut().zip(&grads.layers) {
            for (p, dp) in layer.w.iter_mut().zip(&g.dw) {
                *p -= lr * dp;
            }
            for (p, dp) in layer.b.iter_mut().zip(&g.db) {
                *p -= lr * dp;
            }
        }
    }
}
