//! `nnlab step`: one gradient-descent step (or `--steps N`) on one example, explained.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use nnlab_data::{DataError, Dataset};
use nnlab_lab::{check_start, Experiment, Syntax};
use nnlab_report::input::{parse_count, parse_numbers};
use nnlab_report::setup::{load_network, parse_example, COURSE_INPUT, COURSE_TARGET};
use nnlab_report::{
    render_markdown, render_steps_markdown, render_steps_text, render_text, CheckReport,
    FeatureInputs, ReportError, StepReport, StepsReport,
};
use nnlab_train::Samples;

use crate::experiment_flags::{Flags, StepKeys};

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Markdown,
}

/// Flags of `nnlab step`. The network, `--seed`, `--lr`, `--loss`, `--l1` and `--l2` are the options of
/// the same name in `nnlab train` (one table, one rule each, one route to the network);
/// the example's flags are checked by `nnlab_report`. Every bad value gets one line naming
/// the flag.
#[derive(Debug, Args)]
pub struct StepArgs {
    /// The input x, a comma list (the course's example by default)
    #[arg(long, default_value = COURSE_INPUT, allow_hyphen_values = true)]
    input: String,
    /// The target y, a comma list, one value per output (the course's example by default);
    /// a class: 0 or 1 with one sigmoid output (--loss binary_cross_entropy), one-hot with
    /// softmax (--loss categorical_cross_entropy, e.g. 0,1,0)
    #[arg(long, default_value = COURSE_TARGET, allow_hyphen_values = true)]
    target: String,
    /// The network's inputs as feature crosses of --input's x1, x2, ... (as nnlab train
    /// --features), e.g. x1,x2,x1^2: computed from the raw input and named in the trace
    #[arg(long, value_name = "ITEMS")]
    features: Option<String>,
    /// Run N steps on the same example and show how prediction and loss move
    #[arg(long, value_name = "N")]
    steps: Option<String>,
    /// The whole network from a JSON file:
    /// {"layers":[{"activation":"relu","weights":[[..]],"biases":[..]}]}
    #[arg(long, value_name = "FILE.json")]
    params: Option<PathBuf>,
    /// Append a finite-difference check of every gradient
    #[arg(long)]
    check: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Print the report as JSON instead (a StepsReport with --steps)
    #[arg(long, conflicts_with = "format")]
    json: bool,
    #[command(flatten)]
    flags: Flags<StepKeys>,
}

/// The model options a `--params` file replaces.
const MODEL_KEYS: [&str; 5] = ["arch", "activation", "weights", "biases", "init"];

