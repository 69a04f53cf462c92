//! `nnlab._native`: the Rust side of the Python package `nnlab` (python/nnlab), a thin
//! layer over `nnlab_lab` as the CLI is. Settings arrive as `(key, text)` pairs, the text
//! a user would type after the flag, and go through the same key table
//! ([`nnlab_lab::Experiment::apply`]) with errors naming the keyword (`lr: 'abc' is not a
//! number`), raised as `ValueError`. Results leave as the JSON that `nnlab train --json`
//! prints (floats as the shortest text that reads back to the same f64, so Python's
//! `json.loads` gives the same bits); the Python side turns them into DataFrames.
//!
//! Training releases the GIL: other Python threads run meanwhile.

mod runs;
mod sweep;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

use nnlab_lab::config::keys::STEP_KEYS;
use nnlab_lab::{CsvText, Experiment, LabError, RunOptions, Syntax};
use nnlab_report::setup::{COURSE_INPUT, COURSE_TARGET};
use nnlab_store::Recorder;

/// A user's mistake (a keyword's value, a file, the data) as `ValueError`, anything else
/// as `RuntimeError`, with the library's message.
pub(crate) fn py_err(e: LabError) -> PyErr {
    if e.is_input_error() {
        PyValueError::new_err(e.to_string())
    } else {
        PyRuntimeError::new_err(e.to_string())
    }
}

pub(crate) fn json_err(e: serde_json::Error) -> PyErr {
    PyRuntimeError::new_err(format!("JSON: {e}"))
}

/// The experiment of `settings` over the defaults, checked and resolved, errors naming
/// the keyword.
fn checked(settings: &[(String, String)]) -> Result<Experiment, LabError> {
    let mut exp = Experiment::default();
    exp.apply(settings, Syntax::Flat)?;
    exp.validate().map_err(|e| e.in_syntax(Syntax::Flat))?;
    Ok(exp.resolved())
}

/// The resolved configuration of `settings` as JSON (checked, not run).
#[pyfunction]
fn config(settings: Vec<(String, String)>) -> PyResult<String> {
    let exp = checked(&settings).map_err(py_err)?;
    serde_json::to_string(&exp).map_err(json_err)
}

/// A finished run, held on the Rust side so that `predict` uses its networks and scaler
/// as they are; with its id in the store and the CSV text it was trained on (for `export`).
#[pyclass(frozen)]
struct RunResult(nnlab_lab::RunResult, Option<i64>, Option<String>);

#[pymethods]
impl RunResult {
    /// The id of the run in the store, when it was recorded.
    #[getter]
    fn run_id(&self) -> Option<i64> {
        self.1
    }

    /// The whole result as `nnlab train --json` prints it.
    fn json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(json_err)
    }

    /// The summary `nnlab train` prints (outcome, parameters, metrics, diagnostics), its
    /// text plot `width` characters wide.
    fn summary(&self, width: usize) -> String {
        nnlab_lab::summary::render_summary(&self.0, width)
    }

    /// The loss chart of `loss.svg` as SVG text; `None` when no loss is finite (a run that
    /// diverged in its first epoch).
    fn loss_svg(&self, width: u32, height: u32) -> PyResult<Option<String>> {
        match nnlab_lab::output::loss_chart(&self.0, false).to_svg(width, height) {
            Ok(svg) => Ok(Some(svg)),
            Err(nnlab_plot::PlotError::NoFiniteValues { .. }) => Ok(None),
            Err(e) => Err(PyRuntimeError::new_err(e.to_string())),
        }
    }

    /// The final network's predictions for `rows` (inputs in original units), in original
    /// units ([`nnlab_lab::RunResult::predict`]).
    fn predict(&self, rows: Vec<Vec<f64>>) -> PyResult<Vec<f64>> {
        self.0.predict(&rows).map_err(py_err)
    }

    /// Writes the folder that replays this run in `framework` (`keras` or `torch`) into
    /// `out`, as `nnlab export` does ([`nnlab_lab::write_export`]); returns the paths.
    fn export(&self, framework: &str, out: &str) -> PyResult<Vec<String>> {
        let framework: nnlab_lab::Framework = framework
            .parse()
            .map_err(|m: String| PyValueError::new_err(format!("framework: {m}")))?;
        let csv = self.2.as_deref().map(CsvText);
        let written =
            nnlab_lab::write_export(&self.0, csv, framework, out.as_ref()).map_err(py_err)?;
        Ok(written.iter().map(|p| p.display().to_string()).collect())
    }
}

