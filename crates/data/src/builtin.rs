//! Built-in data sets, shipped inside the program.
//!
//! - `diabetes`: 442 diabetes patients (Efron, Hastie, Johnstone and Tibshirani, "Least Angle
//!   Regression", Annals of Statistics 2004), as bundled by smartcore (the same numbers as
//!   scikit-learn's `load_diabetes()`, stored as `f32`). Ten inputs `age, sex, bmi, bp, s1..s6`,
//!   already mean-centred and scaled (each column has sum of squares 1); target `progression`,
//!   a measure of disease progression one year after baseline (25 to 346).
//!
//! ```
//! let d = nnlab_data::builtin("diabetes").unwrap();
//! assert_eq!((d.n_rows(), d.n_inputs()), (442, 10));
//! assert_eq!(d.y[0], 151.0);
//! ```

use crate::{DataError, Dataset};

/// The names [`builtin`] accepts.
pub const BUILTIN_NAMES: &[&str] = &["diabetes"];

/// The input names of `diabetes`, in smartcore's column order.
pub const DIABETES_INPUTS: [&str; 10] = [
    "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6",
];

/// The built-in data set `name` (one of [`BUILTIN_NAMES`]).
pub fn builtin(name: &str) -> Result<Dataset, DataError> {
    match name {
        "diabetes" => diabetes(),
        _ => Err(DataError::UnknownBuiltin {
            name: name.to_string(),
            available: BUILTIN_NAMES.join(", "),
        }),
    }
}

fn diabetes() -> Result<Dataset, DataError> {
    let raw = smartcore::dataset::diabetes::load_dataset();
    let shape_error = |reason: String| DataError::Builtin {
        name: "diabetes".into(),
        reason,
    };
    // Guard against a changed smartcore rather than index out of bounds.
    if raw.num_features != DIABETES_INPUTS.len()
        || raw.data.len() != raw.num_samples * raw.num_features
        || raw.target.len() != raw.num_samples
    {
        return Err(shape_error(format!(
            "smartcore gave {} features, {} values and {} targets for {} samples",
            raw.num_features,
            raw.data.len(),
            raw.target.len(),
            raw.num_samples
        )));
    }
    Ok(Dataset {
        input_names: DIABETES_INPUTS.iter().map(|s| s.to_string()).collect(),
        target_name: "progression".into(),
        x: raw.data.iter().map(|&v| f64::from(v)).collect(),
        y: raw.target.iter().map(|&t| f64::from(t)).collect(),
        source: format!(
            "builtin:diabetes: {} patients (Efron et al. 2004, via smartcore), 10 standardized inputs, target progression",
            raw.num_samples
        ),
        encoding: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diabetes_has_442_rows_and_the_documented_names() {
        let d = builtin("diabetes").unwrap();
        assert_eq!(d.n_rows(), 442);
        assert_eq!(d.x.len(), 442 * 10);
        assert_eq!(d.input_names, DIABETES_INPUTS);
        assert_eq!(d.target_name, "progression");
        // Our names are smartcore's, lower-cased.
        let smartcore_names: Vec<String> = smartcore::dataset::diabetes::load_dataset()
            .feature_names
            .iter()
            .map(|n| n.to_lowercase())
            .collect();
        assert_eq!(smartcore_names, DIABETES_INPUTS);
    }

    // The first patient: target 151. Features exactly as smartcore stores them (f32 literals,
    // widened without change), and within 1e-8 of scikit-learn's printed `load_diabetes().data[0]`
    // (8 decimals, as quoted in scikit-learn examples and Azure ML docs): [0.03807591,
    // 0.05068012, 0.06169621, 0.02187235, -0.0442235, -0.03482076, -0.04340085, -0.00259226,
    // 0.01990842, -0.01764613]. (Recent scikit-learn releases print s5 as 0.01990749, recomputed
    // from the raw data; smartcore bundles the older values.)
    #[test]
    fn diabetes_first_row_matches_smartcore_and_scikit_learn() {
        let d = builtin("diabetes").unwrap();
        assert_eq!(d.y[0], 151.0);
        let smartcore_f32: [f32; 10] = [
            0.038075905,
            0.05068012,
            0.061696205,
            0.021872355,
            -0.0442235,
            -0.03482076,
            -0.043400846,
            -0.002592262,
            0.01990842,
            -0.017646125,
        ];
        let expected: Vec<f64> = smartcore_f32.iter().map(|&v| f64::from(v)).collect();
        assert_eq!(d.row(0), expected.as_slice());
        let sklearn = [
            0.03807591,
            0.05068012,
            0.06169621,
            0.02187235,
            -0.0442235,
            -0.03482076,
            -0.04340085,
            -0.00259226,
            0.01990842,
            -0.01764613,
        ];
        for (ours, theirs) in d.row(0).iter().zip(sklearn) {
            assert!((ours - theirs).abs() < 1e-8, "{ours} vs {theirs}");
        }
    }

    #[test]
    fn an_unknown_name_lists_the_available_ones() {
        let e = builtin("iris").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown built-in data set 'iris' (available: diabetes)"
        );
    }
}
