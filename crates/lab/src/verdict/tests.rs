//! Each rule on a purpose-built case and its healthy twin: the inputs differ only in what
//! the rule looks at, so a test fails if the rule fires on the twin or misses the case.

use nnlab_train::TrainStatus;

use super::*;

/// A loss curve that falls geometrically from 1 to a floor and then stays flat (settled):
/// L_e = floor + 0.5^e.
fn settled(epochs: usize, floor: f64) -> Vec<f64> {
    (0..epochs).map(|e| floor + 0.5f64.powi(e as i32)).collect()
}

/// Predictions that vary like the targets: row i predicts i, target i + small noise.
fn varied(n: usize) -> (Vec<f64>, Vec<f64>) {
    let p: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let y: Vec<f64> = (0..n)
        .map(|i| i as f64 + 0.1 * ((i % 3) as f64 - 1.0))
        .collect();
    (p, y)
}

fn verdict(
    status: &TrainStatus,
    loss: &[f64],
    r2: f64,
    spread: Spread,
    line: Option<f64>,
) -> Verdict {
    judge(&Judge {
        status,
        train_loss: loss,
        judged_on: JudgedOn::Train,
        r2,
        spread,
        linear_r2: line,
        accuracy: None,
    })
}

fn healthy_spread() -> Spread {
    let (p, y) = varied(100);
    Spread::of(&p, &y)
}

#[test]
fn healthy_run_learned() {
    let v = verdict(
        &TrainStatus::Completed,
        &settled(300, 0.01),
        0.78,
        healthy_spread(),
        Some(0.75),
    );
    assert_eq!(v.outcome, Outcome::Learned, "{}", v.reason);
    assert!(
        v.reason.contains("0.78") && v.reason.contains("train set"),
        "{}",
        v.reason
    );
}

#[test]
fn spread_counts_identical_predictions() {
    // 96 rows predict exactly 0, 4 rows predict 1, 2, 3, 4: share 0.96, value 0. Targets
    // 0..99 (sd ≈ 28.87); predictions: mean 0.1, values 0 (96×), 1..4, so
    // sd = sqrt((96·0.01 + 0.81 + 3.61 + 8.41 + 15.21) / 100) = sqrt(0.29) ≈ 0.5385.
    let mut p = vec![0.0; 96];
    p.extend([1.0, 2.0, 3.0, 4.0]);
    let y: Vec<f64> = (0..100).map(|i| i as f64).collect();
    let s = Spread::of(&p, &y);
    assert_eq!((s.same_share, s.same_value), (0.96, 0.0));
    let sd_y = (((100.0f64 * 100.0) - 1.0) / 12.0).sqrt(); // population sd of 0..99
    assert!(
        (s.ratio - 0.29f64.sqrt() / sd_y).abs() < 1e-12,
        "{}",
        s.ratio
    );
    // NaN predictions are never "the same".
    let s = Spread::of(&[f64::NAN, f64::NAN, 1.0], &[0.0, 1.0, 2.0]);
    assert!((s.same_share - 1.0 / 3.0).abs() < 1e-15);
}

#[test]
fn stuck_when_most_rows_share_one_prediction() {
    let mut p = vec![0.0; 96];
    p.extend([1.0, 2.0, 3.0, 4.0]);
    let y: Vec<f64> = (0..100).map(|i| i as f64).collect();
    let v = verdict(
        &TrainStatus::Completed,
        &settled(300, 0.27),
        -4.5,
        Spread::of(&p, &y),
        Some(0.78),
    );
    assert_eq!(v.outcome, Outcome::Stuck, "{}", v.reason);
    assert!(
        v.reason
            .starts_with("96% of the train rows get the same prediction (0 in scaled units)"),
        "{}",
        v.reason
    );
    // Twin: 89 identical rows (below the 90% threshold) and a good R²: learned.
    let mut p = vec![0.0; 89];
    p.extend((1..=11).map(f64::from));
    let v = verdict(
        &TrainStatus::Completed,
        &settled(300, 0.01),
        0.8,
        Spread::of(&p, &y),
        Some(0.78),
    );
    assert_eq!(v.outcome, Outcome::Learned, "{}", v.reason);
}

