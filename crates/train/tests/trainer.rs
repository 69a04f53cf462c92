//! The resumable trainer against `train`: stepping by samples, by batches, by epochs and in
//! a mix gives `train`'s bits (history and final parameters), events and outcome, across
//! optimizers, batch sizes and networks; snapshots undo exactly.
//!
//! The expected values are `train`'s own on the same settings: `train` itself is held to an
//! independent scalar implementation of the course's equations in `tests/course_parity.rs`
//! and to hand-derived steps in `tests/training.rs`.

mod common;

use common::stepping::{assert_same, bits, param_bits, reference, stepped, PATTERNS};
use common::{course_data, START_B, START_W};
use nnlab_core::{course, Activation, Network};
use nnlab_train::{
    BatchSize, EarlyStopping, Event, Kernel, Optimizer, Samples, TrainConfig, TrainStatus, Trainer,
    Unit,
};

const EPOCHS: usize = 30;

/// 2-3-1, tanh then identity, fixed small weights (no initializer: the test needs none).
fn tanh_net() -> Network {
    let mut net = Network::zeros(&[2, 3, 1], &[Activation::Tanh, Activation::Identity])
        .expect("a valid shape");
    let values = [
        0.3, -0.2, 0.5, 0.1, -0.4, 0.25, 0.1, 0.0, -0.1, 0.7, -0.3, 0.6, 0.05,
    ];
    net.set_params_flat(&values).expect("13 parameters");
    net
}

fn optimizers() -> [Optimizer; 3] {
    [
        Optimizer::Sgd,
        "momentum:0.9".parse().expect("momentum"),
        "adam".parse().expect("adam"),
    ]
}

/// The full matrix's settings: shuffle, a plateau schedule that reduces within the run,
/// early stopping with restore_best.
fn config(optimizer: Optimizer, batch_size: BatchSize, lr: f64) -> TrainConfig {
    TrainConfig {
        epochs: EPOCHS,
        lr,
        batch_size,
        shuffle: true,
        shuffle_seed: 7,
        optimizer,
        schedule: "plateau:0.5,2,0.001,0,0".parse().expect("plateau"),
        early_stopping: Some(EarlyStopping {
            patience: 5,
            min_delta: 1e-4,
            restore_best: true,
        }),
        ..TrainConfig::default()
    }
}

#[test]
fn every_unit_and_mix_gives_the_bits_of_train() {
    let (x, y) = course_data(50, 3);
    // 40 training rows (4 batches of 10), 10 test rows.
    let train_set = Samples::new(&x[..80], &y[..40], 2, 1).expect("rows");
    let test_set = Samples::new(&x[80..], &y[40..], 2, 1).expect("rows");
    let networks = [
        ("2-2-1 relu", course::network(START_W, START_B), 0.05),
        ("2-3-1 tanh", tanh_net(), 0.05),
    ];
    let (mut stopped, mut reduced, mut fast) = (0, 0, 0);
    for (name, net, lr) in &networks {
        for optimizer in optimizers() {
            for batch in [BatchSize::Rows(1), BatchSize::Rows(10), BatchSize::Full] {
                let cfg = config(optimizer, batch, *lr);
                let (want, want_events) = reference(net, &cfg, &train_set, Some(&test_set));
                stopped += usize::from(matches!(want.status, TrainStatus::StoppedEarly { .. }));
                reduced += usize::from(want.history.iter().any(|r| r.lr != *lr));
                fast += usize::from(want.fast_kernel);
                for (i, pattern) in PATTERNS.iter().enumerate() {
                    let what = format!("{name}, {optimizer}, batch {batch}, pattern {i}");
                    let (got, events) = stepped(net, &cfg, &train_set, Some(&test_set), pattern);
                    assert_same(&got, &want, &what);
                    assert_eq!(events, want_events, "{what}: events");
                }
            }
        }
    }
    // The matrix exercises what it claims: early stops with restore_best, plateau
    // reductions, and the course kernels (SGD at batch 1 and full on 2-2-1).
    assert!(
        stopped > 0 && reduced > 0,
        "stopped {stopped}, reduced {reduced}"
    );
    assert_eq!(fast, 2);
}

