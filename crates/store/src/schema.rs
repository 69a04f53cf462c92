//! The store's schema, versioned with `PRAGMA user_version`.
//!
//! [`MIGRATIONS`]`[k]` takes a store from version `k` to `k + 1`; a new store runs them all.
//! Each step runs inside one `BEGIN IMMEDIATE` transaction together with the version bump,
//! so a crash mid-migration leaves the old version intact, and two processes opening a new
//! store at once migrate it once (the second sees the bumped version after its lock).
//! The file is marked ours with `PRAGMA application_id` ([`APPLICATION_ID`]).

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// `nnlb` in ASCII (0x6E6E6C62): what `PRAGMA application_id` says in an nnlab store.
pub const APPLICATION_ID: i64 = 0x6E6E_6C62;

/// Version 1: runs and their per-epoch history.
pub const V1: &str = "
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    status TEXT NOT NULL,          -- running, completed, diverged, stopped_early, interrupted
    started TEXT NOT NULL,         -- UTC RFC 3339
    finished TEXT,
    pid INTEGER,                   -- the recording process, to detect a vanished 'running' row
    experiment TEXT,
    sweep TEXT,
    config_toml TEXT NOT NULL,     -- Experiment::to_toml of the resolved configuration
    config_json TEXT NOT NULL,
    data_seed INTEGER NOT NULL,    -- u64 seeds stored as the i64 with the same bits
    init_seed INTEGER NOT NULL,
    shuffle_seed INTEGER NOT NULL,
    version TEXT NOT NULL,
    status_detail TEXT,            -- JSON of TrainStatus
    epochs_run INTEGER,
    initial_params TEXT,           -- JSON of NamedValues
    final_params TEXT,
    metrics TEXT,                  -- JSON of MetricsBySet
    diagnostics TEXT               -- JSON list of Diagnostic
);
CREATE TABLE epochs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    train_loss REAL,               -- NULL where the loss was not finite (SQLite stores NaN as NULL)
    test_loss REAL,
    lr REAL NOT NULL,
    PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;
";

/// Version 2: the final training loss as a column (filled from the history for existing
/// runs) and indexes for the list's filters.
pub const V2: &str = "
ALTER TABLE runs ADD COLUMN final_loss REAL;
UPDATE runs SET final_loss =
    (SELECT train_loss FROM epochs WHERE run_id = runs.id ORDER BY epoch DESC LIMIT 1);
CREATE INDEX runs_status ON runs(status);
CREATE INDEX runs_experiment ON runs(experiment);
";

/// Version 3: each run's history in its own row, as three blobs of little-endian `f64`
/// ([`crate::history`]), instead of one `epochs` row per epoch (a 1000-run sweep of 300
/// epochs wrote 300,000 rows). [`to_v3`] moves the existing rows over and drops `epochs`.
/// Also an index for `runs list --sweep`.
pub const V3: &str = "
ALTER TABLE runs ADD COLUMN train_loss BLOB;   -- f64 LE per epoch; NaN/inf kept
ALTER TABLE runs ADD COLUMN test_loss BLOB;    -- NULL without a test set
ALTER TABLE runs ADD COLUMN lr BLOB;           -- one f64 when constant, else one per epoch
CREATE INDEX runs_sweep ON runs(sweep);
";

/// Version 4: a recorded sweep's spec kept once, in `sweeps`, and its runs pointing at it.
///
/// A run of a sweep written by [`crate::SweepWriter`] stores its `sweep_ref` (a `sweeps.id`)
/// and its grid `sweep_index`, and leaves `config_toml` and `config_json` NULL: its
/// configuration is rebuilt on read from the spec (`SweepSpec::point` of the index), which
/// is how the sweep built it (serializing a configuration per run cost ~50 µs, more than
/// training the run). SQLite cannot drop a `NOT NULL`, so `runs` is rebuilt with the same
/// columns (ids, and the AUTOINCREMENT high-water mark, kept: see [`to_v4`]).
/// Deleting a sweep's runs leaves its `sweeps` row (one spec text, not worth a lookup on
/// every delete).
pub const V4: &str = "
CREATE TABLE sweeps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,            -- the tag of its runs (runs.sweep)
    spec_toml TEXT NOT NULL,       -- sweep.toml text: nnlab_lab::sweep::files::spec_toml
    experiment TEXT,
    created TEXT NOT NULL          -- UTC RFC 3339
);
CREATE TABLE runs_v4 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    status TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    pid INTEGER,
    experiment TEXT,
    sweep TEXT,
    config_toml TEXT,              -- NULL exactly when sweep_ref is set
    config_json TEXT,
    data_seed INTEGER NOT NULL,
    init_seed INTEGER NOT NULL,
    shuffle_seed INTEGER NOT NULL,
    version TEXT NOT NULL,
    status_detail TEXT,
    epochs_run INTEGER,
    initial_params TEXT,
    final_params TEXT,
    metrics TEXT,
    diagnostics TEXT,
    final_loss REAL,
    train_loss BLOB,
    test_loss BLOB,
    lr BLOB,
    sweep_ref INTEGER REFERENCES sweeps(id),
    sweep_index INTEGER,           -- the run's grid index in its sweep's spec
    CHECK ((sweep_ref IS NULL) = (config_toml IS NOT NULL AND config_json IS NOT NULL)),
    CHECK ((sweep_ref IS NULL) = (sweep_index IS NULL))
);
INSERT INTO runs_v4 (id, status, started, finished, pid, experiment, sweep, config_toml,
    config_json, data_seed, init_seed, shuffle_seed, version, status_detail, epochs_run,
    initial_params, final_params, metrics, diagnostics, final_loss, train_loss, test_loss, lr)
