//! A dense feed-forward network of any layer sizes, with per-layer activations.
//!
//! For layer `l` with inputs `a[l-1]` (the sample `x` for the first layer), neuron `j`:
//!
//! ```text
//! z[l][j] = a[l-1][0]·w[l][j][0] + a[l-1][1]·w[l][j][1] + ... + b[l][j]   (left to right, bias last)
//! a[l][j] = f_l(z[l][j])
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

/// One dense layer: `n_out` neurons, each with `n_in` incoming weights and a bias.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "LayerSpec", into = "LayerSpec")]
pub struct Layer {
    n_in: usize,
    n_out: usize,
    /// Row-major: `w[j * n_in + i]` is the weight from input `i` into neuron `j`.
    w: Vec<f64>,
    b: Vec<f64>,
    pub activation: Activation,
}

/// The serialized form of a layer: `weights[j][i]` from input `i` into neuron `j`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LayerSpec {
    activation: Activation,
    weights: Vec<Vec<f64>>,
    biases: Vec<f64>,
}

impl TryFrom<LayerSpec> for Layer {
    type Error = CoreError;
    fn try_from(s: LayerSpec) -> Result<Self, CoreError> {
        Layer::new(s.weights, s.biases, s.activation)
    }
}

impl From<Layer> for LayerSpec {
    fn from(l: Layer) -> LayerSpec {
        LayerSpec {
            activation: l.activation,
            weights: (0..l.n_out).map(|j| l.weights_of(j).to_vec()).collect(),
            biases: l.b,
        }
    }
}

impl Layer {
    /// A layer from `weights[j][i]` (into neuron `j` from input `i`) and one bias per neuron.
    pub fn new(
        weights: Vec<Vec<f64>>,
        biases: Vec<f64>,
        activation: Activation,
    ) -> Result<Layer, CoreError> {
        let n_out = weights.len();
        let n_in = weights.first().map_or(0, Vec::len);
        if n_out == 0 || n_in == 0 {
            return Err(CoreError::InvalidArchitecture {
                spec: format!("{n_in}x{n_out}"),
                reason: "a layer needs at least one input and one neuron".into(),
            });
        }
        for row in &weights {
            if row.len() != n_in {
                return Err(CoreError::ShapeMismatch {
                    layer: 0,
                    what: "a weight row",
                    expected: n_in,
                    found: row.len(),
                });
            }
        }
        if biases.len() != n_out {
            return Err(CoreError::ShapeMismatch {
                layer: 0,
                what: "biases",
                expected: n_out,
                found: biases.len(),
            });
        }
        Ok(Layer {
            n_in,
            n_out,
            w: weights.concat(),
            b: biases,
            activation,
        })
    }

    /// A layer of zeros, to be filled by an initializer.
    pub fn zeros(n_in: usize, n_out: usize, activation: Activation) -> Layer {
        Layer {
            n_in,
            n_out,
            w: vec![0.0; n_in * n_out],
            b: vec![0.0; n_out],
            activation,
        }
    }

    pub fn n_in(&self) -> usize {
        self.n_in
    }
    pub fn n_out(&self) -> usize {
        self.n_out
    }
    /// `w[j][i]`: the weight from input `i` into neuron `j`.
    #[inline(always)]
    pub fn w(&self, j: usize, i: usize) -> f64 {
        self.w[j * self.n_in + i]
    }
    pub fn set_w(&mut self, j: usize, i: usize, value: f64) {
        self.w[j * self.n_in + i] = value;
    }
    /// `b[j]`.
    #[inline(always)]
    pub fn b(&self, j: usize) -> f64 {
        self.b[j]
    }
    pub fn set_b(&mut self, j: usize, value: f64) {
        self.b[j] = value;
    }
    /// The incoming weights of neuron `j`, in input order.
    pub fn weights_of(&self, j: usize) -> &[f64] {
        &self.w[j * self.n_in..(j + 1) * self.n_in]
    }
    /// All weights, row-major (`j * n_in + i`).
    pub fn weights_flat(&self) -> &[f64] {
        &self.w
    }
    pub fn weights_flat_mut(&mut self) -> &mut [f64] {
        &mut self.w
    }
    pub fn biases(&self) -> &[f64] {
        &self.b
    }
    pub fn biases_mut(&mut self) -> &mut [f64] {
        &mut self.b
    }

