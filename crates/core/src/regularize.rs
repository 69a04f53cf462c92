//! L1 and L2 weight penalties ([`Regularization`]): the term added to the loss and its
//! gradient.
//!
//! ```text
//! penalty = l1·Σ|w| + l2·Σ w²              over every weight, no bias
//! dpenalty/dw = l1·sign(w) + 2·l2·w         (sign(0) = 0)      dpenalty/db = 0
//! ```
//!
//! Biases are not penalized, as in Keras (a `kernel_regularizer` with no
//! `bias_regularizer`): a bias only shifts a neuron, and pulling it to 0 fights the data
//! without limiting the network's slope.
//!
//! **Once per update.** The penalty is a term of the loss of one update, like Keras's
//! regularization losses (added once to each batch's mean loss) and a PyTorch loop's
//! `loss = criterion(out, y) + l2 * sum(w**2)` per batch: the update's gradient is the
//! batch's mean data gradient plus the penalty's gradient once, whatever the batch size.
//! That is not PyTorch's `weight_decay`, which adds `λ·w` (no factor 2) straight into the
//! optimizer (for Adam, before its scaling): the loss term here is the definition both
//! `nnlab` and its PyTorch comparison (`bench/compare`) use. Each sample's reported loss is
//! its data loss plus the penalty at the parameters its batch started from, so an epoch's
//! mean loss is the mean over its batches (weighted by rows) of each batch's objective.
//!
//! ```
//! use nnlab_core::{course, Gradients, Regularization};
//! // The course's start: w = 1, 0.5, 1, -1, 1, 1 (Σ|w| = 5.5, Σw² = 5.25).
//! let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! let reg = Regularization { l1: 0.01, l2: 0.1 };
//! assert_eq!(reg.penalty(&net), 0.01 * 5.5 + 0.1 * 5.25);
//! let mut g = Gradients::zeros(&net);
//! reg.add_gradient(&net, &mut g);
//! // dw1 = 0.01·1 + 2·0.1·1 = 0.21; db1 = 0 (no bias penalty).
//! assert_eq!(g.layers[0].dw[0], 0.01 + 2.0 * 0.1 * 1.0);
//! assert_eq!(g.layers[0].db, vec![0.0, 0.0]);
//! ```

use serde::{Deserialize, Serialize};

use crate::loss::sign;
use crate::{Gradients, Network};

/// The L1 and L2 rates of the weight penalty (0 and 0: none).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Regularization {
    /// `λ1` of `λ1·Σ|w|`.
    pub l1: f64,
    /// `λ2` of `λ2·Σw²`.
    pub l2: f64,
}

impl Regularization {
    /// No penalty.
    pub const NONE: Regularization = Regularization { l1: 0.0, l2: 0.0 };

    /// Whether there is any penalty (callers skip all of it otherwise, so a run without one
    /// keeps its bits).
    pub fn is_active(self) -> bool {
        self.l1 != 0.0 || self.l2 != 0.0
    }

    /// `(Σ|w|, Σw²)` over every weight of `net` in parameter order, each summed left to
    /// right (no biases).
    pub fn weight_sums(net: &Network) -> (f64, f64) {
        let (mut abs, mut sq) = (0.0, 0.0);
        for layer in net.layers() {
            for &w in layer.weights_flat() {
                abs += w.abs();
                sq += w * w;
            }
        }
        (abs, sq)
    }

    /// `l1·Σ|w| + l2·Σw²` of [`Regularization::weight_sums`]; a rate of 0 leaves its term
    /// out.
    pub fn penalty(self, net: &Network) -> f64 {
        let (abs, sq) = Regularization::weight_sums(net);
        let mut p = 0.0;
        if self.l1 != 0.0 {
            p += self.l1 * abs;
        }
        if self.l2 != 0.0 {
            p += self.l2 * sq;
        }
        p
    }

    /// The penalty's gradient of one weight: `l1·sign(w) + 2·l2·w` (a rate of 0 adds nothing).
    #[inline(always)]
    pub fn weight_gradient(self, w: f64) -> f64 {
        let mut g = 0.0;
        if self.l1 != 0.0 {
            g += self.l1 * sign(w);
        }
        if self.l2 != 0.0 {
            g += 2.0 * self.l2 * w;
        }
        g
    }

    /// `dw += l1·sign(w) + 2·l2·w` for every weight (biases untouched).
    pub fn add_gradient(self, net: &Network, grads: &mut Gradients) {
        if !self.is_active() {
            return;
        }
        for (layer, g) in net.layers().iter().zip(&mut grads.layers) {
            for (dw, &w) in g.dw.iter_mut().zip(layer.weights_flat()) {
                *dw += self.weight_gradient(w);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course;

    // By hand on the course's start w = 1, 0.5, 1, -1, 1, 1 (and w2 = 0 in the second case):
    // l1 only: Σ|w| = 5.5 -> 0.2·5.5 = 1.1; dw4 = 0.2·sign(-1) = -0.2; sign(0) = 0.
    // l2 only: Σw² = 5.25 -> 0.5·5.25 = 2.625; dw2 = 2·0.5·0.5 = 0.5.
    #[test]
    fn each_rate_alone_by_hand() {
        let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
        let l1 = Regularization { l1: 0.2, l2: 0.0 };
        assert_eq!(l1.penalty(&net), 0.2 * 5.5);
        assert_eq!(l1.weight_gradient(-1.0), -0.2);
        assert_eq!(l1.weight_gradient(0.0), 0.0);
        let l2 = Regularization { l1: 0.0, l2: 0.5 };
        assert_eq!(l2.penalty(&net), 2.625);
        let mut g = Gradients::zeros(&net);
        l2.add_gradient(&net, &mut g);
        // Layer 1 is stored row by row (neuron 1: w1, w3; neuron 2: w2, w4).
        assert_eq!(g.layers[0].dw, vec![1.0, 1.0, 0.5, -1.0]);
        assert_eq!(g.layers[1].dw, vec![1.0, 1.0]);
        assert_eq!(g.layers[1].db, vec![0.0]);
        assert!(!Regularization::NONE.is_active());
        assert_eq!(Regularization::NONE.penalty(&net), 0.0);
    }
}
