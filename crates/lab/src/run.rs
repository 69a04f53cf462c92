//! One experiment in, one [`RunResult`] out, in three stages: prepare the data
//! ([`Prepared`]: load, split, fit the scaler, scale), train ([`train_prepared`]), assemble
//! the result ([`assemble`]: predict, measure, diagnose). [`run`] and [`run_on`] are their
//! composition; the playground calls the stages itself (it trains step by step).
//!
//! ```no_run
//! use nnlab_lab::{run, Experiment};
//! let result = run(&Experiment::default(), &mut |_| {}).unwrap();
//! println!("final loss {}", result.epoch_loss().last().unwrap());
//! ```

use nnlab_core::{predicted_class, Network, Trace};
use nnlab_data::{Dataset, Scaler};
use nnlab_train::{
    classify, compute, compute_by, predict_all, train, EpochRecord, Event, Samples, TrainStatus,
};

use crate::config::{Experiment, LIMITS};
use crate::diagnostics::{diagnose, Depth, Evidence};
use crate::prepare::{load, CsvText, Prepared};
use crate::result::{ClassPrediction, MetricsBySet, Prediction, RunOptions, RunResult, SetMetrics};
use crate::start::check_start;
use crate::verdict::{judge, Accuracy, Judge, JudgedOn, Spread, Verdict};
use crate::LabError;

/// What the train stage gives the assemble stage: the networks before and after, the
/// history and how it ended, and the end-of-epoch parameters the diagnostics read.
#[derive(Debug, Clone, PartialEq)]
pub struct Trained {
    pub initial: Network,
    pub final_net: Network,
    pub history: Vec<EpochRecord>,
    pub status: TrainStatus,
    /// Samples whose forward and backward pass ran.
    pub sample_steps: u64,
    /// The parameters (flat) after each completed epoch, for the diagnostics' "since when":
    /// those of the first epochs within [`LIMITS`]`.max_snapshot_values`.
    pub snapshots: Vec<Vec<f64>>,
}

/// The sample view of a set (one output per target: one-hot classes have several).
pub fn samples(d: &Dataset) -> Samples<'_> {
    Samples {
        x: &d.x,
        y: &d.y,
        n_inputs: d.n_inputs(),
        n_outputs: d.n_targets(),
    }
}

/// Runs the experiment, streaming training events to `on_event`.
pub fn run(exp: &Experiment, on_event: &mut dyn FnMut(&Event)) -> Result<RunResult, LabError> {
    RunOptions::default().run(exp, on_event)
}

/// Runs the experiment on data already prepared (sweeps prepare each distinct data set once
/// for many runs): [`train_prepared`] then [`assemble`].
pub fn run_on(
    exp: &Experiment,
    prepared: &Prepared,
    on_event: &mut dyn FnMut(&Event),
) -> Result<RunResult, LabError> {
    let exp = exp.resolved();
    let trained = train_prepared(&exp, prepared, on_event)?;
    Ok(assemble(exp, prepared, trained))
}

impl RunOptions {
    /// [`run`] keeping what these options say: the three stages, [`Prepared`] →
    /// [`train_prepared`] → [`assemble`].
    pub fn run(
        &self,
        exp: &Experiment,
        on_event: &mut dyn FnMut(&Event),
    ) -> Result<RunResult, LabError> {
        self.run_with(exp, None, on_event)
    }

    /// [`RunOptions::run`] on the rows of `csv` when given (see [`load`]: CSV text the
    /// caller holds, such as a pandas DataFrame written as CSV), else on the experiment's
    /// own data source.
    pub fn run_with(
        &self,
        exp: &Experiment,
        csv: Option<CsvText>,
        on_event: &mut dyn FnMut(&Event),
    ) -> Result<RunResult, LabError> {
        let exp = exp.resolved();
        exp.validate()?;
        let prepared = Prepared::from_loaded(&exp, load(&exp, csv)?, self.predictions)?;
        run_on(&exp, &prepared, on_event)
    }
}

