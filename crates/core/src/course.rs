//! The course's network as a named view of the general [`Network`].
//!
//! ```text
//! z1 = x1*w1 + x2*w3 + b1      a1 = relu(z1)      (node 1)
//! z2 = x1*w2 + x2*w4 + b2      a2 = relu(z2)      (node 2)
//! z3 = a1*w5 + a2*w6 + b3      y_hat = relu(z3)   (node 3, the prediction)
//! loss = (y_hat - y)^2
//! ```
//!
//! So `w1` is layer 1's weight into neuron 1 from input 1, `w3` into neuron 1 from input 2,
//! `w2` and `w4` feed neuron 2, `w5`, `w6` feed the output.
//!
//! ```
//! use nnlab_core::course;
//! // The course's published start: prediction 2.5, loss 0.25 for input (1, 0), target 2.
//! let net = course::network([1.0, 0.5, 1.0, -0.5, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! assert_eq!(net.predict(&[1.0, 0.0]).unwrap(), vec![2.5]);
//! ```

use crate::{Activation, Layer, Network, ParamId};

const fn w(layer: usize, neuron: usize, input: usize) -> ParamId {
    ParamId::Weight {
        layer,
        neuron,
        input,
    }
}
const fn b(layer: usize, neuron: usize) -> ParamId {
    ParamId::Bias { layer, neuron }
}

/// The course's names in reading order, and where each sits in the general network.
pub const NAMES: [(&str, ParamId); 9] = [
    ("w1", w(0, 0, 0)),
    ("w2", w(0, 1, 0)),
    ("w3", w(0, 0, 1)),
    ("w4", w(0, 1, 1)),
    ("w5", w(1, 0, 0)),
    ("w6", w(1, 0, 1)),
    ("b1", b(0, 0)),
    ("b2", b(0, 1)),
    ("b3", b(1, 0)),
];

/// The course name of a parameter of the 2-2-1 network.
pub fn name_of(id: ParamId) -> Option<&'static str> {
    NAMES.iter().find(|(_, i)| *i == id).map(|(n, _)| *n)
}

/// The course's node names: `(z, a)` per layer and neuron (`z1`/`a1`, ..., `z3`/`y_hat`).
pub fn node_names(layer: usize, neuron: usize) -> Option<(&'static str, &'static str)> {
    match (layer, neuron) {
        (0, 0) => Some(("z1", "a1")),
        (0, 1) => Some(("z2", "a2")),
        (1, 0) => Some(("z3", "y_hat")),
        _ => None,
    }
}

/// The course network (ReLU everywhere) from `w1..w6` and `b1..b3`.
pub fn network(weights: [f64; 6], biases: [f64; 3]) -> Network {
    let [w1, w2, w3, w4, w5, w6] = weights;
    let [b1, b2, b3] = biases;
    let hidden = Layer::new(
        vec![vec![w1, w3], vec![w2, w4]],
        vec![b1, b2],
        Activation::Relu,
    );
    let output = Layer::new(vec![vec![w5, w6]], vec![b3], Activation::Relu);
    // Shapes are fixed above, so construction cannot fail.
    match (hidden, output) {
        (Ok(h), Ok(o)) => match Network::from_layers(vec![h, o]) {
            Ok(n) => n,
            Err(e) => unreachable!("course shape is valid: {e}"),
        },
        _ => unreachable!("course shape is valid"),
    }
}

/// `[w1..w6]` and `[b1..b3]` of a 2-2-1 network.
pub fn params(net: &Network) -> Option<([f64; 6], [f64; 3])> {
    if !net.is_course_shape() {
        return None;
    }
    let mut ws = [0.0; 6];
    let mut bs = [0.0; 3];
    for (k, (_, id)) in NAMES.iter().enumerate() {
        if k < 6 {
            ws[k] = net.get(*id);
        } else {
            bs[k - 6] = net.get(*id);
        }
    }
    Some((ws, bs))
}

/// The course network's nine parameters in plain fields, for the fast training kernel.
///
/// [`CourseParams::sgd_step`] is the same arithmetic as [`Network::backprop`] followed by
/// [`Network::apply_gradients`] on the ReLU 2-2-1 network with squared error, written out
/// with no loops or allocation so one sample-step costs a few nanoseconds. The test
/// `fast_kernel_matches_general_network_bitwise` holds the two to the same bits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CourseParams {
    pub w: [f64; 6],
    pub b: [f64; 3],
}

impl CourseParams {
    pub fn from_network(net: &Network) -> Option<CourseParams> {
        let all_relu = net
            .layers()
            .iter()
            .all(|l| l.activation == Activation::Relu);
        if !all_relu {
            return None;
        }
        params(net).map(|(w, b)| CourseParams { w, b })
    }

