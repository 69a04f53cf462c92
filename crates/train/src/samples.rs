//! Training data as plain slices, independent of where it came from.
//!
//! ```
//! use nnlab_train::Samples;
//! // Two rows of (x1, x2) -> y.
//! let x = [0.0, 1.0, 0.5, 0.25];
//! let y = [1.0, 2.0];
//! let s = Samples::new(&x, &y, 2, 1).unwrap();
//! assert_eq!(s.n_rows(), 2);
//! assert_eq!(s.x_row(1), &[0.5, 0.25]);
//! assert!(Samples::new(&x, &[1.0, f64::NAN], 2, 1).is_err());
//! ```

use crate::TrainError;

/// Rows of inputs and targets, row-major: row `r` is `x[r·n_inputs .. (r+1)·n_inputs]`
/// and `y[r·n_outputs .. (r+1)·n_outputs]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Samples<'a> {
    pub x: &'a [f64],
    pub y: &'a [f64],
    pub n_inputs: usize,
    pub n_outputs: usize,
}

impl<'a> Samples<'a> {
    /// Checked samples (see [`Samples::validate`]), named "train" in errors.
    pub fn new(
        x: &'a [f64],
        y: &'a [f64],
        n_inputs: usize,
        n_outputs: usize,
    ) -> Result<Samples<'a>, TrainError> {
        let s = Samples {
            x,
            y,
            n_inputs,
            n_outputs,
        };
        s.validate("train")?;
        Ok(s)
    }

    /// Checks that the widths are positive, both slices hold the same whole number of rows,
    /// there is at least one row, and every value is finite (naming the first bad row).
    pub fn validate(&self, set: &'static str) -> Result<(), TrainError> {
        for (what, width) in [("inputs", self.n_inputs), ("targets", self.n_outputs)] {
            if width == 0 {
                return Err(TrainError::ZeroWidth { set, what });
            }
        }
        for (what, len, width) in [
            ("inputs", self.x.len(), self.n_inputs),
            ("targets", self.y.len(), self.n_outputs),
        ] {
            if len % width != 0 {
                return Err(TrainError::RaggedSamples {
                    set,
                    what,
                    len,
                    width,
                });
            }
        }
        let x_rows = self.x.len() / self.n_inputs;
        let y_rows = self.y.len() / self.n_outputs;
        if x_rows != y_rows {
            return Err(TrainError::RowCountMismatch {
                set,
                x_rows,
                y_rows,
            });
        }
        if x_rows == 0 {
            return Err(TrainError::EmptySamples { set });
        }
        for r in 0..x_rows {
            for (what, row) in [("input", self.x_row(r)), ("target", self.y_row(r))] {
                if let Some((c, &value)) = row.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                    return Err(TrainError::NotFinite {
                        set,
                        row: r + 1,
                        column: c + 1,
                        what,
                        value,
                    });
                }
            }
        }
        Ok(())
    }

    /// The number of rows (of a validated set).
    pub fn n_rows(&self) -> usize {
        self.x.len() / self.n_inputs.max(1)
    }

    /// The inputs of row `r` (0-based).
    pub fn x_row(&self, r: usize) -> &'a [f64] {
        &self.x[r * self.n_inputs..(r + 1) * self.n_inputs]
    }

    /// The targets of row `r` (0-based).
    pub fn y_row(&self, r: usize) -> &'a [f64] {
        &self.y[r * self.n_outputs..(r + 1) * self.n_outputs]
    }

    /// Validates the set and checks its widths against the network's.
    pub(crate) fn check_for(
        &self,
        set: &'static str,
        n_inputs: usize,
        n_outputs: usize,
    ) -> Result<(), TrainError> {
        self.validate(set)?;
        for (what, network, data) in [
            ("inputs", n_inputs, self.n_inputs),
            ("outputs", n_outputs, self.n_outputs),
        ] {
            if network != data {
                return Err(TrainError::WidthMismatch {
                    set,
                    what,
                    network,
                    data,
                });
            }
        }
        Ok(())
    }
}
