//! A session's data, prepared by the run pipeline's own stage ([`nnlab_lab::Prepared`]:
//! split with the data seed, scaler fitted on the training rows), so stepping gives
//! `nnlab train`'s bits, and what the page draws of it.
//!
//! The server reads no files: `data.source` is `generate`, `builtin:NAME`, or a name for CSV
//! text sent with the request (the pipeline's [`CsvText`] source); [`prepare`] checks that
//! rule and the server's row limit before the pipeline runs.

use nnlab_core::Network;
use nnlab_data::Dataset;
use nnlab_lab::config::DataKind;
use nnlab_lab::{CsvText, Experiment, Prepared};
use serde::Serialize;

use crate::limits::MAX_ROWS;
use crate::ApiError;

/// Loads, splits and scales the data of a resolved experiment, keeping the rows in original
/// units (the page shows them); `csv` is uploaded CSV text.
pub fn prepare(exp: &Experiment, csv: Option<&str>) -> Result<Prepared, ApiError> {
    let source = exp.data.source.to_string();
    let source = source.as_str();
    // `generate`, `generate:PATTERN` (TF Playground's two-class sets) or `builtin:NAME`.
    let kind = exp.data.source.kind();
    let generated = matches!(kind, DataKind::Generated | DataKind::TwoClass);
    if generated && exp.data.generator.rows > MAX_ROWS {
        return Err(too_many_rows(exp.data.generator.rows));
    }
    let named = generated || kind == DataKind::Builtin;
    match csv {
        Some(_) if named => {
            return Err(ApiError::bad(format!(
                "csv: CSV text was sent but data.source is '{source}'; name the upload instead"
            )))
        }
        None if !named => {
            return Err(ApiError::bad(format!(
                "data.source: the server reads no files ('{source}'); send the CSV text as \"csv\""
            )))
        }
        _ => {}
    }
    if csv.is_some() && (exp.data.target.is_empty() || exp.data.inputs.is_empty()) {
        return Err(ApiError::bad(
            "data: a CSV needs its columns: give data.inputs and data.target",
        ));
    }
    let loaded = nnlab_lab::load(exp, csv.map(CsvText)).map_err(ApiError::bad)?;
    if loaded.all.n_rows() > MAX_ROWS {
        return Err(too_many_rows(loaded.all.n_rows()));
    }
    Prepared::from_loaded(exp, loaded, true).map_err(ApiError::bad)
}

fn too_many_rows(rows: usize) -> ApiError {
    ApiError::bad(format!(
        "rows: {rows} rows; the server allows at most {MAX_ROWS}"
    ))
}

/// One row's prediction in original units, for the predictions-vs-targets chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredictionRow {
    /// `train` or `test`.
    pub set: &'static str,
    /// 1-based row within its set.
    pub row: usize,
    /// As [`nnlab_lab::result::Prediction`]'s: for more than two classes the true and the
    /// predicted class index; for two the 0/1 target and `p`.
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
    /// Each hidden neuron's activation over the same grid, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neurons: Option<Vec<NeuronGrid>>,
    /// The data's rows (training, then test), when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<Point>>,
    /// The class names, in class order, when the target is classes; then `class` holds each
    /// cell's predicted class and its probability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<Vec<String>>,
    /// `class[j][i] = [c, p]` at `(x1[i], x2[j])`: the predicted class (the core's rule) and
    /// its probability ([`nnlab_lab::decision::class_and_probability`]), for a classifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<Vec<Vec<(usize, f64)>>>,
}

/// One hidden neuron's `a` over the grid (the network's own units: the scaled inputs go
/// in), `a[j][i]` at `(x1[i], x2[j])`, from the same forward pass as the output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeuronGrid {
    /// Layer, 1-based (1 = the first layer after the input), as in the step report.
    pub layer: usize,
    /// Neuron within the layer, 1-based.
    pub neuron: usize,
    pub a: Vec<Vec<f64>>,
}

/// One row of the data in original units, to draw over the plane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// `train` or `test`.
    pub set: &'static str,
    pub x1: f64,
    pub x2: f64,
    /// The target: for a class target, the class index.
    pub y: f64,
}

/// What a grid carries besides the output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GridParts {
    pub neurons: bool,
    pub points: bool,
}

/// Every row's prediction by `net` (train rows, then test rows), in the target's original
/// units, computed as `nnlab train` computes its `predictions.csv`.
pub fn predictions(data: &Prepared, net: &Network) -> Result<Vec<PredictionRow>, ApiError> {
    let original = data.original().map_err(ApiError::internal)?;
    let sets = [
        ("train", Some((&data.train, &original.train))),
        ("test", data.test.as_ref().zip(original.test.as_ref())),
    ];
    let mut out = Vec::new();
    for (name, set) in sets {
        let Some((scaled, raw)) = set else { continue };
        let (_, pred) =
            nnlab_lab::evaluate(net, scaled, &nnlab_lab::samples(scaled), &data.scaler, true);
        for p in nnlab_lab::prediction_rows(name, raw, &pred) {
            out.push(PredictionRow {
                set: name,
                row: p.row,
                target: p.target,
                prediction: p.prediction,
            });
        }
    }
    Ok(out)
}

