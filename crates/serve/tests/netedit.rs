//! Issue 13 over HTTP: resizing a session's network (`PUT /api/sessions/{id}/arch`) keeps
//! the trained parameters, takes new ones from the experiment's initializer and is one undo
//! point; a share link's replay (`POST /api/sessions` with `replay`) gives the logged
//! session bit for bit.

mod common;

use std::net::SocketAddr;

use serde_json::{json, Value};

async fn ok(addr: SocketAddr, method: &str, path: &str, body: &Value) -> Value {
    let r = common::request(addr, method, path, Some(&body.to_string())).await;
    assert_eq!(r.status, 200, "{method} {path}: {}", r.body);
    r.json()
}

async fn state(addr: SocketAddr, id: &str) -> Value {
    common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json()
}

/// The exact text of a number (serde_json writes the shortest round trip, so equal text is
/// equal bits, the sign of zero included).
fn bits(v: &Value) -> String {
    v.to_string()
}

#[tokio::test]
async fn a_wider_layer_keeps_the_trained_parameters_and_undo_restores_them() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({"seed": 3})).await;
    let trained = ok(
        addr,
        "POST",
        &format!("/api/sessions/{id}/step"),
        &json!({"unit": "epoch", "count": 3}),
    )
    .await;
    let arch = format!("/api/sessions/{id}/arch");
    let wide = ok(addr, "PUT", &arch, &json!({"arch": "2-3-1"})).await;
    let p = &wide["params"];
    let old = &trained["params"];
    // The course's names on 2-2-1 are the general ones at 2-3-1, values kept bit for bit.
    for (course, general) in common::COURSE_AS_GENERAL {
        assert_eq!(
            bits(&p[general]),
            bits(&old[course]),
            "{course} -> {general}"
        );
    }
    // The new parameters are those of a fresh 2-3-1 session with the same seed: the
    // experiment's initializer at the new shape (glorot weights, zero biases), init seed 3.
    let fresh_id = common::session(addr, &json!({"seed": 3, "model": {"arch": "2-3-1"}})).await;
    let fresh = state(addr, &fresh_id).await;
    for new in ["L1.w[3][1]", "L1.w[3][2]", "L1.b[3]", "L2.w[1][3]"] {
        assert_eq!(bits(&p[new]), bits(&fresh["params"][new]), "{new}");
    }
    assert_eq!(wide["config"]["model"]["arch"], json!("2-3-1"));
    assert_eq!(wide["settings"]["arch"], json!("2-3-1"));
    assert_eq!(
        (wide["epoch"].clone(), wide["position"].clone()),
        (json!(3), json!(0))
    );
    assert_eq!(wide["history"], trained["history"]);
    assert_eq!(wide["undo"], json!(2));
    // Training goes on at the new shape: epoch 4 is appended.
    let on = ok(
        addr,
        "POST",
        &format!("/api/sessions/{id}/step"),
        &json!({"unit": "epoch"}),
    )
    .await;
    assert_eq!(on["history"].as_array().map(Vec::len), Some(4));
    // Two undos: the step, then the resize.
    ok(
        addr,
        "POST",
        &format!("/api/sessions/{id}/undo"),
        &json!(null),
    )
    .await;
    let back = ok(
        addr,
        "POST",
        &format!("/api/sessions/{id}/undo"),
        &json!(null),
    )
    .await;
    assert_eq!(bits(&back["params"]), bits(&trained["params"]));
    assert_eq!(back["config"], trained["config"]);
    assert_eq!(back["history"], trained["history"]);
    assert_eq!(back["undo"], trained["undo"]);
}

