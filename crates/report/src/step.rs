//! One gradient-descent step on one example, with every intermediate value: the data of the
//! `nnlab step` report, rendered by [`crate::render_text`] and [`crate::render_markdown`]
//! or serialized as JSON.
//!
//! ```
//! use nnlab_core::{course, Loss};
//! use nnlab_report::StepReport;
//! // The course's example: input (1, 0), target 2, lr 0.01.
//! let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! let r = StepReport::new(&net, &[1.0, 0.0], &[2.0], 0.01, Loss::SquaredError).unwrap();
//! assert_eq!(r.prediction, [2.5]);
//! assert_eq!(r.loss, 0.25);
//! assert_eq!(r.after.get("w5"), Some(0.985));
//! assert_eq!(r.gradient_factors[4].equation(), "dL/dw5 = 2(y_hat - y) · relu'(z3) · a1 = 1 · 1 · 1.5 = 1.5");
//! ```

use serde::{Deserialize, Serialize};

use nnlab_core::output::uses_logit_gradient;
use nnlab_core::{Backward, Gradients, Loss, Network, Regularization, Trace};

use crate::check::CheckReport;
use crate::explain::{self, GradientFactors};
use crate::named::{one_or_many, NamedValues};
use crate::output_eq::{self, PenaltyReport};
use crate::{labels, ReportError};

/// One node's forward and backward values with their equations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeReport {
    /// `node 1` on the course network, `L1.n2` elsewhere.
    pub name: String,
    /// Layer, 1-based (1 = the first layer after the input).
    pub layer: usize,
    /// Neuron within the layer, 1-based.
    pub neuron: usize,
    /// The names used in equations: `z1` / `a1`, `z3` / `y_hat`, `z(L1.n2)` / `a(L1.n2)`.
    pub z_name: String,
    pub a_name: String,
    pub z: f64,
    pub a: f64,
    /// The layer's activation (`relu`, `leaky_relu:0.01`, ...).
    pub activation: String,
    /// `z1 = 1·1 + 0·1 + 0.5 = 1.5 -> relu -> a1 = 1.5`.
    pub equation: String,
    pub dl_da: f64,
    pub dl_dz: f64,
    /// `dL/da1 = dL/dz3 · w5 = 1 · 1 = 1`.
    pub dl_da_equation: String,
    /// `dL/dz1 = dL/da1 · relu'(z1) = 1 · 1 = 1`.
    pub dl_dz_equation: String,
}

/// The network's inputs as feature crosses of a raw input: `raw` is the input as typed,
/// `names[i]` names `input[i]` of the report (`x1`, `x1^2`, `x1*x2`, `sin(x1)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureInputs {
    pub raw: Vec<f64>,
    pub names: Vec<String>,
}

/// Everything about one step: forward pass, loss, backward pass and update.
///
/// Parameter maps (`gradients`, `before`, `update`, `after`, `change`) are keyed by
/// `w1..w6, b1..b3` on the course network and `L1.w[2][1]`, `L1.b[2]` elsewhere, in that
/// display order. `prediction`, `target` and `dl_dy_hat` are bare numbers in JSON when the
/// network has one output, lists otherwise. Non-finite values (a diverging step) become
/// JSON `null`, as serde_json writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// `2-2-1`.
    pub arch: String,
    /// True on the 2-2-1 network, where the course's names apply.
    pub course_names: bool,
    /// One activation per layer after the input.
    pub activations: Vec<String>,
    /// The loss function's name (`squared_error`, `huber:1.0`, ...).
    pub loss_function: String,
    pub input: Vec<f64>,
    /// Where the inputs came from when they are feature crosses of a raw input
    /// (`nnlab step --features`); `None` when the input is the network's input as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<FeatureInputs>,
    #[serde(with = "one_or_many")]
    pub target: Vec<f64>,
    pub nodes: Vec<NodeReport>,
    #[serde(with = "one_or_many")]
    pub prediction: Vec<f64>,
    /// The sample's loss, plus the weight penalty when there is one (the objective the
    /// update descends, as training reports it).
    pub loss: f64,
    /// `loss = (y_hat - y)^2 = (2.5 - 2)^2 = 0.25`.
    pub loss_equation: String,
    /// The L1/L2 weight penalty, when `l1` or `l2` is above 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty: Option<PenaltyReport>,
    /// Backprop took `dL/dz = y_hat - y` at the output (sigmoid + binary cross-entropy,
    /// softmax + categorical cross-entropy) instead of `dL/dy_hat · f'(z)`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub logit_gradient: bool,
    /// `dL/dy_hat` per output.
    #[serde(with = "one_or_many")]
    pub dl_dy_hat: Vec<f64>,
    /// `dL/dp` per parameter (the penalty's gradient included).
    pub gradients: NamedValues,
    /// Each gradient as a chain-rule product, in display order.
    pub gradient_factors: Vec<GradientFactors>,
    pub lr: f64,
    /// Parameters before the step.
    pub before: NamedValues,
    /// `-lr·dL/dp`, what gradient descent adds to each parameter.
    pub update: NamedValues,
    /// Parameters after the step, `p - lr·dL/dp` as [`Network::apply_gradients`] computes it.
    pub after: NamedValues,
    /// `after - before` (can differ from `update` in the last bits: floating point).
    pub change: NamedValues,
    /// The finite-difference check of the gradients, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<CheckReport>,
}

