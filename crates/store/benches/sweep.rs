//! The store's cost on the issue-4 sweep (10 learning rates × 100 seeds of the course
//! network, 100 rows × 300 epochs): `run_sweep` alone, and `run_sweep_with` a
//! [`SweepWriter`] recording all 1000 runs as they finish, as `nnlab sweep` does. Issue 6
//! asks that the ratio of the two stay at most 1.10. The store file persists across
//! iterations, so it grows as a real one does.
//!
//! `CARGO_TARGET_DIR=/tmp/target-sweep cargo bench -p nnlab-store --bench sweep`
//!
//! On a shared machine the two halves can see different load; `benches/sweep_ab.rs`
//! alternates them round by round and gives the ratio that holds.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};

use nnlab_lab::sweep::{run_sweep, run_sweep_with};
use nnlab_store::SweepWriter;

fn bench(c: &mut Criterion) {
    let spec = common::course_sweep(None);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.sqlite");
    let mut g = c.benchmark_group("sweep_1000_runs");
    g.sample_size(20);
    g.bench_function("no_store", |b| {
        b.iter(|| run_sweep(&spec, None).expect("the sweep runs"))
    });
    g.bench_function("store", |b| {
        b.iter(|| {
            let w = SweepWriter::start(&path, None, "bench", &spec, None).expect("store");
            let r = run_sweep_with(&spec, None, Some(&|runs| w.add(runs))).expect("runs");
            let ids = w.finish().expect("written");
            assert_eq!(ids.len(), r.runs.len());
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
