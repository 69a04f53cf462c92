//! Training with the classification losses and the L1/L2 penalty: one step derived by hand,
//! every stepping unit and mix against `train` bit for bit, the course kernels' fallback,
//! and the refused combinations.

mod common;

use common::stepping::{assert_same, reference, stepped, PATTERNS};
use common::{course_data, Lcg, START_B, START_W};
use nnlab_core::{course, Activation, Layer, Loss, Network};
use nnlab_train::{train, BatchSize, Samples, TrainConfig, TrainError};

// One step of sigmoid + BCE with both penalties, by hand: w = 0.5, b = 0, x = 2, y = 1,
// lr = 0.1, l1 = 0.05, l2 = 0.1.
//   z = 2·0.5 + 0 = 1, y_hat = σ(1) = 0.7310585786300049
//   loss = ln(1 + e^-1) + 0.05·|0.5| + 0.1·0.5² = 0.31326168751822286 + 0.05 = 0.36326168751822286
//   dL/dz = y_hat - y = -0.2689414213699951
//   dL/dw = dL/dz·x + 0.05·sign(0.5) + 2·0.1·0.5 = -0.5378828427399902 + 0.15 = -0.3878828427399902
//   w' = 0.5 - 0.1·(-0.3878828427399902) = 0.5387882842739990
//   dL/db = dL/dz (biases carry no penalty), b' = 0.02689414213699951
#[test]
fn one_bce_step_with_l1_and_l2_by_hand() {
    let layer = Layer::new(vec![vec![0.5]], vec![0.0], Activation::Sigmoid).unwrap();
    let mut net = Network::from_layers(vec![layer]).unwrap();
    let data = Samples::new(&[2.0], &[1.0], 1, 1).unwrap();
    let cfg = TrainConfig {
        epochs: 1,
        lr: 0.1,
        loss: Loss::BinaryCrossEntropy,
        l1: 0.05,
        l2: 0.1,
        ..TrainConfig::default()
    };
    let out = train(&mut net, &data, None, &cfg, &mut |_| {}).unwrap();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-15;
    assert!(
        close(out.history[0].train_loss, 0.36326168751822286),
        "{:?}",
        out.history
    );
    let w = net.layers()[0].weights_flat()[0];
    let b = net.layers()[0].biases()[0];
    assert!(close(w, 0.538788284273999), "{w}");
    assert!(close(b, 0.02689414213699951), "{b}");
}

/// Binary labels from the course's data: 1 when y is above its middle.
fn binary(rows: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let (x, y) = course_data(rows, seed);
    (x, y.iter().map(|v| f64::from(*v > 0.5)).collect())
}

/// Three classes by which third of [0, 1) x1 + x2 / 2 falls in, one-hot.
fn three_classes(rows: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Lcg(seed);
    let x: Vec<f64> = (0..2 * rows).map(|_| rng.uniform()).collect();
    let y = x
        .chunks_exact(2)
        .flat_map(|r| {
            let class = (((r[0] + r[1] / 2.0) / 1.5 * 3.0) as usize).min(2);
            (0..3).map(move |k| f64::from(k == class))
        })
        .collect();
    (x, y)
}

fn net(sizes: &[usize], acts: &[Activation], values: impl Fn(usize) -> f64) -> Network {
    let mut net = Network::zeros(sizes, acts).unwrap();
    let flat: Vec<f64> = (0..net.n_params()).map(values).collect();
    net.set_params_flat(&flat).unwrap();
    net
}

