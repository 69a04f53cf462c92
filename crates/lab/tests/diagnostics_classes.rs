//! The two findings of a classification run, `never_predicted` and `saturated`, each on a
//! network built or trained to show it beside its healthy twin; both silent for regression.

use nnlab_core::{Activation, Loss, Network};
use nnlab_lab::diagnostics::{
    diagnose, saturated_logit, Depth, Diagnostic, Evidence, Kind, SATURATED_P,
};
use nnlab_train::{train, EpochRecord, Samples, TrainConfig, TrainStatus};

/// Four rows on the x1 axis, class 1 where x1 > 0 (x2 is 0 and plays no part).
const X: [f64; 8] = [-2.0, 0.0, -1.0, 0.0, 1.0, 0.0, 2.0, 0.0];
const Y: [f64; 4] = [0.0, 0.0, 1.0, 1.0];

/// A 2-1 sigmoid network: p = σ(w1·x1 + w2·x2 + b).
fn logistic(w1: f64, b: f64) -> Network {
    let mut net = Network::zeros(&[2, 1], &[Activation::Sigmoid]).unwrap();
    net.set_params_flat(&[w1, 0.0, b]).unwrap();
    net
}

fn bce() -> TrainConfig {
    TrainConfig {
        loss: Loss::BinaryCrossEntropy,
        ..TrainConfig::default()
    }
}

fn kinds_of(net: &Network, cfg: &TrainConfig, history: &[EpochRecord]) -> Vec<Diagnostic> {
    run_of(net, net, cfg, history)
}

fn run_of(
    initial: &Network,
    net: &Network,
    cfg: &TrainConfig,
    history: &[EpochRecord],
) -> Vec<Diagnostic> {
    let s = Samples::new(&X, &Y, 2, 1).unwrap();
    diagnose(&Evidence {
        initial,
        final_net: net,
        history,
        status: &TrainStatus::Completed,
        verdict: None,
        train: s,
        test: None,
        cfg,
        snapshots: &[],
        depth: Depth::Kinds,
    })
}

fn find(d: &[Diagnostic], kind: Kind) -> Vec<&Diagnostic> {
    d.iter().filter(|x| x.kind == kind).collect()
}

// w = 0, b = -3: p = σ(-3) ≈ 0.0474 on every row, below 0.5, so every row is predicted
// class 0 and class 1 (the true class of rows 3 and 4) never is; accuracy 2/4 = the
// majority baseline 0.5. The twin w1 = 1, b = 0 predicts σ(-2), σ(-1) < 0.5 and σ(1),
// σ(2) > 0.5: both classes, all right.
#[test]
fn a_class_never_predicted_and_its_twin() {
    let cfg = bce();
    let d = kinds_of(&logistic(0.0, -3.0), &cfg, &[]);
    let never = find(&d, Kind::NeverPredicted);
    assert_eq!(never.len(), 1, "{d:?}");
    assert_eq!(never[0].involved, vec!["class 1"]);
    assert!(
        never[0].message.starts_with(
            "class 1 is the true class of 2 of the 4 training rows but is never predicted"
        ) && never[0]
            .message
            .contains("accuracy 0.5, always answering the most common class: 0.5"),
        "{}",
        never[0].message
    );
    assert!(find(
        &kinds_of(&logistic(1.0, 0.0), &cfg, &[]),
        Kind::NeverPredicted
    )
    .is_empty());
}

// The bound: σ(z) >= 1 - 1e-6 from z = ln((1 - 1e-6)/1e-6) = 13.8155. With w1 = 20 the
// smallest |z| is 20 (rows x1 = ±1): σ(-20) ≈ 2.06e-9, within 1e-6 of 0 on every row, so
// saturated. w1 = 10 gives σ(-10) ≈ 4.54e-5 on rows ±1: not within 1e-6, not saturated.
// Squared error on the same network: not a classification run, neither finding.
#[test]
fn saturated_outputs_and_their_twin() {
    assert!(
        (saturated_logit() - 13.8155).abs() < 1e-4,
        "{}",
        saturated_logit()
    );
    let s = 1.0 / (1.0 + (-saturated_logit()).exp());
    assert!((s - (1.0 - SATURATED_P)).abs() < 1e-15);
    let cfg = bce();
    let d = kinds_of(&logistic(20.0, 0.0), &cfg, &[]);
    let sat = find(&d, Kind::Saturated);
    assert_eq!(sat.len(), 1, "{d:?}");
    assert!(
        sat[0]
            .message
            .starts_with("every output on the 4 training rows is within 1e-6 of 0 or 1")
            && sat[0].message.contains("0 of them are wrong"),
        "{}",
        sat[0].message
    );
    assert!(find(&kinds_of(&logistic(10.0, 0.0), &cfg, &[]), Kind::Saturated).is_empty());
    let d = kinds_of(&logistic(20.0, -100.0), &TrainConfig::default(), &[]);
    assert!(find(&d, Kind::Saturated).is_empty() && find(&d, Kind::NeverPredicted).is_empty());
}

/// Trains `net` on the four rows: the final w1 and the diagnostics of the run.
fn trained(net: &Network, cfg: &TrainConfig) -> (f64, Vec<Diagnostic>) {
    let s = Samples::new(&X, &Y, 2, 1).unwrap();
    let mut n = net.clone();
    let o = train(&mut n, &s, None, cfg, &mut |_| {}).unwrap();
    let w1 = o.final_net.params_flat()[0];
    (w1, run_of(net, &o.final_net, cfg, &o.history))
}

// A run that fails on purpose: a start with w1 = -40 is certain and wrong on every row
// (p = σ(-40·x1)). The logit form's gradient on a wrong row is p - y = ±1 (to 1e-17), so each
// epoch moves w1 by lr·Σ|x1| = 0.01·(2 + 1 + 1 + 2) = 0.06: after the default 300 epochs
// w1 = -40 + 18 = -22 (asserted), still |z| >= 22 > 13.82 on every row, every answer wrong.
// The healthy twin starts at w1 = 0.1 and ends with both classes predicted, unsaturated.
#[test]
fn a_certain_wrong_start_stays_saturated() {
    let (w1, d) = trained(&logistic(-40.0, 0.0), &bce());
    assert!((w1 + 22.0).abs() < 1e-5, "{w1}");
    let sat = find(&d, Kind::Saturated);
    assert_eq!(sat.len(), 1, "{d:?}");
    assert!(
        sat[0].message.contains("4 of them are wrong"),
        "{}",
        sat[0].message
    );
    let (_, d) = trained(&logistic(0.1, 0.0), &bce());
    assert!(find(&d, Kind::Saturated).is_empty(), "{d:?}");
    assert!(find(&d, Kind::NeverPredicted).is_empty(), "{d:?}");
}
