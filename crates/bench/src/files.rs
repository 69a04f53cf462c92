//! The files bench/compare/compare.py writes for both sides: raw little-endian `f64`
//! columns (`x.f64` row-major, `y.f64`) and JSON parameters.

use std::path::Path;

use anyhow::{bail, Context, Result};
use nnlab_core::course::CourseParams;
use nnlab_core::{Activation, Layer, Network};
use serde_json::Value;

/// Every `f64` of a raw little-endian file.
pub fn read_f64s(path: &Path) -> Result<Vec<f64>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() % 8 != 0 {
        bail!(
            "{}: {} bytes is not a whole number of f64",
            path.display(),
            bytes.len()
        );
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect())
}

pub fn read_json(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// `[w1..w6, b1..b3]` as written by compare.py.
pub fn course_params(all: &[f64]) -> Result<CourseParams> {
    if all.len() != 9 {
        bail!("course params: expected 9 numbers, found {}", all.len());
    }
    let mut p = CourseParams {
        w: [0.0; 6],
        b: [0.0; 3],
    };
    p.w.copy_from_slice(&all[..6]);
    p.b.copy_from_slice(&all[6..]);
    Ok(p)
}

/// The network of `dir`: its shape `network.json` and its parameters `params.f64`.
pub fn network_in(dir: &Path) -> Result<Network> {
    network(
        &read_json(&dir.join("network.json"))?,
        &read_f64s(&dir.join("params.f64"))?,
    )
}

/// A dense network from its shape `{"layers": [{"n_in": 8, "n_out": 64, "activation":
/// "relu"}, ...]}` (any activation name nnlab reads: `relu`, `tanh`, `sigmoid`, `softmax`, ...) and its parameters `flat` in [`Network::params_flat`]
/// order (each layer's weights row-major, one row per neuron, then its biases). The
/// numbers travel as raw `f64`, not JSON text, so both sides start from the same bits.
pub fn network(shape: &Value, flat: &[f64]) -> Result<Network> {
    let mut layers = Vec::new();
    let mut rest = flat;
    for (k, l) in shape["layers"]
        .as_array()
        .context("network: no layers")?
        .iter()
        .enumerate()
    {
        let size = |key: &str| -> Result<usize> {
            l[key]
                .as_u64()
                .map(|v| v as usize)
                .with_context(|| format!("layer {k}: no {key}"))
        };
        let (n_in, n_out) = (size("n_in")?, size("n_out")?);
        if rest.len() < n_out * (n_in + 1) {
            bail!("layer {k}: the parameter file is too short");
        }
        let (w, tail) = rest.split_at(n_out * n_in);
        let (b, tail) = tail.split_at(n_out);
        rest = tail;
        let act: Activation = match l["activation"].as_str() {
            Some(name) => name.parse().with_context(|| format!("layer {k}"))?,
            None => bail!("layer {k}: no activation"),
        };
        let rows = w.chunks_exact(n_in).map(<[f64]>::to_vec).collect();
        layers.push(Layer::new(rows, b.to_vec(), act).with_context(|| format!("layer {k}"))?);
    }
    if !rest.is_empty() {
        bail!("network: {} parameters left over", rest.len());
    }
    Network::from_layers(layers).context("network")
}
