//! Splitting a data set into a training set and a held-out test set.
//!
//! With `n` rows and a test fraction `f` in `[0, 1)`: `n_test = round(n f)` (half away from
//! zero, so 2.5 rounds to 3, unlike Python's `round`), then at least 1 when `f > 0` and at
//! most `n - 1`, so both parts have rows. The test rows are the first `n_test` indices after a
//! Fisher–Yates shuffle of `0..n` with `Rng::for_purpose(seed, "split")`; both parts keep the
//! file order. `f = 0` gives the whole data set and no test set.
//!
//! ```
//! use nnlab_data::{split, Generator};
//! let d = Generator { rows: 10, ..Generator::default() }.generate().unwrap();
//! let (train, test) = split(&d, 0.2, 7).unwrap();
//! assert_eq!((train.n_rows(), test.unwrap().n_rows()), (8, 2));
//! let (all, none) = split(&d, 0.0, 7).unwrap();
//! assert!(all == d && none.is_none());
//! ```

use nnlab_core::rng::Rng;

use crate::{DataError, Dataset};

/// The number of test rows for `n` rows and fraction `f` (checked by [`split`]).
pub fn test_rows(n: usize, f: f64) -> usize {
    if f <= 0.0 || n == 0 {
        return 0;
    }
    let wanted = (n as f64 * f).round() as usize;
    wanted.max(1).min(n - 1)
}

/// `(train, test)`: see the module docs. Errors for a fraction outside `[0, 1)`, no rows, or
/// fewer than 2 rows with `f > 0`.
pub fn split(
    data: &Dataset,
    test_fraction: f64,
    seed: u64,
) -> Result<(Dataset, Option<Dataset>), DataError> {
    Ok(match test_mask(data.n_rows(), test_fraction, seed)? {
        None => (data.clone(), None),
        Some(is_test) => {
            let (test, train): (Vec<usize>, Vec<usize>) =
                (0..data.n_rows()).partition(|&i| is_test[i]);
            (data.subset(&train), Some(data.subset(&test)))
        }
    })
}

/// [`split`] of a data set that is no longer needed whole: the same rows, but the training
/// rows are the data set itself (moved down in place, not copied), so a large table is
/// never held twice.
pub fn split_owned(
    mut data: Dataset,
    test_fraction: f64,
    seed: u64,
) -> Result<(Dataset, Option<Dataset>), DataError> {
    Ok(match test_mask(data.n_rows(), test_fraction, seed)? {
        None => (data, None),
        Some(is_test) => {
            let test_indices: Vec<usize> = (0..data.n_rows()).filter(|&i| is_test[i]).collect();
            let test = data.subset(&test_indices);
            data.retain_rows(|i| !is_test[i]);
            (data, Some(test))
        }
    })
}

