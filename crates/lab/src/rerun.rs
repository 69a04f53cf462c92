//! Rerunning a recorded run (`nnlab runs rerun`): train its resolved configuration again
//! and check that the status, every epoch's losses and rate, and the parameters before and
//! after come out bit-identical (same seeds → same bits is the lab's promise).
//!
//! The functions take plain data ([`Recorded`]: what was recorded of the run's outcome),
//! whoever recorded it. A run that never finished has no outcome: it is trained from
//! scratch and the report says so ([`RerunReport::compared`] false).

use serde::Serialize;

use nnlab_core::NamedValues;
use nnlab_train::{EpochRecord, Event};

use crate::sweep::Status;
use crate::{run, Experiment, LabError, RunResult};

/// At most this many differences are listed per kind (a drifted run differs everywhere).
const SHOWN: usize = 5;

/// What was recorded of a finished run's outcome.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Recorded {
    /// How it ended, as recorded (`completed`, `stopped_early`, `diverged`).
    pub status: String,
    pub history: Vec<EpochRecord>,
    /// `(name, value)` in display order, `None` where the value was not finite (JSON and
    /// SQL keep no NaN); `None` when nothing was recorded.
    pub initial_params: Option<Vec<(String, Option<f64>)>>,
    pub final_params: Option<Vec<(String, Option<f64>)>>,
}

/// The verdict of a rerun.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RerunReport {
    /// Epochs of the fresh training.
    pub epochs: usize,
    /// Parameters compared (the larger of the initial and final counts).
    pub parameters: usize,
    /// False when there was no recorded outcome to compare with.
    pub compared: bool,
    /// Each difference in one line (`epoch 3 train_loss: stored 0.25, now 0.2500000001`).
    pub differences: Vec<String>,
}

impl RerunReport {
    /// Compared with a recorded outcome, and no difference.
    pub fn identical(&self) -> bool {
        self.compared && self.differences.is_empty()
    }
}

/// Trains the configuration `config_toml` (a run's resolved `config.toml`) again and
/// compares the result with `recorded`, when there is one.
pub fn rerun(
    config_toml: &str,
    recorded: Option<&Recorded>,
    on_event: &mut dyn FnMut(&Event),
) -> Result<(RerunReport, RunResult), LabError> {
    let exp = Experiment::from_toml_str(config_toml)?;
    let result = run(&exp, on_event)?;
    let report = match recorded {
        Some(r) => check(r, &result),
        None => RerunReport {
            epochs: result.epochs_run(),
            parameters: result.final_network.n_params(),
            compared: false,
            differences: Vec::new(),
        },
    };
    Ok((report, result))
}

/// Compares a fresh result with the recorded outcome, bit for bit.
pub fn check(recorded: &Recorded, result: &RunResult) -> RerunReport {
    let mut diffs = Vec::new();
    let now_status = Status::of(&result.status).name();
    if recorded.status != now_status {
        diffs.push(format!(
            "status: stored {}, now {now_status}",
            recorded.status
        ));
    }
    if recorded.history.len() != result.history.len() {
        diffs.push(format!(
            "epochs: stored {}, now {}",
            recorded.history.len(),
            result.history.len()
        ));
    }
    let mut loss_diffs = Vec::new();
    for (a, b) in recorded.history.iter().zip(&result.history) {
        let e = a.epoch;
        if !same(Some(a.train_loss), Some(b.train_loss)) {
            loss_diffs.push(format!(
                "epoch {e} train_loss: stored {}, now {}",
                a.train_loss, b.train_loss
            ));
        }
        if !same(a.test_loss, b.test_loss) {
            loss_diffs.push(format!(
                "epoch {e} test_loss: stored {:?}, now {:?}",
                a.test_loss, b.test_loss
            ));
        }
        if !same(Some(a.lr), Some(b.lr)) {
            loss_diffs.push(format!("epoch {e} lr: stored {}, now {}", a.lr, b.lr));
        }
    }
    push_limited(&mut diffs, loss_diffs);
    let mut parameters = 0;
    for (label, old, now) in [
        ("initial", &recorded.initial_params, result.initial_params()),
        ("final", &recorded.final_params, result.final_params()),
    ] {
        let Some(old) = old else {
            diffs.push(format!(
                "{label} parameters: none stored (the run did not finish)"
            ));
            continue;
        };
        parameters = parameters.max(now.len());
        push_limited(&mut diffs, param_diffs(label, old, &now));
    }
    RerunReport {
        epochs: result.epochs_run(),
        parameters,
        compared: true,
        differences: diffs,
    }
}

