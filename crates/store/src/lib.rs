//! # nnlab-store: every run remembered
//!
//! An embedded SQLite file (default `dirs::data_dir()/nnlab/runs.sqlite`, or `NNLAB_STORE`)
//! keeps each run's resolved configuration, seeds, nnlab version, initial and final
//! parameters, metrics, outcome and verdict (learned, stuck, ... and why: see
//! [`nnlab_lab::verdict`]), diagnostics and per-epoch history, so runs can be listed, exported,
//! and handed to the lab to compare ([`nnlab_lab::compare`], with [`StoredRun::compared`])
//! or rerun to the bit ([`nnlab_lab::rerun`], with [`StoredRun::recorded`]). The store
//! only persists: it trains nothing and draws nothing.
//!
//! ```no_run
//! use nnlab_lab::{run, Experiment};
//! use nnlab_store::{clock::now_rfc3339, Filter, RunRecord, Store};
//!
//! let mut store = Store::open("runs.sqlite".as_ref()).unwrap();
//! // A sweep records its runs in one transaction:
//! let started = now_rfc3339();
//! let result = run(&Experiment::default(), &mut |_| {}).unwrap();
//! let record = RunRecord::finished(&result, started, now_rfc3339())
//!     .unwrap()
//!     .tagged(None, Some("lr-sweep"));
//! let ids = store.record_many(&[record]).unwrap();
//! let runs = store.list(&Filter::default()).unwrap();
//! assert_eq!(runs[0].id, ids[0]);
//! ```
//!
//! Schema and migrations: [`schema`]. Reliability (WAL, busy timeout, interrupted runs):
//! [`store`]. A sweep's runs are written a chunk at a time by [`SweepWriter`]: their
//! histories and facts in one file per chunk beside the database, a row of scalars per run
//! ([`chunk`]).

pub mod chunk;
pub mod clock;
pub mod columnar;
mod error;
pub mod export;
mod flat;
pub mod history;
pub mod import;
mod predict;
pub mod prune;
pub mod query;
pub mod read;
pub mod record;
pub mod render;
pub mod schema;
pub mod store;
mod sweeps;
pub mod writer;

pub use error::StoreError;
pub use prune::Prune;
pub use query::Condition;
pub use read::{Filter, RunSummary, StoredRun};
pub use record::{ParamList, RunOutcome, RunRecord, RunStatus, VERSION};
pub use store::{default_path, Recorder, Store};
pub use sweeps::{SweepState, SweepStatus};
pub use writer::SweepWriter;
