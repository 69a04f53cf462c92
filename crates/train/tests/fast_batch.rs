//! The fast full-batch kernel (`batch_size = "full"` on the course network with squared
//! error and SGD) against the general path, bit for bit, and against the course's
//! published first step.

mod common;

use common::{course_data, START_B, START_W};
use nnlab_core::course;
use nnlab_train::{train, BatchSize, Kernel, Samples, TrainConfig, TrainOutcome, TrainStatus};

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn run(x: &[f64], y: &[f64], test: Option<(&[f64], &[f64])>, cfg: &TrainConfig) -> TrainOutcome {
    let data = Samples::new(x, y, 2, 1).unwrap();
    let test = test.map(|(x, y)| Samples::new(x, y, 2, 1).unwrap());
    let mut net = course::network(START_W, START_B);
    train(&mut net, &data, test.as_ref(), cfg, &mut |_| {}).unwrap()
}

/// Runs `cfg` with the auto kernel (which must pick the fast one) and the general path and
/// asserts the same status, losses (train and test) and parameters, bit for bit.
fn assert_parity(x: &[f64], y: &[f64], test: Option<(&[f64], &[f64])>, cfg: TrainConfig) {
    let fast = run(x, y, test, &cfg);
    let general = run(
        x,
        y,
        test,
        &TrainConfig {
            kernel: Kernel::General,
            ..cfg.clone()
        },
    );
    assert!(
        fast.fast_kernel,
        "auto must pick the fast full-batch kernel"
    );
    assert!(!general.fast_kernel);
    assert_eq!(fast.status, general.status, "{cfg:?}");
    assert_eq!(fast.history.len(), general.history.len(), "{cfg:?}");
    for (f, g) in fast.history.iter().zip(&general.history) {
        assert_eq!(
            f.train_loss.to_bits(),
            g.train_loss.to_bits(),
            "{cfg:?} {f:?}"
        );
        assert_eq!(
            f.test_loss.map(f64::to_bits),
            g.test_loss.map(f64::to_bits),
            "{cfg:?} {f:?}"
        );
    }
    assert_eq!(
        bits(&fast.final_net.params_flat()),
        bits(&general.final_net.params_flat()),
        "{cfg:?}"
    );
    assert_eq!(fast.sample_steps, general.sample_steps, "{cfg:?}");
}

fn full(epochs: usize, lr: f64) -> TrainConfig {
    TrainConfig {
        epochs,
        lr,
        batch_size: BatchSize::Full,
        ..TrainConfig::default()
    }
}

// The course's worked example, input (1, 0) and target 2 from the "course" preset:
// one SGD step at lr 0.01 gives the published w1..w6 = 0.99, 0.49, 1.0, -1.0, 0.985, 0.995
// (the same numbers as the `nnlab_core::lanes` doc example). Two copies of that row give
// the same mean gradient exactly ((0 + g + g)·0.5 = g in floating point), so one
// full-batch epoch must land on the published weights, and its loss is the published 0.25.
#[test]
fn two_copies_of_the_course_example_give_the_published_step() {
    let x = [1.0, 0.0, 1.0, 0.0];
    let y = [2.0, 2.0];
    let data = Samples::new(&x, &y, 2, 1).unwrap();
    let (w, b) = course::preset("course").unwrap();
    let mut net = course::network(w, b);
    let out = train(&mut net, &data, None, &full(1, 0.01), &mut |_| {}).unwrap();
    assert!(out.fast_kernel);
    assert_eq!(out.history[0].train_loss, 0.25);
    let (w, _) = course::params(&net).unwrap();
    assert_eq!(w, [0.99, 0.49, 1.0, -1.0, 0.985, 0.995]);
}

#[test]
fn matches_the_general_path_on_course_data() {
    // 100 rows (less than one block) and 1,000 rows (three full blocks and a partial one).
    for (rows, seed) in [(100, 2024), (1000, 7)] {
        let (x, y) = course_data(rows, seed);
        for lr in [0.01, 0.3] {
            assert_parity(&x, &y, None, full(300, lr));
        }
    }
}

#[test]
fn matches_the_general_path_with_shuffle_and_a_test_set() {
    let (x, y) = course_data(600, 11);
    let (train_x, test_x) = x.split_at(1000);
    let (train_y, test_y) = y.split_at(500);
    let cfg = TrainConfig {
        shuffle: true,
        shuffle_seed: 5,
        ..full(50, 0.1)
    };
    assert_parity(train_x, train_y, Some((test_x, test_y)), cfg);
}

// Targets of 1e10 pull every weight up: at lr 1e190 the first update leaves finite weights
// near 1e200, whose next prediction overflows (a sample's loss is not finite); at lr 1e300
// the first update itself overflows (the parameters are not finite).
#[test]
fn diverges_at_the_same_place_as_the_general_path() {
    let (x, y) = course_data(300, 3);
    let y: Vec<f64> = y.iter().map(|v| 1e10 * (v + 1.0)).collect();
    for lr in [1e190, 1e300] {
        let out = run(&x, &y, None, &full(20, lr));
        assert!(
            matches!(out.status, TrainStatus::Diverged { .. }),
            "lr {lr}: {:?}",
            out.status
        );
        assert_parity(&x, &y, None, full(20, lr));
    }
    let first = run(&x, &y, None, &full(20, 1e190));
    let second = run(&x, &y, None, &full(20, 1e300));
    // The two kinds of divergence: mid-epoch at a sample, and at the update (sample = n).
    match (first.status, second.status) {
        (
            TrainStatus::Diverged {
                epoch: e1,
                sample: s1,
                ..
            },
            TrainStatus::Diverged {
                epoch: e2,
                sample: s2,
                ..
            },
        ) => {
            assert_eq!((e1, s1), (2, 1));
            assert_eq!((e2, s2), (1, 300));
        }
        other => panic!("{other:?}"),
    }
}
