//! Nanoseconds per sample per epoch of full-batch gradient descent on the course network:
//! the fast full-batch kernel (`fast_batch.rs`) against the general path it matches bit for
//! bit. Issue 7's goal: at most 3 ns per sample per epoch on 100,000 rows.
//!
//! Run: `cargo bench -p nnlab-train --bench full_batch -- --warm-up-time 1 --measurement-time 5`.
//! Each iteration is one whole `train` call of 100,000 rows × 100 epochs at lr 0.5 (the
//! comparison's (b) settings, setup included), so criterion's throughput line reads in
//! sample-steps per second (time / 10,000,000 = ns per sample per epoch).

mod common;

use common::run;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nnlab_core::course;
use nnlab_train::{BatchSize, Kernel, Samples, TrainConfig};

const ROWS: usize = 100_000;
const EPOCHS: usize = 100;

fn bench(c: &mut Criterion) {
    let (x, y) = common::course_data(ROWS);
    let data = Samples::new(&x, &y, 2, 1).expect("valid data");
    let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
    let fast = TrainConfig {
        epochs: EPOCHS,
        lr: 0.5,
        batch_size: BatchSize::Full,
        ..TrainConfig::default()
    };
    let general = TrainConfig {
        kernel: Kernel::General,
        ..fast.clone()
    };
    let mut g = c.benchmark_group("full_batch_course_100000x100");
    g.throughput(Throughput::Elements((ROWS * EPOCHS) as u64));
    // The general path takes about 0.3 s per iteration: ten samples are enough.
    g.sample_size(10);
    g.bench_function("fast", |b| b.iter(|| run(&net, &data, &fast)));
    g.bench_function("general", |b| b.iter(|| run(&net, &data, &general)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
