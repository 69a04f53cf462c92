//! Initial values for weights and biases.
//!
//! Strategies (the flag and TOML spelling in brackets):
//! - constant `c` (`const:1`): every parameter the same, the symmetry trap;
//! - uniform on `[lo, hi)` (`uniform:-10,10` or `uniform:-10,10,round=2`), optionally rounded
//!   to `k` decimals as the course did with NumPy's `.round(2)`;
//! - normal with mean and standard deviation (`normal:0,1`, `round=` too);
//! - Glorot/Xavier uniform (`glorot`): `U(-r, r)` with `r = sqrt(6 / (fan_in + fan_out))`;
//! - He normal (`he`): `N(0, 2 / fan_in)`;
//! - zeros (`zeros`).
//!
//! Draw order is fixed so a seed always gives the same network: all weights first, layer by
//! layer (on the course network in the order `w1..w6`), then all biases (`b1..b3`).
//!
//! ```
//! use nnlab_core::{init::{initialize, Init}, rng::Rng, Activation, Network};
//! let mut net = Network::zeros(&[2, 2, 1], &[Activation::Relu, Activation::Relu]).unwrap();
//! let w: Init = "uniform:-10,10,round=2".parse().unwrap();
//! let b: Init = "const:0.5".parse().unwrap();
//! initialize(&mut net, w, b, &mut Rng::new(1));
//! assert_eq!(net.layers()[0].b(0), 0.5);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::rng::Rng;
use crate::{CoreError, Network, ParamId};

/// How to draw initial values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Init {
    Const(f64),
    Uniform {
        lo: f64,
        hi: f64,
        round: Option<u32>,
    },
    Normal {
        mean: f64,
        sd: f64,
        round: Option<u32>,
    },
    Glorot,
    He,
}

impl Init {
    /// One value for a parameter of a layer with `fan_in` inputs and `fan_out` neurons.
    pub fn draw(self, fan_in: usize, fan_out: usize, rng: &mut Rng) -> f64 {
        match self {
            Init::Const(c) => c,
            Init::Uniform { lo, hi, round } => rounded(rng.uniform_range(lo, hi), round),
            Init::Normal { mean, sd, round } => rounded(mean + sd * rng.normal(), round),
            Init::Glorot => {
                let r = (6.0 / (fan_in + fan_out) as f64).sqrt();
                rng.uniform_range(-r, r)
            }
            Init::He => (2.0 / fan_in as f64).sqrt() * rng.normal(),
        }
    }
}

/// Rounds to `k` decimals as `round(v · 10^k) / 10^k` (half away from zero).
///
/// Where `v · 10^k` overflows (`round=400`, or `round=308` on a value above 1.8), `v` is
/// kept: rounding moves the exact `v · 10^k` by at most 0.5, a relative change below
/// `1e-308`, far inside half an ulp of `v`, so `v` is the correctly rounded result (the
/// formula would give `inf / inf = NaN`).
fn rounded(v: f64, round: Option<u32>) -> f64 {
    match round {
        None => v,
        Some(k) => {
            let scale = 10f64.powi(k.min(i32::MAX as u32) as i32);
            let scaled = v * scale;
            if scaled.is_finite() {
                scaled.round() / scale
            } else {
                v
            }
        }
    }
}

/// Where the values of an [`Init`] come from: nnlab's [`Rng`] ([`Init::draw`]), or another
/// stream (`nnlab-lab` draws Python's `random` with `init_rng = "python"`), in
/// [`initialize`]'s order either way.
pub trait InitSource {
    /// One value of `init` for a parameter of a layer with `fan_in` inputs and `fan_out`
    /// neurons.
    fn value(&mut self, init: Init, fan_in: usize, fan_out: usize) -> f64;
}

impl InitSource for Rng {
    fn value(&mut self, init: Init, fan_in: usize, fan_out: usize) -> f64 {
        init.draw(fan_in, fan_out, self)
    }
}

