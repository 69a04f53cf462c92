//! The evidence of a report, from the numbers: one [`Finding`] per combination of the
//! non-seed factors (never pooled over another factor) and the table that puts them side by
//! side; [`super::answer()`] draws the conclusion from them.
//!
//! A finding counts the group's outcomes, gives the median loss and R² on the judged set
//! (the test set when the runs hold out rows), counts the warnings that fired, and, for the
//! group's most frequent failure (an outcome that is not [`Outcome::is_healthy`]), reruns a
//! representative run (the median of the failing runs by judged loss) through the full
//! pipeline to quote its verdict and diagnostics: a sweep keeps only the diagnostics' kinds.
//! The rerun gives the same bits as the sweep's run (`tests/sweep_parity.rs`), so the quote is
//! that run's own.

use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use nnlab_report::Table;

use super::cause::{cause_of, Cause};
use crate::diagnostics::Kind;
use crate::sweep::record::{kind_name, SweepRun, KINDS};
use crate::sweep::summary::{group_label as label, groups, judged_on, sig4, Stats};
use crate::sweep::SweepResult;
use crate::verdict::Outcome;

/// The most groups whose failure is explained by a rerun; groups after it (in grid order)
/// say that no run was rerun. Keeps a report of a large grid cheap.
pub const MAX_RERUNS: usize = 16;

/// One combination of the non-seed factors: its numbers, its cause, its sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// `(key, value)` of every non-seed factor; empty when only seeds vary.
    pub settings: Vec<(String, String)>,
    /// `lr = 1`, `weights = const:0, biases = const:2`, or `all runs`.
    pub label: String,
    pub stats: Stats,
    /// `test` when the group's runs hold out rows, else `train`: the set of the losses, R²
    /// and MAPE below.
    pub judged_on: &'static str,
    /// Median R² on the judged set over the runs that ended finite (NaN when none did).
    pub median_r2: f64,
    pub median_mape: Option<f64>,
    /// `(kind, runs)` of every warning kind that fired in the group, in [`Kind`] order.
    pub diagnostics: Vec<(String, usize)>,
    /// The most frequent failure and what its representative run says, when a run failed.
    pub cause: Option<Cause>,
    pub sentence: String,
}

