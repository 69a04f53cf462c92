//! How each value's `u` in `[0, 1)` is drawn ([`Distribution`]).

use std::fmt;
use std::str::FromStr;

use nnlab_core::rng::Rng;
use serde::{Deserialize, Serialize};

use crate::DataError;

/// How `u` in `[0, 1)` is drawn before it is mapped to `[lo, hi)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Distribution {
    /// `u` uniform on `[0, 1)`.
    #[default]
    Uniform,
    /// Truncated normal: `u = 1/2 + z / 6` with `z` standard normal, drawn again while `u` is
    /// outside `[0, 1)`. The value is centred on the middle of the range with standard deviation
    /// `(hi - lo) / 6` before truncation at ±3 standard deviations (about `0.98658 (hi - lo) / 6`
    /// after; 0.27 % of draws are redrawn).
    Normal,
    /// `u = w^skew` with `w` uniform on `[0, 1)`. `E[u] = 1 / (skew + 1)`: `skew > 1` puts more
    /// values near `lo`, `0 < skew < 1` near `hi`, `skew = 1` is uniform.
    Skewed,
}

impl Distribution {
    /// One draw `u` in `[0, 1)` (or exactly 1 after rounding in rare skewed cases; the caller
    /// redraws values that land on `hi`).
    pub(super) fn unit(self, skew: f64, rng: &mut Rng) -> f64 {
        match self {
            Distribution::Uniform => rng.uniform(),
            Distribution::Normal => loop {
                let u = 0.5 + rng.normal() / 6.0;
                if (0.0..1.0).contains(&u) {
                    return u;
                }
            },
            Distribution::Skewed => rng.uniform().powf(skew),
        }
    }
}

impl fmt::Display for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Distribution::Uniform => "uniform",
            Distribution::Normal => "normal",
            Distribution::Skewed => "skewed",
        })
    }
}

impl FromStr for Distribution {
    type Err = DataError;
    fn from_str(s: &str) -> Result<Distribution, DataError> {
        match s.trim() {
            "uniform" => Ok(Distribution::Uniform),
            "normal" => Ok(Distribution::Normal),
            "skewed" => Ok(Distribution::Skewed),
            _ => Err(DataError::UnknownDistribution {
                name: s.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_names_round_trip() {
        for d in [
            Distribution::Uniform,
            Distribution::Normal,
            Distribution::Skewed,
        ] {
            assert_eq!(d.to_string().parse::<Distribution>().unwrap(), d);
        }
        assert!("gauss"
            .parse::<Distribution>()
            .unwrap_err()
            .to_string()
            .contains("gauss"));
    }
}
