//! The fast path: per-sample SGD on the course's ReLU 2-2-1 network with squared error,
//! through [`CourseParams::sgd_step`] (nine `f64` in registers, no loops over layers, no
//! allocation, no dynamic dispatch, no event per sample).
//!
//! The inner loop checks nothing: a non-finite value, once it appears, stays non-finite
//! or shows in the epoch's loss sum or the parameters at the end of the epoch. Only then is
//! the epoch replayed from its saved start, sample by sample with the general path's checks,
//! to find exactly where it happened. The arithmetic is the same either way, so the fast
//! and general paths agree to the bit, divergence included (tested).

use nnlab_core::course::{CourseParams, NAMES};
use nnlab_core::Network;

use crate::engine::{Divergence, Engine, EpochRun};
use crate::optimizer::OptimizerState;
use crate::Samples;

/// The course kernel's state: the parameters, and the training rows borrowed as they are
/// (no copy: on a 10-million-row file a packed copy cost 240 MB and measured no faster,
/// since the time is the latency of the parameter chain, not the loads).
pub(crate) struct FastEngine<'a> {
    p: CourseParams,
    rows: Rows<'a>,
}

/// The training rows: `x` holds `(x1, x2)` pairs, `y` one target per row.
#[derive(Clone, Copy)]
struct Rows<'a> {
    x: &'a [f64],
    y: &'a [f64],
}

impl Rows<'_> {
    fn len(&self) -> usize {
        self.y.len()
    }

    #[inline(always)]
    fn get(&self, r: usize) -> [f64; 3] {
        [self.x[2 * r], self.x[2 * r + 1], self.y[r]]
    }
}

impl<'a> FastEngine<'a> {
    /// `train` must have 2 inputs and 1 output (checked by the caller).
    pub(crate) fn new(p: CourseParams, train: &Samples<'a>) -> FastEngine<'a> {
        let rows = Rows {
            x: &train.x[..2 * train.y.len()],
            y: train.y,
        };
        FastEngine { p, rows }
    }

    /// The epoch again from `start`, checking every sample like the general path.
    fn replay(&mut self, start: CourseParams, order: Option<&[usize]>, lr: f64) -> EpochRun {
        let mut p = start;
        let mut loss_sum = 0.0;
        for k in 0..self.rows.len() {
            let r = order.map_or(k, |o| o[k]);
            let [x1, x2, y] = self.rows.get(r);
            let before = p;
            let loss = p.sgd_step(x1, x2, y, lr);
            if !loss.is_finite() {
                // The general path stops before this sample's update.
                self.p = before;
                return EpochRun::Diverged(Divergence {
                    sample: k + 1,
                    row: r + 1,
                    steps: k as u64,
                });
            }
            loss_sum += loss;
            if !finite(&p) {
                self.p = p;
                return EpochRun::Diverged(Divergence {
                    sample: k + 1,
                    row: r + 1,
                    steps: k as u64 + 1,
                });
            }
        }
        self.p = p;
        EpochRun::Done { loss_sum }
    }
}

fn finite(p: &CourseParams) -> bool {
    p.w.iter().chain(&p.b).all(|v| v.is_finite())
}

/// One epoch of the kernel over `rows` (in `order`, or in row order); returns the sum of the
/// per-sample losses, left to right.
///
/// The nine parameters form one chain of dependent operations per sample, so the time is
/// the chain's latency. With SSE3 the compiler keeps `(w1, w2)`, `(w3, w4)`, `(b1, b2)`,
/// `(w5, w6)` in pairs and broadcasts `x1`, `x2` with one `movddup`, saving the shuffles
/// that plain SSE2 puts on the chain (17.1 -> 16.8 ns per sample-step on the Zen 3
/// this was measured on). The arithmetic, and so every bit, is the same either way.
fn epoch(p: &mut CourseParams, rows: Rows, order: Option<&[usize]>, lr: f64) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("sse3") {
        // SAFETY: the CPU supports SSE3, checked just above.
        return unsafe { epoch_sse3(p, rows, order, lr) };
    }
    epoch_plain(p, rows, order, lr)
}

/// [`epoch_plain`] compiled with SSE3.
///
/// # Safety
/// The CPU must support SSE3.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse3")]
unsafe fn epoch_sse3(p: &mut CourseParams, rows: Rows, order: Option<&[usize]>, lr: f64) -> f64 {
    epoch_plain(p, rows, order, lr)
}

#[inline(always)]
fn epoch_plain(p: &mut CourseParams, rows: Rows, order: Option<&[usize]>, lr: f64) -> f64 {
    // A local copy, so the nine parameters can live in registers for the whole epoch.
    let mut q = *p;
    let mut loss_sum = 0.0;
    match order {
        None => {
            for (x, &y) in rows.x.chunks_exact(2).zip(rows.y) {
                loss_sum += q.sgd_step(x[0], x[1], y, lr);
            }
        }
        Some(order) => {
            for &r in order {
                let [x1, x2, y] = rows.get(r);
                loss_sum += q.sgd_step(x1, x2, y, lr);
            }
        }
    }
    *p = q;
    loss_sum
}

impl Engine for FastEngine<'_> {
    fn run_epoch(&mut self, order: Option<&[usize]>, lr: f64) -> EpochRun {
        let start = self.p;
        let mut p = start;
        let loss_sum = epoch(&mut p, self.rows, order, lr);
        // The losses are >= 0, so the sum is finite exactly when every loss was, unless it
        // overflowed; the replay tells the two apart.
        if loss_sum.is_finite() && finite(&p) {
            self.p = p;
            EpochRun::Done { loss_sum }
        } else {
            self.replay(start, order, lr)
        }
    }

    fn test_loss(&mut self, test: &Samples) -> f64 {
        test_loss(&self.p, test)
    }

    /// Plain SGD keeps no optimizer state: only the nine parameters go back.
    fn write_back(&self, net: &mut Network, _: &mut OptimizerState) {
        write_back(&self.p, net);
    }
}

/// The mean squared error of the course parameters `p` over a 2-input test set (shared by
/// both course kernels).
pub(crate) fn test_loss(p: &CourseParams, test: &Samples) -> f64 {
    let mut sum = 0.0;
    for (x, &y) in test.x.chunks_exact(2).zip(test.y) {
        let d = p.predict(x[0], x[1]) - y;
        sum += d * d;
    }
    sum / test.n_rows() as f64
}

/// Writes the course parameters `p` into the 2-2-1 network `net` by name.
pub(crate) fn write_back(p: &CourseParams, net: &mut Network) {
    let values = p.w.iter().chain(&p.b);
    for (&(_, id), &v) in NAMES.iter().zip(values) {
        net.set(id, v);
    }
}
