//! One chart per varied setting: the loss curves of its values overlaid.
//!
//! For a value `v` of factor `f` and epoch `e`, over every run with `f = v` that completed
//! epoch `e` (all other factors and seeds): the line is the median of their epoch-`e`
//! losses (mean of the two middle ones for an even count) and the band spans their min to
//! max. Runs that diverged drop out after their last completed epoch. The y axis is
//! logarithmic, since losses fall over orders of magnitude.

use nnlab_plot::{LineChart, Series};

use super::engine::SweepResult;
use super::grid::SEED_KEYS;

/// `(file stem, chart)` per non-seed factor (`loss_by_lr`); a sweep that varies only seeds
/// gets one chart over all runs (`loss_all_seeds`). Series with no positive finite loss are
/// left out, and so is a chart left with none.
pub fn factor_charts(result: &SweepResult) -> Vec<(String, LineChart)> {
    let spec = &result.spec;
    let mut out = Vec::new();
    let settings = spec.setting_factors();
    if settings.is_empty() {
        let curves: Vec<&[f64]> = result
            .runs
            .iter()
            .map(|r| r.epoch_loss.as_slice())
            .collect();
        let mut chart = chart("final loss over seeds".into());
        let s = band_series("all runs".into(), &curves);
        if drawable(&s) {
            chart.series.push(s);
            out.push(("loss_all_seeds".to_string(), chart));
        }
        return out;
    }
    for f in settings {
        let key = &spec.vary[f].key;
        let mut chart = chart(format!("train loss by {key} (median, min–max band)"));
        for v in &spec.vary[f].values {
            let curves: Vec<&[f64]> = result
                .runs
                .iter()
                .filter(|r| &r.values[f] == v)
                .map(|r| r.epoch_loss.as_slice())
                .collect();
            if curves.is_empty() {
                continue;
            }
            let s = band_series(format!("{key} = {v}"), &curves);
            if drawable(&s) {
                chart.series.push(s);
            }
        }
        if !chart.series.is_empty() {
            out.push((format!("loss_by_{}", stem(key)), chart));
        }
    }
    out
}

fn chart(title: String) -> LineChart {
    let mut c = LineChart::new(title, "epoch", "mean train loss (log)");
    c.log_y = true;
    c
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
}
