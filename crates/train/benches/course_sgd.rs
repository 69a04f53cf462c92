//! Nanoseconds per sample-step: the course network's per-sample SGD through `train`, on the
//! fast kernel and on the general path, and an 8-16-1 network on the general path.
//!
//! Run: `cargo bench -p nnlab-train --bench course_sgd -- --warm-up-time 1 --measurement-time 3`.
//! Each iteration is one whole run of 100 rows × 300 epochs = 30,000 sample-steps, so
//! criterion's throughput line reads in sample-steps per second (time / 30,000 = ns per step).

mod common;

use common::run;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nnlab_core::rng::Rng;
use nnlab_core::{course, Activation, Network};
use nnlab_train::{Kernel, Samples, TrainConfig};

const ROWS: usize = 100;
const EPOCHS: usize = 300;

fn bench(c: &mut Criterion) {
    let (x, y) = common::course_data(ROWS);
    let data = Samples::new(&x, &y, 2, 1).expect("valid data");
    let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
    let fast = TrainConfig::default();
    let general = TrainConfig {
        kernel: Kernel::General,
        ..TrainConfig::default()
    };

    let mut g = c.benchmark_group("course_2-2-1_100x300");
    g.throughput(Throughput::Elements((ROWS * EPOCHS) as u64));
    g.bench_function("fast", |b| b.iter(|| run(&net, &data, &fast)));
    g.bench_function("general", |b| b.iter(|| run(&net, &data, &general)));
    g.finish();

    let mut rng = Rng::new(2);
    let x8: Vec<f64> = (0..ROWS * 8).map(|_| rng.uniform()).collect();
    let y8: Vec<f64> = (0..ROWS)
        .map(|r| x8[r * 8..r * 8 + 8].iter().sum::<f64>() / 8.0)
        .collect();
    let data8 = Samples::new(&x8, &y8, 8, 1).expect("valid data");
    let mut net8 = Network::zeros(&[8, 16, 1], &[Activation::Relu, Activation::Identity])
        .expect("valid shape");
    let params: Vec<f64> = (0..net8.n_params())
        .map(|_| rng.uniform_range(-0.3, 0.3))
        .collect();
    net8.set_params_flat(&params).expect("right count");
    let mut g = c.benchmark_group("general_8-16-1_100x300");
    g.throughput(Throughput::Elements((ROWS * EPOCHS) as u64));
    g.bench_function("general", |b| b.iter(|| run(&net8, &data8, &fast)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
