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

use nnlab_core::values::ParamValues;
use nnlab_core::{Activation, Loss};

use crate::ReportError;

/// A comma list of finite numbers (`1,0.5,-1`).
pub fn parse_numbers(field: &str, text: &str) -> Result<Vec<f64>, ReportError> {
    text.split(',')
        .map(|part| parse_number(field, part))
        .collect()
}

/// One finite number.
pub fn parse_number(field: &str, text: &str) -> Result<f64, ReportError> {
    let part = text.trim();
    let value: f64 = part.parse().map_err(|_| ReportError::NotANumber {
        field: field.into(),
        value: part.into(),
    })?;
    if !value.is_finite() {
        return Err(ReportError::NotFinite {
            field: field.into(),
            value: part.into(),
        });
    }
    Ok(value)
}

/// A learning rate: a finite number, 0 or more (0 shows the gradients without moving).
pub fn parse_lr(field: &str, text: &str) -> Result<f64, ReportError> {
    let lr = parse_number(field, text)?;
    if lr < 0.0 {
        return Err(ReportError::Invalid {
            field: field.into(),
            reason: format!(
                "'{}' is negative; gradient descent needs a rate of 0 or more",
                text.trim()
            ),
        });
    }
    Ok(lr)
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

/// Layer sizes from `2-3-1`: at least an input and an output, none of them 0.
pub fn parse_arch(field: &str, text: &str) -> Result<Vec<usize>, ReportError> {
    let part = text.trim();
    let bad = || ReportError::Invalid {
        field: field.into(),
        reason: format!(
            "'{part}' is not an architecture like 2-3-1 (sizes of at least 1, input first)"
        ),
    };
    let sizes: Vec<usize> = part
        .split('-')
        .map(|s| s.trim().parse::<usize>().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    if sizes.len() < 2 || sizes.contains(&0) {
        return Err(bad());
    }
    Ok(sizes)
}

/// One activation per layer (`relu,identity`), or a single one for every layer.
pub fn parse_activations(
    field: &str,
    text: &str,
    n_layers: usize,
) -> Result<Vec<Activation>, ReportError> {
    let acts: Vec<Activation> = text
        .split(',')
        .map(|s| {
            s.parse::<Activation>().map_err(|e| ReportError::Invalid {
                field: field.into(),
                reason: e.to_string(),
            })
        })
        .collect::<Result<_, _>>()?;
    match acts.len() {
        1 => Ok(vec![acts[0]; n_layers]),
        n if n == n_layers => Ok(acts),
        n => Err(ReportError::WrongCount {
            field: field.into(),
            expected: format!("1 or {n_layers} values (one per layer after the input)"),
            found: n,
        }),
    }
}

/// `squared_error`, `absolute_error`, `huber` or `huber:DELTA`.
pub fn parse_loss(field: &str, text: &str) -> Result<Loss, ReportError> {
    text.parse::<Loss>().map_err(|e| ReportError::Invalid {
        field: field.into(),
        reason: e.to_string(),
    })
}

/// A list of values (`1,0.5,1`) or an initializer (`const:1`, `uniform:-10,10,round=2`,
/// `glorot`, `he`), as [`ParamValues`] spells them.
///
/// Text without a `:` that is a comma list or a number (`nan` included, so it can be refused
/// as not finite) is a list; anything else is an initializer.
pub fn parse_values(field: &str, text: &str) -> Result<ParamValues, ReportError> {
    let t = text.trim();
    let is_list = !t.contains(':') && (t.contains(',') || t.parse::<f64>().is_ok());
    if is_list {
        return parse_numbers(field, t).map(ParamValues::List);
    }
    t.parse::<ParamValues>().map_err(|e| ReportError::Invalid {
        field: field.into(),
        reason: e.to_string(),
    })
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
    use nnlab_core::init::Init;

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
            msg(parse_numbers("--input", "1,")),
            "--input: '' is not a number"
        );
        assert_eq!(
            parse_activations("--activation", "softmax", 2).unwrap_err().to_string(),
            "--activation: unknown activation 'softmax' (expected relu, leaky_relu[:slope], sigmoid, tanh or identity)"
        );
        assert_eq!(
            parse_activations("--activation", "relu,relu,relu", 2)
                .unwrap_err()
                .to_string(),
            "--activation: expected 1 or 2 values (one per layer after the input), got 3"
        );
        assert_eq!(
            check_count("--weights", 5, 6, "w1..w6")
                .unwrap_err()
                .to_string(),
            "--weights: expected 6 values (w1..w6), got 5"
        );
        assert_eq!(
            parse_arch("--arch", "2-0-1").unwrap_err().to_string(),
            "--arch: '2-0-1' is not an architecture like 2-3-1 (sizes of at least 1, input first)"
        );
        assert!(parse_lr("--lr", "-0.1").is_err());
        assert!(parse_count("--steps", "0", 1).is_err());
        assert_eq!(parse_count("--seed", "7", 0).unwrap(), 7);
    }

    #[test]
    fn lists_and_initializers() {
        assert_eq!(
            parse_values("--weights", "1,0.5").unwrap(),
            ParamValues::List(vec![1.0, 0.5])
        );
        assert_eq!(
            parse_values("--biases", "2").unwrap(),
            ParamValues::List(vec![2.0])
        );
        assert_eq!(
            parse_values("--weights", "uniform:-10,10,round=2").unwrap(),
            ParamValues::Init(Init::Uniform {
                lo: -10.0,
                hi: 10.0,
                round: Some(2)
            })
        );
        assert_eq!(
            parse_values("--weights", "glorot").unwrap(),
            ParamValues::Init(Init::Glorot)
        );
        assert_eq!(
            parse_values("--weights", "NaN,1").unwrap_err().to_string(),
            "--weights: 'NaN' is not finite"
        );
        assert!(parse_values("--weights", "bogus")
            .unwrap_err()
            .to_string()
            .starts_with("--weights: invalid initializer 'bogus'"));
        assert_eq!(
            parse_activations("--activation", "tanh", 3).unwrap(),
            vec![Activation::Tanh; 3]
        );
        assert_eq!(
            parse_loss("--loss", "huber:0.5").unwrap(),
            Loss::Huber { delta: 0.5 }
        );
    }
}
