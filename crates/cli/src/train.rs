//! `nnlab train`: one training run, shown like the course's notebook and saved with `--out`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use nnlab_lab::files::check_out_dir;
use nnlab_lab::output::{write_outputs, PlotOptions};
use nnlab_lab::result::RunOptions;
use nnlab_lab::summary::render_summary;
use nnlab_lab::{diverged, Experiment};
use nnlab_train::Event;

use crate::experiment_flags::ExperimentFlags;

/// Flags of `nnlab train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// A TOML configuration (the long form of the flags; flags override it), e.g. the
    /// config.toml an earlier `--out` wrote
    #[arg(value_name = "CONFIG.toml")]
    config: Option<PathBuf>,
    /// Write config.toml, history.csv, params.json, predictions.csv, result.json,
    /// loss.png and loss.svg into DIR
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print the whole result as one JSON object instead of the summary (its `predictions`
    /// list is empty unless --predictions)
    #[arg(long)]
    json: bool,
    /// With --json: include every row's prediction (one object per row: 30,000 rows print
    /// about 5 MB); --out always writes them to predictions.csv and result.json
    #[arg(long, requires = "json")]
    predictions: bool,
    /// Print the resolved configuration as TOML and exit without training
    #[arg(long)]
    print_config: bool,
    /// Print what each outcome (learned, stuck, still_improving, ...) means, with its
    /// thresholds, and exit
    #[arg(long)]
    explain_outcomes: bool,
    /// Logarithmic y axis on the loss plots
    #[arg(long)]
    log_y: bool,
    /// No progress output
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    flags: ExperimentFlags,
    #[command(flatten)]
    record: crate::runs::RecordFlags,
}

/// Reads the configuration file (if any), then applies the flags over it.
pub fn experiment(config: Option<&PathBuf>, flags: &ExperimentFlags) -> anyhow::Result<Experiment> {
    let mut exp = match config {
        Some(path) => Experiment::from_toml_file(path)?,
        None => Experiment::default(),
    };
    flags.apply(&mut exp)?;
    exp.validate()
        .map_err(|e| flags.name_in_error(e, config.is_some()))?;
    Ok(exp.resolved())
}

pub fn run_train(args: &TrainArgs) -> anyhow::Result<ExitCode> {
    if args.explain_outcomes {
        write!(
            std::io::stdout(),
            "{}",
            nnlab_lab::verdict::explain_outcomes()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let exp = experiment(args.config.as_ref(), &args.flags)?;
    if args.print_config {
        write!(std::io::stdout(), "{}", exp.to_toml_commented()?)?;
        return Ok(ExitCode::SUCCESS);
    }
    // Before the work: a run of an hour must not end in "cannot write --out".
    if let Some(dir) = &args.out {
        check_out_dir(dir).map_err(crate::writing(dir.display().to_string()))?;
    }
    let mut progress = Progress::new(!args.quiet, exp.train.epochs);
    let recorder = args.record.start(&exp)?;
    // Per-row predictions only when a file or --json --predictions shows them: without,
    // the data is held once (scaled in place), not also in original units. (Printing them
    // by default made `--json` on 30,000 rows cost 3x the training.)
    let options = RunOptions {
        predictions: args.out.is_some() || args.predictions,
    };
    let result = options
        .run(&exp, &mut |e| progress.event(e))
        .map_err(|e| args.flags.name_in_error(e, args.config.is_some()));
    progress.finish();
    let mut result = crate::runs::finish(recorder, result, args.quiet)?;

    if let Some(dir) = &args.out {
        let written = write_outputs(dir, &result, PlotOptions { log_y: args.log_y })
            .map_err(crate::writing(dir.display().to_string()))?;
        if !args.quiet {
            eprintln!("wrote {} files to {}", written.len(), dir.display());
        }
    }
    let mut out = std::io::stdout().lock();
    if !args.predictions {
        // Computed for --out's files only.
        result.predictions = Vec::new();
    }
    if args.json {
        serde_json::to_writer_pretty(&mut out, &result)?;
        writeln!(out)?;
    } else {
        let width = if std::io::stdout().is_terminal() {
            60
        } else {
            50
        };
        write!(out, "{}", render_summary(&result, width))?;
    }
    if diverged(&result) {
        if let nnlab_train::TrainStatus::Diverged {
            epoch,
            sample,
            parameter,
            suggestion,
            ..
        } = &result.status
        {
            eprintln!(
                "error: training diverged at epoch {epoch}, sample {sample} ({parameter} went first); {suggestion}"
            );
        }
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}

/// Live progress on stderr: a redrawn bar on a terminal, a plain line every 10% otherwise.
struct Progress {
    enabled: bool,
    terminal: bool,
    epochs: usize,
    drawn: bool,
}

impl Progress {
    fn new(enabled: bool, epochs: usize) -> Progress {
        Progress {
            enabled,
            terminal: std::io::stderr().is_terminal(),
            epochs,
            drawn: false,
        }
    }

    fn event(&mut self, e: &Event) {
        if !self.enabled {
            return;
        }
        if let Event::Epoch(r) = e {
            let step = (self.epochs / 10).max(1);
            if self.terminal {
                let width = 30;
                let filled = r.epoch * width / self.epochs.max(1);
                eprint!(
                    "\r  [{}{}] epoch {}/{}  loss {:.6}",
                    "#".repeat(filled),
                    " ".repeat(width - filled),
                    r.epoch,
                    self.epochs,
                    r.train_loss
                );
                self.drawn = true;
            } else if r.epoch % step == 0 || r.epoch == 1 {
                eprintln!(
                    "epoch {}/{}: train loss {}",
                    r.epoch, self.epochs, r.train_loss
                );
            }
        }
    }

    fn finish(&mut self) {
        if self.drawn {
            eprintln!();
        }
    }
}
