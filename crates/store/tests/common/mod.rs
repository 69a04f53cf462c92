//! What more than one test file of the store needs.

// Each test binary compiles this module and uses a part of it.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Mutex;

use nnlab_lab::sweep::{run_sweep_with, RunDetail, SweepSpec};
use nnlab_lab::{RerunReport, RunResult};
use nnlab_store::{StoredRun, SweepWriter};

/// `nnlab runs rerun`: the lab trains the stored configuration again and checks it against
/// the outcome the store recorded.
pub fn rerun(stored: &StoredRun) -> (RerunReport, RunResult) {
    let recorded = stored.recorded().unwrap();
    nnlab_lab::rerun(&stored.config_toml, recorded.as_ref(), &mut |_| {}).unwrap()
}

/// Runs `spec` through a writer started with `stored` (the spec it is told about), its runs
/// tagged `experiment` and `tag`; returns every run's detail as the sink saw it, in grid
/// order.
pub fn record_sweep(
    path: &Path,
    experiment: Option<&str>,
    tag: &str,
    stored: &SweepSpec,
    spec: &SweepSpec,
) -> Vec<RunDetail> {
    let writer = SweepWriter::start(path, experiment, tag, stored, None).unwrap();
    let seen = Mutex::new(Vec::new());
    run_sweep_with(
        spec,
        None,
        Some(&|runs: Vec<RunDetail>| {
            seen.lock().unwrap().extend(runs.iter().cloned());
            writer.add(runs)
        }),
    )
    .unwrap();
    writer.finish().unwrap();
    let mut seen = seen.into_inner().unwrap();
    seen.sort_by_key(|d| d.index);
    seen
}

/// The resolved configuration of the run `d` of `spec`, as the sweep built it.
pub fn config_of(spec: &SweepSpec, d: &RunDetail) -> nnlab_lab::Experiment {
    spec.experiment(&spec.point(d.index)).unwrap()
}

/// The ids of the runs of sweep `tag`, ascending.
pub fn sweep_ids(store: &nnlab_store::Store, tag: &str) -> Vec<i64> {
    let f = nnlab_store::Filter {
        sweep: Some(tag.into()),
        ..nnlab_store::Filter::default()
    };
    let mut ids: Vec<i64> = store.list(&f).unwrap().iter().map(|r| r.id).collect();
    ids.sort();
    ids
}
