//! The store's behaviour on real runs: what goes in comes back to the bit, filters,
//! deleting, pruning, interrupted runs, migrations, and files that are not ours.

mod common;
use common::rerun;

use std::path::Path;

use nnlab_lab::{run, Experiment, RunResult};
use nnlab_store::clock::now_rfc3339;
use nnlab_store::schema::{APPLICATION_ID, CURRENT_VERSION, V1, V2};
use nnlab_store::{Condition, Filter, ParamList, RunRecord, RunStatus, Store, StoreError};

/// A small run of the course network: 20 generated rows, 15 epochs.
fn small(lr: &str, seed: &str) -> RunResult {
    let mut exp = Experiment::default();
    exp.set("rows", "20").unwrap();
    exp.set("epochs", "15").unwrap();
    exp.set("lr", lr).unwrap();
    exp.set("seed", seed).unwrap();
    run(&exp, &mut |_| {}).unwrap()
}

fn record(result: &RunResult) -> RunRecord {
    RunRecord::finished(result, now_rfc3339(), now_rfc3339()).unwrap()
}

#[test]
fn a_recorded_run_reads_back_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("runs.sqlite")).unwrap();
    let result = small("0.01", "3");
    let id = store
        .record(&record(&result).tagged(Some("course"), None))
        .unwrap();
    let back = store.get(id).unwrap();
    assert_eq!(back.summary.status, RunStatus::Completed);
    assert_eq!(back.summary.experiment.as_deref(), Some("course"));
    assert_eq!(back.summary.seeds, (3, 3, 3));
    assert_eq!(back.summary.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(back.history, result.history);
    assert_eq!(back.summary.final_loss, result.epoch_loss().last().copied());
    let final_params = ParamList::parse(back.final_params.as_deref().unwrap()).unwrap();
    let expected: Vec<(String, Option<f64>)> = result
        .final_params()
        .0
        .iter()
        .map(|(n, v)| (n.clone(), Some(*v)))
        .collect();
    assert_eq!(final_params.0, expected);
    assert_eq!(
        Experiment::from_toml_str(&back.config_toml).unwrap(),
        result.config
    );
    // The rerun trains again from the stored TOML and finds the same bits.
    let (report, _) = rerun(&back);
    assert!(report.identical(), "{:?}", report.differences);
    assert_eq!((report.epochs, report.parameters), (15, 9));
}

#[test]
fn rerun_lists_what_differs() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("runs.sqlite")).unwrap();
    let id = store.record(&record(&small("0.01", "0"))).unwrap();
    let mut stored = store.get(id).unwrap();
    // As if the stored run had come from different code: one epoch's loss off by one ulp.
    stored.history[4].train_loss = f64::from_bits(stored.history[4].train_loss.to_bits() + 1);
    let (report, _) = rerun(&stored);
    assert_eq!(report.differences.len(), 1, "{:?}", report.differences);
    assert!(report.differences[0].starts_with("epoch 5 train_loss"));
}

#[test]
fn list_filters_and_orders_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("runs.sqlite")).unwrap();
    let a = record(&small("0.01", "0")).tagged(Some("a"), None);
    let b = record(&small("0.05", "0")).tagged(Some("b"), Some("lr"));
    let c = record(&small("0.05", "1")).tagged(Some("b"), Some("lr"));
    let ids = store.record_many(&[a, b, c]).unwrap();
    let all = store.list(&Filter::default()).unwrap();
    // Same-millisecond starts fall back to the id: newest (largest) first.
    let mut newest_first = ids.clone();
    newest_first.sort_by(|x, y| y.cmp(x));
    assert_eq!(all.iter().map(|r| r.id).collect::<Vec<_>>(), newest_first);
    let lr = Filter {
        conditions: vec![Condition::parse("lr=0.050").unwrap()],
        ..Filter::default()
    };
    assert_eq!(store.list(&lr).unwrap().len(), 2);
    let by_name = Filter {
        experiment: Some("a".into()),
        ..Filter::default()
    };
    assert_eq!(store.list(&by_name).unwrap()[0].id, ids[0]);
    let limited = Filter {
        limit: Some(1),
        ..lr
    };
    assert_eq!(store.list(&limited).unwrap().len(), 1);
}

