//! Opening a store and writing runs into it.
//!
//! Reliability: the database runs in WAL mode (readers never block the writer, and a
//! process killed mid-write leaves the last committed state), every write is one
//! `BEGIN IMMEDIATE` transaction (two writing processes queue on the lock for up to
//! [`BUSY_TIMEOUT`] instead of failing), and `synchronous = NORMAL`, which in WAL mode
//! survives a killed process (only a power loss may drop the latest commits).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};

use nnlab_lab::sweep::files::parse_spec;
use nnlab_lab::sweep::grid::shard_indices;
use nnlab_lab::sweep::Shard;
use nnlab_lab::{Experiment, RunResult};

use crate::clock::{now_rfc3339, parse_rfc3339};
use crate::history::encode;
use crate::record::{RunOutcome, RunRecord, RunStatus, VERSION};
use crate::schema::{migrate, sql_error};
use crate::StoreError;

/// How long a writer waits for another process's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Where runs are kept unless told otherwise: `NNLAB_STORE`, else the platform's data
/// directory (`~/.local/share/nnlab/runs.sqlite` on Linux).
pub fn default_path() -> Result<PathBuf, StoreError> {
    if let Some(p) = std::env::var_os("NNLAB_STORE").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    dirs::data_dir()
        .map(|d| d.join("nnlab").join("runs.sqlite"))
        .ok_or(StoreError::NoDataDir)
}

/// An open run store.
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) path: String,
}

