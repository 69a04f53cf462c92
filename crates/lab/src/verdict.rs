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
//! | `stuck` | ≥ [`STUCK_SAME_SHARE`] of the judged rows get one identical prediction, or the predictions' spread is < [`STUCK_SPREAD`] of the targets' |
//! | `oscillating` | the train loss rose in ≥ [`OSCILLATING_SHARE`] of the epoch steps (≥ 5 rises), and the rises add up to ≥ [`OSCILLATING_RISE`] of its fall |
//! | `still_improving` | at the pace of its last epochs the loss would fall by ≥ [`STILL_IMPROVING_PROJECTED`] in a second run as long |
//! | `no_better_than_mean` | R² ≤ 0 on the judged set |
//! | `stopped_early` | early stopping ended the run, with R² > 0 |
//! | `plateaued` | the loss stopped falling with R² < [`LEARNED_R2`] |
//! | `learned` | none of the above: R² ≥ [`LEARNED_R2`] and the loss has settled |
//!
//! The judged set is the test set when there is one (R², the spread of the predictions),
//! else the training set; the loss curve is always the training loss, the quantity
//! gradient descent lowers.

use serde::{Deserialize, Serialize};

use nnlab_train::TrainStatus;

use crate::sweep::summary::sig4;

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
/// R² (judged set) at or above which a settled run has learned; below it, it plateaued.
pub const LEARNED_R2: f64 = 0.5;

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
            Outcome::NoBetterThanMean => "R² <= 0 on the judged set: predicting the mean target for every row would do as well".into(),
            Outcome::StoppedEarly => "early stopping ended the run when the test loss stopped improving, with R² > 0".into(),
            Outcome::Plateaued => format!(
                "the loss has settled (none of the above) but R² < {LEARNED_R2} on the judged set: most of the target's variance is not explained"
            ),
            Outcome::Learned => format!("the loss has settled and R² >= {LEARNED_R2} on the judged set"),
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
        s.push_str(&format!("  {:<20} {}\n", o.name(), o.definition()));
    }
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

/// How alike the predictions of the judged set are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// The share of rows whose prediction equals the most common one (bit for bit).
    pub same_share: f64,
    /// That most common prediction (in the units it was given in).
    pub same_value: f64,
    /// Standard deviation of the predictions over that of the targets (NaN for constant
    /// targets).
    pub ratio: f64,
}

impl Spread {
    /// The spread of `pred` against the targets `y` (any one unit for both). NaN predictions
    /// count as different from each other.
    pub fn of(pred: &[f64], y: &[f64]) -> Spread {
        let n = pred.len();
        if n == 0 {
            return Spread {
                same_share: f64::NAN,
                same_value: f64::NAN,
                ratio: f64::NAN,
            };
        }
        let mut sorted: Vec<f64> = pred.to_vec();
        sorted.sort_by(f64::total_cmp);
        let (mut best, mut best_v, mut run) = (0usize, sorted[0], 0usize);
        for i in 0..n {
            if i > 0 && sorted[i].to_bits() == sorted[i - 1].to_bits() && !sorted[i].is_nan() {
                run += 1;
            } else {
                run = 1;
            }
            if run > best {
                best = run;
                best_v = sorted[i];
            }
        }
        Spread {
            same_share: best as f64 / n as f64,
            same_value: best_v,
            ratio: std_dev(pred) / std_dev(y),
        }
    }
}

fn std_dev(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    (v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt()
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
}

/// A run's outcome, the set it was judged on, and why, in one sentence (numbers to 4
/// significant digits).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub outcome: Outcome,
    pub judged_on: JudgedOn,
    pub r2: f64,
    pub spread: Spread,
    pub reason: String,
}

/// The rises of the loss: how many epoch steps went up, and by how much in total.
fn rises(loss: &[f64]) -> (usize, f64) {
    loss.windows(2)
        .filter(|w| w[1] > w[0])
        .fold((0, 0.0), |(n, sum), w| (n + 1, sum + (w[1] - w[0])))
}

/// How fast the loss falls at the end of a run: the median relative fall per epoch over
/// the last `window` epochs (see [`STILL_IMPROVING_WINDOW`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub per_epoch: f64,
    pub window: usize,
}

impl Pace {
    /// The pace at the end of `loss`; `None` for runs too short to tell.
    pub fn of(loss: &[f64]) -> Option<Pace> {
        let n = loss.len();
        let k = ((n as f64 * STILL_IMPROVING_WINDOW) as usize).max(STILL_IMPROVING_MIN_WINDOW);
        if n < 2 * k {
            return None;
        }
        let mut falls: Vec<f64> = loss[n - k - 1..]
            .windows(2)
            .map(|w| (w[0] - w[1]) / w[0].abs().max(f64::MIN_POSITIVE))
            .collect();
        falls.sort_by(f64::total_cmp);
        let per_epoch = if k % 2 == 1 {
            falls[k / 2]
        } else {
            (falls[k / 2 - 1] + falls[k / 2]) / 2.0
        };
        Some(Pace {
            per_epoch,
            window: k,
        })
    }

