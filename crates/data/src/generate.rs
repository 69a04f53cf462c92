//! The course's default data: rows `(x1, x2, y)` with `y = x1^2 + x2 + noise`.
//!
//! Each value is drawn on the unit interval as `u` in `[0, 1)` by a [`Distribution`], then
//! mapped to its range `[lo, hi)`:
//! - continuous draws: `v = lo + (hi - lo) * u`;
//! - integer draws (the default, like NumPy's `randint(lo, hi)`): `v = lo + floor((hi - lo) * u)`,
//!   so `v` is one of `lo, lo + 1, ..., hi - 1`.
//!
//! If floating-point rounding ever puts `v` on `hi` (possible only for `u` within about
//! `1e-16` of 1), the value is drawn again, so every value stays inside `[lo, hi)`.
//!
//! Draw order, fixed so that a seed always gives the same rows: one generator
//! `Rng::for_purpose(seed, "data")`; for each row in turn `x1`, then `x2`, then `noise`
//! (each taking as many draws as its distribution needs).
//!
//! ```
//! use nnlab_data::{Distribution, Generator, Range};
//! let g = Generator { rows: 3, x1: Range::new(-2.0, 2.0), distribution: Distribution::Skewed,
//!                     skew: 3.0, ..Generator::default() };
//! let d = g.generate().unwrap();
//! for i in 0..d.n_rows() {
//!     let (x1, x2) = (d.row(i)[0], d.row(i)[1]);
//!     assert!((-2.0..2.0).contains(&x1) && x1.fract() == 0.0);
//!     let noise = d.y[i] - (x1 * x1 + x2);
//!     assert!((0.0..10.0).contains(&noise));
//! }
//! ```

use std::fmt;
use std::str::FromStr;

use nnlab_core::rng::Rng;
use serde::{Deserialize, Serialize};

use crate::{DataError, Dataset, Range};

/// The largest number of rows the generator makes, so a typo cannot exhaust memory.
pub const MAX_GENERATED_ROWS: usize = 10_000_000;

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
    fn unit(self, skew: f64, rng: &mut Rng) -> f64 {
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
        }
    }
}

