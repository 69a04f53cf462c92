//! `POST /api/step`: one gradient-descent step explained, the same object `nnlab step --json`
//! prints for the same flags.
//!
//! The fields are the flags of `nnlab step`; lists may be JSON arrays or the flag's text:
//!
//! ```json
//! {"weights": [1, 0.5, 1, -1, 1, 1], "biases": "0.5,0,0.5", "input": [1, 0], "target": 2, "lr": 0.01}
//! {"arch": "2-3-1", "activation": "tanh,identity", "seed": 7, "input": [1, 0], "target": [2]}
//! {"params": {"layers": [{"activation": "relu", "weights": [[1, 1]], "biases": [0]}]}, "input": [1, 2], "target": 3}
//! ```

use nnlab_core::Network;
use nnlab_lab::{Experiment, LabError, Syntax};
use nnlab_report::setup::parse_example;
use nnlab_report::{CheckReport, StepReport};
use serde::Deserialize;

use crate::limits::check_network;
use crate::ApiError;

/// A number, a list of numbers, or the text a flag would take (`"1,0.5"`, `"glorot"`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Values {
    One(f64),
    List(Vec<f64>),
    Text(String),
}

impl Values {
    /// The flag text: numbers as Rust writes them, the shortest text that reads back to the
    /// same `f64`, so nothing is lost on the way to the parser the command line uses.
    fn text(&self) -> String {
        match self {
            Values::One(v) => format!("{v:?}"),
            Values::List(v) => v
                .iter()
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
                .join(","),
            Values::Text(t) => t.clone(),
        }
    }
}

/// The body of `POST /api/step` (every field optional but `input` and `target`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepApiRequest {
    pub weights: Option<Values>,
    pub biases: Option<Values>,
    /// A course preset (`course`, `small-small`, ...).
    pub init: Option<String>,
    pub arch: Option<String>,
    pub activation: Option<String>,
    pub seed: Option<u64>,
    /// The whole network, as `--params FILE.json` holds it.
    pub params: Option<Network>,
    pub input: Values,
    pub target: Values,
    /// As `--lr` (the default of `nnlab train`).
    pub lr: Option<Values>,
    /// As `--loss`.
    pub loss: Option<String>,
    /// Adds the finite-difference check, as `--check`.
    #[serde(default)]
    pub check: bool,
}

/// Computes the report for a request with the command line's rules: the options are the
/// keys of `nnlab_lab::KEYS` (the network through `ModelConfig`, `lr` above 0), and errors
/// name the request's own fields (`lr: ...`, `input: ...`).
pub fn step_report(req: &StepApiRequest) -> Result<StepReport, ApiError> {
    let model = [
        ("arch", req.arch.clone()),
        ("activation", req.activation.clone()),
        ("weights", req.weights.as_ref().map(Values::text)),
        ("biases", req.biases.as_ref().map(Values::text)),
        ("init", req.init.clone()),
    ];
    let others = [
        ("seed", req.seed.map(|s| s.to_string())),
        ("lr", req.lr.as_ref().map(Values::text)),
        ("loss", req.loss.clone()),
    ];
    let named = |e: LabError| ApiError::bad(e.in_syntax(Syntax::Flat));
    let mut exp = Experiment::default();
    for (key, text) in model.iter().chain(&others) {
        if let Some(text) = text {
            exp.set(key, text).map_err(named)?;
        }
    }
    let net = match &req.params {
        Some(net) => {
            if let Some((field, _)) = model.iter().find(|(_, v)| v.is_some()) {
                return Err(ApiError::bad(format!(
                    "params: the network is given whole; leave out {field}"
                )));
            }
            net.clone()
        }
        None => {
            // Sizes are checked before anything is drawn for them.
            check_sizes(exp.model.arch.sizes())?;
            exp.initial_network().map_err(named)?
        }
    };
    check_network(&net)?;
    let (x, y) = parse_example(
        &net,
        ("input", &req.input.text()),
        ("target", &req.target.text()),
    )
    .map_err(ApiError::bad)?;
    exp.check_train(&net).map_err(named)?;
    let (lr, loss, reg) = (exp.train.lr, exp.train.loss, exp.train.regularization());
    let mut report = StepReport::regularized(&net, &x, &y, lr, loss, reg).map_err(ApiError::bad)?;
    if req.check {
        report.check =
            Some(CheckReport::regularized(&net, &x, &y, loss, reg).map_err(ApiError::bad)?);
    }
    Ok(report)
}

fn check_sizes(sizes: &[usize]) -> Result<(), ApiError> {
    use crate::limits::{MAX_LAYERS, MAX_WIDTH};
    if sizes.len() - 1 > MAX_LAYERS || sizes.iter().any(|&s| s > MAX_WIDTH) {
        return Err(ApiError::bad(format!(
            "arch: the server allows at most {MAX_LAYERS} layers of at most {MAX_WIDTH} neurons"
        )));
    }
    Ok(())
}
