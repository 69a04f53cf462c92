//! Schema v5: a sweep's row records its writer's pid, its planned grid indices (the shard)
//! and whether it finished; the next open gives a sweep whose writer died an `interrupted`
//! row for every planned run it never wrote, once. Migration from v4. (The kill -9 itself
//! is in `processes.rs`; here a dead writer is simulated with the pid of an exited child.)

mod common;
use common::rerun;

use std::path::Path;

use nnlab_lab::sweep::files::spec_toml;
use nnlab_lab::sweep::{run_sweep_with, Shard, SweepSpec};
use nnlab_lab::Experiment;
use nnlab_store::schema::{to_v3, to_v4, APPLICATION_ID, CURRENT_VERSION, V1, V2, V3};
use nnlab_store::{Filter, RunStatus, RunSummary, Store, SweepWriter};

/// 9 runs (seeds 0..9) of 20 generated rows and 6 epochs: small and quick.
fn spec() -> SweepSpec {
    let mut base = Experiment::default();
    base.set("rows", "20").unwrap();
    base.set("epochs", "6").unwrap();
    SweepSpec::parse(base, &["seed=0..9".into()]).unwrap()
}

/// Records `spec` (its shard `shard`) through a finished writer tagged `tag`.
fn record(path: &Path, tag: &str, spec: &SweepSpec, shard: Option<Shard>) {
    let writer = SweepWriter::start(path, None, tag, spec, shard).unwrap();
    run_sweep_with(spec, shard, Some(&|runs| writer.add(runs))).unwrap();
    writer.finish().unwrap();
}

fn listed(store: &Store, tag: &str, status: Option<RunStatus>) -> Vec<RunSummary> {
    store
        .list(&Filter {
            sweep: Some(tag.into()),
            status,
            ..Filter::default()
        })
        .unwrap()
}

/// The pid of a process that existed and has exited: a child we waited for.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    child.wait().unwrap();
    child.id()
}

fn sweep_column(path: &Path, column: &str) -> Option<i64> {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(&format!("SELECT {column} FROM sweeps"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_finished_sweep_records_its_plan_and_gets_no_interrupted_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    record(&path, "whole", &spec(), Some(Shard { k: 2, n: 3 }));
    assert_eq!(sweep_column(&path, "finished"), Some(1));
    assert_eq!(
        sweep_column(&path, "pid"),
        Some(i64::from(std::process::id()))
    );
    assert_eq!(
        (
            sweep_column(&path, "shard_k"),
            sweep_column(&path, "shard_n")
        ),
        (Some(2), Some(3))
    );
    // Even with its writer's pid gone, a finished sweep is left alone.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE sweeps SET pid = ?1", [dead_pid()])
        .unwrap();
    let store = Store::open(&path).unwrap();
    // Shard 2/3 of 9 runs: indices 1, 4, 7 (shard_indices).
    assert_eq!(listed(&store, "whole", None).len(), 3);
    assert!(listed(&store, "whole", Some(RunStatus::Interrupted)).is_empty());
}

#[test]
fn a_writer_dropped_without_finish_still_marks_its_sweep_finished() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    let spec = spec();
    {
        let writer = SweepWriter::start(&path, None, "dropped", &spec, None).unwrap();
        // While the writer lives, in this (live) process, an open marks nothing.
        assert_eq!(sweep_column(&path, "finished"), Some(0));
        let store = Store::open(&path).unwrap();
        assert!(listed(&store, "dropped", None).is_empty());
        drop(writer);
    }
    assert_eq!(sweep_column(&path, "finished"), Some(1));
}

#[test]
fn a_dead_writers_unwritten_runs_are_marked_interrupted_once_and_rerun_from_scratch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    let spec = spec();
    record(&path, "killed", &spec, Some(Shard { k: 2, n: 3 }));
    // As if the writer had died after writing runs 1 and 7 of its shard (1, 4, 7): its
    // row unfinished, its pid gone, run 4 never written.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("DELETE FROM runs WHERE sweep_index = 4")
        .unwrap();
    conn.execute("UPDATE sweeps SET finished = 0, pid = ?1", [dead_pid()])
        .unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap();
    let interrupted = listed(&store, "killed", Some(RunStatus::Interrupted));
    assert_eq!(interrupted.len(), 1);
    let run = &interrupted[0];
    // Grid index 4 of `seed=0..9` is seed 4: its configuration rebuilt from the spec.
    assert_eq!(run.config["seed"], 4, "{}", run.config);
    let exp = spec.experiment(&spec.point(4)).unwrap();
    assert_eq!(run.seeds, exp.seeds());
    assert_eq!(run.finished, None);
    let mut all: Vec<i64> = listed(&store, "killed", None)
        .iter()
        .map(|r| r.config["seed"].as_i64().unwrap())
        .collect();
    all.sort();
    assert_eq!(all, [1, 4, 7]);
    assert_eq!(sweep_column(&path, "finished"), Some(1));
    drop(store);

    // A second open adds nothing.
    let store = Store::open(&path).unwrap();
    assert_eq!(listed(&store, "killed", None).len(), 3);

    // Rerunning it trains it and says there was nothing to compare.
    let stored = store.get(run.id).unwrap();
    assert_eq!(stored.config_toml, exp.to_toml().unwrap());
    let (report, result) = rerun(&stored);
    assert!(!report.compared && !report.identical());
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    assert_eq!((report.epochs, result.history.len()), (6, 6));
}

#[test]
fn a_v4_store_migrates_and_its_sweeps_count_as_finished() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.sqlite");
    let spec = spec();
    {
        // A store as version 4 left it: a sweep of 9 planned runs of which only index 0
        // was written (v4 kept no plan, so nothing can be said of the other 8).
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(V1).unwrap();
        conn.execute_batch(V2).unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(V3).unwrap();
        to_v3(&tx).unwrap();
        to_v4(&tx).unwrap();
        tx.commit().unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 4;"
        ))
        .unwrap();
        conn.execute(
            "INSERT INTO sweeps (id, name, spec_toml, experiment, created)
             VALUES (1, 'old', ?1, NULL, '2024-03-01T12:00:00.000Z')",
            [spec_toml(&spec).unwrap()],
        )
        .unwrap();
        conn.execute_batch(
            "INSERT INTO runs (id, status, started, data_seed, init_seed, shuffle_seed,
                 version, sweep, sweep_ref, sweep_index)
             VALUES (3, 'completed', '2024-03-01T12:00:00.000Z', 0, 0, 0, '0.0.4', 'old',
                 1, 0);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, CURRENT_VERSION);
    assert_eq!(sweep_column(&path, "finished"), Some(1));
    assert_eq!(sweep_column(&path, "pid"), None);
    let runs = listed(&store, "old", None);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].config["seed"], 0);
    // A v5 shard column refuses what is not 1 <= K <= N.
    let bad = conn.execute("UPDATE sweeps SET shard_k = 3, shard_n = 2", []);
    assert!(bad.is_err());
}
