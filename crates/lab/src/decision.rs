//! The decision boundary of a classification run over its two raw inputs, as a
//! [`DecisionChart`] (`decision.png` / `decision.svg` of `--out DIR`).
//!
//! The plane spans the training rows' range of each raw input (the scaler's statistics),
//! widened to every row's point and padded by 5% on each side; [`GRID`]² cells each hold the
//! predicted class ([`nnlab_core::predicted_class`]) of the final network at the cell's
//! centre and that class's probability. A cell's centre goes through the same path as a
//! data row: its feature crosses computed (`data.features`, on the raw values), each scaled
//! with the run's fitted scaler, then forward through the network.

use nnlab_core::{predicted_class, Network, Trace};
use nnlab_data::{Feature, Scaler};
use nnlab_plot::{ClassPoint, DecisionChart};

use crate::config::Source;
use crate::result::RunResult;
use crate::summary::class_names;

/// Cells on each side of the plane: 80 x 80 draws a smooth boundary and keeps the SVG near
/// 1 MB.
pub const GRID: usize = 80;

/// Share of each input's span added on both sides, so no point sits on the frame.
const PAD: f64 = 0.05;

/// The chart of `result`, when it is a classification run on two raw inputs (`None`
/// otherwise, or when the plane cannot be scaled). With feature crosses the plane is the two
/// raw inputs the features are computed from (`x1, x2` of generated rows, else
/// `data.inputs`); the features must list both raw inputs themselves (`x1,x2,x1*x2`), whose
/// columns place the points and give the plane's range.
pub fn decision_chart(result: &RunResult) -> Option<DecisionChart> {
    let net = &result.final_network;
    let k = net.n_outputs();
    if result.data.classes.is_empty() {
        return None;
    }
    let (names, features) = plane_inputs(result)?;
    if features.len() != net.n_inputs() {
        return None;
    }
    // The columns of the network's inputs that are the raw inputs themselves.
    let column = |j: usize| features.iter().position(|f| *f == Feature::Input(j));
    let (cx, cy) = (column(0)?, column(1)?);
    let points: Vec<ClassPoint> = result
        .predictions
        .iter()
        .filter(|p| p.inputs.len() == features.len())
        .filter_map(|p| {
            Some(ClassPoint {
                x: p.inputs[cx],
                y: p.inputs[cy],
                class: p.class.as_ref()?.actual,
                test: p.set == "test",
            })
        })
        .collect();
    let x_range = span(&result.scaler, cx, points.iter().map(|p| p.x))?;
    let y_range = span(&result.scaler, cy, points.iter().map(|p| p.y))?;
    let field = field(net, &result.scaler, &features, x_range, y_range)?;
    Some(DecisionChart {
        title: format!(
            "Decision boundary: {} on {}",
            result.config.model.arch, result.config.data.source
        ),
        x_label: names[0].clone(),
        y_label: names[1].clone(),
        classes: class_names(&result.data.classes, nnlab_train::metrics::n_classes(k)),
        x_range,
        y_range,
        nx: GRID,
        ny: GRID,
        field,
        points,
    })
}

/// The two raw inputs' names and the network's inputs as features of them.
fn plane_inputs(result: &RunResult) -> Option<(Vec<String>, Vec<Feature>)> {
    let items = &result.config.data.features;
    if items.is_empty() {
        let names = result.data.inputs.clone();
        return (names.len() == 2).then(|| (names, vec![Feature::Input(0), Feature::Input(1)]));
    }
    let names: Vec<String> = match result.config.data.source {
        Source::Generate(_) => vec!["x1".into(), "x2".into()],
        _ => result.config.data.inputs.clone(),
    };
    if names.len() != 2 {
        return None;
    }
    let features = items
        .iter()
        .map(|t| Feature::parse(t, &names))
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    Some((names, features))
}

/// The padded range of the network's input `column`: the scaler's training min and max and
/// `values`.
fn span(scaler: &Scaler, column: usize, values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let stats = scaler.inputs.get(column)?;
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((stats.min, stats.max), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = if hi > lo { PAD * (hi - lo) } else { 1.0 };
    Some((lo - pad, hi + pad))
}

/// Each cell's predicted class and its probability, row 0 at the bottom of `y`.
/// The raw point `(x1, x2)` goes through the features, then the scaler, as a loaded row does.
fn field(
    net: &Network,
    scaler: &Scaler,
    features: &[Feature],
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Option<Vec<(usize, f64)>> {
    let mut trace = Trace::new(net);
    let centre = |lo: f64, hi: f64, i: usize| lo + (hi - lo) * (i as f64 + 0.5) / GRID as f64;
    let mut out = Vec::with_capacity(GRID * GRID);
    let mut row = vec![0.0; features.len()];
    for j in 0..GRID {
        let y = centre(y0, y1, j);
        for i in 0..GRID {
            let raw = [centre(x0, x1, i), y];
            for (k, f) in features.iter().enumerate() {
                row[k] = scaler.scale_input(k, f.value(&raw)).ok()?;
            }
            net.forward_into(&row, &mut trace);
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
