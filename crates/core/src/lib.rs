//! # nnlab-core: the mathematics of small neural networks
//!
//! Pure math, no I/O, no printing, no clock. A dense [`Network`] of any layer sizes with an
//! [`Activation`] per layer; a forward pass that records every node's `z` and `a`
//! ([`Trace`]); backpropagation that records `dL/da`, `dL/dz` per node ([`Backward`]) and
//! `dL/dp` per parameter ([`Gradients`]); a gradient-descent update; a finite-difference
//! [`gradient_check`]. The course's 2-2-1 network is a named view ([`course`]). Where the
//! output layer meets the loss (the cross-entropies from the logits, `dL/dz = y_hat - y`,
//! which losses go with which outputs, the predicted class) is [`output`]; the L1/L2 weight
//! penalty is [`Regularization`].
//!
//! ```
//! use nnlab_core::{course, Loss};
//! // The course's example: w = 1,0.5,1,-1,1,1, b = 0.5,0,0.5, input (1, 0), target 2.
//! let mut net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! let (trace, loss, _, grads) = net.backprop(&[1.0, 0.0], &[2.0], Loss::SquaredError).unwrap();
//! assert_eq!(trace.output(), &[2.5]);
//! assert_eq!(loss, 0.25);
//! net.apply_gradients(&grads, 0.01);
//! assert_eq!(course::params(&net).unwrap().0, [0.99, 0.49, 1.0, -1.0, 0.985, 0.995]);
//! ```

mod activation;
mod backprop;
pub mod course;
mod error;
mod gradcheck;
pub mod init;
pub mod lanes;
pub mod linear_fit;
mod loss;
mod named;
mod network;
pub mod output;
mod params;
mod regularize;
pub mod rng;
pub mod values;

pub use activation::{softmax_dot, Activation, DEFAULT_LEAKY_SLOPE};
pub use backprop::Backward;
pub use error::CoreError;
pub use gradcheck::{
    gradient_check, gradient_check_regularized, mean_gradients, mean_loss, GradCheck,
    GradCheckEntry,
};
pub use linear_fit::LinearFit;
pub use loss::{sign, Loss, PROB_EPSILON};
pub use named::NamedValues;
pub use network::{Gradients, Layer, LayerGradients, Network, Trace};
pub use output::{predicted_class, sample_loss};
pub use params::ParamId;
pub use regularize::Regularization;
