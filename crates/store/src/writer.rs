//! Recording a sweep while it runs: [`SweepWriter`] takes the details of finished runs from
//! the sweep's workers ([`nnlab_lab::sweep::run_sweep_with`]'s sink) and a thread of its own
//! writes them into the store.
//!
//! A run's configuration is not serialized: the writer keeps the sweep's spec once, in the
//! `sweeps` table, and each run its grid index (schema v4; reads rebuild the configuration,
//! see [`crate::schema::V4`]). The workers only hand their runs over; the writer thread
//! collects the runs that finish within [`CHUNK_WAIT`] of the first one it is waiting
//! with (at most [`CHUNK_RUNS`]) and stores them as one chunk (schema v7,
//! [`crate::chunk`]): one file with their histories and facts, and one small row per run,
//! in one transaction. So the 1000-run sweep costs a few commits, and a slow sweep commits
//! each run within [`CHUNK_WAIT`] of its end: a sweep killed with SIGKILL keeps every run
//! whose transaction committed (WAL: a commit survives the process), each one whole.
//!
//! The sweep's row also records the writing process and the planned grid indices (the
//! shard), and is marked finished when the writer ends, normally or on an error (schema
//! v5). A sweep killed before that has its unfinished runs inserted as `interrupted` by the
//! next [`Store::open`] (see [`Store::mark_interrupted`]).
//!
//! ```no_run
//! use nnlab_lab::sweep::{run_sweep_with, SweepSpec};
//! use nnlab_lab::Experiment;
//! use nnlab_store::{writer::new_sweep_id, SweepWriter};
//!
//! let spec = SweepSpec::parse(Experiment::default(), &["lr=0.01,0.1".into()]).unwrap();
//! let writer =
//!     SweepWriter::start("runs.sqlite".as_ref(), None, &new_sweep_id(), &spec, None).unwrap();
//! let result = run_sweep_with(&spec, None, Some(&|runs| writer.add(runs))).unwrap();
//! let ids = writer.finish().unwrap();
//! assert_eq!(ids.len(), result.runs.len());
//! ```

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use rusqlite::config::DbConfig;
use rusqlite::params;

use nnlab_lab::sweep::files::{parse_spec, spec_toml};
use nnlab_lab::sweep::grid::shard_indices;
use nnlab_lab::sweep::{RunDetail, Shard, SweepSpec};

use crate::clock::{now_rfc3339, rfc3339_at};
use crate::record::{RunStatus, VERSION};
use crate::{Store, StoreError};

/// How long the writer waits for more runs before committing the ones it has: a chunk holds
/// the runs finished within this time of its first (or [`CHUNK_RUNS`]). Each commit rewrites
/// the pages of the `runs` table and its indexes that it touched, so committing every lane
/// group of 16 runs as it came (63 commits for the 1000-run sweep) cost the writer about
/// 30 ms of CPU, against 8 ms for the whole store's budget. A process killed within this
/// time of a run's end loses that run (it is then marked `interrupted`), never part of one.
pub const CHUNK_WAIT: Duration = Duration::from_millis(100);

/// The most runs in one chunk: bounds the writer's memory (a chunk's details are held until
/// its commit) and the size of a chunk file (300-epoch runs: about 4 KB each).
pub const CHUNK_RUNS: usize = 4096;

/// One call of [`SweepWriter::add`]: runs of one worker's chunk.
type Batch = Vec<RunDetail>;

