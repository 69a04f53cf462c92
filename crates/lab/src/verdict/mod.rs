//! The outcome of a run: one word from a small documented set, judged from the numbers, with
//! the sentence that says why. It replaces "converged" (which only meant "no NaN").
//!
//! Every definition and threshold lives here, in [`Outcome::definition`] and the constants;
//! `nnlab train --explain-outcomes` prints [`explain_outcomes`]. The rules are tried in the
//! order of [`Outcome::ALL`] and the first that holds names the run:
//!
//! | outcome | holds when |
//! |---|---|
//! | `diverged` | a loss or a parameter became inf/NaN |
//! | `no_better_than_mean` | the judged targets are all equal (one row): R² is undefined, the fit cannot be judged |
//! | `stuck` | ≥ [`STUCK_SAME_SHARE`] of the judged rows get one identical prediction, or the predictions' spread is < [`STUCK_SPREAD`] of the targets' |
//! | `oscillating` | the train loss rose in ≥ [`OSCILLATING_SHARE`] of the epoch steps (≥ 5 rises), and the rises add up to ≥ [`OSCILLATING_RISE`] of its fall |
//! | `still_improving` | at the pace of its last epochs the loss would fall by ≥ [`STILL_IMPROVING_PROJECTED`] in a second run as long |
//! | `no_better_than_mean` | R² ≤ 0 on the judged set |
//! | `stopped_early` | early stopping ended the run, with R² > 0 |
//! | `plateaued` | the loss has settled with R² < [`LEARNED_R2`], or more than [`LINE_MARGIN`] below a least-squares straight line's |
//! | `learned` | none of the above |
//!
//! A classification run (a cross-entropy loss) is judged by its accuracy against the
//! majority-class baseline instead of R² in the last four rules ([`accuracy`] has them).
//!
//! The judged set is the test set when there is one (R², the spread of the predictions),
//! else the training set; the loss curve is always the training loss, the quantity
//! gradient descent lowers.

use serde::{Deserialize, Serialize};

use nnlab_train::TrainStatus;

use nnlab_report::sig4;

pub mod accuracy;
mod counts;
mod measures;

pub use accuracy::Accuracy;
pub use counts::OutcomeCounts;
use measures::rises;
pub use measures::{Pace, Spread};

/// How a run ended up, in [`Outcome::ALL`] order (the order the rules are tried in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Diverged,
    Stuck,
    Oscillating,
    StillImproving,
    NoBetterThanMean,
    StoppedEarly,
    Plateaued,
    Learned,
}

/// Share of the judged rows with one identical prediction at or above which a run is stuck
/// (a dead output ReLU predicts exactly 0 for every row it is dead on).
pub const STUCK_SAME_SHARE: f64 = 0.9;
/// Standard deviation of the predictions over that of the targets below which the output
/// is "almost constant" (stuck).
pub const STUCK_SPREAD: f64 = 0.01;
/// Share of epoch-to-epoch steps in which the loss rose, at or above which the run may be
/// oscillating (with at least [`OSCILLATING_MIN_RISES`] rises).
pub const OSCILLATING_SHARE: f64 = 0.25;
/// The fewest rises that count as oscillating.
pub const OSCILLATING_MIN_RISES: usize = 5;
/// The rises must add up to at least this share of the loss's fall (first epoch to lowest),
/// so that per-sample noise of a few parts in a thousand does not count.
pub const OSCILLATING_RISE: f64 = 0.1;
/// The last epochs looked at for the pace: this share of the run, at least
/// [`STILL_IMPROVING_MIN_WINDOW`] epochs.
pub const STILL_IMPROVING_WINDOW: f64 = 0.1;
/// The fewest epochs in the pace window; a run of fewer than twice this is never judged
/// still improving (too short to tell).
pub const STILL_IMPROVING_MIN_WINDOW: usize = 5;
/// A loss that would fall by this share in a second run as long (at the median pace of the
/// window's epochs) is still improving.
pub const STILL_IMPROVING_PROJECTED: f64 = 0.05;
/// The least R² (judged set) of a settled run that learned: below it, most of the target's
/// variance is unexplained and the run plateaued, whatever a straight line does (with
/// x1 in [-50, 50) a line explains 1% and a 2-2-1 network settles at 8%). Noisy tables stay
/// above it: the diabetes table's test R² is about 0.45, a straight line's 0.43.
pub const LEARNED_R2: f64 = 0.25;
/// A settled run whose R² is below the least-squares straight line's by more than this has
/// plateaued: it has not even learned what a line through the inputs can.
pub const LINE_MARGIN: f64 = 0.05;

