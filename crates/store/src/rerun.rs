//! `runs rerun`: train a stored configuration again and check that the epoch losses and the
//! parameters come out bit-identical (same seeds → same bits is the lab's promise).
//! A run that never finished (`interrupted`, `running`) has nothing stored to compare:
//! it is trained from scratch and the report says so ([`RerunReport::compared`] false).

use serde::Serialize;

use nnlab_lab::{run, Experiment, RunResult};
use nnlab_train::Event;

use crate::read::StoredRun;
use crate::record::ParamList;
use crate::StoreError;

/// At most this many differences are listed per kind (a drifted run differs everywhere).
const SHOWN: usize = 5;

/// The verdict of a rerun.
#[derive(Debug, Clone, Serialize)]
pub struct RerunReport {
    pub id: i64,
    pub epochs: usize,
    pub parameters: usize,
    /// False when the stored run never finished (no outcome stored): it was trained now,
    /// and there was nothing to compare with.
    pub compared: bool,
    /// Each difference in one line (`epoch 3 train_loss: stored 0.25, now 0.2500000001`).
    pub differences: Vec<String>,
}

impl RerunReport {
    /// Compared with a stored outcome, and no difference.
    pub fn identical(&self) -> bool {
        self.compared && self.differences.is_empty()
    }
}

/// Reruns `stored` from its resolved TOML configuration and compares the results.
pub fn rerun(
    stored: &StoredRun,
    on_event: &mut dyn FnMut(&Event),
) -> Result<(RerunReport, RunResult), StoreError> {
    let exp = Experiment::from_toml_str(&stored.config_toml)?;
    let result = run(&exp, on_event)?;
    // An outcome is stored with its finishing time: without one there is nothing to check.
    if stored.summary.finished.is_none() {
        let report = RerunReport {
            id: stored.summary.id,
            epochs: result.history.len(),
            parameters: result.final_params.len(),
            compared: false,
            differences: Vec::new(),
        };
        return Ok((report, result));
    }
    let report = compare_result(stored, &result)?;
    Ok((report, result))
}

/// Compares a fresh result with the stored run, bit for bit.
pub fn compare_result(stored: &StoredRun, result: &RunResult) -> Result<RerunReport, StoreError> {
    let mut diffs = Vec::new();
    let now_status = crate::RunStatus::of(&result.status);
    if stored.summary.status != now_status {
        diffs.push(format!(
            "status: stored {}, now {now_status}",
            stored.summary.status
        ));
    }
    if stored.history.len() != result.history.len() {
        diffs.push(format!(
            "epochs: stored {}, now {}",
            stored.history.len(),
            result.history.len()
        ));
    }
    let mut loss_diffs = Vec::new();
    for (a, b) in stored.history.iter().zip(&result.history) {
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
    for (label, text, now) in [
        ("initial", &stored.initial_params, &result.initial),
        ("final", &stored.final_params, &result.final_params),
    ] {
        let Some(text) = text else {
            diffs.push(format!(
                "{label} parameters: none stored (the run did not finish)"
            ));
            continue;
        };
        let old = ParamList::parse(text).map_err(|e| StoreError::Corrupt {
            path: String::new(),
            id: stored.summary.id,
            what: format!("{label}_params"),
            message: e.to_string(),
        })?;
        parameters = parameters.max(now.len());
        let mut pdiffs = Vec::new();
        if old.0.len() != now.len() {
            pdiffs.push(format!(
                "{label} parameters: stored {}, now {}",
                old.0.len(),
                now.len()
            ));
        }
        for ((name, a), (now_name, b)) in old.0.iter().zip(&now.0) {
            if name != now_name || !same(*a, Some(*b)) {
                pdiffs.push(format!(
                    "{label} {name}: stored {}, now {now_name} = {b}",
                    show(*a)
                ));
            }
        }
        push_limited(&mut diffs, pdiffs);
    }
    Ok(RerunReport {
        id: stored.summary.id,
        epochs: result.history.len(),
        parameters,
        compared: true,
        differences: diffs,
    })
}

/// Equal bits; every non-finite value counts as equal to any other, since the store keeps
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
