//! Classification metrics of predicted probabilities against class targets over `n` rows.
//!
//! A row has `k_out` outputs: one (a probability `p` of class 1, the "positive" class; two
//! classes) or K > 1 (a probability per class). Targets have the same shape: `y ∈ {0, 1}`
//! or one-hot. The class of a row, predicted or true, is [`nnlab_core::predicted_class`] of
//! its outputs or its target (`p >= 0.5`, or the first index of the maximum), so a one-hot
//! target gives its hot index and `y = 1` gives class 1.
//!
//! ```text
//! confusion[t][c] = rows of true class t predicted as class c
//! accuracy        = Σ_c confusion[c][c] / n
//! precision_c     = confusion[c][c] / Σ_t confusion[t][c]    (of the rows predicted c)
//! recall_c        = confusion[c][c] / Σ_p confusion[c][p]    (of the rows truly c)
//! f1_c            = 2·precision_c·recall_c / (precision_c + recall_c)
//! log_loss        = -Σ_rows Σ_k y_k·ln(clip(p_k)) / n           (K outputs)
//!                 = -Σ_rows (y·ln(clip(p)) + (1 - y)·ln(clip(1 - p))) / n   (one output)
//! clip(p)         = min(max(p, PROB_EPSILON), 1 - PROB_EPSILON)   (nnlab_core::PROB_EPSILON)
//! ```
//!
//! Each row's log-loss is [`Loss::f`] of the binary or categorical cross-entropy, where the
//! clip lives.
//!
//! A ratio over nothing (no row predicted as `c`, no row truly `c`, precision = recall = 0)
//! is 0, as scikit-learn's `zero_division=0`. The headline `precision`, `recall` and `f1`
//! are the positive class's with one output (two classes) and the macro average (the plain
//! mean over classes) with K outputs. `majority` is the accuracy of always answering the most
//! common true class: the baseline an accuracy is judged against.
//!
//! ```
//! use nnlab_train::metrics::classify;
//! // By hand: p = [0.9, 0.2, 0.6], y = [1, 0, 0] -> predicted 1, 0, 1: two of three right.
//! let m = classify(&[0.9, 0.2, 0.6], &[1.0, 0.0, 0.0], 1);
//! assert_eq!(m.accuracy, 2.0 / 3.0);
//! assert_eq!(m.confusion, vec![vec![1, 1], vec![0, 1]]);
//! ```

use nnlab_core::{predicted_class, Loss};
use serde::{Deserialize, Serialize};

/// Precision, recall and F1 of one class, and how many rows truly are it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// The classification metrics of one set of predictions (see the module doc).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    pub accuracy: f64,
    /// The positive class's with one output, the macro average with K outputs.
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Mean cross-entropy of the clipped probabilities (natural log).
    pub log_loss: f64,
    /// Accuracy of always answering the most common true class.
    pub majority: f64,
    /// One entry per class, in class order.
    pub per_class: Vec<ClassScores>,
    /// `confusion[true][predicted]`, rows and columns in class order.
    pub confusion: Vec<Vec<usize>>,
    pub n: usize,
}

impl ClassMetrics {
    /// The classes (columns of the confusion matrix) no row was predicted as.
    pub fn never_predicted(&self) -> Vec<usize> {
        (0..self.confusion.len())
            .filter(|&c| self.confusion.iter().all(|row| row[c] == 0))
            .collect()
    }
}

/// The number of classes of rows with `k_out` outputs: two for one output, else `k_out`.
pub fn n_classes(k_out: usize) -> usize {
    if k_out <= 1 {
        2
    } else {
        k_out
    }
}

/// The metrics of the flat `outputs` (`n · k_out` probabilities, row-major) against the
/// flat `y` of the same shape, paired up to the shorter length. With no rows every ratio is
/// NaN (0/0), as the regression metrics'.
pub fn classify(outputs: &[f64], y: &[f64], k_out: usize) -> ClassMetrics {
    let k_out = k_out.max(1);
    let n = outputs.len().min(y.len()) / k_out;
    let k = n_classes(k_out);
    let mut confusion = vec![vec![0usize; k]; k];
    let mut loss = 0.0;
    for r in 0..n {
        let p = &outputs[r * k_out..(r + 1) * k_out];
        let t = &y[r * k_out..(r + 1) * k_out];
        confusion[predicted_class(t)][predicted_class(p)] += 1;
        loss += row_log_loss(p, t);
    }
    let per_class: Vec<ClassScores> = (0..k).map(|c| scores(&confusion, c)).collect();
    let headline = if k_out == 1 {
        per_class[1]
    } else {
        let mean = |f: fn(&ClassScores) -> f64| per_class.iter().map(f).sum::<f64>() / k as f64;
        ClassScores {
            precision: mean(|s| s.precision),
            recall: mean(|s| s.recall),
            f1: mean(|s| s.f1),
            support: n,
        }
    };
    let nf = n as f64;
    let right: usize = (0..k).map(|c| confusion[c][c]).sum();
    let largest = per_class.iter().map(|s| s.support).max().unwrap_or(0);
    ClassMetrics {
        accuracy: right as f64 / nf,
        precision: headline.precision,
        recall: headline.recall,
        f1: headline.f1,
        log_loss: loss / nf,
        majority: largest as f64 / nf,
        per_class,
        confusion,
        n,
    }
}

/// One row's cross-entropy, [`Loss::f`] of the matching cross-entropy (which clips `p`):
/// `-(y ln p + (1-y) ln(1-p))` for one output, `-Σ_k y_k ln p_k` for K.
fn row_log_loss(p: &[f64], y: &[f64]) -> f64 {
    let loss = if p.len() == 1 {
        Loss::BinaryCrossEntropy
    } else {
        Loss::CategoricalCrossEntropy
    };
    p.iter().zip(y).map(|(p, y)| loss.f(*p, *y)).sum()
}

/// A ratio that is 0 when its denominator is (scikit-learn's `zero_division=0`).
fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

fn scores(confusion: &[Vec<usize>], c: usize) -> ClassScores {
    let hit = confusion[c][c];
    let predicted: usize = confusion.iter().map(|row| row[c]).sum();
    let support: usize = confusion[c].iter().sum();
    let precision = ratio(hit, predicted);
    let recall = ratio(hit, support);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    ClassScores {
        precision,
        recall,
        f1,
        support,
    }
}
