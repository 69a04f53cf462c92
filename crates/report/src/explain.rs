//! The chain rule written out with numbers: each node's forward equation, each node's
//! `dL/da` and `dL/dz`, and each parameter's gradient as a product of factors.
//!
//! Every number comes from the core's [`Trace`], [`Backward`] and [`Gradients`] (or the
//! core's `Activation::df` / `Loss::df`); nothing here redoes the math. The factors of a
//! gradient are the very values the backward pass multiplied, in its order, so their
//! left-to-right product is the gradient to the last bit (tested in `tests/explain.rs`).

use serde::{Deserialize, Serialize};

use nnlab_core::output::uses_logit_gradient;
use nnlab_core::{Backward, Gradients, Loss, Network, ParamId, Regularization, Trace};

use crate::labels::{self, term};
use crate::num::num_short;
use crate::output_eq::{output_da_equation, output_dz_equation, penalty_gradient};

/// The weight penalty's part of one weight's gradient, added after the chain-rule product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PenaltyTerm {
    /// `λ1·sign(w5) + 2λ2·w5` (the active rates only).
    pub formula: String,
    /// `0.01·1 + 2·0.1·1`.
    pub numbers: String,
    /// `λ1·sign(w) + 2·λ2·w`, as `nnlab_core::Regularization::weight_gradient` computes it.
    pub value: f64,
}

/// One parameter's gradient as a chain-rule product.
///
/// `dL/dw5 = 2(y_hat - y) · relu'(z3) · a1 = 1 · 1 · 1.5 = 1.5`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradientFactors {
    /// The parameter (`w5`, `L1.w[2][1]`).
    pub name: String,
    /// Its layer, 1-based.
    pub layer: usize,
    /// The symbolic product (`2(y_hat - y) · relu'(z3) · a1`).
    pub formula: String,
    /// The factors' symbols, in the order multiplied.
    pub symbols: Vec<String>,
    /// The factors' values, in the order multiplied.
    pub factors: Vec<f64>,
    /// The gradient `dL/dp` from backpropagation (plus the penalty's part, when there is one).
    pub value: f64,
    /// A weight's share of the L1/L2 penalty's gradient: `value = product() + penalty.value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty: Option<PenaltyTerm>,
}

impl GradientFactors {
    fn new(
        name: String,
        layer: usize,
        parts: Vec<(String, f64)>,
        value: f64,
        penalty: Option<PenaltyTerm>,
    ) -> GradientFactors {
        let (symbols, factors): (Vec<String>, Vec<f64>) = parts.into_iter().unzip();
        GradientFactors {
            name,
            layer,
            formula: symbols.join(" · "),
            symbols,
            factors,
            value,
            penalty,
        }
    }

    /// The factors multiplied left to right, as the backward pass did: equals `value` (its
    /// data part, without the penalty).
    pub fn product(&self) -> f64 {
        let mut it = self.factors.iter();
        let first = it.next().copied().unwrap_or(f64::NAN);
        it.fold(first, |acc, f| acc * f)
    }

    /// `dL/dw5 = 2(y_hat - y) · relu'(z3) · a1 = 1 · 1 · 1.5 = 1.5` (the middle part is
    /// left out when there is a single factor); with a penalty, `... · a1 + 2λ2·w5 = 1 · 1 ·
    /// 1.5 + 2·0.1·1 = 1.7`.
    pub fn equation(&self) -> String {
        let mut lhs = format!("dL/d{} = {}", self.name, self.formula);
        let factors: Vec<String> = self.factors.iter().map(|&f| term(f)).collect();
        let mut numbers = factors.join(" · ");
        if let Some(p) = &self.penalty {
            lhs.push_str(&format!(" + {}", p.formula));
            numbers = format!("{numbers} + {}", p.numbers);
        } else if self.factors.len() == 1 {
            return format!("{lhs} = {}", num_short(self.value));
        }
        format!("{lhs} = {numbers} = {}", num_short(self.value))
    }
}

/// `dL/dp` of one parameter, read from the gradients shaped like the network.
pub(crate) fn gradient_of(net: &Network, grads: &Gradients, id: ParamId) -> f64 {
    match id {
        ParamId::Weight {
            layer,
            neuron,
            input,
        } => grads.layers[layer].dw[neuron * net.layers()[layer].n_in() + input],
        ParamId::Bias { layer, neuron } => grads.layers[layer].db[neuron],
    }
}

