//! The update preview: what the next sample step will do, against what the step then does
//! (bit for bit) and against the update rules worked by hand from core's gradients.

mod common;

use common::{course_data, START_B, START_W};
use nnlab_core::{course, Loss, Network};
use nnlab_train::{
    BatchSize, Optimizer, Samples, TrainConfig, TrainStatus, Trainer, Unit, UpdatePreview,
};

fn preview(t: &Trainer, data: &Samples) -> UpdatePreview {
    t.preview(data).expect("same set").expect("training runs")
}

fn param<'p>(p: &'p UpdatePreview, name: &str) -> &'p nnlab_train::ParamUpdate {
    p.params
        .iter()
        .find(|q| q.name == name)
        .expect("a parameter")
}

/// Every sample step of two epochs (shuffled, b1 frozen): the preview's `after` is the
/// network after the step, bit for bit, for SGD, momentum and Adam at batch 1 and 10.
#[test]
fn after_is_what_the_step_writes() {
    let (x, y) = course_data(25, 4);
    let data = Samples::new(&x, &y, 2, 1).expect("rows");
    for optimizer in ["sgd", "momentum:0.9", "nesterov", "adam"] {
        for batch in [1, 10] {
            let cfg = TrainConfig {
                lr: 0.05,
                batch_size: BatchSize::Rows(batch),
                optimizer: optimizer.parse().expect("an optimizer"),
                shuffle: true,
                freeze: vec!["b1".into()],
                ..TrainConfig::default()
            };
            let net = course::network(START_W, START_B);
            let mut t = Trainer::new(net, &cfg, &data, None).expect("a valid run");
            let mut updates = 0;
            for _ in 0..2 * 25 {
                let p = preview(&t, &data);
                let row = t.next_row();
                assert_eq!(p.row, row + 1);
                t.step(&data, None, Unit::Sample, 1, &mut |_| {})
                    .expect("a step");
                let after: Vec<u64> = t
                    .network()
                    .named_param_ids()
                    .iter()
                    .map(|(_, id)| t.network().get(*id).to_bits())
                    .collect();
                let shown: Vec<u64> = p.params.iter().map(|q| q.after.to_bits()).collect();
                assert_eq!(shown, after, "{optimizer} batch {batch}");
                let b1 = param(&p, "b1");
                assert!(b1.frozen && b1.after == b1.before);
                if p.updates {
                    updates += 1;
                    assert!(p
                        .params
                        .iter()
                        .all(|q| q.gradient.is_some() && q.sum.is_none()));
                } else {
                    // No update yet: nothing moves, the batch's sum is shown instead.
                    assert!(p
                        .params
                        .iter()
                        .all(|q| q.after == q.before && q.sum.is_some()));
                }
            }
            // 25 rows: batches of 10, 10, 5 (3 updates an epoch), or 25 of one row.
            assert_eq!(updates, if batch == 1 { 50 } else { 6 });
        }
    }
}

/// Core's per-sample gradients of `net` on rows `rows`, in display order (the preview's).
fn gradients(net: &Network, x: &[f64], y: &[f64], rows: std::ops::Range<usize>) -> Vec<Vec<f64>> {
    rows.map(|r| {
        let (_, _, _, g) = net
            .backprop(&x[2 * r..2 * r + 2], &y[r..r + 1], Loss::SquaredError)
            .expect("a row");
        display(net, &g.flat())
    })
    .collect()
}

/// Values in flat parameter order, reordered into display order (`w1..w6, b1..b3`).
fn display(net: &Network, flat: &[f64]) -> Vec<f64> {
    let ids = net.param_ids();
    net.named_param_ids()
        .iter()
        .map(|(_, id)| flat[ids.iter().position(|i| i == id).expect("an id")])
        .collect()
}

