//! Each finding of `nnlab_lab::diagnostics` on a purpose-built network whose numbers can be
//! derived by hand (each test says how), beside its healthy twin. The runs of the course
//! network are in `diagnostics.rs`.

use nnlab_core::{Activation, Network};
use nnlab_lab::diagnostics::{diagnose, Depth, Diagnostic, Evidence, Kind, Severity};
use nnlab_train::{train, EpochRecord, Event, Samples, TrainConfig, TrainStatus};

/// A trained run's evidence parts: the final network, history, status, end-of-epoch
/// snapshots (as `train_prepared` collects them).
fn trained(
    net: &Network,
    s: &Samples,
    cfg: &TrainConfig,
) -> (Network, Vec<EpochRecord>, TrainStatus, Vec<Vec<f64>>) {
    let mut snaps = Vec::new();
    let mut n = net.clone();
    let o = train(&mut n, s, None, cfg, &mut |e| {
        if let Event::Params { params, .. } = e {
            snaps.push(params.clone());
        }
    })
    .unwrap();
    (o.final_net, o.history, o.status, snaps)
}

fn evidence<'a>(
    initial: &'a Network,
    final_net: &'a Network,
    history: &'a [EpochRecord],
    train: Samples<'a>,
    cfg: &'a TrainConfig,
    snapshots: &'a [Vec<f64>],
    depth: Depth,
) -> Evidence<'a> {
    Evidence {
        initial,
        final_net,
        history,
        status: &TrainStatus::Completed,
        verdict: None,
        train,
        test: None,
        cfg,
        snapshots,
        depth,
    }
}

/// A history with these epoch losses (no test set).
fn records(loss: &[f64], lr: f64) -> Vec<EpochRecord> {
    loss.iter()
        .enumerate()
        .map(|(i, &l)| EpochRecord {
            epoch: i + 1,
            train_loss: l,
            test_loss: None,
            lr,
        })
        .collect()
}

fn find(d: &[Diagnostic], kind: Kind) -> Vec<&Diagnostic> {
    d.iter().filter(|x| x.kind == kind).collect()
}

/// A 2-2-1 ReLU network with the given flat parameters ([`Network::params_flat`] order:
/// L1 weights row-major, L1 biases, L2 weights, L2 bias).
fn course(params: &[f64]) -> Network {
    let mut net = Network::zeros(&[2, 2, 1], &[Activation::Relu, Activation::Relu]).unwrap();
    net.set_params_flat(params).unwrap();
    net
}

/// The four corners of the unit square, targets 0, 1, 1, 2 (x1 + x2).
const X: [f64; 8] = [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0];
const Y: [f64; 4] = [0.0, 1.0, 1.0, 2.0];

/// Output bias -1 and output weights 0: z3 = -1 for every row, so every prediction is
/// ReLU(-1) = 0 and node 3 is the cause. Hidden biases -1 with zero weights instead:
/// z1 = z2 = -1, both hidden ReLUs off, and the output is its bias 0.25 for every row.
#[test]
fn constant_output_names_the_neurons_that_are_off() {
    let cfg = TrainConfig::default();
    let s = Samples::new(&X, &Y, 2, 1).unwrap();
    let dead_out = course(&[1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.0, 0.0, -1.0]);
    let d = diagnose(&evidence(
        &dead_out,
        &dead_out,
        &[],
        s,
        &cfg,
        &[],
        Depth::Kinds,
    ));
    let c = find(&d, Kind::ConstantOutput);
    assert_eq!(c.len(), 1, "{d:?}");
    assert_eq!(
        c[0].message,
        "100% of the 4 train rows get the same prediction, 0 (scaled units): node 3's z is <= 0 for them, so the output ReLU gives 0"
    );
    assert_eq!(c[0].involved, ["node 3"]);

    let dead_hidden = course(&[0.0, 0.0, 0.0, 0.0, -1.0, -1.0, 1.0, 1.0, 0.25]);
    let d = diagnose(&evidence(
        &dead_hidden,
        &dead_hidden,
        &[],
        s,
        &cfg,
        &[],
        Depth::Kinds,
    ));
    let c = find(&d, Kind::ConstantOutput);
    assert!(
        c[0].message
            .starts_with("100% of the 4 train rows get the same prediction, 0.25")
            && c[0]
                .message
                .contains("every neuron of hidden layer 1 (node 1 and node 2)"),
        "{}",
        c[0].message
    );
    // Its healthy twin: hidden biases +1, so z1 = x1 + x2 + 1 > 0 varies with the row.
    let alive = course(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.25]);
    let d = diagnose(&evidence(&alive, &alive, &[], s, &cfg, &[], Depth::Kinds));
    assert!(find(&d, Kind::ConstantOutput).is_empty(), "{d:?}");
    assert!(find(&d, Kind::DeadRelu).is_empty(), "{d:?}");
}

