//! The core's error type.

use thiserror::Error;

/// Everything the math core can refuse.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum CoreError {
    #[error("unknown activation '{name}' (expected relu, leaky_relu[:slope], sigmoid, tanh, identity or softmax)")]
    UnknownActivation { name: String },
    #[error("unknown loss '{name}' (expected squared_error, absolute_error, huber[:delta], binary_cross_entropy (bce) or categorical_cross_entropy (cce))")]
    UnknownLoss { name: String },
    #[error("invalid architecture '{spec}': {reason}")]
    InvalidArchitecture { spec: String, reason: String },
    #[error("layer {layer}: {what} has {found} values, expected {expected}")]
    ShapeMismatch {
        layer: usize,
        what: &'static str,
        expected: usize,
        found: usize,
    },
    #[error("{what} has {found} values, expected {expected}")]
    WrongCount {
        what: &'static str,
        expected: usize,
        found: usize,
    },
    #[error("{what} is not finite: {value}")]
    NotFinite { what: String, value: f64 },
    /// A strategy drew inf or NaN (its range overflows f64).
    #[error(
        "{what}: initializer '{init}' drew {param} = {value}: a starting value must be finite"
    )]
    InitNotFinite {
        what: &'static str,
        init: String,
        param: String,
        value: f64,
    },
    #[error("invalid initializer '{spec}': {reason}")]
    InvalidInit { spec: String, reason: String },
    /// A loss that needs a particular output activation met another one (cross-entropy is
    /// computed from the output's logits, so it is only defined for the output it belongs to).
    #[error("loss {loss} needs a {needs} output layer, but the output activation is {found}")]
    LossNeedsOutput {
        loss: String,
        needs: &'static str,
        found: String,
    },
    #[error("unknown parameter '{name}'")]
    UnknownParameter { name: String },
}
