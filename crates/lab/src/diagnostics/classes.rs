//! The two findings of a classification run (a cross-entropy loss): a class the network
//! never predicts, and outputs that are all saturated.
//!
//! Both look at the training rows, the rows gradient descent fits.
//!
//! - `never_predicted`: a class that is the true class of some training rows is the
//!   predicted class ([`nnlab_core::predicted_class`]) of none. The network has given that
//!   class up: it answers the others for all of its rows.
//! - `saturated`: every output of every training row is within [`SATURATED_P`] of 0 or 1.
//!   For a sigmoid output that is a logit beyond ±[`saturated_logit`] ≈ ±13.82, the bound
//!   where `σ(z)` is within `SATURATED_P` of 0 or 1. The network is certain of every answer:
//!   a wrong one costs at least `-ln(SATURATED_P)` ≈ 13.82 in log-loss, and the gradient of a
//!   right one is (almost) 0, so nothing is left to learn from the rows it gets right. Large
//!   weights (a large rate, no L2) cause it.

use nnlab_report::sig4;
use nnlab_train::metrics::classify;
use nnlab_train::predict_all;

use super::{Diagnostic, Evidence, Kind};

/// How close to 0 or 1 every output must be for the run's outputs to count as saturated.
pub const SATURATED_P: f64 = 1e-6;

/// The logit bound equal to [`SATURATED_P`] for a sigmoid output: `σ(z) ≥ 1 - SATURATED_P`
/// exactly when `z ≥ ln((1 - SATURATED_P) / SATURATED_P)` (≈ 13.8155), and `σ(z) ≤
/// SATURATED_P` when `z` is below its negative.
pub fn saturated_logit() -> f64 {
    ((1.0 - SATURATED_P) / SATURATED_P).ln()
}

/// Both findings, when the run's loss is a classification loss.
pub(super) fn classes(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    if !ev.cfg.loss.is_classification() || ev.diverged() {
        return;
    }
    let k = ev.final_net.n_outputs();
    let pred = predict_all(ev.final_net, &ev.train);
    if pred.is_empty() {
        return;
    }
    let m = classify(&pred, ev.train.y, k);
    let rows = m.n;
    for c in m.never_predicted() {
        let support = m.per_class[c].support;
        if support == 0 {
            continue;
        }
        out.push(Diagnostic::warning(
            Kind::NeverPredicted,
            vec![format!("class {c}")],
            format!(
                "class {c} is the true class of {support} of the {rows} training rows but is never predicted: the network answers another class for all of them (accuracy {}, always answering the most common class: {})",
                sig4(m.accuracy),
                sig4(m.majority)
            ),
        ));
    }
    let saturated = pred
        .iter()
        .all(|p| *p <= SATURATED_P || *p >= 1.0 - SATURATED_P);
    if saturated {
        let wrong = m.n
            - (0..m.confusion.len())
                .map(|c| m.confusion[c][c])
                .sum::<usize>();
        out.push(Diagnostic::warning(
            Kind::Saturated,
            Vec::new(),
            format!(
                "every output on the {rows} training rows is within {} of 0 or 1 (a sigmoid's logit beyond ±{}): the network is certain of every answer; {wrong} of them are wrong, each costing at least {} in log-loss, and the right ones give (almost) no gradient; a smaller learning rate or L2 keeps the logits moderate",
                sig4(SATURATED_P),
                sig4(saturated_logit()),
                sig4(-SATURATED_P.ln())
            ),
        ));
    }
}
