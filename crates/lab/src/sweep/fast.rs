//! The lane path: runs of the course's ReLU 2-2-1 network that `nnlab train` would put on
//! its fast kernel, trained [`LANES`] at a time with [`nnlab_core::lanes::train_lanes`].
//!
//! A run takes this path when its settings are exactly the fast kernel's case with nothing
//! the lanes do not model: squared error, plain SGD, batch size 1, rows in file order, a
//! constant learning rate, no early stopping, nothing frozen, no test split, kernel `auto`.
//!
//! The lanes agree with `nnlab train` on every run that finishes cleanly. They differ only in
//! how a run ends badly: `nnlab train` also stops when a parameter becomes non-finite while
//! the loss is still finite, and when an epoch's mean overflows. So a lane result is kept
//! only when no sample loss was non-finite, every epoch mean is finite and the final
//! parameters are finite; otherwise the run is handed back and goes through
//! [`crate::run_on`], which decides exactly how and where it diverged. (A parameter that
//! turned non-finite mid-run stays non-finite: `inf - x` is `inf` or NaN and NaN stays
//! NaN, so finite final parameters mean finite parameters at every step.)

use std::time::SystemTime;

use rayon::prelude::*;

use nnlab_core::course::{CourseParams, NAMES};
use nnlab_core::lanes::{train_lanes, RunData, LANES};
use nnlab_core::{Loss, NamedValues, Network};
use nnlab_train::{
    compute, predict_all, BatchSize, EpochRecord, Kernel, Optimizer, Samples, Schedule, TrainStatus,
};

use super::detail::{RunDetail, Sink};
use super::engine::SweepData;
use super::record::{Status, SweepRun};
use crate::diagnostics::{diagnose, Depth, Evidence};
use crate::result::{MetricsBySet, SetMetrics};
use crate::verdict::{judge, Judge, JudgedOn, Spread};
use crate::{Experiment, LabError};

/// Runs per parallel task: a few lane groups, so two cores get many tasks to balance.
const CHUNK: usize = 2 * LANES;

/// What the lanes need of one run.
#[derive(Debug, Clone)]
pub(crate) struct FastRun {
    initial: Network,
    params: CourseParams,
    lr: f64,
    epochs: usize,
}

/// The lane plan of a run, or `None` when it must go through [`crate::run_on`].
pub(crate) fn plan(e: &Experiment, data: &SweepData) -> Result<Option<FastRun>, LabError> {
    let t = &e.train;
    let simple = t.kernel == Kernel::Auto
        && t.loss == Loss::SquaredError
        && t.optimizer == Optimizer::Sgd
        && t.batch_size == BatchSize::Rows(1)
        && !t.shuffle
        && t.schedule == Schedule::Constant
        && t.early_stopping.is_none()
        && t.freeze.is_empty()
        && e.data.test_fraction == 0.0;
    let set = &data.prepared.train;
    if !simple || data.prepared.test.is_some() || set.n_inputs() != 2 || set.n_rows() == 0 {
        return Ok(None);
    }
    let initial = e.initial_network()?;
    Ok(CourseParams::from_network(&initial).map(|params| FastRun {
        initial,
        params,
        lr: t.lr,
        epochs: t.epochs,
    }))
}

/// Trains the planned runs `runs` (indices into `plans`) and returns, per run, its record
/// or `None` when it must be rerun through `run_on`. `label(r)` gives the run's grid
/// index and values.
pub(crate) fn run_fast(
    runs: &[usize],
    plans: &[Option<FastRun>],
    experiments: &[Experiment],
    data: &[std::sync::Arc<SweepData>],
    label: impl Fn(usize) -> (usize, Vec<String>) + Sync,
    sink: Option<Sink>,
) -> Result<Vec<(usize, Option<SweepRun>)>, LabError> {
    // Runs with equal epochs go together; grid order within.
    let mut by_epochs: Vec<(usize, Vec<(usize, &FastRun)>)> = Vec::new();
    for &r in runs {
        let Some(p) = &plans[r] else { continue };
        match by_epochs.iter_mut().find(|(e, _)| *e == p.epochs) {
            Some((_, v)) => v.push((r, p)),
            None => by_epochs.push((p.epochs, vec![(r, p)])),
        }
    }
    let chunks: Vec<(usize, &[(usize, &FastRun)])> = by_epochs
        .iter()
        .flat_map(|(e, v)| v.chunks(CHUNK).map(move |c| (*e, c)))
        .collect();
    let out: Vec<Vec<(usize, Option<SweepRun>)>> = chunks
        .par_iter()
        .map(|&(epochs, chunk)| {
            let params: Vec<CourseParams> = chunk.iter().map(|(_, p)| p.params).collect();
            let lrs: Vec<f64> = chunk.iter().map(|(_, p)| p.lr).collect();
            let rd: Vec<RunData> = chunk.iter().map(|&(r, _)| data[r].lane_data()).collect();
            let started = SystemTime::now();
            let results = train_lanes(&params, &lrs, &rd, epochs)?;
            let finished = SystemTime::now();
            let mut details = Vec::new();
            let records = chunk
                .iter()
                .zip(results)
                .map(|(&(r, plan), res)| {
                    let clean = res.diverged_at.is_none()
                        && res.epoch_losses.iter().all(|l| l.is_finite())
                        && res
                            .params
                            .w
                            .iter()
                            .chain(&res.params.b)
                            .all(|v| v.is_finite());
                    let rec = clean.then(|| {
                        let (index, values) = label(r);
                        let run = Finished {
                            e: &experiments[r],
                            plan,
                            data: &data[r],
                            final_p: &res.params,
                        };
                        let (rec, detail) =
                            run.record(index, values, res.epoch_losses, sink.is_some());
                        if let Some(d) = detail {
                            details.push(RunDetail {
                                started,
                                finished,
                                ..d
                            });
                        }
                        rec
                    });
                    (r, rec)
                })
                .collect();
            if let Some(sink) = sink.filter(|_| !details.is_empty()) {
                sink(details);
            }
            Ok(records)
        })
        .collect::<Result<_, LabError>>()?;
    Ok(out.into_iter().flatten().collect())
}

