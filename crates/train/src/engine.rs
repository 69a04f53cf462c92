//! The engines behind [`crate::Trainer`]: inner loops that run one whole epoch from the
//! trainer's canonical state (network and optimizer state) and write it back at the end.
//!
//! - the course kernels ([`crate::fast`], [`crate::fast_batch`]): the ReLU 2-2-1 network
//!   with squared error and plain SGD at batch size 1 or full, nine numbers in registers,
//!   the same bits as the general path;
//! - the batched engine ([`crate::batched`]): each mini-batch as matrix products, equal to
//!   the general path to rounding, not to the bit;
//! - the general path: the trainer's own per-sample code ([`crate::state`]), which every
//!   sample and batch step runs whatever the engine.
//!
//! [`EngineKind::choose`] is the [`Kernel::Auto`] dispatch `train` has always made.

use nnlab_core::{Loss, Network};

use crate::optimizer::OptimizerState;
use crate::{Kernel, Optimizer, Samples, TrainConfig};

/// Where, within an epoch, a value stopped being finite.
pub(crate) struct Divergence {
    /// 1-based position in the epoch.
    pub sample: usize,
    /// 1-based data row.
    pub row: usize,
    /// Samples of this epoch whose gradient was computed.
    pub steps: u64,
}

pub(crate) enum EpochRun {
    Done { loss_sum: f64 },
    Diverged(Divergence),
}

/// One inner loop over whole epochs.
pub(crate) trait Engine {
    /// One pass over the rows (in `order`, or in row order for `None`) at rate `lr`.
    fn run_epoch(&mut self, order: Option<&[usize]>, lr: f64) -> EpochRun;
    /// The mean loss over `test` with the current parameters, summed left to right.
    fn test_loss(&mut self, test: &Samples) -> f64;
    /// Writes the engine's parameters and optimizer state into the trainer's.
    fn write_back(&self, net: &mut Network, optimizer: &mut OptimizerState);
}

/// Which engine runs a whole epoch that starts at the epoch's first row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EngineKind {
    /// Per-sample SGD on the course network ([`crate::fast`]).
    Course,
    /// Full-batch gradient descent on the course network ([`crate::fast_batch`]).
    CourseFullBatch,
    /// Matrix products per mini-batch ([`crate::batched`]).
    Batched,
    /// The trainer's per-sample code.
    General,
}

impl EngineKind {
    /// With [`Kernel::Auto`]: the course kernels when the network is the ReLU 2-2-1 course
    /// network with squared error, no L1/L2 penalty, SGD, batch size 1 or full and nothing
    /// frozen (anything else falls back to the engines below, which handle every loss,
    /// output and penalty); else the
    /// batched engine when a mini-batch's products are large enough to pay
    /// ([`batched_pays`]); else the general path. [`Kernel::Batched`] and
    /// [`Kernel::General`] force theirs.
    pub(crate) fn choose(
        cfg: &TrainConfig,
        net: &Network,
        batch: usize,
        n_rows: usize,
        nothing_frozen: bool,
    ) -> EngineKind {
        let course_sgd = cfg.kernel == Kernel::Auto
            && cfg.loss == Loss::SquaredError
            && !cfg.regularization().is_active()
            && cfg.optimizer == Optimizer::Sgd
            && nothing_frozen
            && nnlab_core::course::CourseParams::from_network(net).is_some();
        if course_sgd && batch == 1 {
            EngineKind::Course
        } else if course_sgd && batch == n_rows && batch > 1 {
            EngineKind::CourseFullBatch
        } else if cfg.kernel == Kernel::Batched
            || (cfg.kernel == Kernel::Auto && batched_pays(net, batch))
        {
            EngineKind::Batched
        } else {
            EngineKind::General
        }
    }
}

/// Multiply-adds per update (`batch · Σ n_in·n_out`) from which [`Kernel::Auto`] takes the
/// batched engine. Measured with `benches/batched.rs` (one epoch of 10,000 rows, Adam, two
/// runs on a shared 2-core machine): below it the two engines were within run-to-run noise
/// of each other (2-2-1 at batch 64: 384; 2-8-1 at batch 16: 384; 8-4-4-1 at batch 16: 832;
/// 8-2-2-1 at batch 64: 1,408), so the exact per-sample order is kept; from it up the
/// batched engine won in every run (2-8-1 at batch 64: 1,536, 2.3×; 8-8-8-1 at batch 16:
/// 2,176, 1.4×; 8-64-64-1 at batch 2: 9,344, 1.2×, and at batch 64, 6.4×).
const BATCHED_MIN_MACS: usize = 1500;

/// Whether [`Kernel::Auto`] takes the batched engine: mini-batches (never batch size 1,
/// whose per-sample path is exact), never the course's 2-2-1 shape (which keeps its exact
/// paths), and only where a batch's products are large enough to pay.
fn batched_pays(net: &Network, batch: usize) -> bool {
    let weights: usize = net.layers().iter().map(|l| l.n_in() * l.n_out()).sum();
    batch >= 2 && !net.is_course_shape() && batch.saturating_mul(weights) >= BATCHED_MIN_MACS
}