#[tokio::test]
async fn layers_come_and_go_frozen_names_follow_and_limits_hold() {
    let addr = common::start().await;
    let id = common::session(
        addr,
        &json!({"model": {"init": "mixed"}, "train": {"freeze": ["w5", "b1"]}}),
    )
    .await;
    let start = state(addr, &id).await;
    let arch = format!("/api/sessions/{id}/arch");
    let deeper = ok(addr, "PUT", &arch, &json!({"arch": "2-2-2-1"})).await;
    // The preset names the 2-2-1 network only: it goes; the output's weight w5 is now the
    // third layer's L3.w[1][1].
    assert_eq!(deeper["config"]["model"].get("init"), None);
    assert_eq!(
        deeper["config"]["train"]["freeze"],
        json!(["L3.w[1][1]", "L1.b[1]"])
    );
    assert_eq!(
        bits(&deeper["params"]["L3.w[1][1]"]),
        bits(&start["params"]["w5"])
    );
    assert_eq!(
        bits(&deeper["params"]["L1.w[2][2]"]),
        bits(&start["params"]["w4"])
    );
    // Back to 2-2-1 by removing the layer: every kept parameter is the preset's again.
    let back = ok(addr, "PUT", &arch, &json!({"arch": "2-2-1"})).await;
    assert_eq!(bits(&back["params"]), bits(&start["params"]));
    assert_eq!(back["config"]["train"]["freeze"], json!(["w5", "b1"]));
    for (body, start_of_error) in [
        (json!({"arch": "2-17-1"}), "arch: 2-17-1 has a layer of 17"),
        (
            json!({"arch": "2-2-2-2-2-2-2-1"}),
            "arch: 2-2-2-2-2-2-2-1 has 7 layers",
        ),
        (
            json!({"arch": "3-2-1"}),
            "arch: 3-2-1 does not keep the data's 2 inputs",
        ),
        (
            json!({"arch": "2-0-1"}),
            "arch: '2-0-1' is not an architecture",
        ),
        (
            json!({"arch": "2-2-1"}),
            "arch: the network is 2-2-1 already",
        ),
        (json!({"size": 3}), "request body: unknown field `size`"),
    ] {
        let r = common::put(addr, &arch, &body).await;
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        assert!(
            r.error().starts_with(start_of_error),
            "{body}: {}",
            r.error()
        );
    }
}

