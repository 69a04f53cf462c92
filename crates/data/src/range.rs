//! [`Range`]: a half-open interval `[lo, hi)` for the generator's draws.
//!
//! Written `[lo, hi]` (two numbers) in TOML and JSON, or `"lo,hi"` as text (flags, and TOML
//! strings too). Negative bounds work: `"-50,50"` is `[-50, 50)`.
//!
//! ```
//! use nnlab_data::Range;
//! let r: Range = "-50,50".parse().unwrap();
//! assert_eq!(r, Range::new(-50.0, 50.0));
//! assert_eq!(r.to_string(), "[-50, 50)");
//! assert!(r.contains(-50.0) && !r.contains(50.0));
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DataError;

/// The largest magnitude of a range's bound (`|lo|` and `|hi|` at most 1e100): the width
/// `hi - lo` and a draw's square (`x1^2` of the target, up to 1e200) stay finite, below
/// f64's 1.8e308, where `-1e308,1e308` made the width infinite and a draw never land inside.
/// Far past any real data, and wide enough for the sweeps that make training overflow on
/// purpose (inputs of 1e60).
pub const MAX_MAGNITUDE: f64 = 1e100;

/// The half-open interval `[lo, hi)`. Constructing one checks nothing; the
/// [`Generator`](crate::Generator) validates its ranges (`lo < hi`, finite bounds).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(into = "(f64, f64)")]
pub struct Range {
    pub lo: f64,
    pub hi: f64,
}

impl Range {
    pub const fn new(lo: f64, hi: f64) -> Range {
        Range { lo, hi }
    }

    /// `lo <= v < hi`.
    pub fn contains(&self, v: f64) -> bool {
        self.lo <= v && v < self.hi
    }

    /// `hi - lo`.
    pub fn width(&self) -> f64 {
        self.hi - self.lo
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {})", self.lo, self.hi)
    }
}

impl FromStr for Range {
    type Err = DataError;

    /// Parses `"lo,hi"` (spaces allowed around each number).
    fn from_str(s: &str) -> Result<Range, DataError> {
        let err = |reason: &str| DataError::InvalidRange {
            text: s.to_string(),
            reason: reason.to_string(),
        };
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let [lo, hi] = parts.as_slice() else {
            return Err(err(&format!(
                "expected two numbers separated by a comma, found {} part(s)",
                parts.len()
            )));
        };
        let number = |t: &str, which: &str| {
            t.parse::<f64>()
                .map_err(|_| err(&format!("{which} bound '{t}' is not a number")))
        };
        Ok(Range::new(number(lo, "lower")?, number(hi, "upper")?))
    }
}

/// What a range's field takes, for serde's messages (issue 17: an untagged enum answered
/// `x1 = 1` with "data did not match any variant of untagged enum RangeRepr").
const EXPECTED_RANGE: &str = "a range LO,HI: two numbers [lo, hi] or the text \"lo,hi\"";

impl<'de> Deserialize<'de> for Range {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Range, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Range;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(EXPECTED_RANGE)
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Range, E> {
                s.parse().map_err(E::custom)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Range, A::Error> {
                let wrong = |n: usize| {
                    serde::de::Error::custom(format!(
                        "expected {EXPECTED_RANGE}, found a list of {n} number(s)"
                    ))
                };
                let lo: f64 = seq.next_element()?.ok_or_else(|| wrong(0))?;
                let hi: f64 = seq.next_element()?.ok_or_else(|| wrong(1))?;
                let mut n = 2;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                if n > 2 {
                    return Err(wrong(n));
                }
                Ok(Range::new(lo, hi))
            }
        }
        d.deserialize_any(V)
    }
}

impl From<Range> for (f64, f64) {
    fn from(r: Range) -> (f64, f64) {
        (r.lo, r.hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_text_with_spaces_and_negative_bounds() {
        assert_eq!(
            " -50 , 50 ".parse::<Range>().unwrap(),
            Range::new(-50.0, 50.0)
        );
        assert_eq!("0.5,1e2".parse::<Range>().unwrap(), Range::new(0.5, 100.0));
    }

    #[test]
    fn rejects_malformed_text() {
        let e = "5".parse::<Range>().unwrap_err().to_string();
        assert!(e.contains("found 1 part(s)"), "{e}");
        let e = "0,x".parse::<Range>().unwrap_err().to_string();
        assert!(e.contains("upper bound 'x' is not a number"), "{e}");
        assert!("1,2,3".parse::<Range>().is_err());
    }

    #[derive(Debug, Deserialize, Serialize)]
    struct Holder {
        r: Range,
    }

    #[test]
    fn serde_accepts_pairs_and_strings_and_writes_pairs() {
        let h: Holder = toml::from_str("r = [-50, 50]").unwrap();
        assert_eq!(h.r, Range::new(-50.0, 50.0));
        let h: Holder = toml::from_str("r = [0.5, 2.5]").unwrap();
        assert_eq!(h.r, Range::new(0.5, 2.5));
        let h: Holder = toml::from_str("r = \"-1,1\"").unwrap();
        assert_eq!(h.r, Range::new(-1.0, 1.0));
        let h: Holder = serde_json::from_str(r#"{"r": [0, 5]}"#).unwrap();
        assert_eq!(h.r, Range::new(0.0, 5.0));
        assert_eq!(serde_json::to_string(&h).unwrap(), r#"{"r":[0.0,5.0]}"#);
        assert!(serde_json::from_str::<Holder>(r#"{"r": [0, 5, 6]}"#).is_err());
    }

    // Issue 17: one number, a boolean, three numbers each get what a range is.
    #[test]
    fn serde_refusals_say_what_a_range_is() {
        let err = |toml: &str| {
            toml::from_str::<Holder>(toml)
                .unwrap_err()
                .message()
                .to_string()
        };
        assert_eq!(
            err("r = 1"),
            "invalid type: integer `1`, expected a range LO,HI: two numbers [lo, hi] or the text \"lo,hi\""
        );
        assert_eq!(
            err("r = true"),
            "invalid type: boolean `true`, expected a range LO,HI: two numbers [lo, hi] or the text \"lo,hi\""
        );
        assert_eq!(
            err("r = [0, 5, 6]"),
            "expected a range LO,HI: two numbers [lo, hi] or the text \"lo,hi\", found a list of 3 number(s)"
        );
    }
}
