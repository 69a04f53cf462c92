//! What the benches share: the course's data shape and one timed `train` call.

use criterion::black_box;
use nnlab_core::rng::Rng;
use nnlab_core::Network;
use nnlab_train::{train, Samples, TrainConfig, TrainStatus};

/// The course's data shape on `rows` rows: x1 integer in [0,5), x2 integer in [0,10),
/// y = x1² + x2 + noise in [0,10), each column min-max scaled.
#[allow(dead_code)] // not every bench uses it
pub fn course_data(rows: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Rng::new(1);
    let mut cols = [vec![], vec![], vec![]];
    for _ in 0..rows {
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
    let x = (0..rows).flat_map(|r| [cols[0][r], cols[1][r]]).collect();
    (x, cols[2].clone())
}

/// One whole run of `cfg` from `net` on `data`, which must complete.
pub fn run(net: &Network, data: &Samples, cfg: &TrainConfig) {
    let mut net = net.clone();
    let out = train(&mut net, data, None, cfg, &mut |_| {}).expect("valid run");
    assert_eq!(out.status, TrainStatus::Completed);
    black_box(out.history.last().map(|r| r.train_loss));
}
