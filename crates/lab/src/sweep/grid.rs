//! The grid of a sweep: which keys vary, over which values, and the runs they make.
//!
//! A factor is written `KEY=VALUES` with a key of [`crate::KEYS`]. `VALUES` is a comma list
//! (`lr=0.001,0.01,0.1`), where an element may be an integer range: `0..10` is Rust's
//! half-open range `0, 1, ..., 9` and `0..=9` the inclusive one, the same ten values. A value
//! that itself contains commas (an `x1` range, a weight list) is written with `;` between
//! the values instead: `x1=0,5;0,20;-50,50` is three values.
//!
//! The grid is the cartesian product in the order the factors are given, the last factor
//! changing fastest: `--vary lr=0.1,1 --vary seed=0..2` runs `(0.1,0) (0.1,1) (1,0) (1,1)`.

use serde::{Deserialize, Serialize};

use crate::config::{keys, not_for_data_message, Syntax, LIMITS};
use crate::{Experiment, LabError};

/// Keys whose values are repetitions rather than settings: the summary spreads over them.
pub const SEED_KEYS: [&str; 4] = ["seed", "data_seed", "init_seed", "shuffle_seed"];

/// One varied key and its values, as typed (`"0.01"`, `"high-high"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    pub key: String,
    pub values: Vec<String>,
}

/// One element of a factor's list: a value, or an integer range `lo..end` (half-open)
/// kept as its bounds, so a grid's size is known before any range is expanded.
enum Part<'a> {
    Value(&'a str),
    Range(i64, i64),
}

impl Part<'_> {
    fn count(&self) -> u128 {
        match *self {
            Part::Value(_) => 1,
            // Non-empty (parse_range checked end > lo); the difference fits in u128.
            Part::Range(lo, end) => (i128::from(end) - i128::from(lo)) as u128,
        }
    }
}

/// The key and the parts of `KEY=VALUES`; errors name the factor.
fn parts(text: &str) -> Result<(&'static str, Vec<Part<'_>>), LabError> {
    let bad = |message: String| LabError::Config {
        key: format!("--vary {text}"),
        message,
    };
    let (key, list) = text
        .split_once('=')
        .ok_or_else(|| bad("expected KEY=V1,V2,... (e.g. lr=0.01,0.1)".into()))?;
    let key = key.trim();
    let key = keys::find(key)
        .ok_or_else(|| LabError::UnknownKey {
            key: key.to_string(),
            known: keys::known(),
        })?
        .key;
    let sep = if list.contains(';') { ';' } else { ',' };
    let mut parts = Vec::new();
    for part in list.split(sep).map(str::trim) {
        if part.is_empty() {
            return Err(bad("an empty value".into()));
        }
        if part.chars().any(char::is_control) {
            // Values become CSV fields read back line by line (`sweep merge`).
            return Err(bad(format!("{part:?} contains a control character")));
        }
        parts.push(match parse_range(part).map_err(bad)? {
            Some((lo, end)) => Part::Range(lo, end),
            None => Part::Value(part),
        });
    }
    Ok((key, parts))
}

impl Factor {
    /// Parses `KEY=VALUES` (see the module doc). Errors name the factor; one of more than
    /// [`LIMITS`]`.max_runs` values is refused before its ranges are expanded.
    pub fn parse(text: &str) -> Result<Factor, LabError> {
        let (key, parts) = parts(text)?;
        let count: u128 = parts.iter().map(Part::count).sum();
        LIMITS
            .check_runs(&[count])
            .map_err(|message| LabError::Config {
                key: format!("--vary {text}"),
                message,
            })?;
        let mut values = Vec::new();
        for part in parts {
            match part {
                Part::Value(v) => values.push(v.to_string()),
                Part::Range(lo, end) => values.extend((lo..end).map(|v| v.to_string())),
            }
        }
        Ok(Factor {
            key: key.to_string(),
            values,
        })
    }

    /// The number of values `KEY=VALUES` has, from its text alone (ranges by their bounds).
    pub fn count(text: &str) -> Result<u128, LabError> {
        Ok(parts(text)?.1.iter().map(Part::count).sum())
    }
}

