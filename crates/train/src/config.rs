//! The training settings: serde data with documented defaults, checked once by
//! [`TrainConfig::validate`] before training starts.
//!
//! A TOML file reads naturally; every field is optional:
//!
//! ```
//! use nnlab_train::{BatchSize, Optimizer, TrainConfig};
//! let cfg: TrainConfig = toml::from_str(r#"
//!     epochs = 50
//!     lr = 0.001
//!     batch_size = "full"
//!     optimizer = "adam"
//!     freeze = ["b1"]
//! "#).unwrap();
//! assert_eq!(cfg.batch_size, BatchSize::Full);
//! assert!(matches!(cfg.optimizer, Optimizer::Adam { .. }));
//! assert!(!cfg.shuffle); // the course's default: rows in file order
//! ```

use std::fmt;
use std::str::FromStr;

use nnlab_core::output::check_output;
use nnlab_core::{CoreError, Loss, Network, ParamId, Regularization};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::invalid;
use crate::{EarlyStopping, Optimizer, Schedule, TrainError};

/// How many samples' gradients are averaged into one update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchSize {
    /// Batches of this many rows (the last may be smaller); 1 is per-sample SGD.
    Rows(usize),
    /// One batch of all rows per epoch (full-batch gradient descent).
    Full,
}

impl Default for BatchSize {
    /// 1: the course's per-sample SGD.
    fn default() -> Self {
        BatchSize::Rows(1)
    }
}

impl BatchSize {
    /// The number of rows per batch for a set of `n_rows`.
    pub fn rows(self, n_rows: usize) -> usize {
        match self {
            BatchSize::Rows(n) => n.min(n_rows).max(1),
            BatchSize::Full => n_rows.max(1),
        }
    }
}

impl fmt::Display for BatchSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchSize::Rows(n) => write!(f, "{n}"),
            BatchSize::Full => f.write_str("full"),
        }
    }
}

impl FromStr for BatchSize {
    type Err = TrainError;
    /// `full` or a whole number of rows.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("full") {
            return Ok(BatchSize::Full);
        }
        s.parse()
            .map(BatchSize::Rows)
            .map_err(|_| TrainError::Parse {
                what: "batch size",
                text: s.to_string(),
                expected: "a whole number of rows or \"full\"",
            })
    }
}

impl Serialize for BatchSize {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            BatchSize::Rows(n) => s.serialize_u64(n as u64),
            BatchSize::Full => s.serialize_str("full"),
        }
    }
}

impl<'de> Deserialize<'de> for BatchSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = BatchSize;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number of rows or \"full\"")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<BatchSize, E> {
                usize::try_from(n)
                    .map(BatchSize::Rows)
                    .map_err(|_| E::custom("batch size too large"))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<BatchSize, E> {
                u64::try_from(n)
                    .map_err(|_| E::custom(format!("batch size {n} is negative")))
                    .and_then(|n| self.visit_u64(n))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<BatchSize, E> {
                s.parse().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Which inner loop runs the training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kernel {
    /// The fast course kernels when they apply (ReLU 2-2-1 network, squared error, no L1/L2
    /// penalty, SGD, batch size 1 or full, nothing frozen; the same bits as the general path), else the
    /// batched engine for mini-batches large enough to pay (see [`crate::train`]), else the
    /// general path.
    #[default]
    Auto,
    /// Always the general network code, one sample at a time (for comparisons, tests and
    /// benchmarks).
    General,
    /// Always the batched engine (each mini-batch as matrix products), whatever the network
    /// and batch size; equal to the general path to rounding (tested to 1e-12 relative), not
    /// to the bit.
    Batched,
}

/// Everything that decides a training run (apart from the data and the starting network).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Passes over the training rows. Default 300.
    pub epochs: usize,
    /// The learning rate (the start, under a schedule). Default 0.01.
    pub lr: f64,
    /// Default 1 (per-sample SGD).
    pub batch_size: BatchSize,
    /// Visit the rows in a fresh random order each epoch. Default false: the course's
    /// rows in file order.
    pub shuffle: bool,
    /// Seed of the shuffle stream (`Rng::for_purpose(seed, "shuffle")`). Default 0.
    pub shuffle_seed: u64,
    /// Default squared error. Binary cross-entropy needs a sigmoid output layer, categorical
    /// cross-entropy a softmax one (checked by [`TrainConfig::validate`]).
    pub loss: Loss,
    /// L1 rate: the loss gains `l1·Σ|w|` over the weights (no biases), once per update
    /// ([`Regularization`]). Default 0.
    pub l1: f64,
    /// L2 rate: the loss gains `l2·Σw²` over the weights (no biases), once per update; its
    /// gradient is `2·l2·w` (not PyTorch's `weight_decay`, which adds `l2·w`). Default 0.
    pub l2: f64,
    /// Default plain SGD.
    pub optimizer: Optimizer,
    /// Default constant.
    pub schedule: Schedule,
    /// Default none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub early_stopping: Option<EarlyStopping>,
    /// Parameters that never change (`b1`, `w5`, `L1.w[2][1]`). Default none.
    pub freeze: Vec<String>,
    /// Default auto.
    pub kernel: Kernel,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 300,
            lr: 0.01,
            batch_size: BatchSize::default(),
            shuffle: false,
            shuffle_seed: 0,
            loss: Loss::SquaredError,
            l1: 0.0,
            l2: 0.0,
            optimizer: Optimizer::Sgd,
            schedule: Schedule::Constant,
            early_stopping: None,
            freeze: Vec::new(),
            kernel: Kernel::Auto,
        }
    }
}

impl TrainConfig {
    /// The weight penalty of `l1` and `l2`.
    pub fn regularization(&self) -> Regularization {
        Regularization {
            l1: self.l1,
            l2: self.l2,
        }
    }

    /// Checks every setting against its rule and resolves the frozen names on `net`.
    pub fn validate(&self, net: &Network) -> Result<(), TrainError> {
        self.frozen_params(net).map(|_| ())
    }

    /// [`TrainConfig::validate`], returning the frozen parameters.
    pub fn frozen_params(&self, net: &Network) -> Result<Vec<ParamId>, TrainError> {
        if self.epochs == 0 {
            return Err(invalid("epochs", 0, "must be at least 1"));
        }
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return Err(invalid("lr", self.lr, "must be finite and above 0"));
        }
        if self.batch_size == BatchSize::Rows(0) {
            return Err(invalid("batch_size", 0, "must be at least 1 (or \"full\")"));
        }
        if let Loss::Huber { delta } = self.loss {
            if !(delta.is_finite() && delta > 0.0) {
                return Err(invalid("loss", self.loss, "huber's delta must be above 0"));
            }
        }
        for (field, rate) in [("l1", self.l1), ("l2", self.l2)] {
            if !(rate.is_finite() && rate >= 0.0) {
                return Err(invalid(field, rate, "must be finite and at least 0"));
            }
        }
        if let Err(CoreError::LossNeedsOutput { loss, needs, found }) =
            check_output(self.loss, net.output_activation())
        {
            return Err(TrainError::LossNeedsOutput { loss, needs, found });
        }
        self.optimizer.validate()?;
        self.schedule.validate()?;
        if let Some(es) = &self.early_stopping {
            es.validate()?;
        }
        self.freeze
            .iter()
            .map(|name| {
                net.param_by_name(name)
                    .map_err(|_| TrainError::UnknownParameter { name: name.clone() })
            })
            .collect()
    }
}
