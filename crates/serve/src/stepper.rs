//! A trainer that can stop anywhere: after one sample, one batch or one epoch.
//!
//! It follows `nnlab_train::train`'s epoch loop step by step, so that stepping whole epochs
//! gives the same bits as `nnlab train` (and `nnlab_lab::run`) on the same experiment:
//!
//! ```text
//! at the start of epoch e:  lr_e = schedule (or plateau) rate; order = fresh shuffle of 0..n
//! per sample k of batch B:  l_k = loss before the update (added to the epoch's sum, left to right)
//!                           g_B += dL_k/dp
//! at the end of batch B:    g = g_B / |B| (a batch of one: g as is); g[frozen] = 0
//!                           optimizer step with g at lr_e (SGD: p <- p - lr_e·g)
//! at the end of epoch e:    train_loss_e = Σ l_k / n; test_loss_e with the new parameters;
//!                           plateau and early stopping see test_loss_e (else train_loss_e)
//! ```
//!
//! A step whose loss or parameters stop being finite ends the run as diverged (as
//! `nnlab train` does); early stopping ends it as stopped. Either way the stepper refuses
//! further steps until it is reset or undone.

use nnlab_core::rng::Rng;
use nnlab_core::{sample_loss, Backward, Gradients, Network, ParamId, Trace};
use nnlab_train::{
    diverged, EarlyStopper, EpochRecord, OptimizerState, PlateauState, Samples, StopDecision,
    TrainConfig, TrainStatus,
};

use crate::ApiError;

/// How far one call advances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// One row's forward and backward pass (the update happens when its batch is complete).
    Sample,
    /// To the end of the current batch: one optimizer update.
    Batch,
    /// To the end of the current epoch.
    Epoch,
}

/// Everything that changes while training; cloned whole for undo (the history only grows,
/// so a snapshot keeps its length, not its records).
#[derive(Debug, Clone)]
pub struct Progress {
    pub net: Network,
    optimizer: OptimizerState,
    /// Completed epochs.
    pub epoch: usize,
    /// Rows of the current epoch already processed (0..n).
    pub position: usize,
    /// The current epoch's row order (empty when not shuffling: rows in file order).
    order: Vec<usize>,
    rng: Option<Rng>,
    /// The current epoch's learning rate (set at its first row).
    pub lr: f64,
    loss_sum: f64,
    batch_grads: Gradients,
    plateau: Option<PlateauState>,
    stopper: Option<EarlyStopper>,
    best: Network,
    pub status: TrainStatus,
    history_len: usize,
    /// True once a parameter was set by hand (or an import resumed without the optimizer's
    /// state): from then on `nnlab train` on the configuration no longer gives these numbers.
    /// Part of the progress so that undoing the edit clears it again.
    pub edited: bool,
}

/// The steppable trainer: the training rows, the settings and the [`Progress`].
#[derive(Debug, Clone)]
pub struct Stepper {
    x: Vec<f64>,
    y: Vec<f64>,
    n_inputs: usize,
    /// Test rows (inputs, targets), when the experiment holds some out.
    test: Option<(Vec<f64>, Vec<f64>)>,
    cfg: TrainConfig,
    frozen: Vec<ParamId>,
    pub progress: Progress,
    pub history: Vec<EpochRecord>,
    trace: Trace,
    back: Backward,
    grads: Gradients,
}

