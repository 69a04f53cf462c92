//! `nnlab sweep`: one experiment over a grid of settings, in parallel, with the spread over
//! seeds, every run recorded in the run store; `nnlab sweep merge` joins the folders of
//! sharded runs. Logic lives in `nnlab_lab::sweep` and `nnlab_store::writer`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use nnlab_lab::files::{check_out_dir, OutSet};
use nnlab_lab::report::{put_reports, Report};
use nnlab_lab::sweep::files::{is_sweep_file, merge, put_sweep, read_spec};
use nnlab_lab::sweep::json::SweepJson;
use nnlab_lab::sweep::summary::summary_table;
use nnlab_lab::sweep::{run_sweep, run_sweep_with, summarize, Shard, SweepResult, SweepSpec};
use nnlab_lab::{Experiment, LabError};

use crate::experiment_flags::ExperimentFlags;

pub const SWEEP_HELP: &str = concat!(
    "\
Values: --vary lr=0.001,0.01,0.1 --vary seed=0..100 (0..100 is 0 to 99, like Rust;
0..=99 is the same). Values that contain commas are separated by ';':
--vary 'x1=0,5;0,20;-50,50'. The grid is every combination, the last factor fastest.

Every run is recorded in the run store as it finishes (see `nnlab runs`), tagged with a
fresh sweep id (printed at the end) and --experiment NAME if given:
  nnlab runs list --sweep ID;  nnlab runs list --experiment NAME.  --no-store records nothing.

Sharding (e.g. a Slurm array): --shard K/N runs the runs i with i % N == K-1 and writes
their runs.csv and curves.csv; then `nnlab sweep merge DIR... --out DIR` writes the files of
one unsharded sweep, byte for byte:
  #SBATCH --array=0-9
  nnlab sweep --vary lr=0.01,0.1 --vary seed=0..1000 \\
      --shard $((SLURM_ARRAY_TASK_ID+1))/$SLURM_ARRAY_TASK_COUNT --out shards/$SLURM_ARRAY_TASK_ID
  nnlab sweep merge shards/* --out sweep

",
    exit_codes!()
);

/// Flags of `nnlab sweep`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SweepArgs {
    #[command(subcommand)]
    merge: Option<SweepCommand>,
    /// A sweep.toml (from an earlier --out: reruns that sweep) or an experiment TOML (the base)
    #[arg(value_name = "SWEEP.toml")]
    config: Option<PathBuf>,
    /// A varied key and its values: KEY=V1,V2,... or KEY=A..B (repeatable)
    #[arg(long, value_name = "KEY=VALUES")]
    vary: Vec<String>,
    /// Run only slice K of N of the grid (runs i with i % N == K-1)
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Write runs.csv, summary.csv, curves.csv, sweep.toml and the plots into DIR
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Also write report.html and report.md (with --out)
    #[arg(long, requires = "out")]
    report: bool,
    /// Print JSON instead of the table: the judged set, per combination its stats and
    /// outcome counts and warnings, per run its outcome and final metrics
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    flags: ExperimentFlags,
    #[command(flatten)]
    record: crate::runs::RecordFlags,
}

#[derive(Debug, Subcommand)]
enum SweepCommand {
    /// Join the folders of sharded runs into the files of one sweep
    Merge {
        /// The shard folders (each written by `nnlab sweep --shard K/N --out DIR`)
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Where the merged files go
        #[arg(long, value_name = "DIR", required = true)]
        out: PathBuf,
        /// Also write report.html and report.md
        #[arg(long)]
        report: bool,
        /// Print the JSON `nnlab sweep --json` prints instead of the table
        #[arg(long)]
        json: bool,
    },
}

/// The spec from a sweep.toml or an experiment TOML (or the defaults), flags, and --vary.
fn spec(args: &SweepArgs) -> anyhow::Result<SweepSpec> {
    let (mut base, mut vary) = match &args.config {
        Some(path) => match read_spec(path) {
            Ok(s) => (s.base, s.vary),
            Err(_) => (Experiment::from_toml_file(path)?, Vec::new()),
        },
        None => (Experiment::default(), Vec::new()),
    };
    args.flags.apply(&mut base)?;
    // A base option that fails alone is named as the user gave it (`--epochs`).
    // `--vary`'s own errors keep its spelling (`unknown option 'lrate'` names a sweep key).
    let named = |e| match e {
        LabError::UnknownKey { .. } => e,
        other => args.flags.name_in_error(other, args.config.is_some()),
    };
    let extra = SweepSpec::parse(base.clone(), &args.vary).map_err(named)?;
    vary.retain(|f| !extra.vary.iter().any(|g| g.key == f.key));
    vary.extend(extra.vary);
    let spec = SweepSpec { base, vary };
    spec.validate().map_err(named)?;
    Ok(spec)
}

pub fn run(args: &SweepArgs) -> anyhow::Result<ExitCode> {
    if let Some(SweepCommand::Merge {
        dirs,
        out,
        report,
        json,
    }) = &args.merge
    {
        check_out_dir(out).map_err(crate::writing(out.display().to_string()))?;
        let result = merge(dirs)?;
        return finish(&result, Some(out), *report, *json);
    }
    let spec = spec(args)?;
    if let Some(dir) = &args.out {
        check_out_dir(dir).map_err(crate::writing(dir.display().to_string()))?;
    }
    let shard: Option<Shard> = args.shard.as_deref().map(str::parse).transpose()?;
    eprintln!(
        "running {} runs",
        nnlab_lab::sweep::grid::shard_indices(spec.n_runs(), shard).len()
    );
    let writer = args.record.sweep_writer(&spec, shard)?;
    let result = match &writer {
        Some(w) => run_sweep_with(&spec, shard, Some(&|runs| w.add(runs))),
        None => run_sweep(&spec, shard),
    };
    // Runs that finished before an error are stored: wait for them either way.
    let stored = crate::runs::finish_sweep(writer);
    let result = result?;
    stored?;
    finish(&result, args.out.as_ref(), args.report, args.json)
}

fn finish(
    result: &SweepResult,
    out: Option<&PathBuf>,
    report: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    if let Some(dir) = out {
        let report = (report && result.shard.is_none()).then(|| Report::of_sweep(result, None));
        let n = write_out(dir, result, report.as_ref())?;
        eprintln!("wrote {n} files to {}", dir.display());
    }
    let mut stdout = std::io::stdout().lock();
    if result.shard.is_some() {
        writeln!(stdout, "{} runs of the shard done", result.runs.len())?;
        return Ok(ExitCode::SUCCESS);
    }
    if json {
        serde_json::to_writer_pretty(&mut stdout, &SweepJson::of(result))?;
        writeln!(stdout)?;
    } else {
        write!(stdout, "{}", summary_table(&summarize(result)).text(""))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the sweep's files (and `report`'s) into `dir` as one set: a failed write leaves
/// the folder's earlier files whole. Returns how many files were written.
pub fn write_out(
    dir: &Path,
    result: &SweepResult,
    report: Option<&Report>,
) -> anyhow::Result<usize> {
    let write = || -> Result<Vec<PathBuf>, nnlab_lab::LabError> {
        let mut set = OutSet::begin(dir)?;
        put_sweep(&mut set, result)?;
        if let Some(r) = report {
            put_reports(&mut set, r)?;
        }
        set.commit(&is_sweep_file)
    };
    let written = write().map_err(crate::writing(dir.display().to_string()))?;
    Ok(written.len())
}
