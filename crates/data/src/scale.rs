//! Scaling each column to a common range before training, and back for reporting.
//!
//! Per column (every input and the target separately), fitted on one data set and then applied
//! to any data set with the same columns:
//! - `minmax` (default): `x' = (x - min) / (max - min)`, computed in exactly that form (the
//!   course's formula), so the fitted data lies in `[0, 1]`; inverse `x = x' (max - min) + min`;
//! - `standard`: `x' = (x - mean) / sd` with the population standard deviation
//!   `sd = sqrt(Σ (x - mean)^2 / n)` (ddof = 0, as scikit-learn's `StandardScaler`);
//!   inverse `x = x' sd + mean`;
//! - `none`: `x' = x`.
//!
//! A constant column cannot be scaled (min-max and standard would divide by zero) and is an
//! error naming it.
//!
//! ```
//! use nnlab_data::{Dataset, ScaleKind, Scaler};
//! let d = Dataset::new(vec!["x1".into()], "y".into(), vec![2.0, 5.0, 11.0],
//!                      vec![10.0, 20.0, 30.0], "by hand".into()).unwrap();
//! let scaler = Scaler::fit(&d, ScaleKind::MinMax).unwrap();
//! let s = scaler.transform(&d).unwrap();
//! assert_eq!(s.x, vec![0.0, (5.0 - 2.0) / (11.0 - 2.0), 1.0]);
//! assert_eq!(s.y, vec![0.0, 0.5, 1.0]);
//! assert_eq!(scaler.inverse_target(0.5), 20.0);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{DataError, Dataset};

/// Which scaling to apply to every column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScaleKind {
    /// `(x - min) / (max - min)`.
    #[default]
    MinMax,
    /// `(x - mean) / sd`, population sd.
    Standard,
    /// Unchanged.
    None,
}

impl fmt::Display for ScaleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ScaleKind::MinMax => "minmax",
            ScaleKind::Standard => "standard",
            ScaleKind::None => "none",
        })
    }
}

impl FromStr for ScaleKind {
    type Err = DataError;
    fn from_str(s: &str) -> Result<ScaleKind, DataError> {
        match s.trim() {
            "minmax" => Ok(ScaleKind::MinMax),
            "standard" => Ok(ScaleKind::Standard),
            "none" => Ok(ScaleKind::None),
            _ => Err(DataError::UnknownScaleKind { name: s.into() }),
        }
    }
}

/// The statistics of one column, enough for every [`ScaleKind`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnStats {
    pub name: String,
    pub min: f64,
    pub max: f64,
    /// `Σ x / n`.
    pub mean: f64,
    /// Population standard deviation `sqrt(Σ (x - mean)^2 / n)`.
    pub sd: f64,
}

impl ColumnStats {
    /// The statistics of `values` (at least one, all finite). The values are read where
    /// they are (an iterator, not a copied column); each sum runs top to bottom.
    fn of(name: &str, values: impl Iterator<Item = f64> + Clone) -> ColumnStats {
        let n = values.clone().count() as f64;
        let mean = values.clone().sum::<f64>() / n;
        let var = values.clone().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
        ColumnStats {
            name: name.to_string(),
            min: values.clone().fold(f64::INFINITY, f64::min),
            max: values.fold(f64::NEG_INFINITY, f64::max),
            mean,
            sd: var.sqrt(),
        }
    }

    /// Refuses statistics that would divide by zero (or are not numbers) under `kind`.
    fn check(&self, kind: ScaleKind) -> Result<(), DataError> {
        let invalid = |reason: String| DataError::InvalidScaler {
            column: self.name.clone(),
            reason,
        };
        let stats = [self.min, self.max, self.mean, self.sd];
        if stats.iter().any(|v| !v.is_finite()) {
            return Err(invalid(format!(
                "statistics must be finite, found {stats:?}"
            )));
        }
        if self.min > self.max || self.sd < 0.0 {
            return Err(invalid(format!(
                "min {} above max {} or negative sd {}",
                self.min, self.max, self.sd
            )));
        }
        let scaling = match kind {
            ScaleKind::MinMax => "min-max",
            ScaleKind::Standard => "standard",
            ScaleKind::None => return Ok(()),
        };
        if self.min == self.max {
            return Err(DataError::ConstantColumn {
                column: self.name.clone(),
                value: self.min,
                scaling,
            });
        }
        if kind == ScaleKind::Standard && self.sd == 0.0 {
            return Err(DataError::ZeroStandardDeviation {
                column: self.name.clone(),
            });
        }
        Ok(())
    }

