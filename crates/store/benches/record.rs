//! The cost of remembering: 1000 default runs (`nnlab_lab::run`, seeds 0..1000) trained
//! alone, and trained then recorded with one `Store::record_many` batch, as a sweep does.
//! The ratio of the two is the store's overhead on a sweep (goal: at most 1.10).
//!
//! `CARGO_TARGET_DIR=/tmp/target-store cargo bench -p nnlab-store --bench record`

use criterion::{criterion_group, criterion_main, Criterion};

use nnlab_lab::{run, Experiment, RunResult};
use nnlab_store::clock::now_rfc3339;
use nnlab_store::{RunRecord, Store};

const RUNS: u64 = 1000;

fn experiments() -> Vec<Experiment> {
    (0..RUNS)
        .map(|seed| Experiment {
            seed,
            ..Experiment::default()
        })
        .collect()
}

fn train_all(exps: &[Experiment]) -> Vec<(String, RunResult)> {
    exps.iter()
        .map(|e| {
            (
                now_rfc3339(),
                run(e, &mut |_| {}).expect("default runs train"),
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let exps = experiments();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("bench.sqlite")).expect("store");
    let mut g = c.benchmark_group("sweep_1000_default_runs");
    g.sample_size(10);
    g.bench_function("train", |b| b.iter(|| train_all(&exps)));
    g.bench_function("train_and_record_many", |b| {
        b.iter(|| {
            let results = train_all(&exps);
            let records: Vec<RunRecord> = results
                .iter()
                .map(|(started, r)| {
                    RunRecord::finished(r, started.clone(), now_rfc3339())
                        .expect("record")
                        .tagged(None, Some("bench"))
                })
                .collect();
            store.record_many(&records).expect("insert")
        })
    });
    let results = train_all(&exps);
    g.bench_function("record_many_only", |b| {
        b.iter(|| {
            let records: Vec<RunRecord> = results
                .iter()
                .map(|(s, r)| RunRecord::finished(r, s.clone(), now_rfc3339()).expect("record"))
                .collect();
            store.record_many(&records).expect("insert")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
