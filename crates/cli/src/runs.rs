//! `nnlab runs`: the run store (every run of `nnlab train`, `nnlab sweep` and `nnlab
//! experiment run` is recorded there) listed, shown,
//! compared, rerun, exported (CSV, JSON, Parquet), imported from other stores and pruned. The store (`nnlab-store`) keeps and reads the
//! runs; comparing and rerunning them is the lab's (`nnlab_lab::compare`,
//! `nnlab_lab::rerun`), which this glue hands the stored runs to.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use nnlab_lab::sweep::{Shard, SweepSpec};
use nnlab_lab::verdict::Outcome;
use nnlab_lab::{Experiment, LabError, RunResult};
use nnlab_store::columnar::write_parquet;
use nnlab_store::prune::{parse_age, parse_size};
use nnlab_store::writer::new_sweep_id;
use nnlab_store::{
    export, render, Condition, Filter, Prune, Recorder, RunStatus, Store, StoreError, SweepWriter,
};

/// Where the store is: shared by `nnlab runs` and `nnlab train`.
#[derive(Debug, Clone, Args)]
pub struct StoreFlag {
    /// The run store (a SQLite file) [default: $NNLAB_STORE, else nnlab/runs.sqlite in the
    /// platform's data directory]
    #[arg(long, value_name = "PATH", global = true)]
    store: Option<PathBuf>,
}

impl StoreFlag {
    fn path(&self) -> anyhow::Result<PathBuf> {
        match &self.store {
            Some(p) => Ok(p.clone()),
            None => nnlab_store::default_path().map_err(input),
        }
    }

    pub(crate) fn open(&self) -> anyhow::Result<Store> {
        Store::open(&self.path()?).map_err(input)
    }
}

/// `nnlab train`'s and `nnlab sweep`'s recording flags.
#[derive(Debug, Clone, Args)]
pub struct RecordFlags {
    #[command(flatten)]
    store: StoreFlag,
    /// Do not record the run(s) in the run store
    #[arg(long, conflicts_with = "store")]
    no_store: bool,
    /// Tag the recorded run(s) with an experiment name (`nnlab runs list --experiment NAME`)
    #[arg(long, value_name = "NAME")]
    experiment: Option<String>,
}

impl RecordFlags {
    /// Inserts the `running` row (unless `--no-store`).
    pub fn start(&self, exp: &Experiment) -> anyhow::Result<Option<Recorder>> {
        if self.no_store {
            return Ok(None);
        }
        let path = self.store.path()?;
        Recorder::start(&path, exp, self.experiment.as_deref())
            .map(Some)
            .map_err(input)
    }
}

impl RecordFlags {
    /// The writer that records a sweep's runs as they finish (unless `--no-store`),
    /// tagged with `--experiment` and a fresh sweep id; `shard` is the part of the grid
    /// this process runs.
    pub fn sweep_writer(
        &self,
        spec: &SweepSpec,
        shard: Option<Shard>,
    ) -> anyhow::Result<Option<SweepWriter>> {
        sweep_writer(
            &self.store,
            self.no_store,
            self.experiment.as_deref(),
            spec,
            shard,
        )
    }
}

/// `nnlab experiment run`'s recording flags (the experiment's name is the tag).
#[derive(Debug, Clone, Args)]
pub struct StoreFlags {
    #[command(flatten)]
    store: StoreFlag,
    /// Do not record the runs in the run store
    #[arg(long, conflicts_with = "store")]
    no_store: bool,
}

impl StoreFlags {
    /// The writer that records every run of experiment `name` as it finishes.
    pub fn sweep_writer(
        &self,
        name: &str,
        spec: &SweepSpec,
    ) -> anyhow::Result<Option<SweepWriter>> {
        sweep_writer(&self.store, self.no_store, Some(name), spec, None)
    }
}

fn sweep_writer(
    store: &StoreFlag,
    no_store: bool,
    experiment: Option<&str>,
    spec: &SweepSpec,
    shard: Option<Shard>,
) -> anyhow::Result<Option<SweepWriter>> {
    if no_store {
        return Ok(None);
    }
    SweepWriter::start(&store.path()?, experiment, &new_sweep_id(), spec, shard)
        .map(Some)
        .map_err(input)
}

/// Waits for the writer to store every run and says where they are.
pub fn finish_sweep(writer: Option<SweepWriter>) -> anyhow::Result<()> {
    if let Some(w) = writer {
        let id = w.sweep().to_string();
        let n = w.finish().map_err(input)?.len();
        eprintln!("recorded {n} runs as sweep {id} (nnlab runs list --sweep {id})");
    }
    Ok(())
}

/// Stores the outcome of a run started with [`RecordFlags::start`]; a run that failed
/// before training (bad data, bad configuration) is removed again.
pub fn finish(
    recorder: Option<Recorder>,
    result: Result<RunResult, LabError>,
    quiet: bool,
) -> anyhow::Result<RunResult> {
    let Some(recorder) = recorder else {
        return Ok(result?);
    };
    match result {
        Ok(r) => {
            let id = recorder.finish(&r).map_err(input)?;
            if !quiet {
                eprintln!("recorded as run {id} (nnlab runs show {id})");
            }
            Ok(r)
        }
        Err(e) => {
            recorder.abandon().map_err(input)?;
            Err(e.into())
        }
    }
}

