//! Schema v7: a sweep's runs stored a chunk at a time (a file of histories and facts per
//! transaction, a row of scalars per run): a v6 store made through the old schema's SQL
//! migrates and its runs read back beside new ones; deleting a chunk's last run removes its
//! file; stray files are swept; a damaged file is a corrupt run, not a panic.

mod common;

use std::path::{Path, PathBuf};

use nnlab_lab::sweep::{RunDetail, SweepSpec};
use nnlab_lab::Experiment;
use nnlab_store::chunk::{dir_of, file_of};
use nnlab_store::history::encode;
use nnlab_store::schema::{run_step, APPLICATION_ID, CURRENT_VERSION};
use nnlab_store::{RunRecord, Store, StoreError, StoredRun};

/// The course network on 20 rows, 30 epochs, varied by `vary`.
fn spec(vary: &[&str]) -> SweepSpec {
    let mut base = Experiment::default();
    base.set("rows", "20").unwrap();
    base.set("epochs", "30").unwrap();
    SweepSpec::parse(
        base,
        &vary.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
    )
    .unwrap()
}

/// Records `spec` into `path` tagged `tag`; returns the details the sink saw.
fn record(path: &Path, tag: &str, spec: &SweepSpec) -> Vec<RunDetail> {
    common::record_sweep(path, None, tag, spec, spec)
}

fn ids(store: &Store, tag: &str) -> Vec<i64> {
    common::sweep_ids(store, tag)
}

fn chunk_ids(path: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn.prepare("SELECT id FROM chunks ORDER BY id").unwrap();
    let ids = stmt.query_map([], |r| r.get(0)).unwrap();
    ids.collect::<Result<_, _>>().unwrap()
}

fn chunk_file(path: &Path, id: i64) -> PathBuf {
    file_of(&dir_of(path.to_str().unwrap()), id)
}

/// Everything of a stored run but its id and times.
fn content(r: &StoredRun) -> impl PartialEq + std::fmt::Debug {
    let s = &r.summary;
    let bits: Vec<_> = r
        .history
        .iter()
        .map(|h| (h.train_loss.to_bits(), h.lr.to_bits()))
        .collect();
    (
        (s.status, s.seeds, s.epochs_run, s.final_loss, s.outcome),
        (s.config.clone(), s.metrics.clone(), r.config_toml.clone()),
        (
            r.status_detail.clone(),
            r.diagnostics.clone(),
            r.verdict.clone(),
        ),
        (r.initial_params.clone(), r.final_params.clone(), bits),
    )
}