SELECT id, status, started, finished, pid, experiment, sweep, config_toml,
    config_json, data_seed, init_seed, shuffle_seed, version, status_detail, epochs_run,
    initial_params, final_params, metrics, diagnostics, final_loss, train_loss, test_loss, lr
FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v4 RENAME TO runs;
CREATE INDEX runs_status ON runs(status);
CREATE INDEX runs_experiment ON runs(experiment);
CREATE INDEX runs_sweep ON runs(sweep);
";

/// Version 5: a sweep's row says what it plans and who runs it, so the runs of a killed
/// sweep that never finished are marked on the next open
/// ([`crate::Store::mark_interrupted`]).
///
/// `pid` is the recording process; the planned grid indices are
/// `nnlab_lab::sweep::grid::shard_indices(n_runs, shard)` of the spec's run count and the
/// shard `shard_k/shard_n` (every index when both are NULL); `finished` is set once the
/// writer ends (normally or on an error), or once the next open has inserted an
/// `interrupted` row for each planned index without a row. Sweeps recorded before v5 have
/// no plan and count as finished. Nothing is added per run: the plan is one row per sweep.
pub const V5: &str = "
ALTER TABLE sweeps ADD COLUMN pid INTEGER;
ALTER TABLE sweeps ADD COLUMN shard_n INTEGER;
ALTER TABLE sweeps ADD COLUMN shard_k INTEGER CHECK ((shard_k IS NULL) = (shard_n IS NULL)
    AND (shard_k IS NULL OR (1 <= shard_k AND shard_k <= shard_n)));
ALTER TABLE sweeps ADD COLUMN version TEXT;    -- the nnlab version that ran it
ALTER TABLE sweeps ADD COLUMN finished INTEGER NOT NULL DEFAULT 1;
CREATE INDEX sweeps_unfinished ON sweeps(id) WHERE finished = 0;
";

/// Version 6: each finished run's outcome ([`nnlab_lab::verdict::Outcome::name`]: learned,
/// stuck, diverged, ...) as an indexed column for `runs list --outcome`, and the whole
/// verdict (outcome, judged set, R², spread of the predictions, reason) as JSON.
///
/// Runs recorded before v6 keep both NULL and read as outcome unknown: they are not judged
/// again, because the verdict needs the spread of the final network's predictions on the
/// judged rows, which the store never kept (only the metrics, the parameters and the loss
/// history); rebuilding it would mean loading the data again, not reading stored facts.
/// Running and interrupted runs have no outcome either.
pub const V6: &str = "
ALTER TABLE runs ADD COLUMN outcome TEXT;      -- Outcome::name of the verdict
ALTER TABLE runs ADD COLUMN verdict TEXT;      -- JSON of nnlab_lab::verdict::Verdict
CREATE INDEX runs_outcome ON runs(outcome);
";

/// Version 7: the runs of a sweep written a chunk at a time ([`crate::chunk`]). A chunk's
/// histories and facts live in its file beside the database, named by its `chunks` row; each
/// of its runs keeps a row of scalars pointing at it (`chunk`, and its position `chunk_pos`)
/// with the history and JSON columns NULL. Runs recorded before v7, and single runs of
/// `nnlab train`, keep those columns: both kinds read back alike.
pub const V7: &str = "
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sweep_ref INTEGER REFERENCES sweeps(id),
    runs INTEGER NOT NULL,         -- how many runs the file holds
    bytes INTEGER NOT NULL,        -- the file's size as written
    created TEXT NOT NULL          -- UTC RFC 3339
);
ALTER TABLE runs ADD COLUMN chunk INTEGER REFERENCES chunks(id);
ALTER TABLE runs ADD COLUMN chunk_pos INTEGER;
CREATE INDEX runs_chunk ON runs(chunk) WHERE chunk IS NOT NULL;
";

/// The ordered migration steps: `MIGRATIONS[k]` goes from version `k` to `k + 1` (with
/// [`to_v3`] after `V3`'s SQL, and `V4`'s SQL inside [`to_v4`]).
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7];

