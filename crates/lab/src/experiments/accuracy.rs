//! The classification entries' own evidence: train and test accuracy per setting over the
//! seeds, and the conclusion each entry draws from those numbers (`xor`, `regularization`).

use nnlab_report::Table;

use crate::report::Section;
use crate::sweep::summary::{group_label, groups, sig4};
use crate::sweep::SweepResult;

use crate::report::findings::median;

/// A test accuracy at or above this counts as solving the task (XOR's four quadrants).
pub const SOLVED: f64 = 0.9;

/// One setting's accuracies over its seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct AccuracyRow {
    pub label: String,
    /// The varied values of the setting, `(key, value)`.
    pub settings: Vec<(String, String)>,
    pub runs: usize,
    pub median_train: f64,
    pub median_test: f64,
    pub min_test: f64,
    pub max_test: f64,
    /// Runs whose test accuracy is at least [`SOLVED`].
    pub solved: usize,
}

/// The accuracies of every setting of `result`, in grid order (NaN where no run has one).
pub fn accuracy_rows(result: &SweepResult) -> Vec<AccuracyRow> {
    groups(result)
        .into_iter()
        .map(|(settings, runs)| {
            let test: Vec<f64> = runs
                .iter()
                .map(|r| r.test_accuracy.unwrap_or(f64::NAN))
                .collect();
            let train = runs
                .iter()
                .map(|r| r.train_accuracy.unwrap_or(f64::NAN))
                .collect();
            let finite = test.iter().copied().filter(|v| v.is_finite());
            AccuracyRow {
                label: group_label(&settings),
                runs: runs.len(),
                median_train: median(train).unwrap_or(f64::NAN),
                median_test: median(test.clone()).unwrap_or(f64::NAN),
                min_test: finite.clone().fold(f64::NAN, f64::min),
                max_test: finite.fold(f64::NAN, f64::max),
                solved: test.iter().filter(|&&a| a >= SOLVED).count(),
                settings,
            }
        })
        .collect()
}

/// The table of `rows`: one line per setting.
pub fn accuracy_section(rows: &[AccuracyRow]) -> Section {
    let mut t = Table::new(&[
        "setting",
        "runs",
        "median train accuracy",
        "median test accuracy",
        "test min",
        "test max",
        "gap (train - test)",
        &format!("test >= {SOLVED}"),
    ]);
    for r in rows {
        t.push(vec![
            r.label.clone(),
            r.runs.to_string(),
            sig4(r.median_train),
            sig4(r.median_test),
            sig4(r.min_test),
            sig4(r.max_test),
            sig4(r.median_train - r.median_test),
            format!("{} of {}", r.solved, r.runs),
        ]);
    }
    Section {
        heading: "Accuracy".into(),
        intro: "Each setting's train and test accuracy over its seeds (the share of rows whose predicted class, p >= 0.5, is the true one).".into(),
        table: t,
    }
}

/// The `xor` entry's conclusion from `rows` (one per architecture): which architectures
/// solve the task in how many seeds, and why one hidden neuron cannot.
pub fn xor_conclusion(rows: &[AccuracyRow]) -> String {
    let by_arch = |arch: &str| rows.iter().find(|r| value(r, "arch") == Some(arch));
    let (Some(one), Some(two)) = (by_arch("2-1-1"), by_arch("2-2-1")) else {
        return String::new();
    };
    let mut s = format!(
        "One hidden neuron (2-1-1) reaches a median test accuracy of {} (best {}, {} of {} seeds at {SOLVED} or more); two (2-2-1) reach {} (best {}, {} of {} seeds). ",
        sig4(one.median_test),
        sig4(one.max_test),
        one.solved,
        one.runs,
        sig4(two.median_test),
        sig4(two.max_test),
        two.solved,
        two.runs
    );
    if one.solved == 0 && two.median_test > one.max_test {
        s.push_str("As the geometry says: one hidden neuron sees the inputs only through one weighted sum w·x + b, so the output is a function of the distance to one line and its boundary is a single straight line; XOR's classes sit in opposite quadrants, and a line can put at most three of the four quadrants on their right side (about 75%). Two hidden neurons draw two lines, and the output neuron combines the two half-planes into the band that XOR needs.");
    } else {
        s.push_str("These numbers do not show the expected split (one hidden neuron should never solve XOR, since its boundary is a single line): look at the runs' verdicts and the seeds before drawing a conclusion.");
    }
    s
}

