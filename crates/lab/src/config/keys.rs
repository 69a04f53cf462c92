//! The one table of options: every setting of an [`Experiment`] as one [`Key`], from which
//! the CLI's flags (`--lr`, `--shuffle`/`--no-shuffle`), the flat TOML and sweep names
//! (`lr`, `--vary lr=...`) and `GET /api/schema` are generated.
//!
//! Defaults are not written here: a key's default is its `get` of `Experiment::default()`.
//! Its `set` parses the text a user typed into the typed field (no TOML round trip), so a
//! bad value's message is the key's own (`'abc' is not a number`); the caller names the
//! option in the user's syntax ([`spell`]).
//!
//! ```
//! use nnlab_lab::config::keys::{find, Syntax, spell};
//! use nnlab_lab::Experiment;
//! let lr = find("lr").unwrap();
//! assert_eq!((lr.flag(), lr.path, lr.default_text().as_deref()), ("--lr".to_string(), "train.lr", Some("0.01")));
//! let mut e = Experiment::default();
//! (lr.set)(&mut e, "0.5").unwrap();
//! assert_eq!(e.train.lr, 0.5);
//! assert_eq!((lr.set)(&mut e, "abc").unwrap_err(), "'abc' is not a number");
//! assert_eq!(spell("lr", Syntax::Toml), "train.lr");
//! ```

use nnlab_data::{DataRng, Distribution, Pattern, ScaleKind, BUILTIN_NAMES};
use nnlab_train::Kernel;
use serde::Serialize;

use super::model::{Preset, UNSET_BIASES, UNSET_WEIGHTS};
use super::python_init::InitRng;
use super::source::DataKind;
use super::text::{
    boolean, early_stopping, from_serde_text, is_off, list_or_none, names, number, optional,
    param_values, parse, range, seed, serde_text, show_early_stopping, show_range, strings, whole,
};
use crate::serde_util::split_list;
use crate::Experiment;

/// The section an option belongs to (its TOML table, `seed` for the top-level seeds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Seed,
    Data,
    Model,
    Train,
}

/// Which data an option means something for. Giving an option for other data is an error
/// that names it (`--rows` with a CSV), never silently ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AppliesTo {
    Any,
    /// Only generated data, `generate` or `generate:PATTERN` (the generator's rows and noise).
    Generated,
    /// Only the course's quadratic rows, `generate` (the ranges and draws of its inputs).
    Quadratic,
    /// Only a CSV file (its bad rows).
    Csv,
    /// A table: a CSV file or a built-in one (their columns).
    Table,
}

impl AppliesTo {
    pub fn allows(self, kind: DataKind) -> bool {
        match self {
            AppliesTo::Any => true,
            AppliesTo::Generated => matches!(kind, DataKind::Generated | DataKind::TwoClass),
            AppliesTo::Quadratic => kind == DataKind::Generated,
            AppliesTo::Csv => kind == DataKind::Csv,
            AppliesTo::Table => matches!(kind, DataKind::Csv | DataKind::Builtin),
        }
    }
}

/// One option.
pub struct Key {
    /// The flat name: TOML-free key, sweep key, JSON schema key (`test_fraction`).
    pub key: &'static str,
    /// Where it lives in the TOML/JSON form (`data.test_fraction`).
    pub path: &'static str,
    pub group: Group,
    /// One line, without the default (that is read from `Experiment::default()`).
    pub help: &'static str,
    /// A boolean: `--X` / `--no-X` on the command line, never taking a value.
    pub switch: bool,
    /// The names of a fixed set of values (some take `:arguments`, as the help says).
    pub choices: Option<fn() -> Vec<String>>,
    pub applies_to: AppliesTo,
    /// What the option means while unset (`get` gives `None`): `off`, `--seed`, ...
    pub unset: &'static str,
    /// The value as text, the same text `set` reads back; `None` while unset.
    pub get: fn(&Experiment) -> Option<String>,
    /// Parses `text` into the field; `off`/`none` unsets an optional one.
    pub set: fn(&mut Experiment, &str) -> Result<(), String>,
}

impl Key {
    /// `--test-fraction`.
    pub fn flag(&self) -> String {
        format!("--{}", self.key.replace('_', "-"))
    }

