//! `nnlab step`: one gradient-descent step (or `--steps N`) on one example, explained.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use nnlab_lab::{explain, Experiment, StepExample, Syntax};
use nnlab_report::setup::{load_network, COURSE_INPUT, COURSE_TARGET};

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
    let example = StepExample {
        input: ("--input", &args.input),
        target: ("--target", &args.target),
        features: args.features.as_deref().map(|items| ("--features", items)),
        steps: args.steps.as_deref().map(|n| ("--steps", n)),
        check: args.check,
        rows_from: args
            .params
            .as_ref()
            .map(|p| ("--params", p.to_str().unwrap_or("the --params file"))),
    };
    let explained = explain(&exp, &net, &example, Syntax::Flag)?;
    let output = match (args.json, args.format) {
        (true, _) => explained.to_json(true)? + "\n",
        (false, Format::Text) => explained.text(),
        (false, Format::Markdown) => explained.markdown(),
    };
    let non_finite = explained.non_finite();
    std::io::stdout().lock().write_all(output.as_bytes())?;
    // The report is printed whole (it shows where the numbers blew up), then the exit
    // code says so: 3, as for `train`.
    if let Some(nf) = non_finite {
        eprintln!("error: the step diverged: {nf}; a smaller --lr keeps the update finite");
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}
