//! Classification metrics against hand counts and an independent reference.
//!
//! The reference values come from this plain-Python one-off (no scikit-learn; the log-loss
//! without clipping, since no probability here is near 0 or 1):
//!
//! ```python
//! import math
//! def ref(P, Y, k):
//!     n = len(Y)
//!     cls = lambda row: (1 if row[0] >= 0.5 else 0) if len(row) == 1 else row.index(max(row))
//!     K = 2 if k == 1 else k
//!     C = [[0]*K for _ in range(K)]
//!     ll = 0.0
//!     for p, y in zip(P, Y):
//!         C[cls(y)][cls(p)] += 1
//!         if k == 1:
//!             ll -= y[0]*math.log(p[0]) + (1-y[0])*math.log(1-p[0])
//!         else:
//!             ll -= sum(yk*math.log(pk) for pk, yk in zip(p, y))
//!     prec = [C[c][c]/sum(C[t][c] for t in range(K)) for c in range(K)]
//!     rec = [C[c][c]/sum(C[c]) for c in range(K)]
//!     f1 = [2*a*b/(a+b) for a, b in zip(prec, rec)]
//!     print(C, sum(C[c][c] for c in range(K))/n, prec, rec, f1, repr(ll/n))
//!     if k > 1: print("macro", repr(sum(prec)/K), repr(sum(rec)/K), repr(sum(f1)/K))
//! ```

use nnlab_core::PROB_EPSILON;
use nnlab_train::metrics::{classify, n_classes};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

// Two classes, one output. p = [.9 .8 .3 .6 .1 .4 .7 .2], y = [1 1 1 0 0 0 1 1].
// Predicted (p >= 0.5): 1 1 0 1 0 0 1 0.
// Row by row: TP rows 1, 2, 7 (3); FN rows 3, 8 (2); FP row 4 (1); TN rows 5, 6 (2).
// accuracy = (3 + 2)/8 = 0.625; precision = 3/(3+1) = 0.75; recall = 3/(3+2) = 0.6;
// f1 = 2·0.75·0.6/1.35 = 2/3. Class 0: precision 2/4, recall 2/3, f1 4/7.
// Majority: 5 of the 8 rows are class 1 -> 0.625. Log-loss 0.6288833248710971 (reference).
#[test]
fn binary_metrics_by_hand() {
    let p = [0.9, 0.8, 0.3, 0.6, 0.1, 0.4, 0.7, 0.2];
    let y = [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0];
    let m = classify(&p, &y, 1);
    assert_eq!(m.n, 8);
    assert_eq!(m.confusion, vec![vec![2, 1], vec![2, 3]]);
    assert_eq!(m.accuracy, 0.625);
    assert_eq!((m.precision, m.recall), (0.75, 0.6));
    assert!(close(m.f1, 2.0 / 3.0));
    assert_eq!((m.per_class[0].precision, m.per_class[0].support), (0.5, 3));
    assert!(close(m.per_class[0].recall, 2.0 / 3.0));
    assert!(close(m.per_class[0].f1, 4.0 / 7.0));
    assert_eq!(m.per_class[1].support, 5);
    assert_eq!(m.majority, 0.625);
    assert!(close(m.log_loss, 0.6288833248710971), "{}", m.log_loss);
    assert!(m.never_predicted().is_empty());
}

