//! The generator's settings ([`Generator`]): their defaults, their check, their description.

use serde::{Deserialize, Serialize};

use super::DataRng;
use crate::{DataError, Distribution, Pattern, Range, TwoClass, MAX_MAGNITUDE};

/// The largest number of rows the generator makes, so a typo cannot exhaust memory.
pub const MAX_GENERATED_ROWS: usize = 10_000_000;

/// Settings of the course's data generator. Every field has a default ("default: ..." below), so
/// an empty TOML table is the course's data: 100 integer rows with `x1` in `[0, 5)`, `x2` in
/// `[0, 10)`, `noise` in `[0, 10)`, seed 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Generator {
    /// Number of rows, 1 to [`MAX_GENERATED_ROWS`]; default: 100.
    pub rows: usize,
    /// Range of the input `x1`; default: `[0, 5)`.
    pub x1: Range,
    /// Range of the input `x2`; default: `[0, 10)`.
    pub x2: Range,
    /// Range of the noise added to the target; default: `[0, 10)`.
    pub noise: Range,
    /// Integer draws `lo + floor((hi - lo) u)`, else continuous `lo + (hi - lo) u`; default: true.
    pub integer: bool,
    /// How `u` is drawn; default: uniform.
    pub distribution: Distribution,
    /// Exponent of the skewed distribution, must be > 0; default: 2.0.
    pub skew: f64,
    /// Seed of the `"data"` random stream; default: 0.
    pub seed: u64,
    /// TF Playground's noise (0 to [`MAX_CLASS_NOISE`](crate::MAX_CLASS_NOISE)) for the
    /// two-class sets: not used by these rows, but kept with the other generator settings so
    /// one `[data.generator]` table serves every `generate:PATTERN` (see
    /// [`Generator::two_class`]); default: 0. Left out of the serialized form while 0, so the
    /// saved settings of quadratic runs read as before.
    #[serde(skip_serializing_if = "is_zero")]
    pub class_noise: f64,
    /// The random stream: nnlab's (unset, or `nnlab`), or NumPy's legacy one (seeds up to
    /// 2^32 - 1, uniform draws); default: unset. Optional so that configurations written
    /// before it existed, and the default one, read and write without it.
    pub rng: Option<DataRng>,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

impl Default for Generator {
    fn default() -> Generator {
        Generator {
            rows: 100,
            x1: Range::new(0.0, 5.0),
            x2: Range::new(0.0, 10.0),
            noise: Range::new(0.0, 10.0),
            integer: true,
            distribution: Distribution::Uniform,
            skew: 2.0,
            seed: 0,
            class_noise: 0.0,
            rng: None,
        }
    }
}

impl Generator {
    /// Checks the settings: `rows` in `1..=MAX_GENERATED_ROWS`; each range with finite bounds
    /// of at most [`MAX_MAGNITUDE`] and `lo < hi` (whole numbers for integer draws); `skew` finite and `> 0`.
    pub fn validate(&self) -> Result<(), DataError> {
        let invalid = |field, reason: String| Err(DataError::InvalidGenerator { field, reason });
        if self.rows == 0 {
            return invalid("rows", "must be at least 1".into());
        }
        if self.rows > MAX_GENERATED_ROWS {
            return invalid(
                "rows",
                format!("is {}, more than the limit {MAX_GENERATED_ROWS}", self.rows),
            );
        }
        for (field, r) in [("x1", self.x1), ("x2", self.x2), ("noise", self.noise)] {
            if !r.lo.is_finite() || !r.hi.is_finite() {
                return invalid(field, format!("range {r} must have finite bounds"));
            }
            // Named in exponent form: `1e308` in full is 309 digits.
            if let Some(b) = [r.lo, r.hi].into_iter().find(|b| b.abs() > MAX_MAGNITUDE) {
                return invalid(
                    field,
                    format!("range bound {b:e} is beyond the limit of ±{MAX_MAGNITUDE:e}"),
                );
            }
            if r.lo >= r.hi {
                return invalid(
                    field,
                    format!("range {r} is empty: the lower bound must be below the upper bound"),
                );
            }
            if self.integer && (r.lo.fract() != 0.0 || r.hi.fract() != 0.0) {
                return invalid(
                    field,
                    format!("range {r} must have whole-number bounds for integer draws (or set integer = false)"),
                );
            }
        }
        if !(self.skew.is_finite() && self.skew > 0.0) {
            return invalid("skew", format!("is {}, must be a number > 0", self.skew));
        }
        if self.rng == Some(DataRng::Numpy) {
            if self.distribution != Distribution::Uniform {
                return invalid(
                    "rng",
                    format!(
                        "numpy draws uniform values only (randint, uniform), not {} ones",
                        self.distribution
                    ),
                );
            }
            if u32::try_from(self.seed).is_err() {
                return invalid(
                    "rng",
                    format!("numpy takes seeds 0 to 2^32 - 1, not {}", self.seed),
                );
            }
        }
        Ok(())
    }

