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

use crate::result::RunResult;
use crate::LabError;

impl RunResult {
    /// The final network's prediction for each row of `rows` (inputs in original units, in
    /// the order of [`crate::result::DataSummary::inputs`], text columns as encoded), in
    /// original units. An error names the row whose width is wrong.
    pub fn predict(&self, rows: &[Vec<f64>]) -> Result<Vec<f64>, LabError> {
        let net = &self.final_network;
        let mut scaled = vec![0.0; net.n_inputs()];
        rows.iter()
            .enumerate()
            .map(|(i, row)| {
                if row.len() != net.n_inputs() {
                    return Err(LabError::Config {
                        key: "rows".into(),
                        message: format!(
                            "row {} has {} values but the network takes {} ({})",
                            i + 1,
                            row.len(),
                            net.n_inputs(),
                            self.data.inputs.join(", ")
                        ),
                    });
                }
                for (c, (s, x)) in scaled.iter_mut().zip(row).enumerate() {
                    *s = self.scaler.scale_input(c, *x)?;
                }
                let y = net.predict(&scaled)?;
                Ok(self.scaler.inverse_target(y[0]))
            })
            .collect()
    }
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
            "rows: row 2 has 1 values but the network takes 2 (x1, x2)"
        );
    }
}
