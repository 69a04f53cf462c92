//! The report crate's error type.
//!
//! Errors about what a user typed name the field as the command line spells it
//! (`--weights`, `--input`), so the message can be shown as it is:
//! `error: --weights: expected 6 values (w1..w6), got 5`.

use nnlab_core::CoreError;
use thiserror::Error;

/// Everything building a report can refuse.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ReportError {
    /// A list of the wrong length; `expected` says what was expected (`6 values (w1..w6)`).
    #[error("{field}: expected {expected}, got {found}")]
    WrongCount {
        field: String,
        expected: String,
        found: usize,
    },
    /// Any other value the field cannot take, with the reason.
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    /// A file that cannot be read or does not hold what it should.
    #[error("{field}: {path}: {reason}")]
    File {
        field: String,
        path: String,
        reason: String,
    },
    /// The math core refused something the caller should have validated first.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl ReportError {
    /// True when the error is about the user's input (exit code 2 on the command line);
    /// false for [`ReportError::Core`], which means a caller skipped a check (exit code 1).
    pub fn is_input_error(&self) -> bool {
        !matches!(self, ReportError::Core(_))
    }
}
