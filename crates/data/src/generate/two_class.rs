//! TensorFlow Playground's two-class data sets ([`TwoClass`]): `circle`, `xor`, `gauss` and
//! `spiral`, points `(x1, x2)` with a target 0 or 1.
//!
//! The formulas follow `src/dataset.ts` of github.com/tensorflow/playground (commit
//! 02469bd, 2022; Apache-2.0), written here from its description; TF Playground's label
//! +1 is class 1 ("positive"), its -1 class 0. `noise` is TF's noise slider as a fraction, 0 to
//! [`MAX_CLASS_NOISE`] (the slider's 0 to 50). Each uniform draw `U(a, b)` is
//! `a + (b - a) u` with `u` from `Rng::for_purpose(seed, "data")`, in the order listed:
//! - `circle`: radius 5. First the class-1 rows: `r ~ U(0, 2.5)`, `angle ~ U(0, 2π)`, then
//!   `nx, ny ~ U(-5, 5) · noise`; the point is `(r sin(angle), r cos(angle))`; then the class-0
//!   rows the same way with `r ~ U(3.5, 5)`. The class is 1 when the *noisy* point
//!   `(x1 + nx, x2 + ny)` is within 2.5 of the origin, so noise mislabels points.
//! - `xor`: for every row `x1 ~ U(-5, 5)`, moved 0.3 away from 0 (`+0.3` when `x1 > 0`, else
//!   `-0.3`), then `x2` the same, then `nx, ny ~ U(-5, 5) · noise`; class 1 when
//!   `(x1 + nx)(x2 + ny) >= 0`.
//! - `gauss`: the class-1 rows around `(2, 2)`, then the class-0 rows around `(-2, -2)`, each
//!   coordinate `centre + sqrt(v) z` with `z` standard normal and variance
//!   `v = 0.5 + 7 noise` (TF's linear map of noise 0..0.5 onto variance 0.5..4). TF draws `z`
//!   with the polar method; here it is `Rng::normal` (Box–Muller), the same distribution.
//! - `spiral`: two arms of `n` rows each; row `i` of an arm has radius `r = 5 i / n`, angle
//!   `t = 1.75 · 2π · i / n + δ`, point `(r sin t + U(-1, 1) · noise, r cos t + U(-1, 1) · noise)`;
//!   class 1 is the arm `δ = 0`, generated first, class 0 the arm `δ = π`.
//!
//! Where TF makes `numSamples / 2` rows per class, here class 1 has `ceil(rows / 2)` rows and
//! class 0 the rest, so there are exactly `rows` rows (for `xor`, every row is drawn alike
//! and the geometry decides the class).
//!
//! ```
//! use nnlab_data::{Pattern, TwoClass};
//! let d = TwoClass { pattern: Pattern::Circle, rows: 6, noise: 0.0, seed: 1 }.generate().unwrap();
//! // Without noise the first three rows are inside radius 2.5 (class 1), the others outside 3.5.
//! for i in 0..6 {
//!     let r = d.row(i)[0].hypot(d.row(i)[1]);
//!     assert_eq!(d.y[i], if i < 3 { 1.0 } else { 0.0 });
//!     assert!(if i < 3 { r < 2.5 } else { (3.5..5.0).contains(&r) });
//! }
//! ```

use std::f64::consts::{PI, TAU};

use nnlab_core::rng::Rng;
use serde::{Deserialize, Serialize};

use super::Pattern;
use crate::{DataError, Dataset, MAX_GENERATED_ROWS};

/// The largest noise of the two-class sets: TF Playground's slider maximum, 50 %.
pub const MAX_CLASS_NOISE: f64 = 0.5;

/// Settings of a two-class data set (see the module docs for each pattern's formulas).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwoClass {
    /// `circle`, `xor`, `gauss` or `spiral` (not `quadratic`, the course's [`Generator`](crate::Generator)).
    pub pattern: Pattern,
    /// Number of rows, 2 to [`MAX_GENERATED_ROWS`].
    pub rows: usize,
    /// TF Playground's noise, 0 to [`MAX_CLASS_NOISE`].
    pub noise: f64,
    /// Seed of the `"data"` random stream.
    pub seed: u64,
}

