//! The experiment description: one serde struct with defaults, validated once, shared by
//! CLI flags, TOML files, sweeps and the web page.
//!
//! The TOML form (every key optional; `nnlab train --print-config` prints the defaults):
//!
//! ```toml
//! seed = 0                 # sets the data, init and shuffle seeds unless given separately
//! [data]
//! source = "generate"      # or "builtin:diabetes", or a CSV path
//! scale = "minmax"
//! [data.generator]
//! rows = 100
//! [model]
//! arch = "2-2-1"
//! activation = "relu"
//! [train]
//! epochs = 300
//! lr = 0.01
//! ```
//!
//! Flat keys (`lr`, `rows`, `init`, `distribution`, ...) address the same fields from
//! flags and sweeps: see [`KEYS`] and [`Experiment::set`].

use std::path::Path;

use serde::{Deserialize, Serialize};

use nnlab_core::values::{build_network, ParamValues};
use nnlab_core::{course, rng::Rng, Activation, Network};
use nnlab_data::{Generator, ScaleKind};
use nnlab_train::TrainConfig;

use crate::LabError;

/// Everything that defines one training run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Experiment {
    /// The default for all three seeds below.
    pub seed: u64,
    /// Seed of the data generator and the test split (default: `seed`).
    pub data_seed: Option<u64>,
    /// Seed of random initial weights (default: `seed`).
    pub init_seed: Option<u64>,
    /// Seed of the per-epoch shuffle (default: `seed`).
    pub shuffle_seed: Option<u64>,
    pub data: DataConfig,
    pub model: ModelConfig,
    pub train: TrainConfig,
}

/// Where the rows come from and how they are prepared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataConfig {
    /// `generate` (the course's `y = x1² + x2 + noise`), `builtin:diabetes`, or a CSV path.
    pub source: String,
    /// CSV input columns by name (default: every column but the target).
    #[serde(deserialize_with = "crate::serde_util::string_or_list")]
    pub inputs: Vec<String>,
    /// CSV target column (default: the last column).
    pub target: String,
    /// Skip rows with a missing or non-numeric value instead of stopping.
    pub skip_bad_rows: bool,
    /// Per-column scaling, fitted on the training rows.
    pub scale: ScaleKind,
    /// Share of rows held out as a test set (0 = none).
    pub test_fraction: f64,
    /// The generator's settings (used when `source = "generate"`).
    pub generator: Generator,
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            source: "generate".into(),
            inputs: Vec::new(),
            target: String::new(),
            skip_bad_rows: false,
            scale: ScaleKind::default(),
            test_fraction: 0.0,
            generator: Generator::default(),
        }
    }
}

/// The network and its starting point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// Layer sizes, input first: `2-2-1`, `2-8-8-1`. The input size must match the data.
    pub arch: String,
    /// One activation for every layer, or a comma list with one per layer after the input.
    pub activation: String,
    /// A named starting point of the course network (`course`, `small-small`, ...,
    /// `identical`, `unique`, `mixed`); overrides `weights` and `biases`.
    pub init: Option<String>,
    /// A list (`1,0.5,1,-1,1,1`) or a strategy (`const:1`, `uniform:-10,10,round=2`,
    /// `glorot`, `he`). Default: the course's weights on 2-2-1, `glorot` elsewhere.
    pub weights: Option<ParamValues>,
    /// Like `weights`. Default: the course's biases on 2-2-1, `const:0` elsewhere.
    pub biases: Option<ParamValues>,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            arch: "2-2-1".into(),
            activation: "relu".into(),
            init: None,
            weights: None,
            biases: None,
        }
    }
}