    /// `z[j] = Σ_i x[i]·w[j][i] + b[j]`, summed left to right, bias last.
    #[inline(always)]
    pub fn z(&self, j: usize, x: &[f64]) -> f64 {
        let row = self.weights_of(j);
        let mut acc = x[0] * row[0];
        for i in 1..self.n_in {
            acc += x[i] * row[i];
        }
        acc + self.b[j]
    }
}

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

impl Network {
    /// A network from layers whose sizes chain (`n_out` of one is `n_in` of the next).
    pub fn from_layers(layers: Vec<Layer>) -> Result<Network, CoreError> {
        if layers.is_empty() {
            return Err(CoreError::InvalidArchitecture {
                spec: String::new(),
                reason: "a network needs at least one layer".into(),
            });
        }
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
        let layers = sizes
            .windows(2)
            .zip(activations)
            .map(|(w, &act)| Layer::zeros(w[0], w[1], act))
            .collect();
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
            let a = &mut rest[0];
            let z = &mut trace.z[l];
            for j in 0..layer.n_out {
                let zj = layer.z(j, input);
                z[j] = zj;
                a[j] = layer.activation.f(zj);
            }
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

/// Every node's `z` and `a` from one forward pass (and the input `x` it came from).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub x: Vec<f64>,
    /// `z[l][j]`, layer `l` (0 = first hidden layer), neuron `j`.
    pub z: Vec<Vec<f64>>,
    /// `a[l][j] = f_l(z[l][j])`.
    pub a: Vec<Vec<f64>>,
}

impl Trace {
    /// Buffers shaped for `net`, to be reused across samples.
    pub fn new(net: &Network) -> Trace {
        Trace {
            x: Vec::with_capacity(net.n_inputs()),
            z: net.layers.iter().map(|l| vec![0.0; l.n_out]).collect(),
            a: net.layers.iter().map(|l| vec![0.0; l.n_out]).collect(),
        }
    }
    /// The last layer's activations: the prediction `y_hat`.
    pub fn output(&self) -> &[f64] {
        &self.a[self.a.len() - 1]
    }
    /// The inputs to layer `l` (the sample for `l = 0`).
    pub fn input_of(&self, l: usize) -> &[f64] {
        if l == 0 {
            &self.x
        } else {
            &self.a[l - 1]
        }
    }
}

/// `dL/dw` and `dL/db` of one layer, shaped like the layer (`dw[j * n_in + i]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerGradients {
    pub dw: Vec<f64>,
    pub db: Vec<f64>,
}

/// `dL/dp` for every parameter, shaped like the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gradients {
    pub layers: Vec<LayerGradients>,
}

impl Gradients {
    pub fn zeros(net: &Network) -> Gradients {
        Gradients {
            layers: net
                .layers
                .iter()
                .map(|l| LayerGradients {
                    dw: vec![0.0; l.w.len()],
                    db: vec![0.0; l.b.len()],
                })
                .collect(),
        }
    }
    /// Sets every entry to zero (reusing the buffers).
    pub fn clear(&mut self) {
        for g in &mut self.layers {
            g.dw.fill(0.0);
            g.db.fill(0.0);
        }
    }
    /// `self += other`, entry by entry (to sum a batch).
    pub fn add_assign(&mut self, other: &Gradients) {
        for (g, o) in self.layers.iter_mut().zip(&other.layers) {
            for (a, b) in g.dw.iter_mut().zip(&o.dw) {
                *a += b;
            }
            for (a, b) in g.db.iter_mut().zip(&o.db) {
                *a += b;
            }
        }
    }
    /// `self *= k`, entry by entry (`k = 1/n` turns a batch sum into a mean).
    pub fn scale(&mut self, k: f64) {
        for g in &mut self.layers {
            g.dw.iter_mut().for_each(|v| *v *= k);
            g.db.iter_mut().for_each(|v| *v *= k);
        }
    }
    /// All gradients flat, in [`crate::ParamId`] order (each layer's weights row-major, then its biases).
    pub fn flat(&self) -> Vec<f64> {
        self.layers
            .iter()
            .flat_map(|g| g.dw.iter().chain(&g.db).copied())
            .collect()
    }
}