/// A store error the user can fix becomes a `LabError` input error, so `main` prints it on
/// one line and exits 2.
pub(crate) fn input(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Lab(lab) => lab.into(),
        e if e.is_input_error() => LabError::Config {
            key: "store".into(),
            message: e.to_string(),
        }
        .into(),
        e => e.into(),
    }
}

#[derive(Debug, Args)]
pub struct RunsArgs {
    #[command(subcommand)]
    command: RunsCommand,
    #[command(flatten)]
    store: StoreFlag,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
    Parquet,
}

#[derive(Debug, Subcommand)]
enum RunsCommand {
    /// Recorded runs, newest first
    List {
        /// Only runs whose configuration has KEY=VALUE (numbers compare numerically), e.g.
        /// lr=0.01; repeat to require several
        #[arg(long = "where", value_name = "KEY=VALUE")]
        conditions: Vec<String>,
        /// Only runs with this status: running, completed, diverged, stopped_early, interrupted
        #[arg(long)]
        status: Option<String>,
        #[arg(long, value_name = "NAME", help = outcome_help())]
        outcome: Option<String>,
        /// Only runs tagged with this experiment name
        #[arg(long, value_name = "NAME")]
        experiment: Option<String>,
        /// Only runs of this sweep
        #[arg(long, value_name = "NAME")]
        sweep: Option<String>,
        /// At most N runs
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// One run: outcome and why, configuration, metrics, diagnostics, history summary
    Show {
        /// The run's id (see `nnlab runs list`)
        id: i64,
        /// Print everything stored as JSON
        #[arg(long)]
        json: bool,
    },
    /// Runs side by side: status, outcome, the configuration keys that differ and the final
    /// metrics
    Compare {
        /// Two or more run ids
        #[arg(required = true, num_args = 2..)]
        ids: Vec<i64>,
        /// Also write compare.csv and the overlaid loss plot compare.png/.svg into DIR
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Train a stored run again and check the results are bit-identical (exit 0 if so, 1 if not)
    Rerun {
        /// The run's id
        id: i64,
    },
    /// Every run as one flat row (status, outcome, configuration keys, final metrics)
    Export {
        /// csv (pandas.read_csv), json (a list of flat objects) or parquet (into the folder
        /// --out: runs.parquet, the same columns, and curves.parquet, every run's id, epoch,
        /// train_loss, test_loss and lr; pandas.read_parquet, polars)
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Write to FILE instead of standard output (with --format parquet: the folder DIR,
        /// required)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add the runs of other stores (e.g. a sharded sweep's, one store per shard) to this
    /// one: each run once (importing a store again adds nothing), with new ids and
    /// everything else kept, histories bit for bit; runs still running are left out
    Import {
        /// The stores to read runs from
        #[arg(required = true, value_name = "STORE")]
        sources: Vec<PathBuf>,
    },
    /// Delete runs by id
    Delete {
        /// The ids of the runs to delete
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Delete finished runs: all but the N newest, those older than an age, until the store
    /// fits a size; of a status and/or a sweep (those alone: all of them). Frees the space
    Prune {
        /// Keep the N newest finished runs, delete the older ones
        #[arg(long, value_name = "N")]
        keep: Option<usize>,
        /// Delete the finished runs with this status: completed, diverged, stopped_early, interrupted
        #[arg(long)]
        status: Option<String>,
        /// Only runs of this sweep (alone: delete all of them)
        #[arg(long, value_name = "ID")]
        sweep: Option<String>,
        /// Delete runs that finished longer ago than AGE: 90s, 30m, 12h, 7d, 2w
        #[arg(long, value_name = "AGE")]
        older_than: Option<String>,
        /// Delete the oldest runs until the store (database, WAL, chunk files) takes at most
        /// SIZE: 500MB, 2GB, 64KiB, or bytes
        #[arg(long, value_name = "SIZE")]
        max_size: Option<String>,
    },
}

/// `--outcome`'s help, naming every outcome of [`Outcome::ALL`].
fn outcome_help() -> String {
    format!(
        "Only runs with this outcome: {}",
        Outcome::ALL.map(Outcome::name).join(", ")
    )
}

fn status(s: &Option<String>) -> anyhow::Result<Option<RunStatus>> {
    s.as_deref().map(str::parse).transpose().map_err(input)
}

pub fn run(args: &RunsArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.open()?;
    let mut out = std::io::stdout().lock();
    match &args.command {
        RunsCommand::List {
            conditions,
            status: st,
            outcome,
            experiment,
            sweep,
            limit,
            json,
        } => {
            let filter = Filter {
                status: status(st)?,
                outcome: outcome
                    .as_deref()
                    .map(nnlab_store::record::parse_outcome)
                    .transpose()
                    .map_err(input)?,
                experiment: experiment.clone(),
                sweep: sweep.clone(),
                conditions: conditions
                    .iter()
                    .map(|c| Condition::parse(c))
                    .collect::<Result<_, _>>()
                    .map_err(input)?,
                limit: *limit,
            };
            let runs = store.list(&filter).map_err(input)?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &runs)?;
                writeln!(out)?;
            } else if runs.is_empty() {
                eprintln!("no runs match in {}", store.path());
            } else {
                write!(out, "{}", render::list_table(&runs))?;
            }
        }
        RunsCommand::Show { id, json } => {
            let r = store.get(*id).map_err(input)?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &r)?;
                writeln!(out)?;
            } else {
                write!(out, "{}", render::show(&r))?;
            }
        }
        RunsCommand::Compare { ids, out: dir } => {
            let runs = ids
                .iter()
                .map(|id| store.get(*id))
                .collect::<Result<Vec<_>, _>>()
                .map_err(input)?;
            let runs: Vec<nnlab_lab::Compared> = runs.iter().map(|r| r.compared()).collect();
            write!(out, "{}", nnlab_lab::compare(&runs).table())?;
            if let Some(dir) = dir {
                let written = nnlab_lab::compare::write_comparison(dir, &runs)?;
                eprintln!("wrote {} files to {}", written.len(), dir.display());
            }
        }
        RunsCommand::Rerun { id } => {
            let stored = store.get(*id).map_err(input)?;
            let recorded = stored.recorded().map_err(input)?;
            let (report, result) =
                nnlab_lab::rerun(&stored.config_toml, recorded.as_ref(), &mut |_| {})?;
            if !report.compared {
                let loss = result
                    .history
                    .last()
                    .map_or("none".to_string(), |h| h.train_loss.to_string());
                writeln!(
                    out,
                    "run {id}: stored {} with no outcome, nothing to compare; trained it now: \
                     {}, {} epochs, final train loss {loss}",
                    stored.summary.status,
                    nnlab_store::RunStatus::of(&result.status),
                    report.epochs,
                )?;
            } else if report.identical() {
                writeln!(
                    out,
                    "run {id}: identical ({} epoch losses and {} parameters, bit for bit)",
                    report.epochs, report.parameters
                )?;
            } else {
                writeln!(out, "run {id}: differs")?;
                for d in &report.differences {
                    writeln!(out, "  {d}")?;
                }
                return Ok(ExitCode::from(1));
            }
        }
        RunsCommand::Export { format, out: file } => {
            let runs = store.list(&Filter::default()).map_err(input)?;
            let text = match (format, file) {
                (Format::Parquet, Some(dir)) => {
                    for path in write_parquet(&store, &runs, dir).map_err(input)? {
                        eprintln!("wrote {}", path.display());
                    }
                    return Ok(ExitCode::SUCCESS);
                }
                (Format::Parquet, None) => {
                    return Err(LabError::Config {
                        key: "--format parquet".into(),
                        message: "writes two files: give the folder with --out DIR".into(),
                    }
                    .into())
                }
                (Format::Csv, _) => export::to_csv(&runs),
                (Format::Json, _) => export::to_json(&runs),
            }
            .map_err(input)?;
            match file {
                Some(f) => write_file(f, &text)?,
                None => write!(out, "{text}")?,
            }
        }
        RunsCommand::Import { sources } => {
            let mut store = store;
            for source in sources {
                let done = store.import(source).map_err(input)?;
                let mut line = format!(
                    "{}: added {} runs, {} already here",
                    source.display(),
                    done.added.len(),
                    done.present
                );
                if done.running > 0 {
                    line += &format!(", {} still running left out", done.running);
                }
                if done.no_outcome > 0 {
                    line += &format!(
                        ", {} without an outcome (recorded before schema v6) left out",
                        done.no_outcome
                    );
                }
                writeln!(out, "{line}")?;
            }
        }
        RunsCommand::Delete { ids } => {
            let n = store.delete(ids).map_err(input)?;
            writeln!(out, "deleted {n} of {} runs", ids.len())?;
        }
        RunsCommand::Prune {
            keep,
            status: st,
            sweep,
            older_than,
            max_size,
        } => {
            let rule = Prune {
                keep: *keep,
                status: status(st)?,
                sweep: sweep.clone(),
                older_than: older_than
                    .as_deref()
                    .map(|a| parse_age(a, "--older-than"))
                    .transpose()
                    .map_err(input)?,
                max_size: max_size
                    .as_deref()
                    .map(|s| parse_size(s, "--max-size"))
                    .transpose()
                    .map_err(input)?,
            };
            if rule.is_empty() {
                return Err(LabError::Config {
                    key: "prune".into(),
                    message: "give --keep N, --older-than AGE, --max-size SIZE, --status STATUS \
                              and/or --sweep ID"
                        .into(),
                }
                .into());
            }
            let gone = store.prune(&rule).map_err(input)?;
            writeln!(out, "deleted {} runs", gone.len())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    nnlab_lab::files::write_atomic(path, text.as_bytes())?;
    Ok(())
}
