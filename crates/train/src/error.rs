//! The training crate's error type: everything `train` and the config parsers refuse.
//!
//! Every variant names what was wrong and where (the data set, the 1-based row and column,
//! the config field), so the CLI can print the message as is.

use thiserror::Error;

/// Everything training can refuse before it starts. (A run that diverges is not an error:
/// it ends with [`crate::TrainStatus::Diverged`] and a valid history.)
#[derive(Debug, Error, Clone, PartialEq)]
pub enum TrainError {
    #[error("the {set} set has no rows")]
    EmptySamples { set: &'static str },
    #[error("the {set} set declares {what} of width 0")]
    ZeroWidth {
        set: &'static str,
        what: &'static str,
    },
    #[error("the {set} set's {what} has {len} values, not a whole number of rows of {width}")]
    RaggedSamples {
        set: &'static str,
        what: &'static str,
        len: usize,
        width: usize,
    },
    #[error("the {set} set has {x_rows} rows of inputs but {y_rows} rows of targets")]
    RowCountMismatch {
        set: &'static str,
        x_rows: usize,
        y_rows: usize,
    },
    #[error("the {set} set, row {row}, {what} column {column} is not finite: {value}")]
    NotFinite {
        set: &'static str,
        /// 1-based.
        row: usize,
        /// 1-based.
        column: usize,
        /// `"input"` or `"target"`.
        what: &'static str,
        value: f64,
    },
    #[error("the {set} set has {data} {what} per row but the network has {network}")]
    WidthMismatch {
        set: &'static str,
        what: &'static str,
        network: usize,
        data: usize,
    },
    #[error("a trainer made for {expected} was given {got}")]
    OtherSamples { expected: String, got: String },
    #[error("invalid training setting {field} = {value}: {reason}")]
    InvalidConfig {
        field: &'static str,
        value: String,
        reason: &'static str,
    },
    /// A cross-entropy loss after an output it is not defined for
    /// ([`nnlab_core::output::check_output`]).
    #[error("invalid training setting loss = {loss}: it needs a {needs} output layer, but the network's output activation is {found}")]
    LossNeedsOutput {
        loss: String,
        needs: &'static str,
        found: String,
    },
    #[error("cannot freeze '{name}': no such parameter (use w1..w6, b1..b3 on the 2-2-1 network, else names like L1.w[2][1] or L1.b[2])")]
    UnknownParameter { name: String },
    #[error("cannot read {what} '{text}': expected {expected}")]
    Parse {
        what: &'static str,
        text: String,
        expected: &'static str,
    },
}

/// A [`TrainError::InvalidConfig`] for a field whose value fails a rule.
pub(crate) fn invalid(
    field: &'static str,
    value: impl ToString,
    reason: &'static str,
) -> TrainError {
    TrainError::InvalidConfig {
        field,
        value: value.to_string(),
        reason,
    }
}
