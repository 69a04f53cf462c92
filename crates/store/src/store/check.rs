//! Checking a store as it opens, so a damaged file refuses writes instead of taking runs
//! it may lose (issue 17: `runs list` said "database disk image is malformed" while
//! `train` and `sweep` into the same file printed "recorded").
//!
//! Two checks, both cheap:
//! - [`check_header`], before SQLite touches the file: an SQLite header whose page size is
//!   not one SQLite writes, or a file shorter than the page count its header states (a copy
//!   cut short). O(1): one read of 100 bytes.
//! - [`check_pages`], once open: `PRAGMA quick_check`, which walks every page's b-tree
//!   structure (not the index contents `integrity_check` compares as well). It reads the
//!   whole file: 11-16 ms of CPU for a 5.6 MB store of 20,000 sweep runs (283 bytes a run;
//!   100-290 ms wall on this 2-core machine at load average 25; python's sqlite3 3.40 on
//!   a store written by nnlab, checkpointed), so it runs only on stores up to
//!   [`QUICK_CHECK_BYTES`]; a larger store is checked by its header alone, and damage met
//!   later by any statement is still refused with the same advice (SQLite's "malformed"
//!   becomes [`StoreError::Damaged`] in [`crate::schema::sql_error`]).

use std::io::Read;
use std::path::Path;

use rusqlite::Connection;

use crate::schema::sql_error;
use crate::StoreError;

/// Stores up to this size (pages in use, WAL included) get `PRAGMA quick_check` on every
/// open: 4 MiB is about 15,000 sweep runs (a run's row and index entries take ~283 bytes;
/// histories live in chunk files), checked in about 10 ms of CPU.
pub const QUICK_CHECK_BYTES: u64 = 4 << 20;

const MAGIC: &[u8; 16] = b"SQLite format 3\0";

fn damaged(name: &str, why: String) -> StoreError {
    StoreError::Damaged {
        path: name.to_string(),
        why,
    }
}

/// The header of the file at `path` against its size; a file that is not SQLite at all is
/// left to SQLite (it is "not an nnlab run store", not a damaged one).
pub(super) fn check_header(path: &Path, name: &str) -> Result<(), StoreError> {
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(());
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut header = [0u8; 100];
    let mut got = 0;
    while got < header.len() {
        match file.read(&mut header[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    if got < 16 || &header[..16] != MAGIC {
        return Ok(());
    }
    if got < header.len() {
        return Err(damaged(
            name,
            format!("cut short: {len} bytes, less than its header"),
        ));
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        p => u64::from(p),
    };
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(damaged(
            name,
            format!("its header's page size {page_size} is not valid"),
        ));
    }
    // The page count is valid only while the change counter matches the version it was
    // written with. With a WAL in use the main file may lag behind its own header for a
    // moment (a checkpoint writes page 1 first), so the size is compared only without one.
    let pages = u64::from(be32(28));
    let wal_in_use =
        std::fs::metadata(format!("{}-wal", path.display())).is_ok_and(|m| m.len() > 0);
    if be32(24) == be32(92) && pages > 0 && !wal_in_use && len < pages * page_size {
        return Err(damaged(
            name,
            format!(
                "cut short: {len} bytes where its header says {pages} pages of {page_size} bytes"
            ),
        ));
    }
    Ok(())
}

/// `PRAGMA quick_check` on an open store of up to [`QUICK_CHECK_BYTES`].
pub(super) fn check_pages(conn: &Connection, name: &str) -> Result<(), StoreError> {
    let sql = |source| sql_error(name, source);
    let size: i64 = conn
        .query_row(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            [],
            |r| r.get(0),
        )
        .map_err(sql)?;
    if u64::try_from(size).unwrap_or(u64::MAX) > QUICK_CHECK_BYTES {
        return Ok(());
    }
    let first: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(sql)?;
    if first == "ok" {
        Ok(())
    } else {
        Err(damaged(name, first))
    }
}
