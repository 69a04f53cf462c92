//! `nnlab export --framework keras|torch DIR` (and Python's `Run.export`): a folder that
//! replays a run in another framework, so its numbers can be checked against nnlab's.
//!
//! | file | what |
//! |---|---|
//! | `replay.py` | the runnable script ([`Framework::script`]); prints the final parameters as JSON |
//! | `initial.json` | `inputs`, `lr`, `epochs` and the starting network's `layers` (`activation`, `weights` one row per neuron, `biases`) |
//! | `train.csv` | the run's training rows, scaled, in the order nnlab trained on them: the inputs, then the target column(s) |
//!
//! Only what both sides define the same way is exported: plain SGD one row at a time
//! (`train.batch_size = 1`, no shuffle), a constant rate, squared error, no L1/L2, nothing
//! frozen, no early stop, activations relu, leaky_relu, sigmoid, tanh, identity; anything
//! else is refused naming the option. Numbers are written as the shortest text that reads
//! back to the same f64.

use std::fmt;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;

use nnlab_core::{Activation, Loss, Network};
use nnlab_data::Dataset;
use nnlab_train::{BatchSize, Optimizer, Schedule};

use crate::files::write_atomic;
use crate::prepare::{CsvText, Prepared};
use crate::result::RunResult;
use crate::LabError;

/// A framework a run can be replayed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framework {
    /// Keras 3 (any backend; the script picks JAX with float64 unless `KERAS_BACKEND` is set).
    Keras,
    /// PyTorch.
    Torch,
}

impl Framework {
    /// The replay script (`replay.py`).
    pub fn script(self) -> &'static str {
        match self {
            Framework::Keras => include_str!("keras.py"),
            Framework::Torch => include_str!("torch.py"),
        }
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Framework::Keras => "keras",
            Framework::Torch => "torch",
        })
    }
}

impl FromStr for Framework {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "keras" => Ok(Framework::Keras),
            "torch" | "pytorch" => Ok(Framework::Torch),
            other => Err(format!(
                "'{other}' is not a framework (one of: keras, torch)"
            )),
        }
    }
}

/// `initial.json`.
#[derive(Serialize)]
struct Spec<'a> {
    inputs: usize,
    lr: f64,
    epochs: usize,
    #[serde(flatten)]
    network: &'a Network,
}

fn refuse(key: &str, message: String) -> LabError {
    LabError::Config {
        key: key.into(),
        message: format!("{message}; an export replays plain per-row SGD only"),
    }
}

/// Whether `result`'s training is one the replay scripts reproduce (see the module doc).
pub fn check_exportable(result: &RunResult) -> Result<(), LabError> {
    let t = &result.config.train;
    if t.batch_size != BatchSize::Rows(1) {
        return Err(refuse(
            "train.batch_size",
            format!("is {}, not 1", t.batch_size),
        ));
    }
    if t.shuffle {
        return Err(refuse("train.shuffle", "is true".into()));
    }
    if t.optimizer != Optimizer::Sgd {
        return Err(refuse(
            "train.optimizer",
            format!("is {}, not sgd", t.optimizer),
        ));
    }
    if t.schedule != Schedule::Constant {
        return Err(refuse(
            "train.schedule",
            format!("is {}, not constant", t.schedule),
        ));
    }
    if t.loss != Loss::SquaredError {
        return Err(refuse(
            "train.loss",
            format!("is {}, not squared_error", t.loss),
        ));
    }
    if t.l1 != 0.0 || t.l2 != 0.0 {
        return Err(refuse(
            "train.l1/train.l2",
            format!("are {} and {}, not 0", t.l1, t.l2),
        ));
    }
    if !t.freeze.is_empty() {
        return Err(refuse("train.freeze", format!("is {}", t.freeze.join(","))));
    }
    if t.early_stopping.is_some() {
        return Err(refuse("train.early_stopping", "is set".into()));
    }
    for layer in result.initial_network.layers() {
        if layer.activation == Activation::Softmax {
            return Err(refuse("model.activation", "has softmax".into()));
        }
    }
    Ok(())
}

/// The export's files (name, contents) for `result` trained on `train` (its scaled
/// training rows).
pub fn export_files(
    result: &RunResult,
    train: &Dataset,
    framework: Framework,
) -> Result<Vec<(&'static str, String)>, LabError> {
    check_exportable(result)?;
    let spec = Spec {
        inputs: result.initial_network.n_inputs(),
        lr: result.config.train.lr,
        // The epochs that ran: a diverged run stops early and the replay stops with it.
        epochs: result.epochs_run(),
        network: &result.initial_network,
    };
    let json = serde_json::to_string_pretty(&spec).map_err(|e| LabError::Config {
        key: "initial.json".into(),
        message: e.to_string(),
    })?;
    Ok(vec![
        ("replay.py", framework.script().to_string()),
        ("initial.json", json + "\n"),
        ("train.csv", rows_csv(train)),
    ])
}

/// The scaled rows as CSV: the input names, then the target name (`NAME_k` for each of
/// several target columns).
fn rows_csv(d: &Dataset) -> String {
    let mut header = d.input_names.clone();
    match d.n_targets() {
        1 => header.push(d.target_name.clone()),
        k => header.extend((0..k).map(|j| format!("{}_{j}", d.target_name))),
    }
    let mut out = header.join(",") + "\n";
    for i in 0..d.n_rows() {
        let cells: Vec<String> = d
            .row(i)
            .iter()
            .chain(d.target_row(i))
            .map(|v| format!("{v:?}"))
            .collect();
        let _ = writeln!(out, "{}", cells.join(","));
    }
    out
}

/// Writes the export of `result` into `out` (created when missing), its training rows
/// prepared again from its configuration (or from `csv`, the text it was trained on).
/// Returns the files written.
pub fn write_export(
    result: &RunResult,
    csv: Option<CsvText>,
    framework: Framework,
    out: &Path,
) -> Result<Vec<PathBuf>, LabError> {
    check_exportable(result)?;
    let prepared = Prepared::new(&result.config, csv)?;
    if prepared.train.n_rows() != result.data.train_rows {
        return Err(LabError::Config {
            key: "data".into(),
            message: format!(
                "{} now gives {} training rows, the run had {}",
                result.data.source,
                prepared.train.n_rows(),
                result.data.train_rows
            ),
        });
    }
    let files = export_files(result, &prepared.train, framework)?;
    std::fs::create_dir_all(out).map_err(|source| LabError::Io {
        path: out.display().to_string(),
        source,
    })?;
    files
        .into_iter()
        .map(|(name, text)| {
            let path = out.join(name);
            write_atomic(&path, text.as_bytes()).map(|_| path)
        })
        .collect()
}

/// The run of a `train --out DIR` folder (its `result.json`).
pub fn read_run_dir(dir: &Path) -> Result<RunResult, LabError> {
    let path = dir.join("result.json");
    let text = std::fs::read_to_string(&path).map_err(|source| LabError::Io {
        path: path.display().to_string(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| LabError::Config {
        key: path.display().to_string(),
        message: format!("not the result.json of a run: {e}"),
    })
}

#[cfg(test)]
mod tests;
