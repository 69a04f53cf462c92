//! One resumable trainer: [`Trainer`] owns the network, the optimizer state, the schedule
//! and plateau state, early stopping, the shuffle stream, the position inside the epoch, the
//! running epoch loss, the batch's accumulated gradient, the history and the status, and is
//! stepped by sample, batch or epoch. [`train`](crate::train) is a loop over it.
//!
//! Every step runs on the same canonical state (network and optimizer state), so the units
//! mix freely:
//! - a sample or batch step, and a whole epoch on the general path, run the per-sample code
//!   of [`crate::state`];
//! - a whole epoch that starts at the epoch's first row runs on the engine `train` chooses
//!   ([`Kernel::Auto`](crate::Kernel::Auto)'s rules): a course kernel (the same bits as the
//!   per-sample code) or the batched engine, which agrees with the per-sample code only to
//!   rounding. On the batched engine, stepping an epoch sample by sample and stepping it
//!   whole can therefore differ in the last digits; everywhere else every mix of units
//!   gives `train`'s bits.
//!
//! The trainer borrows no data: each call takes the training rows (and the test rows), which
//! must have the shape the trainer was made with (checked; their values are validated once,
//! by [`Trainer::new`]).
//!
//! ```
//! use nnlab_core::course;
//! use nnlab_train::{train, Samples, TrainConfig, Trainer, Unit};
//!
//! let x = [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0];
//! let y = [0.0, 1.0, 1.0, 2.0];
//! let data = Samples::new(&x, &y, 2, 1).unwrap();
//! let start = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! let cfg = TrainConfig { epochs: 3, batch_size: "2".parse().unwrap(), ..TrainConfig::default() };
//! let mut t = Trainer::new(start.clone(), &cfg, &data, None).unwrap();
//! t.step(&data, None, Unit::Sample, 3, &mut |_| {}).unwrap(); // batch 1, then half of batch 2
//! let undo = t.snapshot();
//! t.step(&data, None, Unit::Batch, 1, &mut |_| {}).unwrap();  // finishes epoch 1
//! assert_eq!((t.epoch(), t.position()), (1, 0));
//! t.restore(undo);
//! assert_eq!((t.epoch(), t.position()), (0, 3));
//! t.step(&data, None, Unit::Epoch, 3, &mut |_| {}).unwrap();  // the rest of epoch 1, then 2, 3
//! let mut net = start.clone();
//! let out = train(&mut net, &data, None, &cfg, &mut |_| {}).unwrap();
//! assert_eq!(t.network(), &net);
//! assert_eq!(t.history(), out.history.as_slice());
//! ```

use nnlab_core::course::CourseParams;
use nnlab_core::{Network, ParamId};
use serde::{Deserialize, Serialize};

use crate::batched::BatchedEngine;
use crate::engine::{Engine, EngineKind, EpochRun};
use crate::fast::FastEngine;
use crate::fast_batch::FastBatchEngine;
use crate::general;
use crate::state::{diverged, Sample, Scratch, Setup, State};
use crate::{EpochRecord, Event, Samples, TrainConfig, TrainError, TrainStatus};

/// How far one step goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// One row's forward and backward pass (the update happens when its batch is complete).
    Sample,
    /// To the end of the current batch: one optimizer update.
    Batch,
    /// To the end of the current epoch.
    Epoch,
}

/// The resumable trainer (see the module doc).
#[derive(Debug, Clone)]
pub struct Trainer {
    pub(crate) setup: Setup,
    pub(crate) initial: Network,
    pub(crate) state: State,
    pub(crate) history: Vec<EpochRecord>,
    scratch: Scratch,
    /// Rows of the training and (when there is one) the test set, as checked by `new`.
    shape: Shape,
}

/// Everything undo needs to put a [`Trainer`] back where it was: the state without the
/// scratch buffers and without the history records (only their count, since the history
/// only grows). Restore snapshots in stack order (the newest first), as an undo stack does.
#[derive(Debug, Clone)]
pub struct Snapshot {
    state: State,
    history_len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Shape {
    n_inputs: usize,
    n_outputs: usize,
    train_rows: usize,
    test_rows: Option<usize>,
}

impl Trainer {
    /// A trainer at epoch 0 for `net` with `cfg`, on `train` (and `test`).
    ///
    /// Errors on an invalid config, unusable samples or samples whose widths differ from
    /// the network's.
    pub fn new(
        net: Network,
        cfg: &TrainConfig,
        train: &Samples,
        test: Option<&Samples>,
    ) -> Result<Trainer, TrainError> {
        let frozen = cfg.frozen_params(&net)?;
        train.check_for("train", net.n_inputs(), net.n_outputs())?;
        if let Some(t) = test {
            t.check_for("test", net.n_inputs(), net.n_outputs())?;
        }
        let n = train.n_rows();
        let batch = cfg.batch_size.rows(n);
        let engine = EngineKind::choose(cfg, &net, batch, n, frozen.is_empty());
        Ok(Trainer {
            setup: Setup {
                cfg: cfg.clone(),
                frozen,
                batch,
                n,
                engine,
            },
            scratch: Scratch::new(&net),
            state: State::new(net.clone(), cfg),
            initial: net,
            history: Vec::with_capacity(cfg.epochs.min(1 << 16)),
            shape: Shape {
                n_inputs: train.n_inputs,
                n_outputs: train.n_outputs,
                train_rows: n,
                test_rows: test.map(|t| t.n_rows()),
            },
        })
    }

