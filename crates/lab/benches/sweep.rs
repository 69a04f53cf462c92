//! The issue-4 speed goal: 10 learning rates × 100 seeds of the course network, 100 rows ×
//! 300 epochs each (3·10^7 sample-steps), through `run_sweep`: experiments, data for 100
//! seeds, the lanes and the records. Goal: at most 40 ms on 2 cores.
//!
//! `CARGO_TARGET_DIR=/tmp/target-sweep cargo bench -p nnlab-lab --bench sweep`

use criterion::{criterion_group, criterion_main, Criterion};
use nnlab_lab::sweep::{run_sweep, SweepSpec};
use nnlab_lab::Experiment;

fn lr_by_seed(c: &mut Criterion) {
    let spec = SweepSpec::parse(
        Experiment::default(),
        &[
            "lr=0.0005,0.001,0.002,0.005,0.01,0.02,0.05,0.1,0.2,0.5".into(),
            "seed=0..100".into(),
        ],
    )
    .expect("a valid sweep");
    let mut g = c.benchmark_group("sweep");
    g.sample_size(20);
    g.bench_function("10_lr_x_100_seeds_100_rows_300_epochs", |b| {
        b.iter(|| run_sweep(&spec, None).expect("the sweep runs"))
    });
    g.finish();
}

criterion_group!(benches, lr_by_seed);
criterion_main!(benches);