impl TwoClass {
    /// Checks the settings: a two-class pattern, `rows` in `2..=MAX_GENERATED_ROWS` (one row
    /// per class at least), `noise` in `[0, MAX_CLASS_NOISE]`.
    pub fn validate(&self) -> Result<(), DataError> {
        let invalid = |field, reason: String| Err(DataError::InvalidGenerator { field, reason });
        if !self.pattern.is_two_class() {
            return invalid(
                "pattern",
                format!("'{}' is not a two-class data set", self.pattern),
            );
        }
        if !(2..=MAX_GENERATED_ROWS).contains(&self.rows) {
            return invalid(
                "rows",
                format!(
                    "is {}, must be 2 to {MAX_GENERATED_ROWS} for generate:{} (a row of each class at least)",
                    self.rows, self.pattern
                ),
            );
        }
        if !(0.0..=MAX_CLASS_NOISE).contains(&self.noise) {
            return invalid(
                "noise",
                format!(
                    "is {}, must be a number from 0 to {MAX_CLASS_NOISE} for generate:{} (TF Playground's noise 0 to 50 %)",
                    self.noise, self.pattern
                ),
            );
        }
        Ok(())
    }

    /// Validates, then draws the rows: inputs `x1`, `x2`, target `class` (0 or 1).
    pub fn generate(&self) -> Result<Dataset, DataError> {
        self.validate()?;
        let mut rng = Rng::for_purpose(self.seed, "data");
        let (positives, negatives) = (self.rows.div_ceil(2), self.rows / 2);
        let noise = self.noise;
        let mut x = Vec::with_capacity(2 * self.rows);
        let mut y = Vec::with_capacity(self.rows);
        let mut push = |x1: f64, x2: f64, class_1: bool| {
            x.extend([x1, x2]);
            y.push(f64::from(u8::from(class_1)));
        };
        match self.pattern {
            Pattern::Circle => {
                for (n, (r_lo, r_hi)) in [(positives, (0.0, 2.5)), (negatives, (3.5, 5.0))] {
                    for _ in 0..n {
                        let r = rng.uniform_range(r_lo, r_hi);
                        let angle = rng.uniform_range(0.0, TAU);
                        let (x1, x2) = (r * angle.sin(), r * angle.cos());
                        let nx = rng.uniform_range(-5.0, 5.0) * noise;
                        let ny = rng.uniform_range(-5.0, 5.0) * noise;
                        push(x1, x2, (x1 + nx).hypot(x2 + ny) < 2.5);
                    }
                }
            }
            Pattern::Xor => {
                let padded = |v: f64| if v > 0.0 { v + 0.3 } else { v - 0.3 };
                for _ in 0..self.rows {
                    let x1 = padded(rng.uniform_range(-5.0, 5.0));
                    let x2 = padded(rng.uniform_range(-5.0, 5.0));
                    let nx = rng.uniform_range(-5.0, 5.0) * noise;
                    let ny = rng.uniform_range(-5.0, 5.0) * noise;
                    push(x1, x2, (x1 + nx) * (x2 + ny) >= 0.0);
                }
            }
            Pattern::Gauss => {
                let sd = (0.5 + 7.0 * noise).sqrt();
                for (n, centre, class_1) in [(positives, 2.0, true), (negatives, -2.0, false)] {
                    for _ in 0..n {
                        let x1 = centre + sd * rng.normal();
                        let x2 = centre + sd * rng.normal();
                        push(x1, x2, class_1);
                    }
                }
            }
            Pattern::Spiral => {
                for (n, delta, class_1) in [(positives, 0.0, true), (negatives, PI, false)] {
                    for i in 0..n {
                        let f = i as f64 / n as f64;
                        let (r, t) = (f * 5.0, 1.75 * f * TAU + delta);
                        let x1 = r * t.sin() + rng.uniform_range(-1.0, 1.0) * noise;
                        let x2 = r * t.cos() + rng.uniform_range(-1.0, 1.0) * noise;
                        push(x1, x2, class_1);
                    }
                }
            }
            // Refused by `validate` above: the course's generator makes those rows.
            Pattern::Quadratic => {}
        }
        Ok(Dataset {
            input_names: vec!["x1".into(), "x2".into()],
            target_name: "class".into(),
            x,
            y,
            source: self.describe(),
            encoding: Vec::new(),
            classes: Vec::new(),
        })
    }

    /// A one-line description for reports.
    pub fn describe(&self) -> String {
        let what = match self.pattern {
            Pattern::Circle => "class 1 inside radius 2.5, class 0 in the ring 3.5 to 5",
            Pattern::Xor => "class 1 where x1 x2 >= 0, quadrants 1 and 3; |x1|, |x2| in [0.3, 5.3]",
            Pattern::Gauss => "class 1 around (2, 2), class 0 around (-2, -2)",
            Pattern::Spiral => "two spiral arms, class 1 from angle 0, class 0 from angle pi",
            Pattern::Quadratic => "",
        };
        format!(
            "generated: {} rows of TF Playground's {} ({what}), noise {}, seed {}",
            self.rows, self.pattern, self.noise, self.seed
        )
    }
}
