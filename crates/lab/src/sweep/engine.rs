//! Running a grid: build every run's experiment, load each distinct data set once, advance
//! the course-kernel runs together in lanes ([`super::fast`]) and every other run through
//! [`crate::run_on`], all in parallel with rayon.
//!
//! Each run's record is the same, to the bit, as the record of `nnlab train` with the same
//! settings ([`RunRecord::from_result`] of [`crate::run`]); which path a run took, and how
//! many threads ran, changes nothing (tested in `tests/sweep_parity.rs`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use nnlab_core::lanes::RunData;
use nnlab_data::{split, Dataset, LoadReport, Scaler};

use super::detail::{RunDetail, Sink};
use super::fast;
use super::grid::{shard_indices, Shard, SweepSpec};
use super::record::RunRecord;
use crate::{load_data, run_on, Experiment, LabError, LoadedData};

/// The records of a sweep (or of one shard), in grid order.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepResult {
    pub spec: SweepSpec,
    pub shard: Option<Shard>,
    pub runs: Vec<RunRecord>,
    /// How many runs the lanes gave (the rest ran through `run_on`; 0 for merged shards).
    pub lane_runs: usize,
}

/// One distinct data set: the rows as loaded, and (for runs with no test split) the
/// scaled training rows the lane kernel needs.
pub(crate) struct Prepared {
    pub all: Dataset,
    pub report: LoadReport,
    /// `(scaled train set, scaler)` when the data has no test split.
    pub scaled: Option<(Dataset, Scaler)>,
    /// The scaled columns `x1`, `x2` when `scaled` has two inputs (the lanes' layout).
    columns: Option<(Vec<f64>, Vec<f64>)>,
}

impl Prepared {
    /// The scaled rows as the lane kernel reads them (empty without two scaled inputs).
    pub fn lane_data(&self) -> RunData<'_> {
        match (&self.scaled, &self.columns) {
            (Some((set, _)), Some((x1, x2))) => RunData { x1, x2, y: &set.y },
            _ => RunData {
                x1: &[],
                x2: &[],
                y: &[],
            },
        }
    }
}

/// Each run's data set, as the index of the first run with the same data: runs whose data
/// settings and data seed are equal load identical rows, so the rows are loaded once per
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
            match firsts.iter().find(|&&f| experiments[f].data == e.data) {
                Some(&f) => f,
                None => {
                    firsts.push(r);
                    r
                }
            }
        })
        .collect()
}

fn prepare(e: &Experiment) -> Result<Prepared, LabError> {
    let LoadedData { all, report } = load_data(e)?;
    let scaled = if e.data.test_fraction == 0.0 {
        // The same calls as `run_on`, so the lanes see exactly the rows `nnlab train` sees.
        let (train_raw, _) = split(&all, 0.0, e.seeds().0)?;
        let scaler = Scaler::fit(&train_raw, e.data.scale)?;
        Some((scaler.transform(&train_raw)?, scaler))
    } else {
        None
    };
    let columns = scaled
        .as_ref()
        .filter(|(set, _)| set.n_inputs() == 2)
        .map(|(set, _)| (set.input_column(0), set.input_column(1)));
    Ok(Prepared {
        all,
        report,
        scaled,
        columns,
    })
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
    let prepared: Vec<(usize, Arc<Prepared>)> = distinct
        .par_iter()
        .map(|&r| prepare(&experiments[r]).map(|p| (r, Arc::new(p))))
        .collect::<Result<_, _>>()?;
    let by_first: HashMap<usize, Arc<Prepared>> = prepared.into_iter().collect();
    let data: Vec<Arc<Prepared>> = key_of_run
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
    let mut records: Vec<Option<RunRecord>> = vec![None; experiments.len()];
    let mut lane_runs = 0;
    let label = |r: usize| (indices[r], spec.point(indices[r]).values);
    for (r, rec) in fast::run_fast(&fast_runs, &plans, &experiments, &data, label, sink)? {
        lane_runs += usize::from(rec.is_some());
        records[r] = rec;
    }
    let slow: Vec<usize> = (0..experiments.len())
        .filter(|&r| records[r].is_none())
        .collect();
    let slow_records: Vec<(usize, RunRecord)> = slow
        .par_iter()
        .map(|&r| {
            let d = &data[r];
            let loaded = LoadedData {
                all: d.all.clone(),
                report: d.report.clone(),
            };
            let started = SystemTime::now();
            let result = run_on(&experiments[r], loaded, &mut |_| {})?;
            let i = indices[r];
            let record = RunRecord::from_result(i, spec.point(i).values, &result);
            if let Some(sink) = sink {
                let finished = SystemTime::now();
                sink(vec![RunDetail::from_result(
                    record.clone(),
                    &result,
                    started,
                    finished,
                )]);
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
