//! Opening a store: where it lives, WAL mode and pragmas, migrations, and the retry when
//! two processes create one store at once.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{check, Store};
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
    platform_default().ok_or(StoreError::NoDataDir)
}

/// `nnlab/runs.sqlite` in the platform's data directory, the one store whose folder
/// [`Store::open`] creates.
fn platform_default() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("nnlab").join("runs.sqlite"))
}

impl Store {
    /// Opens (creating if needed) the store at `path`, checks that it is not damaged
    /// (a damaged one is refused with how to recover), migrates it to the current schema, and
    /// marks `running` rows whose process is gone as `interrupted`.
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
                    // Only the default location's folder is ours to create: a mistyped
                    // `--store /nonexistent/dir/x.sqlite` made folders at the root.
                    if platform_default().as_deref() == Some(path) {
                        std::fs::create_dir_all(dir).map_err(io)?;
                    } else if !dir.is_dir() {
                        return Err(StoreError::NoFolder {
                            path: name,
                            dir: dir.display().to_string(),
                        });
                    }
                }
            }
        }
        check::check_header(path, &name)?;
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
    // Before the migrations write anything: a damaged store takes no more writes.
    check::check_pages(conn, name)?;
    migrate(conn, name)
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}
