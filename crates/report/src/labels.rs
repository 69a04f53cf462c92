//! What each node and quantity is called in equations: the course's `z1`, `a1`, `y_hat` on
//! the 2-2-1 network; `z(L1.n2)`, `a(L1.n2)` elsewhere (layer 1, neuron 2, both 1-based).

use nnlab_core::{course, Network};

use crate::num::num_short;

/// The names of one node's quantities.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NodeLabels {
    /// `node 1` or `L1.n2`.
    pub name: String,
    /// `z1` or `z(L1.n2)`.
    pub z: String,
    /// `a1`, `y_hat`, `y_hat[2]` or `a(L1.n2)`.
    pub a: String,
}

impl NodeLabels {
    /// `dL/dz1`.
    pub fn dz(&self) -> String {
        format!("dL/d{}", self.z)
    }
    /// `dL/da1`, `dL/dy_hat`.
    pub fn da(&self) -> String {
        format!("dL/d{}", self.a)
    }
}

/// Labels of node `neuron` of layer `layer` (both 0-based).
pub(crate) fn node(net: &Network, layer: usize, neuron: usize) -> NodeLabels {
    if net.is_course_shape() {
        if let Some((z, a)) = course::node_names(layer, neuron) {
            // The course numbers its three nodes 1, 2, 3 across layers.
            let index = if layer == 0 { neuron + 1 } else { 3 };
            return NodeLabels {
                name: format!("node {index}"),
                z: z.to_string(),
                a: a.to_string(),
            };
        }
    }
    let name = format!("L{}.n{}", layer + 1, neuron + 1);
    let last = layer + 1 == net.layers().len();
    let a = if last {
        output(net, neuron, "y_hat")
    } else {
        format!("a({name})")
    };
    NodeLabels {
        z: format!("z({name})"),
        a,
        name,
    }
}

/// `y_hat` / `y` for a single output, `y_hat[2]` / `y[2]` (1-based) for several.
pub(crate) fn output(net: &Network, neuron: usize, base: &str) -> String {
    if net.n_outputs() == 1 {
        base.to_string()
    } else {
        format!("{base}[{}]", neuron + 1)
    }
}

/// The label of input `i` of layer `layer`: `x1` for the first layer, else the previous
/// layer's activation label.
pub(crate) fn input(net: &Network, layer: usize, i: usize) -> String {
    if layer == 0 {
        format!("x{}", i + 1)
    } else {
        node(net, layer - 1, i).a
    }
}

/// A number as a factor or term: negative values in parentheses so `0·(-1)` and
/// `+ (-0.5)` read unambiguously.
pub(crate) fn term(x: f64) -> String {
    let s = num_short(x);
    if s.starts_with('-') {
        format!("({s})")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab_core::Activation;

    #[test]
    fn course_and_general_labels() {
        let net = course::network([1.0; 6], [0.0; 3]);
        assert_eq!(node(&net, 0, 1).name, "node 2");
        assert_eq!(node(&net, 1, 0).a, "y_hat");
        assert_eq!(node(&net, 1, 0).dz(), "dL/dz3");
        assert_eq!(input(&net, 1, 0), "a1");
        let general =
            Network::zeros(&[2, 3, 2], &[Activation::Tanh, Activation::Identity]).unwrap();
        assert_eq!(node(&general, 0, 1).z, "z(L1.n2)");
        assert_eq!(node(&general, 1, 1).a, "y_hat[2]");
        assert_eq!(input(&general, 1, 2), "a(L1.n3)");
        assert_eq!(term(-0.5), "(-0.5)");
        assert_eq!(term(1.0), "1");
    }
}