    /// Advances `count` units (see [`Unit`]) on `train` (and `test`, evaluated after every
    /// epoch), streaming each epoch's events to `on_event`; returns the sample steps run.
    /// Stops early, without an error, when the run diverges or early stopping ends it; once
    /// it has ended, a step does nothing. Errors when the sets' shapes are not those the
    /// trainer was made with.
    pub fn step(
        &mut self,
        train: &Samples,
        test: Option<&Samples>,
        unit: Unit,
        count: usize,
        on_event: &mut dyn FnMut(&Event),
    ) -> Result<u64, TrainError> {
        self.check(train, test)?;
        let before = self.state.sample_steps;
        let mut done = 0;
        while done < count && self.is_running() {
            if unit == Unit::Epoch
                && self.state.position == 0
                && self.setup.engine != EngineKind::General
            {
                self.engine_epochs(train, test, count - done, on_event);
                break;
            }
            loop {
                let (batch_done, epoch_done) = self.sample_step(train, test, on_event);
                let finished = match unit {
                    Unit::Sample => true,
                    Unit::Batch => batch_done,
                    Unit::Epoch => epoch_done,
                };
                if finished || !self.is_running() {
                    break;
                }
            }
            done += 1;
        }
        Ok(self.state.sample_steps - before)
    }

    /// One sample on the general path; returns (its batch ended, its epoch ended).
    fn sample_step(
        &mut self,
        train: &Samples,
        test: Option<&Samples>,
        on_event: &mut dyn FnMut(&Event),
    ) -> (bool, bool) {
        if self.state.position == 0 {
            self.state.begin_epoch(&self.setup, on_event);
        }
        match self.state.sample(&self.setup, train, &mut self.scratch) {
            Sample::Diverged { .. } => (true, true),
            Sample::Done { batch_done, .. } => {
                let epoch_done = self.state.position == self.setup.n;
                if epoch_done {
                    let cfg = &self.setup.cfg;
                    let test_loss = test.map(|t| {
                        general::test_loss(&self.state.net, t, cfg, &mut self.scratch.trace)
                    });
                    let loss_sum = self.state.loss_sum;
                    self.state.end_epoch(
                        &self.setup,
                        &mut self.history,
                        loss_sum,
                        test_loss,
                        on_event,
                    );
                }
                (batch_done, epoch_done)
            }
        }
    }

    /// Up to `count` whole epochs from the epoch's first row on the chosen engine, made
    /// from the canonical state and writing it back after every epoch.
    fn engine_epochs(
        &mut self,
        train: &Samples,
        test: Option<&Samples>,
        count: usize,
        on_event: &mut dyn FnMut(&Event),
    ) {
        let course = CourseParams::from_network(&self.state.net);
        match (self.setup.engine, course) {
            (EngineKind::Course, Some(p)) => {
                self.state.course_kernel = true;
                self.epochs_on(&mut FastEngine::new(p, train), test, count, on_event);
            }
            (EngineKind::CourseFullBatch, Some(p)) => {
                self.state.course_kernel = true;
                self.epochs_on(&mut FastBatchEngine::new(p, train), test, count, on_event);
            }
            (EngineKind::Batched, _) => {
                let s = &self.setup;
                let mut engine = BatchedEngine::new(
                    &self.state.net,
                    self.state.optimizer.clone(),
                    *train,
                    &s.cfg,
                    s.batch,
                    s.frozen.clone(),
                );
                self.epochs_on(&mut engine, test, count, on_event);
            }
            // The general path, or a course kernel whose network no longer has the
            // course's shape (which `new` already ruled out).
            _ => {
                for _ in 0..count {
                    if !self.is_running() {
                        break;
                    }
                    while self.is_running() && !self.sample_step(train, test, on_event).1 {}
                }
            }
        }
    }