// Three classes, one-hot targets. Rows (p; true class; predicted = first argmax):
//   [.7 .2 .1] 0 -> 0 ✓   [.1 .8 .1] 1 -> 1 ✓   [.2 .2 .6] 2 -> 2 ✓
//   [.5 .4 .1] 1 -> 0     [.3 .3 .4] 2 -> 2 ✓   [.1 .6 .3] 2 -> 1
// confusion (true rows, predicted columns) [[1 0 0] [1 1 0] [0 1 2]], accuracy 4/6.
// precision 1/2, 1/2, 2/2; recall 1/1, 1/2, 2/3; macro precision 2/3, recall 13/18,
// f1 (2/3 + 1/2 + 4/5)/3 = 59/90. Log-loss 0.6878663978488632 (reference).
#[test]
fn three_class_metrics_by_hand() {
    let p = [
        0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6, 0.5, 0.4, 0.1, 0.3, 0.3, 0.4, 0.1, 0.6, 0.3,
    ];
    let y = [
        1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0,
    ];
    let m = classify(&p, &y, 3);
    assert_eq!(m.n, 6);
    assert_eq!(
        m.confusion,
        vec![vec![1, 0, 0], vec![1, 1, 0], vec![0, 1, 2]]
    );
    assert!(close(m.accuracy, 4.0 / 6.0));
    assert!(close(m.precision, 2.0 / 3.0));
    assert!(close(m.recall, 13.0 / 18.0));
    assert!(close(m.f1, 59.0 / 90.0));
    assert!(close(m.log_loss, 0.6878663978488632), "{}", m.log_loss);
    // Majority: class 2 has 3 of the 6 rows.
    assert_eq!(m.majority, 0.5);
}

// A probability of exactly 0 for the true class costs -ln(PROB_EPSILON), not infinity; an
// exactly right row costs -ln(1 - PROB_EPSILON) (about PROB_EPSILON). p = 1 for class 0 is
// clipped to 1 - ε, so its cost is -ln(1 - (1 - ε)): 1 - 1e-15 rounds in f64, and
// 1 - (1 - ε) comes out as 9.992e-16 (Python: 1-(1-1e-15)), a cost of 34.5396 against
// -ln(ε) = 34.5388.
#[test]
fn log_loss_clips_both_extremes() {
    let wrong = classify(&[0.0], &[1.0], 1);
    assert_eq!(wrong.log_loss, -PROB_EPSILON.ln());
    let wrong_zero = classify(&[1.0], &[0.0], 1);
    assert_eq!(wrong_zero.log_loss, -(1.0 - (1.0 - PROB_EPSILON)).ln());
    assert!(
        (wrong_zero.log_loss - 34.5396).abs() < 1e-4,
        "{}",
        wrong_zero.log_loss
    );
    let right = classify(&[1.0, 0.0], &[1.0, 0.0], 1);
    assert_eq!(right.log_loss, -(1.0 - PROB_EPSILON).ln());
    let softmax_wrong = classify(&[1.0, 0.0], &[0.0, 1.0], 2);
    assert_eq!(softmax_wrong.log_loss, -PROB_EPSILON.ln());
    assert!(softmax_wrong.log_loss.is_finite());
}

// Every p below 0.5: class 1 is never predicted. Its precision is 0/0, reported as 0
// (scikit-learn's zero_division=0); recall 0/2 = 0; accuracy 1/3 (the one class-0 row).
#[test]
fn a_class_never_predicted() {
    let m = classify(&[0.1, 0.2, 0.4], &[0.0, 1.0, 1.0], 1);
    assert_eq!(m.never_predicted(), vec![1]);
    assert_eq!((m.precision, m.recall, m.f1), (0.0, 0.0, 0.0));
    assert!(close(m.accuracy, 1.0 / 3.0));
}

// Ties go to the first index of the maximum (the shared rule): [.4 .4 .2] is class 0.
#[test]
fn ties_go_to_the_first_class() {
    let m = classify(&[0.4, 0.4, 0.2], &[0.0, 1.0, 0.0], 3);
    assert_eq!(m.confusion[1], vec![1, 0, 0]);
    assert_eq!(n_classes(1), 2);
    assert_eq!(n_classes(3), 3);
}

// No rows: 0/0 ratios are NaN as the regression metrics' means.
#[test]
fn no_rows() {
    let m = classify(&[], &[], 1);
    assert_eq!(m.n, 0);
    assert!(m.accuracy.is_nan() && m.log_loss.is_nan());
}
