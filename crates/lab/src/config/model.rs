//! The model section: the network's shape and where its starting values come from, typed
//! once and turned into a [`Network`] by one function, [`ModelConfig::network`], that
//! `train`, sweeps, experiments, `step` and the web page all use.
//!
//! ```
//! use nnlab_lab::ModelConfig;
//! // The course's network from the course's start: y_hat = 2.5 on the example (1, 0).
//! let net = ModelConfig::default().network(0).unwrap();
//! assert_eq!(net.predict(&[1.0, 0.0]).unwrap(), vec![2.5]);
//! let mixed = ModelConfig { init: Some("mixed".parse().unwrap()), ..ModelConfig::default() };
//! assert_eq!(mixed.network(0).unwrap().predict(&[1.0, 0.0]).unwrap(), vec![2.0]);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use nnlab_core::init::Init;
use nnlab_core::values::{build_network, ParamValues};
use nnlab_core::{course, rng::Rng, Activation, CoreError, Network, ParamId};

use super::python_init::{check_python, InitRng, PythonRandom};
use crate::serde_util::serde_as_text;
use crate::LabError;

/// Layer sizes, input first (`2-2-1`, `2-8-8-1`): at least two, none 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arch(Vec<usize>);

impl Arch {
    /// The sizes, input first.
    pub fn sizes(&self) -> &[usize] {
        &self.0
    }

    /// The course's 2-2-1.
    pub fn is_course(&self) -> bool {
        self.0 == [2, 2, 1]
    }
}

impl Default for Arch {
    fn default() -> Arch {
        Arch(vec![2, 2, 1])
    }
}

impl FromStr for Arch {
    type Err = String;
    fn from_str(s: &str) -> Result<Arch, String> {
        let t = s.trim();
        let bad = || {
            format!("'{t}' is not an architecture like 2-3-1 (sizes of at least 1, input first)")
        };
        let sizes: Vec<usize> = t
            .split('-')
            .map(|p| p.trim().parse::<usize>().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        if sizes.len() < 2 || sizes.contains(&0) {
            return Err(bad());
        }
        Ok(Arch(sizes))
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(usize::to_string).collect();
        f.write_str(&parts.join("-"))
    }
}

serde_as_text!(Arch);

/// One activation for every layer, or one per layer after the input (`relu,identity`).
#[derive(Debug, Clone, PartialEq)]
pub struct Activations(Vec<Activation>);

impl Activations {
    /// The activation of each of `layers` layers; an error when the count fits neither 1
    /// nor `layers`.
    pub fn per_layer(&self, layers: usize) -> Result<Vec<Activation>, String> {
        match self.0.len() {
            1 => Ok(vec![self.0[0]; layers]),
            n if n == layers => Ok(self.0.clone()),
            n => Err(format!(
                "expected 1 or {layers} values (one per layer after the input), got {n}"
            )),
        }
    }
}

impl Default for Activations {
    fn default() -> Activations {
        Activations(vec![Activation::Relu])
    }
}

impl FromStr for Activations {
    type Err = String;
    fn from_str(s: &str) -> Result<Activations, String> {
        s.split(',')
            .map(|p| p.parse::<Activation>().map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()
            .map(Activations)
    }
}

impl fmt::Display for Activations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(Activation::to_string).collect();
        f.write_str(&parts.join(","))
    }
}

serde_as_text!(Activations);

/// A named starting point of the course network, one of [`course::PRESETS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset(&'static str);

impl Preset {
    /// `(w1..w6, b1..b3)` of the preset.
    pub fn values(self) -> ([f64; 6], [f64; 3]) {
        course::preset(self.0).unwrap_or(([0.0; 6], [0.0; 3]))
    }

    /// Every preset's name, in the course's order.
    pub fn names() -> Vec<&'static str> {
        course::PRESETS.iter().map(|p| p.0).collect()
    }
}

impl FromStr for Preset {
    type Err = String;
    fn from_str(s: &str) -> Result<Preset, String> {
        let t = s.trim();
        course::PRESETS
            .iter()
            .find(|p| p.0 == t)
            .map(|p| Preset(p.0))
            .ok_or_else(|| {
                format!(
                    "unknown preset '{t}' (expected {})",
                    Preset::names().join(", ")
                )
            })
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

serde_as_text!(Preset);

/// The network and its starting point.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// Layer sizes, input first. The input size must match the data.
    pub arch: Arch,
    /// One activation for every layer, or one per layer after the input.
    pub activation: Activations,
    /// A course preset for the 2-2-1 network; it sets both weights and biases, so it cannot
    /// be given with `weights` or `biases`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init: Option<Preset>,
    /// A list (`1,0.5,1,-1,1,1`) or a strategy. Unset: the course's weights on 2-2-1,
    /// `glorot` elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights: Option<ParamValues>,
    /// Like `weights`. Unset: the course's biases on 2-2-1, `const:0` elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biases: Option<ParamValues>,
    /// The stream random `weights`/`biases` are drawn from. Unset: nnlab's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init_rng: Option<InitRng>,
}

/// What unset `weights` and `biases` mean, for help texts.
pub const UNSET_WEIGHTS: &str = "the course's w1..w6 on 2-2-1, glorot elsewhere";
pub const UNSET_BIASES: &str = "the course's b1..b3 on 2-2-1, const:0 elsewhere";

fn config(key: &str, message: String) -> LabError {
    LabError::Config {
        key: key.into(),
        message,
    }
}

impl ModelConfig {
    /// The network's size against the [`LIMITS`](super::LIMITS) (width, depth, parameters),
    /// from the sizes alone: nothing is allocated. The error names `arch`.
    pub fn check_limits(&self) -> Result<(), LabError> {
        super::LIMITS
            .check_sizes(&self.arch.to_string(), self.arch.sizes())
            .map_err(|m| config("arch", m))
    }