    /// `x'` from `x` (see the module docs for each formula).
    pub fn scale(&self, kind: ScaleKind, x: f64) -> f64 {
        match kind {
            ScaleKind::MinMax => (x - self.min) / (self.max - self.min),
            ScaleKind::Standard => (x - self.mean) / self.sd,
            ScaleKind::None => x,
        }
    }

    /// `x` from `x'`: the inverse of [`ColumnStats::scale`].
    pub fn unscale(&self, kind: ScaleKind, scaled: f64) -> f64 {
        match kind {
            ScaleKind::MinMax => scaled * (self.max - self.min) + self.min,
            ScaleKind::Standard => scaled * self.sd + self.mean,
            ScaleKind::None => scaled,
        }
    }
}

/// A fitted scaler: one [`ColumnStats`] per input and one for the target. Serializes to JSON
/// (for `params.json`); deserializing checks the statistics again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawScaler")]
pub struct Scaler {
    pub kind: ScaleKind,
    pub inputs: Vec<ColumnStats>,
    pub target: ColumnStats,
}

/// A scaler as read from a file, before its check.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScaler {
    kind: ScaleKind,
    inputs: Vec<ColumnStats>,
    target: ColumnStats,
}

impl TryFrom<RawScaler> for Scaler {
    type Error = DataError;
    fn try_from(raw: RawScaler) -> Result<Scaler, DataError> {
        for column in raw.inputs.iter().chain([&raw.target]) {
            column.check(raw.kind)?;
        }
        Ok(Scaler {
            kind: raw.kind,
            inputs: raw.inputs,
            target: raw.target,
        })
    }
}

impl Scaler {
    /// Fits every input column and the target of `data` (at least one row, finite values).
    pub fn fit(data: &Dataset, kind: ScaleKind) -> Result<Scaler, DataError> {
        if data.n_rows() == 0 {
            return Err(DataError::NoRows {
                action: "fit a scaler",
            });
        }
        data.check_finite()?;
        let inputs: Vec<ColumnStats> = (0..data.n_inputs())
            .map(|j| ColumnStats::of(&data.input_names[j], data.input_values(j)))
            .collect();
        let target = ColumnStats::of(&data.target_name, data.y.iter().copied());
        RawScaler {
            kind,
            inputs,
            target,
        }
        .try_into()
    }

    /// `data` with every input and target scaled. Its columns must be the fitted ones.
    pub fn transform(&self, data: &Dataset) -> Result<Dataset, DataError> {
        self.check_columns(data)?;
        let mut scaled = data.clone();
        self.transform_in_place(&mut scaled)?;
        Ok(scaled)
    }

    /// [`Scaler::transform`] over the values where they are, for data whose original units
    /// are not needed any more: the same numbers, without a second table.
    pub fn transform_in_place(&self, data: &mut Dataset) -> Result<(), DataError> {
        self.check_columns(data)?;
        let n = self.inputs.len();
        for (k, v) in data.x.iter_mut().enumerate() {
            *v = self.inputs[k % n].scale(self.kind, *v);
        }
        for v in &mut data.y {
            *v = self.scale_target(*v);
        }
        Ok(())
    }

    fn check_columns(&self, data: &Dataset) -> Result<(), DataError> {
        let fitted: Vec<&str> = self.inputs.iter().map(|c| c.name.as_str()).collect();
        if fitted != data.input_names || self.target.name != data.target_name {
            let show =
                |inputs: &[&str], target: &str| format!("{}; target {target}", inputs.join(", "));
            let given: Vec<&str> = data.input_names.iter().map(String::as_str).collect();
            return Err(DataError::ColumnsMismatch {
                expected: show(&fitted, &self.target.name),
                found: show(&given, &data.target_name),
            });
        }
        Ok(())
    }

