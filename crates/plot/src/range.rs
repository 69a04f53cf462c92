//! Axis bounds: which values are drawable, and a padded range around them.

/// Share of the data span added on each side, so no point sits on the frame.
const PAD: f64 = 0.05;

/// Whether `y` can be drawn: finite, and positive on a log axis.
pub(crate) fn drawable_y(y: f64, log_y: bool) -> bool {
    y.is_finite() && (!log_y || y > 0.0)
}

/// `(lo, hi)` around the finite values, padded by 5% of their span on each side.
///
/// A flat set (all values equal) gets `mid ± 10% of |mid|`, or `±1` around zero, because plotters
/// cannot map onto a zero-height range. `None` when no value is finite.
pub(crate) fn linear_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    let (min, max) = min_max(values.into_iter().filter(|v| v.is_finite()))?;
    let span = max - min;
    // Relative test: 1e9 and 1e9 + 1e-7 are "flat" for an axis.
    if span <= 1e-12 * min.abs().max(max.abs()) || span == 0.0 {
        let mid = 0.5 * (min + max);
        let half = if mid == 0.0 { 1.0 } else { 0.1 * mid.abs() };
        return Some((mid - half, mid + half));
    }
    if !span.is_finite() {
        // Values near ±f64::MAX: padding would overflow, so the range is the data itself.
        return Some((min, max));
    }
    Some((min - PAD * span, max + PAD * span))
}

/// `(lo, hi)` for a log axis around the positive finite values, padded by 5% of their span in
/// decades; a flat set gets half a decade on each side. `None` when no value is positive.
pub(crate) fn log_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    let positive = values.into_iter().filter(|&v| drawable_y(v, true));
    let (min, max) = min_max(positive.map(f64::log10))?;
    let span = max - min;
    let (lo, hi) = if span < 1e-9 {
        (min - 0.5, max + 0.5)
    } else {
        (min - PAD * span, max + PAD * span)
    };
    // Stay inside normal f64 so 10^lo is neither 0 nor subnormal (log of 0 is -inf).
    Some((10f64.powf(lo.max(-307.0)), 10f64.powf(hi.min(308.0))))
}

fn min_max(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn pads_five_percent_of_the_span() {
        // span 10 -> 0.5 on each side
        let (lo, hi) = linear_range([0.0, 10.0, f64::NAN, 5.0]).unwrap();
        assert!(close(lo, -0.5) && close(hi, 10.5), "{lo} {hi}");
    }

    #[test]
    fn flat_series_gets_a_nonzero_range() {
        let (lo, hi) = linear_range([0.25, 0.25, 0.25]).unwrap();
        assert!(close(lo, 0.225) && close(hi, 0.275), "{lo} {hi}");
        assert_eq!(linear_range([0.0, 0.0]), Some((-1.0, 1.0)));
    }

    #[test]
    fn nothing_finite_is_none() {
        assert_eq!(linear_range([f64::NAN, f64::INFINITY]), None);
        assert_eq!(log_range([0.0, -1.0, f64::NAN]), None);
    }

    #[test]
    fn log_range_pads_in_decades() {
        // 1e-4..1e2 spans 6 decades -> 0.3 decade of padding each side
        let (lo, hi) = log_range([1e-4, 1e2, -3.0, 0.0]).unwrap();
        assert!(
            close(lo.log10(), -4.3) && close(hi.log10(), 2.3),
            "{lo} {hi}"
        );
        let (lo, hi) = log_range([0.01, 0.01]).unwrap();
        assert!(
            close(lo.log10(), -2.5) && close(hi.log10(), -1.5),
            "{lo} {hi}"
        );
    }

    #[test]
    fn huge_values_do_not_overflow() {
        let (lo, hi) = linear_range([-f64::MAX, f64::MAX]).unwrap();
        assert!(lo.is_finite() && hi.is_finite());
        let (lo, hi) = log_range([f64::MIN_POSITIVE / 4.0, f64::MAX]).unwrap();
        assert!(lo > 0.0 && hi.is_finite(), "{lo} {hi}");
    }
}