impl Stepper {
    /// A trainer at epoch 0 for `net` on rows `x` (row-major, `n_inputs` wide) and targets `y`.
    pub fn new(
        net: Network,
        x: Vec<f64>,
        y: Vec<f64>,
        n_inputs: usize,
        test: Option<(Vec<f64>, Vec<f64>)>,
        cfg: &TrainConfig,
    ) -> Result<Stepper, ApiError> {
        let frozen = cfg.frozen_params(&net).map_err(ApiError::bad)?;
        Samples::new(&x, &y, n_inputs, 1).map_err(ApiError::bad)?;
        if n_inputs != net.n_inputs() || net.n_outputs() != 1 {
            return Err(ApiError::bad(format!(
                "arch: the network {} does not fit data with {n_inputs} inputs and 1 target",
                net.arch_string()
            )));
        }
        let progress = Progress {
            optimizer: OptimizerState::new(cfg.optimizer, &net),
            epoch: 0,
            position: 0,
            order: Vec::new(),
            rng: cfg
                .shuffle
                .then(|| Rng::for_purpose(cfg.shuffle_seed, "shuffle")),
            lr: cfg.lr,
            loss_sum: 0.0,
            batch_grads: Gradients::zeros(&net),
            plateau: PlateauState::new(&cfg.schedule, cfg.lr),
            stopper: cfg.early_stopping.map(EarlyStopper::new),
            best: net.clone(),
            status: TrainStatus::Completed,
            history_len: 0,
            edited: false,
            net,
        };
        let net = &progress.net;
        Ok(Stepper {
            trace: Trace::new(net),
            back: Backward::new(net),
            grads: Gradients::zeros(net),
            x,
            y,
            n_inputs,
            test,
            cfg: cfg.clone(),
            frozen,
            progress,
            history: Vec::new(),
        })
    }

    pub fn n_rows(&self) -> usize {
        self.y.len()
    }

    pub fn config(&self) -> &TrainConfig {
        &self.cfg
    }

    /// Rows per batch, as `train` counts them.
    pub fn batch(&self) -> usize {
        self.cfg.batch_size.rows(self.n_rows())
    }

    /// True while steps are allowed (not diverged, not stopped early).
    pub fn running(&self) -> bool {
        self.progress.status == TrainStatus::Completed
    }

    /// The 0-based data row the next sample step will visit.
    pub fn next_row(&self) -> usize {
        let p = &self.progress;
        if p.position == 0 || p.order.is_empty() {
            p.position.min(self.n_rows() - 1)
        } else {
            p.order[p.position]
        }
    }

    /// A copy of the progress for undo; [`Stepper::restore`] puts it back.
    pub fn snapshot(&self) -> Progress {
        let mut p = self.progress.clone();
        p.history_len = self.history.len();
        p
    }

    pub fn restore(&mut self, snapshot: Progress) {
        self.history.truncate(snapshot.history_len);
        self.progress = snapshot;
    }

    /// Advances `count` units; returns the number of sample steps run. Stops early (without
    /// an error) when the run diverges or early stopping ends it.
    pub fn step(&mut self, unit: Unit, count: usize) -> Result<u64, ApiError> {
        if !self.running() {
            return Err(ApiError::conflict(
                "training has ended (diverged or stopped early): reset or undo first",
            ));
        }
        let mut steps = 0;
        for _ in 0..count {
            loop {
                steps += 1;
                let (batch_done, epoch_done) = self.sample_step();
                if !self.running() {
                    return Ok(steps);
                }
                let done = match unit {
                    Unit::Sample => true,
                    Unit::Batch => batch_done,
                    Unit::Epoch => epoch_done,
                };
                if done {
                    break;
                }
            }
        }
        Ok(steps)
    }

