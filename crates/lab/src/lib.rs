//! # nnlab-lab: experiments as data
//!
//! One [`Experiment`] (a serde struct of typed fields with defaults, read from flags, TOML
//! files, sweeps or the web page through the one key table [`KEYS`], served as
//! [`schema()`]) flows into [`run`]; one [`RunResult`] flows back out, with the history,
//! both networks, metrics in scaled and original units, predictions and [`diagnostics`].
//! [`output::write_outputs`] writes the files of `--out DIR`, atomically.
//!
//! ```no_run
//! use nnlab_lab::{run, Experiment};
//! let mut exp = Experiment::default();
//! exp.set("lr", "0.05").unwrap();
//! exp.set("rows", "300").unwrap();
//! let result = run(&exp, &mut |_| {}).unwrap();
//! assert_eq!(result.epochs_run, 300);
//! ```

pub mod config;
pub mod diagnostics;
mod error;
pub mod experiments;
pub mod files;
pub mod output;
pub mod report;
pub mod result;
mod run;
mod serde_util;
pub mod summary;
pub mod sweep;

pub use config::{schema, DataConfig, Experiment, ModelConfig, Source, Syntax, KEYS};
pub use error::LabError;
pub use result::{RunOptions, RunResult};
pub use run::{
    data_source, diverged, evaluate, load_data, prediction_rows, run, run_on, LoadedData,
};
