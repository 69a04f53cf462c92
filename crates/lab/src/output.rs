//! The files a run writes with `--out DIR`, written as one set ([`crate::files::OutSet`]:
//! a failed write leaves the earlier run's files whole, never a mix of two runs):
//!
//! | file | what |
//! |---|---|
//! | `config.toml` | the resolved configuration; `nnlab train DIR/config.toml` reruns it to the same bits |
//! | `history.csv` | `epoch,train_loss,test_loss,lr` (pandas: `pd.read_csv`) |
//! | `params.json` | initial and final parameters by name, both networks, the fitted scaler |
//! | `predictions.csv` | `set,row,<inputs>,target,prediction` in original units; a classification run's `set,row,<inputs>,<target>,predicted,p(<class>)...` (class names, then each class's probability) |
//! | `result.json` | the whole result, as `nnlab train --json` prints it |
//! | `loss.png`, `loss.svg` | the loss curves, titled, with labelled axes |
//! | `decision.png`, `decision.svg` | a classification run with two raw inputs: the class probability over the input plane with the points and a colour bar ([`crate::decision`]) |
//!
//! Numbers are written as the shortest text that reads back to the same f64.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use nnlab_core::{NamedValues, Network};
use nnlab_data::Scaler;
use nnlab_plot::{LineChart, Series};

use crate::decision::decision_chart;
use crate::files::OutSet;
use crate::result::RunResult;
use crate::LabError;

/// Options for the written plots.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlotOptions {
    pub log_y: bool,
}

/// `params.json`.
#[derive(Serialize)]
struct ParamsFile<'a> {
    initial: NamedValues,
    #[serde(rename = "final")]
    final_params: NamedValues,
    initial_network: &'a Network,
    final_network: &'a Network,
    scaler: &'a Scaler,
}

/// Every file [`write_outputs`] may write: those of an earlier run that this one does not
/// write (no plot for a run that diverged at once, no decision map for regression) are
/// removed, so the folder holds one run's files.
pub const RUN_FILES: [&str; 9] = [
    "config.toml",
    "history.csv",
    "params.json",
    "predictions.csv",
    "result.json",
    "loss.png",
    "loss.svg",
    "decision.png",
    "decision.svg",
];

/// Writes every output file of `result` into `dir` as one set; returns the paths written.
pub fn write_outputs(
    dir: &Path,
    result: &RunResult,
    plot: PlotOptions,
) -> Result<Vec<PathBuf>, LabError> {
    let mut set = OutSet::begin(dir)?;
    let mut put = |name: &str, bytes: &[u8]| set.put(name, bytes);
    put("config.toml", result.config.to_toml()?.as_bytes())?;
    put("history.csv", history_csv(result).as_bytes())?;
    let params = ParamsFile {
        initial: result.initial_params(),
        final_params: result.final_params(),
        initial_network: &result.initial_network,
        final_network: &result.final_network,
        scaler: &result.scaler,
    };
    put("params.json", &to_json(&params)?)?;
    put("predictions.csv", predictions_csv(result).as_bytes())?;
    put("result.json", &to_json(result)?)?;
    // A run that diverged in its first epoch has no finite loss to draw: it gets no plot
    // rather than a failed write (its other files say what happened).
    let chart = loss_chart(result, plot.log_y);
    match chart.to_svg(800, 500) {
        Ok(svg) => {
            put("loss.svg", svg.as_bytes())?;
            put("loss.png", &chart.to_png(800, 500)?)?;
        }
        Err(nnlab_plot::PlotError::NoFiniteValues { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    if let Some(chart) = decision_chart(result) {
        put("decision.svg", chart.to_svg(800, 600)?.as_bytes())?;
        put("decision.png", &chart.to_png(800, 600)?)?;
    }
    set.commit(&|name| RUN_FILES.contains(&name))
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, LabError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| LabError::Config {
        key: "json".into(),
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A number as CSV text: shortest round-trip digits; empty for a missing value.
fn cell(v: Option<f64>) -> String {
    match v {
        Some(v) => format!("{v:?}"),
        None => String::new(),
    }
}

/// `epoch,train_loss,test_loss,lr`, one row per completed epoch.
pub fn history_csv(result: &RunResult) -> String {
    let mut s = String::from("epoch,train_loss,test_loss,lr\n");
    for r in &result.history {
        let _ = writeln!(
            s,
            "{},{},{},{}",
            r.epoch,
            cell(Some(r.train_loss)),
            cell(r.test_loss),
            cell(Some(r.lr))
        );
    }
    s
}

/// `set,row,<input names>,target,prediction` in the data's original units; for a class
/// target `set,row,<input names>,<target>,predicted,p(<class>)...`: the true and the predicted
/// class by name and each class's probability, in class order.
pub fn predictions_csv(result: &RunResult) -> String {
    let classes = &result.data.classes;
    let mut s = String::from("set,row");
    for name in &result.data.inputs {
        s.push(',');
        s.push_str(&csv_field(name));
    }
    let _ = write!(s, ",{}", csv_field(&result.data.target));
    if classes.is_empty() {
        s.push_str(",prediction");
    } else {
        s.push_str(",predicted");
        for c in classes {
            let _ = write!(s, ",{}", csv_field(&format!("p({c})")));
        }
    }
    s.push('\n');
    let name = |i: usize| csv_field(classes.get(i).map_or("", String::as_str));
    for p in &result.predictions {
        let _ = write!(s, "{},{}", p.set, p.row);
        for v in &p.inputs {
            let _ = write!(s, ",{}", cell(Some(*v)));
        }
        match &p.class {
            None => {
                let _ = write!(s, ",{},{}", cell(Some(p.target)), cell(Some(p.prediction)));
            }
            Some(c) => {
                let _ = write!(s, ",{},{}", name(c.actual), name(c.predicted));
                for v in &c.probabilities {
                    let _ = write!(s, ",{}", cell(Some(*v)));
                }
            }
        }
        s.push('\n');
    }
    s
}

/// Quotes a header field that contains a comma or a quote (`region=north,east` stays one column).
pub(crate) fn csv_field(name: &str) -> String {
    if name.contains([',', '"', '\n']) {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.to_string()
    }
}

/// The training (and test) loss per epoch.
pub fn loss_chart(result: &RunResult, log_y: bool) -> LineChart {
    let mut series = vec![Series {
        name: "train loss".into(),
        points: result
            .history
            .iter()
            .map(|r| (r.epoch as f64, r.train_loss))
            .collect(),
        band: None,
    }];
    if result.has_test_set() {
        series.push(Series {
            name: "test loss".into(),
            points: result
                .history
                .iter()
                .filter_map(|r| r.test_loss.map(|t| (r.epoch as f64, t)))
                .collect(),
            band: None,
        });
    }
    LineChart {
        // The source as the user wrote it (`generate`, `builtin:insurance`, a path), as in the
        // decision chart's title: the data's description (rows, ranges, seed) is a sentence
        // that does not fit a chart's width.
        title: format!(
            "Loss per epoch: {} on {} (lr {})",
            result.config.model.arch, result.config.data.source, result.config.train.lr
        ),
        x_label: "epoch".into(),
        y_label: format!("mean {} (scaled units)", result.config.train.loss),
        log_y,
        series,
    }
}
