//! The session API over HTTP: training parity with `nnlab train`, undo, reset, edits,
//! play with server-sent events, export/import, CSV upload, limits and bad requests.

mod common;

use std::time::Duration;

use nnlab_lab::Experiment;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn experiment(pairs: &[(&str, &str)]) -> Experiment {
    let mut exp = Experiment::default();
    for (k, v) in pairs {
        exp.set(k, v).expect("a valid setting");
    }
    exp
}

/// Bits of a JSON number list, so equality means the same f64s.
fn bits(v: &Value) -> Vec<u64> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|x| x.as_f64().expect("a number").to_bits())
        .collect()
}

/// `N` epochs stepped through the API give the bits of `nnlab_lab::run` (what `nnlab train`
/// runs) with `epochs = N`: history and final parameters.
async fn assert_parity(pairs: &[(&str, &str)], epochs: usize, unit: &str, count: usize) {
    let addr = common::start().await;
    let mut exp = experiment(pairs);
    exp.train.epochs = epochs;
    let expected = nnlab_lab::run(&exp, &mut |_| {}).expect("the run");
    let id = common::session(addr, &serde_json::to_value(&exp).unwrap()).await;
    let mut state = Value::Null;
    for _ in 0..count {
        let r = common::post(
            addr,
            &format!("/api/sessions/{id}/step"),
            &json!({"unit": unit, "count": 1}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        state = r.json();
    }
    assert_eq!(state["epoch"], json!(epochs), "{pairs:?}");
    let losses: Vec<Value> = state["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["train_loss"].clone())
        .collect();
    assert_eq!(
        bits(&Value::Array(losses)),
        expected
            .epoch_loss()
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<_>>(),
        "{pairs:?}"
    );
    // serde_json's map sorts keys: compare by name.
    for (name, value) in &expected.final_params().0 {
        assert_eq!(
            state["params"][name].as_f64().map(f64::to_bits),
            Some(value.to_bits()),
            "{name} {pairs:?}"
        );
    }
    assert_eq!(
        state["params"].as_object().unwrap().len(),
        expected.final_params().len()
    );
    if let Some(test) = &expected.test_loss() {
        let got: Vec<Value> = state["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["test_loss"].clone())
            .collect();
        assert_eq!(
            bits(&Value::Array(got)),
            test.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
    }
}

#[tokio::test]
async fn course_epochs_match_nnlab_train_bit_for_bit() {
    // The course network on the course's data: per-sample SGD, the fast kernel in `run`.
    assert_parity(&[], 25, "epoch", 25).await;
}

#[tokio::test]
async fn samples_and_batches_add_up_to_the_same_epochs() {
    // 100 rows: 200 sample steps are 2 epochs; batches of 8 rows: 13 updates an epoch.
    assert_parity(&[], 2, "sample", 200).await;
    assert_parity(
        &[("batch_size", "8"), ("optimizer", "momentum")],
        2,
        "batch",
        26,
    )
    .await;
}

#[tokio::test]
async fn general_settings_match_too() {
    assert_parity(
        &[
            ("arch", "2-3-1"),
            ("activation", "tanh,identity"),
            ("optimizer", "adam"),
            ("batch_size", "4"),
            ("shuffle", "true"),
            ("test_fraction", "0.2"),
            ("schedule", "step:3,0.5"),
            ("seed", "3"),
        ],
        7,
        "epoch",
        7,
    )
    .await;
    assert_parity(
        &[
            ("data", "builtin:diabetes"),
            ("arch", "10-4-1"),
            ("lr", "0.05"),
            ("schedule", "plateau"),
        ],
        4,
        "epoch",
        4,
    )
    .await;
}

#[tokio::test]
async fn undo_reset_and_edits() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({})).await;
    let start = common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json();
    // The course's starting point and first row: w1 = 1.
    assert_eq!(start["params"]["w1"], json!(1.0));
    assert_eq!(start["epoch"], json!(0));
    let step = |body: Value| {
        let id = id.clone();
        async move {
            common::post(addr, &format!("/api/sessions/{id}/step"), &body)
                .await
                .json()
        }
    };
    let one = step(json!({"unit": "sample"})).await;
    // The next sample step shown before stepping is what the step did (plain SGD, batch 1).
    assert_eq!(one["params"], start["step"]["after"]);
    assert_eq!(one["position"], json!(1));
    step(json!({"unit": "epoch", "count": 2})).await;
    let undone = common::post(addr, &format!("/api/sessions/{id}/undo"), &json!(null))
        .await
        .json();
    assert_eq!(undone["params"], one["params"]);
    let edited = common::request(
        addr,
        "PUT",
        &format!("/api/sessions/{id}/params"),
        Some(r#"{"name": "w1", "value": 0.25}"#),
    )
    .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert_eq!(edited.json()["params"]["w1"], json!(0.25));
    let reset = common::post(addr, &format!("/api/sessions/{id}/reset"), &json!(null))
        .await
        .json();
    assert_eq!(reset["params"], start["params"]);
    assert_eq!(
        (reset["epoch"].clone(), reset["undo"].clone()),
        (json!(0), json!(0))
    );
    let r = common::post(addr, &format!("/api/sessions/{id}/undo"), &json!(null)).await;
    assert_eq!((r.status, r.error()), (409, "nothing to undo".to_string()));
    let r = common::request(
        addr,
        "PUT",
        &format!("/api/sessions/{id}/params"),
        Some(r#"{"name": "w9", "value": 1}"#),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.error().starts_with("name: "), "{}", r.body);
}

#[tokio::test]
async fn export_then_import_continues_from_the_same_point() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({"train": {"lr": 0.02}})).await;
    common::post(
        addr,
        &format!("/api/sessions/{id}/step"),
        &json!({"unit": "epoch", "count": 3}),
    )
    .await;
    let export = common::get(addr, &format!("/api/sessions/{id}/export"))
        .await
        .json();
    assert_eq!(export["config"]["train"]["lr"], json!(0.02));
    assert_eq!(export["history"].as_array().unwrap().len(), 3);
    assert_eq!(export["params"]["initial"]["w1"], json!(1.0));
    let r = common::post(addr, "/api/sessions/import", &export).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let new_id = r.json()["id"].as_str().unwrap().to_string();
    let state = common::get(addr, &format!("/api/sessions/{new_id}"))
        .await
        .json();
    assert_eq!(state["params"], export["params"]["final"]);
    assert_eq!(state["epoch"], json!(3));
    assert_eq!(r.json()["exact"], json!(true));
}

/// Issue 5: an import used to restart Adam's moments and the shuffle stream, so the
/// imported session drifted from the exported one. Now the export is replayed and the two
/// continue with the same bits; an export with a hand-set parameter cannot be replayed and
/// says so (`exact: false`).
#[tokio::test]
async fn an_import_continues_with_the_optimizer_state_of_the_export() {
    let addr = common::start().await;
    let exp = json!({"seed": 2, "train": {"optimizer": "adam", "shuffle": true, "lr": 0.01,
                     "batch_size": 4, "schedule": "plateau"}, "data": {"test_fraction": 0.2}});
    let id = common::session(addr, &exp).await;
    let step = |id: String, body: Value| async move {
        let r = common::post(addr, &format!("/api/sessions/{id}/step"), &body).await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    };
    step(id.clone(), json!({"unit": "epoch", "count": 3})).await;
    step(id.clone(), json!({"unit": "batch", "count": 2})).await;
    let export = common::get(addr, &format!("/api/sessions/{id}/export"))
        .await
        .json();
    assert_eq!(export["position"], json!(8));
    let r = common::post(addr, "/api/sessions/import", &export).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["exact"], json!(true));
    let copy = r.json()["id"].as_str().unwrap().to_string();
    let a = step(id.clone(), json!({"unit": "epoch", "count": 2})).await;
    let b = step(copy, json!({"unit": "epoch", "count": 2})).await;
    assert_eq!(a["epoch"], json!(5));
    assert_eq!(a["params"], b["params"]);
    assert_eq!(a["history"], b["history"]);

    // A hand-set parameter: not replayable, imported with fresh optimizer state.
    let edit = common::request(
        addr,
        "PUT",
        &format!("/api/sessions/{id}/params"),
        Some(r#"{"name": "w1", "value": 0.5}"#),
    )
    .await;
    assert_eq!(edit.status, 200, "{}", edit.body);
    let export = common::get(addr, &format!("/api/sessions/{id}/export"))
        .await
        .json();
    let r = common::post(addr, "/api/sessions/import", &export).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["exact"], json!(false));
    let imported = r.json()["id"].as_str().unwrap().to_string();
    let state = common::get(addr, &format!("/api/sessions/{imported}"))
        .await
        .json();
    assert_eq!(state["params"]["w1"], json!(0.5));
    assert_eq!(state["epoch"], json!(5));
}

#[tokio::test]
async fn a_csv_upload_trains_and_the_grid_and_predictions_come_from_the_network() {
    let addr = common::start().await;
    // y = a + b on four rows.
    let csv = "a,b,y\n0,0,0\n1,0,1\n0,1,1\n1,1,2\n";
    let body = json!({"experiment": {"data": {"source": "sums.csv", "inputs": ["a", "b"], "target": "y"}}, "csv": csv});
    let id = common::session(addr, &body).await;
    let state = common::get(addr, &format!("/api/sessions/{id}?row=4"))
        .await
        .json();
    assert_eq!(state["rows"], json!(4));
    assert_eq!(state["row_input"], json!([1.0, 1.0]));
    assert_eq!(state["row_target"], json!(2.0));
    let grid = common::get(addr, &format!("/api/sessions/{id}/grid?n=3"))
        .await
        .json();
    assert_eq!(grid["x1"], json!([0.0, 0.5, 1.0]));
    // Min-max scaling maps a, b in [0, 1] to themselves and y in [0, 2] to y/2. At (0, 0)
    // the course network gives z1 = b1 = 0.5 -> a1 = 0.5, z2 = b2 = 0 -> a2 = 0,
    // z3 = w5·a1 + w6·a2 + b3 = 0.5 + 0 + 0.5 = 1 (scaled), which is y = 2 in original units.
    assert_eq!(grid["z"][0][0], json!(2.0));
    let preds = common::get(addr, &format!("/api/sessions/{id}/predictions"))
        .await
        .json();
    assert_eq!(preds["rows"][0]["prediction"], json!(2.0));
    assert_eq!(preds["rows"][3]["target"], json!(2.0));
    // A file path without CSV text is refused: the server reads no files.
    let r = common::post(
        addr,
        "/api/sessions",
        &json!({"data": {"source": "/etc/passwd", "inputs": ["a"], "target": "b"}}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(
        r.error()
            .starts_with("data.source: the server reads no files"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn limits_and_bad_requests_are_json_4xx() {
    let addr = common::start().await;
    let bad = [
        (
            json!({"data": {"generator": {"rows": 20000}}}),
            "rows: 20000 rows; the server allows at most 10000",
        ),
        (
            json!({"model": {"arch": "2-17-1"}}),
            "arch: 2-17-1 has a layer of 17; the server allows at most 16 neurons a layer",
        ),
        (
            json!({"model": {"arch": "2-2-2-2-2-2-2-1"}}),
            "arch: 2-2-2-2-2-2-2-1 has 7 layers after the input; the server allows at most 6",
        ),
        (json!({"train": {"lr": -1}}), ""),
        (json!({"nonsense": 1}), ""),
    ];
    for (body, message) in bad {
        let r = common::post(addr, "/api/sessions", &body).await;
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        if !message.is_empty() {
            assert_eq!(r.error(), message);
        }
    }
    let id = common::session(addr, &json!({})).await;
    for body in [
        json!({"unit": "epoch", "count": 0}),
        json!({"unit": "epoch", "count": 1001}),
        json!({"unit": "week"}),
    ] {
        let r = common::post(addr, &format!("/api/sessions/{id}/step"), &body).await;
        assert_eq!(r.status, 400, "{body}: {}", r.body);
    }
    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/play"),
        &json!({"epochs_per_second": 0}),
    )
    .await;
    assert_eq!(r.status, 400);
    let r = common::get(addr, &format!("/api/sessions/{id}/grid?n=1000")).await;
    assert_eq!(
        (r.status, r.error()),
        (400, "n: 1000 is not in 2..=100".to_string())
    );
    let r = common::get(addr, &format!("/api/sessions/{id}?row=101")).await;
    assert_eq!(
        (r.status, r.error()),
        (400, "row: 101 is not in 1..=100".to_string())
    );
    let r = common::get(addr, "/api/sessions/0000/export").await;
    assert_eq!(r.status, 404);
    // Divergence ends training: a linear network with lr 10 overshoots further at every
    // step (|1 - 2·lr·x²| > 1) until the numbers overflow.
    let id = common::session(
        addr,
        &json!({"model": {"activation": "identity"}, "train": {"lr": 10}}),
    )
    .await;
    let s = common::post(
        addr,
        &format!("/api/sessions/{id}/step"),
        &json!({"unit": "epoch", "count": 5}),
    )
    .await
    .json();
    assert_eq!(s["status"]["status"], json!("diverged"));
    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/step"),
        &json!({"unit": "epoch"}),
    )
    .await;
    assert_eq!(r.status, 409);
}

#[tokio::test]
async fn play_streams_states_until_the_configured_epochs() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({"train": {"epochs": 40}})).await;
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET /api/sessions/{id}/events HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/play"),
        &json!({"epochs_per_second": 1000}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // At 1000 epochs a second the 40 epochs take a few ticks; read events until it stops.
    let mut seen = String::new();
    let mut buf = [0u8; 65536];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !seen.contains("\"playing\":null,\"lr\"") || !seen.contains("\"epoch\":40,") {
        let n = tokio::time::timeout_at(deadline, s.read(&mut buf))
            .await
            .expect("events in time")
            .unwrap();
        assert!(n > 0, "stream closed");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.contains("text/event-stream"));
    assert!(seen.contains("event: state"));
    let state = common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json();
    assert_eq!(state["epoch"], json!(40));
    assert_eq!(state["playing"], Value::Null);
    // One undo takes the whole play back.
    let undone = common::post(addr, &format!("/api/sessions/{id}/undo"), &json!(null))
        .await
        .json();
    assert_eq!(undone["epoch"], json!(0));
}
