//! The lab's error type: every failure names what and where.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum LabError {
    #[error("{key}: {message}")]
    Config { key: String, message: String },
    #[error("unknown option '{key}' (known: {known})")]
    UnknownKey { key: String, known: String },
    #[error(transparent)]
    Data(#[from] nnlab_data::DataError),
    #[error(transparent)]
    Train(#[from] nnlab_train::TrainError),
    #[error(transparent)]
    Core(#[from] nnlab_core::CoreError),
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
    /// True when the user can fix it (a flag, a file, the data); false for our own failures
    /// and for output that could not be written.
    pub fn is_input_error(&self) -> bool {
        !matches!(self, LabError::Plot(_))
    }
}