/// A run the lanes finished cleanly, with what its record is made of.
struct Finished<'a> {
    e: &'a Experiment,
    plan: &'a FastRun,
    data: &'a SweepData,
    final_p: &'a CourseParams,
}

impl Finished<'_> {
    /// The record `run_on` would give for this run (the same network, predictions, metrics
    /// and diagnostics code), and with `detail` also what the run store keeps of it (its
    /// times are set by the caller).
    fn record(
        &self,
        index: usize,
        values: Vec<String>,
        epoch_loss: Vec<f64>,
        detail: bool,
    ) -> (SweepRun, Option<RunDetail>) {
        let (set, scaler) = (&self.data.prepared.train, &self.data.prepared.scaler);
        let plan = self.plan;
        let mut final_net = plan.initial.clone();
        for (&(_, id), &v) in NAMES
            .iter()
            .zip(self.final_p.w.iter().chain(&self.final_p.b))
        {
            final_net.set(id, v);
        }
        let samples = Samples {
            x: &set.x,
            y: &set.y,
            n_inputs: set.n_inputs(),
            n_outputs: 1,
        };
        let pred = predict_all(&final_net, &samples);
        let pred_orig: Vec<f64> = pred.iter().map(|&p| scaler.inverse_target(p)).collect();
        let y_orig: Vec<f64> = set.y.iter().map(|&y| scaler.inverse_target(y)).collect();
        let metrics = compute(&pred_orig, &y_orig);
        let history: Vec<EpochRecord> = epoch_loss
            .iter()
            .enumerate()
            .map(|(i, &l)| EpochRecord {
                epoch: i + 1,
                train_loss: l,
                test_loss: None,
                lr: plan.lr,
            })
            .collect();
        // The kinds do not depend on the per-epoch snapshots or on `Depth::Full`'s replay
        // and curvature estimate (only a dead ReLU's moment and an overshoot's safe rate
        // do), so none are kept and the diagnosis stays at `Depth::Kinds`: a lane run's
        // dead-ReLU diagnostic, in the run store too, does not say when it died.
        // (Rerunning those runs through `run_on` for it made a 1000-run sweep with many
        // dead ReLUs 3x slower.)
        // A lane run has no test set: the training rows judge it.
        let verdict = judge(&Judge {
            status: &TrainStatus::Completed,
            train_loss: &epoch_loss,
            judged_on: JudgedOn::Train,
            r2: metrics.r2,
            spread: Spread::of(&pred, &set.y),
            linear_r2: self.data.prepared.linear_r2,
            accuracy: None,
        });
        let diagnostics = diagnose(&Evidence {
            initial: &plan.initial,
            final_net: &final_net,
            history: &history,
            status: &TrainStatus::Completed,
            verdict: Some(&verdict),
            train: samples,
            test: None,
            cfg: &self.e.train,
            snapshots: &[],
            depth: Depth::Kinds,
        });
        let record = SweepRun {
            index,
            values,
            status: Status::Completed,
            outcome: verdict.outcome,
            diverged_epoch: None,
            epochs_run: epoch_loss.len(),
            train_loss: epoch_loss.last().copied().unwrap_or(f64::NAN),
            test_loss: None,
            train_r2: metrics.r2,
            test_r2: None,
            train_mape: metrics.mape,
            test_mape: None,
            train_accuracy: None,
            test_accuracy: None,
            diagnostics: diagnostics.iter().map(|d| d.kind).collect(),
            epoch_loss,
            test_epoch_loss: None,
        };
        let detail = detail.then(|| RunDetail {
            index,
            seeds: self.e.seeds(),
            status: TrainStatus::Completed,
            history,
            initial: NamedValues::of(&plan.initial),
            final_params: NamedValues::of(&final_net),
            metrics: MetricsBySet {
                train: SetMetrics {
                    scaled: compute(&pred, &set.y),
                    original: metrics,
                    classification: None,
                },
                test: None,
            },
            verdict,
            diagnostics,
            started: SystemTime::UNIX_EPOCH,
            finished: SystemTime::UNIX_EPOCH,
        });
        (record, detail)
    }
}
