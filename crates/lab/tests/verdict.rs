//! Each rule of `nnlab_lab::verdict` on a purpose-built case and its healthy twin (the same
//! case with the one fact the rule reads changed), first on hand-made judge inputs at the
//! thresholds, then on real runs of the course network.

use nnlab_lab::verdict::{
    judge, Judge, JudgedOn, Outcome, Spread, LEARNED_R2, STUCK_SAME_SHARE, STUCK_SPREAD,
};
use nnlab_lab::{run, Experiment, RunResult};
use nnlab_train::TrainStatus;

/// A spread of predictions nothing is wrong with.
const VARIED: Spread = Spread {
    same_share: 0.01,
    same_value: 0.3,
    ratio: 0.9,
};

/// A loss falling to a settled value: 0.5^e for 10 epochs, then flat for 90.
fn settled() -> Vec<f64> {
    (1..=100).map(|e| 0.5f64.powi(e.min(10))).collect()
}

fn outcome(status: &TrainStatus, loss: &[f64], r2: f64, spread: Spread) -> Outcome {
    judge(&Judge {
        status,
        train_loss: loss,
        judged_on: JudgedOn::Train,
        r2,
        spread,
    })
    .outcome
}

fn done(loss: &[f64], r2: f64, spread: Spread) -> Outcome {
    outcome(&TrainStatus::Completed, loss, r2, spread)
}

#[test]
fn the_settled_twin_learns() {
    assert_eq!(done(&settled(), 0.8, VARIED), Outcome::Learned);
    // R² exactly at the threshold is learned, just below it plateaued.
    assert_eq!(done(&settled(), LEARNED_R2, VARIED), Outcome::Learned);
    assert_eq!(
        done(&settled(), LEARNED_R2 - 1e-9, VARIED),
        Outcome::Plateaued
    );
}

#[test]
fn diverged_needs_a_diverged_status() {
    let status = TrainStatus::Diverged {
        epoch: 3,
        sample: 7,
        row: 7,
        parameter: "w5".into(),
        value: f64::INFINITY,
        suggestion: String::new(),
    };
    let v = judge(&Judge {
        status: &status,
        train_loss: &settled(),
        judged_on: JudgedOn::Train,
        r2: 0.8,
        spread: VARIED,
    });
    assert_eq!(v.outcome, Outcome::Diverged);
    assert!(v.reason.contains("epoch 3, sample 7: w5"), "{}", v.reason);
}

#[test]
fn stuck_on_one_shared_prediction_at_the_threshold_share() {
    let same = |share| Spread {
        same_share: share,
        ..VARIED
    };
    assert_eq!(
        done(&settled(), 0.8, same(STUCK_SAME_SHARE)),
        Outcome::Stuck
    );
    assert_eq!(
        done(&settled(), 0.8, same(STUCK_SAME_SHARE - 0.01)),
        Outcome::Learned
    );
}

#[test]
fn stuck_on_an_almost_constant_output() {
    let ratio = |r| Spread { ratio: r, ..VARIED };
    assert_eq!(
        done(&settled(), 0.8, ratio(STUCK_SPREAD / 2.0)),
        Outcome::Stuck
    );
    assert_eq!(
        done(&settled(), 0.8, ratio(STUCK_SPREAD * 2.0)),
        Outcome::Learned
    );
}

/// 1.0, 0.5, 1.0, 0.5, ... rises in half the steps by a total far above 10% of the fall;
/// the twin falls by the same steps without rising.
#[test]
fn oscillating_needs_many_large_rises() {
    let zigzag: Vec<f64> = (0..20)
        .map(|i| if i % 2 == 0 { 1.0 } else { 0.5 })
        .collect();
    assert_eq!(done(&zigzag, 0.8, VARIED), Outcome::Oscillating);
    // Rises of 1e-6 on a fall of 0.5 are noise (below 10% of the fall).
    let noisy: Vec<f64> = (0..100)
        .map(|i| 0.5f64.powi(i.min(10)) + if i % 2 == 0 { 1e-6 } else { 0.0 })
        .collect();
    assert_eq!(done(&noisy, 0.8, VARIED), Outcome::Learned);
}

/// 0.99^e over 100 epochs falls 1% an epoch: 100% more in a second run, well above 5%.
#[test]
fn still_improving_projects_the_last_pace() {
    let falling: Vec<f64> = (1..=100).map(|e| 0.99f64.powi(e)).collect();
    assert_eq!(done(&falling, 0.8, VARIED), Outcome::StillImproving);
    // 0.01% per epoch projects 1% over 100 more epochs: settled.
    let slow: Vec<f64> = (1..=100).map(|e| 0.9999f64.powi(e)).collect();
    assert_eq!(done(&slow, 0.8, VARIED), Outcome::Learned);
}

#[test]
fn no_better_than_mean_at_r2_zero() {
    assert_eq!(done(&settled(), 0.0, VARIED), Outcome::NoBetterThanMean);
    assert_eq!(
        done(&settled(), f64::NAN, VARIED),
        Outcome::NoBetterThanMean
    );
    assert_eq!(done(&settled(), 0.01, VARIED), Outcome::Plateaued);
}

#[test]
fn stopped_early_when_early_stopping_ended_it() {
    let stopped = TrainStatus::StoppedEarly {
        epoch: 100,
        best_epoch: 90,
    };
    assert_eq!(
        outcome(&stopped, &settled(), 0.8, VARIED),
        Outcome::StoppedEarly
    );
    // A still-falling loss does not make a stopped run "still improving".
    let falling: Vec<f64> = (1..=100).map(|e| 0.99f64.powi(e)).collect();
    assert_eq!(
        outcome(&stopped, &falling, 0.8, VARIED),
        Outcome::StoppedEarly
    );
    assert_eq!(done(&falling, 0.8, VARIED), Outcome::StillImproving);
}

fn quiet(pairs: &[(&str, &str)]) -> RunResult {
    let mut exp = Experiment::default();
    for (k, v) in pairs {
        exp.set(k, v).unwrap_or_else(|e| panic!("{k}={v}: {e}"));
    }
    run(&exp, &mut |_| {}).unwrap()
}

/// Real runs of the course network, each beside its healthy twin (the default run, which
/// learns: R² 0.7851 on the train set).
#[test]
fn real_runs_and_their_twins() {
    let healthy = quiet(&[]);
    assert_eq!(healthy.outcome(), Outcome::Learned);
    assert_eq!(healthy.verdict.judged_on, JudgedOn::Train);
    // Biases of -5 kill every ReLU: all predictions 0.
    assert_eq!(quiet(&[("biases", "const:-5")]).outcome(), Outcome::Stuck);
    // A tiny rate is still falling at epoch 300.
    assert_eq!(
        quiet(&[("lr", "0.00005")]).outcome(),
        Outcome::StillImproving
    );
    // b3 held at 0.5 settles at R² 0.3623.
    assert_eq!(quiet(&[("freeze", "b3")]).outcome(), Outcome::Plateaued);
    // A linear network at lr 1 blows up; at the default rate it does not.
    let lin = [("activation", "identity"), ("weights", "normal:100,10")];
    assert_eq!(
        quiet(&[lin.as_slice(), &[("lr", "1")]].concat()).outcome(),
        Outcome::Diverged
    );
    assert_ne!(
        quiet(&[("activation", "identity")]).outcome(),
        Outcome::Diverged
    );
    // With a test set the verdict is judged on it.
    let held = quiet(&[("rows", "500"), ("test_fraction", "0.2")]);
    assert_eq!(held.verdict.judged_on, JudgedOn::Test);
    assert_eq!(held.outcome(), Outcome::Learned);
}