/// The v3 → v4 step: `V4`'s SQL, keeping AUTOINCREMENT's high-water mark (the largest id
/// ever given, which may belong to a deleted run: ids are never reused) for `runs`.
pub fn to_v4(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    let seq: i64 = tx.query_row(
        "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'runs'), 0)",
        [],
        |r| r.get(0),
    )?;
    tx.execute_batch(V4)?;
    tx.execute(
        "DELETE FROM sqlite_sequence WHERE name IN ('runs', 'runs_v4')",
        [],
    )?;
    tx.execute(
        "INSERT INTO sqlite_sequence (name, seq)
         VALUES ('runs', max(?1, coalesce((SELECT max(id) FROM runs), 0)))",
        [seq],
    )?;
    Ok(())
}

/// The part of the v2 → v3 step SQL cannot do: encode each run's `epochs` rows (in epoch
/// order; a NULL train loss, a non-finite one in v1/v2, becomes NaN) into the blobs, then
/// drop the table. Runs without epoch rows (running ones) keep NULL blobs.
pub fn to_v3(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    let mut histories: Vec<(i64, Vec<nnlab_train::EpochRecord>)> = Vec::new();
    {
        let mut stmt = tx.prepare(
            "SELECT run_id, epoch, train_loss, test_loss, lr FROM epochs ORDER BY run_id, epoch",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let h = nnlab_train::EpochRecord {
                epoch: r.get::<_, i64>(1)?.max(0) as usize,
                train_loss: r.get::<_, Option<f64>>(2)?.unwrap_or(f64::NAN),
                test_loss: r.get(3)?,
                lr: r.get(4)?,
            };
            match histories.last_mut() {
                Some((last, v)) if *last == id => v.push(h),
                _ => histories.push((id, vec![h])),
            }
        }
    }
    let mut update =
        tx.prepare("UPDATE runs SET train_loss = ?1, test_loss = ?2, lr = ?3 WHERE id = ?4")?;
    for (id, h) in &histories {
        let c = crate::history::encode(h);
        update.execute(rusqlite::params![c.train_loss, c.test_loss, c.lr, id])?;
    }
    tx.execute_batch("DROP TABLE epochs;")
}

/// Step `k` of [`MIGRATIONS`] (version `k` to `k + 1`) inside `tx`, without the version
/// bump: `V3`'s SQL then [`to_v3`], [`to_v4`] for `V4`, the SQL alone for the others. (Also
/// how tests build a store exactly as an older version left it.)
pub fn run_step(tx: &rusqlite::Transaction, k: usize) -> rusqlite::Result<()> {
    let step = MIGRATIONS.get(k).ok_or(rusqlite::Error::InvalidQuery)?;
    match k {
        2 => {
            tx.execute_batch(step)?;
            to_v3(tx)
        }
        3 => to_v4(tx),
        _ => tx.execute_batch(step),
    }
}

/// The schema version this build reads and writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Checks that `conn` is an nnlab store (or an empty database) and migrates it to
/// [`CURRENT_VERSION`].
pub fn migrate(conn: &mut Connection, path: &str) -> Result<(), StoreError> {
    let sql = |source| sql_error(path, source);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    let app: i64 = tx
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(sql)?;
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    let tables: i64 = tx
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(sql)?;
    if app != APPLICATION_ID {
        if app != 0 || version != 0 || tables != 0 {
            return Err(StoreError::NotAStore {
                path: path.into(),
                why: format!(
                    "a SQLite database with application_id {app} and {tables} schema objects"
                ),
            });
        }
        tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))
            .map_err(sql)?;
    }
    if version > CURRENT_VERSION {
        return Err(StoreError::TooNew {
            path: path.into(),
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    for k in (version.max(0) as usize)..MIGRATIONS.len() {
        run_step(&tx, k).map_err(sql)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", k + 1))
            .map_err(sql)?;
    }
    tx.commit().map_err(sql)
}

/// Wraps a SQLite error, recognizing "not a database", "read-only" and a damaged file
/// ([`StoreError::Damaged`], with how to recover) as the user's.
pub fn sql_error(path: &str, source: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match source.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotAStore {
            path: path.into(),
            why: "the file is not a SQLite database".into(),
        },
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path: path.into() },
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Damaged {
            path: path.into(),
            why: "database disk image is malformed".into(),
        },
        // SQLite's own words ("unable to open database file", "disk I/O error") do not say
        // what the user can do; these say what happened, with SQLite's words kept after.
        Some(code @ (ErrorCode::DiskFull
        | ErrorCode::SystemIoFailure
        | ErrorCode::CannotOpen
        | ErrorCode::PermissionDenied)) => StoreError::Unavailable {
            path: path.into(),
            what: match code {
                ErrorCode::DiskFull => "the disk is full",
                ErrorCode::SystemIoFailure => {
                    "the disk failed a read or write (full, read-only or removed medium)"
                }
                ErrorCode::PermissionDenied => "permission denied",
                _ => "the file cannot be opened or created (a read-only medium, or no permission on its folder)",
            },
            source,
        },
        _ => StoreError::Sqlite {
            path: path.into(),
            source,
        },
    }
}