// Every unit (sample, batch, epoch) and their mix gives `train`'s bits for sigmoid + BCE
// and softmax + CCE with penalties, per-sample SGD, batches and full batch, with a test set.
#[test]
fn every_unit_and_mix_gives_the_bits_of_train() {
    let (xb, yb) = binary(50, 4);
    let (xc, yc) = three_classes(50, 5);
    let bce_net = net(&[2, 3, 1], &[Activation::Relu, Activation::Sigmoid], |k| {
        0.4 - 0.13 * k as f64
    });
    let cce_net = net(&[2, 4, 3], &[Activation::Tanh, Activation::Softmax], |k| {
        ((k * 7 % 11) as f64 - 5.0) * 0.1
    });
    let cases = [
        ("bce", bce_net, Loss::BinaryCrossEntropy, &xb, &yb, 1),
        ("cce", cce_net, Loss::CategoricalCrossEntropy, &xc, &yc, 3),
    ];
    for (name, net, loss, x, y, k) in cases {
        let train_set = Samples::new(&x[..80], &y[..40 * k], 2, k).unwrap();
        let test_set = Samples::new(&x[80..], &y[40 * k..], 2, k).unwrap();
        for batch_size in [BatchSize::Rows(1), BatchSize::Rows(10), BatchSize::Full] {
            for optimizer in ["sgd", "adam"] {
                let cfg = TrainConfig {
                    epochs: 8,
                    lr: 0.2,
                    batch_size,
                    loss,
                    l1: 0.002,
                    l2: 0.01,
                    shuffle: true,
                    shuffle_seed: 9,
                    optimizer: optimizer.parse().unwrap(),
                    ..TrainConfig::default()
                };
                let (want, _) = reference(&net, &cfg, &train_set, Some(&test_set));
                assert!(
                    want.history[7].train_loss < want.history[0].train_loss,
                    "{name}"
                );
                for (i, pattern) in PATTERNS.iter().enumerate() {
                    let what = format!("{name} batch {batch_size} {optimizer} pattern {i}");
                    let (got, _) = stepped(&net, &cfg, &train_set, Some(&test_set), pattern);
                    assert_same(&got, &want, &what);
                }
            }
        }
    }
}

// The course kernels know neither the penalty nor another loss: with l2 > 0 the 2-2-1 ReLU
// network runs on the general path (and the penalty changes the outcome), without it on
// the kernel, and both give the general path's bits.
#[test]
fn a_penalty_falls_back_from_the_course_kernels() {
    let (x, y) = course_data(20, 1);
    let data = Samples::new(&x, &y, 2, 1).unwrap();
    let start = course::network(START_W, START_B);
    for batch_size in [BatchSize::Rows(1), BatchSize::Full] {
        let plain = TrainConfig {
            epochs: 5,
            batch_size,
            ..TrainConfig::default()
        };
        let penalized = TrainConfig {
            l2: 0.01,
            ..plain.clone()
        };
        let fast = reference(&start, &plain, &data, None).0;
        let slow = reference(&start, &penalized, &data, None).0;
        assert!(fast.fast_kernel && !slow.fast_kernel, "{batch_size}");
        assert_ne!(fast.final_net, slow.final_net);
        for cfg in [plain, penalized] {
            let general = TrainConfig {
                kernel: nnlab_train::Kernel::General,
                ..cfg.clone()
            };
            let a = reference(&start, &cfg, &data, None).0;
            let b = reference(&start, &general, &data, None).0;
            assert_same(&a, &b, &format!("{batch_size} l2 {}", cfg.l2));
        }
    }
}

#[test]
fn refused_losses_and_rates() {
    let (x, y) = binary(10, 2);
    let data = Samples::new(&x, &y, 2, 1).unwrap();
    let run = |cfg: &TrainConfig| {
        let mut net = course::network(START_W, START_B);
        train(&mut net, &data, None, cfg, &mut |_| {}).map(|_| ())
    };
    let bce = TrainConfig {
        loss: Loss::BinaryCrossEntropy,
        ..TrainConfig::default()
    };
    let err = run(&bce).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid training setting loss = binary_cross_entropy: it needs a sigmoid output layer, but the network's output activation is relu"
    );
    let cce = TrainConfig {
        loss: Loss::CategoricalCrossEntropy,
        ..TrainConfig::default()
    };
    assert!(matches!(
        run(&cce),
        Err(TrainError::LossNeedsOutput {
            needs: "softmax",
            ..
        })
    ));
    for (l1, l2, field) in [
        (-0.1, 0.0, "l1"),
        (0.0, f64::NAN, "l2"),
        (f64::INFINITY, 0.0, "l1"),
    ] {
        let cfg = TrainConfig {
            l1,
            l2,
            ..TrainConfig::default()
        };
        assert!(
            matches!(run(&cfg), Err(TrainError::InvalidConfig { field: f, .. }) if f == field),
            "{l1} {l2}"
        );
    }
}