#[test]
fn diverged_runs_are_kept_with_their_status_and_prune_removes_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("runs.sqlite")).unwrap();
    // lr 1 on a linear (identity) network diverges in the first epoch (the same setting as
    // nnlab-lab's `divergence_is_reported_not_raised`).
    let mut exp = Experiment::default();
    exp.set("activation", "identity").unwrap();
    exp.set("lr", "1").unwrap();
    let diverged = run(&exp, &mut |_| {}).unwrap();
    assert!(nnlab_lab::diverged(&diverged));
    store.record(&record(&diverged)).unwrap();
    let kept = store.record(&record(&small("0.01", "0"))).unwrap();
    let only = Filter {
        status: Some(RunStatus::Diverged),
        ..Filter::default()
    };
    assert_eq!(store.list(&only).unwrap().len(), 1);
    let deleted = store
        .prune(&nnlab_store::Prune {
            status: Some(RunStatus::Diverged),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(deleted.len(), 1);
    assert!(store.list(&only).unwrap().is_empty());
    assert_eq!(store.list(&Filter::default()).unwrap()[0].id, kept);
    assert_eq!(store.delete(&[kept, 999]).unwrap(), 1);
    assert!(matches!(store.get(kept), Err(StoreError::NotFound { .. })));
}

#[test]
fn a_running_row_of_a_vanished_process_becomes_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    let mut store = Store::open(&path).unwrap();
    let exp = Experiment::default();
    let mine = store
        .begin(&RunRecord::starting(&exp, now_rfc3339()).unwrap())
        .unwrap();
    let gone = store
        .begin(&RunRecord::starting(&exp, now_rfc3339()).unwrap())
        .unwrap();
    // A pid that existed and has exited: a child we waited for.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    child.wait().unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE runs SET pid = ?1 WHERE id = ?2", (child.id(), gone))
        .unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.get(gone).unwrap().summary.status,
        RunStatus::Interrupted
    );
    // Our own process is alive: its row stays running.
    assert_eq!(store.get(mine).unwrap().summary.status, RunStatus::Running);
    // Rerunning the interrupted run trains it; nothing was stored to compare it with.
    let (report, result) = rerun(&store.get(gone).unwrap());
    assert!(!report.compared && report.differences.is_empty());
    // The report counts the epochs of the fresh training.
    assert_eq!(report.epochs, result.history.len());
    assert!(report.epochs > 0);
}

#[test]
fn a_v1_store_migrates_keeping_its_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    {
        // A store exactly as version 1 left it, with one run and two epochs.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(V1).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 1;
             INSERT INTO runs (id, status, started, config_toml, config_json, data_seed,
                 init_seed, shuffle_seed, version, epochs_run)
             VALUES (7, 'completed', '2024-03-01T12:00:00.000Z', 'seed = 0', '{{\"seed\":0}}',
                 0, 0, 0, '0.0.1', 2);
             INSERT INTO epochs VALUES (7, 1, 0.5, NULL, 0.01), (7, 2, 0.25, NULL, 0.01);"
        ))
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, CURRENT_VERSION);
    let run = store.get(7).unwrap();
    assert_eq!(run.history.len(), 2);
    // v2's final_loss is filled from the last epoch of the kept history.
    assert_eq!(run.summary.final_loss, Some(0.25));
    assert_eq!(run.summary.version, "0.0.1");
}

#[test]
fn a_v2_store_moves_its_epoch_rows_into_history_blobs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.sqlite");
    {
        // A store as version 2 left it: a finished run with a test set whose third epoch's
        // train loss was not finite (stored as NULL), a plateau lr, and a running run.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(V1).unwrap();
        conn.execute_batch(V2).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 2;
             INSERT INTO runs (id, status, started, config_toml, config_json, data_seed,
                 init_seed, shuffle_seed, version, epochs_run, final_loss)
             VALUES (3, 'diverged', '2024-03-01T12:00:00.000Z', 'seed = 0', '{{\"seed\":0}}',
                 0, 0, 0, '0.0.2', 3, NULL),
                    (4, 'running', '2024-03-01T12:00:01.000Z', 'seed = 1', '{{\"seed\":1}}',
                 1, 1, 1, '0.0.2', NULL, NULL);
             INSERT INTO epochs VALUES (3, 1, 0.5, 0.75, 0.1), (3, 2, 0.25, 0.5, 0.05),
                 (3, 3, NULL, NULL, 0.05);"
        ))
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let h = store.history(3).unwrap();
    assert_eq!(h.len(), 3);
    assert_eq!(
        (h[0].epoch, h[0].train_loss, h[0].test_loss, h[0].lr),
        (1, 0.5, Some(0.75), 0.1)
    );
    assert_eq!(
        (h[1].train_loss, h[1].test_loss, h[1].lr),
        (0.25, Some(0.5), 0.05)
    );
    // NULL (non-finite in v2) reads back as NaN; the test loss of that epoch too.
    assert!(h[2].train_loss.is_nan() && h[2].test_loss.is_some_and(f64::is_nan));
    assert!(store.history(4).unwrap().is_empty());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let epochs_tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'epochs'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(epochs_tables, 0);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, CURRENT_VERSION);
}