/// `A..B` (half-open) or `A..=B` (inclusive) as `(A, end)` with `end` past the last value;
/// `None` when `part` is not a range.
fn parse_range(part: &str) -> Result<Option<(i64, i64)>, String> {
    let Some((lo, hi)) = part.split_once("..") else {
        return Ok(None);
    };
    let (hi, inclusive) = match hi.strip_prefix('=') {
        Some(h) => (h, true),
        None => (hi, false),
    };
    let int = |s: &str| {
        s.trim()
            .parse::<i64>()
            .map_err(|_| format!("range '{part}' needs integers, like 0..10 or 0..=9"))
    };
    let (lo, hi) = (int(lo)?, int(hi)?);
    let end = if inclusive {
        hi.checked_add(1)
    } else {
        Some(hi)
    }
    .ok_or_else(|| format!("range '{part}' is too large"))?;
    if end <= lo {
        return Err(format!("range '{part}' is empty"));
    }
    Ok(Some((lo, end)))
}

/// A sweep: a base experiment and the factors varied over it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    pub base: Experiment,
    pub vary: Vec<Factor>,
}

/// One point of the grid: its position and the value index of each factor.
#[derive(Debug, Clone, PartialEq)]
pub struct GridPoint {
    /// 0-based position in the whole grid.
    pub index: usize,
    /// `values[f]` is the value of factor `f` (as typed).
    pub values: Vec<String>,
}

impl SweepSpec {
    /// A spec from `KEY=VALUES` texts; checks every factor (see [`SweepSpec::validate`]).
    /// The grid's size is computed from the texts first, so a grid past
    /// [`LIMITS`]`.max_runs` is refused before any value is expanded.
    pub fn parse(base: Experiment, vary: &[String]) -> Result<SweepSpec, LabError> {
        let counts = vary
            .iter()
            .map(|v| Factor::count(v))
            .collect::<Result<Vec<_>, _>>()?;
        LIMITS.check_runs(&counts).map_err(grid_error)?;
        let factors = vary
            .iter()
            .map(|v| Factor::parse(v))
            .collect::<Result<Vec<_>, _>>()?;
        let spec = SweepSpec {
            base,
            vary: factors,
        };
        spec.validate()?;
        Ok(spec)
    }

    /// The number of runs: the product of the factors' value counts (1 with no factor).
    pub fn n_runs(&self) -> usize {
        self.vary
            .iter()
            .fold(1usize, |n, f| n.saturating_mul(f.values.len()))
    }

    /// The factor keys, in order.
    pub fn keys(&self) -> Vec<String> {
        self.vary.iter().map(|f| f.key.clone()).collect()
    }

    /// Checks, before anything runs: at most [`LIMITS`]`.max_runs` runs, no key twice, no
    /// factor without values, and every value accepted by [`Experiment::set`] and
    /// [`Experiment::validate`] on the base. The error names the key and the value.
    pub fn validate(&self) -> Result<(), LabError> {
        let counts: Vec<u128> = self.vary.iter().map(|f| f.values.len() as u128).collect();
        LIMITS.check_runs(&counts).map_err(grid_error)?;
        // The base's limits that no factor overrides, named as the flag: `--epochs` past
        // its limit is one error, not one per grid point.
        if let Err(e) = self.base.check_limits() {
            let varied = |key: &str| self.vary.iter().any(|f| f.key == key);
            if !matches!(&e, LabError::Config { key, .. } if varied(key)) {
                return Err(e.in_syntax(Syntax::Flag));
            }
        }
        for (i, f) in self.vary.iter().enumerate() {
            if self.vary[..i].iter().any(|g| g.key == f.key) {
                return Err(LabError::Config {
                    key: format!("--vary {}", f.key),
                    message: "the key is varied twice".into(),
                });
            }
            if f.values.is_empty() {
                return Err(LabError::Config {
                    key: format!("--vary {}", f.key),
                    message: "no values".into(),
                });
            }
            let applies =
                keys::find(&f.key).map(|k| k.applies_to.allows(self.base.data.source.kind()));
            if applies == Some(false) {
                return Err(LabError::Config {
                    key: format!("--vary {}", f.key),
                    message: not_for_data_message(&self.base.data.source),
                });
            }
            for v in &f.values {
                let mut e = self.base.clone();
                e.set(&f.key, v).and_then(|_| e.validate()).map_err(|err| {
                    // The same failure without the value is the base's: name the option the
                    // user gave (`--epochs 0`), not the first varied value it met.
                    match self.base.validate() {
                        Err(base) if base.to_string() == err.to_string() => base,
                        _ => LabError::Config {
                            key: format!("--vary {}={v}", f.key),
                            message: err.to_string(),
                        },
                    }
                })?;
            }
        }
        Ok(())
    }