/// The train stage: builds the experiment's initial network and trains it on the prepared
/// rows (evaluating the test rows after each epoch), streaming events to `on_event`.
pub fn train_prepared(
    exp: &Experiment,
    prepared: &Prepared,
    on_event: &mut dyn FnMut(&Event),
) -> Result<Trained, LabError> {
    let train_set = &prepared.train;
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
    // A start that overflows is refused as what it is, not trained into a "divergence".
    let source = exp.data.source.to_string();
    check_start(
        exp,
        &net,
        &samples(train_set),
        "training row",
        ("data", &source),
    )?;
    let initial = net.clone();
    let test_samples = prepared.test.as_ref().map(samples);
    let mut snapshots: Vec<Vec<f64>> = Vec::new();
    // The first epochs' snapshots up to the budget, so memory is bounded for any number of
    // epochs; the diagnostics say less ("dead", not "dead since epoch e") past them.
    let keep = LIMITS.snapshot_epochs(net.n_params());
    let outcome = train(
        &mut net,
        &samples(train_set),
        test_samples.as_ref(),
        &exp.train,
        &mut |event| {
            if let Event::Params { params, .. } = event {
                if snapshots.len() < keep {
                    snapshots.push(params.clone());
                }
            }
            on_event(event);
        },
    )?;
    Ok(Trained {
        initial,
        final_net: outcome.final_net,
        history: outcome.history,
        status: outcome.status,
        sample_steps: outcome.sample_steps,
        snapshots,
    })
}

/// The assemble stage: the [`RunResult`] of `trained` on `prepared` under `exp` (the
/// resolved configuration, kept as given): metrics of the final network on both sets in
/// scaled and original units, the per-row predictions when `prepared` kept the rows in
/// original units, and the diagnostics.
pub fn assemble(exp: Experiment, prepared: &Prepared, trained: Trained) -> RunResult {
    let Trained {
        initial,
        final_net,
        history,
        status,
        sample_steps,
        snapshots,
    } = trained;
    let scaler = &prepared.scaler;
    let original = prepared.original.as_ref();
    let keep = original.is_some();
    let (train_metrics, train_pred) = evaluate(
        &final_net,
        &prepared.train,
        &samples(&prepared.train),
        scaler,
        keep,
    );
    let mut predictions = Vec::new();
    if let Some(o) = original {
        predictions = prediction_rows("train", &o.train, &train_pred);
    }
    drop(train_pred);
    let test_metrics = prepared.test.as_ref().map(|set| {
        let (m, p) = evaluate(&final_net, set, &samples(set), scaler, keep);
        if let Some(raw) = original.and_then(|o| o.test.as_ref()) {
            predictions.extend(prediction_rows("test", raw, &p));
        }
        m
    });
    let metrics = MetricsBySet {
        train: train_metrics,
        test: test_metrics,
    };
    let judged = prepared.test.as_ref().unwrap_or(&prepared.train);
    let spread = Spread::of(&predict_all(&final_net, &samples(judged)), &judged.y);
    let verdict = verdict_of(&status, &history, &metrics, spread, prepared.linear_r2);
    let diagnostics = diagnose(&Evidence {
        initial: &initial,
        final_net: &final_net,
        history: &history,
        status: &status,
        verdict: Some(&verdict),
        train: samples(&prepared.train),
        test: prepared.test.as_ref().map(samples),
        cfg: &exp.train,
        snapshots: &snapshots,
        depth: Depth::Full,
    });
    RunResult {
        data: prepared.summary.clone(),
        status,
        history,
        initial_network: initial,
        final_network: final_net,
        metrics,
        verdict,
        diagnostics,
        scaler: scaler.clone(),
        predictions,
        sample_steps,
        config: exp,
    }
}

