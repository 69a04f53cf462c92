//! The lab's error type: every failure names what and where.

use thiserror::Error;

use crate::config::keys::{spell, Syntax};

#[derive(Debug, Error)]
pub enum LabError {
    #[error("{key}: {message}")]
    Config { key: String, message: String },
    /// Two options that cannot be given together (`init` with `weights`).
    #[error("{key} and {other} cannot both be given: {reason}")]
    Conflict {
        key: String,
        other: String,
        reason: String,
    },
    #[error("unknown option '{key}' (known: {known})")]
    UnknownKey { key: String, known: String },
    #[error(transparent)]
    Data(#[from] nnlab_data::DataError),
    #[error(transparent)]
    Train(#[from] nnlab_train::TrainError),
    #[error(transparent)]
    Core(#[from] nnlab_core::CoreError),
    /// The example or report of `nnlab step` ([`crate::step::explain`]).
    #[error(transparent)]
    Report(#[from] nnlab_report::ReportError),
    #[error("plot: {0}")]
    Plot(#[from] nnlab_plot::PlotError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl LabError {
    /// The same error with the options it names spelled as the user wrote them: `--lr`
    /// for flags, `train.lr` for TOML and JSON (see [`crate::config::keys::spell`]).
    pub fn in_syntax(self, syntax: Syntax) -> LabError {
        match self {
            LabError::Config { key, message } => LabError::Config {
                key: spell(&key, syntax),
                message,
            },
            LabError::Conflict { key, other, reason } => LabError::Conflict {
                key: spell(&key, syntax),
                other: spell(&other, syntax),
                reason,
            },
            LabError::UnknownKey { key, known } if syntax == Syntax::Flag => LabError::UnknownKey {
                key: format!("--{}", key.replace('_', "-")),
                known,
            },
            other => other,
        }
    }

    /// True when the user can fix it (a flag, a file, the data); false for our own failures
    /// and for output that could not be written.
    pub fn is_input_error(&self) -> bool {
        match self {
            LabError::Plot(_) => false,
            LabError::Report(e) => e.is_input_error(),
            _ => true,
        }
    }
}
