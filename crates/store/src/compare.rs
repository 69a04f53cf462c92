//! `runs compare`: the configuration keys on which runs differ and their final metrics,
//! side by side, and their loss curves overlaid.

use std::path::{Path, PathBuf};

use serde_json::Value;

use nnlab_lab::files::write_atomic;
use nnlab_plot::{LineChart, Series};
use nnlab_report::Table;

use crate::query::{flatten, text};
use crate::read::StoredRun;
use crate::StoreError;

/// One row per key, one column per run.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub ids: Vec<i64>,
    /// `(key, one cell per run)`: `status`, then the configuration keys whose values differ
    /// (`config.train.lr`), then the final loss and every metric (`train.rmse`, ...).
    pub rows: Vec<(String, Vec<String>)>,
}

/// Compares runs: every configuration leaf that is not the same in all of them, then metrics.
pub fn compare(runs: &[StoredRun]) -> Comparison {
    let ids = runs.iter().map(|r| r.summary.id).collect();
    let mut rows = vec![(
        "status".to_string(),
        runs.iter().map(|r| r.summary.status.to_string()).collect(),
    )];
    rows.extend(differing(runs, "config", |r| &r.summary.config));
    rows.push((
        "final_loss".into(),
        runs.iter()
            .map(|r| {
                r.summary
                    .final_loss
                    .map_or(String::new(), |l| l.to_string())
            })
            .collect(),
    ));
    // Metrics are shown even when equal: they are the outcome being compared.
    let mut keys: Vec<String> = Vec::new();
    for r in runs {
        for (k, _) in flatten(&r.summary.metrics) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    for k in keys {
        let cells: Vec<String> = runs
            .iter()
            .map(|r| crate::query::lookup(&r.summary.metrics, &k).map_or(String::new(), text))
            .collect();
        // A set the runs lack (`test` without a test split) is a null: no row for it.
        if cells.iter().any(|c: &String| !c.is_empty()) {
            rows.push((k, cells));
        }
    }
    Comparison { ids, rows }
}

fn differing<'a>(
    runs: &'a [StoredRun],
    prefix: &str,
    part: impl Fn(&'a StoredRun) -> &'a Value,
) -> Vec<(String, Vec<String>)> {
    let flat: Vec<Vec<(String, Value)>> = runs.iter().map(|r| flatten(part(r))).collect();
    let mut keys: Vec<&String> = Vec::new();
    for f in &flat {
        for (k, _) in f {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys.into_iter()
        .filter_map(|k| {
            let cells: Vec<String> = flat
                .iter()
                .map(|f| {
                    f.iter()
                        .find(|(kk, _)| kk == k)
                        .map_or(String::new(), |(_, v)| text(v))
                })
                .collect();
            let all_same = cells.windows(2).all(|w| w[0] == w[1]);
            (!all_same).then(|| (format!("{prefix}.{k}"), cells))
        })
        .collect()
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
    pub fn csv(&self) -> Result<String, StoreError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let err = |e: csv::Error| StoreError::Input {
            key: "compare.csv".into(),
            message: e.to_string(),
        };
        w.write_record(self.headers()).map_err(err)?;
        for (k, cells) in &self.rows {
            w.write_record(std::iter::once(k).chain(cells))
                .map_err(err)?;
        }
        let bytes = w.into_inner().map_err(|e| StoreError::Input {
            key: "compare.csv".into(),
            message: e.to_string(),
        })?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The runs' training (and test) losses per epoch on one chart.
pub fn loss_chart(runs: &[StoredRun]) -> LineChart {
    let mut chart = LineChart::new("Loss by epoch", "epoch", "mean loss (scaled units)");
    for r in runs {
        let id = r.summary.id;
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
pub fn write_comparison(dir: &Path, runs: &[StoredRun]) -> Result<Vec<PathBuf>, StoreError> {
    let cmp = compare(runs);
    let chart = loss_chart(runs);
    let plot = |e: nnlab_plot::PlotError| nnlab_lab::LabError::from(e);
    let files = [
        ("compare.csv", cmp.csv()?.into_bytes()),
        (
            "compare.svg",
            chart.to_svg(800, 500).map_err(plot)?.into_bytes(),
        ),
        ("compare.png", chart.to_png(800, 500).map_err(plot)?),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
