//! Hand-derivable training cases: batches, optimizers, freezing, divergence, determinism.

mod common;

use common::{course_data, Course, START_B, START_W};
use nnlab_core::{course, Activation, Layer, Loss, Network};
use nnlab_train::{
    train, BatchSize, Event, Kernel, Optimizer, Samples, TrainConfig, TrainOutcome, TrainStatus,
};

fn run(net: &mut Network, data: &Samples, cfg: &TrainConfig) -> TrainOutcome {
    train(net, data, None, cfg, &mut |_| {}).unwrap()
}

/// One input, one output, identity: y_hat = w·x + b.
fn line(w: f64, b: f64) -> Network {
    Network::from_layers(vec![Layer::new(
        vec![vec![w]],
        vec![b],
        Activation::Identity,
    )
    .unwrap()])
    .unwrap()
}

// Full-batch GD on two samples: one update with the mean of the two per-sample gradients,
// p = p - lr·((g1 + g2)·(1/2)), with g1, g2 from core's backprop at the starting point.
#[test]
fn full_batch_applies_the_mean_gradient_once() {
    let x = [1.0, 0.0, 0.5, 2.0];
    let y = [2.0, 1.0];
    let data = Samples::new(&x, &y, 2, 1).unwrap();
    let start = course::network(START_W, START_B);
    let (_, l1, _, g1) = start
        .backprop(&x[..2], &y[..1], Loss::SquaredError)
        .unwrap();
    let (_, l2, _, g2) = start
        .backprop(&x[2..], &y[1..], Loss::SquaredError)
        .unwrap();
    let expected: Vec<f64> = start
        .params_flat()
        .iter()
        .zip(g1.flat().iter().zip(g2.flat()))
        .map(|(p, (a, b))| p - 0.01 * ((a + b) * 0.5))
        .collect();
    // Something must move, or the test could not fail.
    assert_ne!(expected, start.params_flat());
    for batch_size in [BatchSize::Full, BatchSize::Rows(2), BatchSize::Rows(7)] {
        let mut net = start.clone();
        let cfg = TrainConfig {
            epochs: 1,
            batch_size,
            ..TrainConfig::default()
        };
        let out = run(&mut net, &data, &cfg);
        assert_eq!(net.params_flat(), expected, "{batch_size}");
        // The epoch loss is the mean of the losses before the update: (l1 + l2)/2.
        assert_eq!(out.history[0].train_loss, (l1 + l2) / 2.0);
    }
}

// Batches of 2 over 3 rows: [r1, r2] averaged, then r3 alone (the smaller last batch).
#[test]
fn last_batch_may_be_smaller() {
    let x = [1.0, 0.0, 0.5, 2.0, 0.25, 0.75];
    let y = [2.0, 1.0, 0.5];
    let data = Samples::new(&x, &y, 2, 1).unwrap();
    let mut expected = course::network(START_W, START_B);
    let (_, _, _, g1) = expected
        .backprop(&x[..2], &y[..1], Loss::SquaredError)
        .unwrap();
    let (_, _, _, mut g2) = expected
        .backprop(&x[2..4], &y[1..2], Loss::SquaredError)
        .unwrap();
    g2.add_assign(&g1);
    g2.scale(0.5);
    expected.apply_gradients(&g2, 0.01);
    let (_, _, _, g3) = expected
        .backprop(&x[4..], &y[2..], Loss::SquaredError)
        .unwrap();
    expected.apply_gradients(&g3, 0.01);
    let mut net = course::network(START_W, START_B);
    let cfg = TrainConfig {
        epochs: 1,
        batch_size: BatchSize::Rows(2),
        ..TrainConfig::default()
    };
    run(&mut net, &data, &cfg);
    assert_eq!(net, expected);
}

/// Two steps on the line y_hat = w·x + b with b frozen at 0, x = 1, y = 0, starting at
/// w = 1, lr = 0.1: L = w², g = dL/dw = 2w.
fn two_steps(optimizer: Optimizer) -> Network {
    let mut net = line(1.0, 0.0);
    let cfg = TrainConfig {
        epochs: 2,
        lr: 0.1,
        optimizer,
        freeze: vec!["L1.b[1]".into()],
        ..TrainConfig::default()
    };
    let out = run(&mut net, &Samples::new(&[1.0], &[0.0], 1, 1).unwrap(), &cfg);
    assert_eq!(out.status, TrainStatus::Completed);
    // The frozen bias never moves, also under momentum and Adam.
    assert_eq!(net.layers()[0].b(0).to_bits(), 0.0f64.to_bits());
    net
}

