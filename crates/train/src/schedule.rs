//! Learning-rate schedules, epoch by epoch (epochs are 1-based; `lr` is the configured rate).
//!
//! ```text
//! constant:     lr_e = lr
//! step:         lr_e = lr · factor^floor((e - 1) / every)        (drops after every `every` epochs)
//! exponential:  lr_e = lr · decay_rate^((e - 1) / decay_steps)   (Keras's ExponentialDecay, step = e - 1)
//! plateau:      Keras's ReduceLROnPlateau on the monitored loss (the trainer's state machine in `plateau.rs`)
//! ```
//!
//! ```
//! use nnlab_train::Schedule;
//! let s: Schedule = "step:100,0.5".parse().unwrap();
//! assert_eq!(s.lr_at(0.01, 100), 0.01);
//! assert_eq!(s.lr_at(0.01, 101), 0.005);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::invalid;
use crate::form::{split_args, str_or_table};
use crate::TrainError;

/// How the learning rate changes over the epochs (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    #[default]
    Constant,
    /// `lr · factor^floor((e - 1) / every)`.
    Step { every: usize, factor: f64 },
    /// `lr · decay_rate^((e - 1) / decay_steps)`.
    Exponential { decay_rate: f64, decay_steps: f64 },
    /// Keras's ReduceLROnPlateau: defaults factor 0.1, patience 10, min_delta 1e-4,
    /// cooldown 0, min_lr 0.
    Plateau {
        factor: f64,
        patience: usize,
        min_delta: f64,
        cooldown: usize,
        min_lr: f64,
    },
}

/// Keras's ReduceLROnPlateau defaults.
pub const PLATEAU_DEFAULT: Schedule = Schedule::Plateau {
    factor: 0.1,
    patience: 10,
    min_delta: 1e-4,
    cooldown: 0,
    min_lr: 0.0,
};

impl Schedule {
    /// The learning rate of epoch `epoch` (1-based) for the stateless schedules; `lr` itself
    /// for `constant` and for `plateau`, whose changes come from the trainer's plateau state.
    pub fn lr_at(&self, lr: f64, epoch: usize) -> f64 {
        let k = epoch.saturating_sub(1);
        match *self {
            Schedule::Constant | Schedule::Plateau { .. } => lr,
            Schedule::Step { every, factor } => {
                let drops = (k / every.max(1)).min(i32::MAX as usize) as i32;
                lr * factor.powi(drops)
            }
            Schedule::Exponential {
                decay_rate,
                decay_steps,
            } => lr * decay_rate.powf(k as f64 / decay_steps),
        }
    }

    /// Checks the parameters: `every >= 1`, factors and rates finite and above 0, a plateau
    /// factor below 1 (as Keras requires), `min_delta`, `min_lr` finite and at least 0.
    pub fn validate(&self) -> Result<(), TrainError> {
        let positive = |field, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(invalid(field, v, "must be finite and above 0"))
            }
        };
        let non_negative = |field, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(invalid(field, v, "must be finite and at least 0"))
            }
        };
        match *self {
            Schedule::Constant => Ok(()),
            Schedule::Step { every, factor } => {
                if every == 0 {
                    return Err(invalid("schedule.every", every, "must be at least 1"));
                }
                positive("schedule.factor", factor)
            }
            Schedule::Exponential {
                decay_rate,
                decay_steps,
            } => {
                positive("schedule.decay_rate", decay_rate)?;
                positive("schedule.decay_steps", decay_steps)
            }
            Schedule::Plateau {
                factor,
                min_delta,
                min_lr,
                ..
            } => {
                if !(factor > 0.0 && factor < 1.0) {
                    return Err(invalid(
                        "schedule.factor",
                        factor,
                        "must be above 0 and below 1",
                    ));
                }
                non_negative("schedule.min_delta", min_delta)?;
                non_negative("schedule.min_lr", min_lr)
            }
        }
    }
}

