//! The fast full-batch path: gradient descent with one update per epoch on the course's
//! ReLU 2-2-1 network with squared error and plain SGD.
//!
//! Per epoch, with the parameters `p` fixed at the epoch's start and `n` rows (`n >= 2`):
//!
//! ```text
//! for each row r (in epoch order):   l_r, g_r = loss and dL_r/dp of the course network at p
//!     loss_sum += l_r                 summed left to right
//!     s        += g_r                 per parameter, starting from +0.0, left to right
//! g = s · (1/n)                       one multiplication by the rounded 1/n
//! p = p - lr·g
//! ```
//!
//! That is exactly what the general path does for `batch_size = "full"` (the per-row
//! arithmetic is that of [`Network::backward_into`](nnlab_core::Network::backward_into),
//! the sums those of `Gradients::add_assign`, the scale `Gradients::scale`), so both give the
//! same bits (tested in `tests/fast_batch.rs`).
//!
//! Why it is fast: the rows of a block are independent given `p`, so their forward and
//! backward passes are written as plain loops over structure-of-arrays columns that the
//! compiler vectorizes (AVX2 when the CPU has it; no FMA, so no rounding changes). Only the
//! ten running sums stay sequential, as the bit-parity requires, and those are ten
//! independent chains of one addition per row.

use nnlab_core::course::CourseParams;
use nnlab_core::Network;

use crate::engine::{Divergence, Engine, EpochRun};
use crate::optimizer::OptimizerState;
use crate::Samples;

/// Rows per block: the block's ten per-row columns (10 × 8 × 256 bytes = 20 KiB) stay in L1.
const BLOCK: usize = 256;

/// Per-row loss and the nine gradient entries of one block, one column each.
struct BlockTerms {
    loss: [f64; BLOCK],
    /// `dL/dw1..dL/dw6`, `dL/db1..dL/db3`.
    g: [[f64; BLOCK]; 9],
}

pub(crate) struct FastBatchEngine {
    p: CourseParams,
    x1: Vec<f64>,
    x2: Vec<f64>,
    y: Vec<f64>,
    /// The columns in a shuffled epoch's order (empty until a shuffled epoch runs).
    shuffled: [Vec<f64>; 3],
    terms: Box<BlockTerms>,
}

impl FastBatchEngine {
    /// `train` must have 2 inputs, 1 output and at least 2 rows (checked by the caller).
    pub(crate) fn new(p: CourseParams, train: &Samples) -> FastBatchEngine {
        let x1 = train.x.chunks_exact(2).map(|x| x[0]).collect();
        let x2 = train.x.chunks_exact(2).map(|x| x[1]).collect();
        FastBatchEngine {
            p,
            x1,
            x2,
            y: train.y.to_vec(),
            shuffled: [Vec::new(), Vec::new(), Vec::new()],
            terms: Box::new(BlockTerms {
                loss: [0.0; BLOCK],
                g: [[0.0; BLOCK]; 9],
            }),
        }
    }
}

/// The sums of one epoch: `(loss_sum, s)`.
type Sums = (f64, [f64; 9]);

/// Per-row terms of `rows` (at most [`BLOCK`]) at `p`, into `t`.
#[inline(always)]
fn block_terms(p: &CourseParams, x1: &[f64], x2: &[f64], y: &[f64], t: &mut BlockTerms) {
    let [w1, w2, w3, w4, w5, w6] = p.w;
    let [b1, b2, b3] = p.b;
    let n = x1.len().min(x2.len()).min(y.len()).min(BLOCK);
    let [g1, g2, g3, g4, g5, g6, g7, g8, g9] = &mut t.g;
    for i in 0..n {
        let (x1, x2, y) = (x1[i], x2[i], y[i]);
        let z1 = x1 * w1 + x2 * w3 + b1;
        let z2 = x1 * w2 + x2 * w4 + b2;
        let a1 = relu(z1);
        let a2 = relu(z2);
        let z3 = a1 * w5 + a2 * w6 + b3;
        let d = relu(z3) - y;
        t.loss[i] = d * d;
        let dl_dz3 = 2.0 * d * drelu(z3);
        let dl_dz1 = dl_dz3 * w5 * drelu(z1);
        let dl_dz2 = dl_dz3 * w6 * drelu(z2);
        g1[i] = dl_dz1 * x1;
        g2[i] = dl_dz2 * x1;
        g3[i] = dl_dz1 * x2;
        g4[i] = dl_dz2 * x2;
        g5[i] = dl_dz3 * a1;
        g6[i] = dl_dz3 * a2;
        g7[i] = dl_dz1;
        g8[i] = dl_dz2;
        g9[i] = dl_dz3;
    }
}

