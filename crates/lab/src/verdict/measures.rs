//! What the rules measure: how alike the predictions are ([`Spread`]), how fast the loss
//! still falls at the end ([`Pace`]), and how often and how much it rose ([`rises`]).

use serde::{Deserialize, Serialize};

use super::{STILL_IMPROVING_MIN_WINDOW, STILL_IMPROVING_WINDOW};

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
        // Equal predictions only need to be adjacent, not in numeric order: an unstable sort
        // of the bit patterns does that at a fraction of a float comparison sort's cost (a
        // sweep judges every run). NaN bit patterns are skipped: NaN is never "the same".
        let mut bits: Vec<u64> = pred.iter().map(|p| p.to_bits()).collect();
        bits.sort_unstable();
        let (mut best, mut best_v, mut run) = (0usize, f64::NAN, 0usize);
        for i in 0..n {
            if f64::from_bits(bits[i]).is_nan() {
                run = 0;
                continue;
            }
            run = if i > 0 && bits[i] == bits[i - 1] {
                run + 1
            } else {
                1
            };
            if run > best {
                best = run;
                best_v = f64::from_bits(bits[i]);
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

/// The rises of the loss: how many epoch steps went up, and by how much in total.
pub(super) fn rises(loss: &[f64]) -> (usize, f64) {
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
        falls.sort_unstable_by(f64::total_cmp);
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
