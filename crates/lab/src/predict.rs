//! Predictions for new rows from a finished run, in the target's original units: each
//! input scaled with the run's fitted scaler (`(x - min) / (max - min)` for min-max), the
//! final network's forward pass, the output scaled back. What `Run.predict` in Python
//! shows, the same numbers `predictions.csv` holds for the run's own rows.
//!
//! ```no_run
//! use nnlab_lab::{run, Experiment};
//! let result = run(&Experiment::default(), &mut |_| {}).unwrap();
//! let y = result.predict(&[vec![2.0, 3.0]]).unwrap();
//! assert_eq!(y.len(), 1);
//! ```

use std::path::Path;

use serde::Deserialize;

use nnlab_core::Network;
use nnlab_data::Scaler;

use crate::result::RunResult;
use crate::LabError;

/// What predicting needs of a finished run: its final network and the scaler fitted on its
/// training rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Predictor {
    pub network: Network,
    pub scaler: Scaler,
}

/// The part of `params.json` a prediction reads.
#[derive(Deserialize)]
struct ParamsFile {
    final_network: Network,
    scaler: Scaler,
}

impl Predictor {
    /// The predictor of the run whose `--out DIR` this is (its `params.json`: the final
    /// network and the fitted scaler).
    pub fn from_dir(dir: &Path) -> Result<Predictor, LabError> {
        let path = dir.join("params.json");
        let text = std::fs::read_to_string(&path).map_err(|source| LabError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let p: ParamsFile = serde_json::from_str(&text).map_err(|e| LabError::Config {
            key: path.display().to_string(),
            message: format!("not the params.json of a run: {e}"),
        })?;
        Ok(Predictor {
            network: p.final_network,
            scaler: p.scaler,
        })
    }

    /// See [`predict`].
    pub fn predict(&self, rows: &[Vec<f64>]) -> Result<Vec<f64>, LabError> {
        predict(&self.network, &self.scaler, rows)
    }

    /// The input columns, in the order a row gives them.
    pub fn inputs(&self) -> Vec<&str> {
        self.scaler.inputs.iter().map(|c| c.name.as_str()).collect()
    }
}

impl RunResult {
    /// The final network's prediction for each row of `rows`, in original units
    /// ([`predict`] with the run's network and scaler).
    pub fn predict(&self, rows: &[Vec<f64>]) -> Result<Vec<f64>, LabError> {
        predict(&self.final_network, &self.scaler, rows)
    }
}

/// `net`'s prediction for each row of `rows` (inputs in original units, in the order of the
/// scaler's input columns, text columns as encoded), in original units. An error names the
/// row whose width is wrong.
pub fn predict(net: &Network, scaler: &Scaler, rows: &[Vec<f64>]) -> Result<Vec<f64>, LabError> {
    let mut scaled = vec![0.0; net.n_inputs()];
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            if row.len() != net.n_inputs() {
                let names: Vec<&str> = scaler.inputs.iter().map(|c| c.name.as_str()).collect();
                return Err(LabError::Config {
                    key: "row".into(),
                    message: format!(
                        "row {} has {} values but the network takes {} ({})",
                        i + 1,
                        row.len(),
                        net.n_inputs(),
                        names.join(", ")
                    ),
                });
            }
            for (c, (s, x)) in scaled.iter_mut().zip(row).enumerate() {
                *s = scaler.scale_input(c, *x)?;
            }
            let y = net.predict(&scaled)?;
            Ok(scaler.inverse_target(y[0]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::{run, Experiment};

    /// The run's own training rows predict exactly what its `predictions` hold (the same
    /// scaler, network and order of operations), and a row of the wrong width is an error
    /// naming it.
    #[test]
    fn predicts_the_runs_own_rows_to_the_bit() {
        let mut exp = Experiment::default();
        exp.set("epochs", "20").unwrap();
        exp.set("test_fraction", "0.2").unwrap();
        let result = run(&exp, &mut |_| {}).unwrap();
        let rows: Vec<Vec<f64>> = result
            .predictions
            .iter()
            .map(|p| p.inputs.clone())
            .collect();
        let expected: Vec<f64> = result.predictions.iter().map(|p| p.prediction).collect();
        assert_eq!(result.predict(&rows).unwrap(), expected);
        let err = result.predict(&[vec![1.0, 2.0], vec![1.0]]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "row: row 2 has 1 values but the network takes 2 (x1, x2)"
        );
    }

    /// A run directory's params.json predicts as the run itself.
    #[test]
    fn a_run_directory_predicts_as_its_run() {
        let mut exp = Experiment::default();
        exp.set("epochs", "5").unwrap();
        let result = run(&exp, &mut |_| {}).unwrap();
        let dir = tempfile::tempdir().unwrap();
        crate::output::write_outputs(dir.path(), &result, Default::default()).unwrap();
        let p = super::Predictor::from_dir(dir.path()).unwrap();
        let rows = vec![vec![2.0, 3.0], vec![4.0, 9.0]];
        assert_eq!(p.predict(&rows).unwrap(), result.predict(&rows).unwrap());
        assert_eq!(p.inputs(), ["x1", "x2"]);
        let missing = super::Predictor::from_dir(&dir.path().join("nope")).unwrap_err();
        assert!(
            missing.to_string().contains("nope/params.json"),
            "{missing}"
        );
    }
}
