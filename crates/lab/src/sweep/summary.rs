//! The spread of a sweep's final losses: per combination of the non-seed factors (the rows
//! of `summary.csv` and the report's findings).
//!
//! Over the `n` runs of a group, with `L_i` the final loss of run `i` on its judged set (the
//! last epoch's mean test loss when the runs have a test set, else the mean train loss;
//! `+inf` for a diverged run, see [`SweepRun::judged_loss`]):
//!
//! ```text
//! min, max     over all n runs
//! median       the middle L of the sorted n, or the mean of the two middle ones for even n
//! mean         m = Σ L_i / c             over the c runs that ended finite only
//! std          sqrt(Σ (L_i - m)² / c)    population standard deviation, same runs
//! outcomes     how many runs had each outcome (learned, stuck, diverged, ...)
//! median_accuracy   the median, as above, of the accuracies on the judged set of the
//!                   runs that have one (classification runs; none for regression)
//! ```
//!
//! Mean and std leave diverged runs out because one `inf` would make both meaningless; they
//! are NaN when every run diverged.

use serde::{Deserialize, Serialize};

use nnlab_report::{Align, Table};

use super::engine::SweepResult;
use super::record::SweepRun;
pub use super::warnings::Warnings;
use crate::verdict::{Outcome, OutcomeCounts};

/// The statistics of one group of runs (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub n: usize,
    pub min: f64,
    pub median: f64,
    pub max: f64,
    pub mean: f64,
    pub std: f64,
    /// Runs that did not diverge and ended with a finite loss (mean and std are theirs).
    pub finite: usize,
    /// How many runs had each outcome.
    pub outcomes: OutcomeCounts,
    /// The median epoch in which the diverged runs diverged (lower middle for even counts).
    pub median_diverged_epoch: Option<usize>,
    /// The median accuracy on the judged set of a classification sweep's runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_accuracy: Option<f64>,
}

/// The middle of the sorted `v`, or the mean of the two middle ones for an even count; NaN
/// for none.
fn median(v: &[f64]) -> f64 {
    let n = v.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => v[n / 2],
        _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

impl Stats {
    /// The statistics of `runs` (see the module doc). `n = 0` gives NaN everywhere.
    pub fn of(runs: &[&SweepRun]) -> Stats {
        let mut losses: Vec<f64> = runs.iter().map(|r| r.judged_loss()).collect();
        losses.sort_by(f64::total_cmp);
        let n = losses.len();
        let mut accuracies: Vec<f64> = runs.iter().filter_map(|r| r.judged_accuracy()).collect();
        accuracies.sort_by(f64::total_cmp);
        let ok: Vec<f64> = runs
            .iter()
            .filter(|r| r.finite())
            .map(|r| r.judged_loss())
            .collect();
        let c = ok.len() as f64;
        let mean = ok.iter().sum::<f64>() / c;
        let std = (ok.iter().map(|l| (l - mean) * (l - mean)).sum::<f64>() / c).sqrt();
        let mut div_epochs: Vec<usize> = runs.iter().filter_map(|r| r.diverged_epoch).collect();
        div_epochs.sort_unstable();
        Stats {
            n,
            min: losses.first().copied().unwrap_or(f64::NAN),
            median: median(&losses),
            max: losses.last().copied().unwrap_or(f64::NAN),
            mean,
            std,
            finite: ok.len(),
            outcomes: OutcomeCounts::of(runs.iter().map(|r| r.outcome)),
            median_diverged_epoch: div_epochs
                .get(div_epochs.len().saturating_sub(1) / 2)
                .copied(),
            median_accuracy: (!accuracies.is_empty()).then(|| median(&accuracies)),
        }
    }

    /// Runs whose outcome is `o`.
    pub fn count(&self, o: Outcome) -> usize {
        self.outcomes.get(o)
    }

    /// The share of the runs whose outcome is `o`.
    pub fn share(&self, o: Outcome) -> f64 {
        self.count(o) as f64 / self.n as f64
    }
}

/// One row of `summary.csv`: a combination of the non-seed factors' values, its stats, and
/// what the summary table adds: the set its losses are on and the warnings that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    /// `(key, value)` of every non-seed factor.
    pub settings: Vec<(String, String)>,
    pub stats: Stats,
    /// Every run of the group held out a test set: its losses are test losses.
    pub held_out: bool,
    /// The warnings that fired in its runs.
    pub diagnostics: Warnings,
}

