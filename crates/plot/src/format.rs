//! Compact number labels shared by the chart axes and the terminal plot.

/// `v` with about three significant digits, short enough for a tick label.
///
/// Plain decimals for `1e-3 <= |v| < 1e4`, scientific notation outside, trailing zeros removed:
/// `2.2974 -> "2.3"`, `0.000123456 -> "1.23e-4"`, `12345.0 -> "1.23e4"`, `100.0 -> "100"`.
pub fn compact(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let a = v.abs();
    if !(1e-3..1e4).contains(&a) {
        let s = format!("{v:.2e}");
        // Rust writes "1.00e-4"; keep the exponent, trim the mantissa.
        return match s.split_once('e') {
            Some((mantissa, exponent)) => format!("{}e{exponent}", trim_zeros(mantissa)),
            None => s,
        };
    }
    // Digits after the point so that three significant digits remain: 2 for 1..10, 0 for 100..
    let decimals = (2 - a.log10().floor() as i32).max(0) as usize;
    trim_zeros(&format!("{v:.decimals$}")).to_string()
}

/// "2.300" -> "2.3", "100." -> "100", "100" -> "100" (no point, nothing trimmed).
fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn three_significant_digits() {
        assert_eq!(compact(2.2974), "2.3");
        assert_eq!(compact(0.0123456), "0.0123");
        assert_eq!(compact(-0.5), "-0.5");
        assert_eq!(compact(100.0), "100");
        assert_eq!(compact(123.456), "123");
        assert_eq!(compact(0.001), "0.001");
        assert_eq!(compact(0.0), "0");
    }

    #[test]
    fn scientific_outside_the_plain_range() {
        assert_eq!(compact(0.000123456), "1.23e-4");
        assert_eq!(compact(1e-4), "1e-4");
        assert_eq!(compact(12345.0), "1.23e4");
        assert_eq!(compact(-2.5e7), "-2.5e7");
    }

    #[test]
    fn non_finite_is_spelled_out() {
        assert_eq!(compact(f64::NAN), "NaN");
        assert_eq!(compact(f64::NEG_INFINITY), "-inf");
    }
}