/// `net` over an `n × n` grid spanning the range of both inputs over all rows (training and
/// test, so every point drawn lies on it); an error unless the data has exactly two inputs.
pub fn grid(data: &Prepared, net: &Network, n: usize, parts: GridParts) -> Result<Grid, ApiError> {
    let original = data.original().map_err(ApiError::internal)?;
    let d = &original.train;
    if d.n_inputs() != 2 {
        return Err(ApiError::bad(format!(
            "grid: the data has {} inputs; the plane needs exactly 2",
            d.n_inputs()
        )));
    }
    if net.n_inputs() != 2 {
        return Err(ApiError::bad(format!(
            "grid: the network {} takes {} inputs; the plane needs exactly 2",
            net.arch_string(),
            net.n_inputs()
        )));
    }
    let sets: Vec<(&'static str, &Dataset)> = std::iter::once(("train", d))
        .chain(original.test.as_ref().map(|t| ("test", t)))
        .collect();
    let axis = |col: usize| -> Vec<f64> {
        let v: Vec<f64> = sets.iter().flat_map(|(_, s)| s.input_column(col)).collect();
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (0..n)
            .map(|i| lo + (hi - lo) * i as f64 / (n - 1).max(1) as f64)
            .collect()
    };
    let (x1, x2) = (axis(0), axis(1));
    let scaler = &data.scaler;
    let hidden = net.layers().len() - 1;
    let count: usize = net.layers()[..hidden].iter().map(|l| l.n_out()).sum();
    // neurons[k][j][i]: hidden neuron k (layer by layer) at (x1[i], x2[j]).
    let mut neurons: Vec<Vec<Vec<f64>>> =
        vec![Vec::with_capacity(n); if parts.neurons { count } else { 0 }];
    let mut trace = nnlab_core::Trace::new(net);
    let mut z = Vec::with_capacity(n);
    let classes = d.classes().map(<[String]>::to_vec);
    let mut class: Vec<Vec<(usize, f64)>> = Vec::new();
    for &b in &x2 {
        let mut row = Vec::with_capacity(n);
        let mut class_row = Vec::new();
        for grid in &mut neurons {
            grid.push(Vec::with_capacity(n));
        }
        for &a in &x1 {
            let s = [
                scaler.scale_input(0, a).map_err(ApiError::internal)?,
                scaler.scale_input(1, b).map_err(ApiError::internal)?,
            ];
            // One forward pass gives the output and every hidden neuron's `a`.
            net.forward_into(&s, &mut trace);
            row.push(scaler.inverse_target(trace.output()[0]));
            if classes.is_some() {
                class_row.push(nnlab_lab::decision::class_and_probability(trace.output()));
            }
            for (grid, &v) in neurons.iter_mut().zip(trace.a[..hidden].iter().flatten()) {
                if let Some(last) = grid.last_mut() {
                    last.push(v);
                }
            }
        }
        z.push(row);
        class.push(class_row);
    }
    let neurons = parts.neurons.then(|| {
        let ids = net.layers()[..hidden]
            .iter()
            .enumerate()
            .flat_map(|(l, layer)| (0..layer.n_out()).map(move |j| (l + 1, j + 1)));
        ids.zip(neurons)
            .map(|((layer, neuron), a)| NeuronGrid { layer, neuron, a })
            .collect()
    });
    let points = parts.points.then(|| {
        sets.iter()
            .flat_map(|&(set, s)| {
                (0..s.n_rows()).map(move |r| Point {
                    set,
                    x1: s.row(r)[0],
                    x2: s.row(r)[1],
                    y: row_target(s, r),
                })
            })
            .collect()
    });
    Ok(Grid {
        x1_name: d.input_names[0].clone(),
        x2_name: d.input_names[1].clone(),
        x1,
        x2,
        z,
        neurons,
        points,
        class: classes.is_some().then_some(class),
        classes,
    })
}

/// Row `r`'s target as one number: the target, or for a class target its class index (the
/// hot index of a one-hot row): the plane's points and the state's `row_target`.
pub(crate) fn row_target(set: &Dataset, r: usize) -> f64 {
    match set.classes() {
        Some(_) => nnlab_core::predicted_class(set.target_row(r)) as f64,
        None => set.y[r],
    }
}