fn param_diffs(label: &str, old: &[(String, Option<f64>)], now: &NamedValues) -> Vec<String> {
    let mut out = Vec::new();
    if old.len() != now.len() {
        out.push(format!(
            "{label} parameters: stored {}, now {}",
            old.len(),
            now.len()
        ));
    }
    for ((name, a), (now_name, b)) in old.iter().zip(&now.0) {
        if name != now_name || !same(*a, Some(*b)) {
            out.push(format!(
                "{label} {name}: stored {}, now {now_name} = {b}",
                show(*a)
            ));
        }
    }
    out
}

/// Equal bits; every non-finite value counts as equal to any other, since a store keeps
/// them as NULL (JSON null, SQL NULL) and cannot tell NaN from infinity.
fn same(a: Option<f64>, b: Option<f64>) -> bool {
    let norm = |x: Option<f64>| x.filter(|v| v.is_finite()).map(f64::to_bits);
    norm(a) == norm(b)
}

fn show(x: Option<f64>) -> String {
    x.map_or("non-finite".into(), |v| v.to_string())
}

fn push_limited(out: &mut Vec<String>, items: Vec<String>) {
    let n = items.len();
    out.extend(items.into_iter().take(SHOWN));
    if n > SHOWN {
        out.push(format!("... and {} more", n - SHOWN));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 20 generated rows, 4 epochs of the course network: small enough to train twice.
    fn small() -> (String, RunResult) {
        let mut exp = Experiment::default();
        exp.set("rows", "20").unwrap();
        exp.set("epochs", "4").unwrap();
        let toml = exp.resolved().to_toml().unwrap();
        (toml, run(&exp, &mut |_| {}).unwrap())
    }

    fn recorded(r: &RunResult) -> Recorded {
        let list = |v: NamedValues| Some(v.0.into_iter().map(|(n, x)| (n, Some(x))).collect());
        Recorded {
            status: "completed".into(),
            history: r.history.clone(),
            initial_params: list(r.initial_params()),
            final_params: list(r.final_params()),
        }
    }

    #[test]
    fn the_same_configuration_gives_the_same_bits() {
        let (toml, first) = small();
        let (report, again) = rerun(&toml, Some(&recorded(&first)), &mut |_| {}).unwrap();
        assert!(report.identical(), "{:?}", report.differences);
        // The course network has 6 weights and 3 biases.
        assert_eq!((report.epochs, report.parameters), (4, 9));
        assert_eq!(again.history, first.history);
    }

    #[test]
    fn every_difference_is_named() {
        let (_, r) = small();
        let mut rec = recorded(&r);
        // One ulp off in epoch 2's loss, another status, w3 off, and no initial parameters.
        rec.history[1].train_loss = f64::from_bits(rec.history[1].train_loss.to_bits() + 1);
        rec.status = "diverged".into();
        if let Some(p) = rec.final_params.as_mut() {
            p[2].1 = Some(123.0);
        }
        rec.initial_params = None;
        let report = check(&rec, &r);
        assert!(report.compared && !report.identical());
        let d = &report.differences;
        assert_eq!(d.len(), 4, "{d:?}");
        assert_eq!(d[0], "status: stored diverged, now completed");
        assert!(d[1].starts_with("epoch 2 train_loss: stored "), "{d:?}");
        assert_eq!(
            d[2],
            "initial parameters: none stored (the run did not finish)"
        );
        assert!(d[3].starts_with("final w3: stored 123, now w3 = "), "{d:?}");
    }

    #[test]
    fn a_non_finite_value_equals_a_stored_null_and_long_lists_are_cut() {
        assert!(same(None, Some(f64::NAN)));
        assert!(same(Some(f64::INFINITY), Some(f64::NAN)));
        assert!(!same(Some(0.0), Some(-0.0)));
        let mut out = Vec::new();
        push_limited(&mut out, (0..8).map(|i| i.to_string()).collect());
        assert_eq!(out, ["0", "1", "2", "3", "4", "... and 3 more"]);
    }

    #[test]
    fn without_an_outcome_it_trains_and_compares_nothing() {
        let (toml, _) = small();
        let (report, result) = rerun(&toml, None, &mut |_| {}).unwrap();
        assert!(!report.compared && !report.identical());
        assert!(report.differences.is_empty());
        assert_eq!((report.epochs, result.epochs_run()), (4, 4));
    }
}
