//! The fitted [`Scaler`]: fitting, transforming and inverting a data set, and its serde
//! form (checked again when read).

use serde::{Deserialize, Serialize};

use super::{ColumnStats, ScaleKind};
use crate::{DataError, Dataset};

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
    /// A class target (0/1 or one-hot, [`Dataset::classes`]) is never scaled: its statistics
    /// are [`ColumnStats`] under which every scaling is the identity.
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
        let target = match data.classes() {
            Some(_) => ColumnStats::identity(&data.target_name),
            None => ColumnStats::of(&data.target_name, data.y.iter().copied()),
        };
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
    // Inputs [0, 2, 4] min-max scale to [0, 0.5, 1]; the one-hot class rows stay 0/1 under
    // every scaling (their statistics are the identity's), and invert to themselves.
    #[test]
    fn class_targets_are_never_scaled() {
        let three = data(&[0.0, 2.0, 4.0], &[1.0, 1.0, 3.0], &[2.0, 0.0, 1.0]);
        let classes = three.into_classes().unwrap();
        for kind in [ScaleKind::MinMax, ScaleKind::Standard, ScaleKind::None] {
            let s = Scaler::fit(&classes, kind).unwrap();
            let t = s.transform(&classes).unwrap();
            assert_eq!(t.y, classes.y, "{kind}");
            assert_eq!(s.inverse_target(1.0), 1.0);
        }
        let t = Scaler::fit(&classes, ScaleKind::MinMax)
            .unwrap()
            .transform(&classes);
        assert_eq!(t.unwrap().input_column(0), vec![0.0, 0.5, 1.0]);
    }

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
            "column 'x1' is constant (every value is 3): min-max scaling would divide by zero; leave it out of the inputs or turn scaling off (--scale none)"
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
}
