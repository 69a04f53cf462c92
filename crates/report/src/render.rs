//! The step report as text for a terminal and as Markdown for a written report.
//!
//! Both show the same four sections: the forward pass (one equation per node), the
//! prediction against the target and the loss, the backward pass (every gradient with its
//! chain-rule factors) and the update table; then the gradient check when present. Equations
//! print numbers with [`crate::num_short`], tables with [`crate::num`].
//!
//! ```
//! use nnlab_core::{course, Loss};
//! use nnlab_report::{render_text, StepReport};
//! let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! let r = StepReport::new(&net, &[1.0, 0.0], &[2.0], 0.01, Loss::SquaredError).unwrap();
//! assert!(render_text(&r).contains("node 1: z1 = 1·1 + 0·1 + 0.5 = 1.5 -> relu -> a1 = 1.5"));
//! ```

use crate::table::Table;
use crate::{num, CheckReport, StepReport, StepsReport};

/// The parameter tables of `--steps` leave the parameters out beyond this many columns (the
/// course network's nine fit a terminal; the JSON always has them all).
pub const STEPS_TABLE_MAX_PARAMS: usize = 9;

/// `(1.0, 0.0)`.
fn tuple(values: &[f64]) -> String {
    let parts: Vec<String> = values.iter().map(|&v| num(v)).collect();
    format!("({})", parts.join(", "))
}

/// A bare number for one value, a tuple for several.
fn one_or_tuple(values: &[f64]) -> String {
    match values {
        [one] => num(*one),
        many => tuple(many),
    }
}

pub(crate) fn summary(r: &StepReport) -> String {
    format!(
        "{} ({}), loss {}, learning rate {}",
        r.arch,
        r.activations.join(", "),
        r.loss_function,
        num(r.lr)
    )
}

/// `input x = (1.0, 0.0), target y = 2.0`; with feature crosses the input is followed by
/// where it came from: `input x = (1.0, 0.0, 1.0) from the raw input (1.0, 0.0): x1 = 1,
/// x2 = 0, x1^2 = 1, target y = 2.0`.
pub(crate) fn example(r: &StepReport) -> String {
    let from = match &r.features {
        None => String::new(),
        Some(f) => {
            let named: Vec<String> = f
                .names
                .iter()
                .zip(&r.input)
                .map(|(n, v)| format!("{n} = {}", crate::num_short(*v)))
                .collect();
            format!(
                " from the raw input {}: {}",
                tuple(&f.raw),
                named.join(", ")
            )
        }
    };
    format!(
        "input x = {}{from}, target y = {}",
        tuple(&r.input),
        one_or_tuple(&r.target)
    )
}

fn forward_lines(r: &StepReport) -> Vec<String> {
    r.nodes
        .iter()
        .map(|n| format!("{}: {}", n.name, n.equation))
        .collect()
}

fn prediction_lines(r: &StepReport) -> Vec<String> {
    vec![
        format!(
            "prediction y_hat = {}, target y = {}",
            one_or_tuple(&r.prediction),
            one_or_tuple(&r.target)
        ),
        r.loss_equation.clone(),
    ]
}

/// Course network: `dL/dy_hat`, then each gradient as one product from the loss down.
/// Elsewhere, layer by layer from the output: each node's `dL/da` and `dL/dz`, then the
/// gradients of that layer's parameters.
pub(crate) fn backward_lines(r: &StepReport) -> Vec<String> {
    let mut lines = Vec::new();
    let last = r.n_layers();
    if r.course_names {
        lines.extend(r.layer_nodes(last).map(|n| n.dl_da_equation.clone()));
        // The shortcut dL/dz3 = y_hat - y, where it applies, before the products that use it.
        if r.logit_gradient {
            lines.extend(r.layer_nodes(last).map(|n| n.dl_dz_equation.clone()));
        }
        lines.extend(r.gradient_factors.iter().map(|g| g.equation()));
        return lines;
    }
    for layer in (1..=last).rev() {
        lines.push(format!("layer {layer}:"));
        for n in r.layer_nodes(layer) {
            lines.push(format!("  {}", n.dl_da_equation));
            lines.push(format!("  {}", n.dl_dz_equation));
        }
        for g in r.gradient_factors.iter().filter(|g| g.layer == layer) {
            lines.push(format!("  {}", g.equation()));
        }
    }
    lines
}

pub(crate) fn update_table(r: &StepReport) -> Table {
    let mut t = Table::new(&[
        "param",
        "before",
        "gradient",
        "-lr·gradient",
        "after",
        "change",
    ]);
    for (k, (name, before)) in r.before.0.iter().enumerate() {
        t.push(vec![
            name.clone(),
            num(*before),
            num(r.gradients.0[k].1),
            num(r.update.0[k].1),
            num(r.after.0[k].1),
            num(r.change.0[k].1),
        ]);
    }
    t
}

fn update_intro(r: &StepReport) -> String {
    format!("p_new = p - lr·dL/dp with lr = {}", num(r.lr))
}

fn check_intro(c: &CheckReport) -> String {
    format!(
        "central differences (L(p + h) - L(p - h)) / 2h with h = {}·max(1, |p|)",
        num(c.eps)
    )
}

