//! The batched engine (`Kernel::Batched`) against the per-sample general path
//! (`Kernel::General`) and against finite differences.
//!
//! The two engines do the same arithmetic in a different order (matrix products sum each
//! gradient entry over the batch inside `dgemm`, which may fuse multiply-adds), so they
//! agree to rounding, not to the bit. Measured worst relative differences on these cases
//! were 8e-16 on losses and 2.2e-16 on parameters (the small 3-20-2 case runs on plain loops
//! in the general path's order and agrees exactly); the tolerances below (1e-12) leave a
//! wide margin for other CPUs' matrix kernels. A sign error, a missed 1/|B| or a wrong row would move the results by far
//! more than that.

mod common;

use common::Lcg;
use nnlab_core::{gradient_check, mean_loss, Activation, Loss, Network};
use nnlab_train::{
    train, BatchSize, EarlyStopping, Kernel, Samples, TrainConfig, TrainOutcome, TrainStatus,
};

/// Relative tolerance on epoch losses.
const LOSS_TOL: f64 = 1e-12;
/// Tolerance on parameters, relative to `max(1, |p|)`: a parameter near 0 is compared
/// absolutely, as its own scale says nothing about the rounding of the sums that moved it.
const PARAM_TOL: f64 = 1e-12;

/// `rows` rows of `n_in` inputs uniform in [0, 1) (an LCG independent of nnlab's RNG) and
/// `n_out` targets `y_k = sin(Σ_i (i + k + 1)·x_i)`, a smooth function every shape can fit
/// a little of.
fn data(rows: usize, n_in: usize, n_out: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Lcg(seed);
    let x: Vec<f64> = (0..rows * n_in).map(|_| rng.uniform()).collect();
    let y = x
        .chunks_exact(n_in)
        .flat_map(|r| {
            (0..n_out).map(move |k| {
                r.iter()
                    .enumerate()
                    .map(|(i, v)| (i + k + 1) as f64 * v)
                    .sum::<f64>()
                    .sin()
            })
        })
        .collect();
    (x, y)
}

/// Weights uniform in ±sqrt(6/n_in) from an LCG, biases uniform in ±0.1.
fn network(sizes: &[usize], acts: &[Activation], seed: u64) -> Network {
    let mut net = Network::zeros(sizes, acts).unwrap();
    let mut rng = Lcg(seed);
    for layer in net.layers_mut() {
        let lim = (6.0 / layer.n_in() as f64).sqrt();
        for w in layer.weights_flat_mut() {
            *w = (2.0 * rng.uniform() - 1.0) * lim;
        }
        for b in layer.biases_mut() {
            *b = (2.0 * rng.uniform() - 1.0) * 0.1;
        }
    }
    net
}

fn run(
    net: &Network,
    data: &Samples,
    test: Option<&Samples>,
    cfg: &TrainConfig,
) -> (TrainOutcome, Network) {
    let mut net = net.clone();
    let out = train(&mut net, data, test, cfg, &mut |_| {}).unwrap();
    (out, net)
}

fn rel(a: f64, b: f64, scale: f64) -> f64 {
    (a - b).abs() / scale
}

