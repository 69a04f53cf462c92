//! The loss curves of a sweep: one chart whose series are the combinations of the non-seed
//! factors (one series per value when one factor varies; never pooled over another
//! factor), or one series over all runs when only seeds vary.
//!
//! The curves are the judged set's: the mean test loss after every epoch when every run
//! holds out rows, else the mean train loss. For a group and epoch `e`, over the group's runs
//! that completed epoch `e`: the line is the median of their epoch-`e` losses (mean of the two
//! middle ones for an even count) and the band spans their min to max. Runs that diverged are
//! left out (the title says so): their last finite losses reach 1e130 and more, which would
//! leave nothing else readable; the report's findings count them. For the same reason a
//! curve that explodes without diverging stops at its last epoch below [`EXPLODING_FACTOR`]
//! times its first epoch's loss. The y axis is logarithmic, since losses fall over orders of
//! magnitude.

use nnlab_plot::{LineChart, Series};

use super::engine::SweepResult;
use super::grid::SEED_KEYS;
use super::record::{Status, SweepRun};
use super::summary::{group_label, groups, judged_on};
use crate::diagnostics::EXPLODING_FACTOR;

/// The pixel size (width, height) of every sweep plot, SVG and PNG.
pub const PLOT_SIZE: (u32, u32) = (900, 560);

/// `(file stem, chart)`: `loss_by_lr` for one factor, `loss_by_weights_biases` for two, and
/// `loss_all_seeds` for a sweep that varies only seeds. Series with no positive finite loss
/// are left out, and so is a chart left with none.
pub fn factor_charts(result: &SweepResult) -> Vec<(String, LineChart)> {
    let spec = &result.spec;
    let all: Vec<&SweepRun> = result.runs.iter().collect();
    let set = judged_on(&all);
    let curve = |r: &&SweepRun| -> Vec<f64> {
        let full = match (set, &r.test_epoch_loss) {
            ("test", Some(t)) => t.as_slice(),
            _ => r.epoch_loss.as_slice(),
        };
        until_exploding(full).to_vec()
    };
    let keys: Vec<&str> = spec
        .setting_factors()
        .into_iter()
        .map(|f| spec.vary[f].key.as_str())
        .collect();
    let left_out = if all.iter().any(|r| r.status == Status::Diverged) {
        ", diverged runs left out"
    } else {
        ""
    };
    let (stem_name, title) = if keys.is_empty() {
        (
            "loss_all_seeds".to_string(),
            format!("{set} loss over seeds (median, min–max band{left_out})"),
        )
    } else {
        (
            format!("loss_by_{}", stem(&keys.join("_"))),
            format!(
                "{set} loss by {} (median, min–max band{left_out})",
                keys.join(" × ")
            ),
        )
    };
    let mut chart = LineChart::new(title, "epoch", format!("mean {set} loss (log)"));
    chart.log_y = true;
    for (settings, runs) in groups(result) {
        let curves: Vec<Vec<f64>> = runs
            .iter()
            .filter(|r| r.status != Status::Diverged)
            .map(curve)
            .collect();
        let refs: Vec<&[f64]> = curves.iter().map(Vec::as_slice).collect();
        let s = band_series(group_label(&settings), &refs);
        if drawable(&s) {
            chart.series.push(s);
        }
    }
    if chart.series.is_empty() {
        return Vec::new();
    }
    vec![(stem_name, chart)]
}

/// `loss` up to (not including) the first epoch whose loss is not finite or exceeds
/// [`EXPLODING_FACTOR`] times the first epoch's.
pub fn until_exploding(loss: &[f64]) -> &[f64] {
    let limit = loss
        .first()
        .map_or(f64::INFINITY, |l| l.abs() * EXPLODING_FACTOR);
    let end = loss
        .iter()
        .position(|l| !l.is_finite() || l.abs() > limit)
        .unwrap_or(loss.len());
    &loss[..end]
}

fn drawable(s: &Series) -> bool {
    s.points.iter().any(|&(_, y)| y.is_finite() && y > 0.0)
}

fn stem(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The median curve of `curves` with its min–max band (see the module doc).
pub fn band_series(name: String, curves: &[&[f64]]) -> Series {
    let len = curves.iter().map(|c| c.len()).max().unwrap_or(0);
    let mut points = Vec::with_capacity(len);
    let mut band = Vec::with_capacity(len);
    let mut at: Vec<f64> = Vec::with_capacity(curves.len());
    for e in 0..len {
        at.clear();
        at.extend(curves.iter().filter_map(|c| c.get(e)).copied());
        at.sort_by(f64::total_cmp);
        let n = at.len();
        let median = if n % 2 == 1 {
            at[n / 2]
        } else {
            (at[n / 2 - 1] + at[n / 2]) / 2.0
        };
        let x = (e + 1) as f64;
        points.push((x, median));
        band.push((x, at[0], at[n - 1]));
    }
    Series::new(name, points).with_band(band)
}

/// True for the keys whose values are repetitions (the summary spreads over them).
pub fn is_seed(key: &str) -> bool {
    SEED_KEYS.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_band_per_epoch() {
        // Epoch 1: 1, 3, 8 -> median 3, band 1..8. Epoch 2: 2, 4 (the third run stopped)
        // -> median (2 + 4) / 2 = 3, band 2..4.
        let a = [1.0, 2.0];
        let b = [3.0, 4.0];
        let c = [8.0];
        let s = band_series("x".into(), &[&a, &b, &c]);
        assert_eq!(s.points, [(1.0, 3.0), (2.0, 3.0)]);
        assert_eq!(s.band.unwrap(), [(1.0, 1.0, 8.0), (2.0, 2.0, 4.0)]);
    }

    #[test]
    fn exploding_curves_stop_before_the_blow_up() {
        // First loss 2: the limit is 2 · 1000 = 2000; 1500 stays, 3e5 and what follows go.
        assert_eq!(until_exploding(&[2.0, 1500.0, 3e5, 1.0]), [2.0, 1500.0]);
        assert_eq!(until_exploding(&[2.0, f64::NAN]), [2.0]);
        assert_eq!(until_exploding(&[2.0, 1.0]), [2.0, 1.0]);
        assert!(until_exploding(&[]).is_empty());
    }
}