/// `(key, value)` of every non-seed factor, and the runs with those values.
pub type Group<'a> = (Vec<(String, String)>, Vec<&'a SweepRun>);

/// The runs grouped by the values of the non-seed factors, in the order each combination
/// first appears in the grid: the `(key, value)` of every non-seed factor and the runs.
/// The summary's rows and the report's findings are these groups (never pooled over a
/// factor).
pub fn groups(result: &SweepResult) -> Vec<Group<'_>> {
    let spec = &result.spec;
    let factors = spec.setting_factors();
    let mut out: Vec<Group<'_>> = Vec::new();
    for r in &result.runs {
        let key: Vec<(String, String)> = factors
            .iter()
            .map(|&f| (spec.vary[f].key.clone(), r.values[f].clone()))
            .collect();
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(r),
            None => out.push((key, vec![r])),
        }
    }
    out
}

/// `lr = 1, init = course`: a group's settings (`all runs` without any).
pub fn group_label(settings: &[(String, String)]) -> String {
    if settings.is_empty() {
        return "all runs".into();
    }
    settings
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The set that judges `runs`: `test` when every one of them held out rows (then their
/// losses, R² and MAPE are held-out numbers), else `train`.
pub fn judged_on(runs: &[&SweepRun]) -> &'static str {
    if !runs.is_empty() && runs.iter().all(|r| r.has_test_set()) {
        "test"
    } else {
        "train"
    }
}

/// One [`GroupSummary`] per group of [`groups`], in the same order.
pub fn summarize(result: &SweepResult) -> Vec<GroupSummary> {
    groups(result)
        .into_iter()
        .map(|(settings, runs)| GroupSummary {
            settings,
            stats: Stats::of(&runs),
            held_out: runs.iter().all(|r| r.has_test_set()),
            diagnostics: Warnings::of(&runs),
        })
        .collect()
}

/// The groups ordered by median final loss, lowest first (ties keep grid order).
pub fn sorted_by_median(groups: &[GroupSummary]) -> Vec<&GroupSummary> {
    let mut v: Vec<&GroupSummary> = groups.iter().collect();
    v.sort_by(|a, b| a.stats.median.total_cmp(&b.stats.median));
    v
}

/// The set the groups' losses are measured on, as the median column names it: `test` when
/// every run holds out rows, `train` when none does, `test/train` for a mix (a sweep over
/// `test_fraction=0,0.2`).
pub fn judged_set(groups: &[GroupSummary]) -> &'static str {
    let held_out = groups.iter().filter(|g| g.held_out).count();
    match held_out {
        0 => "train",
        n if n == groups.len() => "test",
        _ => "test/train",
    }
}