    /// The default as text (`None` for an option that is off by default).
    pub fn default_text(&self) -> Option<String> {
        (self.get)(&Experiment::default())
    }

    /// The help with `[default: X]` read from `Experiment::default()`.
    pub fn help_with_default(&self) -> String {
        let default = self.default_text();
        let shown = match &default {
            Some(d) if !d.is_empty() => d.as_str(),
            _ => self.unset,
        };
        // Choices the help does not already spell out are listed after it.
        let choices = match self.choices.map(|c| c()) {
            Some(c) if !c.iter().all(|n| self.help.contains(n.as_str())) => {
                format!(" (one of: {})", c.join(", "))
            }
            _ => String::new(),
        };
        format!("{}{choices} [default: {shown}]", self.help)
    }

    /// The name in one syntax: `--lr`, `train.lr` or the JSON field `train.lr`.
    pub fn name_in(&self, syntax: Syntax) -> String {
        match syntax {
            Syntax::Flag => self.flag(),
            Syntax::Toml | Syntax::Json => self.path.to_string(),
            Syntax::Flat => self.key.to_string(),
        }
    }
}

/// How the user wrote an option, for messages that name it their way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `--lr`.
    Flag,
    /// `train.lr`.
    Toml,
    /// `train.lr` (a JSON body's field).
    Json,
    /// `lr` (`--vary lr=...`, the step API's flat fields).
    Flat,
}

/// The options of one explained step on one example (`nnlab step`, `nnlab.step()`): the
/// model section, its seed, `lr`, `loss` and the penalties `l1`, `l2`.
pub const STEP_KEYS: [&str; 10] = [
    "seed",
    "arch",
    "activation",
    "init",
    "weights",
    "biases",
    "lr",
    "loss",
    "l1",
    "l2",
];

/// The key by flat name, flag spelling (`test-fraction`, `--test-fraction`) or TOML path.
pub fn find(name: &str) -> Option<&'static Key> {
    let name = name.trim().trim_start_matches("--");
    // Sweeps set every run's values through here: allocate only for a dashed name.
    let snake = name.contains('-').then(|| name.replace('-', "_"));
    let flat = snake.as_deref().unwrap_or(name);
    KEYS.iter().find(|k| k.key == flat || k.path == name)
}

/// `name` (a flat key, a TOML path, or a dotted field under one such as
/// `early_stopping.min_delta`) spelled in `syntax`; other names unchanged.
pub fn spell(name: &str, syntax: Syntax) -> String {
    if let Some(k) = find(name) {
        return k.name_in(syntax);
    }
    match name.split_once('.') {
        Some((head, rest)) => match find(head) {
            Some(k) if syntax != Syntax::Flag => format!("{}.{rest}", k.name_in(syntax)),
            Some(k) => k.name_in(syntax),
            None => name.to_string(),
        },
        None => name.to_string(),
    }
}

/// Every flat key, comma-separated (for "unknown option" messages).
pub fn known() -> String {
    KEYS.iter().map(|k| k.key).collect::<Vec<_>>().join(", ")
}