    fn epochs_on<E: Engine>(
        &mut self,
        engine: &mut E,
        test: Option<&Samples>,
        count: usize,
        on_event: &mut dyn FnMut(&Event),
    ) {
        let s = &self.setup;
        for _ in 0..count {
            if !self.is_running() {
                break;
            }
            let st = &mut self.state;
            st.begin_epoch(s, on_event);
            let order = s.cfg.shuffle.then_some(st.order.as_slice());
            match engine.run_epoch(order, st.lr) {
                EpochRun::Done { loss_sum } => {
                    st.sample_steps += s.n as u64;
                    let test_loss = test.map(|t| engine.test_loss(t));
                    engine.write_back(&mut st.net, &mut st.optimizer);
                    st.end_epoch(s, &mut self.history, loss_sum, test_loss, on_event);
                }
                EpochRun::Diverged(d) => {
                    st.sample_steps += d.steps;
                    st.position = d.steps as usize;
                    engine.write_back(&mut st.net, &mut st.optimizer);
                    st.status = diverged(&st.net, s.cfg.lr, st.epoch + 1, d.sample, d.row);
                }
            }
        }
    }

    fn check(&self, train: &Samples, test: Option<&Samples>) -> Result<(), TrainError> {
        self.check_shape(train, test.map(|t| t.n_rows()))
    }

    /// Checks only the training rows (for calls that read no test set).
    pub(crate) fn check_train(&self, train: &Samples) -> Result<(), TrainError> {
        self.check_shape(train, self.shape.test_rows)
    }

    fn check_shape(&self, train: &Samples, test_rows: Option<usize>) -> Result<(), TrainError> {
        let got = Shape {
            n_inputs: train.n_inputs,
            n_outputs: train.n_outputs,
            train_rows: train.n_rows(),
            test_rows,
        };
        if got == self.shape {
            Ok(())
        } else {
            Err(TrainError::OtherSamples {
                expected: self.shape.describe(),
                got: got.describe(),
            })
        }
    }

    /// The network as it stands.
    pub fn network(&self) -> &Network {
        &self.state.net
    }

    /// The network the trainer started from.
    pub fn initial(&self) -> &Network {
        &self.initial
    }

    pub fn config(&self) -> &TrainConfig {
        &self.setup.cfg
    }

    /// Completed epochs.
    pub fn epoch(&self) -> usize {
        self.state.epoch
    }

    /// Rows of the current epoch already processed (`0..n_rows`).
    pub fn position(&self) -> usize {
        self.state.position
    }

    /// Training rows per epoch.
    pub fn n_rows(&self) -> usize {
        self.setup.n
    }

    /// Rows per optimizer update.
    pub fn batch_rows(&self) -> usize {
        self.setup.batch
    }

    /// One record per completed epoch.
    pub fn history(&self) -> &[EpochRecord] {
        &self.history
    }

    /// `Completed` while steps are allowed, else how the run ended.
    pub fn status(&self) -> &TrainStatus {
        &self.state.status
    }

    /// True while steps are allowed (not diverged, not stopped early).
    pub fn is_running(&self) -> bool {
        self.state.status == TrainStatus::Completed
    }

    /// Samples whose forward and backward pass ran.
    pub fn sample_steps(&self) -> u64 {
        self.state.sample_steps
    }

    /// The learning rate of the current epoch, or of the next one at an epoch's start.
    pub fn lr(&self) -> f64 {
        if self.state.position == 0 {
            self.state.next_lr(&self.setup.cfg)
        } else {
            self.state.lr
        }
    }

    /// The 0-based data row the next sample step visits (at an epoch's start, the first of
    /// the order the shuffle stream will draw for it).
    pub fn next_row(&self) -> usize {
        if self.state.position > 0 || !self.setup.cfg.shuffle {
            return self.state.row_at(self.state.position);
        }
        let mut st = self.state.clone();
        st.begin_epoch(&self.setup, &mut |_| {});
        st.row_at(0)
    }

    /// A copy of the state for undo; [`Trainer::restore`] puts it back.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            state: self.state.clone(),
            history_len: self.history.len(),
        }
    }

    /// Puts a [`Trainer::snapshot`] of this trainer back.
    pub fn restore(&mut self, snapshot: Snapshot) {
        self.history.truncate(snapshot.history_len);
        self.state = snapshot.state;
    }

    /// Sets one parameter by hand (the optimizer state, position and history stay).
    pub fn set_param(&mut self, id: ParamId, value: f64) {
        self.state.net.set(id, value);
    }

    /// Takes `history` as the epochs already run, so the epoch count (and a schedule) goes
    /// on after it: a run resumed from saved parameters without the optimizer state.
    pub fn resume_after(&mut self, history: Vec<EpochRecord>) {
        self.state.epoch = history.len();
        self.history = history;
    }
}

impl Shape {
    fn describe(&self) -> String {
        let test = self
            .test_rows
            .map_or("no test set".to_string(), |n| format!("{n} test rows"));
        format!(
            "{} training rows of {} inputs and {} outputs, {test}",
            self.train_rows, self.n_inputs, self.n_outputs
        )
    }
}