/// The chain-rule factors of one parameter's gradient. On the course's 2-2-1 network the
/// product runs from the loss down to the parameter (`2(y_hat - y) · relu'(z3) · w5 ·
/// relu'(z1) · x1`); elsewhere it starts at the node's `dL/dz`, explained per node.
pub(crate) fn gradient_factors(
    net: &Network,
    trace: &Trace,
    back: &Backward,
    (loss, reg): (Loss, Regularization),
    id: ParamId,
    value: f64,
) -> GradientFactors {
    let name = net.param_name(id);
    let (layer, neuron, input) = id.parts();
    let mut parts = Vec::new();
    if net.is_course_shape() {
        // 2-2-1: one output, so dL/da of a hidden node is the single term dL/dz3 · w, and
        // the whole gradient is one product in the backward pass's order.
        let out = &net.layers()[1];
        let z3 = labels::node(net, 1, 0).z;
        if uses_logit_gradient(loss, out.activation) {
            // dL/dz3 = y_hat - y directly: one factor where the chain has two.
            parts.push(("(y_hat - y)".to_string(), back.dl_dz[1][0]));
        } else {
            parts.push((loss.df_formula().to_string(), back.dl_da[1][0]));
            parts.push((
                format!("{}'({z3})", out.activation.symbol()),
                out.activation.df(trace.z[1][0]),
            ));
        }
        if layer == 0 {
            let hidden = &net.layers()[0];
            let w_out = ParamId::Weight {
                layer: 1,
                neuron: 0,
                input: neuron,
            };
            parts.push((net.param_name(w_out), out.w(0, neuron)));
            let z = labels::node(net, 0, neuron).z;
            parts.push((
                format!("{}'({z})", hidden.activation.symbol()),
                hidden.activation.df(trace.z[0][neuron]),
            ));
        }
    } else {
        let dz = labels::node(net, layer, neuron).dz();
        parts.push((dz, back.dl_dz[layer][neuron]));
    }
    if let Some(i) = input {
        parts.push((labels::input(net, layer, i), trace.input_of(layer)[i]));
    }
    let penalty = (reg.is_active() && input.is_some()).then(|| {
        let (formula, numbers, value) = penalty_gradient(&name, net.get(id), reg);
        PenaltyTerm {
            formula,
            numbers,
            value,
        }
    });
    GradientFactors::new(name, layer + 1, parts, value, penalty)
}

/// `z1 = 1·1 + 0·1 + 0.5 = 1.5 -> relu -> a1 = 1.5`: the inputs times the weights in input
/// order, then the bias, as [`nnlab_core::Layer::z`] sums them.
pub(crate) fn forward_equation(
    net: &Network,
    trace: &Trace,
    layer: usize,
    neuron: usize,
) -> String {
    let l = &net.layers()[layer];
    let inputs = trace.input_of(layer);
    let mut terms: Vec<String> = (0..l.n_in())
        .map(|i| format!("{}·{}", term(inputs[i]), term(l.w(neuron, i))))
        .collect();
    terms.push(term(l.b(neuron)));
    let names = labels::node(net, layer, neuron);
    format!(
        "{} = {} = {} -> {} -> {} = {}",
        names.z,
        terms.join(" + "),
        num_short(trace.z[layer][neuron]),
        l.activation.symbol(),
        names.a,
        num_short(trace.a[layer][neuron]),
    )
}

/// `dL/da` of a node. Output: `dL/dy_hat = 2(y_hat - y) = 2(2.5 - 2) = 1` (divided by the
/// number of outputs when there are several, the mean the loss takes). Hidden:
/// `dL/da1 = dL/dz3 · w5 = 1 · 1 = 1`, summed over the next layer's neurons.
pub(crate) fn da_equation(
    net: &Network,
    trace: &Trace,
    back: &Backward,
    y: &[f64],
    loss: Loss,
    layer: usize,
    neuron: usize,
) -> String {
    if layer + 1 == net.layers().len() {
        return output_da_equation(net, trace, back, y, loss, neuron);
    }
    let names = labels::node(net, layer, neuron);
    let value = num_short(back.dl_da[layer][neuron]);
    let next = &net.layers()[layer + 1];
    let mut symbols = Vec::new();
    let mut numbers = Vec::new();
    for j in 0..next.n_out() {
        let w = ParamId::Weight {
            layer: layer + 1,
            neuron: j,
            input: neuron,
        };
        symbols.push(format!(
            "{} · {}",
            labels::node(net, layer + 1, j).dz(),
            net.param_name(w)
        ));
        numbers.push(format!(
            "{} · {}",
            term(back.dl_dz[layer + 1][j]),
            term(next.w(j, neuron))
        ));
    }
    format!(
        "{} = {} = {} = {value}",
        names.da(),
        symbols.join(" + "),
        numbers.join(" + ")
    )
}

/// `dL/dz1 = dL/da1 · relu'(z1) = 1 · 1 = 1`; for the output, the shortcut or softmax's
/// Jacobian where they apply (`crate::output_eq::output_dz_equation`).
pub(crate) fn dz_equation(
    net: &Network,
    trace: &Trace,
    back: &Backward,
    (y, loss): (&[f64], Loss),
    layer: usize,
    neuron: usize,
) -> String {
    if layer + 1 == net.layers().len() {
        if let Some(eq) = output_dz_equation(net, trace, back, y, loss, neuron) {
            return eq;
        }
    }
    let names = labels::node(net, layer, neuron);
    let act = net.layers()[layer].activation;
    format!(
        "{} = {} · {}'({}) = {} · {} = {}",
        names.dz(),
        names.da(),
        act.symbol(),
        names.z,
        term(back.dl_da[layer][neuron]),
        term(act.df(trace.z[layer][neuron])),
        num_short(back.dl_dz[layer][neuron]),
    )
}
