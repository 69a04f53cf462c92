//! The experiment description: one serde struct of typed fields with defaults, validated
//! once, shared by CLI flags, TOML files, sweeps and the web page.
//!
//! The TOML form (every key optional; `nnlab train --print-config` prints them all):
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
//! flags and sweeps: see [`keys::KEYS`] and [`Experiment::set`].

pub mod keys;
mod limits;
mod model;
pub mod python_init;
mod schema;
mod source;
mod text;

use std::path::Path;

use serde::{Deserialize, Serialize};

use nnlab_core::Network;
use nnlab_data::{Generator, ScaleKind};
use nnlab_train::{TrainConfig, TrainError};

pub use keys::{AppliesTo, Group, Key, Syntax, KEYS};
pub use limits::{Limits, LIMITS};
pub use model::{Activations, Arch, ModelConfig, Preset};
pub use python_init::{python_round, InitRng};
pub use schema::{schema, settings, Schema, SchemaKey, Settings};
pub use source::{DataKind, Source};

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
    /// `generate` (the course's `y = x1² + x2 + noise`), `generate:circle|xor|gauss|spiral`
    /// (TF Playground's two-class sets), `builtin:NAME`, or a CSV path.
    pub source: Source,
    /// CSV input columns by name.
    #[serde(deserialize_with = "crate::serde_util::string_or_list")]
    pub inputs: Vec<String>,
    /// CSV target column.
    pub target: String,
    /// Skip rows with a missing or non-numeric value instead of stopping.
    pub skip_bad_rows: bool,
    /// Per-column scaling, fitted on the training rows.
    pub scale: ScaleKind,
    /// Share of rows held out as a test set (0 = none).
    pub test_fraction: f64,
    /// The generator's settings (used when `source = "generate"` or `"generate:PATTERN"`).
    pub generator: Generator,
    /// The network's inputs as feature crosses of the loaded ones (`x1`, `x1^2`, `x1*x2`,
    /// `sin(x1)`; see `nnlab_data::Feature`); empty: the loaded inputs as they are.
    /// Left out of saved configurations while empty, so those of earlier runs read the same.
    #[serde(
        deserialize_with = "crate::serde_util::string_or_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub features: Vec<String>,
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            source: Source::default(),
            inputs: Vec::new(),
            target: String::new(),
            skip_bad_rows: false,
            scale: ScaleKind::default(),
            test_fraction: 0.0,
            generator: Generator::default(),
            features: Vec::new(),
        }
    }
}

/// The text of `path`, read up to `limit` bytes: a longer file (`/dev/zero`) is an error
/// naming the limit after a bounded read, not a whole read into memory.
fn read_capped(path: &Path, limit: u64) -> Result<String, LabError> {
    use std::io::Read;
    let io = |source| LabError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(limit + 1)
        .read_to_string(&mut text)
        .map_err(io)?;
    if text.len() as u64 > limit {
        return Err(LabError::Config {
            key: path.display().to_string(),
            message: format!(
                "the file is larger than the limit of {limit} bytes for a configuration"
            ),
        });
    }
    Ok(text)
}

/// "train.lr: message (line L, column C)" from a path-tracking deserializer's error.
fn located<E: std::fmt::Display>(
    path: &serde_path_to_error::Path,
    top: &str,
    message: E,
) -> LabError {
    let path = path.to_string();
    LabError::Config {
        key: if path == "." { top.to_string() } else { path },
        message: message.to_string(),
    }
}

impl Experiment {
    /// Reads a TOML file; unknown keys and wrong types are errors naming the file, the key
    /// and its line.
    pub fn from_toml_file(path: &Path) -> Result<Experiment, LabError> {
        let text = read_capped(path, LIMITS.max_config_bytes)?;
        Experiment::from_toml_str(&text).map_err(|e| match e {
            LabError::Config { key, message } => LabError::Config {
                key: format!("{}: {key}", path.display()),
                message,
            },
            other => other,
        })
    }

