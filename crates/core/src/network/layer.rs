//! One dense layer ([`Layer`]): its weights and biases, their serialized form, and `z`.

use serde::{Deserialize, Serialize};

use crate::{Activation, CoreError};

/// One dense layer: `n_out` neurons, each with `n_in` incoming weights and a bias.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "LayerSpec", into = "LayerSpec")]
pub struct Layer {
    pub(super) n_in: usize,
    pub(super) n_out: usize,
    /// Row-major: `w[j * n_in + i]` is the weight from input `i` into neuron `j`.
    pub(super) w: Vec<f64>,
    pub(super) b: Vec<f64>,
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
