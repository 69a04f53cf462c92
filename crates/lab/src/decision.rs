//! The decision boundary of a classification run over its two raw inputs, as a
//! [`DecisionChart`] (`decision.png` / `decision.svg` of `--out DIR`).
//!
//! The plane spans the training rows' range of each raw input (the scaler's statistics),
//! widened to every row's point and padded by 5% on each side; [`GRID`]² cells each hold the
//! predicted class ([`nnlab_core::predicted_class`]) of the final network at the cell's
//! centre and that class's probability. A cell's centre goes through the same path as a
//! data row: scaled with the run's fitted scaler, then forward through the network.

use nnlab_core::{predicted_class, Network, Trace};
use nnlab_data::Scaler;
use nnlab_plot::{ClassPoint, DecisionChart};

use crate::result::RunResult;
use crate::summary::class_names;

/// Cells on each side of the plane: 80 x 80 draws a smooth boundary and keeps the SVG near
/// 1 MB.
pub const GRID: usize = 80;

/// Share of each input's span added on both sides, so no point sits on the frame.
const PAD: f64 = 0.05;

/// The chart of `result`, when it is a classification run with two raw inputs (`None`
/// otherwise, or when the plane cannot be scaled).
pub fn decision_chart(result: &RunResult) -> Option<DecisionChart> {
    let net = &result.final_network;
    let k = net.n_outputs();
    let classes = class_names(&result.data.classes, nnlab_train::metrics::n_classes(k));
    if result.data.classes.is_empty() || result.data.inputs.len() != 2 || net.n_inputs() != 2 {
        return None;
    }
    let points: Vec<ClassPoint> = result
        .predictions
        .iter()
        .filter(|p| p.inputs.len() == 2)
        .map(|p| ClassPoint {
            x: p.inputs[0],
            y: p.inputs[1],
            class: predicted_class(std::slice::from_ref(&p.target)),
            test: p.set == "test",
        })
        .collect();
    let x_range = span(&result.scaler, 0, points.iter().map(|p| p.x))?;
    let y_range = span(&result.scaler, 1, points.iter().map(|p| p.y))?;
    let field = field(net, &result.scaler, x_range, y_range)?;
    Some(DecisionChart {
        title: format!(
            "Decision boundary: {} on {}",
            result.config.model.arch, result.data.source
        ),
        x_label: result.data.inputs[0].clone(),
        y_label: result.data.inputs[1].clone(),
        classes,
        x_range,
        y_range,
        nx: GRID,
        ny: GRID,
        field,
        points,
    })
}

/// The padded range of raw input `column`: the scaler's training min and max and `values`.
fn span(scaler: &Scaler, column: usize, values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let stats = scaler.inputs.get(column)?;
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((stats.min, stats.max), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = if hi > lo { PAD * (hi - lo) } else { 1.0 };
    Some((lo - pad, hi + pad))
}

/// Each cell's predicted class and its probability, row 0 at the bottom of `y`.
fn field(
    net: &Network,
    scaler: &Scaler,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Option<Vec<(usize, f64)>> {
    let mut trace = Trace::new(net);
    let centre = |lo: f64, hi: f64, i: usize| lo + (hi - lo) * (i as f64 + 0.5) / GRID as f64;
    let mut out = Vec::with_capacity(GRID * GRID);
    for j in 0..GRID {
        let y = scaler.scale_input(1, centre(y0, y1, j)).ok()?;
        for i in 0..GRID {
            let x = scaler.scale_input(0, centre(x0, x1, i)).ok()?;
            net.forward_into(&[x, y], &mut trace);
            out.push(class_and_probability(trace.output()));
        }
    }
    Some(out)
}

/// The predicted class of `outputs` and its probability: `p` or `1 - p` for one output.
pub fn class_and_probability(outputs: &[f64]) -> (usize, f64) {
    let c = predicted_class(outputs);
    match outputs {
        [p] if c == 1 => (1, *p),
        [p] => (0, 1.0 - p),
        _ => (c, outputs.get(c).copied().unwrap_or(f64::NAN)),
    }
}