/// A 1-1-1 network (ReLU hidden, identity output), w1 = 1, b1 = 0.5, w2 = 1, b2 = 0, lr 1,
/// on the rows x = 0 (y = 0.5) and x = 2 (y = 0).
/// Sample 1: z1 = 0.5, y_hat = 0.5 = y, so every gradient is 0 and nothing moves.
/// Sample 2: z1 = 2·1 + 0.5 = 2.5, y_hat = 2.5, dL/dy_hat = 2(2.5 - 0) = 5, so
/// dL/dw1 = 5·w2·x = 10 and dL/db1 = 5: w1 -> 1 - 10 = -9, b1 -> 0.5 - 5 = -4.5, and then
/// z1 = -4.5 (x = 0) and -22.5 (x = 2): dead for every row, killed in epoch 1 at sample 2
/// by the update of w1 (the larger of its own two changes) by -10.
#[test]
fn dead_relu_names_the_update_that_killed_it() {
    let mut net = Network::zeros(&[1, 1, 1], &[Activation::Relu, Activation::Identity]).unwrap();
    net.set_params_flat(&[1.0, 0.5, 1.0, 0.0]).unwrap();
    let (x, y) = ([0.0, 2.0], [0.5, 0.0]);
    let s = Samples::new(&x, &y, 1, 1).unwrap();
    let cfg = TrainConfig {
        lr: 1.0,
        epochs: 3,
        ..TrainConfig::default()
    };
    let (fin, history, _, snaps) = trained(&net, &s, &cfg);
    let d = diagnose(&evidence(
        &net,
        &fin,
        &history,
        s,
        &cfg,
        &snaps,
        Depth::Full,
    ));
    let dead = find(&d, Kind::DeadRelu);
    assert_eq!(dead.len(), 1, "{d:?}");
    assert_eq!(
        dead[0].message,
        "L1.n1 died in epoch 1 at sample 2: the update of L1.w[1][1] by -10 (dL/dL1.w[1][1] = 10, lr 1) pushed its z below 0 for every training row, so its gradient is 0 from then on"
    );
    assert_eq!((dead[0].epoch, dead[0].sample), (Some(1), Some(2)));
    assert_eq!(dead[0].involved, ["L1.n1", "L1.w[1][1]"]);
    // Without the replay (the lane sweep's depth) the snapshots still tell the epoch.
    let d = diagnose(&evidence(
        &net,
        &fin,
        &history,
        s,
        &cfg,
        &snaps,
        Depth::Kinds,
    ));
    let dead = find(&d, Kind::DeadRelu);
    assert!(dead[0]
        .message
        .starts_with("L1.n1 is a dead ReLU since epoch 1:"));
    assert_eq!((dead[0].epoch, dead[0].sample), (Some(1), None));
    // The healthy twin, lr 0.01: w1 -> 1 - 0.1, b1 -> 0.5 - 0.05; z1 stays > 0.
    let calm = TrainConfig { lr: 0.01, ..cfg };
    let (fin, history, _, snaps) = trained(&net, &s, &calm);
    let d = diagnose(&evidence(
        &net,
        &fin,
        &history,
        s,
        &calm,
        &snaps,
        Depth::Full,
    ));
    assert!(find(&d, Kind::DeadRelu).is_empty(), "{d:?}");
}