// Batch 10, SGD, rows in file order: samples 1..9 only add to Σg; sample 10 updates with
// g = (g_1 + ... + g_10)·(1/10), each g_k from core's backprop at the starting point, and
// p = p - lr·g.
#[test]
fn a_batch_updates_once_with_its_mean_gradient() {
    let (x, y) = course_data(20, 6);
    let data = Samples::new(&x, &y, 2, 1).expect("rows");
    let start = course::network(START_W, START_B);
    let cfg = TrainConfig {
        batch_size: BatchSize::Rows(10),
        ..TrainConfig::default()
    };
    let mut t = Trainer::new(start.clone(), &cfg, &data, None).expect("a valid run");
    let g = gradients(&start, &x, &y, 0..10);
    let flat = |p: &UpdatePreview, f: fn(&nnlab_train::ParamUpdate) -> Option<f64>| -> Vec<f64> {
        p.params.iter().map(|q| f(q).expect("shown")).collect()
    };
    let mut sum = vec![0.0; 9];
    for k in 1..=10 {
        let p = preview(&t, &data);
        assert_eq!((p.batch_sample, p.batch_size, p.updates), (k, 10, k == 10));
        for (s, gk) in sum.iter_mut().zip(&g[k - 1]) {
            *s += gk;
        }
        if k < 10 {
            assert_eq!(flat(&p, |q| q.sum), sum);
            assert!(p.batch_formula.contains(&format!("sample {k} of 10")));
        } else {
            let mean: Vec<f64> = sum.iter().map(|s| s * (1.0 / 10.0)).collect();
            assert_eq!(flat(&p, |q| q.gradient), mean);
            let after: Vec<f64> = display(&start, &start.params_flat())
                .iter()
                .zip(&mean)
                .map(|(p, g)| p - 0.01 * g)
                .collect();
            assert_eq!(p.params.iter().map(|q| q.after).collect::<Vec<_>>(), after);
            assert_eq!(p.formula, "p = p - lr·g  with lr = 0.01");
        }
        t.step(&data, None, Unit::Sample, 1, &mut |_| {})
            .expect("a step");
    }
}

// The first update from rest, batch 1, row 1, with g = dL/dp from core:
// momentum 0.9:  v = 0.9·0 - lr·g = -lr·g, p = p + v;
// Adam:          m = 0.1·g, v = 0.001·g², m_hat = m/(1 - 0.9) ≈ g, v_hat = v/(1 - 0.999) ≈ g²,
//                so each parameter with |g| >> eps moves by lr against the sign of g.
#[test]
fn first_updates_of_momentum_and_adam_by_hand() {
    let (x, y) = course_data(10, 8);
    let data = Samples::new(&x, &y, 2, 1).expect("rows");
    let start = course::network(START_W, START_B);
    let g = &gradients(&start, &x, &y, 0..1)[0];
    let before = display(&start, &start.params_flat());
    let lr = 0.01;
    let make = |opt: &str| {
        let cfg = TrainConfig {
            lr,
            optimizer: opt.parse::<Optimizer>().expect("an optimizer"),
            ..TrainConfig::default()
        };
        Trainer::new(start.clone(), &cfg, &data, None).expect("a valid run")
    };
    let p = preview(&make("momentum:0.9"), &data);
    for ((q, g), b) in p.params.iter().zip(g).zip(&before) {
        assert_eq!(q.gradient, Some(*g));
        assert_eq!(q.state.velocity, Some(0.9 * 0.0 - lr * g));
        assert_eq!(q.after, b + (0.9 * 0.0 - lr * g));
    }
    assert_eq!(
        p.formula,
        "v = momentum·v - lr·g;  p = p + v  with momentum = 0.9, lr = 0.01"
    );
    let p = preview(&make("adam"), &data);
    let mut moved = 0;
    for ((q, g), b) in p.params.iter().zip(g).zip(&before) {
        assert_eq!(q.state.m, Some(0.9 * 0.0 + (1.0 - 0.9) * g));
        assert_eq!(q.state.v, Some(0.999 * 0.0 + (1.0 - 0.999) * (g * g)));
        let m_hat = q.state.m_hat.expect("m_hat");
        assert!(
            (m_hat - g).abs() <= 1e-15 * g.abs(),
            "{} {m_hat} {g}",
            q.name
        );
        if g.abs() > 1e-3 {
            moved += 1;
            let step = q.after - b;
            assert!((step + lr * g.signum()).abs() < 1e-9, "{}: {step}", q.name);
        }
    }
    assert!(moved >= 3, "the first row moves several parameters");
    assert!(p.formula.starts_with("t = 1;"), "{}", p.formula);
    assert!(p
        .formula
        .ends_with("with b1 = 0.9, b2 = 0.999, eps = 1e-7, lr = 0.01"));
}

// A step that makes the run diverge says so, and after training ends there is no preview.
#[test]
fn a_diverging_step_and_an_ended_run() {
    let data = Samples::new(&[1.0, 1.0], &[1.0], 2, 1).expect("a row");
    let net = course::network([1e300; 6], [1e300; 3]);
    let mut t = Trainer::new(net, &TrainConfig::default(), &data, None).expect("a valid run");
    let p = preview(&t, &data);
    assert!(!p.loss.is_finite());
    assert!(matches!(p.status, TrainStatus::Diverged { .. }));
    assert!(!p.updates && p.params.iter().all(|q| q.gradient.is_none()));
    t.step(&data, None, Unit::Sample, 1, &mut |_| {})
        .expect("a step");
    assert!(!t.is_running());
    assert_eq!(t.preview(&data).expect("same set"), None);
}
