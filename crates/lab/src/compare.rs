//! Recorded runs side by side (`nnlab runs compare`): the configuration keys on which they
//! differ, their status, outcome, final loss and metrics, and their loss curves on one chart.
//!
//! The functions take plain data ([`Compared`]: a run's id, status, configuration and
//! metrics as JSON, and its history), whoever recorded it; the run store reads them, the
//! CLI hands them over.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use nnlab_plot::{LineChart, Series};
use nnlab_report::Table;
use nnlab_train::EpochRecord;

use crate::files::write_atomic;
use crate::flat::{flatten, lookup, text};
use crate::output::csv_field;
use crate::LabError;

/// What a comparison needs of one recorded run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Compared<'a> {
    pub id: i64,
    /// How it ended, as recorded (`completed`, `diverged`, `interrupted` ...).
    pub status: &'a str,
    /// Its outcome's name (`learned`, `stuck`, ...; see [`crate::verdict`]), `None` when
    /// unknown (unfinished, or recorded before outcomes were kept).
    pub outcome: Option<&'a str>,
    /// The resolved configuration as JSON.
    pub config: &'a Value,
    /// The last epoch's mean training loss, when recorded and finite.
    pub final_loss: Option<f64>,
    /// The metrics as JSON (`null` when the run did not finish).
    pub metrics: &'a Value,
    pub history: &'a [EpochRecord],
}

/// One row per key, one column per run.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub ids: Vec<i64>,
    /// `(key, one cell per run)`: `status`, `outcome` (`unknown` when not recorded), then
    /// the configuration keys whose values differ
    /// (`config.train.lr`), then the final loss and every metric (`train.rmse`, ...).
    pub rows: Vec<(String, Vec<String>)>,
}