/// Fills every weight from `weights` and every bias from `biases`, in the documented order.
pub fn initialize(net: &mut Network, weights: Init, biases: Init, rng: &mut impl InitSource) {
    let ids: Vec<ParamId> = net
        .named_param_ids()
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    let fans: Vec<(usize, usize)> = net.layers().iter().map(|l| (l.n_in(), l.n_out())).collect();
    for pass_weights in [true, false] {
        for &id in &ids {
            let (layer, is_weight) = match id {
                ParamId::Weight { layer, .. } => (layer, true),
                ParamId::Bias { layer, .. } => (layer, false),
            };
            if is_weight == pass_weights {
                let (fan_in, fan_out) = fans[layer];
                let init = if is_weight { weights } else { biases };
                net.set(id, rng.value(init, fan_in, fan_out));
            }
        }
    }
}

impl fmt::Display for Init {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let round = |r: &Option<u32>| r.map(|k| format!(",round={k}")).unwrap_or_default();
        match self {
            Init::Const(c) => write!(f, "const:{c:?}"),
            Init::Uniform { lo, hi, round: r } => write!(f, "uniform:{lo:?},{hi:?}{}", round(r)),
            Init::Normal { mean, sd, round: r } => write!(f, "normal:{mean:?},{sd:?}{}", round(r)),
            Init::Glorot => f.write_str("glorot"),
            Init::He => f.write_str("he"),
        }
    }
}

impl FromStr for Init {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| CoreError::InvalidInit {
            spec: s.to_string(),
            reason: why.to_string(),
        };
        let s = s.trim();
        let (head, args) = s.split_once(':').unwrap_or((s, ""));
        let mut nums = Vec::new();
        let mut round = None;
        for part in args.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if let Some(k) = part.strip_prefix("round=") {
                round = Some(
                    k.parse::<u32>()
                        .map_err(|_| bad("round= takes 0, 1, 2, ... decimals"))?,
                );
            } else {
                let v: f64 = part
                    .parse()
                    .map_err(|_| bad(&format!("'{part}' is not a number")))?;
                if !v.is_finite() {
                    return Err(bad(&format!("'{part}' is not a finite number")));
                }
                nums.push((v, part));
            }
        }
        // `uniform:10` (what `--vary weights=uniform:10,-10` leaves once it splits on commas)
        // is told the form it should have.
        let arity = |n: usize, form: &str| {
            if nums.len() == n {
                Ok(())
            } else {
                Err(bad(&format!(
                    "expected {form}: {n} number(s), found {}",
                    nums.len()
                )))
            }
        };
        match head.to_ascii_lowercase().as_str() {
            "const" | "constant" => {
                arity(1, "const:C")?;
                Ok(Init::Const(nums[0].0))
            }
            "zeros" | "zero" => {
                arity(0, "zeros")?;
                Ok(Init::Const(0.0))
            }
            "uniform" => {
                arity(2, "uniform:LO,HI[,round=K]")?;
                let ((lo, lo_text), (hi, hi_text)) = (nums[0], nums[1]);
                if lo >= hi {
                    let relation = if lo == hi { "equals" } else { "is above" };
                    return Err(bad(&format!(
                        "the low end {lo_text} {relation} the high end {hi_text} (expected LO < HI)"
                    )));
                }
                Ok(Init::Uniform { lo, hi, round })
            }
            "normal" => {
                arity(2, "normal:MEAN,SD[,round=K]")?;
                let ((mean, _), (sd, sd_text)) = (nums[0], nums[1]);
                if sd < 0.0 {
                    return Err(bad(&format!("the standard deviation {sd_text} is below 0")));
                }
                Ok(Init::Normal { mean, sd, round })
            }
            "glorot" | "xavier" => arity(0, "glorot").map(|_| Init::Glorot),
            "he" | "kaiming" => arity(0, "he").map(|_| Init::He),
            _ => Err(bad(
                "expected const:C, uniform:LO,HI[,round=K], normal:MEAN,SD[,round=K], glorot or he",
            )),
        }
    }
}