/// A store being written by its own thread; see the module docs.
pub struct SweepWriter {
    /// `None` once [`SweepWriter::finish`] (or the drop) has closed the channel.
    sender: Option<Sender<Batch>>,
    thread: Option<JoinHandle<Result<Vec<i64>, StoreError>>>,
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

/// What the writer thread tags every run with.
struct Tags {
    experiment: Option<String>,
    sweep: String,
    /// The `sweeps.id` of the spec, if it was stored...
    sweep_ref: Option<i64>,
    /// ...then every run's configuration is rebuilt on read from the stored spec; without
    /// it each row keeps its configuration's texts, made from this spec (the one given to
    /// [`SweepWriter::start`], whose TOML did not read back to itself).
    spec: SweepSpec,
    /// Where the chunk files go.
    dir: PathBuf,
    /// How many runs this process runs (its shard's): an error says how many were stored.
    planned: usize,
}

/// The row of one finished run: only scalars (its history and facts are in its chunk).
struct Row {
    status: RunStatus,
    started: String,
    finished: String,
    /// The grid index, when the configuration is rebuilt from the stored spec...
    index: Option<i64>,
    /// ...else the configuration's TOML and JSON texts.
    config: Option<(String, String)>,
    seeds: (u64, u64, u64),
    epochs_run: i64,
    outcome: &'static str,
    final_loss: Option<f64>,
}

/// Times as text, remembering the last two: the runs of a lane chunk share their times.
#[derive(Default)]
struct Times(Vec<(SystemTime, String)>);

impl Times {
    fn text(&mut self, t: SystemTime) -> String {
        if let Some((_, s)) = self.0.iter().find(|(u, _)| *u == t) {
            return s.clone();
        }
        let s = rfc3339_at(t);
        if self.0.len() == 2 {
            self.0.remove(0);
        }
        self.0.push((t, s.clone()));
        s
    }
}

impl Row {
    /// The row of `d`, a run of `tags.spec`: its grid index when the stored spec rebuilds
    /// its configuration, else the configuration's texts.
    fn of(d: &RunDetail, tags: &Tags, times: &mut Times) -> Result<Row, StoreError> {
        let rebuilt = tags.sweep_ref.is_some();
        let config = if rebuilt {
            None
        } else {
            let spec = &tags.spec;
            let exp = spec.experiment(&spec.point(d.index))?;
            let json = serde_json::to_value(&exp)
                .map(|v| v.to_string())
                .map_err(|e| StoreError::Input {
                    key: "config".into(),
                    message: e.to_string(),
                })?;
            Some((exp.to_toml()?, json))
        };
        Ok(Row {
            status: RunStatus::of(&d.status),
            started: times.text(d.started),
            finished: times.text(d.finished),
            index: rebuilt.then_some(d.index as i64),
            config,
            seeds: d.seeds,
            epochs_run: d.history.len() as i64,
            outcome: d.verdict.outcome.name(),
            final_loss: d
                .history
                .last()
                .map(|h| h.train_loss)
                .filter(|l| l.is_finite()),
        })
    }
}

impl SweepWriter {
    /// Opens the store (its errors come now, before any training), stores `spec` (the
    /// sweep about to run, whose runs will be given to [`SweepWriter::add`]) and starts
    /// the writer thread. Every run is tagged with `experiment` (if any) and `sweep`.
    /// `shard` is the part of the grid this process runs (all of it when `None`): its
    /// runs that never get written are marked `interrupted` if this process dies first.
    pub fn start(
        path: &Path,
        experiment: Option<&str>,
        sweep: &str,
        spec: &SweepSpec,
        shard: Option<Shard>,
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
        // The spec is stored as its sweep.toml text; runs are rebuilt from what that text
        // reads back to, so it is used only if it reads back to `spec` itself (a NaN in
        // the base, say, would not compare equal: its runs then keep their own texts).
        let text = spec_toml(spec)?;
        let kept = parse_spec(&text, "sweep.toml").is_ok_and(|back| back == *spec);
        let sweep_ref = if kept {
            store
                .conn
                .execute(
                    "INSERT INTO sweeps (name, spec_toml, experiment, created, pid,
                             shard_k, shard_n, version, finished)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
                    params![
                        sweep,
                        text,
                        experiment,
                        now_rfc3339(),
                        std::process::id(),
                        shard.map(|s| s.k as i64),
                        shard.map(|s| s.n as i64),
                        VERSION,
                    ],
                )
                .map_err(sql)?;
            Some(store.conn.last_insert_rowid())
        } else {
            None
        };
        let dir = crate::chunk::dir_of(store.path());
        std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let tags = Tags {
            experiment: experiment.map(str::to_string),
            sweep: sweep.to_string(),
            sweep_ref,
            spec: spec.clone(),
            dir,
            planned: shard_indices(spec.n_runs(), shard).len(),
        };
        let (sender, receiver) = channel();
        let name = store.path().to_string();
        let thread = std::thread::Builder::new()
            .name("nnlab-store".into())
            .spawn(move || write_all(&mut store, &receiver, &tags))
            .map_err(|source| StoreError::Io { path: name, source })?;
        Ok(SweepWriter {
            sender: Some(sender),
            thread: Some(thread),
            sweep: sweep.to_string(),
        })
    }

