//! The epoch loop shared by every engine (fast course kernels, batched, general):
//! learning-rate schedule, shuffling, losses, events, plateau, early stopping and divergence.
//!
//! ```text
//! for epoch e = 1..=epochs:
//!     lr_e   = the schedule's rate (or the plateau state's)
//!     order  = 0..n, Fisher–Yates shuffled from one "shuffle" stream when `shuffle`
//!     train_loss_e = (l_1 + l_2 + ... + l_n) / n    each l_k before its own update, summed left to right
//!     test_loss_e  = (t_1 + ... + t_m) / m          with the end-of-epoch parameters
//!     monitored    = test_loss_e if there is a test set, else train_loss_e
//! ```

use nnlab_core::course::CourseParams;
use nnlab_core::rng::Rng;
use nnlab_core::{Loss, Network};

use crate::batched::BatchedEngine;
use crate::early_stop::{EarlyStopper, StopDecision};
use crate::fast::FastEngine;
use crate::fast_batch::FastBatchEngine;
use crate::general::GeneralEngine;
use crate::schedule::PlateauState;
use crate::{
    EpochRecord, Event, Kernel, Optimizer, Samples, Schedule, TrainConfig, TrainError,
    TrainOutcome, TrainStatus,
};

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

/// One inner loop: runs epochs, evaluates, keeps and restores a best copy.
pub(crate) trait Engine {
    /// One pass over the rows (in `order`, or in row order for `None`) at rate `lr`.
    fn run_epoch(&mut self, order: Option<&[usize]>, lr: f64) -> EpochRun;
    /// The mean loss over `test` with the current parameters, summed left to right.
    fn test_loss(&mut self, test: &Samples) -> f64;
    fn save_best(&mut self);
    fn restore_best(&mut self);
    fn write_back(&self, net: &mut Network);
}

