//! Numbers spelled the way Python's `repr` spells them, so every value nnlab prints can be
//! pasted into Python (or compared with the course's notebooks) and reads back to the same
//! `f64`.
//!
//! ```
//! use nnlab_report::{num, num_short};
//! assert_eq!(num(0.1 + 0.2), "0.30000000000000004");
//! assert_eq!(num(1.0), "1.0");
//! assert_eq!(num(1e-7), "1e-07");
//! assert_eq!(num_short(1.0), "1"); // inside equations, as the course writes them
//! ```

/// The shortest string that reads back to the same `f64`, spelled like Python's `repr`:
/// `0.48000000000000004`, `1.0`, `-0.0`, `1e-07`, `1e+16`, `inf`, `nan`.
///
/// Python writes the exponent form when the decimal exponent is below -4 or at least 16,
/// with a signed exponent of at least two digits; otherwise a decimal point is always shown.
pub fn num(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0.0");
    }
    // `{:e}` gives Rust's shortest round-trip digits as `d.ddde±x`; only the layout around
    // those digits differs from Python, so we re-lay them out rather than re-derive them.
    let sci = format!("{:e}", x.abs());
    let Some((mantissa, exp)) = sci.split_once('e') else {
        return format!("{sign}{sci}");
    };
    let Ok(exp) = exp.parse::<i32>() else {
        return format!("{sign}{sci}");
    };
    if !(-4..16).contains(&exp) {
        let exp_sign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{mantissa}e{exp_sign}{:02}", exp.unsigned_abs());
    }
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let body = if exp < 0 {
        // 0.000ddd: -exp - 1 zeros after the point.
        format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            format!("{digits}{}.0", "0".repeat(int_len - digits.len()))
        } else {
            format!("{}.{}", &digits[..int_len], &digits[int_len..])
        }
    };
    format!("{sign}{body}")
}

/// [`num`] without a trailing `.0`, for numbers inside equations (`z1 = 1·1 + 0·1 + 0.5`),
/// the way the course writes them. Still reads back to the same `f64`.
pub fn num_short(x: f64) -> String {
    let s = num(x);
    match s.strip_suffix(".0") {
        Some(short) => short.to_string(),
        None => s,
    }
}

/// `x` with 4 significant digits for prose and tables (`0.01157`, `123.5`, `1.235e-7`,
/// `inf`), trailing zeros dropped (`90`, `0.5`): what a sentence shows. Files and JSON keep
/// [`num`]'s full precision.
pub fn sig4(x: f64) -> String {
    if !x.is_finite() {
        return num(x);
    }
    if x == 0.0 {
        return "0".into();
    }
    let mag = x.abs().log10().floor() as i32;
    if (-4..6).contains(&mag) {
        let mut s = format!("{:.*}", (3 - mag).max(0) as usize, x);
        if s.contains('.') {
            let kept = s.trim_end_matches('0').trim_end_matches('.').len();
            s.truncate(kept);
        }
        // Rounding can carry into a new digit (9.9996 -> "10.000" -> "10"): still 4 digits.
        if s == "-0" {
            "0".into()
        } else {
            s
        }
    } else {
        let s = format!("{x:.3e}");
        match s.split_once('e') {
            Some((m, e)) if m.contains('.') => {
                format!("{}e{e}", m.trim_end_matches('0').trim_end_matches('.'))
            }
            _ => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every expected string is Python 3's `repr` of the same value, printed by
    // `python3 -c "print(repr(v))"`.
    #[test]
    fn matches_python_repr() {
        let cases: [(f64, &str); 24] = [
            (0.1 + 0.2, "0.30000000000000004"),
            (0.48000000000000004, "0.48000000000000004"),
            (0.15999999999999992, "0.15999999999999992"),
            (2.220100000000001, "2.220100000000001"),
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (100.0, "100.0"),
            (-2.5, "-2.5"),
            (0.99 - 1.0, "-0.010000000000000009"),
            (1e-7, "1e-07"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (9999999999999998.0, "9999999999999998.0"),
            (123456789.0, "123456789.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-1.25e-5, "-1.25e-05"),
            (0.5f64.powi(20), "9.5367431640625e-07"),
            (1.5e300, "1.5e+300"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (12345678901234567890.0, "1.2345678901234567e+19"),
            (1e22, "1e+22"),
        ];
        for (x, expected) in cases {
            assert_eq!(num(x), expected);
            assert_eq!(num(x).parse::<f64>().unwrap().to_bits(), x.to_bits());
        }
        assert_eq!(num(f64::NAN), "nan");
        assert_eq!(num(f64::INFINITY), "inf");
        assert_eq!(num(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn short_form_drops_only_a_trailing_point_zero() {
        assert_eq!(num_short(1.0), "1");
        assert_eq!(num_short(-1.0), "-1");
        assert_eq!(num_short(-0.0), "-0");
        assert_eq!(num_short(100.0), "100");
        assert_eq!(num_short(1.5), "1.5");
        assert_eq!(num_short(1e16), "1e+16");
        assert_eq!(num_short(0.48000000000000004), "0.48000000000000004");
    }

    // Hand-rounded to 4 significant digits, trailing zeros dropped.
    #[test]
    fn four_significant_digits() {
        assert_eq!(sig4(0.011574), "0.01157");
        assert_eq!(sig4(123.456), "123.5");
        assert_eq!(sig4(1.23456e-7), "1.235e-7");
        assert_eq!(sig4(1.0e-7), "1e-7");
        assert_eq!(sig4(90.0), "90");
        assert_eq!(sig4(0.5), "0.5");
        assert_eq!(sig4(-4.544654), "-4.545");
        assert_eq!(sig4(9.99996), "10");
        assert_eq!(sig4(-0.00001), "-1e-5");
        assert_eq!(sig4(f64::INFINITY), "inf");
        assert_eq!(sig4(1.8e184), "1.8e184");
    }
}
