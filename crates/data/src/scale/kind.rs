//! Which scaling to apply ([`ScaleKind`]) and its names.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DataError;

/// Which scaling to apply to every column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScaleKind {
    /// `(x - min) / (max - min)`.
    #[default]
    MinMax,
    /// `(x - mean) / sd`, population sd.
    Standard,
    /// Unchanged.
    None,
}

impl fmt::Display for ScaleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ScaleKind::MinMax => "minmax",
            ScaleKind::Standard => "standard",
            ScaleKind::None => "none",
        })
    }
}

impl FromStr for ScaleKind {
    type Err = DataError;
    fn from_str(s: &str) -> Result<ScaleKind, DataError> {
        match s.trim() {
            "minmax" => Ok(ScaleKind::MinMax),
            "standard" => Ok(ScaleKind::Standard),
            "none" => Ok(ScaleKind::None),
            _ => Err(DataError::UnknownScaleKind { name: s.into() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_round_trip() {
        for k in [ScaleKind::MinMax, ScaleKind::Standard, ScaleKind::None] {
            assert_eq!(k.to_string().parse::<ScaleKind>().unwrap(), k);
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
        }
        assert_eq!(ScaleKind::default(), ScaleKind::MinMax);
        assert!("zscore".parse::<ScaleKind>().is_err());
    }
}
