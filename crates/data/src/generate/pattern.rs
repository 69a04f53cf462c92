//! Which generated data ([`Pattern`]): the course's `quadratic` rows or one of TF Playground's
//! two-class sets, written `generate` or `generate:NAME` as a data source.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DataError;

/// The shape of generated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pattern {
    /// The course's `y = x1^2 + x2 + noise` ([`Generator`](crate::Generator)); plain `generate`.
    #[default]
    Quadratic,
    /// Class 1 inside a circle, class 0 in a ring around it ([`TwoClass`](crate::TwoClass)).
    Circle,
    /// Class 1 in the quadrants where `x1 x2 >= 0`.
    Xor,
    /// Two Gaussian clouds.
    Gauss,
    /// Two interleaved spirals.
    Spiral,
}

impl Pattern {
    /// Every pattern, in the order help lists them.
    pub const ALL: [Pattern; 5] = [
        Pattern::Quadratic,
        Pattern::Circle,
        Pattern::Xor,
        Pattern::Gauss,
        Pattern::Spiral,
    ];

    /// One of TF Playground's two-class sets (everything but `quadratic`).
    pub fn is_two_class(self) -> bool {
        self != Pattern::Quadratic
    }

    pub fn name(self) -> &'static str {
        match self {
            Pattern::Quadratic => "quadratic",
            Pattern::Circle => "circle",
            Pattern::Xor => "xor",
            Pattern::Gauss => "gauss",
            Pattern::Spiral => "spiral",
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Pattern {
    type Err = DataError;
    fn from_str(s: &str) -> Result<Pattern, DataError> {
        let s = s.trim();
        Pattern::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| DataError::UnknownPattern {
                name: s.to_string(),
                expected: Pattern::ALL.map(Pattern::name).join(", "),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_a_typo_lists_the_choices() {
        for p in Pattern::ALL {
            assert_eq!(p.to_string().parse::<Pattern>().unwrap(), p);
        }
        assert_eq!(
            "circles".parse::<Pattern>().unwrap_err().to_string(),
            "unknown generated data 'generate:circles' (expected generate, or generate: followed by quadratic, circle, xor, gauss, spiral)"
        );
        assert!(!Pattern::Quadratic.is_two_class() && Pattern::Spiral.is_two_class());
    }
}