/// Checks the flags, computes the report, prints it.
pub fn run(args: &StepArgs) -> anyhow::Result<ExitCode> {
    let mut exp = Experiment::default();
    args.flags.apply(&mut exp)?;
    let net = match &args.params {
        Some(path) => {
            if let Some(key) = MODEL_KEYS.iter().find(|k| args.flags.gives(k)) {
                anyhow::bail!(
                    "--params: the file holds the whole network; leave out --{}",
                    key.replace('_', "-")
                );
            }
            load_network("--params", path)?
        }
        None => exp
            .initial_network()
            .map_err(|e| e.in_syntax(Syntax::Flag))?,
    };
    let features = match &args.features {
        Some(items) => Some(crossed(&net, &args.input, items)?),
        None => None,
    };
    // With features the network's input is the crossed row, written back as shortest
    // round-trip text (the same bits) for the one check of the example.
    let input = match &features {
        Some(f) => {
            f.1.iter()
                .map(|v| format!("{v:?}"))
                .collect::<Vec<_>>()
                .join(",")
        }
        None => args.input.clone(),
    };
    let (x, y) = parse_example(&net, ("--input", &input), ("--target", &args.target))?;
    let features = features.map(|(f, _)| f);
    exp.check_train(&net)
        .map_err(|e| e.in_syntax(Syntax::Flag))?;
    // A start whose loss is already inf or NaN is bad input (exit 2), not a divergence.
    let example = Samples {
        x: &x,
        y: &y,
        n_inputs: net.n_inputs(),
        n_outputs: net.n_outputs(),
    };
    let params_path = args.params.as_ref().map(|p| p.display().to_string());
    let rows_from = match &params_path {
        Some(path) => ("--params", path.as_str()),
        None => ("--input", args.input.as_str()),
    };
    check_start(&exp, &net, &example, "example row", rows_from)
        .map_err(|e| e.in_syntax(Syntax::Flag))?;
    let (lr, loss, reg) = (exp.train.lr, exp.train.loss, exp.train.regularization());
    let steps = match &args.steps {
        Some(text) => Some(parse_count("--steps", text, 1)?),
        None => None,
    };
    let check = if args.check {
        Some(CheckReport::regularized(&net, &x, &y, loss, reg)?)
    } else {
        None
    };
    let non_finite;
    let output = match steps {
        Some(n) => {
            let n =
                usize::try_from(n).map_err(|_| anyhow::anyhow!("--steps: '{n}' is too many"))?;
            let mut report = StepsReport::regularized(&net, &x, &y, lr, (loss, reg), n)?;
            report.first.check = check;
            report.first.features = features;
            non_finite = report.non_finite();
            match (args.json, args.format) {
                (true, _) => serde_json::to_string_pretty(&report)? + "\n",
                (false, Format::Text) => render_steps_text(&report),
                (false, Format::Markdown) => render_steps_markdown(&report),
            }
        }
        None => {
            let mut report = StepReport::regularized(&net, &x, &y, lr, loss, reg)?;
            report.check = check;
            report.features = features;
            non_finite = report.non_finite();
            match (args.json, args.format) {
                (true, _) => serde_json::to_string_pretty(&report)? + "\n",
                (false, Format::Text) => render_text(&report),
                (false, Format::Markdown) => render_markdown(&report),
            }
        }
    };
    std::io::stdout().lock().write_all(output.as_bytes())?;
    // The report is printed whole (it shows where the numbers blew up), then the exit
    // code says so: 3, as for `train`.
    if let Some(nf) = non_finite {
        eprintln!("error: the step diverged: {nf}; a smaller --lr keeps the update finite");
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}

/// The feature crosses `items` (`x1,x2,x1^2`) of the raw `input` (its values named x1, x2,
/// ...), computed by the data crate's features as `nnlab train --features` computes them:
/// where they came from, and the network's input row.
fn crossed(
    net: &nnlab_core::Network,
    input: &str,
    items: &str,
) -> anyhow::Result<(FeatureInputs, Vec<f64>)> {
    let raw = parse_numbers("--input", input)?;
    let names: Vec<String> = (1..=raw.len()).map(|i| format!("x{i}")).collect();
    let items: Vec<String> = items.split(',').map(str::to_string).collect();
    // Bad input, reported as the example's other flags are (exit code 2).
    let bad = |e: DataError| match e {
        DataError::InvalidFeature { item, reason } => ReportError::Invalid {
            field: format!("--features item '{item}'"),
            reason,
        },
        other => ReportError::Invalid {
            field: "--input".into(),
            reason: other.to_string(),
        },
    };
    let row = Dataset::new(names, "y".into(), raw.clone(), vec![0.0], "--input".into())
        .and_then(|d| d.with_features(&items))
        .map_err(bad)?;
    if row.n_inputs() != net.n_inputs() {
        return Err(ReportError::Invalid {
            field: "--features".into(),
            reason: format!(
                "{} give {} inputs, but the network {} takes {} (give --arch)",
                row.input_names.join(", "),
                row.n_inputs(),
                net.arch_string(),
                net.n_inputs()
            ),
        }
        .into());
    }
    let features = FeatureInputs {
        raw,
        names: row.input_names,
    };
    Ok((features, row.x))
}
