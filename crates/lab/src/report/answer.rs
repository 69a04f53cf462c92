//! The answer a report opens with, drawn from its findings: the best setting on the judged
//! set, the settings where most runs did not learn (by outcome), and the warnings that set
//! settings apart.

use std::fmt::Write as _;

use super::findings::{dominant_failure, outcome_phrase, Finding};
use crate::config::Group;
use crate::sweep::summary::{sig4, Stats};
use crate::sweep::SweepSpec;
use crate::verdict::Outcome;

/// True when a varied setting changes the data (rows, ranges, distribution, the test
/// share): the groups' losses are then on different targets in scaled units, so the answer
/// ranks by R², which compares across data sets.
pub fn changes_data(spec: &SweepSpec) -> bool {
    spec.setting_factors().into_iter().any(|f| {
        crate::config::keys::find(&spec.vary[f].key).is_some_and(|k| k.group == Group::Data)
    })
}

fn healthy(st: &Stats) -> usize {
    st.outcomes
        .all()
        .filter(|(o, _)| o.is_healthy())
        .map(|(_, n)| n)
        .sum()
}

/// The conclusion, first in the report: which setting does best on the judged set (lowest
/// median loss, or highest median R² when `by_r2`, see [`changes_data`]), which ones fail in
/// most of their runs and how, and the warnings that fire in most runs of some settings but
/// not of others. With one group (only seeds vary): the spread of the loss.
pub fn answer(findings: &[Finding], by_r2: bool) -> String {
    let mut s = String::new();
    let Some(first) = findings.first() else {
        return "No runs.".into();
    };
    let set = if findings.iter().all(|f| f.judged_on == "test") {
        "test"
    } else {
        "train"
    };
    if findings.len() == 1 {
        let st = &first.stats;
        let _ = write!(
            s,
            "Over {} seeds the final {set} loss ranges from {} to {} (median {}, standard deviation {}); {}.",
            st.n,
            sig4(st.min),
            sig4(st.max),
            sig4(st.median),
            sig4(st.std),
            outcome_phrase(st)
        );
        return s;
    }
    let mut ranked: Vec<&Finding> = findings.iter().collect();
    if by_r2 {
        // Highest R² first; groups without one (every run diverged) last.
        ranked.sort_by(|a, b| {
            let key = |f: &Finding| {
                if f.median_r2.is_nan() {
                    f64::NEG_INFINITY
                } else {
                    f.median_r2
                }
            };
            key(b).total_cmp(&key(a))
        });
    } else {
        ranked.sort_by(|a, b| a.stats.median.total_cmp(&b.stats.median));
    }
    let best = ranked[0];
    if by_r2 {
        let _ = write!(
            s,
            "Highest median {set} R²: {} ({}; {}; ranked by R² because the varied setting changes the data, and losses on different data are not comparable).",
            best.label,
            sig4(best.median_r2),
            outcome_phrase(&best.stats)
        );
    } else {
        let _ = write!(
            s,
            "Lowest median final {set} loss: {} ({}; {}",
            best.label,
            sig4(best.stats.median),
            outcome_phrase(&best.stats)
        );
        if best.median_r2.is_finite() {
            let _ = write!(s, ", median {} R² {}", best.judged_on, sig4(best.median_r2));
        }
        s.push_str(").");
    }
    // The settings where most runs did not end healthy, by their most frequent failure.
    let mut failing: Vec<(Outcome, Vec<String>)> = Vec::new();
    for f in findings {
        let Some((o, n)) = dominant_failure(&f.stats) else {
            continue;
        };
        if 2 * healthy(&f.stats) >= f.stats.n {
            continue;
        }
        let item = format!("{} ({n} of {})", f.label, f.stats.n);
        match failing.iter_mut().find(|(p, _)| *p == o) {
            Some((_, v)) => v.push(item),
            None => failing.push((o, vec![item])),
        }
    }
    failing.sort_by_key(|(o, _)| *o);
    if failing.is_empty() {
        let worst = ranked[ranked.len() - 1];
        let (what, value) = if by_r2 {
            ("lowest median R²", worst.median_r2)
        } else {
            ("highest median loss", worst.stats.median)
        };
        let _ = write!(
            s,
            " Every setting learned in most of its runs; the {what} is {} ({}).",
            worst.label,
            sig4(value)
        );
    } else {
        s.push_str(" Most runs did not learn at:");
        for (o, items) in &failing {
            let _ = write!(s, " {o}: {};", items.join(", "));
        }
        s.pop();
        s.push('.');
    }
    let telling = telling_warnings(findings);
    if !telling.is_empty() {
        let _ = write!(
            s,
            " Warnings that set settings apart: {}.",
            telling.join("; ")
        );
    }
    s
}

