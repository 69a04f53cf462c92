//! Each diagnostic fires on a run built to show it, and stays silent on runs that do not.
//! The cases were found by running them (`nnlab train ... --json`, `nnlab sweep` over seeds)
//! and are pinned here with the reason each one must behave as asserted.

use nnlab_lab::diagnostics::{Kind, Severity};
use nnlab_lab::{run, Experiment, RunResult};

fn quiet(pairs: &[(&str, &str)]) -> RunResult {
    let mut exp = Experiment::default();
    for (k, v) in pairs {
        exp.set(k, v).unwrap_or_else(|e| panic!("{k}={v}: {e}"));
    }
    run(&exp, &mut |_| {}).unwrap()
}

fn kinds(r: &RunResult) -> Vec<Kind> {
    r.diagnostics.iter().map(|d| d.kind).collect()
}

/// The parameters the `frozen` warnings name, in order.
fn frozen(r: &RunResult) -> Vec<&str> {
    r.diagnostics
        .iter()
        .filter(|d| d.kind == Kind::Frozen)
        .flat_map(|d| d.involved.iter().map(String::as_str))
        .collect()
}

fn warnings(r: &RunResult) -> Vec<Kind> {
    r.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.kind)
        .collect()
}

/// The course's default run learns steadily (epoch loss 0.1845 -> 0.0108, falling every
/// epoch): nothing is wrong, so the only entry is the informational list of movers.
#[test]
fn a_healthy_run_has_no_warnings() {
    let r = quiet(&[]);
    assert_eq!(kinds(&r), vec![Kind::LargestMovers]);
    assert!(warnings(&r).is_empty());
    // The movers entry names the largest mover of the parameter table: w5 moved 0.518.
    assert_eq!(
        r.diagnostics[0].involved.first().map(String::as_str),
        Some("w5")
    );
}

/// Seed 5 of uniform(-1, 1) starts at lr 0.1 for 100 epochs: the loss rises in at least a
/// quarter of the epochs (found with `nnlab sweep --vary lr=... --vary seed=0..6`), while
/// the same start at lr 0.001 descends smoothly. Oscillation is about the rate, so only the
/// rate changes between the two runs.
#[test]
fn oscillation_fires_at_a_high_rate_only() {
    let start = [
        ("weights", "uniform:-1,1"),
        ("biases", "uniform:-1,1"),
        ("seed", "5"),
        ("epochs", "100"),
    ];
    let high = quiet(&[start.as_slice(), &[("lr", "0.1")]].concat());
    let osc = high
        .diagnostics
        .iter()
        .find(|d| d.kind == Kind::Oscillation)
        .unwrap_or_else(|| panic!("{:?}", kinds(&high)));
    assert_eq!(osc.severity, Severity::Warning);
    // The claim holds: the loss went up from one epoch to the next at least 5 times.
    let rises = high.epoch_loss().windows(2).filter(|w| w[1] > w[0]).count();
    assert!(rises >= 5, "{rises}");

    let low = quiet(&[start.as_slice(), &[("lr", "0.001")]].concat());
    assert!(
        !kinds(&low).contains(&Kind::Oscillation),
        "{:?}",
        kinds(&low)
    );
}

/// A linear network (identity activations) trained full-batch at lr 0.6 overshoots more
/// every epoch: epoch 1 loss 1.87, epoch 4 about 1.6e5 (a thousand-fold growth) while still
/// finite, so this is "exploding", not "divergence". At lr 0.01 the same run descends.
#[test]
fn exploding_fires_on_growing_finite_loss() {
    let base = [
        ("activation", "identity"),
        ("batch_size", "full"),
        ("epochs", "4"),
    ];
    let r = quiet(&[base.as_slice(), &[("lr", "0.6")]].concat());
    assert!(r.epoch_loss().iter().all(|l| l.is_finite()));
    assert!(
        r.epoch_loss()[3] / r.epoch_loss()[0] >= 1e3,
        "{:?}",
        r.epoch_loss()
    );
    assert!(kinds(&r).contains(&Kind::Exploding), "{:?}", kinds(&r));
    assert!(!kinds(&r).contains(&Kind::Divergence));

    let calm = quiet(&[base.as_slice(), &[("lr", "0.01")]].concat());
    assert!(
        !kinds(&calm).contains(&Kind::Exploding),
        "{:?}",
        kinds(&calm)
    );
}

/// Every parameter frozen: nothing can move, the loss is the same every epoch. The
/// stagnation warning says the loss did not move but leaves the parameters to the `frozen`
/// warnings (one per parameter), so nothing is said twice. With only b1 and b2 frozen the
/// run still learns: no stagnation at all, and a `frozen` warning for each of the two.
#[test]
fn stagnation_leaves_frozen_parameters_to_their_own_warning() {
    let r = quiet(&[("freeze", "w1,w2,w3,w4,w5,w6,b1,b2,b3"), ("epochs", "20")]);
    assert!(r.epoch_loss().windows(2).all(|w| w[0] == w[1]));
    let st = r
        .diagnostics
        .iter()
        .find(|d| d.kind == Kind::Stagnation)
        .unwrap_or_else(|| panic!("{:?}", kinds(&r)));
    assert_eq!(st.severity, Severity::Warning);
    assert!(st.involved.is_empty(), "{:?}", st.involved);
    assert!(st.message.contains("barely moved"), "{}", st.message);
    assert_eq!(
        frozen(&r),
        ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
    );
    // Nothing moved, so there is no "moved most" line.
    assert!(!kinds(&r).contains(&Kind::LargestMovers));

    let some = quiet(&[("freeze", "b1,b2"), ("epochs", "20")]);
    assert!(some.epoch_loss()[19] < some.epoch_loss()[0]);
    assert!(
        !kinds(&some).contains(&Kind::Stagnation),
        "{:?}",
        kinds(&some)
    );
    assert_eq!(frozen(&some), ["b1", "b2"]);
}