/// Trains `net` with `cfg` on both engines and checks losses and parameters agree.
fn assert_engines_agree(
    name: &str,
    net: &Network,
    data: &Samples,
    test: Option<&Samples>,
    cfg: &TrainConfig,
) {
    let general = run(
        net,
        data,
        test,
        &TrainConfig {
            kernel: Kernel::General,
            ..cfg.clone()
        },
    );
    let batched = run(
        net,
        data,
        test,
        &TrainConfig {
            kernel: Kernel::Batched,
            ..cfg.clone()
        },
    );
    assert_eq!(general.0.status, batched.0.status, "{name}: status");
    assert_eq!(
        general.0.sample_steps, batched.0.sample_steps,
        "{name}: steps"
    );
    assert_eq!(
        general.0.history.len(),
        batched.0.history.len(),
        "{name}: epochs"
    );
    assert_eq!(
        general.0.best_epoch, batched.0.best_epoch,
        "{name}: best epoch"
    );
    let mut worst_loss: f64 = 0.0;
    for (g, b) in general.0.history.iter().zip(&batched.0.history) {
        worst_loss = worst_loss.max(rel(g.train_loss, b.train_loss, g.train_loss.abs()));
        assert_eq!(g.lr, b.lr, "{name}: lr of epoch {}", g.epoch);
        if let (Some(gt), Some(bt)) = (g.test_loss, b.test_loss) {
            worst_loss = worst_loss.max(rel(gt, bt, gt.abs()));
        }
    }
    assert!(
        worst_loss < LOSS_TOL,
        "{name}: loss rel. diff {worst_loss:e}"
    );
    let mut worst_param: f64 = 0.0;
    for (g, b) in general.1.params_flat().iter().zip(batched.1.params_flat()) {
        worst_param = worst_param.max(rel(*g, b, g.abs().max(1.0)));
    }
    assert!(
        worst_param < PARAM_TOL,
        "{name}: param rel. diff {worst_param:e}"
    );
    // The run must have learned something, or agreeing would prove little.
    let h = &general.0.history;
    assert!(
        h[h.len() - 1].train_loss < h[0].train_loss,
        "{name}: no learning"
    );
    // And the parameters must have moved.
    assert_ne!(general.1.params_flat(), net.params_flat(), "{name}");
}

#[test]
fn issue_7_network_with_adam_matches_the_general_path() {
    // Issue 7's network (d): 8-64-64-1 ReLU, mini-batch 64, Adam; 1,000 rows (15 full
    // batches and a last one of 40 rows), 3 epochs.
    let (x, y) = data(1000, 8, 1, 1);
    let samples = Samples::new(&x, &y, 8, 1).unwrap();
    let net = network(
        &[8, 64, 64, 1],
        &[Activation::Relu, Activation::Relu, Activation::Identity],
        2,
    );
    let cfg = TrainConfig {
        epochs: 3,
        lr: 0.001,
        batch_size: BatchSize::Rows(64),
        optimizer: "adam".parse().unwrap(),
        ..TrainConfig::default()
    };
    assert_engines_agree("8-64-64-1 adam", &net, &samples, None, &cfg);
}

/// Class targets from the same rows: one output -> 1 when the row's first target is
/// positive; `k` outputs -> one-hot of the largest of `k` scores.
fn class_targets(y: &[f64], k: usize) -> Vec<f64> {
    if k == 1 {
        return y.iter().map(|v| f64::from(*v > 0.0)).collect();
    }
    y.chunks_exact(k)
        .flat_map(|r| {
            let best = nnlab_core::predicted_class(r);
            (0..k).map(move |j| f64::from(j == best))
        })
        .collect()
}

