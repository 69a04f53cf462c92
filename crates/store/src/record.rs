//! What the store keeps of one run: [`RunRecord`], built from a [`RunResult`].

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use nnlab_lab::sweep::RunDetail;
use nnlab_lab::verdict::Outcome;
use nnlab_lab::{Experiment, RunResult};
use nnlab_train::{EpochRecord, TrainStatus};

use crate::clock::rfc3339_at;
use crate::StoreError;

/// How a run ended, or that it has not (yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Recorded at the start; still training, or its process is gone (see
    /// [`crate::Store::open`], which turns vanished ones into `Interrupted`).
    Running,
    Completed,
    Diverged,
    StoppedEarly,
    /// The recording process ended (killed, crashed) before the run finished.
    Interrupted,
}

impl RunStatus {
    pub const ALL: [RunStatus; 5] = [
        RunStatus::Running,
        RunStatus::Completed,
        RunStatus::Diverged,
        RunStatus::StoppedEarly,
        RunStatus::Interrupted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Completed => "completed",
            RunStatus::Diverged => "diverged",
            RunStatus::StoppedEarly => "stopped_early",
            RunStatus::Interrupted => "interrupted",
        }
    }

    /// The status of a finished training.
    pub fn of(status: &TrainStatus) -> RunStatus {
        match status {
            TrainStatus::Completed => RunStatus::Completed,
            TrainStatus::StoppedEarly { .. } => RunStatus::StoppedEarly,
            TrainStatus::Diverged { .. } => RunStatus::Diverged,
        }
    }
}

impl fmt::Display for RunStatus {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RunStatus {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<RunStatus, StoreError> {
        RunStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| StoreError::Input {
                key: "--status".into(),
                message: format!(
                    "'{s}' is not a status (known: {})",
                    RunStatus::ALL.map(RunStatus::as_str).join(", ")
                ),
            })
    }
}

/// Reads `--outcome NAME`: one of [`Outcome::ALL`]'s names, else an error naming the flag,
/// the value and the known names.
pub fn parse_outcome(s: &str) -> Result<Outcome, StoreError> {
    Outcome::parse(s).ok_or_else(|| StoreError::Input {
        key: "--outcome".into(),
        message: format!(
            "'{s}' is not an outcome (known: {})",
            Outcome::ALL.map(Outcome::name).join(", ")
        ),
    })
}

/// The outcome part of a run, absent while it is running.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunOutcome {
    pub finished: String,
    /// JSON of the `TrainStatus` (epoch and parameter of a divergence).
    pub status_detail: serde_json::Value,
    pub epochs_run: usize,
    /// JSON of `NamedValues` (an object in display order; non-finite values are `null`).
    pub initial_params: String,
    pub final_params: String,
    pub metrics: serde_json::Value,
    pub diagnostics: serde_json::Value,
    /// The verdict's outcome (the indexed `outcome` column).
    pub outcome: Outcome,
    /// JSON of the whole [`nnlab_lab::verdict::Verdict`] (its NaNs are `null`).
    pub verdict: serde_json::Value,
    pub history: Vec<EpochRecord>,
}

/// One run as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRecord {
    pub status: RunStatus,
    pub started: String,
    pub experiment: Option<String>,
    pub sweep: Option<String>,
    /// `Experiment::to_toml` of the resolved configuration: rerunning it gives the same bits.
    pub config_toml: String,
    pub config: serde_json::Value,
    /// (data, init, shuffle).
    pub seeds: (u64, u64, u64),
    /// The nnlab version that ran it.
    pub version: String,
    pub outcome: Option<RunOutcome>,
}

/// The nnlab version recorded with every run.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

fn json<T: Serialize>(value: &T, what: &str) -> Result<serde_json::Value, StoreError> {
    serde_json::to_value(value).map_err(|e| StoreError::Input {
        key: what.into(),
        message: e.to_string(),
    })
}