    /// Reads TOML text; an error names the key by its TOML path (`train.lr`) with its line
    /// and column.
    pub fn from_toml_str(text: &str) -> Result<Experiment, LabError> {
        serde_path_to_error::deserialize(toml::Deserializer::new(text)).map_err(|e| {
            let inner = e.inner();
            let message = inner.message().to_string() + &span_note(text, inner.span());
            located(e.path(), "TOML", message)
        })
    }

    /// Reads a JSON value (a session body's `experiment`); an error names the field
    /// (`train.lr`).
    pub fn from_json(value: serde_json::Value) -> Result<Experiment, LabError> {
        serde_path_to_error::deserialize(value)
            .map_err(|e| located(e.path(), "experiment", e.inner()))
    }

    pub fn to_toml(&self) -> Result<String, LabError> {
        toml::to_string(self).map_err(|e| LabError::Config {
            key: "TOML".into(),
            message: e.to_string(),
        })
    }

    /// Every option as TOML; one that is off (no value, so TOML leaves it out) as a comment
    /// saying what off means (`# init = ...  # off: ...`), under its section: what
    /// `--print-config` shows.
    pub fn to_toml_commented(&self) -> Result<String, LabError> {
        let mut out = self.to_toml()?;
        // (table, comment lines) in table order, so each block keeps the keys' order.
        let mut blocks: Vec<(Option<&str>, String)> = Vec::new();
        for k in KEYS.iter().filter(|k| (k.get)(self).is_none()) {
            let (table, leaf) = match k.path.rsplit_once('.') {
                Some((t, l)) => (Some(t), l),
                None => (None, k.path),
            };
            if out.lines().any(|l| l.starts_with(&format!("{leaf} = "))) {
                continue; // written already (an empty list)
            }
            let what = if k.unset == "off" { k.help } else { k.unset };
            let line = format!("# {leaf} = ...  # off: {what}\n");
            match blocks.iter_mut().find(|(t, _)| *t == table) {
                Some((_, lines)) => lines.push_str(&line),
                None => blocks.push((table, line)),
            }
        }
        for (table, lines) in blocks {
            match table {
                None => out.insert_str(0, &lines),
                Some(t) => match out.find(&format!("[{t}]\n")) {
                    Some(i) => out.insert_str(i + t.len() + 3, &lines),
                    None => out.push_str(&format!("\n[{t}]\n{lines}")),
                },
            }
        }
        Ok(out)
    }