    /// The two-class set `pattern` with these settings' `rows`, `class_noise` and `seed`.
    pub fn two_class(&self, pattern: Pattern) -> TwoClass {
        TwoClass {
            pattern,
            rows: self.rows,
            noise: self.class_noise,
            seed: self.seed,
        }
    }

    /// A one-line description for reports.
    pub fn describe(&self) -> String {
        let kind = if self.integer {
            "integer"
        } else {
            "continuous"
        };
        let skew = match self.distribution {
            Distribution::Skewed => format!(" (skew {})", self.skew),
            _ => String::new(),
        };
        let stream = match self.rng {
            Some(DataRng::Numpy) => " (numpy's np.random.seed stream)",
            Some(DataRng::Nnlab) | None => "",
        };
        format!(
            "generated: {} rows of y = x1^2 + x2 + noise, x1 in {}, x2 in {}, noise in {}, {kind} {}{skew} draws, seed {}{stream}",
            self.rows, self.x1, self.x2, self.noise, self.distribution, self.seed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_table_is_the_documented_default() {
        let g: Generator = toml::from_str("").unwrap();
        assert_eq!(g, Generator::default());
        assert_eq!(g.rows, 100);
        assert_eq!(
            (g.x1, g.x2, g.noise),
            (
                Range::new(0.0, 5.0),
                Range::new(0.0, 10.0),
                Range::new(0.0, 10.0)
            )
        );
        assert!(g.integer);
        assert_eq!(
            (g.distribution, g.skew, g.seed),
            (Distribution::Uniform, 2.0, 0)
        );
        let g: Generator =
            toml::from_str("rows = 7\nx1 = [-50, 50]\nnoise = \"0,1\"\ndistribution = \"normal\"")
                .unwrap();
        assert_eq!(
            (g.rows, g.x1, g.noise),
            (7, Range::new(-50.0, 50.0), Range::new(0.0, 1.0))
        );
        assert_eq!(g.distribution, Distribution::Normal);
        let e = toml::from_str::<Generator>("row = 7")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `row`"), "{e}");
    }

    #[test]
    fn validation_names_the_field_and_the_problem() {
        let err = |f: fn(&mut Generator)| {
            let mut g = Generator::default();
            f(&mut g);
            g.generate().unwrap_err().to_string()
        };
        assert_eq!(err(|g| g.rows = 0), "generator: rows must be at least 1");
        assert_eq!(
            err(|g| g.x2 = Range::new(5.0, 5.0)),
            "generator: x2 range [5, 5) is empty: the lower bound must be below the upper bound"
        );
        assert_eq!(
            err(|g| g.noise = Range::new(0.0, f64::INFINITY)),
            "generator: noise range [0, inf) must have finite bounds"
        );
        assert!(err(|g| g.x1 = Range::new(0.0, 2.5)).contains("whole-number bounds"));
        assert_eq!(
            err(|g| g.skew = 0.0),
            "generator: skew is 0, must be a number > 0"
        );
        assert!(err(|g| g.skew = f64::NAN).contains("skew is NaN"));
        assert!(err(|g| g.rows = MAX_GENERATED_ROWS + 1).contains("more than the limit"));
        // Issue 17: `--x1=-1e308,1e308` hung (the width hi - lo is inf, so no draw lands
        // inside); 1e100 is MAX_MAGNITUDE, and a bound past it is refused by name.
        assert_eq!(
            err(|g| g.x1 = Range::new(-1e308, 1e308)),
            "generator: x1 range bound -1e308 is beyond the limit of ±1e100"
        );
        assert!(err(|g| g.noise = Range::new(0.0, 2e100)).contains("beyond the limit"));
        let edge = Generator {
            x2: Range::new(-1e100, 1e100),
            rows: 3,
            distribution: Distribution::Normal,
            ..Generator::default()
        };
        assert!(edge.generate().is_ok());
        // Continuous draws accept fractional bounds.
        let g = Generator {
            x1: Range::new(0.0, 2.5),
            integer: false,
            ..Generator::default()
        };
        assert!(g.validate().is_ok());
    }
}
