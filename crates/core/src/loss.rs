//! Per-sample losses, each with its derivative right beside it.
//!
//! With several outputs the per-sample loss of the regression losses and of binary
//! cross-entropy is the mean over outputs (Keras's convention); with the course's single
//! output that is exactly `(y_hat - y)^2`, computed as `d*d`. Categorical cross-entropy is
//! the sum over the classes of one sample (one number per sample, as Keras and PyTorch
//! define it). How a sample's loss is assembled from its outputs, and how training computes
//! the cross-entropies from the output layer's `z` (logits) instead of its probabilities,
//! is [`crate::output`].
//!
//! ```
//! use nnlab_core::Loss;
//! // The course's start: y_hat = 2.5, y = 2 -> loss 0.25, dL/dy_hat = 2(2.5 - 2) = 1.
//! assert_eq!(Loss::SquaredError.f(2.5, 2.0), 0.25);
//! assert_eq!(Loss::SquaredError.df(2.5, 2.0), 1.0);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::CoreError;

/// A loss `L(y_hat, y)` for one output of one sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Loss {
    /// `L = (y_hat - y)^2`, computed as `d*d` with `d = y_hat - y`; `dL/dy_hat = 2(y_hat - y)`.
    SquaredError,
    /// `L = |y_hat - y|`; `dL/dy_hat = sign(y_hat - y)` (0 at 0).
    AbsoluteError,
    /// `L = d²/2` if `|d| <= delta`, else `delta·(|d| - delta/2)`;
    /// `dL/dy_hat = d` if `|d| <= delta`, else `delta·sign(d)`.
    Huber { delta: f64 },
    /// Binary cross-entropy of a probability `p = y_hat` and a target `y` in {0, 1}:
    /// `L = -(y·ln p + (1 - y)·ln(1 - p))`; `dL/dp = (p - y) / (p(1 - p))`.
    ///
    /// [`Loss::f`] and [`Loss::df`] are this probability form with `p` clipped to
    /// `[PROB_EPSILON, 1 - PROB_EPSILON]` (for log-loss of given probabilities). Training
    /// never uses them: it needs a sigmoid output and works from its logit `z`
    /// ([`Loss::f_logit`], and `dL/dz = y_hat - y`), exact and finite for every finite `z`.
    BinaryCrossEntropy,
    /// Categorical cross-entropy of a probability vector `p` and a one-hot (or probability)
    /// target `y`: `L = -Σ_k y_k·ln p_k`, summed over the classes. [`Loss::f`] is one class's
    /// term `-y·ln p` (clipped as above), [`Loss::df`] its slope `-y/p`. Training needs a
    /// softmax output and works from the logits `z` by log-sum-exp
    /// ([`crate::output::sample_loss`], and `dL/dz = y_hat - y`).
    CategoricalCrossEntropy,
}

/// The probability clip of the log-losses: a probability `p` enters `ln` as
/// `clamp(p, PROB_EPSILON, 1 - PROB_EPSILON)`, so a given `p` of exactly 0 or 1 costs at most
/// `-ln(1e-15) ≈ 34.5` instead of infinity. 1e-15 is scikit-learn's long-standing
/// `log_loss` epsilon (Keras uses 1e-7 in float32): the smallest clip whose `1 - ε` is
/// still distinct from 1 in `f64` with room to spare (`1 - 1e-15` is about 4.5 ulps below 1).
///
/// Training does not use it: sigmoid + binary cross-entropy and softmax + categorical
/// cross-entropy are computed from the logits (see [`crate::output`]), which needs no clip.
/// It is for losses of probabilities given as such (a metric's log-loss).
pub const PROB_EPSILON: f64 = 1e-15;

/// `p` clipped into `[PROB_EPSILON, 1 - PROB_EPSILON]` (NaN stays NaN).
#[inline(always)]
fn clip_probability(p: f64) -> f64 {
    p.clamp(PROB_EPSILON, 1.0 - PROB_EPSILON)
}