impl TryFrom<String> for Init {
    type Error = CoreError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Init> for String {
    fn from(i: Init) -> String {
        i.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{course, Activation};

    #[test]
    fn parses_and_prints_every_form() {
        for s in [
            "const:1.0",
            "uniform:-10.0,10.0,round=2",
            "normal:0.0,1.0",
            "glorot",
            "he",
        ] {
            assert_eq!(s.parse::<Init>().unwrap().to_string(), s);
        }
        for bad in [
            "uniform:3,1",
            "normal:0,-1",
            "const",
            "uniform:a,b",
            "lecun",
            "const:nan",
        ] {
            assert!(bad.parse::<Init>().is_err(), "{bad}");
        }
    }

    // Issue 17: each refusal names the numbers as typed and what is expected.
    #[test]
    fn refusals_name_the_values() {
        let err = |s: &str| s.parse::<Init>().unwrap_err().to_string();
        assert_eq!(
            err("uniform:10,-10"),
            "invalid initializer 'uniform:10,-10': the low end 10 is above the high end -10 (expected LO < HI)"
        );
        assert_eq!(
            err("uniform:2,2"),
            "invalid initializer 'uniform:2,2': the low end 2 equals the high end 2 (expected LO < HI)"
        );
        assert_eq!(
            err("normal:0,-1"),
            "invalid initializer 'normal:0,-1': the standard deviation -1 is below 0"
        );
        assert_eq!(
            err("uniform:10"),
            "invalid initializer 'uniform:10': expected uniform:LO,HI[,round=K]: 2 number(s), found 1"
        );
        assert_eq!(
            err("const:inf"),
            "invalid initializer 'const:inf': 'inf' is not a finite number"
        );
    }

    // Issue 17: `round=400` made every value NaN (10^400 = inf, v·inf / inf). A value whose
    // v·10^k overflows is already its own rounding (see `rounded`), so it is kept: 0.123 and
    // 5.5 with k = 400, 5.5 with k = 308 (5.5e308 overflows); 0 stays 0 (0·inf is NaN).
    #[test]
    fn rounding_past_f64s_range_keeps_the_value() {
        assert_eq!(rounded(0.123, Some(400)), 0.123);
        assert_eq!(rounded(5.5, Some(308)), 5.5);
        assert_eq!(rounded(0.0, Some(400)), 0.0);
        assert_eq!(rounded(-0.7, Some(u32::MAX)), -0.7);
        // Within range the formula still rounds: 0.125 -> 0.13 (half away from zero).
        assert_eq!(rounded(0.125, Some(2)), 0.13);
        let mut net = Network::zeros(&[2, 2, 1], &[Activation::Relu, Activation::Relu]).unwrap();
        let w = "uniform:0,1,round=400".parse().unwrap();
        initialize(&mut net, w, w, &mut Rng::new(0));
        let (ws, bs) = course::params(&net).unwrap();
        assert!(ws.iter().chain(&bs).all(|v| (0.0..1.0).contains(v)));
    }

    // round=2 leaves two decimals: v·100 is an integer up to floating-point representation.
    #[test]
    fn uniform_rounded_stays_in_range_with_two_decimals() {
        let mut net = Network::zeros(&[2, 2, 1], &[Activation::Relu, Activation::Relu]).unwrap();
        let w = "uniform:-10,10,round=2".parse().unwrap();
        let b = "uniform:-5,5,round=2".parse().unwrap();
        initialize(&mut net, w, b, &mut Rng::new(3));
        let (ws, bs) = course::params(&net).unwrap();
        for v in ws {
            assert!((-10.0..=10.0).contains(&v));
            assert!(((v * 100.0).round() - v * 100.0).abs() < 1e-9);
        }
        for v in bs {
            assert!((-5.0..=5.0).contains(&v));
        }
        // Same seed, same network; different seed, different network.
        let mut again = net.clone();
        initialize(&mut again, w, b, &mut Rng::new(3));
        assert_eq!(again, net);
        initialize(&mut again, w, b, &mut Rng::new(4));
        assert_ne!(again, net);
    }

    // Glorot bound for a 64 -> 32 layer: sqrt(6/96) = 0.25. He sd for fan_in 50: sqrt(2/50) = 0.2.
    #[test]
    fn glorot_and_he_scales() {
        let mut rng = Rng::new(9);
        let draws: Vec<f64> = (0..20_000)
            .map(|_| Init::Glorot.draw(64, 32, &mut rng))
            .collect();
        assert!(draws.iter().all(|v| v.abs() < 0.25));
        assert!(draws.iter().any(|v| v.abs() > 0.24));
        let he: Vec<f64> = (0..20_000)
            .map(|_| Init::He.draw(50, 10, &mut rng))
            .collect();
        let var = he.iter().map(|v| v * v).sum::<f64>() / he.len() as f64;
        assert!((var.sqrt() - 0.2).abs() < 0.005, "sd {}", var.sqrt());
    }
}
