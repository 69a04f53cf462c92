//! One experiment in, one [`RunResult`] out: load the data, split, scale, build the network,
//! train, predict, measure and diagnose.
//!
//! ```no_run
//! use nnlab_lab::{run, Experiment};
//! let result = run(&Experiment::default(), &mut |_| {}).unwrap();
//! println!("final loss {}", result.epoch_loss.last().unwrap());
//! ```

use nnlab_core::{NamedValues, Network, Trace};
use nnlab_data::{split_owned, DataSource, Dataset, LoadReport, Scaler};
use nnlab_train::{compute, compute_by, predict_all, train, Event, Samples, TrainStatus};

use crate::config::Experiment;
use crate::diagnostics::{diagnose, Evidence};
use crate::result::{DataSummary, MetricsBySet, Prediction, RunOptions, RunResult, SetMetrics};
use crate::LabError;

/// The rows of a run after loading, before scaling.
pub struct LoadedData {
    pub all: Dataset,
    pub report: LoadReport,
}

/// The experiment's data source with the configuration's columns and generator filled in.
pub fn data_source(exp: &Experiment) -> Result<DataSource, LabError> {
    let exp = exp.resolved();
    let source = match exp.data.source.trim() {
        "" => DataSource::default(),
        text => text.parse::<DataSource>()?,
    };
    Ok(match source {
        DataSource::Generate(_) => DataSource::Generate(exp.data.generator.clone()),
        DataSource::Csv { path, .. } => {
            if exp.data.target.is_empty() || exp.data.inputs.is_empty() {
                return Err(LabError::Config {
                    key: "data".into(),
                    message: format!(
                        "a CSV needs its columns: give --inputs COL,COL and --target COL for {}",
                        path.display()
                    ),
                });
            }
            DataSource::Csv {
                path,
                inputs: exp.data.inputs.clone(),
                target: exp.data.target.clone(),
                skip_bad_rows: exp.data.skip_bad_rows,
            }
        }
        builtin => builtin,
    })
}

/// Loads the experiment's data (generated with the data seed, a CSV, or a bundled table).
pub fn load_data(exp: &Experiment) -> Result<LoadedData, LabError> {
    let (all, report) = data_source(exp)?.load()?;
    Ok(LoadedData { all, report })
}

/// A data set's rows as training samples (one target per row).
pub fn samples(d: &Dataset) -> Samples<'_> {
    Samples {
        x: &d.x,
        y: &d.y,
        n_inputs: d.n_inputs(),
        n_outputs: 1,
    }
}

/// Runs the experiment, streaming training events to `on_event`.
pub fn run(exp: &Experiment, on_event: &mut dyn FnMut(&Event)) -> Result<RunResult, LabError> {
    RunOptions::default().run(exp, on_event)
}

/// Runs the experiment on data already loaded (sweeps reuse one load for many runs).
pub fn run_on(
    exp: &Experiment,
    loaded: LoadedData,
    on_event: &mut dyn FnMut(&Event),
) -> Result<RunResult, LabError> {
    RunOptions::default().run_on(exp, loaded, on_event)
}

impl RunOptions {
    /// [`run`] keeping what these options say.
    pub fn run(
        &self,
        exp: &Experiment,
        on_event: &mut dyn FnMut(&Event),
    ) -> Result<RunResult, LabError> {
        let exp = exp.resolved();
        exp.validate()?;
        let loaded = load_data(&exp)?;
        self.run_on(&exp, loaded, on_event)
    }

    /// [`run_on`] keeping what these options say.
    pub fn run_on(
        &self,
        exp: &Experiment,
        loaded: LoadedData,
        on_event: &mut dyn FnMut(&Event),
    ) -> Result<RunResult, LabError> {
        run_inner(exp, loaded, *self, on_event)
    }
}

/// A set in scaled units, with the same rows in original units when the predictions need
/// them: the one copy a run makes of its data (the scaled values train, the original ones
/// are printed). Without predictions the rows are scaled where they are.
fn scaled(
    scaler: &Scaler,
    raw: Dataset,
    keep_raw: bool,
) -> Result<(Dataset, Option<Dataset>), LabError> {
    if keep_raw {
        Ok((scaler.transform(&raw)?, Some(raw)))
    } else {
        let mut set = raw;
        scaler.transform_in_place(&mut set)?;
        Ok((set, None))
    }
}

