//! The equations of the output layer and the loss: the loss line (with the weight penalty
//! when there is one), the output's `dL/dy_hat` and `dL/dz`, and where backprop takes the
//! shortcut `dL/dz = y_hat - y` (sigmoid + binary cross-entropy, softmax + categorical
//! cross-entropy; see `nnlab_core::output`).
//!
//! Every value shown is the core's (the trace, the backward pass, the penalty's sums); the
//! intermediate numbers of a formula are spelled from those values.

use nnlab_core::output::uses_logit_gradient;
use nnlab_core::{sign, softmax_dot, Activation, Backward, Loss, Network, Regularization, Trace};

use crate::labels::{self, term};
use crate::num::num_short;

/// The weight penalty of a step: its rates, the sums it is made of and its value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PenaltyReport {
    pub l1: f64,
    pub l2: f64,
    /// `Σ|w|` over the weights (no biases).
    pub sum_abs_w: f64,
    /// `Σw²` over the weights.
    pub sum_sq_w: f64,
    /// `l1·Σ|w| + l2·Σw²`, added to the data loss.
    pub value: f64,
    /// The loss of the sample alone, before the penalty.
    pub data_loss: f64,
}

impl PenaltyReport {
    /// The penalty of `net`'s weights, `None` when both rates are 0.
    pub(crate) fn new(net: &Network, reg: Regularization, data_loss: f64) -> Option<PenaltyReport> {
        if !reg.is_active() {
            return None;
        }
        let (sum_abs_w, sum_sq_w) = Regularization::weight_sums(net);
        Some(PenaltyReport {
            l1: reg.l1,
            l2: reg.l2,
            sum_abs_w,
            sum_sq_w,
            value: reg.penalty(net),
            data_loss,
        })
    }

    /// `λ1·Σ|w| + λ2·Σw²` and `0.01·5.5 + 0.1·5.25`, the terms of the active rates only.
    fn terms(&self) -> (String, String) {
        let mut symbols = Vec::new();
        let mut numbers = Vec::new();
        if self.l1 != 0.0 {
            symbols.push("λ1·Σ|w|".to_string());
            numbers.push(format!("{}·{}", term(self.l1), term(self.sum_abs_w)));
        }
        if self.l2 != 0.0 {
            symbols.push("λ2·Σw²".to_string());
            numbers.push(format!("{}·{}", term(self.l2), term(self.sum_sq_w)));
        }
        (symbols.join(" + "), numbers.join(" + "))
    }
}

/// The penalty's part of one weight's gradient: `λ1·sign(w5) + 2λ2·w5 = 0.01·1 + 2·0.1·1`
/// (active rates only) and its value, [`Regularization::weight_gradient`].
pub(crate) fn penalty_gradient(name: &str, w: f64, reg: Regularization) -> (String, String, f64) {
    let mut symbols = Vec::new();
    let mut numbers = Vec::new();
    if reg.l1 != 0.0 {
        symbols.push(format!("λ1·sign({name})"));
        numbers.push(format!("{}·{}", term(reg.l1), term(sign(w))));
    }
    if reg.l2 != 0.0 {
        symbols.push(format!("2λ2·{name}"));
        numbers.push(format!("2·{}·{}", term(reg.l2), term(w)));
    }
    (
        symbols.join(" + "),
        numbers.join(" + "),
        reg.weight_gradient(w),
    )
}

/// The loss applied to `D`, as written: `(D)^2`, `|D|`, `huber(D)`.
fn regression_loss_of(loss: Loss, d: &str) -> String {
    match loss {
        Loss::AbsoluteError => format!("|{d}|"),
        Loss::Huber { .. } => format!("huber({d})"),
        _ => format!("({d})^2"),
    }
}

