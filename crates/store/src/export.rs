//! `runs export`: one flat row per run (status, outcome, seeds, final metrics, every configuration
//! key), as CSV or a JSON list of objects; both load with `pandas.read_csv` / `read_json`.
//! The same columns as Parquet, with the runs' curves beside them: [`crate::columnar`].

use serde_json::{Map, Value};

use crate::read::RunSummary;
use crate::StoreError;
use nnlab_lab::flat::{flatten, text};

/// The columns of a run in export order: fixed fields, then `metrics.*`, then `config.*`.
pub(crate) fn flat_row(r: &RunSummary) -> Vec<(String, Value)> {
    let mut row: Vec<(String, Value)> = vec![
        ("id".into(), r.id.into()),
        ("status".into(), r.status.as_str().into()),
        ("outcome".into(), crate::render::outcome_name(r).into()),
        ("started".into(), r.started.clone().into()),
        ("finished".into(), r.finished.clone().into()),
        ("experiment".into(), r.experiment.clone().into()),
        ("sweep".into(), r.sweep.clone().into()),
        ("version".into(), r.version.clone().into()),
        ("data_seed".into(), r.seeds.0.into()),
        ("init_seed".into(), r.seeds.1.into()),
        ("shuffle_seed".into(), r.seeds.2.into()),
        ("epochs_run".into(), r.epochs_run.into()),
        ("final_loss".into(), r.final_loss.into()),
    ];
    for (prefix, part) in [("metrics", &r.metrics), ("config", &r.config)] {
        row.extend(
            flatten(part)
                .into_iter()
                .map(|(k, v)| (format!("{prefix}.{k}"), v)),
        );
    }
    row
}

/// The union of every run's columns, in first-seen order.
pub(crate) fn columns(rows: &[Vec<(String, Value)>]) -> Vec<String> {
    let mut cols: Vec<String> = Vec::new();
    for row in rows {
        for (k, _) in row {
            if !cols.contains(k) {
                cols.push(k.clone());
            }
        }
    }
    cols
}

/// CSV with a header; an empty cell where a run lacks a column or the value is null.
pub fn to_csv(runs: &[RunSummary]) -> Result<String, StoreError> {
    let rows: Vec<_> = runs.iter().map(flat_row).collect();
    let cols = columns(&rows);
    let err = |message: String| StoreError::Input {
        key: "export".into(),
        message,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&cols).map_err(|e| err(e.to_string()))?;
    for row in &rows {
        let cells = cols.iter().map(|c| {
            row.iter()
                .find(|(k, _)| k == c)
                .map_or(String::new(), |(_, v)| text(v))
        });
        w.write_record(cells).map_err(|e| err(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| err(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| err(e.to_string()))
}

/// A JSON list with one flat object per run.
pub fn to_json(runs: &[RunSummary]) -> Result<String, StoreError> {
    let list: Vec<Value> = runs
        .iter()
        .map(|r| Value::Object(flat_row(r).into_iter().collect::<Map<_, _>>()))
        .collect();
    serde_json::to_string_pretty(&list)
        .map(|s| s + "\n")
        .map_err(|e| StoreError::Input {
            key: "export".into(),
            message: e.to_string(),
        })
}
