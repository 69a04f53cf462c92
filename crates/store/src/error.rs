//! The store's error type: every failure names the store file it concerns.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// The file exists but is not an nnlab run store (a text file, another program's
    /// SQLite database): we refuse to touch it rather than add tables to someone else's data.
    #[error("{path}: not an nnlab run store ({why}); choose another file with --store PATH or NNLAB_STORE")]
    NotAStore { path: String, why: String },
    /// Written by a newer nnlab whose schema this one does not know.
    #[error("{path}: run store schema version {found} is newer than this nnlab understands ({supported}); upgrade nnlab")]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    /// The file is an SQLite database whose pages do not hold together (cut short,
    /// overwritten): writing into it could bury more runs, so nothing is written.
    #[error("{path}: the run store is damaged ({why}); nothing was written. Recover its runs with `sqlite3 {path} .recover | sqlite3 {path}.recovered` and move that file into place, or move {path} aside to start a new store")]
    Damaged { path: String, why: String },
    /// A sweep's writer could not store every run (a full disk): the runs it stored stay,
    /// and the sweep is not finished ([`crate::Store::sweep_status`] says `incomplete`).
    #[error(
        "sweep {sweep}: {stored} of its {planned} runs stored, the sweep is incomplete: {source}"
    )]
    SweepIncomplete {
        sweep: String,
        stored: usize,
        planned: usize,
        #[source]
        source: Box<StoreError>,
    },
    #[error("{path}: the run store is read-only (make it writable, or pass --no-store)")]
    ReadOnly { path: String },
    /// The medium or the system refused: a full disk, a read-only medium, no permission.
    #[error("{path}: {what} (SQLite: {source}); choose another file with --store PATH, or pass --no-store")]
    Unavailable {
        path: String,
        what: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    /// A `--store` (or `NNLAB_STORE`) path whose folder does not exist: only the default
    /// location's folder is created.
    #[error("{path}: the folder {dir} does not exist; create it, or choose a file in an existing folder with --store PATH or NNLAB_STORE")]
    NoFolder { path: String, dir: String },
    #[error("no platform data directory to keep runs in; pass --store PATH or set NNLAB_STORE")]
    NoDataDir,
    #[error("no run with id {id} in {path}")]
    NotFound { path: String, id: i64 },
    #[error("{path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A stored JSON column that does not read back (a hand-edited row).
    #[error("{path}: run {id}: {what}: {message}")]
    Corrupt {
        path: String,
        id: i64,
        what: String,
        message: String,
    },
    /// Writing a Parquet file (`runs export --format parquet`).
    #[error("{path}: {source}")]
    Parquet {
        path: String,
        #[source]
        source: parquet::errors::ParquetError,
    },
    #[error("{key}: {message}")]
    Input { key: String, message: String },
    #[error(transparent)]
    Lab(#[from] nnlab_lab::LabError),
}

impl StoreError {
    /// True when the user can fix it (a path, a flag, a file); false for our own failures.
    pub fn is_input_error(&self) -> bool {
        match self {
            StoreError::Sqlite { source, .. } => !matches!(
                source,
                rusqlite::Error::ToSqlConversionFailure(_) | rusqlite::Error::InvalidQuery
            ),
            StoreError::Lab(e) => e.is_input_error(),
            StoreError::SweepIncomplete { source, .. } => source.is_input_error(),
            StoreError::Parquet { .. } => false,
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::schema::sql_error;
    use rusqlite::ffi;

    fn failure(code: std::os::raw::c_int) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(ffi::Error::new(code), None)
    }

    // Issue 17: a full disk and a read-only medium reached the user as SQLite's "database or
    // disk is full" / "unable to open database file"; each now says what happened and what to
    // do, SQLite's words kept after. (Root ignores permissions, so the codes are built here
    // rather than provoked on a real medium.)
    #[test]
    fn medium_failures_say_what_happened() {
        let text = |code| sql_error("/media/ro/runs.sqlite", failure(code)).to_string();
        let advice = "); choose another file with --store PATH, or pass --no-store";
        for (code, what) in [
            (ffi::SQLITE_FULL, "the disk is full"),
            (
                ffi::SQLITE_CANTOPEN,
                "the file cannot be opened or created (a read-only medium, or no permission on its folder)",
            ),
            (
                ffi::SQLITE_IOERR,
                "the disk failed a read or write (full, read-only or removed medium)",
            ),
            (ffi::SQLITE_PERM, "permission denied"),
        ] {
            let t = text(code);
            assert!(
                t.starts_with(&format!("/media/ro/runs.sqlite: {what} (SQLite: ")),
                "{t}"
            );
            assert!(t.ends_with(advice), "{t}");
        }
        assert_eq!(
            text(ffi::SQLITE_READONLY),
            "/media/ro/runs.sqlite: the run store is read-only (make it writable, or pass --no-store)"
        );
    }
}