/// The summary as a [`Table`], sorted by median final loss: the settings, the
/// runs, the outcomes counted ("18 learned, 2 stuck"), the median, min and max of the final
/// loss on the judged set (the header names it: "median test loss"), and the warnings that
/// fired with their run counts ("dead_relu 20"). Losses with 4 significant digits. Mean and
/// std are left to `summary.csv` and `--json`: with them a one-factor table outgrew 100
/// columns.
pub fn summary_table(groups: &[GroupSummary]) -> Table {
    let mut headers: Vec<String> = match groups.first() {
        Some(g) if !g.settings.is_empty() => g.settings.iter().map(|(k, _)| k.clone()).collect(),
        _ => vec!["runs".to_string()],
    };
    let settings = headers.len();
    headers.push("n".into());
    headers.push("outcomes".into());
    headers.push(format!("median {} loss", judged_set(groups)));
    headers.extend(["min", "max"].iter().map(|s| s.to_string()));
    let classes = groups.iter().any(|g| g.stats.median_accuracy.is_some());
    if classes {
        headers.push(format!("median {} accuracy", judged_set(groups)));
    }
    headers.push("diagnostics".into());
    let h: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = Table::new(&h);
    // Words read left-aligned: the settings (values such as `high-high`), the outcomes and
    // the diagnostics.
    let diagnostics = settings + 5 + usize::from(classes);
    for c in (0..settings).chain([settings + 1, diagnostics]) {
        t.align[c] = Align::Left;
    }
    for g in sorted_by_median(groups) {
        let mut row: Vec<String> = if g.settings.is_empty() {
            vec!["all".into()]
        } else {
            g.settings.iter().map(|(_, v)| v.clone()).collect()
        };
        let st = &g.stats;
        row.push(st.n.to_string());
        row.push(st.outcomes.describe());
        for x in [st.median, st.min, st.max] {
            row.push(sig4(x));
        }
        if classes {
            row.push(st.median_accuracy.map(sig4).unwrap_or_default());
        }
        row.push(g.diagnostics.describe());
        t.push(row);
    }
    t
}

