//! Everything known about one finished run of a sweep, for whoever keeps runs (the run
//! store): what [`super::SweepRun`] condenses for `runs.csv`, plus the resolved
//! configuration, the parameters before and after, all metrics and the full diagnostics.
//!
//! Building a detail costs a little per run (the parameters by name, the scaled metrics), so
//! [`super::run_sweep_with`] builds them only when it is given a [`Sink`], and hands them to
//! it one finished chunk at a time, from the worker that trained the chunk. A sink that
//! writes them away as they come keeps every run that finished even if the process dies.

use std::time::SystemTime;

use nnlab_core::NamedValues;
use nnlab_train::{EpochRecord, TrainStatus};

use super::record::SweepRun;
use crate::diagnostics::Diagnostic;
use crate::result::{MetricsBySet, RunResult};
use crate::verdict::Verdict;
use crate::Experiment;

/// One finished run of a sweep, with the same numbers `nnlab train` gives for its settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RunDetail {
    /// The row of `runs.csv` (grid index, varied values, final numbers, loss curve).
    pub record: SweepRun,
    /// The resolved configuration: `nnlab train` with it gives the same bits.
    pub config: Experiment,
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
    /// The detail of a run that went through [`crate::run_on`].
    pub fn from_result(
        record: SweepRun,
        r: &RunResult,
        started: SystemTime,
        finished: SystemTime,
    ) -> RunDetail {
        RunDetail {
            record,
            config: r.config.clone(),
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
