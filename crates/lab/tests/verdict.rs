//! The rules of `nnlab_lab::verdict` on real runs of the course network, each beside its
//! healthy twin (the same run with the one setting that makes the trap changed back). The
//! rules on hand-made inputs at their thresholds are `verdict`'s unit tests.

use nnlab_lab::verdict::{JudgedOn, Outcome};
use nnlab_lab::{run, Experiment, RunResult};

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