#[test]
fn stuck_when_the_output_barely_varies() {
    // Predictions 5 + i·1e-4 against targets i: sd ratio 1e-4 < 1%.
    let p: Vec<f64> = (0..100).map(|i| 5.0 + i as f64 * 1e-4).collect();
    let y: Vec<f64> = (0..100).map(|i| i as f64).collect();
    let v = verdict(
        &TrainStatus::Completed,
        &settled(300, 0.2),
        -0.01,
        Spread::of(&p, &y),
        None,
    );
    assert_eq!(v.outcome, Outcome::Stuck, "{}", v.reason);
    assert!(v.reason.contains("vary 0.01% as much"), "{}", v.reason);
}

#[test]
fn diverged_first() {
    let status = TrainStatus::Diverged {
        epoch: 3,
        sample: 7,
        row: 12,
        parameter: "w5".into(),
        value: f64::INFINITY,
        suggestion: String::new(),
    };
    let v = verdict(&status, &[1.0, 2.0], f64::NAN, healthy_spread(), None);
    assert_eq!(v.outcome, Outcome::Diverged);
    assert!(
        v.reason.contains("epoch 3, sample 7") && v.reason.contains("w5"),
        "{}",
        v.reason
    );
}

#[test]
fn oscillating_needs_many_and_large_rises() {
    // 40 epochs alternating 1.0, 0.5: 19 rises of 0.5 in 39 steps (49%), summing to 9.5
    // against a fall of 0.5: oscillating.
    let zigzag: Vec<f64> = (0..40)
        .map(|e| if e % 2 == 0 { 1.0 } else { 0.5 })
        .collect();
    let v = verdict(
        &TrainStatus::Completed,
        &zigzag,
        0.6,
        healthy_spread(),
        None,
    );
    assert_eq!(v.outcome, Outcome::Oscillating, "{}", v.reason);
    assert!(
        v.reason.contains("went up in 19 of 39 epochs"),
        "{}",
        v.reason
    );
    // Twin: a falling curve with per-sample noise: 19 rises of 1e-6 against a fall of ~1
    // (0.002% of it): not oscillating.
    let noisy: Vec<f64> = settled(40, 0.01)
        .iter()
        .enumerate()
        .map(|(e, l)| l + if e % 2 == 0 { 1e-6 } else { 0.0 })
        .collect();
    let v = verdict(&TrainStatus::Completed, &noisy, 0.8, healthy_spread(), None);
    assert_eq!(v.outcome, Outcome::Learned, "{}", v.reason);
}

#[test]
fn still_improving_from_the_pace_of_the_last_epochs() {
    // 300 epochs falling 0.04% an epoch (L_e = 0.9996^e): the window is the last 30 epochs,
    // the median relative fall 4e-4, projected over 300 more epochs 12% >= 5%.
    let slow: Vec<f64> = (0..300).map(|e| 0.9996f64.powi(e)).collect();
    let pace = Pace::of(&slow).unwrap();
    assert_eq!(pace.window, 30);
    assert!((pace.per_epoch - 4e-4).abs() < 1e-12, "{}", pace.per_epoch);
    let v = verdict(
        &TrainStatus::Completed,
        &slow,
        0.74,
        healthy_spread(),
        Some(0.78),
    );
    assert_eq!(v.outcome, Outcome::StillImproving, "{}", v.reason);
    assert!(
        v.reason.contains("0.04% an epoch") && v.reason.contains("last 30 epochs"),
        "{}",
        v.reason
    );
    // Twin: 0.01% an epoch projects to 3% < 5%: settled, learned.
    let settled_slow: Vec<f64> = (0..300).map(|e| 0.9999f64.powi(e)).collect();
    let v = verdict(
        &TrainStatus::Completed,
        &settled_slow,
        0.78,
        healthy_spread(),
        Some(0.78),
    );
    assert_eq!(v.outcome, Outcome::Learned, "{}", v.reason);
    // One jump at the last epoch is not a pace: the median of the window ignores it.
    let mut jump = settled(300, 0.01);
    *jump.last_mut().unwrap() *= 0.99;
    assert_eq!(
        verdict(&TrainStatus::Completed, &jump, 0.78, healthy_spread(), None).outcome,
        Outcome::Learned
    );
    // Too short to tell (9 epochs < 2 windows of 5).
    assert_eq!(Pace::of(&slow[..9]), None);
}