impl Loss {
    /// `L(y_hat, y)`.
    #[inline(always)]
    pub fn f(self, y_hat: f64, y: f64) -> f64 {
        let d = y_hat - y;
        match self {
            Loss::SquaredError => d * d,
            Loss::AbsoluteError => d.abs(),
            Loss::Huber { delta } => {
                if d.abs() <= delta {
                    0.5 * d * d
                } else {
                    delta * (d.abs() - 0.5 * delta)
                }
            }
            Loss::BinaryCrossEntropy => {
                let p = clip_probability(y_hat);
                -(y * p.ln() + (1.0 - y) * (1.0 - p).ln())
            }
            Loss::CategoricalCrossEntropy => -(y * clip_probability(y_hat).ln()),
        }
    }

    /// `dL/dy_hat`.
    #[inline(always)]
    pub fn df(self, y_hat: f64, y: f64) -> f64 {
        let d = y_hat - y;
        match self {
            Loss::SquaredError => 2.0 * d,
            Loss::AbsoluteError => sign(d),
            Loss::Huber { delta } => {
                if d.abs() <= delta {
                    d
                } else {
                    delta * sign(d)
                }
            }
            Loss::BinaryCrossEntropy => {
                let p = clip_probability(y_hat);
                (p - y) / (p * (1.0 - p))
            }
            // `0 - y` rather than `-y`: a class that is not the target has slope 0, not -0.
            Loss::CategoricalCrossEntropy => (0.0 - y) / clip_probability(y_hat),
        }
    }

    /// Binary cross-entropy from the logit `z` (`p = sigmoid(z)`), the form PyTorch's
    /// `BCEWithLogitsLoss` uses: `L = max(z, 0) - z·y + ln(1 + e^-|z|)`, which is
    /// `-(y·ln σ(z) + (1 - y)·ln(1 - σ(z)))` rearranged so nothing overflows: `e^-|z|` is in
    /// (0, 1], and `ln_1p` keeps its precision when it is tiny. `dL/dz = σ(z) - y`.
    ///
    /// For the other losses this is `f(z, y)`: they have no logit form.
    #[inline(always)]
    pub fn f_logit(self, z: f64, y: f64) -> f64 {
        match self {
            Loss::BinaryCrossEntropy => z.max(0.0) - z * y + (-z.abs()).exp().ln_1p(),
            other => other.f(z, y),
        }
    }

    /// Whether this is a classification loss (either cross-entropy): its targets are class
    /// labels (0/1 for one output, one-hot for several) and its outputs probabilities.
    pub fn is_classification(self) -> bool {
        matches!(
            self,
            Loss::BinaryCrossEntropy | Loss::CategoricalCrossEntropy
        )
    }

    /// The written form of `dL/dy_hat`, for explanations.
    pub fn df_formula(self) -> &'static str {
        match self {
            Loss::SquaredError => "2(y_hat - y)",
            Loss::AbsoluteError => "sign(y_hat - y)",
            Loss::Huber { .. } => "huber'(y_hat - y)",
            Loss::BinaryCrossEntropy => "(y_hat - y) / (y_hat(1 - y_hat))",
            Loss::CategoricalCrossEntropy => "-y / y_hat",
        }
    }
}

/// `sign(d)`: 1 above 0, -1 below, 0 at 0 (and for NaN): the slope of `|d|`, with the
/// subgradient 0 at its kink (PyTorch's `sign`; the absolute-error loss and the L1 penalty).
pub fn sign(d: f64) -> f64 {
    if d > 0.0 {
        1.0
    } else if d < 0.0 {
        -1.0
    } else {
        0.0
    }
}