/// The flat keys accepted by [`Experiment::set`] (flags, `--vary`): key, TOML path, help.
pub const KEYS: &[(&str, &str, &str)] = &[
    ("seed", "seed", "Seed for data, initialization and shuffling (each can be set alone) [default: 0]"),
    ("data_seed", "data_seed", "Seed of the data generator and the test split [default: --seed]"),
    ("init_seed", "init_seed", "Seed of random initial weights [default: --seed]"),
    ("shuffle_seed", "shuffle_seed", "Seed of the per-epoch shuffle [default: --seed]"),
    ("data", "data.source", "Data: generate (y = x1^2 + x2 + noise), builtin:diabetes, or a CSV path [default: generate]"),
    ("source", "data.source", "Same as --data"),
    ("inputs", "data.inputs", "CSV input columns, comma-separated (text columns are encoded 0/1 or one-hot)"),
    ("target", "data.target", "CSV target column"),
    ("skip_bad_rows", "data.skip_bad_rows", "Skip CSV rows with a missing or non-numeric value (and count them)"),
    ("scale", "data.scale", "Per-column scaling: minmax, standard or none [default: minmax]"),
    ("test_fraction", "data.test_fraction", "Share of rows held out as a test set, in [0, 1) [default: 0]"),
    ("rows", "data.generator.rows", "Generated rows [default: 100]"),
    ("x1", "data.generator.x1", "Range [lo, hi) of x1, as LO,HI [default: 0,5]"),
    ("x2", "data.generator.x2", "Range [lo, hi) of x2, as LO,HI [default: 0,10]"),
    ("noise", "data.generator.noise", "Range [lo, hi) of the noise, as LO,HI [default: 0,10]"),
    ("integer", "data.generator.integer", "Integer draws (true) or continuous (false) [default: true]"),
    ("distribution", "data.generator.distribution", "Distribution of generated inputs: uniform, normal or skewed [default: uniform]"),
    ("skew", "data.generator.skew", "Skew exponent k (u^k): > 1 crowds points at the low end [default: 2]"),
    ("arch", "model.arch", "Layer sizes, input first, e.g. 2-8-8-1 [default: 2-2-1]"),
    ("activation", "model.activation", "Activations: one for all layers or one per layer: relu, leaky_relu[:slope], sigmoid, tanh, identity [default: relu]"),
    ("init", "model.init", "A course preset for the 2-2-1 network: course, course-start, small-small .. high-high, identical, unique, mixed"),
    ("weights", "model.weights", "Initial weights: a comma list or const:C, uniform:LO,HI[,round=K], normal:M,SD[,round=K], glorot, he [default: the course's on 2-2-1, glorot elsewhere]"),
    ("biases", "model.biases", "Initial biases: a comma list or an initializer as for --weights [default: the course's on 2-2-1, const:0 elsewhere]"),
    ("epochs", "train.epochs", "Epochs [default: 300]"),
    ("lr", "train.lr", "Learning rate [default: 0.01]"),
    ("batch_size", "train.batch_size", "Rows per update: 1 (per-sample SGD), N, or full [default: 1]"),
    ("shuffle", "train.shuffle", "Shuffle the rows every epoch [default: false, rows in file order]"),
    ("loss", "train.loss", "Loss: squared_error, absolute_error or huber[:delta] [default: squared_error]"),
    ("optimizer", "train.optimizer", "Optimizer: sgd, momentum[:m[,nesterov]], adam[:b1,b2,eps] [default: sgd]"),
    ("schedule", "train.schedule", "Learning-rate schedule: constant, step:EVERY,FACTOR, exponential:RATE,STEPS, plateau[:factor,patience[,min_delta,cooldown,min_lr]] [default: constant]"),
    ("early_stopping", "train.early_stopping", "Early stopping: PATIENCE, or {patience = 10, min_delta = 0.0001, restore_best = true}, or off"),
    ("freeze", "train.freeze", "Parameters that never change, comma-separated: b1,b2 or L1.w[1][2]"),
    ("kernel", "train.kernel", "Inner loop: auto (exact course kernels, else batched matrix products for wide mini-batches, else per-sample), general (per-sample, the reference), batched (equal to general to rounding, not to the bit) [default: auto]"),
];

