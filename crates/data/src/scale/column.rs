//! One column's statistics ([`ColumnStats`]) and the formulas that scale a value with them.

use serde::{Deserialize, Serialize};

use super::ScaleKind;
use crate::DataError;

/// The statistics of one column, enough for every [`ScaleKind`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnStats {
    pub name: String,
    pub min: f64,
    pub max: f64,
    /// `Σ x / n`.
    pub mean: f64,
    /// Population standard deviation `sqrt(Σ (x - mean)^2 / n)`.
    pub sd: f64,
}

impl ColumnStats {
    /// The statistics of `values` (at least one, all finite). The values are read where
    /// they are (an iterator, not a copied column); each sum runs top to bottom.
    pub(super) fn of(name: &str, values: impl Iterator<Item = f64> + Clone) -> ColumnStats {
        let n = values.clone().count() as f64;
        let mean = values.clone().sum::<f64>() / n;
        let var = values.clone().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
        ColumnStats {
            name: name.to_string(),
            min: values.clone().fold(f64::INFINITY, f64::min),
            max: values.fold(f64::NEG_INFINITY, f64::max),
            mean,
            sd: var.sqrt(),
        }
    }

    /// Statistics under which every [`ScaleKind`] is the identity (`min 0, max 1` for
    /// min-max, `mean 0, sd 1` for standard): a class target's, which is never scaled.
    pub(super) fn identity(name: &str) -> ColumnStats {
        ColumnStats {
            name: name.to_string(),
            min: 0.0,
            max: 1.0,
            mean: 0.0,
            sd: 1.0,
        }
    }

    /// Refuses statistics that would divide by zero (or are not numbers) under `kind`.
    pub(super) fn check(&self, kind: ScaleKind) -> Result<(), DataError> {
        let invalid = |reason: String| DataError::InvalidScaler {
            column: self.name.clone(),
            reason,
        };
        let stats = [self.min, self.max, self.mean, self.sd];
        if stats.iter().any(|v| !v.is_finite()) {
            return Err(invalid(format!(
                "statistics must be finite, found {stats:?}"
            )));
        }
        if self.min > self.max || self.sd < 0.0 {
            return Err(invalid(format!(
                "min {} above max {} or negative sd {}",
                self.min, self.max, self.sd
            )));
        }
        let scaling = match kind {
            ScaleKind::MinMax => "min-max",
            ScaleKind::Standard => "standard",
            ScaleKind::None => return Ok(()),
        };
        if self.min == self.max {
            return Err(DataError::ConstantColumn {
                column: self.name.clone(),
                value: self.min,
                scaling,
            });
        }
        if kind == ScaleKind::Standard && self.sd == 0.0 {
            return Err(DataError::ZeroStandardDeviation {
                column: self.name.clone(),
            });
        }
        Ok(())
    }

    /// `x'` from `x` (see the module docs for each formula).
    pub fn scale(&self, kind: ScaleKind, x: f64) -> f64 {
        match kind {
            ScaleKind::MinMax => (x - self.min) / (self.max - self.min),
            ScaleKind::Standard => (x - self.mean) / self.sd,
            ScaleKind::None => x,
        }
    }

    /// `x` from `x'`: the inverse of [`ColumnStats::scale`].
    pub fn unscale(&self, kind: ScaleKind, scaled: f64) -> f64 {
        match kind {
            ScaleKind::MinMax => scaled * (self.max - self.min) + self.min,
            ScaleKind::Standard => scaled * self.sd + self.mean,
            ScaleKind::None => scaled,
        }
    }
}
