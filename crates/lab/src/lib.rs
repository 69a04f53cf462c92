//! # nnlab-lab: experiments as data
//!
//! One [`Experiment`] (a serde struct of typed fields with defaults, read from flags, TOML
//! files, sweeps or the web page through the one key table [`KEYS`], served as
//! [`schema()`]) flows into [`run`]; one [`RunResult`] flows back out, with the history,
//! both networks, metrics in scaled and original units, predictions and [`diagnostics`].
//! [`output::write_outputs`] writes the files of `--out DIR` as one set ([`files::OutSet`]).
//!
//! A run is three stages, each public, so every face (the CLI, sweeps, experiments, the
//! playground) goes through the same code: [`Prepared`] (load, split, fit the scaler,
//! scale; [`CsvText`] is an upload), [`train_prepared`], [`assemble`]. A recorded run is
//! checked again with [`rerun`] and runs are set side by side with [`compare`]; both take
//! plain data, whoever stored it.
//!
//! ```no_run
//! use nnlab_lab::{run, Experiment};
//! let mut exp = Experiment::default();
//! exp.set("lr", "0.05").unwrap();
//! exp.set("rows", "300").unwrap();
//! let result = run(&exp, &mut |_| {}).unwrap();
//! assert_eq!(result.epochs_run(), 300);
//! ```

pub mod compare;
pub mod config;
pub mod decision;
pub mod diagnostics;
mod error;
pub mod experiments;
pub mod export;
pub mod files;
pub mod flat;
pub mod output;
pub mod predict;
mod prepare;
pub mod report;
pub mod rerun;
pub mod result;
mod run;
mod serde_util;
mod start;
pub mod step;
pub mod summary;
pub mod sweep;
pub mod verdict;

pub use compare::{compare, Compared, Comparison};
pub use config::{schema, DataConfig, Experiment, ModelConfig, Source, Syntax, KEYS};
pub use error::LabError;
pub use export::{read_run_dir, write_export, Framework};
pub use predict::{predict, Predictor};
pub use prepare::{
    data_source, load, load_data, targets_for_loss, CsvText, LoadedData, Original, Prepared,
};
pub use rerun::{rerun, Recorded, RerunReport};
pub use result::{RunOptions, RunResult};
pub use run::{
    assemble, class_probabilities, diverged, evaluate, prediction_rows, run, run_on, samples,
    train_prepared, verdict_for, verdict_of, Trained,
};
pub use start::check_start;
pub use step::{explain, Explained, StepExample};
