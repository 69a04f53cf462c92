//! The trainer's state and its general path: one sample at a time, the epoch's start and
//! end. Every unit of [`crate::Trainer::step`] runs through here, and so does a whole epoch
//! on [`crate::engine::EngineKind::General`]; the other engines share the epoch's start and
//! end.
//!
//! ```text
//! start of epoch e:   lr_e = the schedule's rate (or the plateau state's)
//!                     order = 0..n, Fisher–Yates shuffled from one "shuffle" stream when `shuffle`
//! sample k (batch B): l_k = loss before the update (+ the L1/L2 penalty of the current
//!                     weights), added to the epoch's sum left to right
//!                     g_B += dL_k/dp                 (a batch of one: g = dL_k/dp as is)
//! end of batch B:     g = g_B · (1/|B|) (+ the penalty's gradient, once per update);
//!                     g[frozen] = 0; optimizer step with g at lr_e
//! end of epoch e:     train_loss_e = Σ l_k / n; test_loss_e with the end-of-epoch parameters
//!                     early stopping, then the plateau schedule, see test_loss_e (else train_loss_e)
//! ```
//!
//! A sample loss, an epoch's mean or a parameter that stops being finite ends the run as
//! diverged; early stopping ends it as stopped.

use nnlab_core::rng::Rng;
use nnlab_core::{Backward, Gradients, Network, ParamId, Trace};

use crate::early_stop::{EarlyStopper, StopDecision};
use crate::engine::EngineKind;
use crate::general::{all_finite, copy_params, zero_frozen};
use crate::optimizer::OptimizerState;
use crate::plateau::PlateauState;
use crate::{EpochRecord, Event, Samples, Schedule, TrainConfig, TrainStatus};

/// What stays fixed while training: the settings resolved once.
#[derive(Debug, Clone)]
pub(crate) struct Setup {
    pub cfg: TrainConfig,
    pub frozen: Vec<ParamId>,
    /// Rows per batch.
    pub batch: usize,
    /// Training rows.
    pub n: usize,
    pub engine: EngineKind,
}

/// Buffers of the per-sample passes: no state, so never part of a snapshot.
#[derive(Debug, Clone)]
pub(crate) struct Scratch {
    pub trace: Trace,
    back: Backward,
    /// The last sample's gradient.
    pub grads: Gradients,
}

impl Scratch {
    pub(crate) fn new(net: &Network) -> Scratch {
        Scratch {
            trace: Trace::new(net),
            back: Backward::new(net),
            grads: Gradients::zeros(net),
        }
    }
}

/// Everything that changes while training (a [`crate::Snapshot`] is a copy of it).
#[derive(Debug, Clone)]
pub(crate) struct State {
    pub net: Network,
    pub optimizer: OptimizerState,
    plateau: Option<PlateauState>,
    pub stopper: Option<EarlyStopper>,
    /// The best epoch's parameters, kept only for `restore_best`.
    best: Option<Network>,
    rng: Option<Rng>,
    /// The current epoch's row order (empty when not shuffling: rows in file order).
    pub order: Vec<usize>,
    /// Completed epochs.
    pub epoch: usize,
    /// Rows of the current epoch already processed (`0..n`).
    pub position: usize,
    /// The current epoch's learning rate (set at its first row).
    pub lr: f64,
    /// The previous epoch's rate, to report a step schedule's drops.
    prev_lr: f64,
    /// The sum of the current epoch's sample losses so far.
    pub loss_sum: f64,
    /// The current batch's gradient sum (batches of two rows or more).
    pub batch_grads: Gradients,
    /// The lowest monitored loss and its epoch.
    pub argmin: Option<(f64, usize)>,
    /// Samples whose forward and backward pass ran.
    pub sample_steps: u64,
    pub status: TrainStatus,
    /// True once a course kernel ran an epoch.
    pub course_kernel: bool,
}

/// What one sample step did.
pub(crate) enum Sample {
    /// The step ran; `batch_done` when it completed its batch (and so updated).
    Done { loss: f64, batch_done: bool },
    /// A loss or a parameter stopped being finite: the status says where.
    Diverged { loss: f64 },
}

impl State {
    pub(crate) fn new(net: Network, cfg: &TrainConfig) -> State {
        let restore_best = cfg.early_stopping.is_some_and(|e| e.restore_best);
        State {
            optimizer: OptimizerState::new(cfg.optimizer, &net),
            plateau: PlateauState::new(&cfg.schedule, cfg.lr),
            stopper: cfg.early_stopping.map(EarlyStopper::new),
            best: restore_best.then(|| net.clone()),
            rng: cfg
                .shuffle
                .then(|| Rng::for_purpose(cfg.shuffle_seed, "shuffle")),
            order: Vec::new(),
            epoch: 0,
            position: 0,
            lr: cfg.lr,
            prev_lr: cfg.lr,
            loss_sum: 0.0,
            batch_grads: Gradients::zeros(&net),
            argmin: None,
            sample_steps: 0,
            status: TrainStatus::Completed,
            course_kernel: false,
            net,
        }
    }

    /// The learning rate of the next epoch to start (1-based `epoch + 1`).
    pub(crate) fn next_lr(&self, cfg: &TrainConfig) -> f64 {
        match &self.plateau {
            Some(p) => p.lr,
            None => cfg.schedule.lr_at(cfg.lr, self.epoch + 1),
        }
    }