    /// The relative fall over a second run of `epochs` epochs at this pace (a linear
    /// projection: the rule's measure, not a forecast).
    pub fn projected(&self, epochs: usize) -> f64 {
        self.per_epoch * epochs as f64
    }
}

/// The outcome of the run `j` describes (see the module doc for the rules).
pub fn judge(j: &Judge) -> Verdict {
    let set = j.judged_on.name();
    let r2 = sig4(j.r2);
    let verdict = |outcome: Outcome, reason: String| Verdict {
        outcome,
        judged_on: j.judged_on,
        r2: j.r2,
        spread: j.spread,
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
    if sp.same_share >= STUCK_SAME_SHARE {
        return verdict(
            Outcome::Stuck,
            format!(
                "{}% of the {set} rows get the same prediction ({}): the output is stuck; R² {r2} on the {set} set",
                sig4(sp.same_share * 100.0),
                sig4(sp.same_value)
            ),
        );
    }
    if sp.ratio < STUCK_SPREAD {
        return verdict(
            Outcome::Stuck,
            format!(
                "the predictions on the {set} set vary {}% as much as the targets: the output is almost constant; R² {r2}",
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
                    "the training loss went up in {n_rises} of {} epochs, by {} in all ({}% of its fall): the steps overshoot; R² {r2} on the {set} set",
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
            let so_far = if j.r2 > 0.0 {
                String::new()
            } else {
                " (no better than the mean yet)".into()
            };
            return verdict(
                Outcome::StillImproving,
                format!(
                    "the training loss still falls {}% an epoch (median of the last {} epochs): more epochs or a larger learning rate would help; R² {r2}{so_far} on the {set} set",
                    sig4(pace.per_epoch * 100.0),
                    pace.window
                ),
            );
        }
    }
    if j.r2.is_nan() || j.r2 <= 0.0 {
        return verdict(
            Outcome::NoBetterThanMean,
            format!("R² {r2} on the {set} set: predicting the mean for every row does as well"),
        );
    }
    if let TrainStatus::StoppedEarly { epoch, best_epoch } = j.status {
        return verdict(
            Outcome::StoppedEarly,
            format!("early stopping ended the run at epoch {epoch} (best test loss at epoch {best_epoch}); R² {r2} on the {set} set"),
        );
    }
    if j.r2 < LEARNED_R2 {
        return verdict(
            Outcome::Plateaued,
            format!("the loss has settled with R² {r2} on the {set} set: less than half of the target's variance is explained"),
        );
    }
    verdict(
        Outcome::Learned,
        format!("the loss has settled and R² is {r2} on the {set} set"),
    )
}

/// How many runs of a group had each outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutcomeCounts([usize; 8]);

impl OutcomeCounts {
    /// The counts of `outcomes`.
    pub fn of(outcomes: impl IntoIterator<Item = Outcome>) -> OutcomeCounts {
        let mut c = OutcomeCounts::default();
        for o in outcomes {
            c.0[o as usize] += 1;
        }
        c
    }

    pub fn get(&self, o: Outcome) -> usize {
        self.0[o as usize]
    }

    /// Every outcome with its count, zeros included, in [`Outcome::ALL`] order.
    pub fn all(&self) -> impl Iterator<Item = (Outcome, usize)> + '_ {
        Outcome::ALL.into_iter().map(|o| (o, self.get(o)))
    }

    /// The outcomes seen, most frequent first (ties in [`Outcome::ALL`] order).
    pub fn seen(&self) -> Vec<(Outcome, usize)> {
        let mut v: Vec<(Outcome, usize)> = self.all().filter(|&(_, n)| n > 0).collect();
        v.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        v
    }

    /// `"18 learned, 2 stuck"`: the outcomes seen, most frequent first.
    pub fn describe(&self) -> String {
        self.seen()
            .iter()
            .map(|(o, n)| format!("{n} {o}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Serialize for OutcomeCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(8))?;
        for (o, n) in self.all() {
            m.serialize_entry(o.name(), &n)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for OutcomeCounts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<OutcomeCounts, D::Error> {
        let map = std::collections::BTreeMap::<String, usize>::deserialize(d)?;
        let mut c = OutcomeCounts::default();
        for (k, n) in map {
            let o = Outcome::parse(&k)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown outcome '{k}'")))?;
            c.0[o as usize] = n;
        }
        Ok(c)
    }
}