/// A share link: the starting setup and the action log. Steps of every unit, a hand-set
/// parameter at a value with no short decimal (0.1 + 0.2) and a resize, replayed, give the
/// same parameters, history, position and next step bit for bit, and the two sessions go on
/// identically (the optimizer's state, Adam's moments here, came along).
#[tokio::test]
async fn a_replayed_log_gives_the_session_bit_for_bit() {
    let addr = common::start().await;
    let exp = json!({"seed": 5, "train": {"optimizer": "adam", "shuffle": true, "batch_size": 4}});
    let id = common::session(addr, &exp).await;
    let go = |body: Value| {
        let id = id.clone();
        async move { ok(addr, "POST", &format!("/api/sessions/{id}/step"), &body).await }
    };
    go(json!({"unit": "epoch", "count": 2})).await;
    go(json!({"unit": "sample", "count": 3})).await;
    ok(
        addr,
        "PUT",
        &format!("/api/sessions/{id}/params"),
        &json!({"name": "w5", "value": 0.1 + 0.2}),
    )
    .await;
    ok(
        addr,
        "PUT",
        &format!("/api/sessions/{id}/arch"),
        &json!({"arch": "2-4-1"}),
    )
    .await;
    go(json!({"unit": "epoch"})).await;
    let a = go(json!({"unit": "batch"})).await;
    let replay = &a["replay"];
    assert_eq!(
        replay["log"],
        json!("e2,s3,w5=0.30000000000000004,arch=2-4-1,e1,b1")
    );
    // The link's setup is the start's: 2-2-1, not the resized 2-4-1 of `settings`.
    assert_eq!(replay["settings"]["arch"], json!("2-2-1"));
    assert_eq!(a["settings"]["arch"], json!("2-4-1"));
    let r = common::post(
        addr,
        "/api/sessions",
        &json!({"experiment": exp, "replay": replay["log"]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let copy = r.json()["id"].as_str().unwrap().to_string();
    let b = state(addr, &copy).await;
    for key in [
        "params", "history", "epoch", "position", "config", "update", "step",
    ] {
        assert_eq!(bits(&a[key]), bits(&b[key]), "{key}");
    }
    assert_eq!(b["undo"], json!(0));
    assert_eq!(b["replay"]["log"], replay["log"]);
    let a2 = go(json!({"unit": "epoch", "count": 2})).await;
    let b2 = ok(
        addr,
        "POST",
        &format!("/api/sessions/{copy}/step"),
        &json!({"unit": "epoch", "count": 2}),
    )
    .await;
    assert_eq!(bits(&a2["params"]), bits(&b2["params"]));
    assert_eq!(bits(&a2["history"]), bits(&b2["history"]));
    // A bad log names the field and the entry.
    let r = common::post(
        addr,
        "/api/sessions",
        &json!({"experiment": exp, "replay": "e2,jump"}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(
        r.error().starts_with("replay: 'jump' is not an action"),
        "{}",
        r.error()
    );
    // An action that does not apply names itself.
    let r = common::post(
        addr,
        "/api/sessions",
        &json!({"experiment": exp, "replay": "e1,w9=1"}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(
        r.error().starts_with("replay: w9=1.0: name: "),
        "{}",
        r.error()
    );
    // 1 row: 200,000 epochs are only 200,000 sample steps, but twice the epochs a session
    // may run.
    let one_row = json!({"data": {"generator": {"rows": 1}, "scale": "none"}});
    let r = common::post(
        addr,
        "/api/sessions",
        &json!({"experiment": one_row, "replay": "e200000"}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.error().contains("100000 epochs"), "{}", r.error());
    // A replay longer than a request may run is refused up front (100 rows · 60,000 epochs).
    let r = common::post(
        addr,
        "/api/sessions",
        &json!({"experiment": exp, "replay": "e60000"}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.error().contains("exceed"), "{}", r.error());
}

/// An undo takes the log back too, and an import that could not replay (a hand-set
/// parameter) has no log: its link can carry only the setup.
#[tokio::test]
async fn undo_takes_the_log_back_and_an_inexact_import_has_none() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({})).await;
    let step = format!("/api/sessions/{id}/step");
    ok(addr, "POST", &step, &json!({"unit": "epoch", "count": 4})).await;
    let two = ok(addr, "POST", &step, &json!({"unit": "epoch"})).await;
    assert_eq!(two["replay"]["log"], json!("e5"));
    let undone = ok(
        addr,
        "POST",
        &format!("/api/sessions/{id}/undo"),
        &json!(null),
    )
    .await;
    assert_eq!(undone["replay"]["log"], json!("e4"));
    ok(
        addr,
        "PUT",
        &format!("/api/sessions/{id}/params"),
        &json!({"name": "b3", "value": 0.25}),
    )
    .await;
    let export = common::get(addr, &format!("/api/sessions/{id}/export"))
        .await
        .json();
    let r = common::post(addr, "/api/sessions/import", &export).await;
    assert_eq!(r.json()["exact"], json!(false), "{}", r.body);
    let imported = state(addr, r.json()["id"].as_str().unwrap()).await;
    assert_eq!(imported["replay"], Value::Null);
    let reset = ok(
        addr,
        "POST",
        &format!("/api/sessions/{}/reset", r.json()["id"].as_str().unwrap()),
        &json!(null),
    )
    .await;
    assert_eq!(reset["replay"]["log"], json!(""));
}

/// A change answers with only the history a page lacks (`since`): one step at epoch 10,000
/// used to send all 10,000 records again. An undo or reset that cuts the history says where
/// the records start (`history_from`).
#[tokio::test]
async fn a_change_sends_only_the_history_the_page_lacks() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({})).await;
    let step = format!("/api/sessions/{id}/step");
    ok(addr, "POST", &step, &json!({"unit": "epoch", "count": 5})).await;
    let six = ok(
        addr,
        "POST",
        &format!("{step}?since=5"),
        &json!({"unit": "epoch"}),
    )
    .await;
    assert_eq!(six["history_from"], json!(5));
    assert_eq!(six["history"].as_array().map(Vec::len), Some(1));
    assert_eq!(six["history"][0]["epoch"], json!(6));
    let undone = ok(
        addr,
        "POST",
        &format!("/api/sessions/{id}/undo?since=6"),
        &json!(null),
    )
    .await;
    assert_eq!(
        (undone["history_from"].clone(), undone["history"].clone()),
        (json!(5), json!([]))
    );
    let reset = ok(
        addr,
        "POST",
        &format!("/api/sessions/{id}/reset?since=5"),
        &json!(null),
    )
    .await;
    assert_eq!(
        (reset["history_from"].clone(), reset["history"].clone()),
        (json!(0), json!([]))
    );
    let r = common::post(addr, &format!("{step}?sinse=1"), &json!({"unit": "epoch"})).await;
    assert_eq!(r.status, 400, "{}", r.body);
}