// The classification outputs and the weight penalty on the batched engine: sigmoid + BCE
// (dL/dz = y_hat - y) with L1 and L2 at batches of 16 with a test set; softmax + CCE (the
// softmax rows, its logit gradient) with L2 and Adam, shuffled, batches of 32 (the last
// smaller); softmax with squared error (its full Jacobian, row by row) at full batch.
#[test]
fn classification_and_penalties_match_the_general_path() {
    let (x, y) = data(300, 3, 3, 21);
    let (xt, yt) = data(60, 3, 3, 22);
    let (yb, ybt) = (class_targets(&y[..300], 1), class_targets(&yt[..60], 1));
    let binary = Samples::new(&x[..300 * 3], &yb, 3, 1).unwrap();
    let binary_test = Samples::new(&xt[..60 * 3], &ybt, 3, 1).unwrap();
    let net = network(&[3, 16, 1], &[Activation::Tanh, Activation::Sigmoid], 23);
    let cfg = TrainConfig {
        epochs: 4,
        lr: 0.1,
        batch_size: BatchSize::Rows(16),
        loss: Loss::BinaryCrossEntropy,
        l1: 0.001,
        l2: 0.01,
        ..TrainConfig::default()
    };
    assert_engines_agree(
        "3-16-1 sigmoid/bce l1 l2",
        &net,
        &binary,
        Some(&binary_test),
        &cfg,
    );

    let yc = class_targets(&y, 3);
    let classes = Samples::new(&x, &yc, 3, 3).unwrap();
    let net = network(&[3, 24, 3], &[Activation::Relu, Activation::Softmax], 24);
    let cfg = TrainConfig {
        epochs: 4,
        lr: 0.01,
        batch_size: BatchSize::Rows(32),
        loss: Loss::CategoricalCrossEntropy,
        optimizer: "adam".parse().unwrap(),
        l2: 0.001,
        shuffle: true,
        shuffle_seed: 3,
        ..TrainConfig::default()
    };
    assert_engines_agree("3-24-3 softmax/cce adam l2", &net, &classes, None, &cfg);

    let net = network(&[3, 8, 3], &[Activation::Tanh, Activation::Softmax], 25);
    let cfg = TrainConfig {
        epochs: 5,
        lr: 0.5,
        batch_size: BatchSize::Full,
        ..TrainConfig::default()
    };
    assert_engines_agree("3-8-3 softmax/squared full", &net, &classes, None, &cfg);
}

#[test]
fn other_shapes_activations_losses_and_optimizers_match_the_general_path() {
    let (x3, y3) = data(300, 3, 2, 3);
    let three = Samples::new(&x3, &y3, 3, 2).unwrap();
    let (xt, yt) = data(50, 3, 2, 4);
    let three_test = Samples::new(&xt, &yt, 3, 2).unwrap();
    let (x2, y2) = data(600, 2, 1, 5);
    let two = Samples::new(&x2, &y2, 2, 1).unwrap();

    // Two outputs (the loss is their mean), tanh and sigmoid, momentum, batches of 7 (the
    // last one of 6), a test set and a step schedule.
    let net = network(&[3, 20, 2], &[Activation::Tanh, Activation::Sigmoid], 6);
    let cfg = TrainConfig {
        epochs: 4,
        lr: 0.05,
        batch_size: BatchSize::Rows(7),
        optimizer: "momentum:0.9".parse().unwrap(),
        schedule: "step:2,0.5".parse().unwrap(),
        ..TrainConfig::default()
    };
    assert_engines_agree(
        "3-20-2 tanh/sigmoid momentum",
        &net,
        &three,
        Some(&three_test),
        &cfg,
    );

    // Leaky ReLU, Huber loss, Nesterov, shuffled rows, a frozen weight, batches of 32.
    let net = network(
        &[3, 16, 16, 2],
        &[
            Activation::LeakyRelu { slope: 0.01 },
            Activation::Relu,
            Activation::Identity,
        ],
        7,
    );
    let cfg = TrainConfig {
        epochs: 4,
        lr: 0.01,
        batch_size: BatchSize::Rows(32),
        optimizer: "nesterov:0.8".parse().unwrap(),
        loss: Loss::Huber { delta: 0.5 },
        shuffle: true,
        shuffle_seed: 11,
        freeze: vec!["L1.w[2][3]".into(), "L2.b[1]".into()],
        ..TrainConfig::default()
    };
    assert_engines_agree(
        "3-16-16-2 leaky/huber nesterov shuffled frozen",
        &net,
        &three,
        None,
        &cfg,
    );

    // Full batch of 600 rows (three chunks of at most 256 added up), absolute error, plain
    // SGD, an exponential schedule, early stopping with restore.
    let net = network(&[2, 32, 1], &[Activation::Relu, Activation::Identity], 8);
    let cfg = TrainConfig {
        epochs: 6,
        lr: 0.1,
        batch_size: BatchSize::Full,
        loss: Loss::AbsoluteError,
        schedule: "exponential:0.9,1".parse().unwrap(),
        early_stopping: Some(EarlyStopping {
            patience: 2,
            min_delta: 0.0,
            restore_best: true,
        }),
        ..TrainConfig::default()
    };
    assert_engines_agree("2-32-1 full batch l1", &net, &two, None, &cfg);

    // Batch size 1 on the batched engine: every product is a vector.
    let net = network(&[2, 4, 1], &[Activation::Sigmoid, Activation::Identity], 9);
    let cfg = TrainConfig {
        epochs: 2,
        lr: 0.01,
        batch_size: BatchSize::Rows(1),
        optimizer: "adam".parse().unwrap(),
        ..TrainConfig::default()
    };
    assert_engines_agree("2-4-1 batch 1 adam", &net, &two, None, &cfg);
}

