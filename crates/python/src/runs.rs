//! `nnlab.runs`: the run store (`nnlab-store`), as `nnlab runs list | show | delete` read
//! it. Each call opens the store file (the path given, else `NNLAB_STORE`, else the
//! platform's data directory, as the CLI's `--store`), so no connection outlives a call.

use std::path::PathBuf;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

use nnlab_store::record::parse_outcome;
use nnlab_store::{Condition, Filter, RunStatus, Store, StoreError};

use crate::json_err;

pub(crate) fn store_err(e: StoreError) -> PyErr {
    if e.is_input_error() {
        PyValueError::new_err(e.to_string())
    } else {
        PyRuntimeError::new_err(e.to_string())
    }
}

/// The store's path: `path`, else the CLI's default.
pub(crate) fn store_path(path: Option<String>) -> PyResult<PathBuf> {
    match path {
        Some(p) => Ok(PathBuf::from(p)),
        None => nnlab_store::default_path().map_err(store_err),
    }
}

fn open(path: Option<String>) -> PyResult<Store> {
    Store::open(&store_path(path)?).map_err(store_err)
}

/// The runs matching the filter, newest first, as `nnlab runs list --json`; `conditions`
/// are the CLI's `KEY=VALUE` conditions (`lr=0.1`).
#[pyfunction]
#[pyo3(signature = (store=None, status=None, outcome=None, experiment=None, sweep=None, conditions=Vec::new(), limit=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn runs_list(
    store: Option<String>,
    status: Option<String>,
    outcome: Option<String>,
    experiment: Option<String>,
    sweep: Option<String>,
    conditions: Vec<String>,
    limit: Option<usize>,
) -> PyResult<String> {
    let status = status
        .as_deref()
        .map(str::parse::<RunStatus>)
        .transpose()
        .map_err(store_err)?;
    let filter = Filter {
        status,
        outcome: outcome
            .as_deref()
            .map(parse_outcome)
            .transpose()
            .map_err(store_err)?,
        experiment,
        sweep,
        conditions: conditions
            .iter()
            .map(|c| Condition::parse(c))
            .collect::<Result<_, _>>()
            .map_err(store_err)?,
        limit,
    };
    let runs = open(store)?.list(&filter).map_err(store_err)?;
    serde_json::to_string(&runs).map_err(json_err)
}

/// Everything stored about run `id`, as `nnlab runs show ID --json`.
#[pyfunction]
#[pyo3(signature = (id, store=None))]
pub(crate) fn runs_show(id: i64, store: Option<String>) -> PyResult<String> {
    let run = open(store)?.get(id).map_err(store_err)?;
    serde_json::to_string(&run).map_err(json_err)
}

/// Deletes the runs `ids`; returns how many there were.
#[pyfunction]
#[pyo3(signature = (ids, store=None))]
pub(crate) fn runs_delete(ids: Vec<i64>, store: Option<String>) -> PyResult<usize> {
    open(store)?.delete(&ids).map_err(store_err)
}

/// The final network of stored run `id` on `rows`, in original units, as `nnlab predict
/// ID` (the store's [`Store::predictor`]: the scaler refitted on the run's data and checked
/// against its recorded metrics); also the input names.
#[pyfunction]
#[pyo3(signature = (id, rows, store=None))]
pub(crate) fn predict_stored(
    id: i64,
    rows: Vec<Vec<f64>>,
    store: Option<String>,
) -> PyResult<(Vec<String>, Vec<f64>)> {
    let p = open(store)?.predictor(id).map_err(store_err)?;
    let inputs = p.inputs().into_iter().map(String::from).collect();
    Ok((inputs, p.predict(&rows).map_err(crate::py_err)?))
}