    /// The grid point at `index` (row-major: the last factor changes fastest).
    pub fn point(&self, index: usize) -> GridPoint {
        let mut rest = index;
        let mut values = vec![String::new(); self.vary.len()];
        for (f, factor) in self.vary.iter().enumerate().rev() {
            let n = factor.values.len();
            values[f] = factor.values[rest % n].clone();
            rest /= n;
        }
        GridPoint { index, values }
    }

    /// The experiment of one grid point: the base with each factor's value set in order
    /// with [`Experiment::set`], resolved and validated. The error names the point's settings.
    pub fn experiment(&self, point: &GridPoint) -> Result<Experiment, LabError> {
        let mut e = self.base.clone();
        for (f, v) in self.vary.iter().zip(&point.values) {
            e.set(&f.key, v)?;
        }
        self.finish(point, e)
    }

    fn finish(&self, point: &GridPoint, e: Experiment) -> Result<Experiment, LabError> {
        e.validate().map_err(|err| match self.vary.is_empty() {
            // No factor to name: the point is the base, its option named as the flag.
            true => err.in_syntax(Syntax::Flag),
            false => LabError::Config {
                key: self.describe(point),
                message: err.to_string(),
            },
        })?;
        Ok(e.resolved())
    }

    /// `lr=0.1, seed=3` for a grid point.
    pub fn describe(&self, point: &GridPoint) -> String {
        self.vary
            .iter()
            .zip(&point.values)
            .map(|(f, v)| format!("{}={v}", f.key))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether the sweep classifies (a cross-entropy loss): its files then have accuracy
    /// columns. Read off the first grid point, as a sweep cannot mix classes and numbers as
    /// targets (each point's loss must fit the one data set).
    pub fn is_classification(&self) -> bool {
        self.experiment(&self.point(0))
            .is_ok_and(|e| e.train.loss.is_classification())
    }

    /// The indices of the factors that are not seeds (the summary groups by these).
    pub fn setting_factors(&self) -> Vec<usize> {
        (0..self.vary.len())
            .filter(|&f| !SEED_KEYS.contains(&self.vary[f].key.as_str()))
            .collect()
    }
}

/// A grid past the limit, named as the flags give it.
fn grid_error(message: String) -> LabError {
    LabError::Config {
        key: "--vary".into(),
        message,
    }
}

/// The grid indices of shard `k` of `n` (1-based `k`): every `i` with `i % n == k - 1`.
pub fn shard_indices(n_runs: usize, shard: Option<Shard>) -> Vec<usize> {
    match shard {
        None => (0..n_runs).collect(),
        Some(s) => (s.k - 1..n_runs).step_by(s.n).collect(),
    }
}

/// `--shard K/N`: the K-th (1-based) of N interleaved slices of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = LabError;
    fn from_str(s: &str) -> Result<Shard, LabError> {
        let bad = || LabError::Config {
            key: "--shard".into(),
            message: format!("'{s}' is not K/N with 1 <= K <= N (e.g. 3/10)"),
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: usize = k.trim().parse().map_err(|_| bad())?;
        let n: usize = n.trim().parse().map_err(|_| bad())?;
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_half_open_or_inclusive() {
        let f = Factor::parse("seed=0..3").unwrap();
        assert_eq!(f.values, ["0", "1", "2"]);
        let g = Factor::parse("seed=0..=2").unwrap();
        assert_eq!(g.values, f.values);
        let h = Factor::parse("seed=5,0..2,9").unwrap();
        assert_eq!(h.values, ["5", "0", "1", "9"]);
        assert!(Factor::parse("seed=3..3").is_err());
        assert!(Factor::parse("seed=a..3").is_err());
    }

    // Issue 17: a grid of 10^14 runs was refused only after expanding 2 × 10^7 values (87 s,
    // 1.3 GB). Its size is now the product of the counts of the texts: 10^7 · 10^7.
    #[test]
    fn a_grid_is_sized_before_it_is_expanded() {
        assert_eq!(Factor::count("seed=5,0..2,9").unwrap(), 4);
        assert_eq!(
            Factor::count("seed=-9223372036854775808..9223372036854775807").unwrap(),
            u64::MAX as u128
        );
        let vary = ["seed=0..10000000".to_string(), "lr=0..10000000".into()];
        let e = SweepSpec::parse(Experiment::default(), &vary)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "--vary: the grid has 100000000000000 runs, more than the limit of 1000000"
        );
        // One factor past the limit alone, without a second to multiply.
        let e = Factor::parse("seed=0..=1000000").unwrap_err().to_string();
        assert_eq!(
            e,
            "--vary seed=0..=1000000: the grid has 1000001 runs, more than the limit of 1000000"
        );
    }

    #[test]
    fn semicolons_separate_values_with_commas() {
        let f = Factor::parse("x1=0,5;0,20;-50,50").unwrap();
        assert_eq!(f.values, ["0,5", "0,20", "-50,50"]);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_named() {
        let e = Factor::parse("learning_rate=1").unwrap_err().to_string();
        assert!(e.contains("learning_rate"), "{e}");
        let e = SweepSpec::parse(Experiment::default(), &["lr=0.1,-1".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("lr=-1"), "{e}");
        let e = SweepSpec::parse(Experiment::default(), &["init=course,nope".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("init=nope"), "{e}");
        let e = SweepSpec::parse(Experiment::default(), &["lr=1".into(), "lr=2".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("twice"), "{e}");
    }

    // Issue 17: `experiment run learning-rate --epochs 0` blamed `--vary lr=0.00005`. A base
    // option that fails alone is named itself; a varied value that fails is named with `--vary`.
    #[test]
    fn a_bad_base_option_is_named_not_the_first_varied_value() {
        let mut base = Experiment::default();
        base.set("epochs", "0").unwrap();
        let e = SweepSpec::parse(base, &["lr=0.00005,0.01".into()])
            .unwrap_err()
            .to_string();
        assert_eq!(e, "epochs: '0' must be at least 1");
        let e = SweepSpec::parse(Experiment::default(), &["epochs=5,0".into()])
            .unwrap_err()
            .to_string();
        assert_eq!(e, "--vary epochs=0: epochs: '0' must be at least 1");
    }

    #[test]
    fn grid_is_row_major_and_shards_interleave() {
        let spec = SweepSpec::parse(
            Experiment::default(),
            &["lr=0.1,1".into(), "seed=0..3".into()],
        )
        .unwrap();
        assert_eq!(spec.n_runs(), 6);
        let pts: Vec<Vec<String>> = (0..6).map(|i| spec.point(i).values).collect();
        assert_eq!(pts[0], ["0.1", "0"]);
        assert_eq!(pts[2], ["0.1", "2"]);
        assert_eq!(pts[3], ["1", "0"]);
        assert_eq!(pts[5], ["1", "2"]);
        let s: Shard = "2/4".parse().unwrap();
        assert_eq!(shard_indices(10, Some(s)), [1, 5, 9]);
        assert!("0/4".parse::<Shard>().is_err());
        assert!("5/4".parse::<Shard>().is_err());
        assert_eq!(spec.setting_factors(), [0]);
    }
}