    pub fn scale_target(&self, y: f64) -> f64 {
        self.target.scale(self.kind, y)
    }

    /// A target in original units from a scaled one (e.g. a prediction `y_hat`).
    pub fn inverse_target(&self, scaled: f64) -> f64 {
        self.target.unscale(self.kind, scaled)
    }

    /// Input `column` scaled.
    pub fn scale_input(&self, column: usize, x: f64) -> Result<f64, DataError> {
        Ok(self.input(column)?.scale(self.kind, x))
    }

    /// Input `column` in original units from a scaled value.
    pub fn inverse_input(&self, column: usize, scaled: f64) -> Result<f64, DataError> {
        Ok(self.input(column)?.unscale(self.kind, scaled))
    }

    fn input(&self, column: usize) -> Result<&ColumnStats, DataError> {
        self.inputs.get(column).ok_or(DataError::NoSuchInput {
            column,
            count: self.inputs.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(x1: &[f64], x2: &[f64], y: &[f64]) -> Dataset {
        let x = x1.iter().zip(x2).flat_map(|(&a, &b)| [a, b]).collect();
        Dataset::new(
            vec!["x1".into(), "x2".into()],
            "y".into(),
            x,
            y.to_vec(),
            "test".into(),
        )
        .unwrap()
    }

    // min 2, max 11 for x1; every value must equal the course's expression bit for bit.
    #[test]
    fn minmax_is_bit_exact_against_the_course_formula() {
        let x1 = [5.0, 2.0, 7.3, 11.0];
        let d = data(&x1, &[0.1, 0.2, 0.3, 0.7], &[1.0, 4.0, 2.0, 3.0]);
        let s = Scaler::fit(&d, ScaleKind::MinMax).unwrap();
        assert_eq!((s.inputs[0].min, s.inputs[0].max), (2.0, 11.0));
        let t = s.transform(&d).unwrap();
        for (i, &v) in x1.iter().enumerate() {
            assert_eq!(t.row(i)[0].to_bits(), ((v - 2.0) / (11.0 - 2.0)).to_bits());
        }
        // By hand: (5 - 2) / 9 = 1/3, (7.3 - 2) / 9 = 0.58888...
        assert_eq!(
            t.input_column(0),
            vec![0.3333333333333333, 0.0, 0.5888888888888889, 1.0]
        );
        // x2: min 0.1, max 0.7; target: min 1, max 4 -> (y - 1) / 3.
        assert_eq!(t.row(1)[1], (0.2 - 0.1) / (0.7 - 0.1));
        assert_eq!(t.y, vec![0.0, 1.0, 1.0 / 3.0, 2.0 / 3.0]);
    }

    // [1, 2, 3, 4]: mean 2.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25,
    // sd = sqrt(1.25) = 1.118033988749895. Scaled values as scikit-learn's StandardScaler gives
    // them (checked with Python: [(x - 2.5) / math.sqrt(1.25) for x in [1, 2, 3, 4]]).
    #[test]
    fn standard_uses_the_population_standard_deviation() {
        let d = data(
            &[1.0, 2.0, 3.0, 4.0],
            &[0.0, 0.0, 0.0, 1.0],
            &[1.0, 2.0, 3.0, 4.0],
        );
        let s = Scaler::fit(&d, ScaleKind::Standard).unwrap();
        assert_eq!((s.inputs[0].mean, s.inputs[0].sd), (2.5, 1.118033988749895));
        let t = s.transform(&d).unwrap();
        let expected = [
            -1.3416407864998738,
            -0.4472135954999579,
            0.4472135954999579,
            1.3416407864998738,
        ];
        for (got, want) in t.input_column(0).iter().zip(expected) {
            assert!((got - want).abs() < 1e-15, "{got} vs {want}");
        }
        // x2 = [0, 0, 0, 1]: mean 1/4, variance 3/16, sd sqrt(3)/4; the 1 becomes
        // (3/4) / (sqrt(3)/4) = sqrt(3).
        assert!((t.row(3)[1] - 3f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn inverse_transforms_recover_the_original_values() {
        let d = data(
            &[-3.0, 0.5, 8.0],
            &[100.0, 250.0, 175.5],
            &[16884.924, 1725.5523, 4449.462],
        );
        for kind in [ScaleKind::MinMax, ScaleKind::Standard, ScaleKind::None] {
            let s = Scaler::fit(&d, kind).unwrap();
            let t = s.transform(&d).unwrap();
            for i in 0..3 {
                assert!((s.inverse_target(t.y[i]) - d.y[i]).abs() < 1e-9 * d.y[i].abs());
                for j in 0..2 {
                    let back = s.inverse_input(j, t.row(i)[j]).unwrap();
                    assert!((back - d.row(i)[j]).abs() < 1e-12 * (1.0 + d.row(i)[j].abs()));
                    assert_eq!(s.scale_input(j, d.row(i)[j]).unwrap(), t.row(i)[j]);
                }
            }
        }
        let s = Scaler::fit(&d, ScaleKind::None).unwrap();
        assert_eq!(s.transform(&d).unwrap(), d);
    }

    #[test]
    fn a_constant_column_is_an_error_not_a_division_by_zero() {
        let d = data(&[3.0, 3.0], &[1.0, 2.0], &[1.0, 2.0]);
        let e = Scaler::fit(&d, ScaleKind::MinMax).unwrap_err();
        assert_eq!(
            e.to_string(),
            "column 'x1' is constant (every value is 3): min-max scaling would divide by zero"
        );
        let e = Scaler::fit(&d, ScaleKind::Standard).unwrap_err();
        assert!(e
            .to_string()
            .contains("standard scaling would divide by zero"));
        // Unscaled data may be constant.
        assert!(Scaler::fit(&d, ScaleKind::None).is_ok());
        let one_row = data(&[1.0], &[2.0], &[3.0]);
        assert!(Scaler::fit(&one_row, ScaleKind::MinMax).is_err());
        assert!(matches!(
            Scaler::fit(&d.subset(&[]), ScaleKind::MinMax),
            Err(DataError::NoRows { .. })
        ));
    }

    #[test]
    fn transform_and_inverse_refuse_other_columns() {
        let d = data(&[1.0, 2.0], &[1.0, 2.0], &[1.0, 2.0]);
        let s = Scaler::fit(&d, ScaleKind::MinMax).unwrap();
        let mut other = d.clone();
        other.input_names[1] = "bmi".into();
        assert_eq!(
            s.transform(&other).unwrap_err().to_string(),
            "the scaler was fitted on columns [x1, x2; target y] but the data has columns [x1, bmi; target y]"
        );
        assert!(matches!(
            s.inverse_input(2, 0.5),
            Err(DataError::NoSuchInput {
                column: 2,
                count: 2
            })
        ));
    }

    #[test]
    fn serde_round_trips_and_rechecks() {
        let d = data(&[1.0, 2.0], &[1.0, 4.0], &[1.0, 2.0]);
        let s = Scaler::fit(&d, ScaleKind::Standard).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.starts_with(r#"{"kind":"standard","inputs":[{"name":"x1","min":1.0,"max":2.0,"mean":1.5,"sd":0.5}"#), "{json}");
        assert_eq!(serde_json::from_str::<Scaler>(&json).unwrap(), s);
        let constant = json.replace(r#""min":1.0,"max":2.0"#, r#""min":2.0,"max":2.0"#);
        let e = serde_json::from_str::<Scaler>(&constant)
            .unwrap_err()
            .to_string();
        assert!(e.contains("column 'x1' is constant"), "{e}");
    }

    #[test]
    fn kind_names_round_trip() {
        for k in [ScaleKind::MinMax, ScaleKind::Standard, ScaleKind::None] {
            assert_eq!(k.to_string().parse::<ScaleKind>().unwrap(), k);
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
        }
        assert_eq!(ScaleKind::default(), ScaleKind::MinMax);
        assert!("zscore".parse::<ScaleKind>().is_err());
    }
}
