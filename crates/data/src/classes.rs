//! Class targets: a target column of class labels becomes numbers a classifier learns.
//!
//! The labels are the column's distinct values in a fixed order: text sorted by its bytes
//! (as text inputs are, so the order does not depend on the rows), integers in numeric order
//! (`2` before `10`). With `K` classes in that order:
//! - `K = 2`: one target, the class index, 0 for the first label and 1 for the second: the
//!   second label in sorted order is class 1, the "positive" class (`no=0, yes=1`);
//! - `K > 2`: `K` targets, one-hot in label order (`species=Adelie, species=Chinstrap, ...`);
//! - `K = 1` or `K >` [`MAX_CLASSES`] are errors (a single class has nothing to tell apart;
//!   hundreds of "classes" are far more likely a numeric target given to a classifier).
//!
//! Text labels are classes as they are loaded (the CSV loader); integer labels become classes
//! through [`Dataset::into_classes`], which the lab calls when the run's loss is a
//! cross-entropy. The names are kept in order ([`Dataset::classes`]) for reports, and a note
//! in [`Dataset::encoding`] says which label is which number, as for text inputs.
//!
//! ```
//! use nnlab_data::Dataset;
//! let d = Dataset::new(vec!["x".into()], "digit".into(), vec![0.0, 1.0, 2.0, 3.0],
//!                      vec![7.0, 2.0, 10.0, 2.0], "by hand".into()).unwrap();
//! let c = d.into_classes().unwrap();
//! assert_eq!(c.classes(), Some(&["2".to_string(), "7".into(), "10".into()][..]));
//! // Three classes: one-hot rows, 7 is class 1, 2 class 0, 10 class 2.
//! assert_eq!(c.y, vec![0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
//! assert_eq!(c.encoding, vec!["target digit: one-hot, 3 columns digit=2, digit=7, digit=10"]);
//! ```

use crate::encode::TextEncoding;
use crate::{DataError, Dataset};

/// The most classes a class target may have.
pub const MAX_CLASSES: usize = 100;

impl Dataset {
    /// The target as classes: integer labels in numeric order (see the module docs). A data
    /// set whose target is classes already is returned as it is. Errors for a label that is
    /// not an integer, a single class, or more than [`MAX_CLASSES`].
    pub fn into_classes(mut self) -> Result<Dataset, DataError> {
        if self.classes().is_some() {
            return Ok(self);
        }
        // Integers up to 2^53 are exact in f64 and print without a fraction.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if let Some((row, &value)) = self
            .y
            .iter()
            .enumerate()
            .find(|(_, v)| v.fract() != 0.0 || v.abs() > EXACT)
        {
            return Err(DataError::NotAClassLabel {
                column: self.target_name.clone(),
                row: row + 1,
                value,
            });
        }
        let mut labels = self.y.clone();
        labels.sort_by(f64::total_cmp);
        labels.dedup();
        check_count(&self.target_name, labels.len(), || labels[0].to_string())?;
        let names = labels.iter().map(f64::to_string).collect();
        let encoding = TextEncoding::from_ordered(&self.target_name, names);
        // `labels` is sorted and holds every value, so the search always finds it.
        let index: Vec<Option<usize>> = self
            .y
            .iter()
            .map(|v| labels.binary_search_by(|l| l.total_cmp(v)).ok())
            .collect();
        set_class_target(&mut self, encoding, index);
        Ok(self)
    }
}

/// Refuses `count` classes of the target `column` outside `2..=MAX_CLASSES`; `only` names the
/// single class.
pub(crate) fn check_count(
    column: &str,
    count: usize,
    only: impl FnOnce() -> String,
) -> Result<(), DataError> {
    if count == 1 {
        return Err(DataError::SingleClass {
            column: column.to_string(),
            label: only(),
        });
    }
    if count > MAX_CLASSES {
        return Err(DataError::TooManyClasses {
            column: column.to_string(),
            count,
        });
    }
    Ok(())
}

/// Replaces the target of `data` by the class targets of `index` (one class index per row,
/// in `encoding`'s category order) and records the class names and the encoding note.
pub(crate) fn set_class_target(
    data: &mut Dataset,
    encoding: TextEncoding,
    index: impl IntoIterator<Item = Option<usize>>,
) {
    let mut y = Vec::with_capacity(data.y.len() * encoding.output_names().len());
    for k in index {
        encoding.encode_index(k, &mut y);
    }
    data.y = y;
    data.encoding.push(format!("target {}", encoding.note()));
    data.classes = encoding.into_categories();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_targets(y: Vec<f64>) -> Dataset {
        let x = (0..y.len()).map(|i| i as f64).collect();
        Dataset::new(vec!["x".into()], "t".into(), x, y, "test".into()).unwrap()
    }

    #[test]
    fn two_integer_classes_are_one_zero_one_target_the_larger_label_being_class_1() {
        let d = with_targets(vec![1.0, -1.0, -1.0, 1.0])
            .into_classes()
            .unwrap();
        assert_eq!(d.y, vec![1.0, 0.0, 0.0, 1.0]);
        assert_eq!(d.classes(), Some(&["-1".to_string(), "1".into()][..]));
        assert_eq!((d.n_targets(), d.n_rows()), (1, 4));
        assert_eq!(d.encoding, vec!["target t: -1=0, 1=1"]);
        // Rows keep their one-hot targets through subsets and in-place removal.
        let mut three = with_targets(vec![0.0, 2.0, 1.0]).into_classes().unwrap();
        assert_eq!(three.subset(&[1]).y, vec![0.0, 0.0, 1.0]);
        three.retain_rows(|i| i != 0);
        assert_eq!(three.y, vec![0.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
        assert_eq!(
            (three.n_rows(), three.target_row(1)),
            (2, &[0.0, 1.0, 0.0][..])
        );
    }

    #[test]
    fn non_integers_a_single_class_and_too_many_classes_are_refused() {
        let e = with_targets(vec![0.0, 2.5]).into_classes().unwrap_err();
        assert_eq!(
            e.to_string(),
            "the target 't' (--target) holds 2.5 in data row 2: the class labels of a \
             cross-entropy --loss must be integers or text (or choose a regression --loss)"
        );
        let e = with_targets(vec![3.0, 3.0]).into_classes().unwrap_err();
        assert_eq!(
            e.to_string(),
            "the target 't' (--target) has a single class '3': classification needs at least two"
        );
        let many = (0..=MAX_CLASSES).map(|i| i as f64).collect();
        let e = with_targets(many).into_classes().unwrap_err();
        assert!(
            e.to_string().contains("101 distinct values, more than 100"),
            "{e}"
        );
        let most = (0..MAX_CLASSES).map(|i| i as f64).collect();
        assert_eq!(with_targets(most).into_classes().unwrap().n_targets(), 100);
    }
}
