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

use nnlab_core::{NamedValues, Network};
use nnlab_data::Scaler;

use crate::result::RunResult;
use crate::{evaluate, load, samples, Experiment, LabError, Prepared};

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

    /// The predictor of a recorded run (`nnlab predict ID`, a run store's row): its final
    /// parameters `final_params` (by name, as stored) in the network its configuration
    /// `config_toml` builds, and the scaler fitted again on the training rows that
    /// configuration loads and splits, exactly as the run did. The store keeps no scaler;
    /// refitting gives the same one as long as the data are the same, so the final network's
    /// training metrics on the refitted rows are checked against the `metrics` the run
    /// recorded (JSON of [`crate::result::MetricsBySet`]) to the bit: a data file changed
    /// since is an error, not a silently wrong scale. `what` names the run in errors (`run
    /// 12`).
    pub fn from_recorded(
        what: &str,
        config_toml: &str,
        final_params: &str,
        metrics: &serde_json::Value,
    ) -> Result<Predictor, LabError> {
        let exp = Experiment::from_toml_str(config_toml)?;
        let corrupt = |message: String| LabError::Config {
            key: what.to_string(),
            message,
        };
        let params: NamedValues = serde_json::from_str(final_params)
            .map_err(|e| corrupt(format!("its final parameters do not read back: {e}")))?;
        let mut network = exp.initial_network()?;
        for (name, id) in network.named_param_ids() {
            let value = params
                .get(&name)
                .ok_or_else(|| corrupt(format!("no final value of {name} is stored")))?;
            network.set(id, value);
        }
        let prepared = Prepared::from_loaded(&exp, load(&exp, None)?, false)?;
        let train = evaluate(
            &network,
            &prepared.train,
            &samples(&prepared.train),
            &prepared.scaler,
            false,
        )
        .0;
        let recorded = |unit: &[&str]| {
            unit.iter()
                .try_fold(&metrics["train"], |v, k| v.get(k))
                .and_then(serde_json::Value::as_f64)
        };
        let now = [train.scaled.mse, train.original.mse];
        let then = [recorded(&["mse"]), recorded(&["original", "mse"])];
        let same = now
            .iter()
            .zip(&then)
            .all(|(n, t)| t.map_or(!n.is_finite(), |t| t.to_bits() == n.to_bits()));
        if !same {
            return Err(corrupt(format!(
                "its data ({}) are not the rows it was trained on: the final network's training \
                 MSE on them is {:?} where the run recorded {}; predict from the run's folder \
                 (`nnlab train --out DIR`) or restore the data",
                exp.data.source,
                now[1],
                then[1].map_or("none".to_string(), |v| format!("{v:?}"))
            )));
        }
        Ok(Predictor {
            network,
            scaler: prepared.scaler,
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

    /// What the store keeps of a run (its configuration as TOML, final parameters by name,
    /// metrics as JSON) predicts as the run itself; the same record over a data file that
    /// changed since is refused, naming the file, instead of predicting with a refitted,
    /// different scaler.
    #[test]
    fn a_recorded_run_predicts_as_its_run_until_its_data_change() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("d.csv");
        let table = "x1,x2,y\n1,2,3\n2,1,5\n3,3,12\n4,0,16\n0,4,4\n";
        std::fs::write(&csv, table).unwrap();
        let mut exp = Experiment::default();
        exp.set("data", csv.to_str().unwrap()).unwrap();
        exp.set("inputs", "x1,x2").unwrap();
        exp.set("target", "y").unwrap();
        exp.set("epochs", "30").unwrap();
        // Every row trains, so every row's change reaches the scaler.
        exp.set("test_fraction", "0").unwrap();
        let result = run(&exp, &mut |_| {}).unwrap();
        let toml = result.config.to_toml().unwrap();
        let params =
            serde_json::to_string(&nnlab_core::NamedValues::of(&result.final_network)).unwrap();
        let metrics = serde_json::to_value(&result.metrics).unwrap();
        let p = super::Predictor::from_recorded("run 7", &toml, &params, &metrics).unwrap();
        let rows = vec![vec![2.0, 3.0], vec![5.0, -1.0]];
        assert_eq!(p.predict(&rows).unwrap(), result.predict(&rows).unwrap());
        assert_eq!(p.scaler, result.scaler);
        // One target changed (16 -> 17): the refitted scaler would differ.
        std::fs::write(&csv, table.replace("4,0,16", "4,0,17")).unwrap();
        let err = super::Predictor::from_recorded("run 7", &toml, &params, &metrics).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("run 7: its data (")
                && text.contains("d.csv) are not the rows it was trained on"),
            "{text}"
        );
    }
}
