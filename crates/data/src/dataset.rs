//! [`Dataset`]: a table of numeric inputs and a numeric target (one number per row, or a
//! one-hot row of classes), and [`LoadReport`]: what
//! loading it read and skipped.
//!
//! ```
//! use nnlab_data::Dataset;
//! let d = Dataset::new(
//!     vec!["x1".into(), "x2".into()],
//!     "y".into(),
//!     vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
//!     vec![3.0, 13.0, 31.0],
//!     "by hand".into(),
//! )
//! .unwrap();
//! assert_eq!((d.n_rows(), d.n_inputs()), (3, 2));
//! assert_eq!(d.row(1), &[3.0, 4.0]);
//! let last_two = d.subset(&[1, 2]);
//! assert_eq!(last_two.y, vec![13.0, 31.0]);
//! ```

use serde::Serialize;

use crate::DataError;

/// Rows of numeric inputs `x` with a numeric target `y` each.
///
/// `x` is row-major: row `i` is `x[i * n_inputs .. (i + 1) * n_inputs]`, in the order of
/// `input_names`. Text columns have already been turned into numbers; `encoding` says how
/// (`"sex: female=0, male=1"`).
///
/// A regression target is one number per row. A class target (`classes` not empty, see the
/// `classes` module: text labels, or integer labels under a cross-entropy loss) is one 0/1
/// number per row for two classes (1 = the second class name) and a one-hot row of
/// [`Dataset::n_targets`] numbers for more; `y` is then row-major like `x`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dataset {
    pub input_names: Vec<String>,
    pub target_name: String,
    /// Inputs, row-major, `n_rows × n_inputs`.
    pub x: Vec<f64>,
    /// One target per row.
    pub y: Vec<f64>,
    /// A human description of where the rows came from.
    pub source: String,
    /// One note per encoded text column (and one for a class target).
    pub encoding: Vec<String>,
    /// The class names in class-index order when the target is classes, else empty (read
    /// through [`Dataset::classes`]).
    pub classes: Vec<String>,
}

/// What loading read: `rows_read` data rows in the source, of which `rows_skipped` were dropped
/// (only with `skip_bad_rows`), so the data set has `rows_read - rows_skipped` rows.
/// `first_skipped` is the error message of the first dropped row.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct LoadReport {
    pub rows_read: usize,
    pub rows_skipped: usize,
    pub first_skipped: Option<String>,
}

impl Dataset {
    /// A data set from its parts, with no encoding notes. Checks that `x` has
    /// `y.len() × input_names.len()` values and that every value is finite.
    pub fn new(
        input_names: Vec<String>,
        target_name: String,
        x: Vec<f64>,
        y: Vec<f64>,
        source: String,
    ) -> Result<Dataset, DataError> {
        let expected = y.len() * input_names.len();
        if x.len() != expected {
            return Err(DataError::ShapeMismatch {
                what: format!("x ({} rows × {} inputs)", y.len(), input_names.len()),
                expected,
                found: x.len(),
            });
        }
        let d = Dataset {
            input_names,
            target_name,
            x,
            y,
            source,
            encoding: Vec::new(),
            classes: Vec::new(),
        };
        d.check_finite()?;
        Ok(d)
    }

    pub fn n_rows(&self) -> usize {
        self.y.len() / self.n_targets()
    }

    /// The numbers of target per row: the number of classes for more than two classes
    /// (one-hot), else 1.
    pub fn n_targets(&self) -> usize {
        if self.classes.len() > 2 {
            self.classes.len()
        } else {
            1
        }
    }

    /// The class names in class-index order (class 1 of two is the "positive" one), or `None`
    /// for a regression target.
    pub fn classes(&self) -> Option<&[String]> {
        (!self.classes.is_empty()).then_some(self.classes.as_slice())
    }

    /// The targets of row `i` (one number, or a one-hot row). Panics if `i >= n_rows()`.
    pub fn target_row(&self, i: usize) -> &[f64] {
        let k = self.n_targets();
        &self.y[i * k..(i + 1) * k]
    }

    pub fn n_inputs(&self) -> usize {
        self.input_names.len()
    }

    /// The inputs of row `i`. Panics if `i >= n_rows()`, like slice indexing.
    pub fn row(&self, i: usize) -> &[f64] {
        let n = self.n_inputs();
        &self.x[i * n..(i + 1) * n]
    }

    /// Input column `j` as a vector, top to bottom. Panics if `j >= n_inputs()`.
    pub fn input_column(&self, j: usize) -> Vec<f64> {
        self.input_values(j).collect()
    }