impl Outcome {
    /// Every outcome, in the order the rules are tried.
    pub const ALL: [Outcome; 8] = [
        Outcome::Diverged,
        Outcome::Stuck,
        Outcome::Oscillating,
        Outcome::StillImproving,
        Outcome::NoBetterThanMean,
        Outcome::StoppedEarly,
        Outcome::Plateaued,
        Outcome::Learned,
    ];

    /// The snake_case name (as in JSON and CSV).
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Diverged => "diverged",
            Outcome::Stuck => "stuck",
            Outcome::Oscillating => "oscillating",
            Outcome::StillImproving => "still_improving",
            Outcome::NoBetterThanMean => "no_better_than_mean",
            Outcome::StoppedEarly => "stopped_early",
            Outcome::Plateaued => "plateaued",
            Outcome::Learned => "learned",
        }
    }

    /// The rule, with its thresholds, as `--explain-outcomes` prints it.
    pub fn definition(self) -> String {
        let pct = |x: f64| format!("{}%", sig4(x * 100.0));
        match self {
            Outcome::Diverged => "a loss or a parameter became inf or NaN: the updates blew up".into(),
            Outcome::Stuck => format!(
                "the output is constant or almost constant over the judged rows: at least {} of them get one identical prediction (a dead output ReLU, or every hidden neuron dead), or the predictions' standard deviation is below {} of the targets'",
                pct(STUCK_SAME_SHARE), pct(STUCK_SPREAD)
            ),
            Outcome::Oscillating => format!(
                "the training loss went up in at least {} of the epoch steps (at least {} times), and the rises add up to at least {} of its fall from the first epoch to the lowest: the steps overshoot",
                pct(OSCILLATING_SHARE), OSCILLATING_MIN_RISES, pct(OSCILLATING_RISE)
            ),
            Outcome::StillImproving => format!(
                "the training loss is still falling clearly: at the median pace of the last {} of the epochs (at least {}) it would fall by at least {} more in a second run as long, so more epochs (or a larger rate) would help",
                pct(STILL_IMPROVING_WINDOW), STILL_IMPROVING_MIN_WINDOW, pct(STILL_IMPROVING_PROJECTED)
            ),
            Outcome::NoBetterThanMean => "R² <= 0 on the judged set: predicting the mean target for every row would do as well; also when its targets are all equal (a one-row table), where R² is undefined and the fit cannot be judged".into(),
            Outcome::StoppedEarly => "early stopping ended the run when the test loss stopped improving, with R² > 0".into(),
            Outcome::Plateaued => format!(
                "the loss has settled (none of the above) but R² on the judged set is below {LEARNED_R2}, or more than {LINE_MARGIN} below that of a least-squares straight line fitted to the training rows: the network has not learned even what a line can"
            ),
            Outcome::Learned => format!("none of the above: the loss has settled, R² >= {LEARNED_R2} and not more than {LINE_MARGIN} below the straight line's"),
        }
    }

    /// The outcome named `s` (as written by [`Outcome::name`]).
    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.name() == s)
    }

    /// True for the outcomes of a run that did what training is for.
    pub fn is_healthy(self) -> bool {
        matches!(self, Outcome::Learned | Outcome::StoppedEarly)
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Every outcome's name and definition, one per line, with the thresholds.
pub fn explain_outcomes() -> String {
    let mut s = String::from(
        "Each run gets the first outcome whose rule holds, tried in this order. R² and the\n\
         predictions are judged on the test set when there is one, else on the training set;\n\
         the loss curve is the training loss.\n\n",
    );
    for o in Outcome::ALL {
        // Definitions wrapped at 88 columns, hanging under the name column.
        let mut line = format!("  {:<20}", o.name());
        for word in o.definition().split(' ') {
            if line.chars().count() + 1 + word.chars().count() > 88 && line.trim().contains(' ') {
                s.push_str(line.trim_end());
                s.push('\n');
                line = " ".repeat(22);
            }
            line.push(' ');
            line.push_str(word);
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s.push_str(&accuracy::EXPLAIN.replace("{gain}", &sig4(accuracy::LEARNED_GAIN * 100.0)));
    s
}

/// Which rows judged the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JudgedOn {
    Train,
    Test,
}

impl JudgedOn {
    pub fn name(self) -> &'static str {
        match self {
            JudgedOn::Train => "train",
            JudgedOn::Test => "test",
        }
    }
}

/// What the outcome is judged from.
pub struct Judge<'a> {
    pub status: &'a TrainStatus,
    /// Mean training loss of each completed epoch.
    pub train_loss: &'a [f64],
    pub judged_on: JudgedOn,
    /// R² of the final network on the judged set (original units).
    pub r2: f64,
    /// The final network's predictions on the judged set against its targets.
    pub spread: Spread,
    /// R² of the least-squares straight line on the judged set (see
    /// [`crate::Prepared::linear_r2`]).
    pub linear_r2: Option<f64>,
    /// A classification run's accuracy on the judged set: the last rules read it instead
    /// of `r2`.
    pub accuracy: Option<Accuracy>,
}

