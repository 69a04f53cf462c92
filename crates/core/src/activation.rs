//! Activation functions, each with its derivative right beside it.
//!
//! Every activation but softmax acts on each neuron alone (`a_j = f(z_j)`, a diagonal
//! Jacobian). Softmax acts on the whole layer (`a_j = e^{z_j} / Σ_k e^{z_k}`), so its
//! Jacobian is full; [`Activation::forward_layer`] and [`Activation::backward_layer`] are the
//! layer-wise forms every network pass uses.
//!
//! ```
//! use nnlab_core::Activation;
//! assert_eq!(Activation::Relu.f(1.5), 1.5);
//! assert_eq!(Activation::Relu.df(-0.2), 0.0);
//! assert_eq!("leaky_relu:0.1".parse::<Activation>().unwrap().f(-2.0), -0.2);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::CoreError;

/// The activation `a = f(z)` of a layer's neurons.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Activation {
    /// `f(z) = max(0, z)`; `f'(z) = 1 if z > 0 else 0` (the course's convention at z = 0).
    Relu,
    /// `f(z) = z if z > 0 else slope·z`; `f'(z) = 1 if z > 0 else slope`.
    LeakyRelu { slope: f64 },
    /// `f(z) = 1 / (1 + e^-z)`; `f'(z) = f(z)·(1 - f(z))`.
    Sigmoid,
    /// `f(z) = tanh z`; `f'(z) = 1 - tanh² z`.
    Tanh,
    /// `f(z) = z`; `f'(z) = 1`.
    Identity,
    /// Layer-wise: `a_j = e^{z_j - m} / Σ_k e^{z_k - m}` with `m = max_k z_k` (the shift
    /// changes nothing mathematically and keeps every `e^x` in (0, 1], so no finite `z`
    /// overflows). Jacobian `da_j/dz_i = a_j·(δ_ij - a_i)`, so backprop is
    /// `dL/dz_i = a_i·(dL/da_i - Σ_j a_j·dL/da_j)` ([`Activation::backward_layer`]).
    /// Valid only as the last layer's activation with at least two neurons (the network
    /// refuses it elsewhere). It has no per-neuron form: [`Activation::f`] and
    /// [`Activation::df`] return NaN for it, so code that forgets the layer-wise form shows
    /// NaN rather than a plausible wrong number.
    Softmax,
}

/// Keras's default slope for leaky ReLU is 0.3; PyTorch's is 0.01. We follow PyTorch,
/// whose value students meet more often in course material.
pub const DEFAULT_LEAKY_SLOPE: f64 = 0.01;

impl Activation {
    /// `a = f(z)`.
    #[inline(always)]
    pub fn f(self, z: f64) -> f64 {
        match self {
            // `if z > 0 { z } else { 0 }` rather than `z.max(0.0)`: NaN must stay NaN so a
            // diverging run is noticed, and -0.0 becomes +0.0 like the course's max(0, z).
            Activation::Relu => {
                if z > 0.0 || z.is_nan() {
                    z
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu { slope } => {
                if z > 0.0 {
                    z
                } else {
                    slope * z
                }
            }
            Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
            Activation::Tanh => z.tanh(),
            Activation::Identity => z,
            Activation::Softmax => f64::NAN,
        }
    }

    /// `da/dz = f'(z)`.
    #[inline(always)]
    pub fn df(self, z: f64) -> f64 {
        match self {
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu { slope } => {
                if z > 0.0 {
                    1.0
                } else {
                    slope
                }
            }
            Activation::Sigmoid => {
                let s = 1.0 / (1.0 + (-z).exp());
                s * (1.0 - s)
            }
            Activation::Tanh => {
                let t = z.tanh();
                1.0 - t * t
            }
            Activation::Identity => 1.0,
            Activation::Softmax => f64::NAN,
        }
    }

    /// Whether the activation acts on the whole layer (softmax) rather than neuron by neuron.
    pub fn is_layerwise(self) -> bool {
        self == Activation::Softmax
    }

    /// `a = f(z)` for a whole layer: `a_j = f(z_j)` neuron by neuron, or the softmax of `z`.
    #[inline(always)]
    pub fn forward_layer(self, z: &[f64], a: &mut [f64]) {
        match self {
            Activation::Softmax => {
                let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let mut sum = 0.0;
                for (aj, &zj) in a.iter_mut().zip(z) {
                    *aj = (zj - m).exp();
                    sum += *aj;
                }
                a.iter_mut().for_each(|aj| *aj /= sum);
            }
            f => {
                for (aj, &zj) in a.iter_mut().zip(z) {
                    *aj = f.f(zj);
                }
            }
        }
    }

    /// `dL/dz` of a whole layer from its `z`, its `a` and `dL/da`: `dL/dz_j = dL/da_j·f'(z_j)`
    /// neuron by neuron, or for softmax `dL/dz_i = a_i·(dL/da_i - Σ_j a_j·dL/da_j)` (the
    /// full Jacobian, summed in neuron order).
    #[inline(always)]
    pub fn backward_layer(self, z: &[f64], a: &[f64], dl_da: &[f64], dl_dz: &mut [f64]) {
        match self {
            Activation::Softmax => {
                let dot = softmax_dot(a, dl_da);
                for ((dz, ai), di) in dl_dz.iter_mut().zip(a).zip(dl_da) {
                    *dz = ai * (di - dot);
                }
            }
            f => {
                for ((dz, &zj), dj) in dl_dz.iter_mut().zip(z).zip(dl_da) {
                    *dz = dj * f.df(zj);
                }
            }
        }
    }

    /// The name used in flags, TOML and JSON (`relu`, `leaky_relu:0.01`, ...).
    pub fn name(self) -> String {
        self.to_string()
    }

    /// The short name of the function alone, for equations (`relu`, `sigmoid`).
    pub fn symbol(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::LeakyRelu { .. } => "leaky_relu",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Identity => "identity",
            Activation::Softmax => "softmax",
        }
    }
}

/// `Σ_j a_j·dL/da_j`, summed in neuron order: the term softmax's backward pass subtracts
/// from every `dL/da_i` (public so an explanation can show the very number).
pub fn softmax_dot(a: &[f64], dl_da: &[f64]) -> f64 {
    let mut dot = 0.0;
    for (aj, dj) in a.iter().zip(dl_da) {
        dot += aj * dj;
    }
    dot
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Activation::LeakyRelu { slope } => write!(f, "leaky_relu:{slope:?}"),
            other => f.write_str(other.symbol()),
        }
    }
}

