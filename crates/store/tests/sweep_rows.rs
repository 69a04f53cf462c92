//! Schema v4: a sweep's runs keep their grid index instead of their configuration texts,
//! and read back exactly as the same runs recorded whole (`RunRecord::of_detail`, what
//! every sweep run stored up to v3); migration from v3; a store that does not fit.

mod common;

use std::path::Path;

use nnlab_lab::sweep::{RunDetail, SweepSpec};
use nnlab_lab::Experiment;
use nnlab_store::schema::{to_v3, APPLICATION_ID, CURRENT_VERSION, V1, V2, V3};
use nnlab_store::{Condition, Filter, RunRecord, Store, StoredRun};

/// Runs `spec` through a writer started with `stored`, tagged `exp` and `tag`.
fn sweep(path: &Path, tag: &str, stored: &SweepSpec, spec: &SweepSpec) -> Vec<RunDetail> {
    common::record_sweep(path, Some("exp"), tag, stored, spec)
}

/// Every run tagged `tag`, fully read, in grid order (started/finished aside, ids differ).
fn runs(store: &Store, tag: &str) -> Vec<StoredRun> {
    let mut listed = store
        .list(&Filter {
            sweep: Some(tag.into()),
            ..Filter::default()
        })
        .unwrap();
    listed.sort_by_key(|r| r.id);
    listed.iter().map(|r| store.get(r.id).unwrap()).collect()
}

/// The parts of a stored run that do not depend on where or when it was stored.
fn content(r: &StoredRun) -> impl PartialEq + std::fmt::Debug {
    let s = &r.summary;
    (
        (
            s.status,
            s.seeds,
            s.epochs_run,
            s.final_loss,
            s.version.clone(),
        ),
        (s.config.clone(), s.metrics.clone(), r.config_toml.clone()),
        (r.status_detail.clone(), r.diagnostics.clone()),
        (s.outcome, r.verdict.clone()),
        (r.initial_params.clone(), r.final_params.clone()),
        r.history
            .iter()
            .map(|h| {
                (
                    h.train_loss.to_bits(),
                    h.test_loss.map(f64::to_bits),
                    h.lr.to_bits(),
                )
            })
            .collect::<Vec<_>>(),
    )
}

fn config_nulls(path: &Path, tag: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM runs WHERE sweep = ?1 AND config_toml IS NULL
                 AND config_json IS NULL AND sweep_ref IS NOT NULL",
            [tag],
            |r| r.get(0),
        )
        .unwrap()
}

fn spec(vary: &[&str]) -> SweepSpec {
    let mut base = Experiment::default();
    base.set("rows", "30").unwrap();
    base.set("epochs", "10").unwrap();
    let vary: Vec<String> = vary.iter().map(|v| v.to_string()).collect();
    SweepSpec::parse(base, &vary).unwrap()
}

