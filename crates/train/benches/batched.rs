//! Per-sample general path against the batched engine, and where one overtakes the other.
//!
//! Run: `cargo bench -p nnlab-train --bench batched -- --warm-up-time 1 --measurement-time 3`
//! (add a filter such as `d_8-64-64-1` to run one group). Each iteration is one epoch of
//! mini-batch Adam (lr 0.001, squared error, rows in file order) over `ROWS` generated rows,
//! so criterion's throughput line reads in samples per second (time / ROWS = ns per sample).
//!
//! Groups:
//! - `d_8-64-64-1_b64`: issue 7's network (d), ReLU, batch 64.
//! - `tiny_b64`: 2-2-1 and 2-8-1 ReLU at batch 64, where per-call overhead dominates.
//! - `small_b16`: 2-8-1, 8-4-4-1 and 8-8-8-1 at batch 16.
//! - `width_b64`: 8-h-h-1 for h = 2..64 at batch 64: the crossover in layer width.
//! - `batch_8-64-64-1`: batch sizes 2..64 on network (d): the crossover in batch size.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use nnlab_core::rng::Rng;
use nnlab_core::{Activation, Network};
use nnlab_train::{train, BatchSize, Kernel, Optimizer, Samples, TrainConfig, TrainStatus};

const ROWS: usize = 10_000;

/// `ROWS` rows of `n_in` inputs uniform in [0, 1) and the target `y = Σ x_i² / n_in`.
fn data(n_in: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Rng::new(7);
    let x: Vec<f64> = (0..ROWS * n_in).map(|_| rng.uniform()).collect();
    let y = x
        .chunks_exact(n_in)
        .map(|r| r.iter().map(|v| v * v).sum::<f64>() / n_in as f64)
        .collect();
    (x, y)
}

/// ReLU hidden layers, identity output, weights He-uniform (`±sqrt(6/n_in)`), biases 0.
fn network(sizes: &[usize]) -> Network {
    let mut acts = vec![Activation::Relu; sizes.len() - 2];
    acts.push(Activation::Identity);
    let mut net = Network::zeros(sizes, &acts).expect("valid shape");
    let mut rng = Rng::new(3);
    for layer in net.layers_mut() {
        let lim = (6.0 / layer.n_in() as f64).sqrt();
        for w in layer.weights_flat_mut() {
            *w = rng.uniform_range(-lim, lim);
        }
    }
    net
}

fn config(kernel: Kernel, batch: usize) -> TrainConfig {
    TrainConfig {
        epochs: 1,
        lr: 0.001,
        batch_size: BatchSize::Rows(batch),
        optimizer: Optimizer::adam(),
        kernel,
        ..TrainConfig::default()
    }
}

fn run(net: &Network, data: &Samples, cfg: &TrainConfig) {
    let mut net = net.clone();
    let out = train(&mut net, data, None, cfg, &mut |_| {}).expect("valid run");
    assert_eq!(out.status, TrainStatus::Completed);
    black_box(out.history.last().map(|r| r.train_loss));
}

/// Both engines on one network and batch size, under `id`.
fn pair(c: &mut Criterion, group: &str, id: &str, sizes: &[usize], batch: usize) {
    let (x, y) = data(sizes[0]);
    let samples = Samples::new(&x, &y, sizes[0], 1).expect("valid data");
    let net = network(sizes);
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(ROWS as u64));
    for (name, kernel) in [("general", Kernel::General), ("batched", Kernel::Batched)] {
        let cfg = config(kernel, batch);
        g.bench_with_input(BenchmarkId::new(name, id), &cfg, |b, cfg| {
            b.iter(|| run(&net, &samples, cfg))
        });
    }
    g.finish();
}

fn bench(c: &mut Criterion) {
    pair(c, "d_8-64-64-1_b64", "8-64-64-1", &[8, 64, 64, 1], 64);
    for sizes in [[2, 2, 1], [2, 8, 1]] {
        let id = format!("{}-{}-{}", sizes[0], sizes[1], sizes[2]);
        pair(c, "tiny_b64", &id, &sizes, 64);
    }
    pair(c, "small_b16", "2-8-1", &[2, 8, 1], 16);
    pair(c, "small_b16", "8-4-4-1", &[8, 4, 4, 1], 16);
    pair(c, "small_b16", "8-8-8-1", &[8, 8, 8, 1], 16);
    for h in [2, 4, 8, 16, 32] {
        pair(c, "width_b64", &format!("8-{h}-{h}-1"), &[8, h, h, 1], 64);
    }
    for batch in [2, 4, 8, 16, 32] {
        pair(
            c,
            "batch_8-64-64-1",
            &batch.to_string(),
            &[8, 64, 64, 1],
            batch,
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
