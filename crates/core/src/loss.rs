//! Per-sample losses, each with its derivative right beside it.
//!
//! With several outputs the per-sample loss is the mean over outputs (Keras's convention);
//! with the course's single output that is exactly `(y_hat - y)^2`, computed as `d*d`.
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
        }
    }

    /// The written form of `dL/dy_hat`, for explanations.
    pub fn df_formula(self) -> &'static str {
        match self {
            Loss::SquaredError => "2(y_hat - y)",
            Loss::AbsoluteError => "sign(y_hat - y)",
            Loss::Huber { .. } => "huber'(y_hat - y)",
        }
    }
}

fn sign(d: f64) -> f64 {
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
        for s in ["squared_error", "absolute_error", "huber:0.5"] {
            assert_eq!(s.parse::<Loss>().unwrap().to_string(), s);
        }
        assert!("hinge".parse::<Loss>().is_err());
        assert!("huber:-1".parse::<Loss>().is_err());
    }
}