    /// Sets one option by its flat key (`lr`, `rows`, `init`), flag name or TOML path
    /// (`train.lr`), from the text a user typed, with the key's own parser. An error names
    /// the flat key; callers respell it ([`LabError::in_syntax`]).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), LabError> {
        let k = keys::find(key).ok_or_else(|| LabError::UnknownKey {
            key: key.to_string(),
            known: keys::known(),
        })?;
        (k.set)(self, value).map_err(|message| LabError::Config {
            key: k.key.into(),
            message,
        })
    }

    /// Sets each `(key, text)` in order with [`Experiment::set`], then refuses a given key
    /// that does not apply to the chosen data (`rows` with a CSV), even at its default;
    /// errors name the option in `syntax` (`--lr` for flags, `lr` for Python keywords).
    /// The one way a face applies what its user typed: CLI flags and `nnlab.train(**kw)`.
    pub fn apply<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        values: &[(K, V)],
        syntax: Syntax,
    ) -> Result<(), LabError> {
        for (key, value) in values {
            self.set(key.as_ref(), value.as_ref())
                .map_err(|e| e.in_syntax(syntax))?;
        }
        let kind = self.data.source.kind();
        for (key, _) in values {
            if let Some(k) = keys::find(key.as_ref()) {
                if !k.applies_to.allows(kind) {
                    return Err(not_for_data(k.key, &self.data.source).in_syntax(syntax));
                }
            }
        }
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

    /// The starting network ([`ModelConfig::network`] with the init seed).
    pub fn initial_network(&self) -> Result<Network, LabError> {
        self.model.network(self.seeds().1)
    }

    /// The options whose values differ from the defaults but do not apply to the chosen
    /// data (`rows` with a CSV, `inputs` with generated data), as flat keys.
    pub fn inapplicable(&self) -> Vec<&'static str> {
        let kind = self.data.source.kind();
        let default = Experiment::default();
        KEYS.iter()
            .filter(|k| !k.applies_to.allows(kind) && (k.get)(self) != (k.get)(&default))
            .map(|k| k.key)
            .collect()
    }

    /// Checks everything that can be checked before loading data, the [`LIMITS`] first, so
    /// nothing is allocated for a value past them. Errors name the flat key (`lr`, `init`);
    /// callers respell it.
    pub fn validate(&self) -> Result<(), LabError> {
        self.check_limits()?;
        if let Some(key) = self.inapplicable().first() {
            return Err(not_for_data(key, &self.data.source));
        }
        if !(0.0..1.0).contains(&self.data.test_fraction) {
            return Err(LabError::Config {
                key: "test_fraction".into(),
                message: format!("'{}' is not in [0, 1)", self.data.test_fraction),
            });
        }
        self.check_train(&self.initial_network()?)
    }

    /// The [`LIMITS`] of the schema that cost nothing to check: the network's size, the
    /// epochs and the generator's settings (rows, range magnitudes; its own check). Errors
    /// name the flat key.
    pub fn check_limits(&self) -> Result<(), LabError> {
        self.model.check_limits()?;
        LIMITS
            .check_epochs(self.train.epochs)
            .map_err(|message| LabError::Config {
                key: "epochs".into(),
                message,
            })?;
        if self.data.source.kind() == DataKind::Generated {
            // The generator's error names its field (`x1`, `rows`), the flat key.
            if let Err(nnlab_data::DataError::InvalidGenerator { field, reason }) =
                self.data.generator.validate()
            {
                return Err(LabError::Config {
                    key: field.into(),
                    message: reason,
                });
            }
        }
        Ok(())
    }

    /// The training settings' rules (`lr` above 0, `epochs` at least 1, `l1` and `l2` at
    /// least 0, a cross-entropy after its output, frozen names that exist on `net`), with
    /// errors naming the flat key.
    pub fn check_train(&self, net: &Network) -> Result<(), LabError> {
        self.train.validate(net).map_err(|e| match e {
            TrainError::InvalidConfig {
                field,
                value,
                reason,
            } => LabError::Config {
                key: field.into(),
                message: format!("'{value}' {reason}"),
            },
            // The activation the user gave conflicts with the loss; the default one (relu
            // everywhere) was not given, so the error says what to give instead.
            TrainError::LossNeedsOutput { loss, needs, found }
                if self.model.activation == ModelConfig::default().activation =>
            {
                let mut suggest: Vec<String> = net
                    .layers()
                    .iter()
                    .map(|l| l.activation.to_string())
                    .collect();
                if let Some(last) = suggest.last_mut() {
                    *last = needs.to_string();
                }
                LabError::Config {
                    key: "loss".into(),
                    message: format!(
                        "{loss} needs a {needs} output layer (the last activation), not the \
                         default {found}: set the activation to {}",
                        suggest.join(",")
                    ),
                }
            }
            TrainError::LossNeedsOutput { loss, needs, found } => LabError::Conflict {
                key: "loss".into(),
                other: "activation".into(),
                reason: format!(
                    "loss {loss} needs a {needs} output layer (the last activation), not {found}"
                ),
            },
            other => other.into(),
        })
    }
}

/// `rows: does not apply to a CSV file (data = file.csv)`.
pub fn not_for_data(key: &str, source: &Source) -> LabError {
    LabError::Config {
        key: key.into(),
        message: not_for_data_message(source),
    }
}

/// `does not apply to a CSV file (data = file.csv)`.
pub fn not_for_data_message(source: &Source) -> String {
    let what = match source.kind() {
        DataKind::Generated => "generated data",
        DataKind::TwoClass => "a two-class set",
        DataKind::Builtin => "a built-in table",
        DataKind::Csv => "a CSV file",
    };
    format!("does not apply to {what} (data = {source})")
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