    /// The sweep id the runs are tagged with.
    pub fn sweep(&self) -> &str {
        &self.sweep
    }

    /// Queues finished runs of the spec given to [`SweepWriter::start`]; call it from any
    /// thread (it is the sweep's sink). The runs are moved to the writer thread as they are:
    /// nothing is encoded on the caller's (a training worker's) thread.
    pub fn add(&self, runs: Vec<RunDetail>) {
        // A send fails only once the writer has stopped on an error, which `finish` returns.
        if let Some(sender) = &self.sender {
            let _ = sender.send(runs);
        }
    }

    /// Waits until every queued run is written and the sweep is marked finished; returns
    /// the runs' ids in the order written, or the first error (the runs committed before
    /// it stay stored).
    pub fn finish(mut self) -> Result<Vec<i64>, StoreError> {
        self.close()
    }

    fn close(&mut self) -> Result<Vec<i64>, StoreError> {
        drop(self.sender.take());
        let Some(thread) = self.thread.take() else {
            return Ok(Vec::new());
        };
        thread.join().unwrap_or_else(|_| {
            Err(StoreError::Io {
                path: String::new(),
                source: std::io::Error::other("the run store's writer thread panicked"),
            })
        })
    }
}

/// A writer dropped without [`SweepWriter::finish`] (a caller returning early) still
/// writes what was queued and marks its sweep finished, so it is not taken as killed.
impl Drop for SweepWriter {
    fn drop(&mut self) {
        let _ = self.close();
    }
}

/// The writer thread: writes the runs ([`write_runs`]), then marks the sweep's writer
/// ended, also when writing failed (its missing runs were not interrupted; the sweep then
/// reads as incomplete, see [`Store::sweep_status`], and the error says how many runs were
/// stored).
fn write_all(
    store: &mut Store,
    receiver: &Receiver<Batch>,
    tags: &Tags,
) -> Result<Vec<i64>, StoreError> {
    let mut ids = Vec::new();
    let written =
        write_runs(store, receiver, tags, &mut ids).map_err(|e| StoreError::SweepIncomplete {
            sweep: tags.sweep.clone(),
            stored: ids.len(),
            planned: tags.planned,
            source: Box::new(e),
        });
    let marked = match tags.sweep_ref {
        Some(id) => store
            .conn
            .execute("UPDATE sweeps SET finished = 1 WHERE id = ?1", [id])
            .map(|_| ())
            .map_err(store.sql()),
        None => Ok(()),
    };
    written?;
    marked?;
    Ok(ids)
}