// Momentum by hand: v1 = -0.1·2 = -0.2, w1 = 0.8; g = 1.6, v2 = 0.9·(-0.2) - 0.16 = -0.34,
// w2 = 0.46. Nesterov: w1 = 1 + (0.9·(-0.2) - 0.2) = 0.62; g = 1.24,
// v2 = -0.18 - 0.124 = -0.304, w2 = 0.62 + (0.9·(-0.304) - 0.124) = 0.2224.
#[test]
fn momentum_first_two_steps() {
    let net = two_steps(Optimizer::Momentum {
        momentum: 0.9,
        nesterov: false,
    });
    assert!((net.layers()[0].w(0, 0) - 0.46).abs() < 1e-15);
    let net = two_steps(Optimizer::Momentum {
        momentum: 0.9,
        nesterov: true,
    });
    assert!((net.layers()[0].w(0, 0) - 0.2224).abs() < 1e-15);
}

// Adam by hand, step 1: g = 2, m = 0.2, v = 0.004, m̂ = 2, v̂ = 4,
// w = 1 - 0.1·2/(2 + 1e-7) = 0.900000005 (to 1e-15). Step 2 evaluates the documented formula
// in plain scalar code here and must agree to the bit.
#[test]
fn adam_first_two_steps() {
    let (b1, b2, eps, lr) = (0.9, 0.999, 1e-7, 0.1);
    let one = {
        let mut net = line(1.0, 0.0);
        let cfg = TrainConfig {
            epochs: 1,
            lr,
            optimizer: "adam".parse().unwrap(),
            freeze: vec!["L1.b[1]".into()],
            ..TrainConfig::default()
        };
        run(&mut net, &Samples::new(&[1.0], &[0.0], 1, 1).unwrap(), &cfg);
        net.layers()[0].w(0, 0)
    };
    assert!((one - 0.900000005).abs() < 1e-15, "{one}");

    let mut w: f64 = 1.0;
    let (mut m, mut v) = (0.0, 0.0);
    for t in 1..=2 {
        let g = 2.0 * w;
        m = b1 * m + (1.0 - b1) * g;
        v = b2 * v + (1.0 - b2) * (g * g);
        let m_hat = m / (1.0 - f64::powi(b1, t));
        let v_hat = v / (1.0 - f64::powi(b2, t));
        w -= lr * m_hat / (v_hat.sqrt() + eps);
    }
    let net = two_steps(Optimizer::Adam {
        beta_1: b1,
        beta_2: b2,
        epsilon: eps,
    });
    assert_eq!(net.layers()[0].w(0, 0).to_bits(), w.to_bits());
    // Step 2 moves by about lr again (m̂/sqrt(v̂) ≈ 1 while the gradient keeps its sign).
    assert!((w - 0.8).abs() < 0.01);
}

#[test]
fn frozen_parameters_stay_bit_identical_while_the_others_move() {
    let (x, y) = course_data(50, 3);
    let data = Samples::new(&x, &y, 2, 1).unwrap();
    for optimizer in ["sgd", "momentum", "adam"] {
        let start = course::network(START_W, START_B);
        let mut net = start.clone();
        let cfg = TrainConfig {
            epochs: 20,
            optimizer: optimizer.parse().unwrap(),
            freeze: vec!["b1".into(), "b2".into()],
            ..TrainConfig::default()
        };
        assert!(!run(&mut net, &data, &cfg).fast_kernel);
        for name in ["b1", "b2"] {
            let id = net.param_by_name(name).unwrap();
            assert_eq!(
                net.get(id).to_bits(),
                start.get(id).to_bits(),
                "{optimizer} {name}"
            );
        }
        for name in ["w1", "w5", "b3"] {
            let id = net.param_by_name(name).unwrap();
            assert_ne!(net.get(id), start.get(id), "{optimizer} {name}");
        }
    }
}