impl Experiment {
    /// Reads a TOML file; unknown keys and wrong types are errors naming the key.
    pub fn from_toml_file(path: &Path) -> Result<Experiment, LabError> {
        let text = std::fs::read_to_string(path).map_err(|source| LabError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Experiment::from_toml_str(&text).map_err(|e| match e {
            LabError::Config { message, .. } => LabError::Config {
                key: path.display().to_string(),
                message,
            },
            other => other,
        })
    }

    pub fn from_toml_str(text: &str) -> Result<Experiment, LabError> {
        toml::from_str(text).map_err(|e| LabError::Config {
            key: "TOML".into(),
            message: e.message().to_string() + &span_note(text, e.span()),
        })
    }

    pub fn to_toml(&self) -> Result<String, LabError> {
        toml::to_string(self).map_err(|e| LabError::Config {
            key: "TOML".into(),
            message: e.to_string(),
        })
    }

    /// Sets one option by its flat key (`lr`, `rows`, `init`) or TOML path (`train.lr`),
    /// from the text a user typed. The value is read as TOML when it parses (numbers,
    /// booleans, `[0, 20]`), as a list when a comma-separated form parses, else as a string.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), LabError> {
        let path = KEYS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, p, _)| *p)
            .or_else(|| KEYS.iter().find(|(_, p, _)| *p == key).map(|(_, p, _)| *p))
            .ok_or_else(|| LabError::UnknownKey {
                key: key.to_string(),
                known: KEYS
                    .iter()
                    .map(|(k, _, _)| *k)
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        let mut doc = toml::Value::try_from(&*self).map_err(|e| LabError::Config {
            key: key.into(),
            message: e.to_string(),
        })?;
        let mut parsed = crate::serde_util::parse_value(value);
        if path == "train.early_stopping" {
            // `--early-stopping 10` means patience 10; `off` removes it.
            if let toml::Value::Integer(p) = parsed {
                let mut t = toml::Table::new();
                t.insert("patience".into(), toml::Value::Integer(p));
                parsed = toml::Value::Table(t);
            }
        }
        let remove = matches!(&parsed, toml::Value::String(s) if s == "off" || s == "none")
            && matches!(
                path,
                "train.early_stopping"
                    | "model.init"
                    | "model.weights"
                    | "model.biases"
                    | "data_seed"
                    | "init_seed"
                    | "shuffle_seed"
            );
        let mut slot = &mut doc;
        let parts: Vec<&str> = path.split('.').collect();
        for (i, part) in parts.iter().enumerate() {
            let table = slot.as_table_mut().ok_or_else(|| LabError::Config {
                key: key.into(),
                message: "is not a table".into(),
            })?;
            if i + 1 == parts.len() {
                // A list option given as `b1,b2` (a string to TOML) becomes a list of strings.
                if let (Some(toml::Value::Array(_)), toml::Value::String(text)) =
                    (table.get(*part), &parsed)
                {
                    parsed = toml::Value::Array(
                        text.split(',')
                            .map(|p| p.trim())
                            .filter(|p| !p.is_empty())
                            .map(|p| toml::Value::String(p.to_string()))
                            .collect(),
                    );
                }
                if remove {
                    table.remove(*part);
                } else {
                    table.insert((*part).to_string(), parsed.clone());
                }
                break;
            }
            slot = table
                .entry((*part).to_string())
                .or_insert_with(|| toml::Value::Table(Default::default()));
        }
        let updated: Experiment =
            doc.try_into()
                .map_err(|e: toml::de::Error| LabError::Config {
                    key: key.into(),
                    message: format!("'{value}': {}", e.message()),
                })?;
        *self = updated;
        Ok(())
    }

    /// The seeds in force: (data, init, shuffle).
    pub fn seeds(&self) -> (u64, u64, u64) {
        (
            self.data_seed.unwrap_or(self.seed),
            self.init_seed.unwrap_or(self.seed),
            self.shuffle_seed.unwrap_or(self.seed),
        )
    }

    /// The same experiment with every default made explicit (seeds, the data seed inside
    /// the generator, the shuffle seed inside the training settings), so that saving and
    /// rerunning it reproduces the run to the bit.
    pub fn resolved(&self) -> Experiment {
        let mut e = self.clone();
        let (d, i, s) = self.seeds();
        e.data_seed = Some(d);
        e.init_seed = Some(i);
        e.shuffle_seed = Some(s);
        e.data.generator.seed = d;
        e.train.shuffle_seed = s;
        e
    }

    /// Layer sizes and activations from `model.arch` and `model.activation`.
    pub fn architecture(&self) -> Result<(Vec<usize>, Vec<Activation>), LabError> {
        let bad = |message: String| LabError::Config {
            key: "arch".into(),
            message,
        };
        let sizes: Vec<usize> = self
            .model
            .arch
            .split('-')
            .map(|s| s.trim().parse::<usize>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad(format!("'{}' is not like 2-2-1", self.model.arch)))?;
        if sizes.len() < 2 || sizes.contains(&0) {
            return Err(bad(format!(
                "'{}' needs an input and an output size, none 0",
                self.model.arch
            )));
        }
        let names: Vec<&str> = self.model.activation.split(',').map(str::trim).collect();
        let layers = sizes.len() - 1;
        let acts: Vec<Activation> = names
            .iter()
            .map(|n| n.parse::<Activation>())
            .collect::<Result<_, _>>()
            .map_err(|e| LabError::Config {
                key: "activation".into(),
                message: e.to_string(),
            })?;
        let acts = match acts.len() {
            1 => vec![acts[0]; layers],
            n if n == layers => acts,
            n => {
                return Err(LabError::Config {
                    key: "activation".into(),
                    message: format!("{n} activations for {layers} layers (give 1 or {layers})"),
                })
            }
        };
        Ok((sizes, acts))
    }

    /// The starting network: a preset, explicit lists, or strategies drawn with the init seed.
    pub fn initial_network(&self) -> Result<Network, LabError> {
        let (sizes, acts) = self.architecture()?;
        let course_shape = sizes == [2, 2, 1];
        let (weights, biases) = match &self.model.init {
            Some(name) => {
                if !course_shape {
                    return Err(LabError::Config {
                        key: "init".into(),
                        message: format!("preset '{name}' is for the 2-2-1 course network"),
                    });
                }
                let (w, b) = course::preset(name).ok_or_else(|| LabError::Config {
                    key: "init".into(),
                    message: format!(
                        "unknown preset '{name}' (known: {})",
                        course::PRESETS
                            .iter()
                            .map(|p| p.0)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })?;
                (ParamValues::List(w.to_vec()), ParamValues::List(b.to_vec()))
            }
            None => {
                let (dw, db) = if course_shape {
                    let (w, b) = course::preset("course").unwrap_or(([0.0; 6], [0.0; 3]));
                    (ParamValues::List(w.to_vec()), ParamValues::List(b.to_vec()))
                } else {
                    (
                        ParamValues::Init(nnlab_core::init::Init::Glorot),
                        ParamValues::Init(nnlab_core::init::Init::Const(0.0)),
                    )
                };
                (
                    self.model.weights.clone().unwrap_or(dw),
                    self.model.biases.clone().unwrap_or(db),
                )
            }
        };
        let (_, init_seed, _) = self.seeds();
        let mut rng = Rng::for_purpose(init_seed, "init");
        build_network(&sizes, &acts, &weights, &biases, &mut rng).map_err(|e| LabError::Config {
            key: "weights/biases".into(),
            message: e.to_string(),
        })
    }

    /// Checks everything that can be checked before loading data.
    pub fn validate(&self) -> Result<(), LabError> {
        if !(0.0..1.0).contains(&self.data.test_fraction) {
            return Err(LabError::Config {
                key: "test_fraction".into(),
                message: format!("{} is not in [0, 1)", self.data.test_fraction),
            });
        }
        let net = self.initial_network()?;
        self.train.validate(&net)?;
        Ok(())
    }
}

/// " (line L, column C)" for a TOML error span.
fn span_note(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(r) => {
            let before = &text[..r.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!(" (line {line}, column {col})")
        }
        None => String::new(),
    }
}