    /// Starts epoch `epoch + 1`: its rate and its row order.
    pub(crate) fn begin_epoch(&mut self, s: &Setup, on_event: &mut dyn FnMut(&Event)) {
        let epoch = self.epoch + 1;
        let lr = self.next_lr(&s.cfg);
        if epoch > 1 && lr != self.prev_lr && matches!(s.cfg.schedule, Schedule::Step { .. }) {
            on_event(&Event::LrChanged { epoch, lr });
        }
        self.prev_lr = lr;
        self.lr = lr;
        if let Some(rng) = self.rng.as_mut() {
            // A fresh permutation of 0..n each epoch.
            self.order.clear();
            self.order.extend(0..s.n);
            rng.shuffle(&mut self.order);
        }
        self.loss_sum = 0.0;
    }

    /// The 0-based data row at position `k` of the current epoch.
    pub(crate) fn row_at(&self, k: usize) -> usize {
        self.order.get(k).copied().unwrap_or(k)
    }

    /// The positions `start..end` (0-based, `end` exclusive) of the batch that holds position `k`.
    pub(crate) fn batch_of(s: &Setup, k: usize) -> (usize, usize) {
        let start = k - k % s.batch;
        (start, (start + s.batch).min(s.n))
    }

    /// One sample at the current position of a begun epoch (the general path).
    pub(crate) fn sample(&mut self, s: &Setup, train: &Samples, sc: &mut Scratch) -> Sample {
        let k = self.position;
        let (start, end) = State::batch_of(s, k);
        let single = end - start == 1;
        let r = self.row_at(k);
        let (x, y) = (train.x_row(r), train.y_row(r));
        let loss_fn = s.cfg.loss;
        let reg = s.cfg.regularization();
        self.net.forward_into(x, &mut sc.trace);
        let mut loss = sc.trace.loss(loss_fn, y);
        if reg.is_active() {
            loss += reg.penalty(&self.net);
        }
        if !loss.is_finite() {
            self.status = diverged(&self.net, s.cfg.lr, self.epoch + 1, k + 1, r + 1);
            return Sample::Diverged { loss };
        }
        self.loss_sum += loss;
        self.net
            .backward_into(&sc.trace, y, loss_fn, &mut sc.back, &mut sc.grads);
        self.sample_steps += 1;
        if !single {
            if k == start {
                self.batch_grads.clear();
            }
            self.batch_grads.add_assign(&sc.grads);
        }
        self.position += 1;
        if self.position < end {
            return Sample::Done {
                loss,
                batch_done: false,
            };
        }
        // A batch of one uses its gradient as is: adding it to zeros could turn a -0.0
        // into +0.0 and break the bit-parity with the course kernel.
        let g = if single {
            &mut sc.grads
        } else {
            self.batch_grads.scale(1.0 / (end - start) as f64);
            &mut self.batch_grads
        };
        reg.add_gradient(&self.net, g);
        zero_frozen(g, &self.net, &s.frozen);
        self.optimizer.step(&mut self.net, g, self.lr);
        if !all_finite(&self.net) {
            let row = self.row_at(end - 1) + 1;
            self.status = diverged(&self.net, s.cfg.lr, self.epoch + 1, end, row);
            return Sample::Diverged { loss };
        }
        Sample::Done {
            loss,
            batch_done: true,
        }
    }

    /// Ends the current epoch, whose sample losses summed to `loss_sum`, with the
    /// end-of-epoch parameters in `net`: the record and its events, the best epoch, early
    /// stopping, the plateau schedule.
    pub(crate) fn end_epoch(
        &mut self,
        s: &Setup,
        history: &mut Vec<EpochRecord>,
        loss_sum: f64,
        test_loss: Option<f64>,
        on_event: &mut dyn FnMut(&Event),
    ) {
        let (n, epoch) = (s.n, self.epoch + 1);
        self.position = n;
        let train_loss = loss_sum / n as f64;
        if !train_loss.is_finite() || test_loss.is_some_and(|l| !l.is_finite()) {
            // Every sample loss was finite but a mean overflowed: blame the epoch's last sample.
            let row = self.row_at(n - 1) + 1;
            self.status = diverged(&self.net, s.cfg.lr, epoch, n, row);
            return;
        }
        self.epoch = epoch;
        self.position = 0;
        let record = EpochRecord {
            epoch,
            train_loss,
            test_loss,
            lr: self.lr,
        };
        history.push(record);
        on_event(&Event::Epoch(record));
        // The end-of-epoch parameters, for diagnostics that ask when something stopped
        // moving (nine numbers per epoch on the course network: no per-sample cost).
        on_event(&Event::Params {
            epoch,
            params: self.net.params_flat(),
        });
        let monitored = test_loss.unwrap_or(train_loss);
        if self.argmin.map_or(true, |(best, _)| monitored < best) {
            self.argmin = Some((monitored, epoch));
        }
        if let Some(st) = self.stopper.as_mut() {
            match st.update(epoch, monitored) {
                StopDecision::Improved => {
                    if let Some(best) = self.best.as_mut() {
                        copy_params(best, &self.net);
                    }
                }
                StopDecision::Stop => {
                    if let Some(best) = &self.best {
                        copy_params(&mut self.net, best);
                    }
                    self.status = TrainStatus::StoppedEarly {
                        epoch,
                        best_epoch: st.best_epoch,
                    };
                    return;
                }
                StopDecision::Wait => {}
            }
        }
        if let Some(p) = self.plateau.as_mut() {
            if let Some(lr) = p.update(monitored) {
                if epoch < s.cfg.epochs {
                    on_event(&Event::LrChanged {
                        epoch: epoch + 1,
                        lr,
                    });
                }
            }
        }
    }
}

/// The divergence status for `net` as it stands: the first parameter in display order that
/// is not finite, else the largest in magnitude (the first of equals). `epoch`, `sample` and
/// `row` are 1-based.
pub(crate) fn diverged(
    net: &Network,
    lr: f64,
    epoch: usize,
    sample: usize,
    row: usize,
) -> TrainStatus {
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