fn check_table(c: &CheckReport) -> Table {
    let mut t = Table::new(&["param", "backprop", "numeric", "rel. error"]);
    for e in &c.entries {
        t.push(vec![
            e.name.clone(),
            num(e.backprop),
            num(e.numeric),
            num(e.rel_error),
        ]);
    }
    t
}

pub(crate) fn check_verdict(c: &CheckReport) -> String {
    let verdict = if c.passed {
        "PASS, backpropagation agrees with finite differences".to_string()
    } else if !c.non_finite.is_empty() {
        format!(
            "FAIL, not a finite number for {} (the loss, or the parameter moved by h, overflows)",
            c.non_finite.join(", ")
        )
    } else {
        "FAIL, check for a relu kink (a node's z within h of 0) or a bug".to_string()
    };
    format!(
        "largest relative error {} ({}), tolerance {}: {verdict}",
        num(c.max_rel_error),
        c.worst,
        num(c.tolerance)
    )
}

pub(crate) fn steps_table(s: &StepsReport) -> Table {
    let params = s.rows.first().map_or(0, |r| r.params.len());
    let show_params = params <= STEPS_TABLE_MAX_PARAMS;
    let mut headers = vec!["step".to_string(), "prediction".into(), "loss".into()];
    if show_params {
        if let Some(row) = s.rows.first() {
            headers.extend(row.params.names().map(str::to_string));
        }
    }
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = Table::new(&header_refs);
    for row in &s.rows {
        let mut cells = vec![
            row.step.to_string(),
            one_or_tuple(&row.prediction),
            num(row.loss),
        ];
        if show_params {
            cells.extend(row.params.values().map(num));
        }
        t.push(cells);
    }
    t
}

fn steps_intro(s: &StepsReport) -> String {
    let mut intro = format!(
        "{} steps on the same example with lr = {}; row k is the state after k steps",
        s.steps,
        num(s.lr)
    );
    if s.rows
        .first()
        .is_some_and(|r| r.params.len() > STEPS_TABLE_MAX_PARAMS)
    {
        intro.push_str(" (parameters per step: see --json)");
    }
    intro
}

fn indented(lines: &[String]) -> String {
    lines.iter().map(|l| format!("  {l}\n")).collect()
}

/// The step report for a terminal.
pub fn render_text(r: &StepReport) -> String {
    let mut out = format!(
        "One gradient-descent step: network {}\n{}\n",
        summary(r),
        example(r)
    );
    out.push_str("\nForward pass (z = inputs·weights + bias, a = activation(z))\n");
    out.push_str(&indented(&forward_lines(r)));
    out.push_str("\nPrediction and loss\n");
    out.push_str(&indented(&prediction_lines(r)));
    out.push_str("\nBackward pass (chain rule)\n");
    out.push_str(&indented(&backward_lines(r)));
    out.push_str(&format!("\nUpdate: {}\n", update_intro(r)));
    out.push_str(&update_table(r).text("  "));
    if let Some(c) = &r.check {
        out.push_str(&format!("\nGradient check: {}\n", check_intro(c)));
        out.push_str(&check_table(c).text("  "));
        out.push_str(&format!("  {}\n", check_verdict(c)));
    }
    out
}

/// The step report as Markdown: headings, fenced equations and pipe tables.
pub fn render_markdown(r: &StepReport) -> String {
    let fenced = |lines: &[String]| {
        format!(
            "```text\n{}```\n",
            lines.iter().map(|l| format!("{l}\n")).collect::<String>()
        )
    };
    let mut out = format!(
        "# One gradient-descent step\n\nNetwork {}; {}.\n",
        summary(r),
        example(r)
    );
    out.push_str("\n## Forward pass\n\nz = inputs·weights + bias, a = activation(z).\n\n");
    out.push_str(&fenced(&forward_lines(r)));
    out.push_str("\n## Prediction and loss\n\n");
    out.push_str(&fenced(&prediction_lines(r)));
    out.push_str("\n## Backward pass\n\n");
    out.push_str(&fenced(&backward_lines(r)));
    out.push_str(&format!("\n## Update\n\n{}.\n\n", update_intro(r)));
    out.push_str(&update_table(r).markdown());
    if let Some(c) = &r.check {
        out.push_str(&format!("\n## Gradient check\n\n{}.\n\n", check_intro(c)));
        out.push_str(&check_table(c).markdown());
        out.push_str(&format!("\n{}.\n", check_verdict(c)));
    }
    out
}

/// `--steps N` for a terminal: the first step in full, then the table of all steps.
pub fn render_steps_text(s: &StepsReport) -> String {
    let mut out = render_text(&s.first);
    out.push_str(&format!("\nSteps: {}\n", steps_intro(s)));
    out.push_str(&steps_table(s).text("  "));
    out
}

/// `--steps N` as Markdown.
pub fn render_steps_markdown(s: &StepsReport) -> String {
    let mut out = render_markdown(&s.first);
    out.push_str(&format!("\n## Steps\n\n{}.\n\n", steps_intro(s)));
    out.push_str(&steps_table(s).markdown());
    out
}