/// Trains the experiment of `settings` (on the rows of `csv` when given: CSV text named by
/// the `data` setting), the GIL released meanwhile. With `record`, the run is recorded in
/// the run store (`store`, else the CLI's default) as `nnlab train` records it, tagged
/// `experiment`; a run that fails before training is removed again.
#[pyfunction]
#[pyo3(signature = (settings, csv=None, record=false, store=None, experiment=None))]
fn train(
    py: Python<'_>,
    settings: Vec<(String, String)>,
    csv: Option<String>,
    record: bool,
    store: Option<String>,
    experiment: Option<String>,
) -> PyResult<RunResult> {
    let exp = checked(&settings).map_err(py_err)?;
    let recorder = match record {
        true => Some(
            Recorder::start(&runs::store_path(store)?, &exp, experiment.as_deref())
                .map_err(runs::store_err)?,
        ),
        false => None,
    };
    let result = py.allow_threads(|| {
        RunOptions::default().run_with(&exp, csv.as_deref().map(CsvText), &mut |_| {})
    });
    let result = result.map(|r| (r, csv));
    let id = match (recorder, &result) {
        (Some(r), Ok((result, _))) => Some(r.finish(result).map_err(runs::store_err)?),
        (Some(r), Err(_)) => {
            r.abandon().map_err(runs::store_err)?;
            None
        }
        (None, _) => None,
    };
    result.map(|(r, csv)| RunResult(r, id, csv)).map_err(py_err)
}

/// The final network of the run folder `dir` (`train --out DIR`) on `rows`, in original
/// units, as `nnlab predict DIR` ([`nnlab_lab::Predictor`]); also the input names.
#[pyfunction]
fn predict_dir(dir: String, rows: Vec<Vec<f64>>) -> PyResult<(Vec<String>, Vec<f64>)> {
    let p = nnlab_lab::Predictor::from_dir(dir.as_ref()).map_err(py_err)?;
    let inputs = p.inputs().into_iter().map(String::from).collect();
    Ok((inputs, p.predict(&rows).map_err(py_err)?))
}

/// One gradient-descent step (or `steps` steps) on one example, as `nnlab step`
/// ([`nnlab_lab::explain`], the one path of both): the step options of `settings`
/// ([`STEP_KEYS`]), the example's input and target as text (the course's `1,0` and `2` by
/// default), feature crosses of the input. Returns the report as JSON, its text (what
/// `nnlab step` prints) and its Markdown with LaTeX equations.
#[pyfunction]
#[pyo3(signature = (settings, input=None, target=None, steps=None, check=false, features=None))]
fn step(
    settings: Vec<(String, String)>,
    input: Option<String>,
    target: Option<String>,
    steps: Option<String>,
    check: bool,
    features: Option<String>,
) -> PyResult<(String, String, String)> {
    if let Some((key, _)) = settings
        .iter()
        .find(|(k, _)| !STEP_KEYS.contains(&k.as_str()))
    {
        return Err(PyValueError::new_err(format!(
            "{key}: not an option of step (its options: input, target, features, steps, check, {})",
            STEP_KEYS.join(", ")
        )));
    }
    let mut exp = Experiment::default();
    exp.apply(&settings, Syntax::Flat).map_err(py_err)?;
    let net = exp
        .initial_network()
        .map_err(|e| py_err(e.in_syntax(Syntax::Flat)))?;
    let example = nnlab_lab::StepExample {
        input: ("input", input.as_deref().unwrap_or(COURSE_INPUT)),
        target: ("target", target.as_deref().unwrap_or(COURSE_TARGET)),
        features: features.as_deref().map(|items| ("features", items)),
        steps: steps.as_deref().map(|n| ("steps", n)),
        check,
        rows_from: None,
    };
    let explained = nnlab_lab::explain(&exp, &net, &example, Syntax::Flat).map_err(py_err)?;
    let json = explained.to_json(false).map_err(json_err)?;
    Ok((json, explained.text(), explained.latex()))
}

/// The key table (`nnlab train --help`'s options, `GET /api/schema`) as JSON.
#[pyfunction]
fn schema() -> PyResult<String> {
    serde_json::to_string(&nnlab_lab::schema()).map_err(json_err)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(config, m)?)?;
    m.add_function(wrap_pyfunction!(train, m)?)?;
    m.add_function(wrap_pyfunction!(step, m)?)?;
    m.add_function(wrap_pyfunction!(predict_dir, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::sweep, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::experiment, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::experiments, m)?)?;
    m.add_class::<sweep::Sweep>()?;
    m.add_function(wrap_pyfunction!(runs::runs_list, m)?)?;
    m.add_function(wrap_pyfunction!(runs::runs_show, m)?)?;
    m.add_function(wrap_pyfunction!(runs::runs_delete, m)?)?;
    m.add_function(wrap_pyfunction!(runs::predict_stored, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_class::<RunResult>()?;
    Ok(())
}