    /// Input column `j`, top to bottom, read in place (no copy of the column). Panics if
    /// `j >= n_inputs()`.
    pub fn input_values(&self, j: usize) -> impl Iterator<Item = f64> + Clone + '_ {
        assert!(j < self.n_inputs(), "input column {j} out of range");
        self.x.iter().skip(j).step_by(self.n_inputs()).copied()
    }

    /// The rows `indices`, in the order given (repeats allowed), with the same names, source and
    /// encoding. Panics if an index is `>= n_rows()`, like slice indexing.
    pub fn subset(&self, indices: &[usize]) -> Dataset {
        let mut x = Vec::with_capacity(indices.len() * self.n_inputs());
        let mut y = Vec::with_capacity(indices.len() * self.n_targets());
        for &i in indices {
            x.extend_from_slice(self.row(i));
            y.extend_from_slice(self.target_row(i));
        }
        Dataset {
            input_names: self.input_names.clone(),
            target_name: self.target_name.clone(),
            x,
            y,
            source: self.source.clone(),
            encoding: self.encoding.clone(),
            classes: self.classes.clone(),
        }
    }

    /// Keeps the rows `i` for which `keep(i)` is true, in order, moving them down in place
    /// (no second table), and gives back the memory of the others.
    pub fn retain_rows(&mut self, mut keep: impl FnMut(usize) -> bool) {
        let (n, k) = (self.n_inputs(), self.n_targets());
        let mut w = 0;
        for i in 0..self.n_rows() {
            if keep(i) {
                self.x.copy_within(i * n..(i + 1) * n, w * n);
                self.y.copy_within(i * k..(i + 1) * k, w * k);
                w += 1;
            }
        }
        self.x.truncate(w * n);
        self.y.truncate(w * k);
        self.x.shrink_to_fit();
        self.y.shrink_to_fit();
    }

    /// Every value finite, or the first that is not, with its column and 0-based row.
    pub fn check_finite(&self) -> Result<(), DataError> {
        for i in 0..self.n_rows() {
            for (j, &v) in self.row(i).iter().enumerate() {
                if !v.is_finite() {
                    return Err(DataError::NonFiniteValue {
                        column: self.input_names[j].clone(),
                        row: i,
                        value: v,
                    });
                }
            }
            if let Some(&value) = self.target_row(i).iter().find(|v| !v.is_finite()) {
                return Err(DataError::NonFiniteValue {
                    column: self.target_name.clone(),
                    row: i,
                    value,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three_rows() -> Dataset {
        Dataset::new(
            vec!["a".into(), "b".into()],
            "t".into(),
            vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            vec![10.0, 20.0, 30.0],
            "test".into(),
        )
        .unwrap()
    }

    #[test]
    fn rows_and_columns_are_row_major() {
        let d = three_rows();
        assert_eq!(d.row(0), &[1.0, 2.0]);
        assert_eq!(d.row(2), &[5.0, 6.0]);
        assert_eq!(d.input_column(1), vec![2.0, 4.0, 6.0]);
    }

    #[test]
    fn subset_keeps_the_given_order_and_the_metadata() {
        let mut d = three_rows();
        d.encoding.push("note".into());
        let s = d.subset(&[2, 0]);
        assert_eq!(s.x, vec![5.0, 6.0, 1.0, 2.0]);
        assert_eq!(s.y, vec![30.0, 10.0]);
        assert_eq!(s.encoding, vec!["note".to_string()]);
        assert_eq!(d.subset(&[]).n_rows(), 0);
    }

    #[test]
    fn retain_rows_keeps_the_order_in_place() {
        let mut d = three_rows();
        d.retain_rows(|i| i != 1);
        assert_eq!(d.x, vec![1.0, 2.0, 5.0, 6.0]);
        assert_eq!(d, three_rows().subset(&[0, 2]));
        // Keeping every row leaves the buffer where it was: nothing was copied.
        let mut all = three_rows();
        let at = all.x.as_ptr();
        all.retain_rows(|_| true);
        assert_eq!((all.x.as_ptr(), all), (at, three_rows()));
    }

    #[test]
    fn new_rejects_a_wrong_shape_and_non_finite_values() {
        let e = Dataset::new(
            vec!["a".into()],
            "t".into(),
            vec![1.0],
            vec![1.0, 2.0],
            "".into(),
        );
        assert!(matches!(
            e,
            Err(DataError::ShapeMismatch {
                expected: 2,
                found: 1,
                ..
            })
        ));
        let e = Dataset::new(
            vec!["a".into()],
            "t".into(),
            vec![1.0, 2.0],
            vec![1.0, f64::NAN],
            "".into(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "data set: column 't', row 1: NaN is not a finite number"
        );
    }
}
