//! `nnlab.sweep` and `nnlab.experiment`: the lab's sweep engine and catalogue, as `nnlab
//! sweep` and `nnlab experiment run` call them, results as `nnlab sweep --json`.

use pyo3::prelude::*;

use nnlab_lab::experiments::{run_entry, Options, CATALOGUE};
use nnlab_lab::report::Report;
use nnlab_lab::sweep::json::SweepJson;
use nnlab_lab::sweep::{run_sweep, SweepResult, SweepSpec};
use nnlab_lab::{Experiment, Syntax};

use crate::{json_err, py_err};

/// A finished sweep or experiment: its runs and, for an experiment, the report the CLI
/// prints and writes.
#[pyclass(frozen)]
pub(crate) struct Sweep {
    result: SweepResult,
    report: Option<Report>,
}

impl Sweep {
    fn report(&self) -> std::borrow::Cow<'_, Report> {
        match &self.report {
            Some(r) => std::borrow::Cow::Borrowed(r),
            None => std::borrow::Cow::Owned(Report::of_sweep(&self.result, None)),
        }
    }
}

#[pymethods]
impl Sweep {
    /// What `nnlab sweep --json` prints: `judged_on`, `groups` (the summary), `runs`.
    fn json(&self) -> PyResult<String> {
        serde_json::to_string(&SweepJson::of(&self.result)).map_err(json_err)
    }

    /// The report as Markdown (`report.md` of `--report` / `nnlab experiment run`).
    fn markdown(&self) -> String {
        nnlab_lab::report::render_markdown(&self.report())
    }
}

/// The sweep of `vary` (`key=v1,v2` or `key=A..B` each, as `--vary`) over the experiment
/// of `settings`, run on every core with the GIL released, as `nnlab sweep`.
#[pyfunction]
pub(crate) fn sweep(
    py: Python<'_>,
    settings: Vec<(String, String)>,
    vary: Vec<String>,
) -> PyResult<Sweep> {
    py.allow_threads(|| {
        let mut base = Experiment::default();
        base.apply(&settings, Syntax::Flat)?;
        let spec = SweepSpec::parse(base, &vary)?;
        spec.validate().map_err(|e| e.in_syntax(Syntax::Flat))?;
        run_sweep(&spec, None)
    })
    .map(|result| Sweep {
        result,
        report: None,
    })
    .map_err(py_err)
}

/// The catalogue's experiment `name` (`nnlab experiment list`), as `nnlab experiment run
/// NAME [--epochs N] [--data PATH]`, the GIL released.
#[pyfunction]
#[pyo3(signature = (name, epochs=None, data=None))]
pub(crate) fn experiment(
    py: Python<'_>,
    name: String,
    epochs: Option<usize>,
    data: Option<String>,
) -> PyResult<Sweep> {
    let opts = Options {
        epochs,
        data: data.map(Into::into),
    };
    py.allow_threads(|| run_entry(&name, &opts))
        .map(|ran| Sweep {
            result: ran.result,
            report: Some(ran.report),
        })
        .map_err(py_err)
}

/// The catalogue: `(name, what it asks)` per experiment.
#[pyfunction]
pub(crate) fn experiments() -> Vec<(&'static str, &'static str)> {
    CATALOGUE.to_vec()
}