/// y_hat = w·x + b with w = 0 and b = 0.5 frozen, on x = 1, 3 with targets 1, 1: the
/// residuals are 0.5 - 1 = -0.5, so dL/db = mean 2·(-0.5) = -1 (raising b lowers the loss).
#[test]
fn frozen_names_the_held_value_and_the_gradient_it_would_get() {
    let mut net = Network::zeros(&[1, 1], &[Activation::Identity]).unwrap();
    net.set_params_flat(&[0.0, 0.5]).unwrap();
    let (x, y) = ([1.0, 3.0], [1.0, 1.0]);
    let s = Samples::new(&x, &y, 1, 1).unwrap();
    let cfg = TrainConfig {
        freeze: vec!["L1.b[1]".into()],
        ..TrainConfig::default()
    };
    let d = diagnose(&evidence(&net, &net, &[], s, &cfg, &[], Depth::Kinds));
    let f = find(&d, Kind::Frozen);
    assert_eq!(f.len(), 1, "{d:?}");
    assert_eq!(
        f[0].message,
        "L1.b[1] was frozen at 0.5: at the end dL/dL1.b[1] = -1, so training it would lower the loss (by raising L1.b[1])"
    );
    assert_eq!(f[0].severity, Severity::Warning);
    // Nothing moved (initial = final): no movers line.
    assert!(find(&d, Kind::LargestMovers).is_empty(), "{d:?}");
    // Its twin with nothing frozen has no `frozen` warning.
    let free = TrainConfig::default();
    let d = diagnose(&evidence(&net, &net, &[], s, &free, &[], Depth::Kinds));
    assert!(find(&d, Kind::Frozen).is_empty(), "{d:?}");
}

/// y_hat = w·x + b on x = 1, 3 with squared error: H = (2/n)·Σ [x 1]ᵀ[x 1] = [[10, 4],
/// [4, 2]], λ = 6 + √32 = 11.66, 1/λ = 0.08579, 2/λ = 0.1716. A history whose loss doubles
/// from epoch 1 to 2 overshoots; at lr 0.2 > 2/λ the message says steps diverge along it.
#[test]
fn overshooting_gives_the_rate_that_would_not_overshoot() {
    let net = Network::zeros(&[1, 1], &[Activation::Identity]).unwrap();
    let (x, y) = ([1.0, 3.0], [1.0, 2.0]);
    let s = Samples::new(&x, &y, 1, 1).unwrap();
    let cfg = TrainConfig {
        lr: 0.2,
        ..TrainConfig::default()
    };
    let history = records(&[1.0, 2.0, 1.5], 0.2);
    let snaps = vec![vec![0.0, 0.0]; 3];
    let d = diagnose(&evidence(
        &net,
        &net,
        &history,
        s,
        &cfg,
        &snaps,
        Depth::Full,
    ));
    let o = find(&d, Kind::Overshooting);
    assert_eq!(o.len(), 1, "{d:?}");
    let m = &o[0].message;
    assert!(
        m.starts_with(
            "the training loss rose in 1 of 2 epoch steps, most from epoch 1 to 2 (1 -> 2, +100%)"
        ),
        "{m}"
    );
    for part in [
        "λ = 11.66",
        "above 2/λ = 0.1716",
        "below 1/λ = 0.08579 would not overshoot",
    ] {
        assert!(m.contains(part), "missing '{part}' in {m}");
    }
    assert_eq!(o[0].epoch, Some(2));
    // The cheap depth finds the same kind without the estimate.
    let d = diagnose(&evidence(
        &net,
        &net,
        &history,
        s,
        &cfg,
        &snaps,
        Depth::Kinds,
    ));
    let o = find(&d, Kind::Overshooting);
    assert!(!o[0].message.contains('λ'), "{}", o[0].message);
    // A rise of 0.5% is per-sample noise, not an overshoot.
    let noisy = records(&[1.0, 1.005, 0.9], 0.2);
    let d = diagnose(&evidence(&net, &net, &noisy, s, &cfg, &snaps, Depth::Full));
    assert!(find(&d, Kind::Overshooting).is_empty(), "{d:?}");
    // The advice follows the rate the rising epoch ran at: 0.1 lies between 1/λ and 2/λ,
    // 0.05 below 1/λ (the rises then come from single samples' steps).
    for (lr, says) in [
        (
            0.1,
            "lr 0.1 is above 1/λ: a learning rate below 1/λ = 0.08579 would not overshoot",
        ),
        (
            0.05,
            "lr 0.05 is already below 1/λ = 0.08579: the rises come from single samples",
        ),
    ] {
        let h = records(&[1.0, 2.0, 1.5], lr);
        let d = diagnose(&evidence(&net, &net, &h, s, &cfg, &snaps, Depth::Full));
        let m = &find(&d, Kind::Overshooting)[0].message;
        assert!(m.contains(says), "lr {lr}: {m}");
    }
}

