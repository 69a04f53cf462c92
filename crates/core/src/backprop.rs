//! Backpropagation by the chain rule, recording every intermediate derivative.
//!
//! For the output layer `L`: `dL/da[L][j] = loss'(y_hat[j], y[j]) / n_out` and `dL/dz[L]` from
//! it, or directly `dL/dz[L] = y_hat - y` for sigmoid + binary cross-entropy and softmax +
//! categorical cross-entropy ([`crate::output::output_gradient`]). Then, layer by layer from
//! the output back:
//!
//! ```text
//! dL/dz[l][j]    = dL/da[l][j] · f_l'(z[l][j])      (softmax: a_j·(dL/da_j - Σ_k a_k·dL/da_k))
//! dL/dw[l][j][i] = dL/dz[l][j] · a[l-1][i]
//! dL/db[l][j]    = dL/dz[l][j]
//! dL/da[l-1][i]  = Σ_j dL/dz[l][j] · w[l][j][i]        (summed in neuron order)
//! ```
//!
//! For the course network this is exactly `dL/dz1 = dL/dz3 · w5 · relu'(z1)`, evaluated
//! left to right, so the gradients agree with the course to the bit.

use serde::{Deserialize, Serialize};

use crate::output::{check_output, output_gradient};
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
        output_gradient(
            loss,
            self.layers()[last].activation,
            &trace.z[last],
            trace.output(),
            y,
            &mut back.dl_da[last],
            &mut back.dl_dz[last],
        );
        for l in (0..=last).rev() {
            let layer = &self.layers()[l];
            let input = trace.input_of(l);
            let g = &mut grads.layers[l];
            if l < last {
                layer.activation.backward_layer(
                    &trace.z[l],
                    &trace.a[l],
                    &back.dl_da[l],
                    &mut back.dl_dz[l],
                );
            }
            for j in 0..layer.n_out() {
                let dz = back.dl_dz[l][j];
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
    /// gradients. Refuses a loss the output layer does not allow
    /// ([`crate::output::check_output`]).
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
        check_output(loss, self.output_activation())?;
        let mut trace = Trace::new(self);
        self.forward_into(x, &mut trace);
        let l = trace.loss(loss, y);
        let mut back = Backward::new(self);
        let mut grads = Gradients::zeros(self);
        self.backward_into(&trace, y, loss, &mut back, &mut grads);
        Ok((trace, l, back, grads))
    }
}
