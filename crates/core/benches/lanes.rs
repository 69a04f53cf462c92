//! A sweep's worth of course-network runs: 1000 runs (10 learning rates × 100 seeds) × 100
//! rows × 300 epochs of per-sample SGD = 3·10^7 run-sample-steps, on one thread, through
//! `lanes::train_lanes` (AVX2 and portable kernels) and through the scalar
//! `CourseParams::sgd_step` loop for comparison.
//!
//! Criterion's throughput is in run-sample-steps ("elements"): ns per step = 1000 / (Melem/s).
//!
//! `CARGO_TARGET_DIR=/tmp/target-lanes cargo bench -p nnlab-core --bench lanes -- --warm-up-time 1 --measurement-time 5`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nnlab_core::course::CourseParams;
use nnlab_core::lanes::{train_lanes_with, LaneKernel, RunData, LANES};
use nnlab_core::rng::Rng;

const SEEDS: u64 = 100;
const ROWS: usize = 100;
const EPOCHS: usize = 300;
/// 0.001 to 0.1, log-spaced: rates that train this data without diverging, so every run
/// costs all of its epochs (a diverged group stops early and would flatter the figure).
const LRS: [f64; 10] = [
    0.001, 0.00167, 0.00278, 0.00464, 0.00774, 0.0129, 0.0215, 0.0359, 0.0599, 0.1,
];

/// One seed's data: x1, x2 uniform in [0, 1), y = relu(x1 + 0.5·x2 - 0.2) + noise.
fn dataset(seed: u64) -> [Vec<f64>; 3] {
    let mut rng = Rng::for_purpose(seed, "data");
    let mut x1 = Vec::with_capacity(ROWS);
    let mut x2 = Vec::with_capacity(ROWS);
    let mut y = Vec::with_capacity(ROWS);
    for _ in 0..ROWS {
        let a = rng.uniform();
        let b = rng.uniform();
        x1.push(a);
        x2.push(b);
        y.push((a + 0.5 * b - 0.2).max(0.0) + 0.05 * rng.normal());
    }
    [x1, x2, y]
}

fn init(seed: u64) -> CourseParams {
    let mut rng = Rng::for_purpose(seed, "init");
    CourseParams {
        w: std::array::from_fn(|_| rng.uniform_range(-1.0, 1.0)),
        b: std::array::from_fn(|_| rng.uniform_range(0.0, 0.5)),
    }
}

struct Sweep {
    data: Vec<[Vec<f64>; 3]>,
    params: Vec<CourseParams>,
    lrs: Vec<f64>,
}

/// Seed-major order: the 10 learning rates of one seed sit side by side.
fn sweep(seeds: u64) -> Sweep {
    let mut s = Sweep {
        data: Vec::new(),
        params: Vec::new(),
        lrs: Vec::new(),
    };
    for seed in 0..seeds {
        let d = dataset(seed);
        let p = init(seed);
        for lr in LRS {
            s.data.push(d.clone());
            s.params.push(p);
            s.lrs.push(lr);
        }
    }
    s
}

fn run_data(s: &Sweep) -> Vec<RunData<'_>> {
    s.data
        .iter()
        .map(|[x1, x2, y]| RunData { x1, x2, y })
        .collect()
}

/// The scalar reference: one run after another, `sgd_step` per sample.
fn scalar(s: &Sweep) -> f64 {
    let mut total = 0.0;
    for ((p0, &lr), [x1, x2, y]) in s.params.iter().zip(&s.lrs).zip(&s.data) {
        let mut p = *p0;
        for _ in 0..EPOCHS {
            let mut sum = 0.0;
            for ((&a, &b), &t) in x1.iter().zip(x2).zip(y) {
                sum += p.sgd_step(a, b, t, lr);
            }
            let mean = sum / ROWS as f64;
            total += mean;
            if !mean.is_finite() {
                break;
            }
        }
    }
    total
}

fn bench(c: &mut Criterion) {
    let full = sweep(SEEDS);
    let data = run_data(&full);
    let steps = (full.params.len() * ROWS * EPOCHS) as u64;

    let mut g = c.benchmark_group(format!("sweep_1000x100x300_lanes{LANES}"));
    g.sample_size(10);
    g.throughput(Throughput::Elements(steps));
    for kernel in LaneKernel::available() {
        g.bench_function(format!("train_lanes_{}", kernel.name()), |b| {
            b.iter(|| {
                train_lanes_with(
                    kernel,
                    black_box(&full.params),
                    black_box(&full.lrs),
                    black_box(&data),
                    EPOCHS,
                )
            })
        });
    }
    g.finish();

    // The scalar loop is ~10× slower; 100 runs (10 seeds × 10 rates) keep the sample short.
    let small = sweep(10);
    let steps = (small.params.len() * ROWS * EPOCHS) as u64;
    let mut g = c.benchmark_group("sweep_100x100x300");
    g.sample_size(10);
    g.throughput(Throughput::Elements(steps));
    g.bench_function("scalar_sgd_step", |b| b.iter(|| scalar(black_box(&small))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
