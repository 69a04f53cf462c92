//! A session's data, prepared exactly as `nnlab_lab::run_on` prepares it (split with the
//! data seed, scaler fitted on the training rows), so stepping gives `nnlab train`'s bits.
//!
//! The server reads no files: `data.source` is `generate`, `builtin:NAME`, or a name for CSV
//! text sent with the request (parsed by `nnlab_data::load_csv_from_reader`).

use nnlab_data::{load_csv_from_reader, split, CsvOptions, Dataset, LoadReport, Scaler};
use nnlab_lab::result::DataSummary;
use nnlab_lab::{Experiment, LoadedData};
use serde::Serialize;

use crate::limits::MAX_ROWS;
use crate::ApiError;

/// The rows of a session: raw (original units) and scaled.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub raw_train: Dataset,
    pub raw_test: Option<Dataset>,
    pub train: Dataset,
    pub test: Option<Dataset>,
    pub scaler: Scaler,
    pub summary: DataSummary,
}

/// Loads, splits and scales the data of a resolved experiment; `csv` is uploaded CSV text.
pub fn prepare(exp: &Experiment, csv: Option<&str>) -> Result<Prepared, ApiError> {
    let source = exp.data.source.to_string();
    let source = source.as_str();
    let generated = source.is_empty() || source == "generate";
    if generated && exp.data.generator.rows > MAX_ROWS {
        return Err(too_many_rows(exp.data.generator.rows));
    }
    let loaded = if generated || source.starts_with("builtin:") {
        if csv.is_some() {
            return Err(ApiError::bad(format!(
                "csv: CSV text was sent but data.source is '{source}'; name the upload instead"
            )));
        }
        nnlab_lab::load_data(exp).map_err(ApiError::bad)?
    } else {
        let text = csv.ok_or_else(|| {
            ApiError::bad(format!(
                "data.source: the server reads no files ('{source}'); send the CSV text as \"csv\""
            ))
        })?;
        if exp.data.target.is_empty() || exp.data.inputs.is_empty() {
            return Err(ApiError::bad(
                "data: a CSV needs its columns: give data.inputs and data.target",
            ));
        }
        let options = CsvOptions {
            inputs: exp.data.inputs.clone(),
            target: exp.data.target.clone(),
            skip_bad_rows: exp.data.skip_bad_rows,
        };
        let (all, report) =
            load_csv_from_reader(text.as_bytes(), source, &options).map_err(ApiError::bad)?;
        LoadedData { all, report }
    };
    if loaded.all.n_rows() > MAX_ROWS {
        return Err(too_many_rows(loaded.all.n_rows()));
    }
    scale(exp, loaded.all, &loaded.report)
}

fn too_many_rows(rows: usize) -> ApiError {
    ApiError::bad(format!(
        "rows: {rows} rows; the server allows at most {MAX_ROWS}"
    ))
}

fn scale(exp: &Experiment, all: Dataset, report: &LoadReport) -> Result<Prepared, ApiError> {
    let (data_seed, _, _) = exp.seeds();
    let (raw_train, raw_test) =
        split(&all, exp.data.test_fraction, data_seed).map_err(ApiError::bad)?;
    let scaler = Scaler::fit(&raw_train, exp.data.scale).map_err(ApiError::bad)?;
    let train = scaler.transform(&raw_train).map_err(ApiError::bad)?;
    let test = match &raw_test {
        Some(t) => Some(scaler.transform(t).map_err(ApiError::bad)?),
        None => None,
    };
    let summary = DataSummary {
        source: all.source.clone(),
        inputs: all.input_names.clone(),
        target: all.target_name.clone(),
        rows: all.n_rows(),
        train_rows: train.n_rows(),
        test_rows: test.as_ref().map_or(0, Dataset::n_rows),
        rows_skipped: report.rows_skipped,
        encoding: all.encoding.clone(),
    };
    Ok(Prepared {
        raw_train,
        raw_test,
        train,
        test,
        scaler,
        summary,
    })
}

/// One row's prediction in original units, for the predictions-vs-targets chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredictionRow {
    /// `train` or `test`.
    pub set: &'static str,
    /// 1-based row within its set.
    pub row: usize,
    pub target: f64,
    pub prediction: f64,
}

/// The network's output over a grid of the two inputs (original units), for the
/// output-over-the-input-plane chart: `z[j][i]` at `(x1[i], x2[j])`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grid {
    pub x1_name: String,
    pub x2_name: String,
    pub x1: Vec<f64>,
    pub x2: Vec<f64>,
    pub z: Vec<Vec<f64>>,
}

impl Prepared {
    /// Every row's prediction by `net`, in the target's original units.
    pub fn predictions(&self, net: &nnlab_core::Network) -> Vec<PredictionRow> {
        let mut out = Vec::new();
        let sets = [("train", Some(&self.train)), ("test", self.test.as_ref())];
        for (name, set) in sets {
            let Some(set) = set else { continue };
            let samples = nnlab_train::Samples {
                x: &set.x,
                y: &set.y,
                n_inputs: set.n_inputs(),
                n_outputs: 1,
            };
            let pred = nnlab_train::predict_all(net, &samples);
            for (i, (p, y)) in pred.iter().zip(&set.y).enumerate() {
                out.push(PredictionRow {
                    set: name,
                    row: i + 1,
                    target: self.scaler.inverse_target(*y),
                    prediction: self.scaler.inverse_target(*p),
                });
            }
        }
        out
    }

    /// `net` over an `n × n` grid spanning the training rows' range of both inputs; an error
    /// unless the data has exactly two inputs.
    pub fn grid(&self, net: &nnlab_core::Network, n: usize) -> Result<Grid, ApiError> {
        let d = &self.raw_train;
        if d.n_inputs() != 2 {
            return Err(ApiError::bad(format!(
                "grid: the data has {} inputs; the plane needs exactly 2",
                d.n_inputs()
            )));
        }
        let axis = |col: usize| -> Vec<f64> {
            let v = d.input_column(col);
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (0..n)
                .map(|i| lo + (hi - lo) * i as f64 / (n - 1).max(1) as f64)
                .collect()
        };
        let (x1, x2) = (axis(0), axis(1));
        let mut z = Vec::with_capacity(n);
        for &b in &x2 {
            let mut row = Vec::with_capacity(n);
            for &a in &x1 {
                let s = [
                    self.scaler.scale_input(0, a).map_err(ApiError::internal)?,
                    self.scaler.scale_input(1, b).map_err(ApiError::internal)?,
                ];
                let y = net.predict(&s).map_err(ApiError::internal)?;
                row.push(self.scaler.inverse_target(y[0]));
            }
            z.push(row);
        }
        Ok(Grid {
            x1_name: d.input_names[0].clone(),
            x2_name: d.input_names[1].clone(),
            x1,
            x2,
            z,
        })
    }
}
