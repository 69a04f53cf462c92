//! The check of a run's start: a network whose loss is already inf or NaN before any
//! update did not diverge, it never started. Issue 17: biases of `1e300` were reported as a
//! divergence with learning-rate advice; no learning rate helps a start that overflows, so
//! [`check_start`] says what it is and names the option that made it.
//!
//! ```
//! use nnlab_lab::{check_start, samples, Experiment, Prepared};
//! let mut exp = Experiment::default();
//! exp.set("biases", "1e300,1e300,1e300").unwrap();
//! let prepared = Prepared::new(&exp, None).unwrap();
//! let net = exp.initial_network().unwrap();
//! let rows = samples(&prepared.train);
//! let err = check_start(&exp, &net, &rows, "training row", ("data", "generate")).unwrap_err();
//! assert!(err.to_string().starts_with("biases: '1e300,1e300,1e300' gives a loss of inf"));
//! ```

use nnlab_core::{Network, ParamId, Trace};
use nnlab_train::Samples;

use crate::config::keys;
use crate::{Experiment, LabError};

/// `Ok` when `net`'s loss under `exp`'s loss function is finite on every row of `rows`
/// (one forward pass each, the trainer's own per-sample loss). Otherwise a
/// [`LabError::Config`] naming the option the start came from: the one of `init`,
/// `weights`, `biases` that set the largest starting value, or `rows_from` (the option and
/// value the rows or the network came from: `("data", "big.csv")`, `("--params",
/// "net.json")`) when none of them was given, the course's start being moderate. `row`
/// names a row in the message (`"training row"`: "on training row 3").
pub fn check_start(
    exp: &Experiment,
    net: &Network,
    rows: &Samples,
    row: &str,
    rows_from: (&str, &str),
) -> Result<(), LabError> {
    if rows.n_inputs != net.n_inputs() || rows.n_outputs != net.n_outputs() {
        // The caller's own shape check names this mismatch.
        return Ok(());
    }
    let mut trace = Trace::new(net);
    let bad = (0..rows.n_rows()).find_map(|r| {
        net.forward_into(rows.x_row(r), &mut trace);
        let loss = trace.loss(exp.train.loss, rows.y_row(r));
        (!loss.is_finite()).then_some((r + 1, loss))
    });
    let Some((r, loss)) = bad else {
        return Ok(());
    };
    let model = &exp.model;
    let (name, id, value) = largest(net);
    let key = match id {
        _ if model.init.is_some() => "init",
        ParamId::Weight { .. } if model.weights.is_some() => "weights",
        ParamId::Bias { .. } if model.biases.is_some() => "biases",
        _ => "",
    };
    let (key, text) = match keys::find(key).and_then(|k| (k.get)(exp)) {
        Some(text) => (key, text),
        None => (rows_from.0, rows_from.1.to_string()),
    };
    Err(LabError::Config {
        key: key.into(),
        message: format!(
            "'{text}' gives a loss of {loss:?} on {row} {r} before any update (the largest starting value is {name} = {value:?}): the start overflows, so no learning rate helps"
        ),
    })
}

/// The parameter largest in magnitude (the first non-finite one if any): its name, id
/// and value.
fn largest(net: &Network) -> (String, ParamId, f64) {
    let mut best: Option<(String, ParamId, f64)> = None;
    for (name, id) in net.named_param_ids() {
        let v = net.get(id);
        let better = match &best {
            None => true,
            Some((_, _, b)) => b.is_finite() && (!v.is_finite() || v.abs() > b.abs()),
        };
        if better {
            best = Some((name, id, v));
        }
    }
    // A network has at least one parameter (every layer has a bias).
    best.unwrap_or((
        String::new(),
        ParamId::Bias {
            layer: 0,
            neuron: 0,
        },
        0.0,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{samples, Prepared};

    fn start_error(pairs: &[(&str, &str)]) -> String {
        let mut exp = Experiment::default();
        for (k, v) in pairs {
            exp.set(k, v).unwrap();
        }
        let prepared = Prepared::new(&exp, None).unwrap();
        let net = exp.initial_network().unwrap();
        check_start(
            &exp,
            &net,
            &samples(&prepared.train),
            "training row",
            ("data", "generate"),
        )
        .unwrap_err()
        .to_string()
    }

    // On the course network every bias 1e300 makes z3 = 1e300·(a1 + a2) ... ≈ 3e300 or more,
    // finite, and its squared error (y_hat - y)² ≈ 9e600 overflows to inf on the first row.
    #[test]
    fn huge_biases_are_named_with_their_value() {
        assert_eq!(
            start_error(&[("biases", "1e300,1e300,1e300")]),
            "biases: '1e300,1e300,1e300' gives a loss of inf on training row 1 before any update (the largest starting value is b1 = 1e300): the start overflows, so no learning rate helps"
        );
    }

    // w1 = 1e200 makes a1 ≈ 1e200·x1 on scaled inputs, and a1·w5 squared overflows on the
    // first row whose x1 is not 0 (row 1 of the default data has x1 = 4 of [0, 5)).
    #[test]
    fn huge_weights_are_named_with_their_value() {
        let e = start_error(&[("weights", "1e200,1,1,1,1,1")]);
        assert!(
            e.starts_with(
                "weights: '1e200,1.0,1.0,1.0,1.0,1.0' gives a loss of inf on training row "
            ),
            "{e}"
        );
        assert!(
            e.contains("(the largest starting value is w1 = 1e200)"),
            "{e}"
        );
    }

    #[test]
    fn a_moderate_start_passes() {
        let exp = Experiment::default();
        let prepared = Prepared::new(&exp, None).unwrap();
        let net = exp.initial_network().unwrap();
        assert!(check_start(
            &exp,
            &net,
            &samples(&prepared.train),
            "training row",
            ("data", "generate")
        )
        .is_ok());
    }
}
