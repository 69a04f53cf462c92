//! `nnlab predict DIR --row 2,3 --row 4,9`: the final network of the run whose `--out DIR`
//! this is, on new rows in original units (`nnlab_lab::Predictor`, as `Run.predict` in
//! Python); `nnlab predict 12 --row 2,3`: of run 12 of the run store. Prints CSV: the input
//! columns, then `prediction`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use nnlab_lab::{LabError, Predictor};
use nnlab_report::input::parse_numbers;

use crate::runs::{input, StoreFlag};

/// Flags of `nnlab predict`.
#[derive(Debug, Args)]
pub struct PredictArgs {
    /// A run's folder, written by `nnlab train --out DIR` (its params.json is read), or
    /// the id of a run in the run store (`nnlab runs list`; its data are loaded again to
    /// refit the scaler, and must be the rows it was trained on)
    #[arg(value_name = "DIR|ID")]
    run: PathBuf,
    /// One row of inputs in original units, comma-separated in the run's input order
    /// (`nnlab predict DIR` without rows names them); repeat for more rows
    #[arg(long = "row", value_name = "X1,X2,...", allow_hyphen_values = true)]
    rows: Vec<String>,
    #[command(flatten)]
    store: StoreFlag,
}

pub fn run(args: &PredictArgs) -> anyhow::Result<ExitCode> {
    // A folder wins over an id of the same name: `nnlab predict 12` in a folder holding a
    // run folder `12` means that folder.
    let id = args.run.to_str().and_then(|s| s.parse::<i64>().ok());
    let predictor = match id {
        Some(id) if !args.run.exists() => args.store.open()?.predictor(id).map_err(input)?,
        _ => Predictor::from_dir(&args.run)?,
    };
    let inputs = predictor.inputs();
    if args.rows.is_empty() {
        return Err(LabError::Config {
            key: "--row".into(),
            message: format!("give one or more rows of {}", inputs.join(",")),
        }
        .into());
    }
    let rows = args
        .rows
        .iter()
        .map(|r| parse_numbers("--row", r))
        .collect::<Result<Vec<_>, _>>()?;
    let predicted = predictor.predict(&rows).map_err(|e| match e {
        LabError::Config { key, message } if key == "row" => LabError::Config {
            key: "--row".into(),
            message,
        },
        other => other,
    })?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{},prediction", inputs.join(","))?;
    for (row, y) in rows.iter().zip(predicted) {
        let cells: Vec<String> = row.iter().map(|v| format!("{v:?}")).collect();
        writeln!(out, "{},{y:?}", cells.join(","))?;
    }
    Ok(ExitCode::SUCCESS)
}
