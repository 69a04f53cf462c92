//! Running a grid: build every run's experiment, prepare each distinct data set once, advance
//! the course-kernel runs together in lanes ([`super::fast`]) and every other run through
//! [`crate::run_on`], all in parallel with rayon.
//!
//! Each run's record is the same, to the bit, as the record of `nnlab train` with the same
//! settings ([`SweepRun::from_result`] of [`crate::run`]); which path a run took, and how
//! many threads ran, changes nothing (tested in `tests/sweep_parity.rs`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use nnlab_core::lanes::RunData;

use super::detail::{RunDetail, Sink};
use super::fast;
use super::grid::{shard_indices, Shard, SweepSpec};
use super::record::SweepRun;
use crate::prepare::same_rows;
use crate::{load_data, run_on, Experiment, LabError, Prepared};

/// The records of a sweep (or of one shard), in grid order.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepResult {
    pub spec: SweepSpec,
    pub shard: Option<Shard>,
    pub runs: Vec<SweepRun>,
    /// How many runs the lanes gave (the rest ran through `run_on`; 0 for merged shards).
    pub lane_runs: usize,
}

/// One distinct data set, prepared once for all its runs (without the rows in original
/// units: a sweep keeps no per-row predictions), and the scaled columns `x1`, `x2` the
/// lane kernel reads when there are two inputs and no test split.
pub(crate) struct SweepData {
    pub prepared: Prepared,
    columns: Option<(Vec<f64>, Vec<f64>)>,
}

impl SweepData {
    /// The scaled rows as the lane kernel reads them (empty without two scaled inputs).
    pub fn lane_data(&self) -> RunData<'_> {
        match &self.columns {
            Some((x1, x2)) => RunData {
                x1,
                x2,
                y: &self.prepared.train.y,
            },
            None => RunData {
                x1: &[],
                x2: &[],
                y: &[],
            },
        }
    }
}

/// Each run's data set, as the index of the first run with the same data: runs whose data
/// settings (and loss, as far as the targets depend on it: [`same_rows`]) and data seed are
/// equal load identical rows, so the rows are loaded once per
/// distinct pair. (Compared with `==` after bucketing by seed: a string key per run, as
/// this once was, cost more than the comparison. A NaN in a data setting only makes its
/// runs load their rows separately.)
fn first_uses(experiments: &[Experiment]) -> Vec<usize> {
    let mut by_seed: HashMap<u64, Vec<usize>> = HashMap::new();
    experiments
        .iter()
        .enumerate()
        .map(|(r, e)| {
            let firsts = by_seed.entry(e.seeds().0).or_default();
            match firsts.iter().find(|&&f| same_rows(&experiments[f], e)) {
                Some(&f) => f,
                None => {
                    firsts.push(r);
                    r
                }
            }
        })
        .collect()
}

/// The data of `e` through the run pipeline's prepare stage, so every path (lanes or
/// `run_on`) sees exactly the rows `nnlab train` sees.
fn prepare(e: &Experiment) -> Result<SweepData, LabError> {
    let prepared = Prepared::from_loaded(e, load_data(e)?, false)?;
    let set = &prepared.train;
    let columns = (prepared.test.is_none() && set.n_inputs() == 2)
        .then(|| (set.input_column(0), set.input_column(1)));
    Ok(SweepData { prepared, columns })
}

/// Runs the whole grid, or the runs of `shard`.
///
/// Errors before any training for a bad spec, a data set that cannot be loaded, or an
/// experiment that cannot be built; a run that diverges is a record, not an error.
pub fn run_sweep(spec: &SweepSpec, shard: Option<Shard>) -> Result<SweepResult, LabError> {
    run_sweep_with(spec, shard, None)
}

/// [`run_sweep`], handing every finished run's [`RunDetail`] to `sink` as it finishes (a
/// chunk of lane runs at a time, or one run), from the worker that ran it. Without a sink
/// no details are built. The records are the same either way.
pub fn run_sweep_with(
    spec: &SweepSpec,
    shard: Option<Shard>,
    sink: Option<Sink>,
) -> Result<SweepResult, LabError> {
    spec.validate()?;
    let indices = shard_indices(spec.n_runs(), shard);
    let experiments: Vec<Experiment> = indices
        .par_iter()
        .map(|&i| spec.experiment(&spec.point(i)))
        .collect::<Result<_, _>>()?;

    // Distinct data sets, in first-use order, loaded in parallel.
    let key_of_run = first_uses(&experiments);
    let distinct: Vec<usize> = (0..experiments.len())
        .filter(|&r| key_of_run[r] == r)
        .collect();
    let prepared: Vec<(usize, Arc<SweepData>)> = distinct
        .par_iter()
        .map(|&r| prepare(&experiments[r]).map(|p| (r, Arc::new(p))))
        .collect::<Result<_, _>>()?;
    let by_first: HashMap<usize, Arc<SweepData>> = prepared.into_iter().collect();
    let data: Vec<Arc<SweepData>> = key_of_run
        .iter()
        .map(|k| Arc::clone(&by_first[k]))
        .collect();

    // Fast runs go through the lanes; the rest, and any fast run whose lane result is not
    // certainly what `nnlab train` gives, through `run_on`.
    let plans: Vec<Option<fast::FastRun>> = experiments
        .par_iter()
        .zip(&data)
        .map(|(e, d)| fast::plan(e, d))
        .collect::<Result<_, _>>()?;
    let fast_runs: Vec<usize> = (0..experiments.len())
        .filter(|&r| plans[r].is_some())
        .collect();
    let mut records: Vec<Option<SweepRun>> = vec![None; experiments.len()];
    let mut lane_runs = 0;
    let label = |r: usize| (indices[r], spec.point(indices[r]).values);
    for (r, rec) in fast::run_fast(&fast_runs, &plans, &experiments, &data, label, sink)? {
        lane_runs += usize::from(rec.is_some());
        records[r] = rec;
    }
    let slow: Vec<usize> = (0..experiments.len())
        .filter(|&r| records[r].is_none())
        .collect();
    let slow_records: Vec<(usize, SweepRun)> = slow
        .par_iter()
        .map(|&r| {
            let started = SystemTime::now();
            let result = run_on(&experiments[r], &data[r].prepared, &mut |_| {})?;
            let i = indices[r];
            let record = SweepRun::from_result(i, spec.point(i).values, &result);
            if let Some(sink) = sink {
                let finished = SystemTime::now();
                sink(vec![RunDetail::from_result(i, &result, started, finished)]);
            }
            Ok((r, record))
        })
        .collect::<Result<_, LabError>>()?;
    for (r, rec) in slow_records {
        records[r] = Some(rec);
    }
    Ok(SweepResult {
        spec: spec.clone(),
        shard,
        runs: records.into_iter().flatten().collect(),
        lane_runs,
    })
}