    /// One row; returns (the batch ended, the epoch ended).
    fn sample_step(&mut self) -> (bool, bool) {
        let n = self.n_rows();
        let batch = self.batch();
        let cfg = &self.cfg;
        let p = &mut self.progress;
        if p.position == 0 {
            let epoch = p.epoch + 1;
            p.lr = match &p.plateau {
                Some(pl) => pl.lr,
                None => cfg.schedule.lr_at(cfg.lr, epoch),
            };
            if let Some(rng) = p.rng.as_mut() {
                p.order = (0..n).collect();
                rng.shuffle(&mut p.order);
            }
            p.loss_sum = 0.0;
        }
        let k = p.position;
        let start = k - k % batch;
        let end = (start + batch).min(n);
        let single = end - start == 1;
        let r = if p.order.is_empty() { k } else { p.order[k] };
        let (x, y) = (
            &self.x[r * self.n_inputs..(r + 1) * self.n_inputs],
            &self.y[r..r + 1],
        );
        p.net.forward_into(x, &mut self.trace);
        let loss = sample_loss(cfg.loss, self.trace.output(), y);
        if !loss.is_finite() {
            p.status = diverged(&p.net, cfg.lr, p.epoch + 1, k + 1, r + 1);
            return (true, true);
        }
        p.loss_sum += loss;
        p.net
            .backward_into(&self.trace, y, cfg.loss, &mut self.back, &mut self.grads);
        if k == start && !single {
            p.batch_grads.clear();
        }
        if !single {
            p.batch_grads.add_assign(&self.grads);
        }
        p.position += 1;
        let batch_done = p.position == end;
        if batch_done {
            // As `train`: a batch of one uses its gradient as is (bit parity with the
            // course kernel), a larger one the mean.
            let g = if single {
                &mut self.grads
            } else {
                p.batch_grads.scale(1.0 / (end - start) as f64);
                &mut p.batch_grads
            };
            zero_frozen(g, &p.net, &self.frozen);
            p.optimizer.step(&mut p.net, g, p.lr);
            if !all_finite(&p.net) {
                let row = if p.order.is_empty() {
                    end
                } else {
                    p.order[end - 1] + 1
                };
                p.status = diverged(&p.net, cfg.lr, p.epoch + 1, end, row);
                return (true, true);
            }
        }
        let epoch_done = p.position == n;
        if epoch_done {
            self.end_epoch();
        }
        (batch_done, epoch_done)
    }

    /// Records the epoch with its test loss, then lets early stopping and the plateau
    /// schedule see the monitored loss (the test loss when there is a test set).
    fn end_epoch(&mut self) {
        let n = self.n_rows();
        let test_loss = self.test_loss();
        let p = &mut self.progress;
        p.epoch += 1;
        p.position = 0;
        let train_loss = p.loss_sum / n as f64;
        if !train_loss.is_finite() || test_loss.is_some_and(|l| !l.is_finite()) {
            // Every sample loss was finite but a mean overflowed: blame the last sample.
            let row = p.order.last().map_or(n, |r| r + 1);
            p.status = diverged(&p.net, self.cfg.lr, p.epoch, n, row);
            p.epoch -= 1;
            return;
        }
        self.history.push(EpochRecord {
            epoch: p.epoch,
            train_loss,
            test_loss,
            lr: p.lr,
        });
        let monitored = test_loss.unwrap_or(train_loss);
        let epoch = p.epoch;
        if let Some(s) = p.stopper.as_mut() {
            match s.update(epoch, monitored) {
                StopDecision::Improved if s.settings.restore_best => p.best = p.net.clone(),
                StopDecision::Stop => {
                    if s.settings.restore_best {
                        p.net = p.best.clone();
                    }
                    p.status = TrainStatus::StoppedEarly {
                        epoch,
                        best_epoch: s.best_epoch,
                    };
                    return;
                }
                _ => {}
            }
        }
        if let Some(pl) = p.plateau.as_mut() {
            pl.update(monitored);
        }
    }

    /// The mean loss over the test rows with the current parameters, summed in row order.
    pub fn test_loss(&mut self) -> Option<f64> {
        let (tx, ty) = self.test.as_ref()?;
        let mut sum = 0.0;
        for r in 0..ty.len() {
            let x = &tx[r * self.n_inputs..(r + 1) * self.n_inputs];
            self.progress.net.forward_into(x, &mut self.trace);
            sum += sample_loss(self.cfg.loss, self.trace.output(), &ty[r..r + 1]);
        }
        Some(sum / ty.len() as f64)
    }
}

/// Sets the gradient of every frozen parameter to 0, so no optimizer moves it.
fn zero_frozen(g: &mut Gradients, net: &Network, frozen: &[ParamId]) {
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

fn all_finite(net: &Network) -> bool {
    net.params_flat().iter().all(|v| v.is_finite())
}
