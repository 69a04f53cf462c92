//! `init_rng = "python"` (`--init-rng python`, TOML `model.init_rng`): random initial
//! values drawn as a Python notebook draws them, `random.seed(init_seed)` then, per
//! parameter in nnlab's order (every weight `w1, w2, ...`, then every bias),
//! `round(random.uniform(lo, hi), k)` for `uniform:LO,HI,round=K` (no `round` without it).
//!
//! - The stream is MT19937 seeded by Python's `init_by_array` ([`Mt19937::python`]);
//!   `random()` is `(a·67108864 + b) / 9007199254740992` of two words `a >> 5`, `b >> 6`,
//!   and `uniform(lo, hi) = lo + (hi - lo)·random()`, the same float operations as Python's.
//! - Python's `round(x, k)` rounds the exact decimal value of the double to `k` places,
//!   ties to even (`round(2.675, 2) = 2.67`, as 2.675 is stored as 2.67499999...), and
//!   reads that decimal back: Rust's `format!("{x:.k$}")` is that same exact rounding, so
//!   [`python_round`] gives Python's bits for every double and every `k`.
//! - Only `uniform` draws (and `const`, which draws nothing) exist here: `normal`, `glorot`
//!   and `he` are refused naming the option, as Python's `gauss` is a different algorithm.

use std::fmt;
use std::str::FromStr;

use nnlab_core::init::{Init, InitSource};
use nnlab_core::values::ParamValues;
use nnlab_data::Mt19937;

use crate::serde_util::serde_as_text;
use crate::LabError;

/// The random stream of the initial values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InitRng {
    /// nnlab's own (`Rng::for_purpose(init_seed, "init")`), every strategy.
    #[default]
    Nnlab,
    /// Python's `random.seed(init_seed)` stream, `uniform` only (see the module doc).
    Python,
}

impl fmt::Display for InitRng {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InitRng::Nnlab => "nnlab",
            InitRng::Python => "python",
        })
    }
}

impl FromStr for InitRng {
    type Err = String;
    fn from_str(s: &str) -> Result<InitRng, String> {
        match s.trim() {
            "nnlab" => Ok(InitRng::Nnlab),
            "python" => Ok(InitRng::Python),
            other => Err(format!(
                "'{other}' is not a random stream for initial values (expected nnlab or python)"
            )),
        }
    }
}

serde_as_text!(InitRng);

/// Python's `round(x, k)` (`x` itself without `k`): the decimal with `k` places nearest to
/// the exact value of `x`, ties to even, read back as the nearest double.
pub fn python_round(x: f64, k: Option<u32>) -> f64 {
    match k {
        // A formatted float always reads back; `x` is kept for the impossible case.
        Some(k) => format!("{x:.*}", k as usize).parse().unwrap_or(x),
        None => x,
    }
}

/// Python's `random` seeded with `random.seed(seed)`, as an [`InitSource`].
pub(super) struct PythonRandom(Mt19937);

impl PythonRandom {
    /// The stream for `init_seed`, once `weights` and `biases` are known to be drawable
    /// ([`check_python`]).
    pub(super) fn new(init_seed: u64) -> PythonRandom {
        PythonRandom(Mt19937::python(init_seed))
    }
}

impl InitSource for PythonRandom {
    fn value(&mut self, init: Init, _fan_in: usize, _fan_out: usize) -> f64 {
        match init {
            Init::Const(c) => c,
            Init::Uniform { lo, hi, round } => {
                python_round(lo + (hi - lo) * self.0.random(), round)
            }
            // Refused by `check_python` before any draw; NaN would show, not hide, a slip.
            Init::Normal { .. } | Init::Glorot | Init::He => f64::NAN,
        }
    }
}

/// `Ok` when `values` (the option `key`: `weights` or `biases`) is a list, `const:` or
/// `uniform:`, the values Python's stream can give.
pub(super) fn check_python(key: &str, values: &ParamValues) -> Result<(), LabError> {
    match values {
        ParamValues::List(_) | ParamValues::Init(Init::Const(_) | Init::Uniform { .. }) => Ok(()),
        ParamValues::Init(other) => Err(LabError::Config {
            key: key.into(),
            message: format!(
                "init_rng python draws uniform:LO,HI[,round=K] only (random.uniform), not {other}"
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From Python 3.11: `round(x, k)` for each pair; 2.675, 1.005, 0.285 and 12345.6785
    /// are stored just below the tie (their decimal text would round up), 0.125 and 2.5 are exact ties (to even), -0.0049 keeps its sign.
    #[test]
    fn rounds_as_python() {
        let cases = [
            (2.675, 2, 2.67),
            (1.005, 2, 1.0),
            (0.125, 2, 0.12),
            (0.375, 2, 0.38),
            (2.5, 0, 2.0),
            (0.285, 2, 0.28),
            (12345.6785, 3, 12345.678),
        ];
        for (x, k, want) in cases {
            assert_eq!(python_round(x, Some(k)), want, "round({x}, {k})");
        }
        assert!(python_round(-0.0049, Some(2)).is_sign_negative());
        assert_eq!(python_round(0.1 + 0.2, None), 0.1 + 0.2);
    }

    /// `random.seed(0); [round(random.uniform(-10, 10), 2) for _ in range(3)]` in Python
    /// 3.11 gives [6.89, 5.16, -1.59].
    #[test]
    fn draws_pythons_uniform_values() {
        let mut r = PythonRandom::new(0);
        let init = Init::Uniform {
            lo: -10.0,
            hi: 10.0,
            round: Some(2),
        };
        let v: Vec<f64> = (0..3).map(|_| r.value(init, 2, 2)).collect();
        assert_eq!(v, [6.89, 5.16, -1.59]);
        assert_eq!(
            check_python("weights", &ParamValues::Init(Init::Glorot)).unwrap_err().to_string(),
            "weights: init_rng python draws uniform:LO,HI[,round=K] only (random.uniform), not glorot"
        );
        assert_eq!(
            "py".parse::<InitRng>().unwrap_err(),
            "'py' is not a random stream for initial values (expected nnlab or python)"
        );
    }
}