#[test]
fn sweep_runs_read_back_exactly_as_runs_recorded_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    // Lane runs (lr 0.01, 0.1) and runs through run_on that diverge, with diagnostics
    // (lr 5); a test split in half of them (run_on too).
    let spec = spec(&["lr=0.01,0.1,5", "test_fraction=0,0.25", "seed=0..4"]);
    let details = sweep(&path, "lean", &spec, &spec);
    assert_eq!(details.len(), 24);
    assert!(details.iter().any(|d| !d.diagnostics.is_empty()));
    assert_eq!(config_nulls(&path, "lean"), 24);
    // The same details recorded whole, as every sweep run was up to schema v3.
    let mut store = Store::open(&path).unwrap();
    let whole: Vec<RunRecord> = details
        .iter()
        .map(|d| {
            RunRecord::of_detail(d, &common::config_of(&spec, d))
                .unwrap()
                .tagged(Some("exp"), Some("whole"))
        })
        .collect();
    store.record_many(&whole).unwrap();
    let (lean, whole) = (runs(&store, "lean"), runs(&store, "whole"));
    assert_eq!(lean.len(), whole.len());
    // Written in the order their chunks finished: match by grid position (the details).
    for d in &details {
        let config = common::config_of(&spec, d);
        let find = |rs: &[StoredRun]| {
            rs.iter()
                .find(|r| {
                    r.summary.seeds == d.seeds
                        && r.summary.config["train"]["lr"].as_f64() == Some(config.train.lr)
                        && r.summary.config["data"]["test_fraction"].as_f64()
                            == Some(config.data.test_fraction)
                })
                .map(content)
                .unwrap()
        };
        assert_eq!(find(&lean), find(&whole), "run {}", d.index);
    }
    // Both paths keep each run's verdict as the sweep judged it (schema v6).
    let stored: Vec<_> = lean.iter().map(|r| r.summary.outcome).collect();
    for d in &details {
        assert!(stored.contains(&Some(d.verdict.outcome)));
    }
    let count = |o| {
        let f = Filter {
            outcome: Some(o),
            sweep: Some("lean".into()),
            ..Filter::default()
        };
        store.list(&f).unwrap().len()
    };
    for o in nnlab_lab::verdict::Outcome::ALL {
        let expected = details.iter().filter(|d| d.verdict.outcome == o).count();
        assert_eq!(count(o), expected, "{o}");
    }
    // lr 5 kills the output ReLU in all 8 of its runs (`nnlab sweep` of this spec prints
    // "4 stuck" for each test fraction), like `--lr 1` in issue 12.
    assert_eq!(count(nnlab_lab::verdict::Outcome::Stuck), 8);
    // --where selects the same runs either way.
    for cond in ["lr=0.1", "test_fraction=0.25", "seed=3"] {
        let count = |tag: &str| {
            store
                .list(&Filter {
                    sweep: Some(tag.into()),
                    conditions: vec![Condition::parse(cond).unwrap()],
                    ..Filter::default()
                })
                .unwrap()
                .len()
        };
        assert_eq!(count("lean"), count("whole"), "{cond}");
        assert!(count("lean") > 0, "{cond}");
    }
}

#[test]
fn a_sweep_index_outside_its_spec_is_a_corrupt_row_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    let s = spec(&["lr=0.01,0.1"]);
    sweep(&path, "s", &s, &s);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("UPDATE runs SET sweep_index = 2 WHERE sweep_index = 1")
        .unwrap();
    let store = Store::open(&path).unwrap();
    let e = store.list(&Filter::default()).unwrap_err().to_string();
    assert!(
        e.contains("sweep_index") && e.contains("2-run sweep"),
        "{e}"
    );
}

#[test]
fn a_v3_store_migrates_keeping_its_runs_and_never_reusing_an_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.sqlite");
    {
        // A store as version 3 left it: run 5 with a two-epoch history (0.5, 0.25 at lr
        // 0.01, the blobs `history::encode` gives), and run 9 deleted since.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(V1).unwrap();
        conn.execute_batch(V2).unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(V3).unwrap();
        to_v3(&tx).unwrap();
        tx.commit().unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 3;
             INSERT INTO runs (id, status, started, config_toml, config_json, data_seed,
                 init_seed, shuffle_seed, version, epochs_run, final_loss, sweep,
                 train_loss, lr)
             VALUES (5, 'completed', '2024-03-01T12:00:00.000Z', 'seed = 0', '{{\"seed\":0}}',
                 0, 0, 0, '0.0.3', 2, 0.25, 'old',
                 X'000000000000E03F000000000000D03F', X'7B14AE47E17A843F'),
                    (9, 'completed', '2024-03-01T12:00:01.000Z', 'seed = 1', '{{\"seed\":1}}',
                 1, 1, 1, '0.0.3', NULL, NULL, NULL, NULL, NULL);
             DELETE FROM runs WHERE id = 9;"
        ))
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let run = store.get(5).unwrap();
    assert_eq!(run.config_toml, "seed = 0");
    assert_eq!(run.summary.config["seed"], 0);
    assert_eq!(run.summary.sweep.as_deref(), Some("old"));
    let h: Vec<(f64, f64)> = run.history.iter().map(|h| (h.train_loss, h.lr)).collect();
    assert_eq!(h, [(0.5, 0.01), (0.25, 0.01)]);
    // AUTOINCREMENT's high-water mark survived the rebuild: the sweep's run got 10, then 11.
    let s = spec(&["lr=0.01"]);
    let d = &sweep(&path, "new", &s, &s)[0];
    let mut record = RunRecord::of_detail(d, &common::config_of(&s, d)).unwrap();
    record.sweep = None;
    assert_eq!(store.record(&record).unwrap(), 11);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, CURRENT_VERSION);
    let indexes: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs'
                 AND name IN ('runs_status', 'runs_experiment', 'runs_sweep')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 3);
}
