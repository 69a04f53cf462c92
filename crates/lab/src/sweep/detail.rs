//! Everything known about one finished run of a sweep, for whoever keeps runs (the run
//! store): the parameters before and after, all metrics, the full diagnostics and the
//! history, which [`super::SweepRun`] condenses for `runs.csv`.
//!
//! A detail names its run by grid index and carries no configuration: the run's resolved
//! configuration is `spec.experiment(&spec.point(index))` of the sweep's spec, which is how
//! the sweep built it. (Cloning the configuration and the `runs.csv` record into every
//! detail cost 7 to 9 ms per 1000 runs, about a tenth of the course sweep's training.)
//!
//! Building a detail costs a little per run (the parameters by name, the scaled metrics), so
//! [`super::run_sweep_with`] builds them only when it is given a [`Sink`], and hands them to
//! it one finished chunk at a time, from the worker that trained the chunk. A sink that
//! writes them away as they come keeps every run that finished even if the process dies.

use std::time::SystemTime;

use nnlab_core::NamedValues;
use nnlab_train::{EpochRecord, TrainStatus};

use crate::diagnostics::Diagnostic;
use crate::result::{MetricsBySet, RunResult};
use crate::verdict::Verdict;

/// One finished run of a sweep, with the same numbers `nnlab train` gives for its settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RunDetail {
    /// 0-based position in the whole grid: `spec.experiment(&spec.point(index))` is the
    /// resolved configuration, with which `nnlab train` gives the same bits.
    pub index: usize,
    /// That configuration's (data, init, shuffle) seeds ([`crate::Experiment::seeds`]).
    pub seeds: (u64, u64, u64),
    pub status: TrainStatus,
    pub history: Vec<EpochRecord>,
    pub initial: NamedValues,
    pub final_params: NamedValues,
    pub metrics: MetricsBySet,
    pub verdict: Verdict,
    pub diagnostics: Vec<Diagnostic>,
    /// When the run's training began and ended (for lane runs: its group's).
    pub started: SystemTime,
    pub finished: SystemTime,
}

/// Receives the details of finished runs, a batch at a time, from any worker thread.
pub type Sink<'a> = &'a (dyn Fn(Vec<RunDetail>) + Sync);

impl RunDetail {
    /// The detail of run `index` of the grid, which went through [`crate::run_on`].
    pub fn from_result(
        index: usize,
        r: &RunResult,
        started: SystemTime,
        finished: SystemTime,
    ) -> RunDetail {
        RunDetail {
            index,
            seeds: r.config.seeds(),
            status: r.status.clone(),
            history: r.history.clone(),
            initial: r.initial_params(),
            final_params: r.final_params(),
            metrics: r.metrics.clone(),
            verdict: r.verdict.clone(),
            diagnostics: r.diagnostics.clone(),
            started,
            finished,
        }
    }
}