#[test]
fn still_improving_wins_over_no_better_than_mean() {
    // A tiny rate: R² still negative but the loss falls 0.9% an epoch: more epochs help.
    let slow: Vec<f64> = (0..300).map(|e| 0.991f64.powi(e)).collect();
    let v = verdict(
        &TrainStatus::Completed,
        &slow,
        -0.28,
        healthy_spread(),
        Some(0.78),
    );
    assert_eq!(v.outcome, Outcome::StillImproving, "{}", v.reason);
    assert!(
        v.reason.contains("no better than the mean yet"),
        "{}",
        v.reason
    );
}

#[test]
fn no_better_than_mean_at_r2_zero_or_undefined() {
    for r2 in [0.0, -0.3, f64::NAN] {
        let v = verdict(
            &TrainStatus::Completed,
            &settled(300, 0.2),
            r2,
            healthy_spread(),
            None,
        );
        assert_eq!(
            v.outcome,
            Outcome::NoBetterThanMean,
            "r2 {r2}: {}",
            v.reason
        );
    }
    // Twin: R² just above 0 but below 0.25 is plateaued, not "no better than the mean".
    let v = verdict(
        &TrainStatus::Completed,
        &settled(300, 0.2),
        0.01,
        healthy_spread(),
        None,
    );
    assert_eq!(v.outcome, Outcome::Plateaued, "{}", v.reason);
}

#[test]
fn stopped_early_is_healthy_with_r2_above_zero() {
    let status = TrainStatus::StoppedEarly {
        epoch: 40,
        best_epoch: 30,
    };
    // Stopped runs are never "still improving", even if the train loss still falls.
    let slow: Vec<f64> = (0..40).map(|e| 0.99f64.powi(e)).collect();
    let v = verdict(&status, &slow, 0.7, healthy_spread(), Some(0.6));
    assert_eq!(v.outcome, Outcome::StoppedEarly, "{}", v.reason);
    assert!(
        v.reason.contains("epoch 40") && v.reason.contains("epoch 30"),
        "{}",
        v.reason
    );
    assert!(v.outcome.is_healthy());
    let v = verdict(&status, &slow, -0.1, healthy_spread(), Some(0.6));
    assert_eq!(v.outcome, Outcome::NoBetterThanMean);
}

#[test]
fn plateaued_below_the_straight_line_or_a_quarter() {
    // `--freeze b3` measured: R² 0.3623 against a straight line's 0.7804 (margin 0.05).
    let v = verdict(
        &TrainStatus::Completed,
        &settled(300, 0.03),
        0.3623,
        healthy_spread(),
        Some(0.7804),
    );
    assert_eq!(v.outcome, Outcome::Plateaued, "{}", v.reason);
    assert!(
        v.reason.contains("0.3623") && v.reason.contains("0.7804"),
        "{}",
        v.reason
    );
    // Twin: within the margin of the line (0.7804 - 0.05 = 0.7304 <= 0.74): learned.
    let v = verdict(
        &TrainStatus::Completed,
        &settled(300, 0.03),
        0.74,
        healthy_spread(),
        Some(0.7804),
    );
    assert_eq!(v.outcome, Outcome::Learned);
    // A noisy table: below 0.5 but at the line's level is learned (diabetes: 0.4551 vs 0.4313).
    let v = verdict(
        &TrainStatus::Completed,
        &settled(300, 0.03),
        0.4551,
        healthy_spread(),
        Some(0.4313),
    );
    assert_eq!(v.outcome, Outcome::Learned);
    // Beating a useless line is not enough below a quarter (x1 in [-50, 50): 0.0765 vs 0.0106).
    let v = verdict(
        &TrainStatus::Completed,
        &settled(300, 0.03),
        0.0765,
        healthy_spread(),
        Some(0.0106),
    );
    assert_eq!(v.outcome, Outcome::Plateaued, "{}", v.reason);
    assert!(v.reason.contains("less than a quarter"), "{}", v.reason);
}

