//! Opening a store and writing runs into it.
//!
//! Reliability: the database runs in WAL mode (readers never block the writer, and a
//! process killed mid-write leaves the last committed state), every write is one
//! `BEGIN IMMEDIATE` transaction (two writing processes queue on the lock for up to
//! [`BUSY_TIMEOUT`] instead of failing), and `synchronous = NORMAL`, which in WAL mode
//! survives a killed process (only a power loss may drop the latest commits).

use rusqlite::Connection;

use crate::schema::sql_error;
use crate::StoreError;

mod check;
pub(crate) mod interrupted;
mod open;
mod recorder;
mod write;

pub use check::QUICK_CHECK_BYTES;
pub use interrupted::STALE_AFTER;
pub use open::{default_path, BUSY_TIMEOUT};
pub use recorder::Recorder;

/// An open run store.
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) path: String,
}

impl Store {
    /// The file this store lives in.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub(crate) fn sql(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| sql_error(&self.path, source)
    }
}