// One full-batch SGD step at lr = 1 gives p1 = p0 - g, so g = p0 - p1 is the batched
// engine's batch gradient (the mean over the rows of dL/dp). Central differences of the
// mean loss (core's `gradient_check`, h = 1e-6·max(1, |p|)) give it independently.
#[test]
fn batch_gradient_matches_finite_differences() {
    let (x, y) = data(300, 4, 2, 12);
    let samples = Samples::new(&x, &y, 4, 2).unwrap();
    let net = network(
        &[4, 24, 12, 2],
        &[Activation::Tanh, Activation::Sigmoid, Activation::Identity],
        13,
    );
    let cfg = TrainConfig {
        epochs: 1,
        lr: 1.0,
        batch_size: BatchSize::Full,
        kernel: Kernel::Batched,
        ..TrainConfig::default()
    };
    let (out, after) = run(&net, &samples, None, &cfg);
    assert_eq!(out.status, TrainStatus::Completed);
    let rows: Vec<(Vec<f64>, Vec<f64>)> = (0..samples.n_rows())
        .map(|r| (samples.x_row(r).to_vec(), samples.y_row(r).to_vec()))
        .collect();
    // The epoch loss is the mean loss at the starting point.
    let l0 = mean_loss(&net, &rows, Loss::SquaredError);
    assert!(rel(out.history[0].train_loss, l0, l0) < LOSS_TOL);
    let check = gradient_check(&net, &rows, Loss::SquaredError, 1e-6).unwrap();
    let batched: Vec<f64> = net
        .params_flat()
        .iter()
        .zip(after.params_flat())
        .map(|(p0, p1)| p0 - p1)
        .collect();
    assert_eq!(check.entries.len(), batched.len());
    let (mut worst_fd, mut worst_bp): (f64, f64) = (0.0, 0.0);
    for (e, g) in check.entries.iter().zip(&batched) {
        // Central differences at h = 1e-6 carry an error of about 2e-10 absolute here
        // (roundoff of L ≈ 0.3 divided by 2h); the entries range from 1e-6 to 0.1.
        worst_fd = worst_fd.max((e.numeric - g).abs() - 1e-6 * g.abs());
        // Core's per-sample backprop, summed and scaled (what the general path applies):
        // p0 - p1 carries the rounding of p0 - 1·g, about 1e-16·max(1, |p0|) absolute.
        worst_bp = worst_bp.max((e.backprop - g).abs() / e.backprop.abs().max(1e-3));
    }
    assert!(worst_fd < 1e-8, "finite differences: {worst_fd:e}");
    assert!(worst_bp < PARAM_TOL, "backprop: {worst_bp:e}");
}