/// Which rows are test rows, or `None` for no test set (`f = 0`); errors as [`split`].
fn test_mask(n: usize, test_fraction: f64, seed: u64) -> Result<Option<Vec<bool>>, DataError> {
    if !(0.0..1.0).contains(&test_fraction) {
        return Err(DataError::InvalidTestFraction {
            fraction: test_fraction,
        });
    }
    if n == 0 {
        return Err(DataError::NoRows { action: "split" });
    }
    if test_fraction == 0.0 {
        return Ok(None);
    }
    if n < 2 {
        return Err(DataError::TooFewRows { rows: n });
    }
    let n_test = test_rows(n, test_fraction);
    let mut order: Vec<usize> = (0..n).collect();
    Rng::for_purpose(seed, "split").shuffle(&mut order);
    let mut is_test = vec![false; n];
    for &i in &order[..n_test] {
        is_test[i] = true;
    }
    Ok(Some(is_test))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Row i has input i and target 10 i, so rows can be recognised after the split.
    fn numbered(n: usize) -> Dataset {
        Dataset::new(
            vec!["i".into()],
            "t".into(),
            (0..n).map(|i| i as f64).collect(),
            (0..n).map(|i| 10.0 * i as f64).collect(),
            "numbered".into(),
        )
        .unwrap()
    }

    #[test]
    fn test_row_counts_follow_the_rounding_rules() {
        assert_eq!(test_rows(10, 0.2), 2); // 2.0
        assert_eq!(test_rows(10, 0.25), 3); // 2.5 rounds away from zero
        assert_eq!(test_rows(10, 0.04), 1); // 0.4 rounds to 0, raised to 1
        assert_eq!(test_rows(3, 0.9), 2); // 2.7 rounds to 3, capped at n - 1
        assert_eq!(test_rows(1338, 0.2), 268); // 267.6
        assert_eq!(test_rows(10, 0.0), 0);
    }

    #[test]
    fn parts_are_disjoint_complete_and_in_file_order() {
        let d = numbered(50);
        let (train, test) = split(&d, 0.3, 1).unwrap();
        let test = test.unwrap();
        assert_eq!((train.n_rows(), test.n_rows()), (35, 15));
        let mut all: Vec<f64> = train.x.iter().chain(&test.x).copied().collect();
        assert!(train.x.windows(2).all(|w| w[0] < w[1]));
        assert!(test.x.windows(2).all(|w| w[0] < w[1]));
        all.sort_by(f64::total_cmp);
        assert_eq!(all, d.x);
        // Targets travel with their rows.
        assert!(test.x.iter().zip(&test.y).all(|(x, y)| *y == 10.0 * x));
    }

    // The test rows are the first n_test indices of the documented shuffle, replayed here.
    #[test]
    fn a_seed_gives_the_documented_split() {
        let d = numbered(20);
        let (_, test) = split(&d, 0.25, 99).unwrap();
        let mut order: Vec<usize> = (0..20).collect();
        Rng::for_purpose(99, "split").shuffle(&mut order);
        let mut expected: Vec<f64> = order[..5].iter().map(|&i| i as f64).collect();
        expected.sort_by(f64::total_cmp);
        assert_eq!(test.unwrap().x, expected);
        let again = split(&d, 0.25, 99).unwrap();
        let other = split(&d, 0.25, 100).unwrap();
        assert_eq!(again, split(&d, 0.25, 99).unwrap());
        assert_ne!(again.1, other.1);
    }

    #[test]
    fn bad_fractions_and_too_few_rows_are_errors() {
        let d = numbered(5);
        for f in [1.0, -0.1, 1.5, f64::NAN] {
            assert!(
                matches!(split(&d, f, 0), Err(DataError::InvalidTestFraction { .. })),
                "{f}"
            );
        }
        assert!(split(&d, 1.0, 0)
            .unwrap_err()
            .to_string()
            .starts_with("test fraction 1 is outside [0, 1)"));
        assert!(matches!(
            split(&numbered(1), 0.5, 0),
            Err(DataError::TooFewRows { rows: 1 })
        ));
        assert!(split(&numbered(1), 0.0, 0).unwrap().1.is_none());
        assert!(matches!(
            split(&numbered(0), 0.0, 0),
            Err(DataError::NoRows { .. })
        ));
        let (train, test) = split(&numbered(2), 0.99, 0).unwrap();
        assert_eq!((train.n_rows(), test.unwrap().n_rows()), (1, 1));
        assert!(matches!(
            split_owned(numbered(5), 1.0, 0),
            Err(DataError::InvalidTestFraction { .. })
        ));
    }

    #[test]
    fn split_owned_gives_the_same_rows_without_a_copy() {
        for f in [0.0, 0.25, 0.5] {
            let d = numbered(20);
            assert_eq!(
                split_owned(d.clone(), f, 3).unwrap(),
                split(&d, f, 3).unwrap()
            );
        }
        // With no test set the data set is handed back as it is.
        let d = numbered(20);
        let at = d.x.as_ptr();
        let (train, test) = split_owned(d, 0.0, 3).unwrap();
        assert!(train.x.as_ptr() == at && test.is_none());
    }
}