    pub fn to_network(self) -> Network {
        network(self.w, self.b)
    }

    /// `y_hat` for one sample.
    #[inline(always)]
    pub fn predict(&self, x1: f64, x2: f64) -> f64 {
        let [w1, w2, w3, w4, w5, w6] = self.w;
        let [b1, b2, b3] = self.b;
        let a1 = relu(x1 * w1 + x2 * w3 + b1);
        let a2 = relu(x1 * w2 + x2 * w4 + b2);
        relu(a1 * w5 + a2 * w6 + b3)
    }

    /// One per-sample SGD step on squared error; returns the loss before the update.
    #[inline(always)]
    pub fn sgd_step(&mut self, x1: f64, x2: f64, y: f64, lr: f64) -> f64 {
        let [w1, w2, w3, w4, w5, w6] = self.w;
        let [b1, b2, b3] = self.b;
        let z1 = x1 * w1 + x2 * w3 + b1;
        let z2 = x1 * w2 + x2 * w4 + b2;
        let a1 = relu(z1);
        let a2 = relu(z2);
        let z3 = a1 * w5 + a2 * w6 + b3;
        let y_hat = relu(z3);
        let d = y_hat - y;
        let loss = d * d;
        let dl_dz3 = 2.0 * d * drelu(z3);
        let dl_dz1 = dl_dz3 * w5 * drelu(z1);
        let dl_dz2 = dl_dz3 * w6 * drelu(z2);
        self.w = [
            w1 - lr * (dl_dz1 * x1),
            w2 - lr * (dl_dz2 * x1),
            w3 - lr * (dl_dz1 * x2),
            w4 - lr * (dl_dz2 * x2),
            w5 - lr * (dl_dz3 * a1),
            w6 - lr * (dl_dz3 * a2),
        ];
        self.b = [b1 - lr * dl_dz1, b2 - lr * dl_dz2, b3 - lr * dl_dz3];
        loss
    }
}

#[inline(always)]
fn relu(z: f64) -> f64 {
    Activation::Relu.f(z)
}

#[inline(always)]
fn drelu(z: f64) -> f64 {
    Activation::Relu.df(z)
}

/// The course's named starting points, `(name, weights w1..w6, biases b1..b3)`: the
/// small / medium / high weights × small / medium / high biases grid and the symmetry
/// cases, with the values of the course's published forward-pass table.
pub const PRESETS: [(&str, [f64; 6], [f64; 3]); 14] = [
    ("course", [1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]),
    (
        "course-start",
        [1.0, 0.5, 1.0, -0.5, 1.0, 1.0],
        [0.5, 0.0, 0.5],
    ),
    (
        "small-small",
        [0.3, 0.1, 0.3, -0.2, 0.5, 0.3],
        [0.2, 0.0, 0.2],
    ),
    (
        "small-medium",
        [0.3, 0.1, 0.3, -0.2, 0.5, 0.3],
        [0.8, 0.4, 0.8],
    ),
    (
        "small-high",
        [0.3, 0.1, 0.3, -0.2, 0.5, 0.3],
        [3.0, 0.5, 3.0],
    ),
    (
        "medium-small",
        [1.0, 0.5, 1.0, 0.8, 1.0, 0.8],
        [0.5, 0.0, 0.5],
    ),
    (
        "medium-medium",
        [1.0, 0.5, 1.0, 0.8, 1.0, 0.8],
        [1.5, 0.5, 1.5],
    ),
    (
        "medium-high",
        [1.0, 0.5, 1.0, 0.8, 1.0, 0.8],
        [3.0, 2.0, 3.0],
    ),
    (
        "high-small",
        [3.0, 1.5, 3.0, -2.0, 1.5, 3.0],
        [0.5, 0.0, 0.5],
    ),
    (
        "high-medium",
        [3.0, 1.5, 3.0, -2.0, 1.5, 3.0],
        [1.5, 1.0, 1.5],
    ),
    (
        "high-high",
        [3.0, 1.5, 3.0, -2.0, 1.5, 3.0],
        [3.0, 2.0, 3.0],
    ),
    ("identical", [0.5; 6], [0.5; 3]),
    ("unique", [1.5, 0.5, 1.0, -1.0, 1.2, 0.7], [0.3, 0.4, 0.7]),
    ("mixed", [0.5, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]),
];

/// A named starting point from [`PRESETS`].
pub fn preset(name: &str) -> Option<([f64; 6], [f64; 3])> {
    PRESETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(_, w, b)| (w, b))
}
