//! Turning what a user typed into checked values, with errors that name the field and the
//! value (`--input: 'abc' is not a number`). The command line passes its flag names as
//! `field`.
//!
//! ```
//! use nnlab_report::input::{parse_number, parse_numbers};
//! assert_eq!(parse_numbers("--input", "1, 0").unwrap(), vec![1.0, 0.0]);
//! assert_eq!(parse_number("--lr", "x").unwrap_err().to_string(), "--lr: 'x' is not a number");
//! assert_eq!(parse_numbers("--input", "nan").unwrap_err().to_string(), "--input: 'nan' is not finite");
//! ```

use crate::ReportError;

/// A comma list of finite numbers (`1,0.5,-1`).
pub fn parse_numbers(field: &str, text: &str) -> Result<Vec<f64>, ReportError> {
    text.split(',')
        .map(|part| parse_number(field, part))
        .collect()
}

/// One finite number; an error names the field.
pub fn parse_number(field: &str, text: &str) -> Result<f64, ReportError> {
    finite(text).map_err(|reason| ReportError::Invalid {
        field: field.into(),
        reason,
    })
}

/// One finite number, or why the text is not one (`'abc' is not a number`, `'nan' is not
/// finite`), for callers that name the field in their own syntax.
pub fn finite(text: &str) -> Result<f64, String> {
    let part = text.trim();
    let value: f64 = part
        .parse()
        .map_err(|_| format!("'{part}' is not a number"))?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("'{part}' is not finite"))
    }
}

/// A whole number of at least `min` (`--steps 3`, `--seed 7`).
pub fn parse_count(field: &str, text: &str, min: u64) -> Result<u64, ReportError> {
    let part = text.trim();
    match part.parse::<u64>() {
        Ok(n) if n >= min => Ok(n),
        _ => Err(ReportError::Invalid {
            field: field.into(),
            reason: format!("'{part}' is not a whole number of at least {min}"),
        }),
    }
}

/// Checks that a list has `expected` values; `what` names them (`w1..w6`).
pub fn check_count(
    field: &str,
    found: usize,
    expected: usize,
    what: &str,
) -> Result<(), ReportError> {
    if found == expected {
        return Ok(());
    }
    let noun = if expected == 1 { "value" } else { "values" };
    Err(ReportError::WrongCount {
        field: field.into(),
        expected: format!("{expected} {noun} ({what})"),
        found,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_and_the_value() {
        let msg = |r: Result<Vec<f64>, ReportError>| r.unwrap_err().to_string();
        assert_eq!(
            msg(parse_numbers("--input", "1,abc")),
            "--input: 'abc' is not a number"
        );
        assert_eq!(
            msg(parse_numbers("--target", "inf")),
            "--target: 'inf' is not finite"
        );
        assert_eq!(
            msg(parse_numbers("input", "1,")),
            "input: '' is not a number"
        );
        assert_eq!(
            check_count("--weights", 5, 6, "w1..w6")
                .unwrap_err()
                .to_string(),
            "--weights: expected 6 values (w1..w6), got 5"
        );
        assert!(parse_count("--steps", "0", 1).is_err());
        assert_eq!(parse_count("--seed", "7", 0).unwrap(), 7);
    }
}