/// The union of the runs' keys in first-seen order.
fn union_of_keys(flat: &[Vec<(String, Value)>]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for (k, _) in flat.iter().flatten() {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    keys
}

/// Compares runs: every configuration leaf that is not the same in all of them, then the
/// final loss and the metrics (shown even when equal: they are the outcome compared).
pub fn compare(runs: &[Compared]) -> Comparison {
    let mut rows = vec![
        (
            "status".to_string(),
            runs.iter().map(|r| r.status.to_string()).collect(),
        ),
        (
            "outcome".to_string(),
            runs.iter()
                .map(|r| r.outcome.unwrap_or("unknown").to_string())
                .collect(),
        ),
    ];
    let configs: Vec<Vec<(String, Value)>> = runs.iter().map(|r| flatten(r.config)).collect();
    for k in union_of_keys(&configs) {
        let cells: Vec<String> = configs
            .iter()
            .map(|f| {
                f.iter()
                    .find(|(kk, _)| *kk == k)
                    .map_or(String::new(), |(_, v)| text(v))
            })
            .collect();
        if !cells.windows(2).all(|w| w[0] == w[1]) {
            rows.push((format!("config.{k}"), cells));
        }
    }
    rows.push((
        "final_loss".into(),
        runs.iter()
            .map(|r| r.final_loss.map_or(String::new(), |l| l.to_string()))
            .collect(),
    ));
    // A null leaf is a set a run lacks (`test` without a test split), not a metric: taken
    // as a key it would show the other runs' whole set as one JSON cell.
    let metrics: Vec<Vec<(String, Value)>> = runs
        .iter()
        .map(|r| {
            let mut leaves = flatten(r.metrics);
            leaves.retain(|(_, v)| !v.is_null());
            leaves
        })
        .collect();
    for k in union_of_keys(&metrics) {
        let cells: Vec<String> = runs
            .iter()
            .map(|r| lookup(r.metrics, &k).map_or(String::new(), text))
            .collect();
        rows.push((k, cells));
    }
    Comparison {
        ids: runs.iter().map(|r| r.id).collect(),
        rows,
    }
}

impl Comparison {
    fn headers(&self) -> Vec<String> {
        std::iter::once("key".to_string())
            .chain(self.ids.iter().map(|id| format!("run {id}")))
            .collect()
    }

    /// The side-by-side table as aligned text.
    pub fn table(&self) -> String {
        let headers = self.headers();
        let mut t = Table::new(&headers.iter().map(String::as_str).collect::<Vec<_>>());
        for (k, cells) in &self.rows {
            t.push(
                std::iter::once(k.clone())
                    .chain(cells.iter().cloned())
                    .collect(),
            );
        }
        t.text("")
    }

    /// The same table as CSV (`key,run 1,run 2,...`).
    pub fn csv(&self) -> String {
        let mut s = String::new();
        let rows = std::iter::once(self.headers()).chain(
            self.rows
                .iter()
                .map(|(k, cells)| std::iter::once(k).chain(cells).cloned().collect()),
        );
        for row in rows {
            let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
            let _ = writeln!(s, "{}", fields.join(","));
        }
        s
    }
}

/// The runs' training (and test) losses per epoch on one chart.
pub fn loss_chart(runs: &[Compared]) -> LineChart {
    let mut chart = LineChart::new("Loss by epoch", "epoch", "mean loss (scaled units)");
    for r in runs {
        let id = r.id;
        let train: Vec<f64> = r.history.iter().map(|h| h.train_loss).collect();
        chart
            .series
            .push(Series::from_epochs(format!("run {id} train"), &train));
        if r.history.iter().any(|h| h.test_loss.is_some()) {
            let test: Vec<f64> = r
                .history
                .iter()
                .map(|h| h.test_loss.unwrap_or(f64::NAN))
                .collect();
            chart
                .series
                .push(Series::from_epochs(format!("run {id} test"), &test));
        }
    }
    chart
}

/// Writes `compare.csv`, `compare.png` and `compare.svg` into `dir`; returns the paths.
pub fn write_comparison(dir: &Path, runs: &[Compared]) -> Result<Vec<PathBuf>, LabError> {
    let chart = loss_chart(runs);
    let files = [
        ("compare.csv", compare(runs).csv().into_bytes()),
        ("compare.svg", chart.to_svg(800, 500)?.into_bytes()),
        ("compare.png", chart.to_png(800, 500)?),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn epochs(losses: &[f64], test: Option<f64>) -> Vec<EpochRecord> {
        losses
            .iter()
            .enumerate()
            .map(|(i, &l)| EpochRecord {
                epoch: i + 1,
                train_loss: l,
                test_loss: test,
                lr: 0.01,
            })
            .collect()
    }

    /// Two runs that differ only in `train.lr`; the second has no test set. Expected rows
    /// written by hand from the inputs: status, outcome, the one differing key, the final losses,
    /// then every metric leaf that is not null in some run (keys in JSON object order,
    /// which sorts them: `test` before `train`).
    #[test]
    fn differing_keys_then_the_outcome() {
        let (c1, c2) = (
            json!({"train": {"lr": 0.01, "epochs": 3}, "model": {"arch": "2-2-1"}}),
            json!({"train": {"lr": 0.1, "epochs": 3}, "model": {"arch": "2-2-1"}}),
        );
        let m1 = json!({"train": {"mse": 0.5}, "test": {"mse": 0.75}});
        let m2 = json!({"train": {"mse": 0.25}, "test": null});
        let (h1, h2) = (epochs(&[1.0, 0.5], Some(0.75)), epochs(&[1.0, 0.25], None));
        let runs = [
            Compared {
                id: 1,
                status: "completed",
                outcome: Some("learned"),
                config: &c1,
                final_loss: Some(0.5),
                metrics: &m1,
                history: &h1,
            },
            Compared {
                id: 7,
                status: "diverged",
                outcome: None,
                config: &c2,
                final_loss: None,
                metrics: &m2,
                history: &h2,
            },
        ];
        let cmp = compare(&runs);
        let row = |k: &str, a: &str, b: &str| (k.to_string(), vec![a.to_string(), b.to_string()]);
        assert_eq!(cmp.ids, vec![1, 7]);
        assert_eq!(
            cmp.rows,
            vec![
                row("status", "completed", "diverged"),
                row("outcome", "learned", "unknown"),
                row("config.train.lr", "0.01", "0.1"),
                row("final_loss", "0.5", ""),
                row("test.mse", "0.75", ""),
                row("train.mse", "0.5", "0.25"),
            ]
        );
        assert_eq!(
            cmp.csv(),
            "key,run 1,run 7\nstatus,completed,diverged\noutcome,learned,unknown\n\
             config.train.lr,0.01,0.1\n\
             final_loss,0.5,\ntest.mse,0.75,\ntrain.mse,0.5,0.25\n"
        );
        // Run 1 has a test loss, run 7 none: three curves.
        let chart = loss_chart(&runs);
        let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["run 1 train", "run 1 test", "run 7 train"]);
        let dir = tempfile::tempdir().unwrap();
        let written = write_comparison(dir.path(), &runs).unwrap();
        assert_eq!(written.len(), 3);
        let csv = std::fs::read_to_string(dir.path().join("compare.csv")).unwrap();
        assert_eq!(csv, cmp.csv());
    }
}