impl FromStr for Activation {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (head, arg) = match s.split_once(':') {
            Some((h, a)) => (h, Some(a)),
            None => (s, None),
        };
        let unknown = || CoreError::UnknownActivation {
            name: s.to_string(),
        };
        let act = match (head.to_ascii_lowercase().as_str(), arg) {
            ("relu", None) => Activation::Relu,
            ("leaky_relu" | "leakyrelu" | "leaky-relu", None) => Activation::LeakyRelu {
                slope: DEFAULT_LEAKY_SLOPE,
            },
            ("leaky_relu" | "leakyrelu" | "leaky-relu", Some(a)) => {
                let slope: f64 = a.trim().parse().map_err(|_| unknown())?;
                if !slope.is_finite() {
                    return Err(unknown());
                }
                Activation::LeakyRelu { slope }
            }
            ("sigmoid" | "logistic", None) => Activation::Sigmoid,
            ("tanh", None) => Activation::Tanh,
            ("identity" | "linear" | "none", None) => Activation::Identity,
            ("softmax", None) => Activation::Softmax,
            _ => return Err(unknown()),
        };
        Ok(act)
    }
}

impl TryFrom<String> for Activation {
    type Error = CoreError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Activation> for String {
    fn from(a: Activation) -> String {
        a.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Values by hand: relu(1.5) = 1.5, relu(-2) = 0; sigmoid(0) = 1/2, sigmoid'(0) = 1/4;
    // tanh'(0) = 1; leaky_relu(-2) with slope 0.1 = -0.2.
    #[test]
    fn values_by_hand() {
        assert_eq!(Activation::Relu.f(1.5), 1.5);
        assert_eq!(Activation::Relu.f(-2.0), 0.0);
        assert_eq!(
            Activation::Relu.df(0.0),
            0.0,
            "course convention: relu'(0) = 0"
        );
        assert_eq!(Activation::Relu.df(1e-300), 1.0);
        assert_eq!(Activation::Sigmoid.f(0.0), 0.5);
        assert_eq!(Activation::Sigmoid.df(0.0), 0.25);
        assert_eq!(Activation::Tanh.df(0.0), 1.0);
        let leaky = Activation::LeakyRelu { slope: 0.1 };
        assert_eq!(leaky.f(-2.0), -0.2);
        assert_eq!(leaky.df(-2.0), 0.1);
        assert!(Activation::Relu.f(f64::NAN).is_nan());
    }

    // Finite differences: f'(z) ≈ (f(z+h) - f(z-h)) / 2h within 1e-8 away from kinks.
    #[test]
    fn derivatives_match_central_differences() {
        let acts = [
            Activation::Relu,
            Activation::LeakyRelu { slope: 0.2 },
            Activation::Sigmoid,
            Activation::Tanh,
            Activation::Identity,
        ];
        let h = 1e-6;
        for act in acts {
            for &z in &[-3.1, -0.7, 0.4, 2.2] {
                let num = (act.f(z + h) - act.f(z - h)) / (2.0 * h);
                assert!(
                    (num - act.df(z)).abs() < 1e-8,
                    "{act} at {z}: {num} vs {}",
                    act.df(z)
                );
            }
        }
    }

    #[test]
    fn names_round_trip_and_unknown_is_an_error() {
        for s in [
            "relu",
            "leaky_relu:0.2",
            "sigmoid",
            "tanh",
            "identity",
            "softmax",
        ] {
            assert_eq!(s.parse::<Activation>().unwrap().to_string(), s);
        }
        assert!("softmin".parse::<Activation>().is_err());
        assert!("leaky_relu:abc".parse::<Activation>().is_err());
    }
}