#[test]
fn the_test_set_is_named_when_it_judges() {
    let v = judge(&Judge {
        status: &TrainStatus::Completed,
        train_loss: &settled(300, 0.01),
        judged_on: JudgedOn::Test,
        r2: 0.6452,
        spread: healthy_spread(),
        linear_r2: Some(0.6246),
        accuracy: None,
    });
    assert_eq!((v.outcome, v.judged_on), (Outcome::Learned, JudgedOn::Test));
    assert!(v.reason.contains("0.6452 on the test set"), "{}", v.reason);
}

#[test]
fn every_outcome_is_explained_with_its_thresholds() {
    let text = explain_outcomes();
    for o in Outcome::ALL {
        assert!(text.contains(o.name()), "{o} missing");
        assert_eq!(Outcome::parse(o.name()), Some(o));
    }
    for needle in [
        "90%",
        "1% of the targets",
        "25%",
        "10% of its fall",
        "5% more",
        "0.25",
        "0.05",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    assert!(text.lines().all(|l| l.chars().count() <= 88), "{text}");
}

#[test]
fn counts_describe_most_frequent_first() {
    let c = OutcomeCounts::of([
        Outcome::Learned,
        Outcome::Stuck,
        Outcome::Learned,
        Outcome::Diverged,
        Outcome::Stuck,
        Outcome::Learned,
    ]);
    assert_eq!(c.describe(), "3 learned, 2 stuck, 1 diverged");
    let json = serde_json::to_value(c).unwrap();
    assert_eq!(json["learned"], 3);
    assert_eq!(json["oscillating"], 0);
    let back: OutcomeCounts = serde_json::from_value(json).unwrap();
    assert_eq!(back, c);
    assert!(serde_json::from_str::<OutcomeCounts>(r#"{"fine": 1}"#).is_err());
}

// A one-row table (`builtin:course`, x = (1, 0), y = 2) fitted exactly: one prediction, one
// target, so 100% of the rows share a prediction and std(pred) / std(y) is 0/0. Before, the
// stuck rule fired ("100% of the train rows get the same prediction: the output is stuck");
// now the verdict says the fit cannot be judged, with the loss it reached.
#[test]
fn one_row_is_not_stuck_but_unjudgeable() {
    let one = Spread::of(&[2.0], &[2.0]);
    assert!(one.ratio.is_nan() && one.same_share == 1.0);
    let v = verdict(&TrainStatus::Completed, &[0.25, 0.125], f64::NAN, one, None);
    assert_eq!(v.outcome, Outcome::NoBetterThanMean, "{}", v.reason);
    assert!(
        v.reason
            .starts_with("the train set's targets are all equal (one row, or one value repeated)")
            && v.reason
                .ends_with("the training loss went from 0.25 to 0.125 in 2 epochs"),
        "{}",
        v.reason
    );
    // Its twin with two differing targets and one shared prediction is stuck.
    let two = Spread::of(&[2.0, 2.0], &[1.0, 3.0]);
    let v = verdict(&TrainStatus::Completed, &[0.25, 0.125], 0.0, two, None);
    assert_eq!(v.outcome, Outcome::Stuck, "{}", v.reason);
}