/// The `regularization` entry's conclusion from `rows` (one per L2 rate, in increasing
/// order): how the train-test gap and the test accuracy move with the rate.
pub fn regularization_conclusion(rows: &[AccuracyRow]) -> String {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return String::new();
    };
    let gap = |r: &AccuracyRow| r.median_train - r.median_test;
    let best = rows
        .iter()
        .filter(|r| r.median_test.is_finite())
        .max_by(|a, b| a.median_test.total_cmp(&b.median_test));
    let mut s = format!(
        "At {} the median train accuracy is {} against {} on the test rows (a gap of {}); at {} it is {} against {} (gap {}).",
        first.label,
        sig4(first.median_train),
        sig4(first.median_test),
        sig4(gap(first)),
        last.label,
        sig4(last.median_train),
        sig4(last.median_test),
        sig4(gap(last)),
    );
    if let Some(b) = best {
        s.push_str(&format!(
            " The best median test accuracy is {} at {}.",
            sig4(b.median_test),
            b.label
        ));
    }
    let raises = best.is_some_and(|b| b.median_test > first.median_test);
    if gap(last) < gap(first) && raises {
        s.push_str(" The penalty narrows the gap and raises the test accuracy: it keeps the weights small, so the boundary cannot bend around the noisy points of the training rows.");
    } else if gap(last) < gap(first) {
        s.push_str(" The penalty narrows the gap, but by lowering the training accuracy rather than by raising the test accuracy: no rate here does better on the test rows than none.");
    } else {
        s.push_str(" The penalty does not narrow the gap here: the network did not overfit these rows enough for L2 to matter.");
    }
    if last.median_train < first.median_train - 0.05 {
        s.push_str(&format!(
            " The largest rate costs training accuracy ({} against {}): its penalty outweighs the fit, and the network underfits.",
            sig4(last.median_train),
            sig4(first.median_train)
        ));
    }
    s
}

fn value<'a>(r: &'a AccuracyRow, key: &str) -> Option<&'a str> {
    r.settings
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        key: &str,
        v: &str,
        train: f64,
        test: f64,
        min: f64,
        max: f64,
        solved: usize,
    ) -> AccuracyRow {
        AccuracyRow {
            label: format!("{key} = {v}"),
            settings: vec![(key.into(), v.into())],
            runs: 5,
            median_train: train,
            median_test: test,
            min_test: min,
            max_test: max,
            solved,
        }
    }

    // The conclusion quotes the numbers and explains only when they agree with the geometry.
    #[test]
    fn xor_explains_when_the_numbers_agree() {
        let rows = [
            row("arch", "2-1-1", 0.75, 0.7, 0.5, 0.8, 0),
            row("arch", "2-2-1", 1.0, 0.97, 0.6, 1.0, 4),
        ];
        let s = xor_conclusion(&rows);
        assert!(s.starts_with("One hidden neuron (2-1-1) reaches a median test accuracy of 0.7 (best 0.8, 0 of 5 seeds at 0.9 or more); two (2-2-1) reach 0.97 (best 1, 4 of 5 seeds)."), "{s}");
        assert!(s.contains("a single straight line"), "{s}");
        let odd = [
            row("arch", "2-1-1", 0.95, 0.95, 0.9, 1.0, 5),
            row("arch", "2-2-1", 1.0, 0.97, 0.6, 1.0, 4),
        ];
        assert!(xor_conclusion(&odd).contains("do not show the expected split"));
    }

    // Gap 0.2 at l2 = 0 and 0.02 at l2 = 0.1: narrowed; train 0.8 against 0.99: underfits.
    #[test]
    fn regularization_reads_the_gap() {
        let rows = [
            row("l2", "0", 0.99, 0.79, 0.7, 0.8, 0),
            row("l2", "0.01", 0.95, 0.85, 0.8, 0.9, 1),
            row("l2", "0.1", 0.8, 0.78, 0.7, 0.8, 0),
        ];
        let s = regularization_conclusion(&rows);
        assert!(s.starts_with("At l2 = 0 the median train accuracy is 0.99 against 0.79 on the test rows (a gap of 0.2); at l2 = 0.1 it is 0.8 against 0.78 (gap 0.02)."), "{s}");
        assert!(
            s.contains("best median test accuracy is 0.85 at l2 = 0.01"),
            "{s}"
        );
        assert!(
            s.contains("narrows the gap and raises the test accuracy") && s.contains("underfits"),
            "{s}"
        );
        // The entry's own numbers (4 seeds): the best test accuracy is without L2, so the
        // gap closes only because the training accuracy falls.
        let rows = [
            row("l2", "0", 0.87, 0.745, 0.68, 0.77, 0),
            row("l2", "0.001", 0.62, 0.585, 0.54, 0.71, 0),
            row("l2", "0.003", 0.52, 0.53, 0.44, 0.55, 0),
        ];
        let s = regularization_conclusion(&rows);
        assert!(s.contains("but by lowering the training accuracy"), "{s}");
    }
}
