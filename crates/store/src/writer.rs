//! Recording a sweep while it runs: [`SweepWriter`] takes the details of finished runs from
//! the sweep's workers ([`nnlab_lab::sweep::run_sweep_with`]'s sink) and a thread of its own
//! writes them into the store.
//!
//! The workers turn their runs into rows (the TOML and JSON texts, the history blobs), so
//! that work is spread over every core; the writer thread only inserts. It takes whatever
//! batches are waiting and inserts them in one transaction, so a fast sweep costs a few
//! commits and a slow one commits each chunk soon after it finishes: a sweep killed with
//! SIGKILL keeps every run whose transaction committed (WAL: a commit survives the process).
//!
//! ```no_run
//! use nnlab_lab::sweep::{run_sweep_with, SweepSpec};
//! use nnlab_lab::Experiment;
//! use nnlab_store::{writer::new_sweep_id, SweepWriter};
//!
//! let spec = SweepSpec::parse(Experiment::default(), &["lr=0.01,0.1".into()]).unwrap();
//! let writer = SweepWriter::start("runs.sqlite".as_ref(), None, &new_sweep_id()).unwrap();
//! let result = run_sweep_with(&spec, None, Some(&|runs| writer.add(runs))).unwrap();
//! let ids = writer.finish().unwrap();
//! assert_eq!(ids.len(), result.runs.len());
//! ```

use std::path::Path;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread::JoinHandle;

use rusqlite::config::DbConfig;

use nnlab_lab::sweep::RunDetail;

use crate::clock::now_rfc3339;
use crate::{RunRecord, Store, StoreError};

type Batch = Result<Vec<RunRecord>, StoreError>;

/// A store being written by its own thread; see the module docs.
pub struct SweepWriter {
    sender: Sender<Batch>,
    thread: JoinHandle<Result<Vec<i64>, StoreError>>,
    experiment: Option<String>,
    sweep: String,
}

/// A fresh sweep id: the UTC start time and the process id, `20240301T120000250Z-4242`
/// (sortable, and two sweeps started in the same millisecond by different processes differ).
pub fn new_sweep_id() -> String {
    let time: String = now_rfc3339()
        .chars()
        .filter(|c| !matches!(c, '-' | ':' | '.'))
        .collect();
    format!("{time}-{}", std::process::id())
}

impl SweepWriter {
    /// Opens the store (its errors come now, before any training) and starts the writer
    /// thread. Every run is tagged with `experiment` (if any) and `sweep`.
    pub fn start(
        path: &Path,
        experiment: Option<&str>,
        sweep: &str,
    ) -> Result<SweepWriter, StoreError> {
        let mut store = Store::open(path)?;
        // A checkpoint (copying the WAL into the main file, with an fsync) took 30-45 ms
        // when it fell inside a 1000-run sweep of ~50 ms: this connection never starts one
        // mid-sweep or on close. Commits stay durable in the WAL; the next connection that
        // closes the store (any `nnlab runs`, `nnlab train`), or the next sweep's writer
        // thread before its first insert, folds the WAL back.
        let sql = |source| crate::schema::sql_error(path.to_string_lossy().as_ref(), source);
        store
            .conn
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(sql)?;
        store
            .conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .map_err(sql)?;
        let (sender, receiver) = channel();
        let name = store.path().to_string();
        let thread = std::thread::Builder::new()
            .name("nnlab-store".into())
            .spawn(move || write_all(&mut store, &receiver))
            .map_err(|source| StoreError::Io { path: name, source })?;
        Ok(SweepWriter {
            sender,
            thread,
            experiment: experiment.map(str::to_string),
            sweep: sweep.to_string(),
        })
    }

    /// The sweep id the runs are tagged with.
    pub fn sweep(&self) -> &str {
        &self.sweep
    }

    /// Queues finished runs; call it from any thread (it is the sweep's sink). The rows are
    /// built here, on the caller's thread.
    pub fn add(&self, runs: Vec<RunDetail>) {
        let batch = runs
            .iter()
            .map(|d| {
                RunRecord::of_detail(d)
                    .map(|r| r.tagged(self.experiment.as_deref(), Some(&self.sweep)))
            })
            .collect();
        // A send fails only once the writer has stopped on an error, which `finish` returns.
        let _ = self.sender.send(batch);
    }

    /// Waits until every queued run is written; returns their ids in the order written, or
    /// the first error (the runs committed before it stay stored).
    pub fn finish(self) -> Result<Vec<i64>, StoreError> {
        drop(self.sender);
        self.thread.join().unwrap_or_else(|_| {
            Err(StoreError::Io {
                path: String::new(),
                source: std::io::Error::other("the run store's writer thread panicked"),
            })
        })
    }
}

/// The writer thread: everything waiting goes into one transaction, until every sender
/// is gone.
fn write_all(store: &mut Store, receiver: &Receiver<Batch>) -> Result<Vec<i64>, StoreError> {
    // While the sweep's first chunks train. PASSIVE: never waits for other connections.
    store
        .conn
        .execute_batch("PRAGMA wal_checkpoint(PASSIVE)")
        .map_err(store.sql())?;
    let mut ids = Vec::new();
    while let Ok(first) = receiver.recv() {
        let mut batch = first?;
        while let Ok(more) = receiver.try_recv() {
            batch.extend(more?);
        }
        ids.extend(store.record_many(&batch)?);
    }
    Ok(ids)
}