/// A run's outcome, the set it was judged on, and why, in one sentence (numbers to 4
/// significant digits).
///
/// Its JSON also carries `healthy` ([`Outcome::is_healthy`] of the outcome), so that JSON
/// readers (the playground) need no list of their own; it is derived on writing, never read.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Verdict {
    pub outcome: Outcome,
    pub judged_on: JudgedOn,
    pub r2: f64,
    pub spread: Spread,
    /// The straight line's R² on the same set, the baseline of `plateaued`.
    #[serde(default)]
    pub linear_r2: Option<f64>,
    /// A classification run's accuracy and baseline (absent for regression).
    #[serde(default)]
    pub accuracy: Option<Accuracy>,
    pub reason: String,
}

impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            outcome: Outcome,
            healthy: bool,
            judged_on: JudgedOn,
            r2: f64,
            spread: &'a Spread,
            linear_r2: Option<f64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            accuracy: Option<Accuracy>,
            reason: &'a str,
        }
        Json {
            outcome: self.outcome,
            healthy: self.outcome.is_healthy(),
            judged_on: self.judged_on,
            r2: self.r2,
            spread: &self.spread,
            linear_r2: self.linear_r2,
            accuracy: self.accuracy,
            reason: &self.reason,
        }
        .serialize(s)
    }
}