/// A loss that falls 1% every epoch for 20 epochs (0.99^e): the pace window is 5 epochs
/// (10% of 20 is below the minimum of 5), the median fall 1% per epoch, 20% more over
/// another 20 epochs: the verdict is still_improving, and slow learning says how fast.
#[test]
fn slow_learning_says_how_fast_the_loss_still_falls() {
    use nnlab_lab::verdict::{judge, Judge, JudgedOn, Outcome, Spread};
    let net = course(&[1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 1.0, 1.0, 0.0]);
    let s = Samples::new(&X, &Y, 2, 1).unwrap();
    let cfg = TrainConfig::default();
    let loss: Vec<f64> = (1..=20).map(|e| 0.99f64.powi(e)).collect();
    let history = records(&loss, 0.01);
    let spread = Spread {
        same_share: 0.25,
        same_value: 0.0,
        ratio: 1.0,
    };
    let verdict = |train_loss: &[f64]| {
        judge(&Judge {
            status: &TrainStatus::Completed,
            train_loss,
            judged_on: JudgedOn::Train,
            r2: 0.9,
            spread,
            linear_r2: None,
            accuracy: None,
        })
    };
    let v = verdict(&loss);
    assert_eq!(v.outcome, Outcome::StillImproving);
    let ev = Evidence {
        verdict: Some(&v),
        ..evidence(&net, &net, &history, s, &cfg, &[], Depth::Kinds)
    };
    let d = diagnose(&ev);
    let slow = find(&d, Kind::SlowLearning);
    assert_eq!(slow.len(), 1, "{d:?}");
    assert!(
        slow[0].message.starts_with("training is slow: the training loss still falls 1% per epoch over the last 5 epochs (median), 20% more in another 20 epochs"),
        "{}",
        slow[0].message
    );
    // The settled twin (the same 20 epochs, flat from epoch 10) is not still improving.
    let settled: Vec<f64> = (1..=20).map(|e| 0.99f64.powi(e.min(10))).collect();
    let v = verdict(&settled);
    assert_ne!(v.outcome, Outcome::StillImproving);
    let ev = Evidence {
        verdict: Some(&v),
        ..evidence(&net, &net, &history, s, &cfg, &[], Depth::Kinds)
    };
    assert!(find(&diagnose(&ev), Kind::SlowLearning).is_empty());
}

/// Old stored diagnostics (before `sample` existed) still read, as `sample: None`; kinds
/// round-trip through their names.
#[test]
fn stored_diagnostics_without_sample_still_read() {
    let old = r#"{"kind":"dead_relu","severity":"warning","epoch":1,"involved":["node 1"],"message":"m"}"#;
    let d: Diagnostic = serde_json::from_str(old).unwrap();
    assert_eq!((d.epoch, d.sample), (Some(1), None));
    for k in Kind::ALL {
        assert_eq!(Kind::parse(k.name()), Some(k));
        assert_eq!(
            serde_json::to_string(&k).unwrap(),
            format!("\"{}\"", k.name())
        );
    }
}
