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

/// The exit codes' text, a macro so `nnlab sweep --help` can append it to its own text.
macro_rules! exit_codes {
    () => {
        "\
Exit codes:
  0  success
  1  unexpected failure, or an output that could not be written (the message names the path);
     runs rerun: the run no longer reproduces bit for bit
  2  bad input (a flag's value, a missing or invalid file, a usage error, or a start whose
     loss is already inf or NaN before any update)
  3  training diverged (the loss became inf or NaN; outputs up to then are written;
     step: a value became inf or NaN after a step, the report is printed); the diverged
     runs of a sweep or an experiment are results, not failures (exit 0)
A closed pipe (nnlab runs list | head -1) ends quietly with 0."
    };
}

mod experiment;
mod experiment_flags;
mod export;
mod predict;
mod runs;
mod serve;
mod step;
mod sweep;
mod train;

const EXIT_CODES: &str = exit_codes!();

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
    #[command(after_help = EXIT_CODES)]
    Serve(serve::ServeArgs),
    /// Every recorded run: list, show, compare, rerun, export, delete, prune.
    #[command(after_help = EXIT_CODES)]
    Runs(runs::RunsArgs),
    /// One experiment over a grid of settings (--vary), in parallel, with the spread over seeds.
    #[command(after_help = sweep::SWEEP_HELP)]
    Sweep(sweep::SweepArgs),
    /// The catalogue of ready-made experiments, each with a report.
    #[command(after_help = EXIT_CODES)]
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
        // `nnlab runs list | head -1`: the reader has all it wanted; stop quietly.
        Err(err) if broken_pipe(&err) => ExitCode::SUCCESS,
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
            eprintln!("error: {}", shorten(&one_line(&err)));
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

/// True when the error is a write to a closed pipe (stdout's reader went away), whether
/// it came through `std::io` or through serde_json's writer.
fn broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// The longest run of characters without a space an error line quotes whole: a value's
/// text beyond it is cut (a 5 MB field made a 5 MB line).
const MAX_WORD: usize = 100;
/// The longest error line: the rest is cut, saying how long it was.
const MAX_LINE: usize = 600;

/// `line` with every word (a run without spaces) longer than [`MAX_WORD`] characters cut
/// to its first 60, marked `…(N characters)`, and the whole cut to [`MAX_LINE`] likewise.
fn shorten(line: &str) -> String {
    let cut = |text: &str, keep: usize| -> String {
        let n = text.chars().count();
        let head: String = text.chars().take(keep).collect();
        format!("{head}…({n} characters)")
    };
    let words: Vec<String> = line
        .split(' ')
        .map(|w| {
            if w.chars().count() > MAX_WORD {
                cut(w, 60)
            } else {
                w.to_string()
            }
        })
        .collect();
    let joined = words.join(" ");
    if joined.chars().count() > MAX_LINE {
        cut(&joined, MAX_LINE - 40)
    } else {
        joined
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    // Issue 17: a 5 MB TOML value made a 5 MB error line. A word of 5,000,000 ones keeps
    // its first 60 and its length; short words and short lines are left alone.
    #[test]
    fn long_values_are_cut_and_counted() {
        let long = format!("error '{}x'", "1".repeat(5_000_000));
        let short = shorten(&long);
        assert_eq!(
            short,
            format!("error '{}…(5000003 characters)", "1".repeat(59))
        );
        assert_eq!(
            shorten("--lr: 'abc' is not a number"),
            "--lr: 'abc' is not a number"
        );
        let many = "ab ".repeat(1000);
        let cut = shorten(&many);
        assert_eq!(
            cut.chars().count(),
            560 + "…(3000 characters)".chars().count()
        );
        assert!(cut.ends_with("…(3000 characters)"), "{cut}");
    }
}