/// The warning kinds that fire in at least half the runs of some groups and in under half of
/// others: `symmetry in init = identical (10 of 10)`.
fn telling_warnings(findings: &[Finding]) -> Vec<String> {
    let count = |f: &Finding, k: &str| {
        f.diagnostics
            .iter()
            .find(|(kind, _)| kind == k)
            .map_or(0, |(_, n)| *n)
    };
    let mut kinds: Vec<&str> = Vec::new();
    for f in findings {
        for (k, _) in &f.diagnostics {
            if !kinds.contains(&k.as_str()) {
                kinds.push(k);
            }
        }
    }
    kinds
        .into_iter()
        .filter_map(|k| {
            let (many, few): (Vec<&Finding>, Vec<&Finding>) = findings
                .iter()
                .partition(|f| 2 * count(f, k) >= f.stats.n && count(f, k) > 0);
            (!many.is_empty() && !few.is_empty()).then(|| {
                let at: Vec<String> = many
                    .iter()
                    .map(|f| format!("{} ({} of {})", f.label, count(f, k), f.stats.n))
                    .collect();
                format!("{k} in {}", at.join(", "))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::OutcomeCounts;

    fn finding(label: &str, outcomes: &[Outcome], median: f64, diags: &[(&str, usize)]) -> Finding {
        let mut stats = Stats::of(&[]);
        stats.n = outcomes.len();
        stats.finite = outcomes.len();
        stats.median = median;
        stats.outcomes = OutcomeCounts::of(outcomes.iter().copied());
        Finding {
            settings: vec![("lr".into(), label.into())],
            label: format!("lr = {label}"),
            stats,
            judged_on: "train",
            median_r2: 0.5,
            median_mape: None,
            diagnostics: diags.iter().map(|(k, n)| (k.to_string(), *n)).collect(),
            cause: None,
            sentence: String::new(),
        }
    }

    #[test]
    fn the_answer_names_the_best_the_failing_and_the_telling_warnings() {
        use Outcome::*;
        // lr = 0.1: 3 of 4 learned (healthy majority); lr = 1: 3 of 4 stuck, dead_relu in 3
        // of its 4 runs and in 1 of lr = 0.1's 4 (under half): dead_relu sets them apart.
        let fs = [
            finding(
                "0.1",
                &[Learned, Learned, Learned, Stuck],
                0.01,
                &[("dead_relu", 1)],
            ),
            finding(
                "1",
                &[Stuck, Stuck, Stuck, Learned],
                0.2,
                &[("dead_relu", 3)],
            ),
        ];
        assert_eq!(
            answer(&fs, false),
            "Lowest median final train loss: lr = 0.1 (0.01; 3 of 4 runs learned, 1 stuck, median train R² 0.5). \
             Most runs did not learn at: stuck: lr = 1 (3 of 4). \
             Warnings that set settings apart: dead_relu in lr = 1 (3 of 4)."
        );
        // Both healthy in most runs, and a warning that fires in both: nothing sets them apart.
        let fs = [
            finding("0.1", &[Learned, Learned], 0.01, &[("oscillation", 1)]),
            finding("1", &[Learned, Stuck], 0.02, &[("oscillation", 1)]),
        ];
        assert_eq!(
            answer(&fs, false),
            "Lowest median final train loss: lr = 0.1 (0.01; 2 of 2 runs learned, median train R² 0.5). \
             Every setting learned in most of its runs; the highest median loss is lr = 1 (0.02)."
        );
    }
}