/// The median of the non-NaN values (mean of the two middle ones for an even count).
pub fn median(mut v: Vec<f64>) -> Option<f64> {
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

/// `(kind, runs with it)` of the warning kinds (not `largest_movers`) seen in `runs`.
pub fn diagnostic_counts<'a>(runs: impl IntoIterator<Item = &'a SweepRun>) -> Vec<(String, usize)> {
    let runs: Vec<&SweepRun> = runs.into_iter().collect();
    KINDS
        .into_iter()
        .filter(|&k| k != Kind::LargestMovers)
        .map(|k| {
            let n = runs.iter().filter(|r| r.diagnostics.contains(&k)).count();
            (kind_name(k).to_string(), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The outcome that fails most often in `st` (ties in [`Outcome::ALL`] order), if any run failed.
pub fn dominant_failure(st: &Stats) -> Option<(Outcome, usize)> {
    st.outcomes
        .seen()
        .into_iter()
        .find(|(o, _)| !o.is_healthy())
}

/// One finding per group (see the module doc); the reruns run in parallel.
pub fn findings(result: &SweepResult) -> Vec<Finding> {
    let groups = groups(result);
    let mut reruns = 0;
    let plans: Vec<_> = groups
        .iter()
        .map(|(settings, runs)| {
            let stats = Stats::of(runs);
            let fail = dominant_failure(&stats);
            let rerun = fail.is_some() && reruns < MAX_RERUNS;
            reruns += usize::from(rerun);
            (settings, runs, stats, fail, rerun)
        })
        .collect();
    plans
        .into_par_iter()
        .map(|(settings, runs, stats, fail, rerun)| {
            let cause = fail.map(|(o, n)| cause_of(result, runs, o, n, rerun));
            finding(settings.clone(), runs, stats, cause)
        })
        .collect()
}

fn finding(
    settings: Vec<(String, String)>,
    runs: &[&SweepRun],
    stats: Stats,
    cause: Option<Cause>,
) -> Finding {
    let finite: Vec<&&SweepRun> = runs.iter().filter(|r| r.finite()).collect();
    let median_r2 = median(finite.iter().map(|r| r.judged_r2()).collect()).unwrap_or(f64::NAN);
    let median_mape = median(finite.iter().filter_map(|r| r.judged_mape()).collect());
    let judged_on = judged_on(runs);
    let diagnostics = diagnostic_counts(runs.iter().copied());
    let label = label(&settings);
    let mut f = Finding {
        settings,
        label,
        stats,
        judged_on,
        median_r2,
        median_mape,
        diagnostics,
        cause,
        sentence: String::new(),
    };
    f.sentence = sentence(&f);
    f
}

/// `18 of 20 runs learned, 2 still_improving`.
pub(super) fn outcome_phrase(st: &Stats) -> String {
    let seen = st.outcomes.seen();
    let mut parts = seen.iter().map(|(o, n)| format!("{n} {o}"));
    let first = seen
        .first()
        .map(|(o, n)| format!("{n} of {} runs {o}", st.n))
        .unwrap_or_else(|| "no runs".into());
    parts.next();
    std::iter::once(first)
        .chain(parts)
        .collect::<Vec<_>>()
        .join(", ")
}

fn sentence(f: &Finding) -> String {
    let st = &f.stats;
    let set = f.judged_on;
    let mut s = format!("{}: {}", f.label, outcome_phrase(st));
    if let Some(e) = st.median_diverged_epoch {
        let _ = write!(s, " (the diverged ones in epoch {e}, median)");
    }
    let mut numbers = Vec::new();
    if st.median.is_finite() {
        numbers.push(format!("median {set} loss {}", sig4(st.median)));
    }
    if st.finite > 0 && f.median_r2.is_finite() {
        numbers.push(format!("median {set} R² {}", sig4(f.median_r2)));
    }
    if let (true, Some(m)) = (st.finite > 0, f.median_mape) {
        numbers.push(format!("median {set} MAPE {}%", sig4(m)));
    }
    if !numbers.is_empty() {
        let _ = write!(s, "; {}", numbers.join(", "));
        if st.finite < st.n {
            let _ = write!(
                s,
                " (R² and MAPE over the {} runs that ended finite)",
                st.finite
            );
        }
    }
    s.push('.');
    if !f.diagnostics.is_empty() {
        let d: Vec<String> = f
            .diagnostics
            .iter()
            .map(|(k, n)| format!("{k} in {n}"))
            .collect();
        let _ = write!(s, " Warnings: {} of {} runs.", d.join(", "), st.n);
    }
    if let Some(c) = &f.cause {
        let _ = write!(s, " {}", c.sentence);
    }
    s
}

/// Side by side, in grid order: the settings, runs, outcomes, median loss and R² (and MAPE
/// when defined) on the judged set. Numbers with 4 significant digits.
pub fn findings_table(findings: &[Finding]) -> Table {
    let set = match findings.first() {
        Some(f) if findings.iter().all(|g| g.judged_on == f.judged_on) => f.judged_on,
        _ => "judged",
    };
    let mut headers: Vec<String> = match findings.first() {
        Some(f) if !f.settings.is_empty() => f.settings.iter().map(|(k, _)| k.clone()).collect(),
        _ => vec!["runs".into()],
    };
    let mape = findings.iter().any(|f| f.median_mape.is_some());
    headers.push("n".into());
    headers.push("outcomes".into());
    headers.push(format!("median {set} loss"));
    headers.push(format!("median {set} R²"));
    if mape {
        headers.push(format!("median {set} MAPE %"));
    }
    let h: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = Table::new(&h);
    for f in findings {
        let mut row: Vec<String> = if f.settings.is_empty() {
            vec!["all".into()]
        } else {
            f.settings.iter().map(|(_, v)| v.clone()).collect()
        };
        row.push(f.stats.n.to_string());
        row.push(f.stats.outcomes.describe());
        row.push(sig4(f.stats.median));
        row.push(sig4(f.median_r2));
        if mape {
            row.push(f.median_mape.map(sig4).unwrap_or_else(|| "-".into()));
        }
        t.push(row);
    }
    t
}
