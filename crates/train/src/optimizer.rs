//! Optimizers: how a gradient `g = dL/dp` (of one sample, or the mean over a batch) moves a
//! parameter `p` at learning rate `lr`.
//!
//! ```text
//! sgd:       p = p - lr·g                                   (the course's update)
//! momentum:  v = momentum·v - lr·g;  p = p + v              (Keras SGD(momentum=...))
//! nesterov:  v = momentum·v - lr·g;  p = p + (momentum·v - lr·g)
//! adam:      t = t + 1
//!            m = b1·m + (1 - b1)·g;    v = b2·v + (1 - b2)·g²
//!            m̂ = m / (1 - b1^t);       v̂ = v / (1 - b2^t)
//!            p = p - lr·m̂ / (sqrt(v̂) + eps)
//! ```
//!
//! `v`, `m` start at 0 for every parameter. Adam is written in the paper's form that
//! Keras documents; Keras's code folds the bias corrections into the step size
//! (`lr·sqrt(1-b2^t)/(1-b1^t)`), which moves `eps` by a factor `sqrt(1-b2^t)` and so differs
//! from this form only in the last digits.
//!
//! ```
//! use nnlab_train::Optimizer;
//! let adam: Optimizer = "adam".parse().unwrap();
//! assert_eq!(adam, Optimizer::Adam { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 });
//! assert_eq!("momentum:0.5".parse::<Optimizer>().unwrap().to_string(), "momentum:0.5");
//! ```

use std::fmt;
use std::str::FromStr;

use nnlab_core::{Gradients, Network, ParamId};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::invalid;
use crate::form::{split_args, str_or_table};
use crate::general::grad_at;
use crate::TrainError;

/// Keras's default momentum for the CLI's bare `momentum`.
pub const DEFAULT_MOMENTUM: f64 = 0.9;
/// Keras's Adam defaults: `beta_1 = 0.9`, `beta_2 = 0.999`, `epsilon = 1e-7`.
pub const DEFAULT_ADAM: (f64, f64, f64) = (0.9, 0.999, 1e-7);

/// Which update rule turns gradients into parameter changes (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Optimizer {
    /// `p = p - lr·g`.
    #[default]
    Sgd,
    /// `v = momentum·v - lr·g`, then `p = p + v` (or Nesterov's look-ahead).
    Momentum { momentum: f64, nesterov: bool },
    /// Adam with bias correction.
    Adam {
        beta_1: f64,
        beta_2: f64,
        epsilon: f64,
    },
}

impl Optimizer {
    /// Adam with Keras's defaults ([`DEFAULT_ADAM`]).
    pub fn adam() -> Optimizer {
        let (beta_1, beta_2, epsilon) = DEFAULT_ADAM;
        Optimizer::Adam {
            beta_1,
            beta_2,
            epsilon,
        }
    }

    /// Checks the hyper-parameters: `momentum`, `beta_1`, `beta_2` in `[0, 1)`, `epsilon > 0`.
    pub fn validate(&self) -> Result<(), TrainError> {
        let unit = |field, v: f64| {
            if (0.0..1.0).contains(&v) {
                Ok(())
            } else {
                Err(invalid(field, v, "must be at least 0 and below 1"))
            }
        };
        match *self {
            Optimizer::Sgd => Ok(()),
            Optimizer::Momentum { momentum, .. } => unit("optimizer.momentum", momentum),
            Optimizer::Adam {
                beta_1,
                beta_2,
                epsilon,
            } => {
                unit("optimizer.beta_1", beta_1)?;
                unit("optimizer.beta_2", beta_2)?;
                if epsilon.is_finite() && epsilon > 0.0 {
                    Ok(())
                } else {
                    Err(invalid(
                        "optimizer.epsilon",
                        epsilon,
                        "must be finite and above 0",
                    ))
                }
            }
        }
    }
}

impl fmt::Display for Optimizer {
    /// The CLI form: `sgd`, `momentum:0.9`, `momentum:0.9,nesterov`, `adam:0.9,0.999,1e-7`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Optimizer::Sgd => f.write_str("sgd"),
            Optimizer::Momentum { momentum, nesterov } => {
                write!(f, "momentum:{momentum:?}")?;
                if nesterov {
                    f.write_str(",nesterov")?;
                }
                Ok(())
            }
            Optimizer::Adam {
                beta_1,
                beta_2,
                epsilon,
            } => write!(f, "adam:{beta_1:?},{beta_2:?},{epsilon:?}"),
        }
    }
}