impl fmt::Display for Loss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loss::SquaredError => f.write_str("squared_error"),
            Loss::AbsoluteError => f.write_str("absolute_error"),
            Loss::Huber { delta } => write!(f, "huber:{delta:?}"),
            Loss::BinaryCrossEntropy => f.write_str("binary_cross_entropy"),
            Loss::CategoricalCrossEntropy => f.write_str("categorical_cross_entropy"),
        }
    }
}

impl FromStr for Loss {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let unknown = || CoreError::UnknownLoss {
            name: s.to_string(),
        };
        let (head, arg) = match s.split_once(':') {
            Some((h, a)) => (h, Some(a)),
            None => (s, None),
        };
        match (head.to_ascii_lowercase().as_str(), arg) {
            ("squared_error" | "mse" | "squared", None) => Ok(Loss::SquaredError),
            ("absolute_error" | "mae" | "absolute", None) => Ok(Loss::AbsoluteError),
            ("huber", None) => Ok(Loss::Huber { delta: 1.0 }),
            ("binary_cross_entropy" | "bce", None) => Ok(Loss::BinaryCrossEntropy),
            ("categorical_cross_entropy" | "cce", None) => Ok(Loss::CategoricalCrossEntropy),
            ("huber", Some(a)) => match a.trim().parse::<f64>() {
                Ok(delta) if delta.is_finite() && delta > 0.0 => Ok(Loss::Huber { delta }),
                _ => Err(unknown()),
            },
            _ => Err(unknown()),
        }
    }
}

impl TryFrom<String> for Loss {
    type Error = CoreError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Loss> for String {
    fn from(l: Loss) -> String {
        l.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // By hand: d = 3 - 1 = 2. Squared: 4, slope 4. Absolute: 2, slope 1.
    // Huber delta 1: 1·(2 - 0.5) = 1.5, slope 1; inside (d = 0.5): 0.125, slope 0.5.
    #[test]
    fn values_by_hand() {
        assert_eq!(Loss::SquaredError.f(3.0, 1.0), 4.0);
        assert_eq!(Loss::SquaredError.df(3.0, 1.0), 4.0);
        assert_eq!(Loss::AbsoluteError.f(1.0, 3.0), 2.0);
        assert_eq!(Loss::AbsoluteError.df(1.0, 3.0), -1.0);
        let h = Loss::Huber { delta: 1.0 };
        assert_eq!(h.f(3.0, 1.0), 1.5);
        assert_eq!(h.df(3.0, 1.0), 1.0);
        assert_eq!(h.f(1.5, 1.0), 0.125);
        assert_eq!(h.df(1.5, 1.0), 0.5);
    }

    // Finite differences of each loss in y_hat, away from the kinks, within 1e-7.
    #[test]
    fn derivatives_match_central_differences() {
        let h = 1e-6;
        for loss in [
            Loss::SquaredError,
            Loss::AbsoluteError,
            Loss::Huber { delta: 0.7 },
        ] {
            for &(yh, y) in &[(2.5, 2.0), (-1.0, 3.0), (0.2, 0.0), (4.0, 1.0)] {
                let num = (loss.f(yh + h, y) - loss.f(yh - h, y)) / (2.0 * h);
                assert!((num - loss.df(yh, y)).abs() < 1e-7, "{loss} {yh} {y}");
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for s in [
            "squared_error",
            "absolute_error",
            "huber:0.5",
            "binary_cross_entropy",
            "categorical_cross_entropy",
        ] {
            assert_eq!(s.parse::<Loss>().unwrap().to_string(), s);
        }
        assert_eq!("bce".parse::<Loss>(), Ok(Loss::BinaryCrossEntropy));
        assert_eq!("CCE".parse::<Loss>(), Ok(Loss::CategoricalCrossEntropy));
        assert!(Loss::BinaryCrossEntropy.is_classification());
        assert!(Loss::CategoricalCrossEntropy.is_classification());
        assert!(!Loss::SquaredError.is_classification());
        assert!("hinge".parse::<Loss>().is_err());
        assert!("huber:-1".parse::<Loss>().is_err());
    }
}
