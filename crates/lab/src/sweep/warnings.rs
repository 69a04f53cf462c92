//! The warnings that fired in a group of runs, counted: a row of the sweep table and of
//! `summary.csv`'s JSON twin.

use serde::Serialize;

use super::record::{kind_name, SweepRun, KINDS};
use crate::diagnostics::Kind;

/// The warnings that fired in a group of runs: `(kind, runs with it)` for every kind seen,
/// in [`KINDS`] order; in JSON a map from kind to count. `largest_movers` (information,
/// not a warning) and `divergence` (the outcome `diverged` already counts those runs) are
/// left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Warnings(pub Vec<(Kind, usize)>);

impl Warnings {
    /// The warnings of `runs`; a run with two dead ReLUs counts once.
    pub fn of(runs: &[&SweepRun]) -> Warnings {
        Warnings(
            KINDS
                .into_iter()
                .filter(|&k| k != Kind::LargestMovers && k != Kind::Divergence)
                .map(|k| {
                    (
                        k,
                        runs.iter().filter(|r| r.diagnostics.contains(&k)).count(),
                    )
                })
                .filter(|&(_, n)| n > 0)
                .collect(),
        )
    }

    /// `"dead_relu 20, symmetry 3"` (empty when none fired).
    pub fn describe(&self) -> String {
        self.0
            .iter()
            .map(|&(k, n)| format!("{} {n}", kind_name(k)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Serialize for Warnings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for &(k, n) in &self.0 {
            m.serialize_entry(kind_name(k), &n)?;
        }
        m.end()
    }
}