/// The data loss as a formula with numbers, without `loss = ` and the value.
fn data_loss_terms(net: &Network, trace: &Trace, y: &[f64], loss: Loss) -> String {
    let last = net.layers().len() - 1;
    let (z, y_hat) = (&trace.z[last], trace.output());
    let n = y_hat.len();
    match loss {
        Loss::BinaryCrossEntropy => {
            // -(y·ln y_hat + (1 - y)·ln(1 - y_hat)), computed from the logit z.
            let zn = |j: usize| labels::node(net, last, j).z;
            let logit = |j: usize| {
                let zj = term(z[j]);
                format!("max({zj}, 0) - {zj}·{} + ln(1 + e^-|{zj}|)", term(y[j]))
            };
            if n == 1 {
                let z0 = zn(0);
                format!(
                    "-(y·ln(y_hat) + (1 - y)·ln(1 - y_hat)) = max({z0}, 0) - {z0}·y + ln(1 + e^-|{z0}|) = {}",
                    logit(0)
                )
            } else {
                let terms: Vec<String> = (0..n).map(|j| format!("[{}]", logit(j))).collect();
                format!(
                    "mean over j of -(y[j]·ln(y_hat[j]) + (1 - y[j])·ln(1 - y_hat[j])) = mean over j of [max(z_j, 0) - z_j·y[j] + ln(1 + e^-|z_j|)] = ({}) / {n}",
                    terms.join(" + ")
                )
            }
        }
        Loss::CategoricalCrossEntropy => {
            let terms: Vec<String> = (0..n)
                .map(|k| format!("{}·ln({})", term(y[k]), num_short(y_hat[k])))
                .collect();
            format!(
                "-Σ_k y[k]·ln(y_hat[k]) = -({}) (each -ln(y_hat[k]) from the logits: ln Σ_j e^(z_j - m) - (z_k - m), m = max z)",
                terms.join(" + ")
            )
        }
        _ => {
            let diff = |j: usize| format!("{} - {}", num_short(y_hat[j]), term(y[j]));
            if n == 1 {
                format!(
                    "{} = {}",
                    regression_loss_of(loss, "y_hat - y"),
                    regression_loss_of(loss, &diff(0))
                )
            } else {
                let terms: Vec<String> =
                    (0..n).map(|j| regression_loss_of(loss, &diff(j))).collect();
                format!(
                    "mean over j of {} = ({}) / {n}",
                    regression_loss_of(loss, "y_hat[j] - y[j]"),
                    terms.join(" + ")
                )
            }
        }
    }
}

/// `loss = (y_hat - y)^2 = (2.5 - 2)^2 = 0.25`; with several outputs the mean over them
/// (categorical cross-entropy: the sum over the classes); with a penalty, the line goes on
/// `; with the weight penalty: loss = 0.25 + λ2·Σw² = 0.25 + 0.1·5.25 = 0.775`.
pub(crate) fn loss_equation(
    net: &Network,
    trace: &Trace,
    y: &[f64],
    loss: Loss,
    value: f64,
    penalty: Option<&PenaltyReport>,
) -> String {
    let data = data_loss_terms(net, trace, y, loss);
    match penalty {
        None => format!("loss = {data} = {}", num_short(value)),
        Some(p) => {
            let (symbols, numbers) = p.terms();
            let d = num_short(p.data_loss);
            format!(
                "data loss = {data} = {d}; with the weight penalty: loss = data loss + {symbols} = {d} + {numbers} = {}",
                num_short(value)
            )
        }
    }
}

/// The names and printed values of output `j` that its equations share.
struct OutputNode {
    last: usize,
    names: labels::NodeLabels,
    /// `y_hat` or `y_hat[2]`, and `y` or `y[2]`.
    y_hat: String,
    y_name: String,
    /// The prediction and the target as printed.
    p: String,
    yj: String,
}

impl OutputNode {
    fn new(net: &Network, trace: &Trace, y: &[f64], j: usize) -> OutputNode {
        let last = net.layers().len() - 1;
        OutputNode {
            last,
            names: labels::node(net, last, j),
            y_hat: labels::output(net, j, "y_hat"),
            y_name: labels::output(net, j, "y"),
            p: num_short(trace.output()[j]),
            yj: term(y[j]),
        }
    }
}

