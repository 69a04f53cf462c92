//! The step report as Markdown with LaTeX equations (`$$ ... $$`), for a Jupyter notebook
//! (`nnlab.step()` shows it) or any Markdown renderer with math: the same sections and the
//! same equation lines as [`crate::render_markdown`], each respelled by [`latex`].
//!
//! ```
//! use nnlab_report::latex;
//! assert_eq!(
//!     latex("dL/dw5 = 2(y_hat - y) · relu'(z3) · a1 = 1 · 1 · 1.5 = 1.5"),
//!     r"\frac{\partial L}{\partial w_{5}} = 2(\hat{y} - y) \cdot \mathrm{relu}'(z_{3}) \cdot a_{1} = 1 \cdot 1 \cdot 1.5 = 1.5"
//! );
//! ```

use crate::render::{backward_lines, check_verdict, example, summary, update_table};
use crate::{num, StepReport, StepsReport};

/// Activation names, set upright as functions (`\mathrm{relu}'(z_3)`).
const FUNCTIONS: [&str; 6] = [
    "relu",
    "leaky_relu",
    "sigmoid",
    "tanh",
    "identity",
    "softplus",
];

/// One name: `y_hat` → `\hat{y}`, `z1` → `z_{1}`, `relu` → `\mathrm{relu}`, a word of
/// text → `\text{word}`.
fn name(word: &str) -> String {
    if let Some(base) = word.strip_suffix("_hat") {
        return format!(r"\hat{{{base}}}");
    }
    let letters = word.trim_end_matches(|c: char| c.is_ascii_digit());
    if letters.len() == 1 && letters.len() < word.len() {
        return format!("{letters}_{{{}}}", &word[1..]);
    }
    if word.len() == 1 {
        return word.to_string();
    }
    if FUNCTIONS.contains(&word) {
        return format!(r"\mathrm{{{}}}", word.replace('_', r"\_"));
    }
    format!(r"\text{{{}}}", word.replace('_', r"\_"))
}

/// Reads a name at `i` (letters, digits and `_`); returns it and the index after it.
fn word_at(chars: &[char], mut i: usize) -> (String, usize) {
    let start = i;
    while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
        i += 1;
    }
    (chars[start..i].iter().collect(), i)
}

/// An equation line of the text report in LaTeX: names as above, `dL/dX` as
/// `\frac{\partial L}{\partial X}`, `·` as `\cdot`, `->` as an arrow; numbers unchanged
/// (the text report's shortest round-trip digits).
pub fn latex(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphabetic() {
            let (word, next) = word_at(&chars, i);
            i = next;
            let derivative =
                word == "dL" && chars.get(i) == Some(&'/') && chars.get(i + 1) == Some(&'d');
            if derivative && chars.get(i + 2).is_some_and(|c| c.is_ascii_alphabetic()) {
                let (of, next) = word_at(&chars, i + 2);
                i = next;
                out.push_str(&format!(r"\frac{{\partial L}}{{\partial {}}}", name(&of)));
            } else {
                out.push_str(&name(&word));
            }
        } else if c == '·' {
            // `1·1` and `a · b` alike: one spaced `\cdot`.
            while out.ends_with(' ') {
                out.pop();
            }
            out.push_str(r" \cdot ");
            i += 1;
            while chars.get(i) == Some(&' ') {
                i += 1;
            }
        } else if c == '-' && chars.get(i + 1) == Some(&'>') {
            out.push_str(r"\;\to\;");
            i += 2;
        } else {
            match c {
                '_' | '%' | '#' | '&' => out.push_str(&format!(r"\{c}")),
                _ => out.push(c),
            }
            i += 1;
        }
    }
    out
}

/// `$$line$$` blocks, one per equation.
fn display(lines: impl IntoIterator<Item = String>) -> String {
    lines
        .into_iter()
        .map(|l| format!("$${}$$\n", latex(l.trim())))
        .collect()
}

/// The step report as Markdown with LaTeX: forward pass, prediction and loss, backward pass
/// (chain rule), update (formula and table), gradient check when present.
pub fn render_latex(r: &StepReport) -> String {
    let mut out = format!(
        "### One gradient-descent step\n\nNetwork {}; {}.\n",
        summary(r),
        example(r)
    );
    out.push_str("\n#### Forward pass\n\n");
    out.push_str(&display(r.nodes.iter().map(|n| n.equation.clone())));
    out.push_str("\n#### Prediction and loss\n\n");
    out.push_str(&display([r.loss_equation.clone()]));
    out.push_str("\n#### Backward pass (chain rule)\n\n");
    out.push_str(&display(backward_lines(r)));
    out.push_str("\n#### Update\n\n");
    out.push_str(&format!(
        "$$p_{{\\text{{new}}}} = p - \\eta \\cdot \\frac{{\\partial L}}{{\\partial p}}, \\quad \\eta = {}$$\n\n",
        num(r.lr)
    ));
    out.push_str(&update_table(r).markdown());
    if let Some(c) = &r.check {
        out.push_str(&format!("\n#### Gradient check\n\n{}.\n", check_verdict(c)));
    }
    out
}

/// `steps` steps: the first in full, then the prediction and loss after each.
pub fn render_steps_latex(s: &StepsReport) -> String {
    let mut out = render_latex(&s.first);
    out.push_str("\n#### Steps\n\n");
    out.push_str(&crate::render::steps_table(s).markdown());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab_core::{course, Loss};

    /// The course's example (w = 1,0.5,1,-1,1,1, b = 0.5,0,0.5, x = (1, 0), y = 2; its
    /// numbers as `nnlab step` prints them, README), respelled.
    #[test]
    fn the_course_step_in_latex() {
        let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
        let r = StepReport::new(&net, &[1.0, 0.0], &[2.0], 0.01, Loss::SquaredError).unwrap();
        let md = render_latex(&r);
        for line in [
            r"$$z_{1} = 1 \cdot 1 + 0 \cdot 1 + 0.5 = 1.5 \;\to\; \mathrm{relu} \;\to\; a_{1} = 1.5$$",
            r"$$z_{2} = 1 \cdot 0.5 + 0 \cdot (-1) + 0 = 0.5 \;\to\; \mathrm{relu} \;\to\; a_{2} = 0.5$$",
            r"$$\text{loss} = (\hat{y} - y)^2 = (2.5 - 2)^2 = 0.25$$",
            r"$$\frac{\partial L}{\partial \hat{y}} = 2(\hat{y} - y) = 2(2.5 - 2) = 1$$",
            r"$$\frac{\partial L}{\partial b_{3}} = 2(\hat{y} - y) \cdot \mathrm{relu}'(z_{3}) = 1 \cdot 1 = 1$$",
            r"$$p_{\text{new}} = p - \eta \cdot \frac{\partial L}{\partial p}, \quad \eta = 0.01$$",
            "| w5    |    1.0 |      1.5 |       -0.015 | 0.985 |  -0.015000000000000013 |",
        ] {
            assert!(md.lines().any(|l| l == line), "missing {line} in\n{md}");
        }
    }

    #[test]
    fn names_of_other_networks() {
        // 2-3-1 and wider networks name nodes by layer and neuron (labels.rs).
        assert_eq!(
            latex("dL/dz(L1.n2) = 0.5"),
            r"\frac{\partial L}{\partial z}(L_{1}.n_{2}) = 0.5"
        );
        assert_eq!(latex("y_hat[2]"), r"\hat{y}[2]");
        assert_eq!(latex("layer 2:"), r"\text{layer} 2:");
    }
}