impl fmt::Display for Schedule {
    /// The CLI form: `constant`, `step:100,0.5`, `exponential:0.96,10`,
    /// `plateau:factor,patience,min_delta,cooldown,min_lr`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Schedule::Constant => f.write_str("constant"),
            Schedule::Step { every, factor } => write!(f, "step:{every},{factor:?}"),
            Schedule::Exponential {
                decay_rate,
                decay_steps,
            } => write!(f, "exponential:{decay_rate:?},{decay_steps:?}"),
            Schedule::Plateau {
                factor,
                patience,
                min_delta,
                cooldown,
                min_lr,
            } => write!(
                f,
                "plateau:{factor:?},{patience},{min_delta:?},{cooldown},{min_lr:?}"
            ),
        }
    }
}

const EXPECTED: &str = "constant, step:every,factor, exponential:decay_rate,decay_steps or plateau[:factor,patience[,min_delta,cooldown,min_lr]]";

impl FromStr for Schedule {
    type Err = TrainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || TrainError::Parse {
            what: "schedule",
            text: s.to_string(),
            expected: EXPECTED,
        };
        let (name, args) = split_args(s);
        let num = |a: &str| a.parse::<f64>().map_err(|_| bad());
        let int = |a: &str| a.parse::<usize>().map_err(|_| bad());
        let sched = match (name.as_str(), args.as_slice()) {
            ("constant", []) => Schedule::Constant,
            ("step", [every, factor]) => Schedule::Step {
                every: int(every)?,
                factor: num(factor)?,
            },
            ("exponential", [rate, steps]) => Schedule::Exponential {
                decay_rate: num(rate)?,
                decay_steps: num(steps)?,
            },
            ("plateau", []) => PLATEAU_DEFAULT,
            ("plateau", [factor, patience]) => match PLATEAU_DEFAULT {
                Schedule::Plateau {
                    min_delta,
                    cooldown,
                    min_lr,
                    ..
                } => Schedule::Plateau {
                    factor: num(factor)?,
                    patience: int(patience)?,
                    min_delta,
                    cooldown,
                    min_lr,
                },
                other => other,
            },
            ("plateau", [factor, patience, min_delta, cooldown, min_lr]) => Schedule::Plateau {
                factor: num(factor)?,
                patience: int(patience)?,
                min_delta: num(min_delta)?,
                cooldown: int(cooldown)?,
                min_lr: num(min_lr)?,
            },
            _ => return Err(bad()),
        };
        sched.validate()?;
        Ok(sched)
    }
}

/// The table form, with Keras's defaults for a plateau's missing fields.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum Table {
    Constant,
    Step {
        every: usize,
        factor: f64,
    },
    Exponential {
        decay_rate: f64,
        decay_steps: f64,
    },
    Plateau {
        #[serde(default = "d_factor")]
        factor: f64,
        #[serde(default = "d_patience")]
        patience: usize,
        #[serde(default = "d_min_delta")]
        min_delta: f64,
        #[serde(default)]
        cooldown: usize,
        #[serde(default)]
        min_lr: f64,
    },
}
fn d_factor() -> f64 {
    0.1
}
fn d_patience() -> usize {
    10
}
fn d_min_delta() -> f64 {
    1e-4
}

impl TryFrom<Table> for Schedule {
    type Error = TrainError;
    fn try_from(t: Table) -> Result<Schedule, TrainError> {
        let s = match t {
            Table::Constant => Schedule::Constant,
            Table::Step { every, factor } => Schedule::Step { every, factor },
            Table::Exponential {
                decay_rate,
                decay_steps,
            } => Schedule::Exponential {
                decay_rate,
                decay_steps,
            },
            Table::Plateau {
                factor,
                patience,
                min_delta,
                cooldown,
                min_lr,
            } => Schedule::Plateau {
                factor,
                patience,
                min_delta,
                cooldown,
                min_lr,
            },
        };
        s.validate()?;
        Ok(s)
    }
}

impl<'de> Deserialize<'de> for Schedule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        str_or_table::<D, Schedule, Table>(d, EXPECTED)
    }
}
