//! Scaling each column to a common range before training, and back for reporting.
//!
//! Per column (every input and the target separately), fitted on one data set and then applied
//! to any data set with the same columns:
//! - `minmax` (default): `x' = (x - min) / (max - min)`, computed in exactly that form (the
//!   course's formula), so the fitted data lies in `[0, 1]`; inverse `x = x' (max - min) + min`;
//! - `standard`: `x' = (x - mean) / sd` with the population standard deviation
//!   `sd = sqrt(Σ (x - mean)^2 / n)` (ddof = 0, as scikit-learn's `StandardScaler`);
//!   inverse `x = x' sd + mean`;
//! - `none`: `x' = x`.
//!
//! A constant column cannot be scaled (min-max and standard would divide by zero) and is an
//! error naming it.
//!
//! ```
//! use nnlab_data::{Dataset, ScaleKind, Scaler};
//! let d = Dataset::new(vec!["x1".into()], "y".into(), vec![2.0, 5.0, 11.0],
//!                      vec![10.0, 20.0, 30.0], "by hand".into()).unwrap();
//! let scaler = Scaler::fit(&d, ScaleKind::MinMax).unwrap();
//! let s = scaler.transform(&d).unwrap();
//! assert_eq!(s.x, vec![0.0, (5.0 - 2.0) / (11.0 - 2.0), 1.0]);
//! assert_eq!(s.y, vec![0.0, 0.5, 1.0]);
//! assert_eq!(scaler.inverse_target(0.5), 20.0);
//! ```

mod column;
mod kind;
mod scaler;

pub use column::ColumnStats;
pub use kind::ScaleKind;
pub use scaler::Scaler;