/// Everything waiting goes into one chunk and one transaction, until every sender is gone.
/// A chunk that cannot be stored does not stop the writer: the later ones are still tried
/// (every run that fits is kept), and the first error is returned at the end.
fn write_runs(
    store: &mut Store,
    receiver: &Receiver<Batch>,
    tags: &Tags,
    ids: &mut Vec<i64>,
) -> Result<(), StoreError> {
    // While the sweep's first chunks train. PASSIVE: never waits for other connections.
    store
        .conn
        .execute_batch("PRAGMA wal_checkpoint(PASSIVE)")
        .map_err(store.sql())?;
    let mut first_error = None;
    let mut times = Times::default();
    let mut open = true;
    while open {
        let Ok(first) = receiver.recv() else { break };
        let (mut rows, mut runs) = (Vec::new(), Vec::new());
        let deadline = Instant::now() + CHUNK_WAIT;
        let mut batch = Some(first);
        while let Some(b) = batch.take() {
            for d in &b {
                rows.push(Row::of(d, tags, &mut times)?);
            }
            runs.extend(b);
            if runs.len() >= CHUNK_RUNS {
                break;
            }
            match receiver.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(more) => batch = Some(more),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => open = false,
            }
        }
        if let Err(e) = store_chunk(store, &runs, &rows, tags, ids) {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Stores `runs` as one chunk; when that fails (a full disk: the chunk's file or the
/// database cannot grow), as two halves, down to single runs, so every run that still fits
/// is kept. Returns the first error met when some run could not be stored.
fn store_chunk(
    store: &mut Store,
    runs: &[RunDetail],
    rows: &[Row],
    tags: &Tags,
    ids: &mut Vec<i64>,
) -> Result<(), StoreError> {
    let before = ids.len();
    let Err(e) = insert_chunk(store, runs, rows, tags, ids) else {
        return Ok(());
    };
    // The ids of a transaction that did not commit name no rows.
    ids.truncate(before);
    if runs.len() <= 1 {
        return Err(e);
    }
    let mid = runs.len() / 2;
    let first = store_chunk(store, &runs[..mid], &rows[..mid], tags, ids);
    let second = store_chunk(store, &runs[mid..], &rows[mid..], tags, ids);
    first.and(second).map_err(|_| e)
}

/// In one transaction: the chunk's row, its file, and its runs' rows; pushes their ids.
fn insert_chunk(
    store: &mut Store,
    runs: &[RunDetail],
    rows: &[Row],
    tags: &Tags,
    ids: &mut Vec<i64>,
) -> Result<(), StoreError> {
    let path = store.path.clone();
    let sql = |source| crate::schema::sql_error(&path, source);
    let bytes = crate::chunk::encode_chunk(runs).map_err(|message| StoreError::Input {
        key: "chunk".into(),
        message,
    })?;
    let tx = store
        .conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(sql)?;
    tx.prepare_cached(
        "INSERT INTO chunks (sweep_ref, runs, bytes, created) VALUES (?1, ?2, ?3, ?4)",
    )
    .and_then(|mut s| {
        s.execute(params![
            tags.sweep_ref,
            runs.len() as i64,
            bytes.len() as i64,
            rows.first()
                .map_or_else(now_rfc3339, |r| r.finished.clone()),
        ])
    })
    .map_err(sql)?;
    let chunk = tx.last_insert_rowid();
    let file = crate::chunk::file_of(&tags.dir, chunk);
    std::fs::write(&file, &bytes).map_err(|source| StoreError::Io {
        path: file.display().to_string(),
        source,
    })?;
    {
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO runs (status, started, experiment, sweep, config_toml, config_json,
                     data_seed, init_seed, shuffle_seed, version, finished, epochs_run,
                     final_loss, sweep_ref, sweep_index, outcome, chunk, chunk_pos)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                     ?16, ?17, ?18)",
            )
            .map_err(sql)?;
        for (pos, r) in rows.iter().enumerate() {
            let (toml, json) = match &r.config {
                Some((t, j)) => (Some(t.as_str()), Some(j.as_str())),
                None => (None, None),
            };
            // Seeds are u64; SQLite integers are i64. The cast keeps the bits both ways.
            stmt.execute(params![
                r.status.as_str(),
                r.started,
                tags.experiment,
                tags.sweep,
                toml,
                json,
                r.seeds.0 as i64,
                r.seeds.1 as i64,
                r.seeds.2 as i64,
                VERSION,
                r.finished,
                r.epochs_run,
                r.final_loss,
                r.index.and(tags.sweep_ref),
                r.index,
                r.outcome,
                chunk,
                pos as i64,
            ])
            .map_err(sql)?;
            ids.push(tx.last_insert_rowid());
        }
    }
    tx.commit().map_err(sql)
}

#[cfg(test)]
#[path = "writer_tests.rs"]
mod tests;
