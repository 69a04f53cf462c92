//! What `nnlab sweep --json` prints: one object with the combinations' summaries and every
//! run's outcome and final numbers (no loss curves: `curves.csv` has those).
//!
//! ```text
//! {
//!   "judged_on": "train",            // the set the losses are on: train, test, test/train
//!   "groups": [                      // the rows of summary.csv, in grid order
//!     { "settings": [["lr", "0.1"]],
//!       "stats": { "n": 5, "min": .., "median": .., "max": .., "mean": .., "std": ..,
//!                  "finite": 5, "median_diverged_epoch": null,
//!                  "outcomes": { "diverged": 0, "stuck": 0, ..., "learned": 5 } },
//!       "held_out": false,                      // every run had a test set
//!       "diagnostics": { "dead_relu": 2 } }     // warnings seen, runs with each
//!   ],
//!   "runs": [                        // the rows of runs.csv, in grid order
//!     { "index": 0, "values": { "lr": "0.1", "seed": "0" }, "status": "completed",
//!       "outcome": "learned", "diverged_epoch": null, "epochs_run": 30,
//!       "train_loss": .., "test_loss": null, "train_r2": .., "test_r2": null,
//!       "train_mape": .., "test_mape": null, "diagnostics": ["dead_relu"] }
//!   ]
//! }
//! ```
//!
//! Numbers keep full precision; a NaN or infinite one (R² of constant targets, the loss of a
//! diverged run) is `null`, as JSON has neither.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::engine::SweepResult;
use super::record::{kind_name, SweepRun};
use super::summary::{judged_set, summarize, GroupSummary};

/// The whole `--json` document (see the module doc).
#[derive(Debug, serde::Serialize)]
pub struct SweepJson<'a> {
    pub judged_on: &'static str,
    pub groups: Vec<GroupSummary>,
    pub runs: Vec<RunJson<'a>>,
}

/// One run: a row of `runs.csv`, the varied values by key.
#[derive(Debug, serde::Serialize)]
pub struct RunJson<'a> {
    pub index: usize,
    pub values: Pairs<&'a str, &'a str>,
    pub status: &'static str,
    pub outcome: &'static str,
    pub diverged_epoch: Option<usize>,
    pub epochs_run: usize,
    pub train_loss: f64,
    pub test_loss: Option<f64>,
    pub train_r2: f64,
    pub test_r2: Option<f64>,
    pub train_mape: Option<f64>,
    pub test_mape: Option<f64>,
    /// A classification run's accuracies (no key for regression).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train_accuracy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_accuracy: Option<f64>,
    pub diagnostics: Vec<&'static str>,
}

/// `(key, value)` pairs written as a JSON object in their order.
#[derive(Debug)]
pub struct Pairs<K, V>(pub Vec<(K, V)>);

impl<K: Serialize, V: Serialize> Serialize for Pairs<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'a> RunJson<'a> {
    fn of(result: &'a SweepResult, r: &'a SweepRun) -> RunJson<'a> {
        RunJson {
            index: r.index,
            values: Pairs(
                result
                    .spec
                    .vary
                    .iter()
                    .map(|f| f.key.as_str())
                    .zip(r.values.iter().map(String::as_str))
                    .collect(),
            ),
            status: r.status.name(),
            outcome: r.outcome.name(),
            diverged_epoch: r.diverged_epoch,
            epochs_run: r.epochs_run,
            train_loss: r.train_loss,
            test_loss: r.test_loss,
            train_r2: r.train_r2,
            test_r2: r.test_r2,
            train_mape: r.train_mape,
            test_mape: r.test_mape,
            train_accuracy: r.train_accuracy,
            test_accuracy: r.test_accuracy,
            diagnostics: r.diagnostics.iter().map(|&k| kind_name(k)).collect(),
        }
    }
}

impl<'a> SweepJson<'a> {
    /// The document of a whole (unsharded or merged) sweep.
    pub fn of(result: &'a SweepResult) -> SweepJson<'a> {
        let groups = summarize(result);
        SweepJson {
            judged_on: judged_set(&groups),
            groups,
            runs: result.runs.iter().map(|r| RunJson::of(result, r)).collect(),
        }
    }
}