/// The last of `texts` (the macro's optional `unset:` after its `""` fallback).
const fn last(texts: &[&'static str]) -> &'static str {
    texts[texts.len() - 1]
}

type Choices = fn() -> Vec<String>;

const fn first(choices: &[Choices]) -> Option<Choices> {
    match choices {
        [] => None,
        [c, ..] => Some(*c),
    }
}

macro_rules! key {
    ($key:literal, $path:literal, $group:ident, $applies:ident, $help:literal,
     get: $get:expr, set: $set:expr $(, unset: $unset:expr)? $(, choices: $choices:expr)? $(, switch: $switch:literal)?) => {
        Key {
            key: $key,
            path: $path,
            group: Group::$group,
            help: $help,
            switch: false $(|| $switch)?,
            choices: first(&[$($choices as Choices)?]),
            applies_to: AppliesTo::$applies,
            unset: last(&["" $(, $unset)?]),
            get: $get,
            set: $set,
        }
    };
}

/// Every option, in the order help and `--print-config` show them.
pub static KEYS: &[Key] = &[
    key!("seed", "seed", Seed, Any, "Seed for data, initialization and shuffling (each can be set alone)",
        get: |e| Some(e.seed.to_string()), set: |e, t| { e.seed = seed(t)?; Ok(()) }),
    key!("data_seed", "data_seed", Seed, Any, "Seed of the data generator and the test split",
        get: |e| e.data_seed.map(|s| s.to_string()), set: |e, t| { e.data_seed = optional(t, seed)?; Ok(()) }, unset: "--seed"),
    key!("init_seed", "init_seed", Seed, Any, "Seed of random initial weights",
        get: |e| e.init_seed.map(|s| s.to_string()), set: |e, t| { e.init_seed = optional(t, seed)?; Ok(()) }, unset: "--seed"),
    key!("shuffle_seed", "shuffle_seed", Seed, Any, "Seed of the per-epoch shuffle",
        get: |e| e.shuffle_seed.map(|s| s.to_string()), set: |e, t| { e.shuffle_seed = optional(t, seed)?; Ok(()) }, unset: "--seed"),
    // The choices are the named sources (what the page offers); a CSV path is accepted too.
    key!("data", "data.source", Data, Any, "Data: generate (y = x1^2 + x2 + noise, also generate:quadratic), TF Playground's two classes generate:circle, generate:xor, generate:gauss, generate:spiral, builtin:NAME, or a CSV path",
        get: |e| Some(e.data.source.to_string()), set: |e, t| { e.data.source = parse(t)?; Ok(()) },
        choices: || std::iter::once("generate".to_string())
            .chain(Pattern::ALL.iter().filter(|p| p.is_two_class()).map(|p| format!("generate:{p}")))
            .chain(BUILTIN_NAMES.iter().map(|n| format!("builtin:{n}"))).collect()),
    key!("features", "data.features", Data, Any, "Network inputs as TF Playground's feature crosses of the data's inputs, comma-separated: NAME, NAME^2, A*B, sin(NAME), e.g. x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2) (computed on the unscaled values, then scaled like any input)",
        get: |e| list_or_none(&e.data.features), set: |e, t| { e.data.features = if is_off(t) { Vec::new() } else { split_list(t) }; Ok(()) }, unset: "none; the data's inputs"),
    key!("inputs", "data.inputs", Data, Table, "Input columns of a CSV or built-in table, comma-separated (text columns are encoded 0/1 or one-hot)",
        get: |e| list_or_none(&e.data.inputs), set: |e, t| { e.data.inputs = split_list(t); Ok(()) }, unset: "none; a built-in table's own"),
    key!("target", "data.target", Data, Table, "Target column of a CSV or built-in table",
        get: |e| (!e.data.target.is_empty()).then(|| e.data.target.clone()), set: |e, t| { e.data.target = t.trim().to_string(); Ok(()) }, unset: "none; a built-in table's own"),
    key!("skip_bad_rows", "data.skip_bad_rows", Data, Csv, "Skip CSV rows with a missing or non-numeric value (and count them)",
        get: |e| Some(e.data.skip_bad_rows.to_string()), set: |e, t| { e.data.skip_bad_rows = boolean(t)?; Ok(()) }, switch: true),
    key!("scale", "data.scale", Data, Any, "Per-column scaling, fitted on the training rows",
        get: |e| Some(e.data.scale.to_string()), set: |e, t| { e.data.scale = parse(t)?; Ok(()) },
        choices: || names(&[ScaleKind::MinMax, ScaleKind::Standard, ScaleKind::None])),
    key!("test_fraction", "data.test_fraction", Data, Any, "Share of rows held out as a test set, in [0, 1)",
        get: |e| Some(e.data.test_fraction.to_string()), set: |e, t| { e.data.test_fraction = number(t)?; Ok(()) }),
    key!("rows", "data.generator.rows", Data, Generated, "Generated rows",
        get: |e| Some(e.data.generator.rows.to_string()), set: |e, t| { e.data.generator.rows = whole(t)?; Ok(()) }),
    key!("x1", "data.generator.x1", Data, Quadratic, "Range [lo, hi) of x1, as LO,HI",
        get: |e| Some(show_range(e.data.generator.x1)), set: |e, t| { e.data.generator.x1 = range(t)?; Ok(()) }),
    key!("x2", "data.generator.x2", Data, Quadratic, "Range [lo, hi) of x2, as LO,HI",
        get: |e| Some(show_range(e.data.generator.x2)), set: |e, t| { e.data.generator.x2 = range(t)?; Ok(()) }),
    // One option, two settings: the quadratic rows' noise range and the two-class sets' noise
    // amount (TOML `data.generator.class_noise`), told apart by the value's form.
    key!("noise", "data.generator.noise", Data, Generated, "Noise: for generate a range [lo, hi) added to y, as LO,HI; for generate:circle|xor|gauss|spiral one number from 0 to 0.5 (TF Playground's noise, TOML data.generator.class_noise)",
    get: |e| Some(match e.data.source.kind() {
        DataKind::TwoClass => e.data.generator.class_noise.to_string(),
        _ => show_range(e.data.generator.noise),
    }),
    set: |e, t| {
        if t.contains(',') { e.data.generator.noise = range(t)?; } else { e.data.generator.class_noise = number(t)?; }
        Ok(())
    }),
    key!("integer", "data.generator.integer", Data, Quadratic, "Integer draws (--no-integer: continuous)",
        get: |e| Some(e.data.generator.integer.to_string()), set: |e, t| { e.data.generator.integer = boolean(t)?; Ok(()) }, switch: true),
    key!("distribution", "data.generator.distribution", Data, Quadratic, "Distribution of generated inputs",
        get: |e| Some(e.data.generator.distribution.to_string()), set: |e, t| { e.data.generator.distribution = parse(t)?; Ok(()) },
        choices: || names(&[Distribution::Uniform, Distribution::Normal, Distribution::Skewed])),
    key!("rng", "data.generator.rng", Data, Quadratic, "The generator's random stream: nnlab, or numpy (np.random.seed(SEED) then randint/uniform per row, x1, x2, noise, as the course notebook draws)",
        get: |e| e.data.generator.rng.map(|r| r.to_string()), set: |e, t| { e.data.generator.rng = optional(t, parse)?; Ok(()) },
        unset: "nnlab's own stream", choices: || names(&[DataRng::Nnlab, DataRng::Numpy])),
    key!("skew", "data.generator.skew", Data, Quadratic, "Skew exponent k (u^k): > 1 crowds points at the low end",
        get: |e| Some(e.data.generator.skew.to_string()), set: |e, t| { e.data.generator.skew = number(t)?; Ok(()) }),
    key!("arch", "model.arch", Model, Any, "Layer sizes, input first, e.g. 2-8-8-1",
        get: |e| Some(e.model.arch.to_string()), set: |e, t| { e.model.arch = parse(t)?; Ok(()) }),
    key!("activation", "model.activation", Model, Any, "Activations: one for all layers or one per layer (leaky_relu takes :slope)",
        get: |e| Some(e.model.activation.to_string()), set: |e, t| { e.model.activation = parse(t)?; Ok(()) },
        choices: || strings(&["relu", "leaky_relu", "sigmoid", "tanh", "identity", "softmax"])),
    key!("init", "model.init", Model, Any, "A course preset for the 2-2-1 network (sets weights and biases)",
        get: |e| e.model.init.map(|p| p.to_string()), set: |e, t| { e.model.init = optional(t, parse::<Preset>)?; Ok(()) }, unset: "off",
        choices: || Preset::names().into_iter().map(String::from).collect()),
    key!("init_rng", "model.init_rng", Model, Any, "The random stream of drawn weights and biases: nnlab, or python (random.seed(SEED) then round(random.uniform(LO, HI), K) per parameter, weights then biases; uniform only)",
        get: |e| e.model.init_rng.map(|r| r.to_string()), set: |e, t| { e.model.init_rng = optional(t, parse)?; Ok(()) },
        unset: "nnlab's own stream", choices: || names(&[InitRng::Nnlab, InitRng::Python])),
    key!("weights", "model.weights", Model, Any, "Initial weights: a comma list or const:C, uniform:LO,HI[,round=K], normal:M,SD[,round=K], glorot, he",
        get: |e| e.model.weights.as_ref().map(|v| v.to_string()), set: |e, t| { e.model.weights = optional(t, param_values)?; Ok(()) }, unset: UNSET_WEIGHTS),
    key!("biases", "model.biases", Model, Any, "Initial biases: a comma list or an initializer as for --weights",
        get: |e| e.model.biases.as_ref().map(|v| v.to_string()), set: |e, t| { e.model.biases = optional(t, param_values)?; Ok(()) }, unset: UNSET_BIASES),
    key!("epochs", "train.epochs", Train, Any, "Epochs",
        get: |e| Some(e.train.epochs.to_string()), set: |e, t| { e.train.epochs = whole(t)?; Ok(()) }),
    key!("lr", "train.lr", Train, Any, "Learning rate (above 0)",
        get: |e| Some(e.train.lr.to_string()), set: |e, t| { e.train.lr = number(t)?; Ok(()) }),
    key!("batch_size", "train.batch_size", Train, Any, "Rows per update: 1 (per-sample SGD), N, or full",
        get: |e| Some(e.train.batch_size.to_string()), set: |e, t| { e.train.batch_size = parse(t)?; Ok(()) }),
    key!("shuffle", "train.shuffle", Train, Any, "Shuffle the rows every epoch (--no-shuffle: rows in file order)",
        get: |e| Some(e.train.shuffle.to_string()), set: |e, t| { e.train.shuffle = boolean(t)?; Ok(()) }, switch: true),
    key!("loss", "train.loss", Train, Any, "Loss (huber takes :delta; binary_cross_entropy needs a sigmoid output, categorical_cross_entropy a softmax one)",
        get: |e| Some(e.train.loss.to_string()), set: |e, t| { e.train.loss = parse(t)?; Ok(()) },
        choices: || strings(&["squared_error", "absolute_error", "huber", "binary_cross_entropy", "categorical_cross_entropy"])),
    key!("l1", "train.l1", Train, Any, "L1 penalty rate: loss += l1·Σ|w| over the weights, biases not penalized, once per update",
        get: |e| Some(e.train.l1.to_string()), set: |e, t| { e.train.l1 = number(t)?; Ok(()) }),
    key!("l2", "train.l2", Train, Any, "L2 penalty rate: loss += l2·Σw² over the weights (gradient 2·l2·w), biases not penalized, once per update",
        get: |e| Some(e.train.l2.to_string()), set: |e, t| { e.train.l2 = number(t)?; Ok(()) }),
    key!("optimizer", "train.optimizer", Train, Any, "Optimizer: sgd, momentum[:m[,nesterov]], adam[:b1,b2,eps]",
        get: |e| Some(e.train.optimizer.to_string()), set: |e, t| { e.train.optimizer = parse(t)?; Ok(()) },
        choices: || strings(&["sgd", "momentum", "adam"])),
    key!("schedule", "train.schedule", Train, Any, "Learning-rate schedule: constant, step:EVERY,FACTOR, exponential:RATE,STEPS, plateau[:factor,patience[,min_delta,cooldown,min_lr]]",
        get: |e| Some(e.train.schedule.to_string()), set: |e, t| { e.train.schedule = parse(t)?; Ok(()) },
        choices: || strings(&["constant", "step", "exponential", "plateau"])),
    key!("early_stopping", "train.early_stopping", Train, Any, "Early stopping: PATIENCE, or {patience = 10, min_delta = 0.0001, restore_best = true}, or off",
        get: |e| e.train.early_stopping.as_ref().map(show_early_stopping), set: |e, t| { e.train.early_stopping = optional(t, early_stopping)?; Ok(()) }, unset: "off"),
    key!("freeze", "train.freeze", Train, Any, "Parameters that never change, comma-separated: b1,b2 or L1.w[1][2]",
        get: |e| list_or_none(&e.train.freeze), set: |e, t| { e.train.freeze = if is_off(t) { Vec::new() } else { split_list(t) }; Ok(()) }, unset: "none"),
    key!("kernel", "train.kernel", Train, Any, "Inner loop: auto (exact course kernels, else batched matrix products for wide mini-batches, else per-sample), general (per-sample, the reference), batched (equal to general to rounding, not to the bit)",
        get: |e| Some(serde_text(&e.train.kernel)), set: |e, t| { e.train.kernel = from_serde_text(t)?; Ok(()) },
        choices: || [Kernel::Auto, Kernel::General, Kernel::Batched].iter().map(serde_text).collect()),
];