    /// Layer sizes and activations.
    pub fn layers(&self) -> Result<(Vec<usize>, Vec<Activation>), LabError> {
        let sizes = self.arch.sizes().to_vec();
        let acts = self
            .activation
            .per_layer(sizes.len() - 1)
            .map_err(|m| config("activation", m))?;
        Ok((sizes, acts))
    }

    /// The starting network: a preset, explicit lists, or strategies drawn from
    /// `Rng::for_purpose(init_seed, "init")` (Python's `random.seed(init_seed)` stream with
    /// `init_rng = "python"`, [`super::python_init`]). Errors name the option (`init`, `weights`, ...).
    pub fn network(&self, init_seed: u64) -> Result<Network, LabError> {
        self.check_limits()?;
        let (sizes, acts) = self.layers()?;
        let course_shape = self.arch.is_course();
        let (weights, biases) = match self.init {
            Some(preset) => {
                if !course_shape {
                    return Err(config(
                        "init",
                        format!(
                            "presets are for the course's 2-2-1 network, not {}",
                            self.arch
                        ),
                    ));
                }
                let other = match (&self.weights, &self.biases) {
                    (Some(_), _) => Some("weights"),
                    (None, Some(_)) => Some("biases"),
                    (None, None) => None,
                };
                if let Some(other) = other {
                    return Err(LabError::Conflict {
                        key: "init".into(),
                        other: other.into(),
                        reason: "a preset sets both weights and biases".into(),
                    });
                }
                let (w, b) = preset.values();
                (ParamValues::List(w.to_vec()), ParamValues::List(b.to_vec()))
            }
            None => {
                let (cw, cb) = course_values();
                let w = match &self.weights {
                    Some(v) => v.clone(),
                    None if course_shape => cw,
                    None => ParamValues::Init(Init::Glorot),
                };
                let b = match &self.biases {
                    Some(v) => v.clone(),
                    None if course_shape => cb,
                    None => ParamValues::Init(Init::Const(0.0)),
                };
                (w, b)
            }
        };
        // Count the lists here, where the option is known, rather than in the core.
        // The sizes are valid (`Arch` checked them): what the core can refuse here is softmax
        // where it does not belong, an `activation` matter.
        let shape =
            Network::zeros(&sizes, &acts).map_err(|e| config("activation", e.to_string()))?;
        let (w_names, b_names): (Vec<_>, Vec<_>) = shape
            .named_param_ids()
            .into_iter()
            .partition(|(_, id)| matches!(id, ParamId::Weight { .. }));
        for (key, values, names) in [
            ("weights", &weights, &w_names),
            ("biases", &biases, &b_names),
        ] {
            if let ParamValues::List(v) = values {
                if v.len() != names.len() {
                    let noun = if names.len() == 1 { "value" } else { "values" };
                    return Err(config(
                        key,
                        format!(
                            "expected {} {noun} ({}), got {}",
                            names.len(),
                            span(names),
                            v.len()
                        ),
                    ));
                }
            }
        }
        let built = match self.init_rng.unwrap_or_default() {
            InitRng::Nnlab => build_network(
                &sizes,
                &acts,
                &weights,
                &biases,
                &mut Rng::for_purpose(init_seed, "init"),
            ),
            InitRng::Python => {
                check_python("weights", &weights)?;
                check_python("biases", &biases)?;
                let mut random = PythonRandom::new(init_seed);
                build_network(&sizes, &acts, &weights, &biases, &mut random)
            }
        };
        built.map_err(|e| {
            // Left after the counts: a non-finite value from a file's array.
            match e {
                // `--weights: initializer 'uniform:-1e308,1e308' drew w1 = inf: ...`.
                CoreError::InitNotFinite {
                    what,
                    init,
                    param,
                    value,
                } => config(
                    what,
                    format!(
                        "initializer '{init}' drew {param} = {value} before training: a starting value must be finite"
                    ),
                ),
                CoreError::NotFinite { ref what, .. } if what.starts_with("biases") => {
                    config("biases", e.to_string())
                }
                other => config("weights", other.to_string()),
            }
        })
    }
}

impl ModelConfig {
    /// This model at another architecture (the playground's +/− neurons and layers): what
    /// is tied to the old shape is dropped, so the new shape takes the defaults for it. A
    /// course preset and explicit `weights`/`biases` lists go (a list's values name the old
    /// shape's parameters); strategies (`glorot`, `uniform:-1,1`) stay. A per-layer
    /// activation list keeps the output's activation last and its hidden ones by position,
    /// a new hidden layer repeating the last hidden one (`relu,tanh,identity` at 2-3-3-1
    /// becomes `relu,tanh,tanh,identity` at 2-3-3-3-1, and `relu,identity` at 2-2-1).
    pub fn with_arch(&self, arch: Arch) -> ModelConfig {
        let layers = arch.sizes().len() - 1;
        let activation = match self.activation.0.split_last() {
            Some((&output, hidden)) if !hidden.is_empty() => {
                let fill = hidden[hidden.len() - 1];
                let mut per_layer: Vec<Activation> = (0..layers - 1)
                    .map(|l| hidden.get(l).copied().unwrap_or(fill))
                    .collect();
                per_layer.push(output);
                Activations(per_layer)
            }
            _ => self.activation.clone(),
        };
        let strategy = |v: &Option<ParamValues>| match v {
            Some(ParamValues::Init(i)) => Some(ParamValues::Init(*i)),
            _ => None,
        };
        let same = arch == self.arch;
        ModelConfig {
            init: if same { self.init } else { None },
            weights: if same {
                self.weights.clone()
            } else {
                strategy(&self.weights)
            },
            biases: if same {
                self.biases.clone()
            } else {
                strategy(&self.biases)
            },
            // The stream is not tied to the shape.
            init_rng: self.init_rng,
            arch,
            activation,
        }
    }
}

/// The course's starting values (the `course` preset).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_round_trip() {
        for text in ["2-2-1", "10-8-8-1"] {
            assert_eq!(text.parse::<Arch>().unwrap().to_string(), text);
        }
        assert!("2-0-1".parse::<Arch>().is_err());
        assert!("2".parse::<Arch>().is_err());
        let acts: Activations = "relu,leaky_relu:0.2".parse().unwrap();
        assert_eq!(acts.to_string(), "relu,leaky_relu:0.2");
        assert_eq!(
            acts.per_layer(2).unwrap()[1],
            Activation::LeakyRelu { slope: 0.2 }
        );
        assert!(acts.per_layer(3).is_err());
        assert_eq!("mixed".parse::<Preset>().unwrap().to_string(), "mixed");
        assert!("nope"
            .parse::<Preset>()
            .unwrap_err()
            .starts_with("unknown preset 'nope'"));
    }

    // Issue 11: `--init mixed --weights ...` was an error for `step` but silently took the
    // preset for `train`; now one rule names both options.
    #[test]
    fn a_preset_with_weights_is_one_error() {
        let m = ModelConfig {
            init: Some("mixed".parse().unwrap()),
            weights: Some("1,1,1,1,1,1".parse().unwrap()),
            ..ModelConfig::default()
        };
        assert_eq!(
            m.network(0).unwrap_err().to_string(),
            "init and weights cannot both be given: a preset sets both weights and biases"
        );
    }

    // The playground's +/−: a preset and lists go, strategies stay, per-layer activations
    // keep the output's last.
    #[test]
    fn another_arch_drops_what_named_the_old_shape() {
        let course = ModelConfig {
            init: Some("mixed".parse().unwrap()),
            ..ModelConfig::default()
        };
        let wide = course.with_arch("2-3-1".parse().unwrap());
        assert_eq!((wide.init, wide.weights.clone()), (None, None));
        assert_eq!(wide.arch.to_string(), "2-3-1");
        let m = ModelConfig {
            arch: "2-3-3-1".parse().unwrap(),
            activation: "relu,tanh,identity".parse().unwrap(),
            weights: Some("uniform:-1,1".parse().unwrap()),
            biases: Some("0,0,0,0,0,0,0".parse().unwrap()),
            init: None,
            init_rng: None,
        };
        let deeper = m.with_arch("2-3-3-3-1".parse().unwrap());
        assert_eq!(deeper.activation.to_string(), "relu,tanh,tanh,identity");
        assert_eq!(deeper.weights, m.weights);
        assert_eq!(deeper.biases, None);
        let shallow = m.with_arch("2-2-1".parse().unwrap());
        assert_eq!(shallow.activation.to_string(), "relu,identity");
        // The same arch changes nothing.
        assert_eq!(m.with_arch(m.arch.clone()), m);
        // The result builds: 2-3-3-3-1 at the init seed.
        assert_eq!(deeper.network(0).unwrap().arch_string(), "2-3-3-3-1");
    }

    #[test]
    fn list_counts_name_the_parameters() {
        let m = ModelConfig {
            weights: Some("1".parse().unwrap()),
            ..ModelConfig::default()
        };
        assert_eq!(
            m.network(0).unwrap_err().to_string(),
            "weights: expected 6 values (w1..w6), got 1"
        );
    }
}