/// `relu(z) = z` if `z > 0` or `z` is NaN, else `+0.0` (as `Activation::Relu.f`), written
/// as selects so the loop vectorizes to compares and blends.
#[inline(always)]
fn relu(z: f64) -> f64 {
    if z > 0.0 || z.is_nan() {
        z
    } else {
        0.0
    }
}

/// `relu'(z) = 1` if `z > 0`, else `0` (as `Activation::Relu.df`).
#[inline(always)]
fn drelu(z: f64) -> f64 {
    if z > 0.0 {
        1.0
    } else {
        0.0
    }
}

#[inline(always)]
fn epoch_sums_plain(p: &CourseParams, cols: [&[f64]; 3], t: &mut BlockTerms) -> Sums {
    let [x1, x2, y] = cols;
    let mut loss_sum = 0.0;
    let mut s = [0.0f64; 9];
    for ((x1, x2), y) in x1.chunks(BLOCK).zip(x2.chunks(BLOCK)).zip(y.chunks(BLOCK)) {
        block_terms(p, x1, x2, y, t);
        let n = x1.len();
        for i in 0..n {
            loss_sum += t.loss[i];
            for (sk, gk) in s.iter_mut().zip(&t.g) {
                *sk += gk[i];
            }
        }
    }
    (loss_sum, s)
}

/// [`epoch_sums_plain`] compiled with AVX2 (no FMA, so the same bits).
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn epoch_sums_avx2(p: &CourseParams, cols: [&[f64]; 3], t: &mut BlockTerms) -> Sums {
    epoch_sums_plain(p, cols, t)
}

fn epoch_sums(p: &CourseParams, cols: [&[f64]; 3], t: &mut BlockTerms) -> Sums {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { epoch_sums_avx2(p, cols, t) };
    }
    epoch_sums_plain(p, cols, t)
}

fn finite(p: &CourseParams) -> bool {
    p.w.iter().chain(&p.b).all(|v| v.is_finite())
}

impl Engine for FastBatchEngine {
    fn run_epoch(&mut self, order: Option<&[usize]>, lr: f64) -> EpochRun {
        let n = self.y.len();
        let cols: [&[f64]; 3] = match order {
            None => [&self.x1, &self.x2, &self.y],
            Some(order) => {
                // Gathered once per epoch so the sums run in the epoch's order, as the
                // general path adds them.
                for (dst, src) in self.shuffled.iter_mut().zip([&self.x1, &self.x2, &self.y]) {
                    dst.clear();
                    dst.extend(order.iter().map(|&r| src[r]));
                }
                [&self.shuffled[0], &self.shuffled[1], &self.shuffled[2]]
            }
        };
        let (loss_sum, s) = epoch_sums(&self.p, cols, &mut self.terms);
        if !loss_sum.is_finite() {
            // The losses are >= 0: the sum is not finite when one loss was not (the general
            // path stops there, before any update) or when a finite sum overflowed.
            let [x1, x2, y] = cols;
            for k in 0..n {
                let d = self.p.predict(x1[k], x2[k]) - y[k];
                if !(d * d).is_finite() {
                    return EpochRun::Diverged(Divergence {
                        sample: k + 1,
                        row: order.map_or(k, |o| o[k]) + 1,
                        steps: k as u64,
                    });
                }
            }
        }
        let k = 1.0 / n as f64;
        let mut w = self.p.w;
        let mut b = self.p.b;
        for (p, s) in w.iter_mut().chain(b.iter_mut()).zip(s) {
            *p -= lr * (s * k);
        }
        self.p = CourseParams { w, b };
        if !finite(&self.p) {
            return EpochRun::Diverged(Divergence {
                sample: n,
                row: order.map_or(n - 1, |o| o[n - 1]) + 1,
                steps: n as u64,
            });
        }
        EpochRun::Done { loss_sum }
    }

    fn test_loss(&mut self, test: &Samples) -> f64 {
        crate::fast::test_loss(&self.p, test)
    }

    /// Plain SGD keeps no optimizer state: only the nine parameters go back.
    fn write_back(&self, net: &mut Network, _: &mut OptimizerState) {
        crate::fast::write_back(&self.p, net);
    }
}
