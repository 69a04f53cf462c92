//! `nnlab step`'s one path: the example (optionally feature-crossed) checked against the
//! network, the experiment's update options checked, and one step (or `steps` of them)
//! explained. `nnlab step` and `nnlab.step()` both call [`explain`], so a flag the one
//! takes is a keyword of the other with the same meaning (the penalties `l1`/`l2`, feature
//! crosses, the finite-difference check).

use nnlab_core::Network;
use nnlab_data::{DataError, Dataset};
use nnlab_report::input::{parse_count, parse_numbers};
use nnlab_report::setup::parse_example;
use nnlab_report::{
    render_latex, render_markdown, render_steps_latex, render_steps_markdown, render_steps_text,
    render_text, CheckReport, FeatureInputs, NonFinite, ReportError, StepReport, StepsReport,
};
use nnlab_train::Samples;

use crate::config::keys::{spell, Syntax};
use crate::{check_start, Experiment, LabError};

/// An option as the user wrote it and its text: `("--input", "1,0")` from a flag,
/// `("input", "1,0")` from a Python keyword. The name is what an error quotes.
pub type Given<'a> = (&'a str, &'a str);

/// The example and what to do with it.
#[derive(Debug, Clone, Copy)]
pub struct StepExample<'a> {
    /// The raw input x (comma list).
    pub input: Given<'a>,
    /// The target y (comma list; a class index or one-hot under a cross-entropy).
    pub target: Given<'a>,
    /// Feature crosses of the raw input (`x1,x2,x1^2`), as `nnlab train --features`.
    pub features: Option<Given<'a>>,
    /// Repeat the step this many times on the same example.
    pub steps: Option<Given<'a>>,
    /// Append a finite-difference check of every gradient.
    pub check: bool,
    /// Where the network came from when not from the experiment's options (`("--params",
    /// "net.json")`): named when the start already overflows ([`check_start`]); `None`
    /// names `input`.
    pub rows_from: Option<Given<'a>>,
}

/// One explained step, or several.
#[derive(Debug, Clone)]
pub enum Explained {
    One(Box<StepReport>),
    Many(Box<StepsReport>),
}

impl Explained {
    /// `nnlab step --json` (pretty) or the compact form Python parses.
    pub fn to_json(&self, pretty: bool) -> Result<String, serde_json::Error> {
        match (self, pretty) {
            (Explained::One(r), true) => serde_json::to_string_pretty(r),
            (Explained::One(r), false) => serde_json::to_string(r),
            (Explained::Many(r), true) => serde_json::to_string_pretty(r),
            (Explained::Many(r), false) => serde_json::to_string(r),
        }
    }

    /// What `nnlab step` prints.
    pub fn text(&self) -> String {
        match self {
            Explained::One(r) => render_text(r),
            Explained::Many(r) => render_steps_text(r),
        }
    }

    /// `nnlab step --format markdown`.
    pub fn markdown(&self) -> String {
        match self {
            Explained::One(r) => render_markdown(r),
            Explained::Many(r) => render_steps_markdown(r),
        }
    }

    /// The first value that stopped being finite (`nnlab step` prints the report, then
    /// exits 3).
    pub fn non_finite(&self) -> Option<NonFinite> {
        match self {
            Explained::One(r) => r.non_finite(),
            Explained::Many(r) => r.non_finite(),
        }
    }

    /// Markdown with LaTeX equations (Jupyter's `_repr_markdown_`).
    pub fn latex(&self) -> String {
        match self {
            Explained::One(r) => render_latex(r),
            Explained::Many(r) => render_steps_latex(r),
        }
    }
}

/// Checks the example against `net` and the experiment's update options, then explains
/// one step (or `example.steps` of them) with `exp`'s learning rate, loss and penalties.
/// Errors name the options as `syntax` spells them.
pub fn explain(
    exp: &Experiment,
    net: &Network,
    example: &StepExample,
    syntax: Syntax,
) -> Result<Explained, LabError> {
    let features = match example.features {
        Some(items) => Some(crossed(net, example.input, items, syntax)?),
        None => None,
    };
    // With features the network's input is the crossed row, written back as shortest
    // round-trip text (the same bits) for the one check of the example.
    let crossed_input;
    let input = match &features {
        Some((_, row)) => {
            crossed_input = row
                .iter()
                .map(|v| format!("{v:?}"))
                .collect::<Vec<_>>()
                .join(",");
            (example.input.0, crossed_input.as_str())
        }
        None => example.input,
    };
    let (x, y) = parse_example(net, input, example.target)?;
    let features = features.map(|(f, _)| f);
    exp.check_train(net).map_err(|e| e.in_syntax(syntax))?;
    // A start whose loss is already inf or NaN is bad input, not a divergence.
    let rows = Samples {
        x: &x,
        y: &y,
        n_inputs: net.n_inputs(),
        n_outputs: net.n_outputs(),
    };
    let rows_from = example.rows_from.unwrap_or(example.input);
    check_start(exp, net, &rows, "example row", rows_from).map_err(|e| e.in_syntax(syntax))?;
    let (lr, loss, reg) = (exp.train.lr, exp.train.loss, exp.train.regularization());
    let steps = match example.steps {
        Some((name, text)) => {
            let n = parse_count(name, text, 1)?;
            Some(usize::try_from(n).map_err(|_| ReportError::Invalid {
                field: name.to_string(),
                reason: format!("'{n}' is too many"),
            })?)
        }
        None => None,
    };
    let check = example
        .check
        .then(|| CheckReport::regularized(net, &x, &y, loss, reg))
        .transpose()?;
    Ok(match steps {
        Some(n) => {
            let mut report = StepsReport::regularized(net, &x, &y, lr, (loss, reg), n)?;
            report.first.check = check;
            report.first.features = features;
            Explained::Many(Box::new(report))
        }
        None => {
            let mut report = StepReport::regularized(net, &x, &y, lr, loss, reg)?;
            report.check = check;
            report.features = features;
            Explained::One(Box::new(report))
        }
    })
}

/// The feature crosses `items` of the raw `input` (its values named x1, x2, ...), computed
/// by the data crate's features as `nnlab train --features` computes them: where they came
/// from, and the network's input row.
fn crossed(
    net: &Network,
    input: Given,
    items: Given,
    syntax: Syntax,
) -> Result<(FeatureInputs, Vec<f64>), ReportError> {
    let raw = parse_numbers(input.0, input.1)?;
    let names: Vec<String> = (1..=raw.len()).map(|i| format!("x{i}")).collect();
    let list: Vec<String> = items.1.split(',').map(str::to_string).collect();
    // Bad input, reported as the example's other options are (exit code 2).
    let bad = |e: DataError| match e {
        DataError::InvalidFeature { item, reason } => ReportError::Invalid {
            field: format!("{} item '{item}'", items.0),
            reason,
        },
        other => ReportError::Invalid {
            field: input.0.into(),
            reason: other.to_string(),
        },
    };
    let row = Dataset::new(names, "y".into(), raw.clone(), vec![0.0], input.0.into())
        .and_then(|d| d.with_features(&list))
        .map_err(bad)?;
    if row.n_inputs() != net.n_inputs() {
        return Err(ReportError::Invalid {
            field: items.0.into(),
            reason: format!(
                "{} give {} inputs, but the network {} takes {} (give {})",
                row.input_names.join(", "),
                row.n_inputs(),
                net.arch_string(),
                net.n_inputs(),
                spell("arch", syntax)
            ),
        });
    }
    let features = FeatureInputs {
        raw,
        names: row.input_names,
    };
    Ok((features, row.x))
}