/// The first (epoch, sample) at which a plain per-sample loop over core's backprop meets a
/// non-finite loss or parameter.
fn reference_divergence(mut net: Network, x: &[f64], y: &[f64], lr: f64) -> (usize, usize) {
    for epoch in 1..=100 {
        for (k, (xr, yr)) in x.chunks(2).zip(y.chunks(1)).enumerate() {
            let (_, loss, _, g) = net.backprop(xr, yr, Loss::SquaredError).unwrap();
            if !loss.is_finite() {
                return (epoch, k + 1);
            }
            net.apply_gradients(&g, lr);
            if net.params_flat().iter().any(|v| !v.is_finite()) {
                return (epoch, k + 1);
            }
        }
    }
    panic!("the reference run did not diverge");
}

// Weights around 100 with lr = 1 on a tanh-hidden, linear-output network: the loss grows by
// orders of magnitude each epoch until it overflows (in epoch 3 with this data).
#[test]
fn divergence_stops_at_the_first_non_finite_sample_with_a_finite_history() {
    let (x, y) = course_data(100, 2024);
    let data = Samples::new(&x, &y, 2, 1).unwrap();
    let hidden = Layer::new(
        vec![vec![100.0, 90.0], vec![80.0, -100.0]],
        vec![1.0, 1.0],
        Activation::Tanh,
    )
    .unwrap();
    let output = Layer::new(vec![vec![100.0, 100.0]], vec![1.0], Activation::Identity).unwrap();
    let start = Network::from_layers(vec![hidden, output]).unwrap();
    let (epoch, sample) = reference_divergence(start.clone(), &x, &y, 1.0);
    assert!(epoch > 1, "the history must not be empty for this test");
    let mut net = start.clone();
    let cfg = TrainConfig {
        lr: 1.0,
        ..TrainConfig::default()
    };
    let mut events = Vec::new();
    let out = train(&mut net, &data, None, &cfg, &mut |e| events.push(e.clone())).unwrap();
    match &out.status {
        TrainStatus::Diverged {
            epoch: e,
            sample: s,
            row,
            suggestion,
            parameter,
            value,
        } => {
            assert_eq!((*e, *s, *row), (epoch, sample, sample));
            assert_eq!(suggestion, "try a smaller learning rate, e.g. lr = 0.1");
            // The loss overflowed before any parameter did, so the report names the largest
            // parameter in magnitude, with the value it holds in the returned network.
            let largest = net.params_flat().iter().fold(0.0f64, |m, v| m.max(v.abs()));
            assert!(value.is_finite());
            assert_eq!(value.abs(), largest);
            assert_eq!(net.get(net.param_by_name(parameter).unwrap()), *value);
        }
        other => panic!("expected divergence, got {other:?}"),
    }
    assert_eq!(out.history.len(), epoch - 1);
    assert!(out.history.iter().all(|r| r.train_loss.is_finite()));
    assert!(matches!(events[events.len() - 2], Event::Diverged { .. }));
    assert_eq!(events.last(), Some(&Event::Finished));
    assert_eq!(out.sample_steps, ((epoch - 1) * 100 + sample - 1) as u64);
}

