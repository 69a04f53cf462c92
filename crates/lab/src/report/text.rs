//! The report's sentences, generated from the numbers.
//!
//! Per value of a non-seed factor, over every run with that value:
//! - all diverged: "lr = 1 diverged in 100 of 100 runs (median epoch 3)."
//! - otherwise: "lr = 0.01 reached a median final loss of 0.01157 (min …, max …); 100 of 100
//!   runs converged", then the diverged count, median R² and MAPE when defined, and the
//!   warnings seen in at least one run ("dead_relu in 12 runs").

use std::fmt::Write as _;

use serde::Serialize;

use crate::diagnostics::Kind;
use crate::sweep::record::{kind_name, SweepRun};
use crate::sweep::summary::{by_factor, sig4, Stats};
use crate::sweep::SweepResult;
use crate::verdict::Outcome;

/// One value's numbers and its sentence.
#[derive(Debug, Clone, Serialize)]
pub struct FactorLine {
    pub key: String,
    pub value: String,
    pub stats: Stats,
    pub median_r2: f64,
    pub median_mape: Option<f64>,
    pub sentence: String,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.retain(|x| !x.is_nan());
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// `(kind, runs)` of the warning kinds (not `largest_movers`) seen, in [`Kind`] order.
pub fn diagnostic_counts(runs: &[SweepRun]) -> Vec<(String, usize)> {
    crate::sweep::record::KINDS
        .into_iter()
        .filter(|&k| k != Kind::LargestMovers)
        .map(|k| {
            (
                kind_name(k).to_string(),
                runs.iter().filter(|r| r.diagnostics.contains(&k)).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// One paragraph (a list of lines) per non-seed factor, in factor order.
pub fn factor_paragraphs(result: &SweepResult) -> Vec<(String, Vec<FactorLine>)> {
    result
        .spec
        .setting_factors()
        .into_iter()
        .map(|f| {
            let key = result.spec.vary[f].key.clone();
            let lines = by_factor(result, f)
                .into_iter()
                .map(|(value, stats)| {
                    let runs: Vec<&SweepRun> = result
                        .runs
                        .iter()
                        .filter(|r| r.values[f] == value)
                        .collect();
                    line(&key, value, stats, &runs)
                })
                .collect();
            (key, lines)
        })
        .collect()
}

fn line(key: &str, value: String, st: Stats, runs: &[&SweepRun]) -> FactorLine {
    let median_r2 = median(
        runs.iter()
            .filter(|r| r.finite())
            .map(|r| r.judged_r2())
            .collect(),
    )
    .unwrap_or(f64::NAN);
    let median_mape = median(
        runs.iter()
            .filter(|r| r.finite())
            .filter_map(|r| r.judged_mape())
            .collect(),
    );
    let mut s = String::new();
    let epoch = st
        .median_diverged_epoch
        .map(|e| format!(" (median epoch {e})"))
        .unwrap_or_default();
    let diverged = st.count(Outcome::Diverged);
    if diverged == st.n {
        let _ = write!(
            s,
            "{key} = {value} diverged in {} of {} runs{epoch}.",
            diverged, st.n
        );
    } else {
        let _ = write!(
            s,
            "{key} = {value} reached a median final loss of {} (min {}, max {}); of {} runs: {}{epoch}",
            sig4(st.median),
            sig4(st.min),
            sig4(st.max),
            st.n,
            st.outcomes.describe()
        );
        if median_r2.is_finite() {
            let _ = write!(s, "; median R² {}", sig4(median_r2));
        }
        if let Some(m) = median_mape {
            let _ = write!(s, ", median MAPE {}%", sig4(m));
        }
        s.push('.');
    }
    let warnings: Vec<String> = crate::sweep::record::KINDS
        .into_iter()
        .filter(|&k| k != Kind::LargestMovers && k != Kind::Divergence)
        .filter_map(|k| {
            let n = runs.iter().filter(|r| r.diagnostics.contains(&k)).count();
            (n > 0).then(|| format!("{} in {n}", kind_name(k)))
        })
        .collect();
    if !warnings.is_empty() {
        let _ = write!(s, " Warnings: {} of its runs.", warnings.join(", "));
    }
    FactorLine {
        key: key.to_string(),
        value,
        stats: st,
        median_r2,
        median_mape,
        sentence: s,
    }
}
