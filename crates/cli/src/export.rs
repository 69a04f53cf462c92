//! `nnlab export --framework keras|torch DIR`: a folder that replays the run of `DIR`
//! (`train --out DIR`) in Keras or PyTorch, its logic in `nnlab_lab::export`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use nnlab_lab::{read_run_dir, write_export, Framework, LabError};

/// Flags of `nnlab export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A run's folder, written by `nnlab train --out DIR` (its result.json is read; its
    /// training rows are prepared again from its configuration)
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// The framework of the replay: keras (Keras 3; JAX backend in float64 unless
    /// KERAS_BACKEND says otherwise) or torch
    #[arg(long, value_name = "keras|torch")]
    framework: String,
    /// Where to write replay.py, initial.json (the starting network, the rate, the epochs)
    /// and train.csv (the scaled training rows) [default: DIR/export-FRAMEWORK]
    #[arg(long, value_name = "OUT")]
    out: Option<PathBuf>,
}

pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let framework: Framework = args.framework.parse().map_err(|message| LabError::Config {
        key: "--framework".into(),
        message,
    })?;
    let result = read_run_dir(&args.dir)?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| args.dir.join(format!("export-{framework}")));
    let mut out = std::io::stdout().lock();
    for path in write_export(&result, None, framework, &out_dir)? {
        writeln!(out, "wrote {}", path.display())?;
    }
    writeln!(out, "run: python {}", out_dir.join("replay.py").display())?;
    Ok(ExitCode::SUCCESS)
}