/// The verdict of a run that ended with `status` after `history`, with `metrics` and the
/// `spread` of its predictions on the judged set (the test set when there is one) and the
/// straight line's R² there.
pub fn verdict_of(
    status: &TrainStatus,
    history: &[EpochRecord],
    metrics: &MetricsBySet,
    spread: Spread,
    linear_r2: Option<f64>,
) -> Verdict {
    let (judged_on, m) = match &metrics.test {
        Some(t) => (JudgedOn::Test, t),
        None => (JudgedOn::Train, &metrics.train),
    };
    let train_loss: Vec<f64> = history.iter().map(|r| r.train_loss).collect();
    judge(&Judge {
        status,
        train_loss: &train_loss,
        judged_on,
        r2: m.original.r2,
        spread,
        linear_r2,
        accuracy: m.classification.as_ref().map(|c| Accuracy {
            accuracy: c.accuracy,
            majority: c.majority,
        }),
    })
}

/// The verdict on `net` as it stands after `history` (a run in progress, such as a playground
/// session): its metrics on `prepared`'s sets and the spread of its predictions on the judged
/// set, then [`verdict_of`], as [`assemble`] judges a finished run.
pub fn verdict_for(
    prepared: &Prepared,
    net: &Network,
    status: &TrainStatus,
    history: &[EpochRecord],
) -> Verdict {
    let scaler = &prepared.scaler;
    let on = |set: &Dataset| evaluate(net, set, &samples(set), scaler, false).0;
    let metrics = MetricsBySet {
        train: on(&prepared.train),
        test: prepared.test.as_ref().map(on),
    };
    let judged = prepared.test.as_ref().unwrap_or(&prepared.train);
    let spread = Spread::of(&predict_all(net, &samples(judged)), &judged.y);
    verdict_of(status, history, &metrics, spread, prepared.linear_r2)
}

/// The metrics of `net` on the scaled `set` (`s` is its sample view), in scaled and
/// original units (and the classification metrics when the target is classes), and with
/// `keep` the per-row predictions in original units.
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
    // A class target: the outputs are probabilities, measured as such before unscaling.
    let classes = set.classes().is_some();
    if keep || classes || net.n_outputs() != 1 {
        let mut pred = predict_all(net, s);
        let classification = classes.then(|| classify(&pred, &set.y, net.n_outputs()));
        let scaled = compute(&pred, &set.y);
        for p in &mut pred {
            *p = inv(*p);
        }
        let n = pred.len().min(set.y.len());
        let original = compute_by(n, |i| (pred[i], inv(set.y[i])), |i| inv(set.y[i]));
        let m = SetMetrics {
            scaled,
            original,
            classification,
        };
        return (m, pred);
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
    let m = SetMetrics {
        scaled,
        original,
        classification: None,
    };
    (m, Vec::new())
}

/// One [`Prediction`] per row of `raw` (the set's rows in original units), named `set`;
/// `pred` is the network's outputs for those rows, row-major (one per row, or one per class
/// of a class target with more than two classes).
pub fn prediction_rows(set: &str, raw: &Dataset, pred: &[f64]) -> Vec<Prediction> {
    let k = raw.n_targets();
    let classes = raw.classes().is_some();
    (0..raw.n_rows().min(pred.len() / k))
        .map(|i| {
            let outputs = &pred[i * k..(i + 1) * k];
            let target = raw.target_row(i);
            let class = classes.then(|| ClassPrediction {
                actual: predicted_class(target),
                predicted: predicted_class(outputs),
                probabilities: class_probabilities(outputs),
            });
            // One output (regression, or two classes): the target and the output as they
            // are; K classes: the true and the predicted class index.
            let (target, prediction) = match &class {
                Some(c) if k > 1 => (c.actual as f64, c.predicted as f64),
                _ => (target[0], outputs[0]),
            };
            Prediction {
                set: set.to_string(),
                row: i + 1,
                inputs: raw.row(i).to_vec(),
                target,
                prediction,
                class,
            }
        })
        .collect()
}

/// Each class's probability from a row's outputs: `[1 - p, p]` for one sigmoid output (the
/// probability of class 1), the softmax outputs themselves for more.
pub fn class_probabilities(outputs: &[f64]) -> Vec<f64> {
    match outputs {
        [p] => vec![1.0 - p, *p],
        _ => outputs.to_vec(),
    }
}

/// True when the run ended with a non-finite loss.
pub fn diverged(result: &RunResult) -> bool {
    matches!(result.status, TrainStatus::Diverged { .. })
}