// Without shuffling, a test set or a schedule: the course kernel's own epoch loop (rows in
// file order) against the per-sample code.
#[test]
fn course_kernel_in_file_order_mixes_with_samples() {
    let (x, y) = course_data(100, 1);
    let data = Samples::new(&x, &y, 2, 1).expect("rows");
    let net = course::network(START_W, START_B);
    for batch_size in [BatchSize::Rows(1), BatchSize::Full] {
        let cfg = TrainConfig {
            epochs: 20,
            batch_size,
            ..TrainConfig::default()
        };
        let (want, want_events) = reference(&net, &cfg, &data, None);
        assert!(want.fast_kernel);
        for pattern in PATTERNS {
            let (got, events) = stepped(&net, &cfg, &data, None, pattern);
            assert_same(&got, &want, &format!("{batch_size} {pattern:?}"));
            assert_eq!(events, want_events);
        }
    }
}

// The batched engine agrees with the per-sample code only to rounding, so only whole
// epochs (which always run on it) promise `train`'s bits.
#[test]
fn batched_engine_epochs_give_the_bits_of_train() {
    let (x, y) = course_data(64, 5);
    let data = Samples::new(&x, &y, 2, 1).expect("rows");
    let cfg = TrainConfig {
        epochs: 6,
        batch_size: BatchSize::Rows(16),
        kernel: Kernel::Batched,
        ..config("adam".parse().expect("adam"), BatchSize::Rows(16), 0.01)
    };
    let net = tanh_net();
    let (want, _) = reference(&net, &cfg, &data, None);
    let (got, _) = stepped(&net, &cfg, &data, None, &[(Unit::Epoch, 1)]);
    assert_same(&got, &want, "batched by epochs");
}

// A snapshot taken mid-batch puts back the position, the batch's gradient sum, the
// optimizer's moments and the shuffle stream: stepping on from it gives the same bits as
// never having left.
#[test]
fn restoring_a_snapshot_continues_with_the_same_bits() {
    let (x, y) = course_data(40, 2);
    let data = Samples::new(&x, &y, 2, 1).expect("rows");
    let cfg = config("adam".parse().expect("adam"), BatchSize::Rows(10), 0.01);
    let net = tanh_net();
    let mut t = Trainer::new(net.clone(), &cfg, &data, None).expect("a valid run");
    let mut none = |_: &Event| {};
    t.step(&data, None, Unit::Sample, 47, &mut none)
        .expect("steps");
    let snap = t.snapshot();
    let mut straight = t.clone();
    straight
        .step(&data, None, Unit::Epoch, 3, &mut none)
        .expect("steps");
    t.step(&data, None, Unit::Epoch, 2, &mut none)
        .expect("steps");
    t.restore(snap);
    assert_eq!((t.epoch(), t.position(), t.history().len()), (1, 7, 1));
    t.step(&data, None, Unit::Epoch, 3, &mut none)
        .expect("steps");
    assert_eq!(bits(t.history()), bits(straight.history()));
    assert_eq!(param_bits(t.network()), param_bits(straight.network()));
}

#[test]
fn calls_with_other_sets_are_errors() {
    let (x, y) = course_data(20, 2);
    let data = Samples::new(&x, &y, 2, 1).expect("rows");
    let fewer = Samples::new(&x[..20], &y[..10], 2, 1).expect("rows");
    let cfg = TrainConfig::default();
    let mut t =
        Trainer::new(course::network(START_W, START_B), &cfg, &data, None).expect("a valid run");
    let err = t
        .step(&fewer, None, Unit::Sample, 1, &mut |_| {})
        .expect_err("10 rows, not 20");
    assert_eq!(
        err.to_string(),
        "a trainer made for 20 training rows of 2 inputs and 1 outputs, no test set was given 10 training rows of 2 inputs and 1 outputs, no test set"
    );
    assert!(t
        .step(&data, Some(&fewer), Unit::Sample, 1, &mut |_| {})
        .is_err());
    assert!(t.preview(&fewer).is_err());
    assert_eq!(t.sample_steps(), 0);
}
