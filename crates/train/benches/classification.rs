//! Per-sample training speed of a 2-8-1 network with a sigmoid output and binary
//! cross-entropy (the logit form and the `dL/dz = y_hat - y` shortcut) against the same
//! network with squared error, both on the general path (the goal: BCE within 1.5× of
//! squared error), and with an L2 penalty.
//!
//! Run: `cargo bench -p nnlab-train --bench classification -- --warm-up-time 1 --measurement-time 4`.
//! Each iteration is one run of 200 rows × 50 epochs = 10,000 sample-steps; criterion's
//! throughput line reads in sample-steps per second.

mod common;

use common::run;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nnlab_core::rng::Rng;
use nnlab_core::{Activation, Loss, Network};
use nnlab_train::{Samples, TrainConfig};

const ROWS: usize = 200;
const EPOCHS: usize = 50;

fn bench(c: &mut Criterion) {
    // Points in [-1, 1)², label 1 inside the circle of radius 0.7.
    let mut rng = Rng::new(14);
    let x: Vec<f64> = (0..ROWS * 2)
        .map(|_| rng.uniform_range(-1.0, 1.0))
        .collect();
    let y: Vec<f64> = x
        .chunks_exact(2)
        .map(|p| f64::from(p[0] * p[0] + p[1] * p[1] < 0.49))
        .collect();
    let data = Samples::new(&x, &y, 2, 1).expect("valid data");
    let mut net =
        Network::zeros(&[2, 8, 1], &[Activation::Tanh, Activation::Sigmoid]).expect("valid shape");
    let params: Vec<f64> = (0..net.n_params())
        .map(|_| rng.uniform_range(-0.5, 0.5))
        .collect();
    net.set_params_flat(&params).expect("right count");
    let base = TrainConfig {
        epochs: EPOCHS,
        lr: 0.1,
        ..TrainConfig::default()
    };
    let bce = TrainConfig {
        loss: Loss::BinaryCrossEntropy,
        ..base.clone()
    };
    let bce_l2 = TrainConfig {
        l2: 0.001,
        ..bce.clone()
    };

    let mut g = c.benchmark_group("sigmoid_2-8-1_200x50");
    g.throughput(Throughput::Elements((ROWS * EPOCHS) as u64));
    g.bench_function("squared_error", |b| b.iter(|| run(&net, &data, &base)));
    g.bench_function("binary_cross_entropy", |b| {
        b.iter(|| run(&net, &data, &bce))
    });
    g.bench_function("binary_cross_entropy_l2", |b| {
        b.iter(|| run(&net, &data, &bce_l2))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
