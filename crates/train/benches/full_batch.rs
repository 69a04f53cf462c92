//! Nanoseconds per sample per epoch of full-batch gradient descent on the course network:
//! the fast full-batch kernel (`fast_batch.rs`) against the general path it matches bit for
//! bit. Issue 7's goal: at most 3 ns per sample per epoch on 100,000 rows.
//!
//! Run: `cargo bench -p nnlab-train --bench full_batch -- --warm-up-time 1 --measurement-time 5`.
//! Each iteration is one whole `train` call of 100,000 rows × 100 epochs at lr 0.5 (the
//! comparison's (b) settings, setup included), so criterion's throughput line reads in
//! sample-steps per second (time / 10,000,000 = ns per sample per epoch).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use nnlab_core::rng::Rng;
use nnlab_core::{course, Network};
use nnlab_train::{train, BatchSize, Kernel, Samples, TrainConfig, TrainStatus};

const ROWS: usize = 100_000;
const EPOCHS: usize = 100;

/// The course's data shape on `ROWS` rows: x1 integer in [0,5), x2 integer in [0,10),
/// y = x1² + x2 + noise in [0,10), each column min-max scaled.
fn course_data() -> (Vec<f64>, Vec<f64>) {
    let mut rng = Rng::new(1);
    let mut cols = [vec![], vec![], vec![]];
    for _ in 0..ROWS {
        let x1 = rng.int_range(0, 5) as f64;
        let x2 = rng.int_range(0, 10) as f64;
        let y = x1 * x1 + x2 + rng.uniform_range(0.0, 10.0);
        for (c, v) in cols.iter_mut().zip([x1, x2, y]) {
            c.push(v);
        }
    }
    for c in &mut cols {
        let (lo, hi) = c
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
        c.iter_mut().for_each(|v| *v = (*v - lo) / (hi - lo));
    }
    let x = (0..ROWS).flat_map(|r| [cols[0][r], cols[1][r]]).collect();
    (x, cols[2].clone())
}

fn run(net: &Network, data: &Samples, cfg: &TrainConfig) {
    let mut net = net.clone();
    let out = train(&mut net, data, None, cfg, &mut |_| {}).expect("valid run");
    assert_eq!(out.status, TrainStatus::Completed);
    black_box(out.history.last().map(|r| r.train_loss));
}

fn bench(c: &mut Criterion) {
    let (x, y) = course_data();
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
