//! Schema v6: every finished run keeps its outcome and verdict, written by each path that
//! records a run (a finished record, `begin` + `finish`), filtered by `Filter::outcome`,
//! shown, exported; a v5 store migrates and its runs read as outcome unknown.

use nnlab_lab::verdict::Outcome;
use nnlab_lab::{run, Experiment, RunResult};
use nnlab_store::clock::now_rfc3339;
use nnlab_store::schema::{run_step, APPLICATION_ID, CURRENT_VERSION};
use nnlab_store::{export, render, Filter, Recorder, RunRecord, Store};

/// The course network on its default data, 100 epochs, with learning rate `lr`.
fn course(lr: &str) -> RunResult {
    let mut exp = Experiment::default();
    exp.set("epochs", "100").unwrap();
    exp.set("lr", lr).unwrap();
    run(&exp, &mut |_| {}).unwrap()
}

#[test]
fn finished_runs_keep_their_outcome_and_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    // Issue 12's measurements: lr 1 kills the output ReLU (every row predicts 0: stuck);
    // the default lr learns.
    let (good, dead) = (course("0.01"), course("1"));
    assert_eq!(
        (good.outcome(), dead.outcome()),
        (Outcome::Learned, Outcome::Stuck)
    );
    let mut store = Store::open(&path).unwrap();
    let a = store
        .record(&RunRecord::finished(&good, now_rfc3339(), now_rfc3339()).unwrap())
        .unwrap();
    // The other path: a `running` row first, the outcome at the end (`nnlab train`).
    let b = Recorder::start(&path, &dead.config, None)
        .unwrap()
        .finish(&dead)
        .unwrap();
    for (id, r) in [(a, &good), (b, &dead)] {
        let back = store.get(id).unwrap();
        assert_eq!(back.summary.outcome, Some(r.outcome()));
        assert_eq!(back.verdict, serde_json::to_value(&r.verdict).unwrap());
    }
    let listed = |o| {
        let f = Filter {
            outcome: Some(o),
            ..Filter::default()
        };
        let ids: Vec<i64> = store.list(&f).unwrap().iter().map(|r| r.id).collect();
        ids
    };
    assert_eq!(listed(Outcome::Stuck), [b]);
    assert_eq!(listed(Outcome::Learned), [a]);
    assert!(listed(Outcome::Diverged).is_empty());

    let shown = render::show(&store.get(b).unwrap());
    let reason = &dead.verdict.reason;
    assert!(
        reason.starts_with("100% of the train rows get the same prediction (0 in scaled units)")
    );
    assert!(
        shown.contains(&format!("outcome stuck: {reason}\n")),
        "{shown}"
    );
    let all = store.list(&Filter::default()).unwrap();
    let table = render::list_table(&all);
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(&header[..4], ["id", "started", "status", "outcome"]);
    assert!(table.lines().nth(2).unwrap().contains(" stuck "), "{table}");
    let csv = export::to_csv(&all).unwrap();
    assert!(csv.starts_with("id,status,outcome,started,"), "{csv}");
    assert!(csv.contains(&format!("\n{b},completed,stuck,")), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&export::to_json(&all).unwrap()).unwrap();
    assert_eq!(json[1]["outcome"], "learned");
}

#[test]
fn a_v5_store_migrates_and_its_runs_have_no_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.sqlite");
    {
        // A store exactly as version 5 left it (the steps as `schema::migrate` runs them),
        // with one finished run.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for k in 0..5 {
            run_step(&tx, k).unwrap();
        }
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 5;
             INSERT INTO runs (id, status, started, finished, config_toml, config_json,
                 data_seed, init_seed, shuffle_seed, version, epochs_run, final_loss)
             VALUES (9, 'completed', '2024-03-01T12:00:00.000Z', '2024-03-01T12:00:01.000Z',
                 'seed = 0', '{{\"seed\":0}}', 0, 0, 0, '0.0.5', 2, 0.25);"
        ))
        .unwrap();
        tx.commit().unwrap();
    }
    let store = Store::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!((version, CURRENT_VERSION), (7, 7));
    let index: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'runs_outcome'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(index, 1);
    // Not judged again: the spread of its predictions was never stored (schema::V6).
    let old = store.get(9).unwrap();
    assert_eq!(old.summary.outcome, None);
    assert!(old.verdict.is_null());
    assert!(
        render::show(&old).contains("outcome unknown (recorded before the store kept outcomes)\n")
    );
    let all = store.list(&Filter::default()).unwrap();
    assert!(render::list_table(&all)
        .lines()
        .nth(2)
        .unwrap()
        .contains(" unknown "));
    assert!(export::to_csv(&all)
        .unwrap()
        .contains("\n9,completed,unknown,"));
    let stuck = Filter {
        outcome: Some(Outcome::Stuck),
        ..Filter::default()
    };
    assert!(store.list(&stuck).unwrap().is_empty());
}

#[test]
fn an_unknown_outcome_names_the_flag_and_the_known_ones() {
    let e = nnlab_store::record::parse_outcome("learnt")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "--outcome: 'learnt' is not an outcome (known: diverged, stuck, oscillating, \
         still_improving, no_better_than_mean, stopped_early, plateaued, learned)"
    );
    assert_eq!(
        nnlab_store::record::parse_outcome("still_improving").unwrap(),
        Outcome::StillImproving
    );
}