fn json_text<T: Serialize>(value: &T, what: &str) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Input {
        key: what.into(),
        message: e.to_string(),
    })
}

impl RunRecord {
    /// The record of a run about to start (status `running`, no outcome).
    pub fn starting(exp: &Experiment, started: String) -> Result<RunRecord, StoreError> {
        let exp = exp.resolved();
        Ok(RunRecord {
            status: RunStatus::Running,
            started,
            experiment: None,
            sweep: None,
            config_toml: exp.to_toml()?,
            config: json(&exp, "config")?,
            seeds: exp.seeds(),
            version: VERSION.into(),
            outcome: None,
        })
    }

    /// The record of a finished run.
    pub fn finished(
        result: &RunResult,
        started: String,
        finished: String,
    ) -> Result<RunRecord, StoreError> {
        let mut record = RunRecord::starting(&result.config, started)?;
        record.status = RunStatus::of(&result.status);
        record.outcome = Some(RunOutcome::of(result, finished)?);
        Ok(record)
    }

    /// The record of a finished run of a sweep (see [`nnlab_lab::sweep::run_sweep_with`])
    /// whose resolved configuration is `config` (`spec.experiment(&spec.point(d.index))`).
    pub fn of_detail(d: &RunDetail, config: &Experiment) -> Result<RunRecord, StoreError> {
        // `config` is already resolved; `starting` would clone and resolve it again.
        Ok(RunRecord {
            status: RunStatus::of(&d.status),
            started: rfc3339_at(d.started),
            experiment: None,
            sweep: None,
            config_toml: config.to_toml()?,
            config: json(config, "config")?,
            seeds: d.seeds,
            version: VERSION.into(),
            outcome: Some(RunOutcome {
                finished: rfc3339_at(d.finished),
                status_detail: json(&d.status, "status")?,
                epochs_run: d.history.len(),
                initial_params: json_text(&d.initial, "initial")?,
                final_params: json_text(&d.final_params, "final")?,
                metrics: json(&d.metrics, "metrics")?,
                diagnostics: json(&d.diagnostics, "diagnostics")?,
                outcome: d.verdict.outcome,
                verdict: json(&d.verdict, "verdict")?,
                history: d.history.clone(),
            }),
        })
    }

    /// Tags the record with an experiment name and/or a sweep name.
    pub fn tagged(mut self, experiment: Option<&str>, sweep: Option<&str>) -> RunRecord {
        self.experiment = experiment.map(str::to_string);
        self.sweep = sweep.map(str::to_string);
        self
    }
}

impl RunOutcome {
    pub fn of(result: &RunResult, finished: String) -> Result<RunOutcome, StoreError> {
        Ok(RunOutcome {
            finished,
            status_detail: json(&result.status, "status")?,
            epochs_run: result.epochs_run(),
            initial_params: json_text(&result.initial_params(), "initial")?,
            final_params: json_text(&result.final_params(), "final")?,
            metrics: json(&result.metrics, "metrics")?,
            diagnostics: json(&result.diagnostics, "diagnostics")?,
            outcome: result.verdict.outcome,
            verdict: json(&result.verdict, "verdict")?,
            history: result.history.clone(),
        })
    }
}

/// Parameters read back from their JSON: `(name, value)` in stored order, `None` where the
/// value was not finite (JSON has no NaN or infinity).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParamList(pub Vec<(String, Option<f64>)>);

impl ParamList {
    pub fn parse(text: &str) -> Result<ParamList, serde_json::Error> {
        serde_json::from_str(text)
    }
}

impl<'de> Deserialize<'de> for ParamList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ParamList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of parameter names to numbers")
            }
            // Entries arrive in document order, the display order we stored.
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<ParamList, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = m.next_entry::<String, Option<f64>>()? {
                    pairs.push(pair);
                }
                Ok(ParamList(pairs))
            }
        }
        d.deserialize_map(V)
    }
}