/// One step's passes with the weight penalty: the trace, the objective (data loss plus
/// penalty), the per-node derivatives, the update's gradient (data gradient plus the
/// penalty's, as one update of the trainer forms it) and the data loss alone.
pub(crate) fn penalized_backprop(
    net: &Network,
    x: &[f64],
    y: &[f64],
    loss: Loss,
    reg: Regularization,
) -> Result<(Trace, f64, Backward, Gradients, f64), ReportError> {
    let (trace, data_loss, back, mut grads) = net.backprop(x, y, loss)?;
    let objective = if reg.is_active() {
        data_loss + reg.penalty(net)
    } else {
        data_loss
    };
    reg.add_gradient(net, &mut grads);
    Ok((trace, objective, back, grads, data_loss))
}

impl StepReport {
    /// One [`Network::backprop`] on `(x, y)` and one [`Network::apply_gradients`] with `lr`.
    pub fn new(
        net: &Network,
        x: &[f64],
        y: &[f64],
        lr: f64,
        loss: Loss,
    ) -> Result<StepReport, ReportError> {
        StepReport::regularized(net, x, y, lr, loss, Regularization::NONE)
    }

    /// [`StepReport::new`] with the L1/L2 penalty `reg` in the loss and the gradients.
    pub fn regularized(
        net: &Network,
        x: &[f64],
        y: &[f64],
        lr: f64,
        loss: Loss,
        reg: Regularization,
    ) -> Result<StepReport, ReportError> {
        let (trace, loss_value, back, grads, data_loss) = penalized_backprop(net, x, y, loss, reg)?;
        let penalty = PenaltyReport::new(net, reg, data_loss);
        let mut stepped = net.clone();
        stepped.apply_gradients(&grads, lr);

        let mut nodes = Vec::new();
        for (l, layer) in net.layers().iter().enumerate() {
            for j in 0..layer.n_out() {
                let names = labels::node(net, l, j);
                nodes.push(NodeReport {
                    name: names.name,
                    layer: l + 1,
                    neuron: j + 1,
                    z_name: names.z,
                    a_name: names.a,
                    z: trace.z[l][j],
                    a: trace.a[l][j],
                    activation: layer.activation.name(),
                    equation: explain::forward_equation(net, &trace, l, j),
                    dl_da: back.dl_da[l][j],
                    dl_dz: back.dl_dz[l][j],
                    dl_da_equation: explain::da_equation(net, &trace, &back, y, loss, l, j),
                    dl_dz_equation: explain::dz_equation(net, &trace, &back, (y, loss), l, j),
                });
            }
        }

        let named = net.named_param_ids();
        let pairs = |f: &dyn Fn(nnlab_core::ParamId) -> f64| {
            NamedValues(named.iter().map(|(n, id)| (n.clone(), f(*id))).collect())
        };
        let gradients = pairs(&|id| explain::gradient_of(net, &grads, id));
        let before = pairs(&|id| net.get(id));
        let after = pairs(&|id| stepped.get(id));
        // `p - lr·g` is `p + (0 - lr·g)` exactly in IEEE arithmetic, so before + update =
        // after; `0 - lr·g` rather than `-(lr·g)` so a zero gradient shows `0.0`, not `-0.0`.
        let update = pairs(&|id| 0.0 - lr * explain::gradient_of(net, &grads, id));
        let change = pairs(&|id| stepped.get(id) - net.get(id));
        let gradient_factors = named
            .iter()
            .map(|(_, id)| {
                let g = explain::gradient_of(net, &grads, *id);
                explain::gradient_factors(net, &trace, &back, (loss, reg), *id, g)
            })
            .collect();
        let last = net.layers().len() - 1;
        Ok(StepReport {
            arch: net.arch_string(),
            course_names: net.is_course_shape(),
            activations: net.layers().iter().map(|l| l.activation.name()).collect(),
            loss_function: loss.to_string(),
            input: x.to_vec(),
            features: None,
            target: y.to_vec(),
            nodes,
            prediction: trace.output().to_vec(),
            loss: loss_value,
            loss_equation: output_eq::loss_equation(
                net,
                &trace,
                y,
                loss,
                loss_value,
                penalty.as_ref(),
            ),
            penalty,
            logit_gradient: uses_logit_gradient(loss, net.output_activation()),
            dl_dy_hat: back.dl_da[last].clone(),
            gradients,
            gradient_factors,
            lr,
            before,
            update,
            after,
            change,
            check: None,
        })
    }

    /// The nodes of one layer (1-based, as in [`NodeReport::layer`]).
    pub fn layer_nodes(&self, layer: usize) -> impl Iterator<Item = &NodeReport> {
        self.nodes.iter().filter(move |n| n.layer == layer)
    }

    /// The number of layers after the input.
    pub fn n_layers(&self) -> usize {
        self.activations.len()
    }
}