#[test]
fn a_v6_store_migrates_and_its_sweep_runs_read_back_beside_chunked_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.sqlite");
    let spec = spec(&["lr=0.05", "seed=0..2"]);
    // The details of the sweep, from a store of its own.
    let details = record(&dir.path().join("scratch.sqlite"), "scratch", &spec);
    let d = details.iter().find(|d| d.index == 1).unwrap();
    {
        // A store as version 6 left it (the steps as `schema::migrate` runs them), with the
        // run as v6's sweep writer wrote it: its grid index, history blobs, JSON texts.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for k in 0..6 {
            run_step(&tx, k).unwrap();
        }
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 6;"
        ))
        .unwrap();
        tx.execute(
            "INSERT INTO sweeps (name, spec_toml, created) VALUES ('old', ?1, 'x')",
            [nnlab_lab::sweep::files::spec_toml(&spec).unwrap()],
        )
        .unwrap();
        let h = encode(&d.history);
        tx.execute(
            "INSERT INTO runs (status, started, finished, sweep, data_seed, init_seed,
                 shuffle_seed, version, status_detail, epochs_run, initial_params,
                 final_params, metrics, diagnostics, final_loss, train_loss, test_loss, lr,
                 sweep_ref, sweep_index, outcome, verdict)
             VALUES ('completed', '2026-12-02T10:00:00.000Z', '2026-12-02T10:00:01.000Z',
                 'old', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULL, ?13,
                 1, 1, ?14, ?15)",
            rusqlite::params![
                d.seeds.0 as i64,
                d.seeds.1 as i64,
                d.seeds.2 as i64,
                nnlab_store::VERSION,
                text(&d.status),
                d.history.len() as i64,
                text(&d.initial),
                text(&d.final_params),
                text(&d.metrics),
                text(&d.diagnostics),
                d.history.last().map(|h| h.train_loss),
                h.train_loss,
                h.lr,
                d.verdict.outcome.name(),
                text(&d.verdict),
            ],
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!((version, CURRENT_VERSION), (7, 7));
    // The same sweep recorded now (chunked), and the run recorded whole (inline columns).
    record(&path, "new", &spec);
    let whole = RunRecord::of_detail(d, &common::config_of(&spec, d))
        .unwrap()
        .tagged(None, Some("whole"));
    let whole_id = store.record(&whole).unwrap();
    let whole = store.get(whole_id).unwrap();
    let old = store.get(ids(&store, "old")[0]).unwrap();
    let new: Vec<StoredRun> = ids(&store, "new")
        .iter()
        .map(|&id| store.get(id).unwrap())
        .collect();
    let new = new.iter().find(|r| r.summary.seeds == d.seeds).unwrap();
    assert_eq!(content(&old), content(&whole));
    assert_eq!(content(new), content(&whole));
    assert_eq!(old.history.len(), 30);
}

/// A detail's part as v6 stored it (`serde_json::to_string`).
fn text<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

#[test]
fn deleting_the_last_run_of_a_chunk_removes_its_file_and_stray_files_are_swept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    // Two writers: at least two chunks.
    let spec = spec(&["lr=0.01,0.05", "seed=0..20"]);
    record(&path, "s", &spec);
    record(&path, "s", &spec);
    let store = Store::open(&path).unwrap();
    let runs = ids(&store, "s");
    assert_eq!(runs.len(), 80);
    let chunks = chunk_ids(&path);
    assert!(chunks.iter().all(|&c| chunk_file(&path, c).exists()));
    // Keep the first run only: every other chunk loses its last run, and its file.
    assert_eq!(store.delete(&runs[1..]).unwrap(), 79);
    let left = chunk_ids(&path);
    assert_eq!(left.len(), 1);
    for c in &chunks {
        assert_eq!(
            chunk_file(&path, *c).exists(),
            left.contains(c),
            "chunk {c}"
        );
    }
    assert_eq!(store.get(runs[0]).unwrap().history.len(), 30);
    // A file of a chunk that was never committed (same name pattern, no row) is swept;
    // other files, and a name past the last id given (a writer about to commit), are not.
    let max = *chunks.iter().max().unwrap();
    let gone = chunks.iter().filter(|c| !left.contains(c)).max().unwrap();
    let stray = chunk_file(&path, *gone);
    let future = chunk_file(&path, max + 1);
    let notes = dir_of(path.to_str().unwrap()).join("notes.txt");
    for f in [&stray, &future, &notes] {
        std::fs::write(f, b"x").unwrap();
    }
    assert_eq!(store.remove_orphan_chunks().unwrap(), 1);
    assert!(!stray.exists());
    assert!(future.exists() && notes.exists());
    assert!(chunk_file(&path, left[0]).exists());
}

#[test]
fn a_damaged_chunk_file_is_a_corrupt_run_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    record(&path, "s", &spec(&["seed=0..3"]));
    let store = Store::open(&path).unwrap();
    let id = ids(&store, "s")[0];
    let file = chunk_file(&path, chunk_ids(&path)[0]);
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() - 5]).unwrap();
    let err = store.get(id).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("the file has"), "{err}");
    std::fs::remove_file(&file).unwrap();
    let err = store.history(id).unwrap_err().to_string();
    assert!(err.contains(".nnc"), "{err}");
}
