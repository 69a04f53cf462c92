//! Backpropagation by the chain rule, recording every intermediate derivative.
//!
//! For the output layer `L`: `dL/da[L][j] = loss'(y_hat[j], y[j]) / n_out`. Then, layer by
//! layer from the output back:
//!
//! ```text
//! dL/dz[l][j]    = dL/da[l][j] · f_l'(z[l][j])
//! dL/dw[l][j][i] = dL/dz[l][j] · a[l-1][i]
//! dL/db[l][j]    = dL/dz[l][j]
//! dL/da[l-1][i]  = Σ_j dL/dz[l][j] · w[l][j][i]        (summed in neuron order)
//! ```
//!
//! For the course network this is exactly `dL/dz1 = dL/dz3 · w5 · relu'(z1)`, evaluated
//! left to right, so the gradients agree with the course to the bit.

use serde::{Deserialize, Serialize};

use crate::{CoreError, Gradients, Loss, Network, Trace};

/// The per-node derivatives of one backward pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backward {
    /// `dL/da[l][j]`.
    pub dl_da: Vec<Vec<f64>>,
    /// `dL/dz[l][j]`.
    pub dl_dz: Vec<Vec<f64>>,
}

impl Backward {
    pub fn new(net: &Network) -> Backward {
        Backward {
            dl_da: net.layers().iter().map(|l| vec![0.0; l.n_out()]).collect(),
            dl_dz: net.layers().iter().map(|l| vec![0.0; l.n_out()]).collect(),
        }
    }
}

/// The per-sample loss: the mean over outputs of `loss(y_hat[j], y[j])`
/// (exactly `(y_hat - y)^2` for one output).
pub fn sample_loss(loss: Loss, y_hat: &[f64], y: &[f64]) -> f64 {
    let mut acc = loss.f(y_hat[0], y[0]);
    for j in 1..y_hat.len() {
        acc += loss.f(y_hat[j], y[j]);
    }
    if y_hat.len() > 1 {
        acc / y_hat.len() as f64
    } else {
        acc
    }
}

impl Network {
    /// The backward pass after [`Network::forward_into`]: fills `back` with `dL/da`, `dL/dz`
    /// and overwrites `grads` with `dL/dp` for this one sample (no allocation).
    pub fn backward_into(
        &self,
        trace: &Trace,
        y: &[f64],
        loss: Loss,
        back: &mut Backward,
        grads: &mut Gradients,
    ) {
        let last = self.layers().len() - 1;
        let n_out = self.n_outputs();
        let y_hat = trace.output();
        for j in 0..n_out {
            let d = loss.df(y_hat[j], y[j]);
            back.dl_da[last][j] = if n_out > 1 { d / n_out as f64 } else { d };
        }
        for l in (0..=last).rev() {
            let layer = &self.layers()[l];
            let input = trace.input_of(l);
            let g = &mut grads.layers[l];
            for j in 0..layer.n_out() {
                let dz = back.dl_da[l][j] * layer.activation.df(trace.z[l][j]);
                back.dl_dz[l][j] = dz;
                let row = &mut g.dw[j * layer.n_in()..(j + 1) * layer.n_in()];
                for (i, dw) in row.iter_mut().enumerate() {
                    *dw = dz * input[i];
                }
                g.db[j] = dz;
            }
            if l > 0 {
                let (prev, cur) = back.dl_da.split_at_mut(l);
                let _ = cur;
                let dl_dz = &back.dl_dz[l];
                for (i, da) in prev[l - 1].iter_mut().enumerate() {
                    let mut acc = dl_dz[0] * layer.w(0, i);
                    for (j, dz) in dl_dz.iter().enumerate().skip(1) {
                        acc += dz * layer.w(j, i);
                    }
                    *da = acc;
                }
            }
        }
    }

    /// One sample's forward and backward pass: its trace, loss, per-node derivatives and
    /// gradients.
    pub fn backprop(
        &self,
        x: &[f64],
        y: &[f64],
        loss: Loss,
    ) -> Result<(Trace, f64, Backward, Gradients), CoreError> {
        self.check_input(x)?;
        if y.len() != self.n_outputs() {
            return Err(CoreError::WrongCount {
                what: "target",
                expected: self.n_outputs(),
                found: y.len(),
            });
        }
        let mut trace = Trace::new(self);
        self.forward_into(x, &mut trace);
        let l = sample_loss(loss, trace.output(), y);
        let mut back = Backward::new(self);
        let mut grads = Gradients::zeros(self);
        self.backward_into(&trace, y, loss, &mut back, &mut grads);
        Ok((trace, l, back, grads))
    }
}