const EXPECTED: &str = "sgd, momentum[:m[,nesterov]], nesterov[:m] or adam[:beta_1,beta_2,epsilon]";

impl FromStr for Optimizer {
    type Err = TrainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || TrainError::Parse {
            what: "optimizer",
            text: s.to_string(),
            expected: EXPECTED,
        };
        let (name, args) = split_args(s);
        let num = |a: &str| a.parse::<f64>().map_err(|_| bad());
        let opt = match (name.as_str(), args.as_slice()) {
            ("sgd", []) => Optimizer::Sgd,
            ("momentum", []) => Optimizer::Momentum {
                momentum: DEFAULT_MOMENTUM,
                nesterov: false,
            },
            ("momentum", [m]) => Optimizer::Momentum {
                momentum: num(m)?,
                nesterov: false,
            },
            ("momentum", [m, "nesterov"]) | ("nesterov", [m]) => Optimizer::Momentum {
                momentum: num(m)?,
                nesterov: true,
            },
            ("nesterov", []) => Optimizer::Momentum {
                momentum: DEFAULT_MOMENTUM,
                nesterov: true,
            },
            ("adam", []) => Optimizer::adam(),
            ("adam", [b1, b2, eps]) => Optimizer::Adam {
                beta_1: num(b1)?,
                beta_2: num(b2)?,
                epsilon: num(eps)?,
            },
            _ => return Err(bad()),
        };
        opt.validate()?;
        Ok(opt)
    }
}

/// The table form, with Keras's defaults for missing fields.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum Table {
    Sgd,
    Momentum {
        #[serde(default = "default_momentum")]
        momentum: f64,
        #[serde(default)]
        nesterov: bool,
    },
    Adam {
        #[serde(default = "default_beta_1")]
        beta_1: f64,
        #[serde(default = "default_beta_2")]
        beta_2: f64,
        #[serde(default = "default_epsilon")]
        epsilon: f64,
    },
}
fn default_momentum() -> f64 {
    DEFAULT_MOMENTUM
}
fn default_beta_1() -> f64 {
    DEFAULT_ADAM.0
}
fn default_beta_2() -> f64 {
    DEFAULT_ADAM.1
}
fn default_epsilon() -> f64 {
    DEFAULT_ADAM.2
}

impl TryFrom<Table> for Optimizer {
    type Error = TrainError;
    fn try_from(t: Table) -> Result<Optimizer, TrainError> {
        let opt = match t {
            Table::Sgd => Optimizer::Sgd,
            Table::Momentum { momentum, nesterov } => Optimizer::Momentum { momentum, nesterov },
            Table::Adam {
                beta_1,
                beta_2,
                epsilon,
            } => Optimizer::Adam {
                beta_1,
                beta_2,
                epsilon,
            },
        };
        opt.validate()?;
        Ok(opt)
    }
}

impl<'de> Deserialize<'de> for Optimizer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        str_or_table::<D, Optimizer, Table>(d, EXPECTED)
    }
}

/// The optimizer's running state (`v` for momentum; `m`, `v`, `t` for Adam), shaped like
/// the network so a step allocates nothing.
#[derive(Debug, Clone)]
pub(crate) struct OptimizerState {
    optimizer: Optimizer,
    /// Momentum's velocity `v`, or Adam's first moment `m`.
    m: Gradients,
    /// Adam's second moment `v`.
    v: Gradients,
    /// Adam's step count.
    t: u64,
}

/// Adam's bias corrections `(1 - b1^t, 1 - b2^t)` at step `t`.
fn corrections(beta_1: f64, beta_2: f64, t: u64) -> (f64, f64) {
    // b^t underflows to 0 long before t reaches i32::MAX, so clamping is exact.
    let t = t.min(i32::MAX as u64) as i32;
    (1.0 - beta_1.powi(t), 1.0 - beta_2.powi(t))
}

impl OptimizerState {
    /// Zero state for `net`.
    pub(crate) fn new(optimizer: Optimizer, net: &Network) -> OptimizerState {
        OptimizerState {
            optimizer,
            m: Gradients::zeros(net),
            v: Gradients::zeros(net),
            t: 0,
        }
    }

    /// Adam's step count `t` so far (0 under the other rules, which need none).
    pub(crate) fn steps(&self) -> u64 {
        self.t
    }

