//! `nnlab train --explain-outcomes` and the outcome line of a run, through the real binary.

use std::process::Command;

fn nnlab(args: &[&str]) -> (bool, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args(args)
        .output()
        .expect("run nnlab");
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn explain_outcomes_lists_every_rule_in_order() {
    let (ok, out, err) = nnlab(&["train", "--explain-outcomes"]);
    assert!(ok, "{err}");
    let names = [
        "diverged",
        "stuck",
        "oscillating",
        "still_improving",
        "no_better_than_mean",
        "stopped_early",
        "plateaued",
        "learned",
    ];
    let at: Vec<usize> = names
        .iter()
        .map(|n| {
            out.find(&format!("  {n} "))
                .unwrap_or_else(|| panic!("{n} missing:\n{out}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "not in rule order:\n{out}"
    );
    assert!(
        out.contains("judged on the test set when there is one"),
        "{out}"
    );
    // It explains and exits: nothing was trained.
    assert!(!out.contains("Configuration"), "{out}");
}

/// The default run (final loss 0.010783029129625823, R² 0.7851 on its 100 training rows
/// against a straight line's 0.7804: both measured with `nnlab train --json`) learned.
#[test]
fn the_default_run_learned_and_says_on_which_set() {
    let (ok, out, err) = nnlab(&["train", "-q", "--no-store"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("Outcome\n  learned: the loss has settled and R² is 0.7851 on the train set (a least-squares straight line: 0.7804)"),
        "{out}"
    );
    let (ok, json, err) = nnlab(&["train", "-q", "--no-store", "--json", "--epochs", "30"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["outcome"], "learned");
    assert_eq!(v["verdict"]["judged_on"], "train");
    assert_eq!(v["verdict"]["outcome"], "learned");
}