#[test]
fn a_sweep_recorded_through_the_writer_reads_back_and_reruns_to_the_bit() {
    use nnlab_lab::sweep::{run_sweep_with, SweepSpec};
    use nnlab_store::SweepWriter;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    let mut base = Experiment::default();
    base.set("epochs", "12").unwrap();
    // 2 rates × 20 seeds through the lanes, and lr 5 whose runs diverge (through run_on).
    let spec = SweepSpec::parse(base, &["lr=0.01,0.1,5".into(), "seed=0..20".into()]).unwrap();
    let writer = SweepWriter::start(&path, Some("lr"), "s1", &spec, None).unwrap();
    let result = run_sweep_with(&spec, None, Some(&|runs| writer.add(runs))).unwrap();
    let ids = writer.finish().unwrap();
    assert_eq!(ids.len(), 60);
    assert!(result.lane_runs >= 40, "{} lane runs", result.lane_runs);
    let store = Store::open(&path).unwrap();
    let listed = store
        .list(&Filter {
            sweep: Some("s1".into()),
            experiment: Some("lr".into()),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(listed.len(), 60);
    for id in [ids[0], ids[59]] {
        let stored = store.get(id).unwrap();
        let (report, fresh) = rerun(&stored);
        assert!(report.identical(), "run {id}: {:?}", report.differences);
        assert_eq!(stored.history, fresh.history);
    }
    // Each stored run carries its sweep record's final loss, bit for bit.
    for r in &listed {
        let seed = r.seeds.0 as usize;
        let lr = r.config["train"]["lr"].as_f64().unwrap();
        let k = [0.01, 0.1, 5.0].iter().position(|&x| x == lr).unwrap();
        let rec = &result.runs[k * 20 + seed];
        assert_eq!(r.final_loss, Some(rec.train_loss).filter(|l| l.is_finite()));
    }
}

fn refused(path: &Path) -> String {
    match Store::open(path) {
        Ok(_) => panic!("{} was accepted as a store", path.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn foreign_files_are_refused_naming_the_path_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    let words = "these are my notes, not a database, and long enough to fill a header.\n".repeat(3);
    std::fs::write(&text, &words).unwrap();
    let e = refused(&text);
    assert!(
        e.contains("notes.txt") && e.contains("not an nnlab run store"),
        "{e}"
    );
    assert_eq!(std::fs::read_to_string(&text).unwrap(), words);

    let other = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE cats (name TEXT); INSERT INTO cats VALUES ('tom');")
        .unwrap();
    let e = refused(&other);
    assert!(
        e.contains("other.sqlite") && e.contains("not an nnlab run store"),
        "{e}"
    );
    let cats: i64 = rusqlite::Connection::open(&other)
        .unwrap()
        .query_row("SELECT count(*) FROM cats", [], |r| r.get(0))
        .unwrap();
    assert_eq!(cats, 1);
}

#[test]
fn a_newer_schema_and_a_read_only_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.sqlite");
    drop(Store::open(&newer).unwrap());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch(&format!("PRAGMA user_version = {}", CURRENT_VERSION + 1))
        .unwrap();
    let e = refused(&newer);
    assert!(
        e.contains("newer.sqlite") && e.contains("is newer than"),
        "{e}"
    );

    let ro = dir.path().join("ro.sqlite");
    drop(Store::open(&ro).unwrap());
    let mut perms = std::fs::metadata(&ro).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&ro, perms).unwrap();
    let e = refused(&ro);
    assert!(e.contains("ro.sqlite") && e.contains("read-only"), "{e}");
}