/// Trains `net` in place on `train`, evaluating on `test` after each epoch, and streams
/// progress to `on_event`.
///
/// Errors (before anything runs) on an invalid config, unusable samples or samples whose
/// widths differ from the network's. A run that diverges is not an error: it returns
/// [`TrainStatus::Diverged`] with the history of the complete epochs before it.
///
/// With [`Kernel::Auto`]: the fast course kernels run when the network is the ReLU 2-2-1
/// course network with squared error, SGD, batch size 1 or full and nothing frozen (the
/// same bits as the general path); else the batched engine runs when a mini-batch's
/// products are large enough to pay (`batched_pays`: any network but the course's shape,
/// batch size at least 2, batch · weights at least 1,500; equal to the general path to
/// rounding, not to the bit); else the general path, one sample at a time.
pub fn train(
    net: &mut Network,
    train: &Samples,
    test: Option<&Samples>,
    cfg: &TrainConfig,
    on_event: &mut dyn FnMut(&Event),
) -> Result<TrainOutcome, TrainError> {
    let frozen = cfg.frozen_params(net)?;
    train.check_for("train", net.n_inputs(), net.n_outputs())?;
    if let Some(t) = test {
        t.check_for("test", net.n_inputs(), net.n_outputs())?;
    }
    let batch = cfg.batch_size.rows(train.n_rows());
    let fast = cfg.kernel == Kernel::Auto
        && cfg.loss == Loss::SquaredError
        && cfg.optimizer == Optimizer::Sgd
        && batch == 1
        && frozen.is_empty();
    // Full-batch gradient descent on the same network and settings has its own fast kernel.
    let full_batch = cfg.kernel == Kernel::Auto
        && cfg.loss == Loss::SquaredError
        && cfg.optimizer == Optimizer::Sgd
        && batch == train.n_rows()
        && batch > 1
        && frozen.is_empty();
    match CourseParams::from_network(net) {
        Some(p) if fast => {
            let mut engine = FastEngine::new(p, train);
            Ok(drive(&mut engine, net, train, test, cfg, on_event, true))
        }
        Some(p) if full_batch => {
            let mut engine = FastBatchEngine::new(p, train);
            Ok(drive(&mut engine, net, train, test, cfg, on_event, true))
        }
        _ if cfg.kernel == Kernel::Batched
            || (cfg.kernel == Kernel::Auto && batched_pays(net, batch)) =>
        {
            let mut engine =
                BatchedEngine::new(net, *train, cfg.loss, batch, cfg.optimizer, frozen);
            Ok(drive(&mut engine, net, train, test, cfg, on_event, false))
        }
        _ => {
            let mut engine =
                GeneralEngine::new(net, *train, cfg.loss, batch, cfg.optimizer, frozen);
            Ok(drive(&mut engine, net, train, test, cfg, on_event, false))
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

/// The epoch loop (see the module doc).
fn drive<E: Engine>(
    engine: &mut E,
    net: &mut Network,
    train: &Samples,
    test: Option<&Samples>,
    cfg: &TrainConfig,
    on_event: &mut dyn FnMut(&Event),
    fast_kernel: bool,
) -> TrainOutcome {
    let initial = net.clone();
    let n = train.n_rows();
    on_event(&Event::Start {
        epochs: cfg.epochs,
        rows: n,
    });
    let mut plateau = PlateauState::new(&cfg.schedule, cfg.lr);
    let mut stopper = cfg.early_stopping.map(EarlyStopper::new);
    let mut rng = cfg
        .shuffle
        .then(|| Rng::for_purpose(cfg.shuffle_seed, "shuffle"));
    let mut order: Vec<usize> = if cfg.shuffle {
        (0..n).collect()
    } else {
        Vec::new()
    };
    // `epochs` comes from the user: reserve a bounded amount, let the vector grow past it.
    let mut history = Vec::with_capacity(cfg.epochs.min(1 << 16));
    let mut sample_steps = 0u64;
    let mut argmin: Option<(f64, usize)> = None;
    let mut status = TrainStatus::Completed;
    let mut prev_lr = cfg.lr;

    for epoch in 1..=cfg.epochs {
        let lr = match &plateau {
            Some(p) => p.lr,
            None => cfg.schedule.lr_at(cfg.lr, epoch),
        };
        if epoch > 1 && lr != prev_lr && matches!(cfg.schedule, Schedule::Step { .. }) {
            on_event(&Event::LrChanged { epoch, lr });
        }
        prev_lr = lr;
        if let Some(rng) = rng.as_mut() {
            // A fresh permutation of 0..n each epoch.
            for (i, o) in order.iter_mut().enumerate() {
                *o = i;
            }
            rng.shuffle(&mut order);
        }
        let ord = cfg.shuffle.then_some(order.as_slice());
        let loss_sum = match engine.run_epoch(ord, lr) {
            EpochRun::Done { loss_sum } => loss_sum,
            EpochRun::Diverged(d) => {
                sample_steps += d.steps;
                engine.write_back(net);
                status = diverged(net, cfg.lr, epoch, d.sample, d.row);
                break;
            }
        };
        sample_steps += n as u64;
        let train_loss = loss_sum / n as f64;
        let test_loss = test.map(|t| engine.test_loss(t));
        if !train_loss.is_finite() || test_loss.is_some_and(|l| !l.is_finite()) {
            // Every sample loss was finite but a mean overflowed: blame the epoch's last sample.
            engine.write_back(net);
            let row = ord.map_or(n, |o| o[n - 1] + 1);
            status = diverged(net, cfg.lr, epoch, n, row);
            break;
        }
        let record = EpochRecord {
            epoch,
            train_loss,
            test_loss,
            lr,
        };
        history.push(record);
        on_event(&Event::Epoch(record));
        // The end-of-epoch parameters, for diagnostics that ask when something stopped
        // moving (nine numbers per epoch on the course network: no per-sample cost).
        engine.write_back(net);
        on_event(&Event::Params {
            epoch,
            params: net.params_flat(),
        });
        let monitored = test_loss.unwrap_or(train_loss);
        if argmin.map_or(true, |(best, _)| monitored < best) {
            argmin = Some((monitored, epoch));
        }
        if let Some(s) = stopper.as_mut() {
            match s.update(epoch, monitored) {
                StopDecision::Improved if s.settings.restore_best => engine.save_best(),
                StopDecision::Stop => {
                    if s.settings.restore_best {
                        engine.restore_best();
                    }
                    status = TrainStatus::StoppedEarly {
                        epoch,
                        best_epoch: s.best_epoch,
                    };
                    break;
                }
                _ => {}
            }
        }
        if let Some(p) = plateau.as_mut() {
            if let Some(lr) = p.update(monitored) {
                if epoch < cfg.epochs {
                    on_event(&Event::LrChanged {
                        epoch: epoch + 1,
                        lr,
                    });
                }
            }
        }
    }

    engine.write_back(net);
    match &status {
        TrainStatus::StoppedEarly { epoch, best_epoch } => on_event(&Event::StoppedEarly {
            epoch: *epoch,
            best_epoch: *best_epoch,
        }),
        TrainStatus::Diverged {
            epoch,
            sample,
            row,
            parameter,
            value,
            suggestion,
        } => on_event(&Event::Diverged {
            epoch: *epoch,
            sample: *sample,
            row: *row,
            parameter: parameter.clone(),
            value: *value,
            suggestion: suggestion.clone(),
        }),
        TrainStatus::Completed => {}
    }
    on_event(&Event::Finished);
    let best_epoch = match &stopper {
        Some(s) if s.best_epoch > 0 => Some(s.best_epoch),
        _ => argmin.map(|(_, e)| e),
    };
    TrainOutcome {
        status,
        history,
        initial,
        final_net: net.clone(),
        best_epoch,
        sample_steps,
        fast_kernel,
    }
}

/// The divergence status for `net` as it stands: the first parameter in display order that
/// is not finite, else the largest in magnitude (the first of equals). `epoch`, `sample` and
/// `row` are 1-based. Public so that every driver of training (the playground's stepper)
/// reports divergence exactly as `train` does.
pub fn diverged(net: &Network, lr: f64, epoch: usize, sample: usize, row: usize) -> TrainStatus {
    let values: Vec<(String, f64)> = net
        .named_param_ids()
        .into_iter()
        .map(|(name, id)| (name, net.get(id)))
        .collect();
    let culprit = values
        .iter()
        .find(|(_, v)| !v.is_finite())
        .or_else(|| {
            values
                .iter()
                .fold(None, |best: Option<&(String, f64)>, p| match best {
                    Some(b) if b.1.abs() >= p.1.abs() => Some(b),
                    _ => Some(p),
                })
        })
        .cloned()
        .unwrap_or_default();
    TrainStatus::Diverged {
        epoch,
        sample,
        row,
        parameter: culprit.0,
        value: culprit.1,
        suggestion: format!("try a smaller learning rate, e.g. lr = {}", lr / 10.0),
    }
}