/// The outcome of the run `j` describes (see the module doc for the rules).
pub fn judge(j: &Judge) -> Verdict {
    let set = j.judged_on.name();
    // What the reasons quote of the fit: R², or a classifier's accuracy and baseline.
    let r2 = j
        .accuracy
        .map_or_else(|| format!("R² {}", sig4(j.r2)), Accuracy::phrase);
    let verdict = |outcome: Outcome, reason: String| Verdict {
        outcome,
        judged_on: j.judged_on,
        r2: j.r2,
        spread: j.spread,
        linear_r2: j.linear_r2,
        accuracy: j.accuracy,
        reason,
    };
    if let TrainStatus::Diverged {
        epoch,
        sample,
        parameter,
        ..
    } = j.status
    {
        return verdict(
            Outcome::Diverged,
            format!("the run diverged at epoch {epoch}, sample {sample}: {parameter} or the loss became non-finite"),
        );
    }
    let sp = j.spread;
    // Targets that never differ (a one-row table such as `builtin:course`, or one value
    // repeated) leave R² and the spread ratio undefined (0/0): every prediction is "the
    // same", so the stuck rule would fire on a perfect fit. Say that the fit cannot be
    // judged rather than call it stuck.
    if !sp.ratio.is_finite() {
        let first = j.train_loss.first().copied().unwrap_or(f64::NAN);
        let last = j.train_loss.last().copied().unwrap_or(f64::NAN);
        return verdict(
            Outcome::NoBetterThanMean,
            format!(
                "the {set} set's targets are all equal (one row, or one value repeated), so R² and the spread of the predictions are undefined and the fit cannot be judged (predicting the mean, that value, does as well); the training loss went from {} to {} in {} epochs",
                sig4(first),
                sig4(last),
                j.train_loss.len()
            ),
        );
    }
    if sp.same_share >= STUCK_SAME_SHARE {
        return verdict(
            Outcome::Stuck,
            format!(
                "{}% of the {set} rows get the same prediction ({} in scaled units): the output is stuck; {r2} on the {set} set",
                sig4(sp.same_share * 100.0),
                sig4(sp.same_value)
            ),
        );
    }
    if sp.ratio < STUCK_SPREAD {
        return verdict(
            Outcome::Stuck,
            format!(
                "the predictions on the {set} set vary {}% as much as the targets: the output is almost constant; {r2}",
                sig4(sp.ratio * 100.0)
            ),
        );
    }
    let loss = j.train_loss;
    let (n_rises, total_rise) = rises(loss);
    if loss.len() >= 10 && n_rises >= OSCILLATING_MIN_RISES {
        let share = n_rises as f64 / (loss.len() - 1) as f64;
        let lowest = loss.iter().copied().fold(f64::INFINITY, f64::min);
        let fall = (loss[0] - lowest).max(lowest.abs());
        if share >= OSCILLATING_SHARE && total_rise >= OSCILLATING_RISE * fall {
            return verdict(
                Outcome::Oscillating,
                format!(
                    "the training loss went up in {n_rises} of {} epochs, by {} in all ({}% of its fall): the steps overshoot; {r2} on the {set} set",
                    loss.len() - 1,
                    sig4(total_rise),
                    sig4(total_rise / fall * 100.0)
                ),
            );
        }
    }
    let stopped = matches!(j.status, TrainStatus::StoppedEarly { .. });
    if let (false, Some(pace)) = (stopped, Pace::of(loss)) {
        if pace.projected(loss.len()) >= STILL_IMPROVING_PROJECTED {
            let ahead = j.accuracy.map_or(j.r2 > 0.0, Accuracy::beats_baseline);
            let so_far = match (ahead, j.accuracy) {
                (true, _) => String::new(),
                (false, None) => " (no better than the mean yet)".into(),
                (false, Some(_)) => " (no better than the majority class yet)".into(),
            };
            return verdict(
                Outcome::StillImproving,
                format!(
                    "the training loss still falls {}% an epoch (median of the last {} epochs): more epochs or a larger learning rate would help; {r2}{so_far} on the {set} set",
                    sig4(pace.per_epoch * 100.0),
                    pace.window
                ),
            );
        }
    }
    if let Some(a) = j.accuracy {
        let (outcome, reason) = accuracy::settled(j, a);
        return verdict(outcome, reason);
    }
    if j.r2.is_nan() || j.r2 <= 0.0 {
        return verdict(
            Outcome::NoBetterThanMean,
            format!("{r2} on the {set} set: predicting the mean for every row does as well"),
        );
    }
    if let TrainStatus::StoppedEarly { epoch, best_epoch } = j.status {
        return verdict(
            Outcome::StoppedEarly,
            format!("early stopping ended the run at epoch {epoch} (best test loss at epoch {best_epoch}); {r2} on the {set} set"),
        );
    }
    let line = j
        .linear_r2
        .map(|l| format!(" (a least-squares straight line: {})", sig4(l)))
        .unwrap_or_default();
    let below_line = j.linear_r2.is_some_and(|l| j.r2 < l - LINE_MARGIN);
    if below_line || j.r2 < LEARNED_R2 {
        let why = if below_line {
            "worse than a straight line through the inputs"
        } else {
            "less than a quarter of the target's variance is explained"
        };
        return verdict(
            Outcome::Plateaued,
            format!("the loss has settled at {r2} on the {set} set{line}: {why}"),
        );
    }
    verdict(
        Outcome::Learned,
        format!(
            "the loss has settled and R² is {} on the {set} set{line}",
            sig4(j.r2)
        ),
    )
}

#[cfg(test)]
mod tests;