fn run_inner(
    exp: &Experiment,
    loaded: LoadedData,
    options: RunOptions,
    on_event: &mut dyn FnMut(&Event),
) -> Result<RunResult, LabError> {
    let exp = exp.resolved();
    let (data_seed, _, _) = exp.seeds();
    let LoadedData { all, report } = loaded;
    let mut data_summary = DataSummary {
        rows: all.n_rows(),
        rows_skipped: report.rows_skipped,
        source: all.source.clone(),
        inputs: all.input_names.clone(),
        target: all.target_name.clone(),
        encoding: all.encoding.clone(),
        train_rows: 0,
        test_rows: 0,
    };
    // The loaded table becomes the training set: split, then scaled, where it is.
    let (train_raw, test_raw) = split_owned(all, exp.data.test_fraction, data_seed)?;
    let scaler = Scaler::fit(&train_raw, exp.data.scale)?;
    let (train_set, train_raw) = scaled(&scaler, train_raw, options.predictions)?;
    let (test_set, test_raw) = match test_raw {
        Some(t) => {
            let (set, raw) = scaled(&scaler, t, options.predictions)?;
            (Some(set), raw)
        }
        None => (None, None),
    };
    let mut net = exp.initial_network()?;
    if net.n_inputs() != train_set.n_inputs() {
        return Err(LabError::Config {
            key: "arch".into(),
            message: format!(
                "the network '{}' takes {} inputs but the data has {} ({})",
                exp.model.arch,
                net.n_inputs(),
                train_set.n_inputs(),
                train_set.input_names.join(", ")
            ),
        });
    }
    let initial_network = net.clone();
    let train_samples = samples(&train_set);
    let test_samples = test_set.as_ref().map(samples);
    let mut snapshots: Vec<Vec<f64>> = Vec::new();
    let outcome = train(
        &mut net,
        &train_samples,
        test_samples.as_ref(),
        &exp.train,
        &mut |event| {
            if let Event::Params { params, .. } = event {
                snapshots.push(params.clone());
            }
            on_event(event);
        },
    )?;
    let final_network = outcome.final_net.clone();

    let set_metrics =
        |set: &Dataset, s: &Samples, keep: bool| evaluate(&final_network, set, s, &scaler, keep);
    let (train_metrics, train_pred) = set_metrics(&train_set, &train_samples, train_raw.is_some());
    let mut predictions = Vec::new();
    if let Some(raw) = &train_raw {
        predictions = prediction_rows("train", raw, &train_pred);
    }
    drop(train_pred);
    let test_metrics = match (&test_set, &test_samples) {
        (Some(set), Some(s)) => {
            let (m, p) = set_metrics(set, s, test_raw.is_some());
            if let Some(raw) = &test_raw {
                predictions.extend(prediction_rows("test", raw, &p));
            }
            Some(m)
        }
        _ => None,
    };

    let diagnostics = diagnose(&Evidence {
        initial: &initial_network,
        final_net: &final_network,
        history: &outcome.history,
        status: &outcome.status,
        train_x: &train_set.x,
        snapshots: &snapshots,
        frozen: &exp.train.freeze,
    });

    let epoch_loss: Vec<f64> = outcome.history.iter().map(|r| r.train_loss).collect();
    let test_loss = test_set.as_ref().map(|_| {
        outcome
            .history
            .iter()
            .map(|r| r.test_loss.unwrap_or(f64::NAN))
            .collect()
    });
    data_summary.train_rows = train_set.n_rows();
    data_summary.test_rows = test_set.as_ref().map_or(0, Dataset::n_rows);
    Ok(RunResult {
        data: data_summary,
        status: outcome.status.clone(),
        epochs_run: outcome.history.len(),
        epoch_loss,
        test_loss,
        history: outcome.history.clone(),
        initial: NamedValues::of(&initial_network),
        final_params: NamedValues::of(&final_network),
        initial_network,
        final_network,
        metrics: MetricsBySet {
            train: train_metrics,
            test: test_metrics,
        },
        diagnostics,
        scaler,
        predictions,
        sample_steps: outcome.sample_steps,
        config: exp,
    })
}

/// The metrics of `net` on the scaled `set` (`s` is its sample view), in scaled and
/// original units, and with `keep` the per-row predictions in original units.
///
/// With `keep` the predictions are computed once and turned into original units in place;
/// without, each metric pass runs the network row by row, so a run on a large file holds no
/// prediction or original-unit column at all. The sums run in the same order either way, so
/// the metrics are the same bits.
pub fn evaluate(
    net: &Network,
    set: &Dataset,
    s: &Samples,
    scaler: &Scaler,
    keep: bool,
) -> (SetMetrics, Vec<f64>) {
    let inv = |v: f64| scaler.inverse_target(v);
    if keep || net.n_outputs() != 1 {
        let mut pred = predict_all(net, s);
        let scaled = compute(&pred, &set.y);
        for p in &mut pred {
            *p = inv(*p);
        }
        let n = pred.len().min(set.y.len());
        let original = compute_by(n, |i| (pred[i], inv(set.y[i])), |i| inv(set.y[i]));
        return (SetMetrics { scaled, original }, pred);
    }
    // `predict_all` gives no predictions for a set of the wrong width; so does this.
    let n = if s.n_inputs == net.n_inputs() {
        s.n_rows().min(set.y.len())
    } else {
        0
    };
    let mut trace = Trace::new(net);
    let mut predict = |i: usize| {
        net.forward_into(s.x_row(i), &mut trace);
        trace.output()[0]
    };
    let scaled = compute_by(n, |i| (predict(i), set.y[i]), |i| set.y[i]);
    let original = compute_by(n, |i| (inv(predict(i)), inv(set.y[i])), |i| inv(set.y[i]));
    (SetMetrics { scaled, original }, Vec::new())
}

/// One [`Prediction`] per row of `raw` (the set's rows in original units), named `set`.
pub fn prediction_rows(set: &str, raw: &Dataset, pred: &[f64]) -> Vec<Prediction> {
    (0..raw.n_rows())
        .map(|i| Prediction {
            set: set.to_string(),
            row: i + 1,
            inputs: raw.row(i).to_vec(),
            target: raw.y[i],
            prediction: pred[i],
        })
        .collect()
}

/// True when the run ended with a non-finite loss.
pub fn diverged(result: &RunResult) -> bool {
    matches!(result.status, TrainStatus::Diverged { .. })
}