// Divergence is reported at the same place as on the general path: a row whose loss
// overflows stops the epoch before its batch's update, naming that row.
#[test]
fn divergence_is_reported_where_the_general_path_reports_it() {
    let (mut x, y) = data(200, 3, 1, 14);
    x[3 * 70] = 1e200; // row 71, in the second batch of 64
    let samples = Samples::new(&x, &y, 3, 1).unwrap();
    let net = network(
        &[3, 16, 1],
        &[Activation::Identity, Activation::Identity],
        15,
    );
    let base = TrainConfig {
        epochs: 2,
        batch_size: BatchSize::Rows(64),
        ..TrainConfig::default()
    };
    let general = run(
        &net,
        &samples,
        None,
        &TrainConfig {
            kernel: Kernel::General,
            ..base.clone()
        },
    );
    let batched = run(
        &net,
        &samples,
        None,
        &TrainConfig {
            kernel: Kernel::Batched,
            ..base
        },
    );
    assert!(
        matches!(
            general.0.status,
            TrainStatus::Diverged {
                epoch: 1,
                sample: 71,
                row: 71,
                ..
            }
        ),
        "{:?}",
        general.0.status
    );
    assert_eq!(general.0.status, batched.0.status);
    assert_eq!(batched.0.sample_steps, 70);
    // Stopped before the second update: one batch of 64 applied on both.
    for (g, b) in general.1.params_flat().iter().zip(batched.1.params_flat()) {
        assert!(rel(*g, b, g.abs().max(1.0)) < PARAM_TOL);
    }
}

// Auto picks the batched engine for issue 7's network at batch 64 and keeps the exact
// per-sample path for batch size 1 and for tiny networks.
#[test]
fn auto_takes_the_batched_engine_only_where_it_pays() {
    let (x, y) = data(128, 8, 1, 16);
    let samples = Samples::new(&x, &y, 8, 1).unwrap();
    let big = network(
        &[8, 64, 64, 1],
        &[Activation::Relu, Activation::Relu, Activation::Identity],
        17,
    );
    let bits = |net: &Network, kernel: Kernel, batch: usize| -> Vec<u64> {
        let cfg = TrainConfig {
            epochs: 2,
            lr: 0.001,
            batch_size: BatchSize::Rows(batch),
            optimizer: "adam".parse().unwrap(),
            kernel,
            ..TrainConfig::default()
        };
        run(net, &samples, None, &cfg)
            .1
            .params_flat()
            .iter()
            .map(|v| v.to_bits())
            .collect()
    };
    assert_eq!(
        bits(&big, Kernel::Auto, 64),
        bits(&big, Kernel::Batched, 64)
    );
    assert_ne!(
        bits(&big, Kernel::Auto, 64),
        bits(&big, Kernel::General, 64)
    );
    assert_eq!(bits(&big, Kernel::Auto, 1), bits(&big, Kernel::General, 1));
    let (x2, y2) = data(128, 2, 1, 18);
    let two = Samples::new(&x2, &y2, 2, 1).unwrap();
    let tiny = network(&[2, 2, 1], &[Activation::Relu, Activation::Identity], 19);
    let tiny_bits = |kernel: Kernel| -> Vec<u64> {
        let cfg = TrainConfig {
            epochs: 2,
            batch_size: BatchSize::Rows(64),
            kernel,
            ..TrainConfig::default()
        };
        run(&tiny, &two, None, &cfg)
            .1
            .params_flat()
            .iter()
            .map(|v| v.to_bits())
            .collect()
    };
    assert_eq!(tiny_bits(Kernel::Auto), tiny_bits(Kernel::General));
}

// Same inputs, same bits: two runs of the batched engine agree exactly.
#[test]
fn batched_engine_is_deterministic() {
    let (x, y) = data(500, 8, 1, 20);
    let samples = Samples::new(&x, &y, 8, 1).unwrap();
    let net = network(
        &[8, 64, 64, 1],
        &[Activation::Relu, Activation::Relu, Activation::Identity],
        21,
    );
    let cfg = TrainConfig {
        epochs: 2,
        lr: 0.001,
        batch_size: BatchSize::Rows(64),
        optimizer: "adam".parse().unwrap(),
        shuffle: true,
        kernel: Kernel::Batched,
        ..TrainConfig::default()
    };
    let a = run(&net, &samples, None, &cfg);
    let b = run(&net, &samples, None, &cfg);
    let bits = |n: &Network| {
        n.params_flat()
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&a.1), bits(&b.1));
    assert_eq!(a.0.history, b.0.history);
}
