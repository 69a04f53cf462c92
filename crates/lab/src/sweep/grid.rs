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

use crate::{Experiment, LabError, KEYS};

/// Keys whose values are repetitions rather than settings: the summary spreads over them.
pub const SEED_KEYS: [&str; 4] = ["seed", "data_seed", "init_seed", "shuffle_seed"];

/// The most runs one grid may have (a typo like `seed=0..10000000` stops here, not in memory).
pub const MAX_RUNS: usize = 10_000_000;

/// One varied key and its values, as typed (`"0.01"`, `"high-high"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    pub key: String,
    pub values: Vec<String>,
}

impl Factor {
    /// Parses `KEY=VALUES` (see the module doc). Errors name the factor.
    pub fn parse(text: &str) -> Result<Factor, LabError> {
        let bad = |message: String| LabError::Config {
            key: format!("--vary {text}"),
            message,
        };
        let (key, list) = text
            .split_once('=')
            .ok_or_else(|| bad("expected KEY=V1,V2,... (e.g. lr=0.01,0.1)".into()))?;
        let key = key.trim();
        if !KEYS.iter().any(|(k, _, _)| *k == key) {
            return Err(LabError::UnknownKey {
                key: key.to_string(),
                known: KEYS
                    .iter()
                    .map(|(k, _, _)| *k)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let sep = if list.contains(';') { ';' } else { ',' };
        let mut values = Vec::new();
        for part in list.split(sep).map(str::trim) {
            if part.is_empty() {
                return Err(bad("an empty value".into()));
            }
            if part.chars().any(char::is_control) {
                // Values become CSV fields read back line by line (`sweep merge`).
                return Err(bad(format!("{part:?} contains a control character")));
            }
            match parse_range(part).map_err(bad)? {
                Some(range) => values.extend(range),
                None => values.push(part.to_string()),
            }
            if values.len() > MAX_RUNS {
                return Err(bad(format!("more than {MAX_RUNS} values")));
            }
        }
        Ok(Factor {
            key: key.to_string(),
            values,
        })
    }
}

/// `A..B` (half-open) or `A..=B` (inclusive) as its integers; `None` when `part` is not a range.
fn parse_range(part: &str) -> Result<Option<Vec<String>>, String> {
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
    if (end - lo) as u128 > MAX_RUNS as u128 {
        return Err(format!("range '{part}' has more than {MAX_RUNS} values"));
    }
    Ok(Some((lo..end).map(|v| v.to_string()).collect()))
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
    pub fn parse(base: Experiment, vary: &[String]) -> Result<SweepSpec, LabError> {
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

    /// Checks, before anything runs: no key twice, no factor without values, at most
    /// [`MAX_RUNS`] runs, and every value accepted by [`Experiment::set`] and
    /// [`Experiment::validate`] on the base. The error names the key and the value.
    pub fn validate(&self) -> Result<(), LabError> {
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
            for v in &f.values {
                let mut e = self.base.clone();
                e.set(&f.key, v)
                    .and_then(|_| e.validate())
                    .map_err(|err| LabError::Config {
                        key: format!("--vary {}={v}", f.key),
                        message: err.to_string(),
                    })?;
            }
        }
        if self
            .vary
            .iter()
            .map(|f| f.values.len() as u128)
            .product::<u128>()
            > MAX_RUNS as u128
        {
            return Err(LabError::Config {
                key: "--vary".into(),
                message: format!("the grid has more than {MAX_RUNS} runs"),
            });
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
        e.validate().map_err(|err| LabError::Config {
            key: self.describe(point),
            message: err.to_string(),
        })?;
        Ok(e.resolved())
    }

    /// The experiments of many grid points, equal to [`SweepSpec::experiment`] of each but
    /// without a TOML round trip per run: each factor value is set once on the base
    /// (`singles`), and a run copies the field its key addresses from its values' singles.
    /// (`Experiment::set` changes only the field at the key's path, so this is the same
    /// experiment; tested against `experiment` for every key.)
    pub fn experiments_for(
        &self,
        singles: &Singles,
        point: &GridPoint,
    ) -> Result<Experiment, LabError> {
        let mut e = self.base.clone();
        for (f, factor) in self.vary.iter().enumerate() {
            let v = self.vary[f]
                .values
                .iter()
                .position(|x| *x == point.values[f]);
            match (v, key_path(&factor.key)) {
                (Some(v), Some(path)) if copy_field(path, &singles.0[f][v], &mut e) => {}
                _ => e.set(&factor.key, &point.values[f])?,
            }
        }
        self.finish(point, e)
    }

    /// The base with each single factor value set (see [`SweepSpec::experiments_for`]).
    pub fn singles(&self) -> Result<Singles, LabError> {
        self.vary
            .iter()
            .map(|f| {
                f.values
                    .iter()
                    .map(|v| {
                        let mut e = self.base.clone();
                        e.set(&f.key, v).map(|_| e)
                    })
                    .collect()
            })
            .collect::<Result<_, _>>()
            .map(Singles)
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

    /// The indices of the factors that are not seeds (the summary groups by these).
    pub fn setting_factors(&self) -> Vec<usize> {
        (0..self.vary.len())
            .filter(|&f| !SEED_KEYS.contains(&self.vary[f].key.as_str()))
            .collect()
    }
}

/// The base experiment with one factor value set, per factor and value.
pub struct Singles(Vec<Vec<Experiment>>);

fn key_path(key: &str) -> Option<&'static str> {
    KEYS.iter().find(|(k, _, _)| *k == key).map(|(_, p, _)| *p)
}

/// Copies the field at TOML `path` from `from` to `to`; false for a path not listed here
/// (the caller then uses `Experiment::set`).
fn copy_field(path: &str, from: &Experiment, to: &mut Experiment) -> bool {
    let (d, g, m, t) = (&from.data, &from.data.generator, &from.model, &from.train);
    match path {
        "seed" => to.seed = from.seed,
        "data_seed" => to.data_seed = from.data_seed,
        "init_seed" => to.init_seed = from.init_seed,
        "shuffle_seed" => to.shuffle_seed = from.shuffle_seed,
        "data.source" => to.data.source = d.source.clone(),
        "data.inputs" => to.data.inputs = d.inputs.clone(),
        "data.target" => to.data.target = d.target.clone(),
        "data.skip_bad_rows" => to.data.skip_bad_rows = d.skip_bad_rows,
        "data.scale" => to.data.scale = d.scale,
        "data.test_fraction" => to.data.test_fraction = d.test_fraction,
        "data.generator.rows" => to.data.generator.rows = g.rows,
        "data.generator.x1" => to.data.generator.x1 = g.x1,
        "data.generator.x2" => to.data.generator.x2 = g.x2,
        "data.generator.noise" => to.data.generator.noise = g.noise,
        "data.generator.integer" => to.data.generator.integer = g.integer,
        "data.generator.distribution" => to.data.generator.distribution = g.distribution,
        "data.generator.skew" => to.data.generator.skew = g.skew,
        "model.arch" => to.model.arch = m.arch.clone(),
        "model.activation" => to.model.activation = m.activation.clone(),
        "model.init" => to.model.init = m.init.clone(),
        "model.weights" => to.model.weights = m.weights.clone(),
        "model.biases" => to.model.biases = m.biases.clone(),
        "train.epochs" => to.train.epochs = t.epochs,
        "train.lr" => to.train.lr = t.lr,
        "train.batch_size" => to.train.batch_size = t.batch_size,
        "train.shuffle" => to.train.shuffle = t.shuffle,
        "train.loss" => to.train.loss = t.loss,
        "train.optimizer" => to.train.optimizer = t.optimizer,
        "train.schedule" => to.train.schedule = t.schedule,
        "train.early_stopping" => to.train.early_stopping = t.early_stopping,
        "train.freeze" => to.train.freeze = t.freeze.clone(),
        "train.kernel" => to.train.kernel = t.kernel,
        _ => return false,
    }
    true
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

    #[test]
    fn copied_fields_equal_set_for_every_key() {
        // Two values per key, non-default where possible; each run built by copying fields
        // must equal the one built by `Experiment::set`.
        let vary: Vec<String> = [
            "seed=0,7",
            "data_seed=1,off",
            "init_seed=2,3",
            "shuffle_seed=4,5",
            "scale=minmax,standard",
            "test_fraction=0,0.2",
            "rows=10,20",
            "x1=0,5;-2,3",
            "x2=0,10;1,2",
            "noise=0,10;0,1",
            "integer=true,false",
            "distribution=uniform,skewed",
            "skew=2,3",
            "activation=relu,tanh",
            "init=off,unique",
            "weights=off,const:0.5",
            "biases=off;uniform:-1,1",
            "epochs=3,4",
            "lr=0.01,0.1",
            "batch_size=1,full",
            "shuffle=false,true",
            "loss=squared_error,huber:2",
            "optimizer=sgd,adam",
            "schedule=constant,plateau",
            "early_stopping=off,5",
            "freeze=b1,w1",
            "kernel=auto,general",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let spec = SweepSpec {
            base: Experiment::default(),
            vary: vary.iter().map(|v| Factor::parse(v).unwrap()).collect(),
        };
        let singles = spec.singles().unwrap();
        // 2^27 runs: check a spread of them, every factor at both values somewhere.
        let mut built = 0;
        for i in (0..spec.n_runs()).step_by(spec.n_runs() / 97) {
            let p = spec.point(i);
            let a = spec.experiment(&p);
            let b = spec.experiments_for(&singles, &p);
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{}", spec.describe(&p));
                    built += 1;
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{}: {a:?} vs {b:?}", spec.describe(&p)),
            }
        }
        assert!(built > 50, "only {built} points were valid experiments");
        // Every key of the table has a copy rule.
        for (k, _, _) in KEYS {
            let mut e = Experiment::default();
            assert!(
                copy_field(key_path(k).unwrap(), &Experiment::default(), &mut e),
                "{k}"
            );
        }
    }
}
