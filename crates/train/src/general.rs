//! The general path: any network, loss, optimizer, batch size and frozen set, on the core's
//! allocation-free [`Network::forward_into`] / [`Network::backward_into`].
//!
//! Per batch of rows `B` (in epoch order):
//!
//! ```text
//! g = (Σ_{r in B} dL_r/dp) · (1/|B|)     summed in row order, then scaled (a batch of one: g as is)
//! g[frozen] = 0
//! optimizer step with g at this epoch's lr
//! ```
//!
//! No allocation per sample: the trace, backward buffers, per-sample and batch gradients and
//! the optimizer state are all made once in [`GeneralEngine::new`]; `forward_into`,
//! `backward_into`, `add_assign`, `scale`, `clear` and the optimizer step only write into
//! them.

use nnlab_core::{sample_loss, Backward, Gradients, Loss, Network, ParamId, Trace};

use crate::optimizer::OptimizerState;
use crate::trainer::{Divergence, Engine, EpochRun};
use crate::{Optimizer, Samples};

pub(crate) struct GeneralEngine<'a> {
    net: Network,
    best: Network,
    train: Samples<'a>,
    loss: Loss,
    batch: usize,
    frozen: Vec<ParamId>,
    optimizer: OptimizerState,
    trace: Trace,
    back: Backward,
    grads: Gradients,
    batch_grads: Gradients,
}

impl<'a> GeneralEngine<'a> {
    pub(crate) fn new(
        net: &Network,
        train: Samples<'a>,
        loss: Loss,
        batch: usize,
        optimizer: Optimizer,
        frozen: Vec<ParamId>,
    ) -> GeneralEngine<'a> {
        GeneralEngine {
            net: net.clone(),
            best: net.clone(),
            train,
            loss,
            batch: batch.max(1),
            frozen,
            optimizer: OptimizerState::new(optimizer, net),
            trace: Trace::new(net),
            back: Backward::new(net),
            grads: Gradients::zeros(net),
            batch_grads: Gradients::zeros(net),
        }
    }
}

/// Sets the gradient of every frozen parameter to 0, so no optimizer moves it.
pub(crate) fn zero_frozen(g: &mut Gradients, net: &Network, frozen: &[ParamId]) {
    for &id in frozen {
        match id {
            ParamId::Weight {
                layer,
                neuron,
                input,
            } => g.layers[layer].dw[neuron * net.layers()[layer].n_in() + input] = 0.0,
            ParamId::Bias { layer, neuron } => g.layers[layer].db[neuron] = 0.0,
        }
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

impl Engine for GeneralEngine<'_> {
    fn run_epoch(&mut self, order: Option<&[usize]>, lr: f64) -> EpochRun {
        let n = self.train.n_rows();
        let mut loss_sum = 0.0;
        let mut start = 0;
        while start < n {
            let end = (start + self.batch).min(n);
            let single = end - start == 1;
            if !single {
                self.batch_grads.clear();
            }
            for k in start..end {
                let r = order.map_or(k, |o| o[k]);
                let (x, y) = (self.train.x_row(r), self.train.y_row(r));
                self.net.forward_into(x, &mut self.trace);
                let loss = sample_loss(self.loss, self.trace.output(), y);
                if !loss.is_finite() {
                    return EpochRun::Diverged(Divergence {
                        sample: k + 1,
                        row: r + 1,
                        steps: k as u64,
                    });
                }
                loss_sum += loss;
                self.net
                    .backward_into(&self.trace, y, self.loss, &mut self.back, &mut self.grads);
                if !single {
                    self.batch_grads.add_assign(&self.grads);
                }
            }
            // A batch of one uses its gradient as is: adding it to zeros could turn a -0.0
            // into +0.0 and break the bit-parity with the course kernel.
            let g = if single {
                &mut self.grads
            } else {
                self.batch_grads.scale(1.0 / (end - start) as f64);
                &mut self.batch_grads
            };
            zero_frozen(g, &self.net, &self.frozen);
            self.optimizer.step(&mut self.net, g, lr);
            if !all_finite(&self.net) {
                return EpochRun::Diverged(Divergence {
                    sample: end,
                    row: order.map_or(end - 1, |o| o[end - 1]) + 1,
                    steps: end as u64,
                });
            }
            start = end;
        }
        EpochRun::Done { loss_sum }
    }

    fn test_loss(&mut self, test: &Samples) -> f64 {
        let mut sum = 0.0;
        for r in 0..test.n_rows() {
            self.net.forward_into(test.x_row(r), &mut self.trace);
            sum += sample_loss(self.loss, self.trace.output(), test.y_row(r));
        }
        sum / test.n_rows() as f64
    }

    fn save_best(&mut self) {
        copy_params(&mut self.best, &self.net);
    }

    fn restore_best(&mut self) {
        copy_params(&mut self.net, &self.best);
    }

    fn write_back(&self, net: &mut Network) {
        copy_params(net, &self.net);
    }
}
