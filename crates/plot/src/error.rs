//! The one error type of this crate.

use thiserror::Error;

/// Why a chart could not be drawn.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PlotError {
    /// The requested picture size is outside `MIN_SIZE..=MAX_SIZE` pixels on a side.
    #[error("chart size {width}x{height} is outside {min}..={max} pixels per side")]
    InvalidSize {
        width: u32,
        height: u32,
        min: u32,
        max: u32,
    },
    /// Nothing is left to draw once non-finite points (and, on a log axis, non-positive
    /// ones) are dropped: a chart of a run that diverged from its first epoch.
    #[error("chart \"{title}\" has no finite values to draw{}", if *.log_y { " (log y axis needs values > 0)" } else { "" })]
    NoFiniteValues { title: String, log_y: bool },
    /// A decision chart's field does not fit its grid, classes or ranges.
    #[error("decision chart \"{title}\" has a bad field: {message}")]
    BadField { title: String, message: String },
    /// plotters failed while drawing (a backend or font error).
    #[error("drawing chart \"{title}\" failed: {message}")]
    Draw { title: String, message: String },
}
