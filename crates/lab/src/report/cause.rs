//! Why a group's runs failed, in the words of one of them: the representative run of the
//! group's most frequent failure is run again through [`crate::run`] and its verdict and
//! warnings are quoted (a sweep's records keep only the diagnostics' kinds).

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};
use crate::sweep::record::SweepRun;
use crate::sweep::SweepResult;
use crate::verdict::Outcome;

/// The failure a finding explains and the run that explains it.
#[derive(Debug, Clone, Serialize)]
pub struct Cause {
    pub outcome: Outcome,
    /// Runs of the group with this outcome.
    pub count: usize,
    /// Grid index of the representative run: the median of the failing runs by judged loss
    /// (lower middle for an even count; ties by index).
    pub index: usize,
    /// Its settings, `lr=1, seed=7`.
    pub point: String,
    /// The rerun's verdict reason; `None` when the run was not rerun or the rerun failed.
    pub reason: Option<String>,
    /// The rerun's warnings, in `diagnose` order.
    pub diagnostics: Vec<Diagnostic>,
    pub sentence: String,
}

/// The run of `runs` that stands for outcome `o`: the median of those runs by judged loss.
pub fn representative<'a>(runs: &[&'a SweepRun], o: Outcome) -> Option<&'a SweepRun> {
    let mut with: Vec<&SweepRun> = runs.iter().copied().filter(|r| r.outcome == o).collect();
    with.sort_by(|a, b| {
        a.judged_loss()
            .total_cmp(&b.judged_loss())
            .then(a.index.cmp(&b.index))
    });
    with.get(with.len().saturating_sub(1) / 2).copied()
}

/// The cause of the `count` runs of `runs` whose outcome is `o`; `rerun` false only names the
/// representative run (see [`super::findings::MAX_RERUNS`]).
pub fn cause_of(
    result: &SweepResult,
    runs: &[&SweepRun],
    o: Outcome,
    count: usize,
    rerun: bool,
) -> Cause {
    let spec = &result.spec;
    let rep = representative(runs, o);
    let index = rep.map_or(0, |r| r.index);
    let point = spec.point(index);
    let described = spec.describe(&point);
    let mut cause = Cause {
        outcome: o,
        count,
        index,
        point: described.clone(),
        reason: None,
        diagnostics: Vec::new(),
        sentence: String::new(),
    };
    let head = format!("The median {o} run ({described})");
    if !rerun {
        cause.sentence = format!(
            "{head} was not rerun (a report reruns at most {} runs).",
            super::findings::MAX_RERUNS
        );
        return cause;
    }
    let again = spec
        .experiment(&point)
        .and_then(|e| crate::run(&e, &mut |_| {}));
    match again {
        Err(e) => cause.sentence = format!("{head} could not be rerun: {e}."),
        Ok(r) => {
            cause.diagnostics = r
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .cloned()
                .collect();
            // A finding that restates the outcome (slow learning for still_improving, the
            // constant output for stuck) says it with its cause: it leads instead of the
            // verdict's sentence, so the report does not say the same thing twice.
            let (restating, others): (Vec<Diagnostic>, Vec<Diagnostic>) = cause
                .diagnostics
                .iter()
                .cloned()
                .partition(|d| d.kind.restates() == Some(r.outcome()));
            let mut parts = quote(&restating);
            if parts.is_empty() {
                parts.push(r.verdict.reason.clone());
            }
            parts.extend(quote(&others));
            let mut s = format!("{head}: {}", parts.join("; "));
            if r.outcome() != o {
                // The rerun is the same computation; a different outcome would be a bug
                // worth seeing rather than hiding.
                s.push_str(&format!(" (rerun judged {}, not {o})", r.outcome()));
            }
            s.push('.');
            cause.reason = Some(r.verdict.reason);
            cause.sentence = s;
        }
    }
    cause
}

/// The messages of `diagnostics`, one per kind: the first of each kind, with the others of
/// that kind named by what they involve (three dead ReLUs say the same thing three times).
pub fn quote(diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut out: Vec<(crate::diagnostics::Kind, String, Vec<String>)> = Vec::new();
    for d in diagnostics {
        match out.iter_mut().find(|(k, _, _)| *k == d.kind) {
            Some((_, _, others)) => others.push(d.involved.join(", ")),
            None => out.push((d.kind, d.message.clone(), Vec::new())),
        }
    }
    out.into_iter()
        .map(|(_, m, others)| {
            if others.is_empty() {
                m
            } else {
                format!("{m} (the same for {})", others.join("; "))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Kind;
    use crate::sweep::Status;

    fn run(index: usize, loss: f64, outcome: Outcome) -> SweepRun {
        SweepRun {
            index,
            values: vec![],
            status: Status::Completed,
            outcome,
            diverged_epoch: None,
            epochs_run: 1,
            train_loss: loss,
            test_loss: None,
            train_r2: 0.0,
            test_r2: None,
            train_mape: None,
            test_mape: None,
            train_accuracy: None,
            test_accuracy: None,
            diagnostics: vec![],
            epoch_loss: vec![loss],
            test_epoch_loss: None,
        }
    }

    #[test]
    fn the_representative_is_the_median_run_of_the_outcome() {
        // Stuck runs with losses 3 (index 0), 1 (index 2), 2 (index 3) and 5 (index 4):
        // sorted 1, 2, 3, 5, the lower middle is 2, index 3. The learned run is ignored.
        let rs = [
            run(0, 3.0, Outcome::Stuck),
            run(1, 0.1, Outcome::Learned),
            run(2, 1.0, Outcome::Stuck),
            run(3, 2.0, Outcome::Stuck),
            run(4, 5.0, Outcome::Stuck),
        ];
        let refs: Vec<&SweepRun> = rs.iter().collect();
        assert_eq!(representative(&refs, Outcome::Stuck).unwrap().index, 3);
        assert_eq!(representative(&refs, Outcome::Learned).unwrap().index, 1);
        assert!(representative(&refs, Outcome::Diverged).is_none());
    }

    #[test]
    fn one_quote_per_kind_naming_the_others() {
        // Biases -5 kill all three ReLUs of the course network (z <= 1 + 1 - 5 < 0 on the
        // scaled inputs): three dead_relu warnings, quoted once with the other two named.
        // (Built from a real run so the test holds whatever the messages say.)
        let mut e = crate::Experiment::default();
        e.set("biases", "const:-5").unwrap();
        e.set("epochs", "5").unwrap();
        let r = crate::run(&e, &mut |_| {}).unwrap();
        let warnings: Vec<Diagnostic> = r
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect();
        let dead: Vec<&Diagnostic> = warnings
            .iter()
            .filter(|d| d.kind == Kind::DeadRelu)
            .collect();
        assert_eq!(dead.len(), 3);
        let q = quote(&warnings);
        let want = format!(
            "{} (the same for {}; {})",
            dead[0].message,
            dead[1].involved.join(", "),
            dead[2].involved.join(", ")
        );
        assert!(q.contains(&want), "{q:?}");
        let kinds = warnings
            .iter()
            .map(|d| d.kind)
            .fold(Vec::new(), |mut v, k| {
                if !v.contains(&k) {
                    v.push(k);
                }
                v
            });
        assert_eq!(q.len(), kinds.len());
    }
}
