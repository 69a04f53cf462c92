//! The run store over HTTP (issue 6): a playground session saved, listed, read back for the
//! loss overlay, and rerun by `nnlab runs rerun`'s library call to the same bits; unknown
//! ids, a disabled store and a store that cannot be opened as JSON errors.

mod common;

use std::net::SocketAddr;
use std::path::Path;

use nnlab_lab::Experiment;
use nnlab_serve::RunStore;
use serde_json::{json, Value};

async fn step_epochs(addr: SocketAddr, id: &str, count: usize) -> Value {
    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/step"),
        &json!({"unit": "epoch", "count": count}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn bits(v: &Value, key: &str) -> Vec<Option<u64>> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|h| h[key].as_f64().map(f64::to_bits))
        .collect()
}

async fn save(addr: SocketAddr, id: &str) -> Value {
    let r = common::request(addr, "POST", &format!("/api/sessions/{id}/save"), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn a_saved_session_is_listed_read_back_and_reruns_to_the_same_bits() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("runs.sqlite");
    let addr = common::start_with(RunStore::open(&path)).await;

    // The course network and data at lr 0.02, five whole epochs.
    let id = common::session(addr, &json!({"train": {"lr": 0.02}})).await;
    let state = step_epochs(addr, &id, 5).await;
    let saved = save(addr, &id).await;
    assert_eq!(saved["reproducible"], json!(true), "{saved}");
    assert_eq!(saved["notes"], json!([]));
    assert_eq!(saved["experiment"], json!("playground"));
    let run_id = saved["id"].as_i64().expect("a run id");

    // A second save of the same session is a second run, listed first (newest first).
    let again = save(addr, &id).await["id"].as_i64().expect("an id");
    let list = common::get(addr, "/api/runs?limit=5").await;
    assert_eq!(list.status, 200, "{}", list.body);
    let list = list.json();
    assert_eq!(list["store"], json!(path.display().to_string()));
    let runs = list["runs"].as_array().expect("runs");
    assert_eq!(
        runs.iter().map(|r| r["id"].as_i64()).collect::<Vec<_>>(),
        vec![Some(again), Some(run_id)]
    );
    let row = &runs[1];
    assert_eq!(row["status"], json!("completed"));
    assert_eq!(row["arch"], json!("2-2-1"));
    assert_eq!(row["lr"], json!(0.02));
    assert_eq!(row["epochs"], json!(5));
    assert_eq!(
        row["final_loss"].as_f64().map(f64::to_bits),
        state["history"][4]["train_loss"].as_f64().map(f64::to_bits)
    );
    // The outcome `nnlab train` judges for the same settings (the saved run is its bits).
    let mut exp = Experiment::default();
    exp.set("lr", "0.02").unwrap();
    exp.set("epochs", "5").unwrap();
    let trained = nnlab_lab::run(&exp, &mut |_| {}).unwrap();
    assert_eq!(row["outcome"], json!(trained.outcome().name()));
    let one = common::get(addr, "/api/runs?limit=1").await.json();
    assert_eq!(one["runs"].as_array().map(Vec::len), Some(1));

    // What the page overlays: the stored history is the session's, bit for bit.
    let detail = common::get(addr, &format!("/api/runs/{run_id}")).await;
    assert_eq!(detail.status, 200, "{}", detail.body);
    let detail = detail.json();
    for key in ["train_loss", "lr"] {
        assert_eq!(bits(&detail["history"], key), bits(&state["history"], key));
    }
    assert_eq!(detail["config"]["train"]["epochs"], json!(5));
    assert_eq!(detail["final_params"], state["params"]);
    assert_eq!(detail["initial_params"]["w1"], json!(1.0));
    // Stored in display order, as `nnlab runs show` lists them.
    let order: Vec<&String> = detail["final_params"]
        .as_object()
        .expect("params")
        .keys()
        .collect();
    assert_eq!(order.len(), 9);
    assert!(detail["metrics"]["train"]["mse"].is_number(), "{detail}");

    // Independently: `nnlab train --lr 0.02 --epochs 5` (the library's trainer) gives the
    // same epoch losses, and rerunning the stored run reproduces it.
    let mut exp = Experiment::default();
    exp.train.lr = 0.02;
    exp.train.epochs = 5;
    let expected = nnlab_lab::run(&exp, &mut |_| {}).expect("the run");
    assert_eq!(
        bits(&detail["history"], "train_loss"),
        expected
            .epoch_loss()
            .iter()
            .map(|v| Some(v.to_bits()))
            .collect::<Vec<_>>()
    );
    let store = nnlab_store::Store::open(&path).expect("the store opens");
    let stored = store.get(run_id).expect("the run");
    assert_eq!(stored.summary.experiment.as_deref(), Some("playground"));
    let recorded = stored.recorded().expect("the outcome reads back");
    let (report, _) =
        nnlab_lab::rerun(&stored.config_toml, recorded.as_ref(), &mut |_| {}).expect("a rerun");
    assert!(report.identical(), "{:?}", report.differences);
}

#[tokio::test]
async fn a_save_says_why_it_would_not_rerun() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let addr = common::start_with(RunStore::open(&dir.path().join("runs.sqlite"))).await;
    let id = common::session(addr, &json!({})).await;
    // Nothing trained yet: nothing to save.
    let r = common::request(addr, "POST", &format!("/api/sessions/{id}/save"), None).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.error().starts_with("nothing to save yet"), "{}", r.body);

    let edit = common::request(
        addr,
        "PUT",
        &format!("/api/sessions/{id}/params"),
        Some(r#"{"name": "w1", "value": 0.25}"#),
    )
    .await;
    assert_eq!(edit.status, 200, "{}", edit.body);
    step_epochs(addr, &id, 2).await;
    let sample = json!({"unit": "sample", "count": 3});
    common::post(addr, &format!("/api/sessions/{id}/step"), &sample).await;
    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/save"),
        &json!({"experiment": "w1 by hand"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let saved = r.json();
    assert_eq!(saved["reproducible"], json!(false));
    assert_eq!(saved["experiment"], json!("w1 by hand"));
    let notes = saved["notes"].to_string();
    assert!(notes.contains("set by hand"), "{notes}");
    assert!(
        notes.contains("middle of epoch 3 (after row 3 of 100)"),
        "{notes}"
    );
    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/save"),
        &json!({"experiment": ""}),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/save"),
        &json!({"name": "x"}),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
}

#[tokio::test]
async fn unknown_runs_and_sessions_are_404_json() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("runs.sqlite");
    let addr = common::start_with(RunStore::open(&path)).await;
    let r = common::get(addr, "/api/runs/99999").await;
    assert_eq!(
        (r.status, r.error()),
        (404, format!("no run with id 99999 in {}", path.display()))
    );
    let r = common::get(addr, "/api/runs/abc").await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(r.error().starts_with("no run 'abc'"), "{}", r.body);
    let r = common::request(addr, "POST", "/api/sessions/0000/save", None).await;
    assert_eq!(r.status, 404, "{}", r.body);
    for bad in ["0", "501", "x"] {
        let r = common::get(addr, &format!("/api/runs?limit={bad}")).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
    let r = common::get(addr, "/api/runs").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["runs"], json!([]));
}

#[tokio::test]
async fn a_disabled_store_answers_503_with_the_reason() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({})).await;
    step_epochs(addr, &id, 1).await;
    for r in [
        common::get(addr, "/api/runs").await,
        common::get(addr, "/api/runs/1").await,
        common::request(addr, "POST", &format!("/api/sessions/{id}/save"), None).await,
    ] {
        assert_eq!(
            (r.status, r.error()),
            (
                503,
                "the run store is disabled (nnlab serve --no-store)".to_string()
            )
        );
    }
}

#[tokio::test]
async fn a_store_that_cannot_be_opened_leaves_the_server_running() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "not a database, just some words\n".repeat(40)).expect("write");
    let runs = RunStore::open(&path);
    assert!(runs.why_unavailable().is_some());
    let addr = common::start_with(runs).await;
    let r = common::get(addr, "/api/runs").await;
    assert_eq!(r.status, 503, "{}", r.body);
    let why = r.error();
    assert!(
        why.starts_with("the run store cannot be opened: ") && why.contains(path_str(&path)),
        "{why}"
    );
    // Everything else works.
    let id = common::session(addr, &json!({})).await;
    step_epochs(addr, &id, 1).await;
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}