/// `dL/dy_hat = 2(y_hat - y) = 2(2.5 - 2) = 1` (divided by the number of outputs when the
/// loss is their mean), for output `j`.
pub(crate) fn output_da_equation(
    net: &Network,
    trace: &Trace,
    back: &Backward,
    y: &[f64],
    loss: Loss,
    j: usize,
) -> String {
    let o = OutputNode::new(net, trace, y, j);
    let (y_hat, y_name, p, yj) = (&o.y_hat, &o.y_name, &o.p, &o.yj);
    let da = o.names.da();
    let value = num_short(back.dl_da[o.last][j]);
    let (formula, with_numbers) = match loss {
        Loss::BinaryCrossEntropy => (
            format!("({y_hat} - {y_name}) / ({y_hat}(1 - {y_hat}))"),
            format!("({p} - {yj}) / ({p}·(1 - {p}))"),
        ),
        Loss::CategoricalCrossEntropy => (format!("-{y_name} / {y_hat}"), format!("-{yj} / {p}")),
        _ => (
            loss.df_formula()
                .replace("y_hat - y", &format!("{y_hat} - {y_name}")),
            loss.df_formula()
                .replace("y_hat - y", &format!("{p} - {yj}")),
        ),
    };
    let n = net.n_outputs();
    if n > 1 && loss != Loss::CategoricalCrossEntropy {
        format!("{da} = {formula} / {n} = {with_numbers} / {n} = {value}")
    } else {
        format!("{da} = {formula} = {with_numbers} = {value}")
    }
}

/// `dL/dz` of output `j` where it is not `dL/da · f'(z)`: the shortcut line (`sigmoid +
/// binary cross-entropy: dL/dz3 = y_hat - y = 0.7311 - 1 = -0.2689`) or softmax's Jacobian;
/// `None` otherwise (an elementwise output, which [`crate::explain::dz_equation`] writes as
/// it writes every other node).
pub(crate) fn output_dz_equation(
    net: &Network,
    trace: &Trace,
    back: &Backward,
    y: &[f64],
    loss: Loss,
    j: usize,
) -> Option<String> {
    let o = OutputNode::new(net, trace, y, j);
    let (last, names) = (o.last, &o.names);
    let (y_hat, y_name, p, yj) = (&o.y_hat, &o.y_name, &o.p, &o.yj);
    let act = net.layers()[last].activation;
    let value = num_short(back.dl_dz[last][j]);
    let n = net.n_outputs();
    if uses_logit_gradient(loss, act) {
        let (pair, chain) = if act == Activation::Sigmoid {
            (
                "sigmoid + binary cross-entropy",
                format!("dL/d{y_hat} · sigmoid'({})", names.z),
            )
        } else {
            (
                "softmax + categorical cross-entropy",
                format!("Σ_k dL/dy_hat[k] · dy_hat[k]/d{}", names.z),
            )
        };
        let mut total = 0.0;
        for v in y {
            total += v;
        }
        let (formula, numbers) = if act == Activation::Softmax && total != 1.0 {
            (
                format!("{y_hat}·Σy - {y_name}"),
                format!("{p}·{} - {yj}", term(total)),
            )
        } else if act == Activation::Sigmoid && n > 1 {
            (
                format!("({y_hat} - {y_name}) / {n}"),
                format!("({p} - {yj}) / {n}"),
            )
        } else {
            (format!("{y_hat} - {y_name}"), format!("{p} - {yj}"))
        };
        return Some(format!(
            "{pair}: {} = {formula} = {numbers} = {value} ({chain} simplified: exact, also where {} saturates)",
            names.dz(),
            act.symbol()
        ));
    }
    if act == Activation::Softmax {
        let a = &trace.a[last];
        let dot = softmax_dot(a, &back.dl_da[last]);
        return Some(format!(
            "{} = {y_hat}·({} - Σ_k y_hat[k]·dL/dy_hat[k]) = {p}·({} - {}) = {value} (softmax's Jacobian)",
            names.dz(),
            names.da(),
            term(back.dl_da[last][j]),
            term(dot)
        ));
    }
    None
}
