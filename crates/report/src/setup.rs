//! Building the network and the example of a step from what the user typed (the second
//! stage of flag handling: the command line parses flags into text, this checks it).
//!
//! Without any choice the network is the course's: 2-2-1, relu, `w = 1,0.5,1,-1,1,1`,
//! `b = 0.5,0,0.5`. Other architectures default to `glorot` weights and zero biases drawn
//! from `--seed` (default 0).
//!
//! ```
//! use nnlab_report::setup::{parse_example, NetworkSpec};
//! let net = NetworkSpec::default().build().unwrap();
//! let (x, y) = parse_example(&net, "1,0", "2").unwrap();
//! assert_eq!(net.predict(&x).unwrap(), vec![2.5]);
//! let spec = NetworkSpec { init: Some("mixed".into()), ..NetworkSpec::default() };
//! assert_eq!(spec.build().unwrap().predict(&x).unwrap(), y); // the exact fit
//! ```

use std::path::PathBuf;

use nnlab_core::init::Init;
use nnlab_core::rng::Rng;
use nnlab_core::values::{build_network, ParamValues};
use nnlab_core::{course, Activation, Network, ParamId};

use crate::input::{
    check_count, parse_activations, parse_arch, parse_count, parse_numbers, parse_values,
};
use crate::ReportError;

/// The network flags as typed, each `None` when not given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetworkSpec {
    /// `--arch 2-3-1`.
    pub arch: Option<String>,
    /// `--activation relu,identity` (one per layer, or one for all).
    pub activation: Option<String>,
    /// `--weights`: a list or an initializer.
    pub weights: Option<String>,
    /// `--biases`: a list or an initializer.
    pub biases: Option<String>,
    /// `--init`: a course preset (`course::PRESETS`).
    pub init: Option<String>,
    /// `--params`: a JSON file holding a serialized [`Network`].
    pub params: Option<PathBuf>,
    /// `--seed` for initializers.
    pub seed: Option<String>,
}

impl NetworkSpec {
    /// The network these flags describe, or the first thing wrong with them.
    pub fn build(&self) -> Result<Network, ReportError> {
        if let Some(path) = &self.params {
            let others = [
                ("--arch", &self.arch),
                ("--activation", &self.activation),
                ("--weights", &self.weights),
                ("--biases", &self.biases),
                ("--init", &self.init),
            ];
            if let Some((flag, _)) = others.iter().find(|(_, v)| v.is_some()) {
                return Err(ReportError::Invalid {
                    field: "--params".into(),
                    reason: format!("the file holds the whole network; leave out {flag}"),
                });
            }
            return load_network("--params", path);
        }
        let sizes = match &self.arch {
            Some(text) => parse_arch("--arch", text)?,
            None => vec![2, 2, 1],
        };
        let n_layers = sizes.len() - 1;
        let activations = match &self.activation {
            Some(text) => parse_activations("--activation", text, n_layers)?,
            None => vec![Activation::Relu; n_layers],
        };
        let is_course = sizes == [2, 2, 1];
        let (weights, biases) = match &self.init {
            Some(name) => self.preset(name, is_course, &sizes)?,
            None => {
                let (cw, cb) = course_values();
                let weights = match &self.weights {
                    Some(text) => parse_values("--weights", text)?,
                    None if is_course => cw,
                    None => ParamValues::Init(Init::Glorot),
                };
                let biases = match &self.biases {
                    Some(text) => parse_values("--biases", text)?,
                    None if is_course => cb,
                    None => ParamValues::Init(Init::Const(0.0)),
                };
                (weights, biases)
            }
        };
        let seed = match &self.seed {
            Some(text) => parse_count("--seed", text, 0)?,
            None => 0,
        };
        // Count the lists here, where we know the flag, rather than in the core.
        let shape = Network::zeros(&sizes, &activations)?;
        let ids = shape.named_param_ids();
        let (w_names, b_names): (Vec<_>, Vec<_>) = ids
            .into_iter()
            .partition(|(_, id)| matches!(id, ParamId::Weight { .. }));
        for (field, values, names) in [
            ("--weights", &weights, &w_names),
            ("--biases", &biases, &b_names),
        ] {
            if let ParamValues::List(v) = values {
                check_count(field, v.len(), names.len(), &span(names))?;
            }
        }
        let mut rng = Rng::for_purpose(seed, "init");
        Ok(build_network(
            &sizes,
            &activations,
            &weights,
            &biases,
            &mut rng,
        )?)
    }

    fn preset(
        &self,
        name: &str,
        is_course: bool,
        sizes: &[usize],
    ) -> Result<(ParamValues, ParamValues), ReportError> {
        let arch = sizes
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("-");
        let reason = if !is_course {
            Some(format!(
                "presets are for the course's 2-2-1 network, not {arch}"
            ))
        } else if self.weights.is_some() || self.biases.is_some() {
            Some(
                "a preset sets both weights and biases; leave out --weights and --biases"
                    .to_string(),
            )
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(ReportError::Invalid {
                field: "--init".into(),
                reason,
            });
        }
        let (w, b) = course::preset(name.trim()).ok_or_else(|| ReportError::Invalid {
            field: "--init".into(),
            reason: format!(
                "unknown preset '{}' (expected {})",
                name.trim(),
                course::PRESETS
                    .iter()
                    .map(|p| p.0)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })?;
        Ok((ParamValues::List(w.to_vec()), ParamValues::List(b.to_vec())))
    }
}

/// The course's example values (`course` preset).
fn course_values() -> (ParamValues, ParamValues) {
    let (_, w, b) = course::PRESETS[0];
    (ParamValues::List(w.to_vec()), ParamValues::List(b.to_vec()))
}

/// `w1..w6`, `L1.w[1][1]..L2.w[1][3]`, or the single name.
fn span(names: &[(String, ParamId)]) -> String {
    match names {
        [] => String::new(),
        [one] => one.0.clone(),
        [first, .., last] => format!("{}..{}", first.0, last.0),
    }
}

/// Reads a network saved as JSON (`{"layers":[{"activation":"relu","weights":[[..]],"biases":[..]}]}`).
pub fn load_network(field: &str, path: &std::path::Path) -> Result<Network, ReportError> {
    let file_error = |reason: String| ReportError::File {
        field: field.into(),
        path: path.display().to_string(),
        reason,
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| file_error(format!("cannot read it: {e}")))?;
    serde_json::from_str(&text).map_err(|e| file_error(format!("not a network: {e}")))
}

/// The input and target of the example, checked against the network's widths.
pub fn parse_example(
    net: &Network,
    input: &str,
    target: &str,
) -> Result<(Vec<f64>, Vec<f64>), ReportError> {
    let x = parse_numbers("--input", input)?;
    let y = parse_numbers("--target", target)?;
    // Named as the equations name them: x1, x2, ... and y or y[1], y[2], ...
    let xs = match net.n_inputs() {
        1 => "x1".to_string(),
        2 => "x1, x2".to_string(),
        n => format!("x1..x{n}"),
    };
    let ys = match net.n_outputs() {
        1 => "y".to_string(),
        2 => "y[1], y[2]".to_string(),
        n => format!("y[1]..y[{n}]"),
    };
    check_count("--input", x.len(), net.n_inputs(), &xs)?;
    check_count("--target", y.len(), net.n_outputs(), &ys)?;
    Ok((x, y))
}