// A parameter overflowing while the loss is still finite, at row 1 (x1 = 8e153, x2 = 0,
// y = 0) from the course start: a1 = 8e153, a2 = 4e153, z3 = 1.2e154, loss = 1.44e308 (finite),
// dL/dz3 = 2.4e154, dL/dw1 = 2.4e154·w5·8e153 = inf, so w1 = 1 - 0.01·inf = -inf, the first
// in display order. Then a non-finite loss at row 3 of a second data set. Fast kernel and
// general path must report the same place.
#[test]
fn fast_and_general_paths_report_the_same_divergence() {
    let (mut x, mut y) = course_data(10, 1);
    x[0] = 8e153;
    x[1] = 0.0;
    y[0] = 0.0;
    let mut results = Vec::new();
    for kernel in [Kernel::Auto, Kernel::General] {
        let mut net = course::network(START_W, START_B);
        let cfg = TrainConfig {
            kernel,
            ..TrainConfig::default()
        };
        let out = run(&mut net, &Samples::new(&x, &y, 2, 1).unwrap(), &cfg);
        assert_eq!(
            out.status,
            TrainStatus::Diverged {
                epoch: 1,
                sample: 1,
                row: 1,
                parameter: "w1".into(),
                value: f64::NEG_INFINITY,
                suggestion: "try a smaller learning rate, e.g. lr = 0.001".into(),
            }
        );
        assert_eq!(out.sample_steps, 1);
        assert_eq!(out.fast_kernel, kernel == Kernel::Auto);
        assert!(out.history.is_empty());
        assert_eq!(out.best_epoch, None);
        results.push(
            net.params_flat()
                .iter()
                .map(|v| v.to_bits())
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(results[0], results[1]);

    // x1 = 1e200 at row 3: y_hat ≈ 1.5e200, its square overflows, so the loss is inf.
    let (mut x, y) = course_data(10, 1);
    x[4] = 1e200;
    let mut statuses = Vec::new();
    for kernel in [Kernel::Auto, Kernel::General] {
        let mut net = course::network(START_W, START_B);
        let cfg = TrainConfig {
            kernel,
            ..TrainConfig::default()
        };
        let out = run(&mut net, &Samples::new(&x, &y, 2, 1).unwrap(), &cfg);
        assert!(matches!(
            out.status,
            TrainStatus::Diverged {
                epoch: 1,
                sample: 3,
                ..
            }
        ));
        assert_eq!(out.sample_steps, 2);
        // Stopped before the third update: the parameters after two course steps.
        let mut reference = Course::new(START_W, START_B);
        reference.step(x[0], x[1], y[0], 0.01);
        reference.step(x[2], x[3], y[1], 0.01);
        let (w, b) = course::params(&net).unwrap();
        assert_eq!(w[0].to_bits(), reference.w1.to_bits());
        assert_eq!(b[2].to_bits(), reference.b3.to_bits());
        statuses.push(out.status);
    }
    assert_eq!(statuses[0], statuses[1]);
}

#[test]
fn a_healthy_run_lowers_the_loss() {
    let (x, y) = course_data(100, 11);
    let data = Samples::new(&x, &y, 2, 1).unwrap();
    // Momentum 0.9 multiplies the effective step by about 10, hence its smaller rate.
    for (optimizer, lr) in [("sgd", 0.01), ("momentum", 0.001), ("adam", 0.001)] {
        let mut net = course::network(START_W, START_B);
        let cfg = TrainConfig {
            epochs: 100,
            lr,
            optimizer: optimizer.parse().unwrap(),
            ..TrainConfig::default()
        };
        let out = run(&mut net, &data, &cfg);
        // Only plain SGD may take the fast course kernel.
        assert_eq!(out.fast_kernel, optimizer == "sgd", "{optimizer}");
        let (first, last) = (out.history[0].train_loss, out.history[99].train_loss);
        assert!(last < first / 10.0, "{optimizer}: {first} -> {last}");
        // best_epoch points at the lowest loss of the history.
        let best = out.history[out.best_epoch.unwrap() - 1].train_loss;
        assert!(
            out.history.iter().all(|r| r.train_loss >= best),
            "{optimizer}"
        );
    }
}

#[test]
fn shuffling_is_deterministic_per_seed() {
    let (x, y) = course_data(100, 4);
    let data = Samples::new(&x, &y, 2, 1).unwrap();
    let losses = |shuffle: bool, seed: u64| -> Vec<u64> {
        let mut net = course::network(START_W, START_B);
        let cfg = TrainConfig {
            epochs: 5,
            shuffle,
            shuffle_seed: seed,
            ..TrainConfig::default()
        };
        run(&mut net, &data, &cfg)
            .history
            .iter()
            .map(|r| r.train_loss.to_bits())
            .collect()
    };
    assert_eq!(losses(true, 1), losses(true, 1));
    assert_ne!(losses(true, 1), losses(true, 2));
    assert_ne!(losses(true, 1), losses(false, 1));
    // Without shuffling the seed plays no part.
    assert_eq!(losses(false, 1), losses(false, 2));
}