    /// One update of every parameter of `net` from the gradients `g` (see the module doc).
    /// A parameter whose gradient is exactly 0 from the start never moves under any of the
    /// three rules: its `v`, `m` stay 0, so its step is `lr·0` or `lr·0/(0 + eps)` = 0.
    pub(crate) fn step(&mut self, net: &mut Network, g: &Gradients, lr: f64) {
        match self.optimizer {
            Optimizer::Sgd => net.apply_gradients(g, lr),
            Optimizer::Momentum { momentum, nesterov } => {
                for_each_param(net, g, &mut self.m, &mut self.v, |p, g, v, _| {
                    *v = momentum * *v - lr * g;
                    if nesterov {
                        *p += momentum * *v - lr * g;
                    } else {
                        *p += *v;
                    }
                })
            }
            Optimizer::Adam {
                beta_1,
                beta_2,
                epsilon,
            } => {
                self.t += 1;
                let (c1, c2) = corrections(beta_1, beta_2, self.t);
                for_each_param(net, g, &mut self.m, &mut self.v, |p, g, m, v| {
                    *m = beta_1 * *m + (1.0 - beta_1) * g;
                    *v = beta_2 * *v + (1.0 - beta_2) * (g * g);
                    let m_hat = *m / c1;
                    let v_hat = *v / c2;
                    *p -= lr * m_hat / (v_hat.sqrt() + epsilon);
                })
            }
        }
    }

    /// What the optimizer holds for parameter `id` of `net` after its latest step.
    pub(crate) fn slots(&self, net: &Network, id: ParamId) -> OptimizerSlots {
        let m = grad_at(&self.m, net, id);
        match self.optimizer {
            Optimizer::Sgd => OptimizerSlots::default(),
            Optimizer::Momentum { .. } => OptimizerSlots {
                velocity: Some(m),
                ..OptimizerSlots::default()
            },
            Optimizer::Adam { beta_1, beta_2, .. } => {
                let v = grad_at(&self.v, net, id);
                let (c1, c2) = corrections(beta_1, beta_2, self.t);
                OptimizerSlots {
                    velocity: None,
                    m: Some(m),
                    v: Some(v),
                    m_hat: Some(m / c1),
                    v_hat: Some(v / c2),
                }
            }
        }
    }
}

/// One parameter's optimizer state after an update, as [`crate::UpdatePreview`] shows it:
/// momentum's velocity `v`; Adam's moments `m`, `v` and their bias-corrected `m_hat`,
/// `v_hat`; nothing for plain SGD.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct OptimizerSlots {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub velocity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub m: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub v: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub m_hat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub v_hat: Option<f64>,
}

impl Optimizer {
    /// The update rule of the module doc with its numbers, for the update at learning rate
    /// `lr` that is the optimizer's `t`-th (1-based; Adam's bias corrections use it).
    pub fn rule(&self, lr: f64, t: u64) -> String {
        match *self {
            Optimizer::Sgd => format!("p = p - lr·g  with lr = {lr:?}"),
            Optimizer::Momentum { momentum, nesterov } => {
                let step = if nesterov {
                    "p = p + (momentum·v - lr·g)"
                } else {
                    "p = p + v"
                };
                format!("v = momentum·v - lr·g;  {step}  with momentum = {momentum:?}, lr = {lr:?}")
            }
            Optimizer::Adam {
                beta_1,
                beta_2,
                epsilon,
            } => format!(
                "t = {t};  m = b1·m + (1 - b1)·g;  v = b2·v + (1 - b2)·g²;  \
                 m_hat = m / (1 - b1^t);  v_hat = v / (1 - b2^t);  \
                 p = p - lr·m_hat / (sqrt(v_hat) + eps)  \
                 with b1 = {beta_1:?}, b2 = {beta_2:?}, eps = {epsilon:?}, lr = {lr:?}"
            ),
        }
    }
}

/// Calls `f(p, g, m, v)` for every parameter with its gradient and two state slots.
fn for_each_param(
    net: &mut Network,
    g: &Gradients,
    m: &mut Gradients,
    v: &mut Gradients,
    mut f: impl FnMut(&mut f64, f64, &mut f64, &mut f64),
) {
    for (((layer, g), m), v) in net
        .layers_mut()
        .iter_mut()
        .zip(&g.layers)
        .zip(&mut m.layers)
        .zip(&mut v.layers)
    {
        for (((p, g), m), v) in layer
            .weights_flat_mut()
            .iter_mut()
            .zip(&g.dw)
            .zip(&mut m.dw)
            .zip(&mut v.dw)
        {
            f(p, *g, m, v);
        }
        for (((p, g), m), v) in layer
            .biases_mut()
            .iter_mut()
            .zip(&g.db)
            .zip(&mut m.db)
            .zip(&mut v.db)
        {
            f(p, *g, m, v);
        }
    }
}
