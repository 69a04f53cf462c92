//! `nnlab step`: one gradient-descent step (or `--steps N`) on one example, explained.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use nnlab_report::input::{parse_count, parse_loss, parse_lr};
use nnlab_report::setup::{parse_example, NetworkSpec};
use nnlab_report::{
    render_markdown, render_steps_markdown, render_steps_text, render_text, CheckReport,
    StepReport, StepsReport,
};

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Markdown,
}

/// Flags of `nnlab step`. Values are taken as text and checked by `nnlab_report`, so every
/// bad value gets the same one-line message naming the flag.
#[derive(Debug, Args)]
pub struct StepArgs {
    /// Weights: a comma list (w1..w6 on 2-2-1; else layer by layer, row-major) or an
    /// initializer: const:C, uniform:LO,HI[,round=K], normal:MEAN,SD[,round=K], glorot, he
    /// [default: 1,0.5,1,-1,1,1 on 2-2-1, glorot elsewhere]
    #[arg(long, allow_hyphen_values = true)]
    weights: Option<String>,
    /// Biases: a comma list (b1..b3 on 2-2-1) or an initializer
    /// [default: 0.5,0,0.5 on 2-2-1, const:0 elsewhere]
    #[arg(long, allow_hyphen_values = true)]
    biases: Option<String>,
    /// A course preset for w1..w6 and b1..b3: course, course-start, small-small ..
    /// high-high, identical, unique, mixed
    #[arg(long, value_name = "PRESET")]
    init: Option<String>,
    /// The input x, a comma list
    #[arg(long, default_value = "1,0", allow_hyphen_values = true)]
    input: String,
    /// The target y, a comma list (one value per output)
    #[arg(long, default_value = "2", allow_hyphen_values = true)]
    target: String,
    /// The learning rate (0 or more)
    #[arg(long, default_value = "0.01", allow_hyphen_values = true)]
    lr: String,
    /// The loss: squared_error, absolute_error or huber[:delta]
    #[arg(long, default_value = "squared_error")]
    loss: String,
    /// Run N steps on the same example and show how prediction and loss move
    #[arg(long, value_name = "N")]
    steps: Option<String>,
    /// Layer sizes, input first [default: 2-2-1, the course's network]
    #[arg(long, value_name = "SIZES")]
    arch: Option<String>,
    /// Activations, one per layer after the input (one value applies to all): relu,
    /// leaky_relu[:slope], sigmoid, tanh, identity [default: relu]
    #[arg(long)]
    activation: Option<String>,
    /// Seed for initializers [default: 0]
    #[arg(long, value_name = "S")]
    seed: Option<String>,
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
}

/// Checks the flags, computes the report, prints it.
pub fn run(args: &StepArgs) -> anyhow::Result<ExitCode> {
    let spec = NetworkSpec {
        // 2-2-1 is the default only when nothing else describes the network.
        arch: args
            .arch
            .clone()
            .filter(|a| a.trim() != "2-2-1" || args.params.is_none()),
        activation: args.activation.clone(),
        weights: args.weights.clone(),
        biases: args.biases.clone(),
        init: args.init.clone(),
        params: args.params.clone(),
        seed: args.seed.clone(),
    };
    let net = spec.build()?;
    let (x, y) = parse_example(&net, &args.input, &args.target)?;
    let lr = parse_lr("--lr", &args.lr)?;
    let loss = parse_loss("--loss", &args.loss)?;
    let steps = match &args.steps {
        Some(text) => Some(parse_count("--steps", text, 1)?),
        None => None,
    };
    let check = if args.check {
        Some(CheckReport::new(&net, &x, &y, loss)?)
    } else {
        None
    };
    let output = match steps {
        Some(n) => {
            let n =
                usize::try_from(n).map_err(|_| anyhow::anyhow!("--steps: '{n}' is too many"))?;
            let mut report = StepsReport::new(&net, &x, &y, lr, loss, n)?;
            report.first.check = check;
            match (args.json, args.format) {
                (true, _) => serde_json::to_string_pretty(&report)? + "\n",
                (false, Format::Text) => render_steps_text(&report),
                (false, Format::Markdown) => render_steps_markdown(&report),
            }
        }
        None => {
            let mut report = StepReport::new(&net, &x, &y, lr, loss)?;
            report.check = check;
            match (args.json, args.format) {
                (true, _) => serde_json::to_string_pretty(&report)? + "\n",
                (false, Format::Text) => render_text(&report),
                (false, Format::Markdown) => render_markdown(&report),
            }
        }
    };
    std::io::stdout().lock().write_all(output.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
