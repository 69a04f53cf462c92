//! The buffers of one sample's passes, shaped like a [`Network`]: the forward pass's `z` and
//! `a` ([`Trace`]) and the backward pass's `dL/dp` ([`Gradients`]).

use serde::{Deserialize, Serialize};

use super::Network;
use crate::Loss;

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
    /// This sample's loss against target `y` ([`crate::output::sample_loss`] of the output
    /// layer's `z` and `a`).
    pub fn loss(&self, loss: Loss, y: &[f64]) -> f64 {
        let last = self.z.len() - 1;
        crate::output::sample_loss(loss, &self.z[last], &self.a[last], y)
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
