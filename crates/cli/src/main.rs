//! `nnlab`: the command line of the laboratory. Glue only: flags are parsed here (clap, the
//! experiment's from `nnlab_lab::KEYS`), then checked and computed by `nnlab-lab`,
//! `nnlab-report` and `nnlab-core`.
//!
//! ```text
//! nnlab step                          # the course's example, one step explained
//! nnlab step --init high-high --json  # a course preset, as JSON
//! ```

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use nnlab_lab::LabError;
use nnlab_report::ReportError;

mod experiment;
mod experiment_flags;
mod export;
mod predict;
mod runs;
mod serve;
mod step;
mod sweep;
mod train;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  unexpected failure, or an output that could not be written (the message names the path)
  2  bad input (a flag's value, a missing or invalid file, or a usage error)
  3  training diverged (the loss became inf or NaN; outputs up to then are written)";

/// A laboratory for the mathematics of small neural networks.
#[derive(Debug, Parser)]
#[command(name = "nnlab", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per process: the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Command {
    /// One gradient-descent step on one example, explained by the chain rule.
    #[command(after_help = EXIT_CODES)]
    Step(step::StepArgs),
    /// Train a network (the course's 2-2-1 on generated data by default) and show everything.
    #[command(after_help = EXIT_CODES)]
    Train(train::TrainArgs),
    /// The browser playground: the network, its numbers and their math, live.
    Serve(serve::ServeArgs),
    /// Every recorded run: list, show, compare, rerun, export, delete, prune.
    Runs(runs::RunsArgs),
    /// One experiment over a grid of settings (--vary), in parallel, with the spread over seeds.
    #[command(after_help = sweep::SWEEP_HELP)]
    Sweep(sweep::SweepArgs),
    /// The catalogue of ready-made experiments, each with a report.
    Experiment(experiment::ExperimentArgs),
    /// Predictions for new rows, in original units, from a run's folder (`train --out DIR`).
    #[command(after_help = EXIT_CODES)]
    Predict(predict::PredictArgs),
    /// A folder that replays a run's folder (`train --out DIR`) in Keras or PyTorch:
    /// replay.py, initial.json, train.csv (plain per-row SGD runs only).
    #[command(after_help = EXIT_CODES)]
    Export(export::ExportArgs),
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            // Bad input gets its one-line message and 2; anything else is our failure.
            let code = match (
                err.downcast_ref::<ReportError>(),
                err.downcast_ref::<LabError>(),
            ) {
                (Some(e), _) if e.is_input_error() => 2,
                (_, Some(e)) if e.is_input_error() => 2,
                _ => 1,
            };
            eprintln!("error: {}", one_line(&err));
            ExitCode::from(code)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
    let cli = Cli::try_parse().unwrap_or_else(|e| e.exit());
    match cli.command {
        Command::Step(args) => step::run(&args),
        Command::Train(args) => train::run_train(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Runs(args) => runs::run(&args),
        Command::Sweep(args) => sweep::run(&args),
        Command::Experiment(args) => experiment::run(&args),
        Command::Predict(args) => predict::run(&args),
        Command::Export(args) => export::run(&args),
    }
}

/// The error of writing `what` (an `--out` folder, a report): an output failure, exit code
/// 1, not bad input. The message names the path; the library error keeps its own.
pub fn writing<E: std::fmt::Display>(what: String) -> impl FnOnce(E) -> anyhow::Error {
    move |e| anyhow::anyhow!("writing {what}: {e}")
}

/// The error and its causes on one line, leaving out a cause whose text the message
/// before it already contains (library errors often quote their source).
fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !line.contains(&text) {
            if !line.is_empty() {
                line.push_str(": ");
            }
            line.push_str(&text);
        }
    }
    line.replace('\n', " ")
}
