//! Issue 17: a damaged store refuses writes with how to recover, instead of taking runs
//! into a file `runs list` calls malformed; a sweep whose runs could not all be stored is
//! not `finished` but `incomplete`, with the count.

use std::path::Path;

use nnlab_lab::sweep::{run_sweep_with, SweepSpec};
use nnlab_lab::Experiment;
use nnlab_store::{Store, StoreError, SweepState, SweepStatus, SweepWriter};

/// 9 runs (seeds 0..9) of 20 generated rows and 6 epochs: small and quick.
fn spec() -> SweepSpec {
    let mut base = Experiment::default();
    base.set("rows", "20").unwrap();
    base.set("epochs", "6").unwrap();
    SweepSpec::parse(base, &["seed=0..9".into()]).unwrap()
}

/// A store at `path` holding one recorded sweep `tag`, folded into the main file (no WAL
/// left), as a closed store is.
fn recorded(path: &Path, tag: &str) {
    let spec = spec();
    let writer = SweepWriter::start(path, None, tag, &spec, None).unwrap();
    run_sweep_with(&spec, None, Some(&|runs| writer.add(runs))).unwrap();
    writer.finish().unwrap();
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
}

fn damaged_why(err: StoreError) -> String {
    let text = err.to_string();
    assert!(
        text.contains("the run store is damaged") && text.contains(".recover"),
        "{text}"
    );
    match err {
        StoreError::Damaged { why, .. } => why,
        other => panic!("not Damaged: {other:?}"),
    }
}

/// The page number of the leftmost leaf of table `name`'s b-tree (its oldest rows), from
/// the file format: an interior table page (type 5) has a 12-byte header, then 2-byte cell
/// offsets; a cell starts with its left child's 4-byte page number.
fn leftmost_leaf(path: &Path, name: &str) -> (usize, usize) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut page: usize = conn
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let bytes = std::fs::read(path).unwrap();
    let size = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
    let at = |p: usize| &bytes[(p - 1) * size..p * size];
    assert_eq!(at(page)[0], 5, "the table fits one page: record more runs");
    while at(page)[0] == 5 {
        let cell = u16::from_be_bytes([at(page)[12], at(page)[13]]) as usize;
        page = u32::from_be_bytes(at(page)[cell..cell + 4].try_into().unwrap()) as usize;
    }
    (page, size)
}

#[test]
fn a_store_with_a_damaged_page_refuses_writes_and_says_how_to_recover() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    // 90 runs: their rows fill several leaf pages of `runs`.
    for tag in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] {
        recorded(&path, tag);
    }
    // The page of the oldest runs overwritten (as a bad copy or a disk error leaves it).
    let (leaf, size) = leftmost_leaf(&path, "runs");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[(leaf - 1) * size..leaf * size].fill(0xA5);
    std::fs::write(&path, &bytes).unwrap();
    // What the open used to do reads fine (no running run, no unfinished sweep: indexes
    // only), and so does a new row (it goes into the newest page), but every list scans
    // the damaged page: the bug of issue 17, "recorded" into a store `runs list` calls
    // malformed.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let running: i64 = conn
            .query_row(
                "SELECT count(*) FROM runs WHERE status = 'running'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(running, 0);
        let scan = conn.query_row("SELECT sum(epochs_run) FROM runs", [], |r| {
            r.get::<_, i64>(0)
        });
        assert!(scan.unwrap_err().to_string().contains("malformed"));
    }
    let err = Store::open(&path).err().expect("a damaged store opened");
    damaged_why(err);
    // Nothing was written: the file is as it was, byte for byte.
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    // A sweep into it fails before any training.
    assert!(matches!(
        SweepWriter::start(&path, None, "t", &spec(), None),
        Err(StoreError::Damaged { .. })
    ));
}

#[test]
fn a_store_cut_short_is_refused_by_its_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    recorded(&path, "s");
    let bytes = std::fs::read(&path).unwrap();
    let page = u16::from_be_bytes([bytes[16], bytes[17]]) as u64;
    let pages = u32::from_be_bytes([bytes[28], bytes[29], bytes[30], bytes[31]]) as u64;
    assert_eq!(bytes.len() as u64, pages * page);
    let half = (pages / 2) * page;
    std::fs::write(&path, &bytes[..half as usize]).unwrap();
    let why = damaged_why(Store::open(&path).err().expect("a cut store opened"));
    assert_eq!(
        why,
        format!("cut short: {half} bytes where its header says {pages} pages of {page} bytes")
    );
}

#[test]
fn a_whole_sweep_is_finished_and_one_whose_runs_were_not_stored_is_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    recorded(&path, "whole");
    let store = Store::open(&path).unwrap();
    let finished = store.sweep_status("whole").unwrap().unwrap();
    assert_eq!(
        finished,
        SweepStatus {
            state: SweepState::Finished,
            stored: 9,
            planned: 9
        }
    );
    assert_eq!(finished.to_string(), "finished (9 of 9 runs stored)");
    assert_eq!(store.sweep_status("no such sweep").unwrap(), None);
    drop(store);

    // The chunk folder replaced by a file once the writer started: no chunk can be written
    // (as on a full disk), and the writer says so when it ends, with the count.
    let spec = spec();
    let writer = SweepWriter::start(&path, None, "lost", &spec, None).unwrap();
    let chunks = dir.path().join("runs.sqlite-chunks");
    std::fs::remove_dir_all(&chunks).unwrap();
    std::fs::write(&chunks, "in the way").unwrap();
    run_sweep_with(&spec, None, Some(&|runs| writer.add(runs))).unwrap();
    let err = writer.finish().unwrap_err();
    assert!(
        err.to_string()
            .starts_with("sweep lost: 0 of its 9 runs stored, the sweep is incomplete: "),
        "{err}"
    );
    std::fs::remove_file(&chunks).unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.sweep_status("lost").unwrap().unwrap().to_string(),
        "incomplete (0 of 9 runs stored)"
    );
}
