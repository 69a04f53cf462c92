//! `nnlab experiment list | run NAME`: the catalogue of ready-made sweeps
//! (`nnlab_lab::experiments`), each with a report, every run recorded in the run store.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use nnlab_lab::experiments::{entry, run_entry, run_entry_with, Options, CATALOGUE};
use nnlab_lab::files::check_out_dir;
use nnlab_lab::Syntax;

#[derive(Debug, Args)]
pub struct ExperimentArgs {
    #[command(subcommand)]
    command: ExperimentCommand,
}

#[derive(Debug, Subcommand)]
enum ExperimentCommand {
    /// Name every experiment of the catalogue
    List,
    /// Run one experiment and print its findings
    Run {
        /// The experiment's name (see `nnlab experiment list`)
        name: String,
        /// Write the sweep's files, report.html and report.md into DIR
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The insurance CSV: learning-rate, dataset-size, optimizer, schedule, seeds and
        /// real-data run on it (else on their own data); the other experiments refuse it
        #[arg(long, value_name = "PATH")]
        data: Option<PathBuf>,
        /// Override the epochs of every run (a quicker, rougher look)
        #[arg(long, value_name = "N")]
        epochs: Option<usize>,
        /// Every run is recorded in the run store, tagged with the experiment's name
        /// (`nnlab runs list --experiment NAME`) and a sweep id
        #[command(flatten)]
        record: crate::runs::StoreFlags,
    },
}

pub fn run(args: &ExperimentArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match &args.command {
        ExperimentCommand::List => {
            let width = CATALOGUE.iter().map(|c| c.0.len()).max().unwrap_or(0);
            for (name, what) in CATALOGUE {
                writeln!(out, "{name:width$}  {what}")?;
            }
        }
        ExperimentCommand::Run {
            name,
            out: dir,
            data,
            epochs,
            record,
        } => {
            let opts = Options {
                epochs: *epochs,
                data: data.clone(),
            };
            // An unknown name fails before the store is opened; the options it names are
            // this command's flags (`--epochs`).
            let (spec, _) = entry(name, &opts).map_err(|e| e.in_syntax(Syntax::Flag))?;
            if let Some(dir) = dir {
                check_out_dir(dir).map_err(crate::writing(dir.display().to_string()))?;
            }
            let writer = record.sweep_writer(name, &spec)?;
            let ran = match &writer {
                Some(w) => run_entry_with(name, &opts, Some(&|runs| w.add(runs))),
                None => run_entry(name, &opts),
            };
            let stored = crate::runs::finish_sweep(writer);
            let ran = ran?;
            stored?;
            if let Some(dir) = dir {
                let n = crate::sweep::write_out(dir, &ran.result, Some(&ran.report))?;
                eprintln!("wrote {n} files to {}", dir.display());
            }
            let r = &ran.report;
            writeln!(out, "{}\n{}\n\n{}\n", r.title, r.question, r.answer)?;
            for f in &r.findings {
                writeln!(out, "  {}", f.sentence)?;
            }
            writeln!(out)?;
            for s in &r.sections {
                writeln!(out, "{}\n{}", s.heading, s.table.text("  "))?;
            }
            write!(out, "{}", r.summary.text("  "))?;
            for (k, n) in &r.diagnostics {
                writeln!(out, "  {k}: {n} of {} runs", r.n_runs)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