impl Store {
    /// Opens (creating if needed) the store at `path`, migrates it to the current schema,
    /// and marks `running` rows whose process is gone as `interrupted`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        let io = |source| StoreError::Io {
            path: name.clone(),
            source,
        };
        match std::fs::metadata(path) {
            // Checked by hand because SQLite would quietly open it read-only (and root may
            // write it anyway): a read-only store is an error, not a silent non-recording.
            Ok(m) if m.permissions().readonly() => {
                return Err(StoreError::ReadOnly { path: name });
            }
            Ok(m) if m.is_dir() => {
                return Err(StoreError::NotAStore {
                    path: name,
                    why: "it is a directory".into(),
                })
            }
            Ok(_) => {}
            Err(_) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(io)?;
                }
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let sql = |source| sql_error(&name, source);
        let mut conn = Connection::open_with_flags(path, flags).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // Switching a new file to WAL needs an exclusive lock, and SQLite answers "busy"
        // at once (without its busy handler) when another process is doing the same: two
        // processes creating one store race here, so the setup is retried.
        let started = std::time::Instant::now();
        let mut wait = Duration::from_millis(5);
        loop {
            match setup(&mut conn, &name) {
                Err(StoreError::Sqlite { source, .. })
                    if is_busy(&source) && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_millis(200));
                }
                other => break other?,
            }
        }
        let store = Store { conn, path: name };
        store.mark_interrupted()?;
        Ok(store)
    }

    /// The file this store lives in.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub(crate) fn sql(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| sql_error(&self.path, source)
    }

    /// Inserts one run; returns its id.
    pub fn record(&mut self, record: &RunRecord) -> Result<i64, StoreError> {
        Ok(self.record_many(std::slice::from_ref(record))?[0])
    }

    /// Inserts many runs in one transaction (a sweep's batch: one fsync instead of one per
    /// run); returns their ids in order. All or none are stored.
    pub fn record_many(&mut self, records: &[RunRecord]) -> Result<Vec<i64>, StoreError> {
        let path = self.path.clone();
        let sql = |source| sql_error(&path, source);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let mut ids = Vec::with_capacity(records.len());
        for r in records {
            ids.push(insert(&tx, r, None).map_err(sql)?);
        }
        tx.commit().map_err(sql)?;
        Ok(ids)
    }

    /// Inserts a `running` row for a run about to start, with this process's id, so a run
    /// killed before it ends is later seen as `interrupted`.
    pub fn begin(&mut self, record: &RunRecord) -> Result<i64, StoreError> {
        let path = self.path.clone();
        let sql = |source| sql_error(&path, source);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let id = insert(&tx, record, Some(std::process::id())).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(id)
    }

    /// Completes the row [`Store::begin`] inserted with the run's outcome.
    pub fn finish(&mut self, id: i64, result: &RunResult) -> Result<(), StoreError> {
        let outcome = RunOutcome::of(result, now_rfc3339())?;
        let status = RunStatus::of(&result.status);
        let path = self.path.clone();
        let sql = |source| sql_error(&path, source);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        tx.execute(
            "UPDATE runs SET status = ?1, pid = NULL WHERE id = ?2",
            params![status.as_str(), id],
        )
        .map_err(sql)?;
        write_outcome(&tx, id, &outcome).map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Turns `running` rows whose recording process no longer exists into `interrupted`,
    /// and gives every unfinished sweep whose writer process is gone (killed mid-sweep) an
    /// `interrupted` row for each planned run it never wrote ([`Store::mark_sweep`]).
    /// Where `/proc` is missing (not Linux), a process is taken as gone after
    /// [`STALE_AFTER`]. Returns how many runs it marked or inserted.
    pub fn mark_interrupted(&self) -> Result<usize, StoreError> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare("SELECT id, pid, started FROM runs WHERE status = 'running'")
            .map_err(&sql)?;
        let rows: Vec<(i64, Option<i64>, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(&sql)?
            .collect::<Result<_, _>>()
            .map_err(&sql)?;
        let now = parse_rfc3339(&now_rfc3339()).unwrap_or(0);
        let mut marked = 0;
        for (id, pid, started) in rows {
            if !process_alive(pid, parse_rfc3339(&started), now) {
                marked += self
                    .conn
                    .execute(
                        "UPDATE runs SET status = 'interrupted' WHERE id = ?1 AND status = 'running'",
                        [id],
                    )
                    .map_err(&sql)?;
            }
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id, pid, created FROM sweeps WHERE finished = 0")
            .map_err(&sql)?;
        let sweeps: Vec<(i64, Option<i64>, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(&sql)?
            .collect::<Result<_, _>>()
            .map_err(&sql)?;
        for (id, pid, created) in sweeps {
            if !process_alive(pid, parse_rfc3339(&created), now) {
                marked += self.mark_sweep(id)?;
            }
        }
        Ok(marked)
    }

    /// In one `BEGIN IMMEDIATE` transaction: inserts an `interrupted` row for each planned
    /// grid index of sweep `id` that has no row, tagged with the sweep's ref and index (its
    /// configuration is rebuilt from the spec like any sweep run's; its seeds are that
    /// configuration's, its start the sweep's creation), and marks the sweep finished so it
    /// happens once. A sweep already finished (another process got here first) is left
    /// alone. A planned index whose configuration cannot be built (a spec no longer valid)
    /// gets no row; a spec that does not read back gets none at all, and the sweep is
    /// marked finished either way. Returns how many rows it inserted.
    fn mark_sweep(&self, id: i64) -> Result<usize, StoreError> {
        let sql = self.sql();
        let tx =
            Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(&sql)?;
        let row = tx
            .query_row(
                "SELECT name, spec_toml, experiment, created, shard_k, shard_n, version
                 FROM sweeps WHERE id = ?1 AND finished = 0",
                [id],
                |r| {
                    Ok(UnfinishedSweep {
                        name: r.get(0)?,
                        spec: r.get(1)?,
                        experiment: r.get(2)?,
                        created: r.get(3)?,
                        shard: (r.get(4)?, r.get(5)?),
                        version: r.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(&sql)?;
        let Some(sweep) = row else {
            return Ok(0);
        };
        let mut inserted = 0;
        if let Ok(spec) = parse_spec(&sweep.spec, "sweeps.spec_toml") {
            let n_runs = spec.n_runs();
            let mut written = vec![false; n_runs];
            {
                let mut stmt = tx
                    .prepare("SELECT sweep_index FROM runs WHERE sweep_ref = ?1")
                    .map_err(&sql)?;
                let mut rows = stmt.query([id]).map_err(&sql)?;
                while let Some(r) = rows.next().map_err(&sql)? {
                    let index: Option<i64> = r.get(0).map_err(&sql)?;
                    if let Some(w) = index
                        .and_then(|i| usize::try_from(i).ok())
                        .and_then(|i| written.get_mut(i))
                    {
                        *w = true;
                    }
                }
            }
            let mut insert = tx
                .prepare(
                    "INSERT INTO runs (status, started, experiment, sweep, data_seed, init_seed,
                         shuffle_seed, version, sweep_ref, sweep_index)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .map_err(&sql)?;
            let version = sweep.version.as_deref().unwrap_or(VERSION);
            for index in sweep.planned(n_runs) {
                if written.get(index).copied().unwrap_or(true) {
                    continue;
                }
                let Ok(exp) = spec.experiment(&spec.point(index)) else {
                    continue;
                };
                let seeds = exp.seeds();
                insert
                    .execute(params![
                        RunStatus::Interrupted.as_str(),
                        sweep.created,
                        sweep.experiment,
                        sweep.name,
                        seed_sql(seeds.0),
                        seed_sql(seeds.1),
                        seed_sql(seeds.2),
                        version,
                        id,
                        index as i64,
                    ])
                    .map_err(&sql)?;
                inserted += 1;
            }
        }
        tx.execute("UPDATE sweeps SET finished = 1 WHERE id = ?1", [id])
            .map_err(&sql)?;
        tx.commit().map_err(&sql)?;
        Ok(inserted)
    }
}

/// What [`Store::mark_sweep`] reads of a sweep that never finished.
struct UnfinishedSweep {
    name: String,
    spec: String,
    experiment: Option<String>,
    created: String,
    shard: (Option<i64>, Option<i64>),
    version: Option<String>,
}

impl UnfinishedSweep {
    /// The planned grid indices of a sweep of `n_runs`: its shard's, every index without
    /// one, none if the stored shard is not `1 <= K <= N` (the schema checks it too).
    fn planned(&self, n_runs: usize) -> Vec<usize> {
        let shard = match self.shard {
            (None, None) => None,
            (Some(k), Some(n)) => match (usize::try_from(k), usize::try_from(n)) {
                (Ok(k), Ok(n)) if (1..=n).contains(&k) => Some(Shard { k, n }),
                _ => return Vec::new(),
            },
            _ => return Vec::new(),
        };
        shard_indices(n_runs, shard)
    }
}

/// WAL mode, pragmas and migrations of a freshly opened connection.
fn setup(conn: &mut Connection, name: &str) -> Result<(), StoreError> {
    let sql = |source| sql_error(name, source);
    // The first read of the header: a text file fails here as "not a database".
    let _: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(sql)?;
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        .map_err(sql)?;
    migrate(conn, name)
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Without `/proc`, a `running` row older than this is taken as abandoned.
pub const STALE_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);

fn process_alive(pid: Option<i64>, started: Option<u64>, now: u64) -> bool {
    let Some(pid) = pid else { return false };
    if pid == i64::from(std::process::id()) {
        return true;
    }
    if Path::new("/proc/self").exists() {
        return Path::new(&format!("/proc/{pid}")).exists();
    }
    started.is_some_and(|s| now.saturating_sub(s) < STALE_AFTER.as_secs())
}

/// Seeds are u64; SQLite integers are i64. The cast keeps the bits both ways.
fn seed_sql(seed: u64) -> i64 {
    seed as i64
}

fn insert(tx: &Transaction, r: &RunRecord, pid: Option<u32>) -> rusqlite::Result<i64> {
    // One statement for a started and a finished run (the outcome columns are NULL until
    // the run finishes): a sweep inserts thousands of finished runs, each without an UPDATE.
    let o = r.outcome.as_ref();
    let h = o.map(|o| encode(&o.history));
    let mut stmt = tx.prepare_cached(
        "INSERT INTO runs (status, started, pid, experiment, sweep, config_toml, config_json,
             data_seed, init_seed, shuffle_seed, version, finished, status_detail, epochs_run,
             initial_params, final_params, metrics, diagnostics, final_loss,
             train_loss, test_loss, lr)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
             ?18, ?19, ?20, ?21, ?22)",
    )?;
    stmt.execute(params![
        r.status.as_str(),
        r.started,
        pid,
        r.experiment,
        r.sweep,
        r.config_toml,
        r.config.to_string(),
        seed_sql(r.seeds.0),
        seed_sql(r.seeds.1),
        seed_sql(r.seeds.2),
        r.version,
        o.map(|o| &o.finished),
        o.map(|o| o.status_detail.to_string()),
        o.map(|o| o.epochs_run as i64),
        o.map(|o| &o.initial_params),
        o.map(|o| &o.final_params),
        o.map(|o| o.metrics.to_string()),
        o.map(|o| o.diagnostics.to_string()),
        o.and_then(|o| o.history.last())
            .and_then(|h| finite(h.train_loss)),
        h.as_ref().map(|h| &h.train_loss),
        h.as_ref().and_then(|h| h.test_loss.as_ref()),
        h.as_ref().map(|h| &h.lr),
    ])?;
    Ok(tx.last_insert_rowid())
}

/// `final_loss` is a plain REAL for sorting and listing; SQLite stores NaN as NULL, and
/// every non-finite final loss is NULL on purpose (the history blobs keep the bits).
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn write_outcome(tx: &Transaction, id: i64, o: &RunOutcome) -> rusqlite::Result<()> {
    let h = encode(&o.history);
    tx.execute(
        "UPDATE runs SET finished = ?1, status_detail = ?2, epochs_run = ?3,
             initial_params = ?4, final_params = ?5, metrics = ?6, diagnostics = ?7,
             final_loss = ?8, train_loss = ?9, test_loss = ?10, lr = ?11
         WHERE id = ?12",
        params![
            o.finished,
            o.status_detail.to_string(),
            o.epochs_run as i64,
            o.initial_params,
            o.final_params,
            o.metrics.to_string(),
            o.diagnostics.to_string(),
            o.history.last().and_then(|h| finite(h.train_loss)),
            h.train_loss,
            h.test_loss,
            h.lr,
            id,
        ],
    )?;
    Ok(())
}

/// Records one `nnlab train` run: a `running` row at the start, its outcome at the end.
pub struct Recorder {
    store: Store,
    id: i64,
}

impl Recorder {
    /// Opens the store and inserts the `running` row for `exp`.
    pub fn start(
        path: &Path,
        exp: &Experiment,
        experiment: Option<&str>,
    ) -> Result<Recorder, StoreError> {
        let mut store = Store::open(path)?;
        let record = RunRecord::starting(exp, now_rfc3339())?.tagged(experiment, None);
        let id = store.begin(&record)?;
        Ok(Recorder { store, id })
    }

    /// The run's id in the store.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Stores the outcome; returns the run's id.
    pub fn finish(mut self, result: &RunResult) -> Result<i64, StoreError> {
        self.store.finish(self.id, result)?;
        Ok(self.id)
    }

    /// Removes the row of a run that never trained (its configuration or data was rejected).
    pub fn abandon(self) -> Result<(), StoreError> {
        self.store.delete(&[self.id]).map(|_| ())
    }
}