impl Generator {
    /// Checks the settings: `rows` in `1..=MAX_GENERATED_ROWS`; each range with finite bounds
    /// and `lo < hi` (whole numbers for integer draws); `skew` finite and `> 0`.
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
        Ok(())
    }

    /// Validates, then draws the rows (see the module docs for the order and the mapping).
    /// Inputs `x1`, `x2`; target `y = x1^2 + x2 + noise`, evaluated as `x1 * x1 + x2 + noise`.
    pub fn generate(&self) -> Result<Dataset, DataError> {
        self.validate()?;
        let mut rng = Rng::for_purpose(self.seed, "data");
        let mut x = Vec::with_capacity(2 * self.rows);
        let mut y = Vec::with_capacity(self.rows);
        for _ in 0..self.rows {
            let x1 = self.draw(self.x1, &mut rng);
            let x2 = self.draw(self.x2, &mut rng);
            let noise = self.draw(self.noise, &mut rng);
            x.extend([x1, x2]);
            y.push(x1 * x1 + x2 + noise);
        }
        Ok(Dataset {
            input_names: vec!["x1".into(), "x2".into()],
            target_name: "y".into(),
            x,
            y,
            source: self.describe(),
            encoding: Vec::new(),
        })
    }

    /// One value in `range`.
    fn draw(&self, range: Range, rng: &mut Rng) -> f64 {
        loop {
            let u = self.distribution.unit(self.skew, rng);
            let v = if self.integer {
                range.lo + (range.width() * u).floor()
            } else {
                range.lo + range.width() * u
            };
            // Rounding can land on hi when u is within an ulp of 1; draw again to stay inside.
            if v < range.hi {
                return v;
            }
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
        format!(
            "generated: {} rows of y = x1^2 + x2 + noise, x1 in {}, x2 in {}, noise in {}, {kind} {}{skew} draws, seed {}",
            self.rows, self.x1, self.x2, self.noise, self.distribution, self.seed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean(v: &[f64]) -> f64 {
        v.iter().sum::<f64>() / v.len() as f64
    }

    /// Population standard deviation.
    fn sd(v: &[f64]) -> f64 {
        let m = mean(v);
        (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len() as f64).sqrt()
    }

    fn gen(f: impl FnOnce(&mut Generator)) -> Dataset {
        let mut g = Generator::default();
        f(&mut g);
        g.generate().unwrap()
    }

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

    // The documented draw order, replayed by hand: x1, x2, noise per row from the "data" stream,
    // integer draws lo + floor((hi - lo) u).
    #[test]
    fn draws_follow_the_documented_order() {
        let d = gen(|g| {
            g.rows = 5;
            g.seed = 42;
        });
        let mut rng = Rng::for_purpose(42, "data");
        for i in 0..5 {
            let x1 = (5.0 * rng.uniform()).floor();
            let x2 = (10.0 * rng.uniform()).floor();
            let noise = (10.0 * rng.uniform()).floor();
            assert_eq!(d.row(i), &[x1, x2]);
            assert_eq!(d.y[i], x1 * x1 + x2 + noise);
        }
    }

    #[test]
    fn a_seed_gives_the_same_rows_and_another_seed_others() {
        for distribution in [
            Distribution::Uniform,
            Distribution::Normal,
            Distribution::Skewed,
        ] {
            let a = gen(|g| {
                g.seed = 3;
                g.distribution = distribution;
            });
            let b = gen(|g| {
                g.seed = 3;
                g.distribution = distribution;
            });
            let c = gen(|g| {
                g.seed = 4;
                g.distribution = distribution;
            });
            assert_eq!(a, b);
            assert_ne!(a.x, c.x);
        }
    }

    #[test]
    fn every_value_is_inside_its_range_and_y_follows_the_formula() {
        for integer in [true, false] {
            for distribution in [
                Distribution::Uniform,
                Distribution::Normal,
                Distribution::Skewed,
            ] {
                for skew in [0.3, 2.0] {
                    let g = Generator {
                        rows: 3000,
                        x1: Range::new(-50.0, 50.0),
                        x2: Range::new(-3.0, -1.0),
                        noise: Range::new(0.0, 1.0),
                        integer,
                        distribution,
                        skew,
                        seed: 9,
                    };
                    let d = g.generate().unwrap();
                    assert_eq!(d.n_rows(), 3000);
                    for i in 0..d.n_rows() {
                        let [x1, x2] = [d.row(i)[0], d.row(i)[1]];
                        assert!(g.x1.contains(x1) && g.x2.contains(x2), "{x1} {x2}");
                        if integer {
                            assert!(x1.fract() == 0.0 && x2.fract() == 0.0, "{x1} {x2}");
                        }
                        // Recover the noise: it must be inside its range (and an integer).
                        let noise = d.y[i] - (x1 * x1 + x2);
                        // (exact for integers; continuous values lose up to ~1e-12 to rounding).
                        assert!(noise > -1e-9 && noise < 1.0 + 1e-9, "{noise}");
                        if integer {
                            // [0, 1) holds a single integer.
                            assert_eq!(d.y[i], x1 * x1 + x2);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn y_is_x1_squared_plus_x2_plus_noise_exactly() {
        // Noise range [5, 6) with integer draws is always 5, so y = x1^2 + x2 + 5 exactly,
        // e.g. x1 = 3, x2 = 7 gives 9 + 7 + 5 = 21.
        let d = gen(|g| {
            g.rows = 200;
            g.noise = Range::new(5.0, 6.0);
        });
        for i in 0..d.n_rows() {
            let (x1, x2) = (d.row(i)[0], d.row(i)[1]);
            assert_eq!(d.y[i], x1 * x1 + x2 + 5.0);
        }
        assert!(d.x.chunks(2).any(|r| r == [3.0, 7.0]));
    }

    // Skewed u = w^k with w uniform: E[u] = ∫0^1 w^k dw = 1/(k+1). On [0, 30) with k = 2 the
    // mean is 30/3 = 10, against 15 for uniform draws. Var[u] = 1/(2k+1) - 1/(k+1)^2 = 4/45,
    // so the standard error of a 3000-row mean is 30 sqrt(4/45) / sqrt(3000) = 0.163;
    // the tolerance is 5 standard errors. With k = 1/2, E[u] = 2/3: mean 20, sd 30 sqrt(1/18).
    #[test]
    fn skewed_means_match_one_over_k_plus_one() {
        let x1_mean = |distribution, skew, integer| {
            let d = gen(|g| {
                g.rows = 3000;
                g.x1 = Range::new(0.0, 30.0);
                g.distribution = distribution;
                g.skew = skew;
                g.integer = integer;
                g.seed = 11;
            });
            mean(&d.input_column(0))
        };
        let se = |var_u: f64| 30.0 * var_u.sqrt() / 3000f64.sqrt();
        let skewed = x1_mean(Distribution::Skewed, 2.0, false);
        assert!((skewed - 10.0).abs() < 5.0 * se(4.0 / 45.0), "{skewed}");
        let uniform = x1_mean(Distribution::Uniform, 2.0, false);
        assert!((uniform - 15.0).abs() < 5.0 * se(1.0 / 12.0), "{uniform}");
        let towards_hi = x1_mean(Distribution::Skewed, 0.5, false);
        assert!(
            (towards_hi - 20.0).abs() < 5.0 * se(1.0 / 18.0),
            "{towards_hi}"
        );
        // Integer draws floor the values: the skewed mean stays below the uniform one.
        assert!(
            x1_mean(Distribution::Skewed, 2.0, true)
                < x1_mean(Distribution::Uniform, 2.0, true) - 3.0
        );
    }

    // Normal draws on [0, 60): centre 30, sd 60/6 = 10 before truncation at ±3 sd. Truncated sd
    // = 10 sqrt(1 - 2·3·φ(3) / (2Φ(3) - 1)) with φ(3) = e^-4.5 / sqrt(2π), Φ(3) = 0.9986501019683699
    // (standard normal table; the same value scipy.stats.norm.cdf(3) gives), so 9.865784.
    // The standard error of the sd of 20000 draws is about sd / sqrt(2n) = 0.049; tolerance 0.25.
    #[test]
    fn normal_draws_have_the_truncated_standard_deviation() {
        let d = gen(|g| {
            g.rows = 20_000;
            g.x1 = Range::new(0.0, 60.0);
            g.integer = false;
            g.distribution = Distribution::Normal;
            g.seed = 5;
        });
        let phi3 = (-4.5f64).exp() / std::f64::consts::TAU.sqrt();
        let expected_sd = 10.0 * (1.0 - 6.0 * phi3 / (2.0 * 0.998_650_101_968_369_9 - 1.0)).sqrt();
        assert!((expected_sd - 9.865_784).abs() < 1e-6);
        let x1 = d.input_column(0);
        assert!((sd(&x1) - expected_sd).abs() < 0.25, "sd {}", sd(&x1));
        assert!(
            (mean(&x1) - 30.0).abs() < 5.0 * expected_sd / 20_000f64.sqrt(),
            "mean {}",
            mean(&x1)
        );
    }

    #[test]
    fn one_row_works() {
        let d = gen(|g| g.rows = 1);
        assert_eq!((d.n_rows(), d.x.len()), (1, 2));
        assert_eq!(d.input_names, vec!["x1", "x2"]);
        assert_eq!(d.target_name, "y");
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
        // Continuous draws accept fractional bounds.
        let g = Generator {
            x1: Range::new(0.0, 2.5),
            integer: false,
            ..Generator::default()
        };
        assert!(g.validate().is_ok());
    }

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