pub use nnlab_report::sig4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Kind;
    use crate::sweep::record::Status;

    fn run(loss: f64, status: Status, div: Option<usize>) -> SweepRun {
        SweepRun {
            index: 0,
            values: vec![],
            status,
            outcome: if status == Status::Diverged {
                Outcome::Diverged
            } else {
                Outcome::Learned
            },
            diverged_epoch: div,
            epochs_run: 3,
            train_loss: loss,
            test_loss: None,
            train_r2: f64::NAN,
            test_r2: None,
            train_mape: None,
            test_mape: None,
            train_accuracy: None,
            test_accuracy: None,
            diagnostics: vec![],
            epoch_loss: vec![],
            test_epoch_loss: None,
        }
    }

    #[test]
    fn stats_match_hand_computation() {
        // Losses 1, 2, 4 and a diverged run (counted as +inf).
        // Sorted 1, 2, 4, inf: median (2 + 4) / 2 = 3, min 1, max inf.
        // Converged 1, 2, 4: mean 7/3; population variance
        // ((1-7/3)² + (2-7/3)² + (4-7/3)²) / 3 = (16/9 + 1/9 + 25/9) / 3 = 42/27 = 14/9,
        // std = sqrt(14)/3 = 1.247219128924647.
        let rs = [
            run(2.0, Status::Completed, None),
            run(4.0, Status::Completed, None),
            run(0.5, Status::Diverged, Some(3)),
            run(1.0, Status::StoppedEarly, None),
        ];
        let refs: Vec<&SweepRun> = rs.iter().collect();
        let s = Stats::of(&refs);
        assert_eq!((s.n, s.finite, s.count(Outcome::Diverged)), (4, 3, 1));
        assert_eq!(s.count(Outcome::Learned), 3);
        assert_eq!((s.min, s.median, s.max), (1.0, 3.0, f64::INFINITY));
        assert_eq!(s.mean, 7.0 / 3.0);
        assert!((s.std - 14f64.sqrt() / 3.0).abs() < 1e-15, "{}", s.std);
        assert_eq!(s.share(Outcome::Learned), 0.75);
        assert_eq!(s.median_diverged_epoch, Some(3));
    }

    #[test]
    fn odd_count_median_is_the_middle_value() {
        let rs = [
            run(5.0, Status::Completed, None),
            run(1.0, Status::Completed, None),
            run(3.0, Status::Completed, None),
        ];
        let refs: Vec<&SweepRun> = rs.iter().collect();
        let s = Stats::of(&refs);
        // mean 3, deviations -2, 0, 2: variance 8/3.
        assert_eq!((s.median, s.mean, s.std), (3.0, 3.0, (8.0f64 / 3.0).sqrt()));
        assert_eq!(s.median_diverged_epoch, None);
    }

    /// Warnings count runs, not occurrences (two dead ReLUs in one run count once), in
    /// `KINDS` order; `largest_movers` and `divergence` are left out.
    #[test]
    fn warnings_count_the_runs_with_each_kind() {
        let mut rs = [
            run(1.0, Status::Completed, None),
            run(1.0, Status::Diverged, Some(2)),
            run(1.0, Status::Completed, None),
        ];
        rs[0].diagnostics = vec![Kind::DeadRelu, Kind::DeadRelu, Kind::LargestMovers];
        rs[1].diagnostics = vec![Kind::Divergence, Kind::Symmetry];
        rs[2].diagnostics = vec![Kind::DeadRelu];
        let refs: Vec<&SweepRun> = rs.iter().collect();
        let seen = Warnings::of(&refs);
        assert_eq!(seen.0, [(Kind::Symmetry, 1), (Kind::DeadRelu, 2)]);
        assert_eq!(seen.describe(), "symmetry 1, dead_relu 2");
        assert_eq!(
            serde_json::to_string(&seen).unwrap(),
            r#"{"symmetry":1,"dead_relu":2}"#
        );
        assert_eq!(Warnings::of(&refs[..0]).describe(), "");
    }

    #[test]
    fn the_judged_set_is_test_only_when_every_run_holds_out_rows() {
        let group = |held_out| GroupSummary {
            settings: vec![],
            stats: Stats::of(&[]),
            held_out,
            diagnostics: Warnings::default(),
        };
        assert_eq!(judged_set(&[group(false), group(false)]), "train");
        assert_eq!(judged_set(&[group(true), group(false)]), "test/train");
        assert_eq!(judged_set(&[group(true), group(true)]), "test");
        // summarize: a sweep over the test fraction, two seeds; the held-out runs have a
        // test R², and one of them a dead ReLU.
        let spec = crate::sweep::SweepSpec::parse(
            crate::Experiment::default(),
            &["test_fraction=0,0.25".into(), "seed=0..2".into()],
        )
        .unwrap();
        let mut runs: Vec<SweepRun> = (0..4).map(|_| run(1.0, Status::Completed, None)).collect();
        for (i, r) in runs.iter_mut().enumerate() {
            r.index = i;
            r.values = vec![["0", "0.25"][i / 2].into(), (i % 2).to_string()];
            if i >= 2 {
                r.test_r2 = Some(0.5);
            }
        }
        runs[3].diagnostics = vec![Kind::DeadRelu];
        let result = SweepResult {
            spec,
            shard: None,
            runs,
            lane_runs: 0,
        };
        let groups = summarize(&result);
        assert_eq!((groups[0].held_out, groups[1].held_out), (false, true));
        assert_eq!(groups[0].diagnostics, Warnings::default());
        assert_eq!(groups[1].diagnostics.0, [(Kind::DeadRelu, 1)]);
        assert_eq!(judged_set(&groups), "test/train");
        // Every loss is 1 and every run learned (the `run` helper): only the header's set,
        // the grid order (ties) and the warning differ.
        assert_eq!(
            summary_table(&groups).text(""),
            "\
test_fraction  n  outcomes   median test/train loss  min  max  diagnostics
-------------  -  ---------  ----------------------  ---  ---  -----------
0              2  2 learned                       1    1    1
0.25           2  2 learned                       1    1    1  dead_relu 1
"
        );
    }

    #[test]
    fn nothing_converged_gives_nan_mean() {
        let rs = [
            run(1.0, Status::Diverged, Some(2)),
            run(1.0, Status::Diverged, Some(4)),
        ];
        let refs: Vec<&SweepRun> = rs.iter().collect();
        let s = Stats::of(&refs);
        assert!(s.mean.is_nan() && s.std.is_nan());
        assert_eq!(s.median, f64::INFINITY);
        // Lower middle of (2, 4).
        assert_eq!(s.median_diverged_epoch, Some(2));
    }
}
