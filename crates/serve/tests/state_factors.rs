//! `?factors=` on the session's state (issue 13, speed): the step report's chain-rule factors
//! for every parameter (the default, as `nnlab step --json`), for none, or for one, on `GET`,
//! on a change's answer and on the event stream; everything else in the state unchanged.
//! `?nodes=` does the same for the nodes' backward equations.

mod common;

use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The names whose factors a state carries.
fn factor_names(state: &Value) -> Vec<String> {
    state["step"]["gradient_factors"]
        .as_array()
        .expect("gradient_factors")
        .iter()
        .map(|g| g["name"].as_str().expect("a name").to_string())
        .collect()
}

/// `state` with its factors left out, to compare the rest.
fn without_factors(mut state: Value) -> Value {
    state["step"]["gradient_factors"] = json!([]);
    state
}

#[tokio::test]
async fn factors_all_none_or_one_parameter() {
    let addr = common::start().await;
    // The course network (2-2-1): nine parameters in the library's display order.
    let id = common::session(addr, &json!({})).await;
    let all = common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json();
    assert_eq!(
        factor_names(&all),
        ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
    );
    let explicit = common::get(addr, &format!("/api/sessions/{id}?factors=all"))
        .await
        .json();
    assert_eq!(explicit, all);

    let none = common::get(addr, &format!("/api/sessions/{id}?factors=none"))
        .await
        .json();
    assert_eq!(factor_names(&none), Vec::<String>::new());
    assert_eq!(without_factors(none), without_factors(all.clone()));

    // One parameter: exactly its entry of the full report (formula, factors, value).
    let w5 = common::get(addr, &format!("/api/sessions/{id}?factors=w5&row=1"))
        .await
        .json();
    let full = common::get(addr, &format!("/api/sessions/{id}?row=1"))
        .await
        .json();
    let expected = full["step"]["gradient_factors"]
        .as_array()
        .and_then(|f| f.iter().find(|g| g["name"] == "w5"))
        .cloned()
        .expect("w5 in the full report");
    assert_eq!(w5["step"]["gradient_factors"], json!([expected]));
    assert_eq!(without_factors(w5), without_factors(full));

    // A name the network lacks gives none (a resize can remove the page's selection).
    let gone = common::get(
        addr,
        &format!("/api/sessions/{id}?factors=L3.w%5B1%5D%5B1%5D"),
    )
    .await
    .json();
    assert_eq!(factor_names(&gone), Vec::<String>::new());
}

/// The names of the nodes whose backward equations a state carries.
fn nodes_explained(state: &Value) -> Vec<String> {
    let nodes = state["step"]["nodes"].as_array().expect("nodes");
    nodes
        .iter()
        .filter(|n| n["dl_da_equation"] != "" || n["dl_dz_equation"] != "")
        .map(|n| n["name"].as_str().expect("a name").to_string())
        .collect()
}

/// `state` with its nodes' backward equations left out, to compare the rest.
fn without_backward(mut state: Value) -> Value {
    for n in state["step"]["nodes"].as_array_mut().expect("nodes") {
        n["dl_da_equation"] = json!("");
        n["dl_dz_equation"] = json!("");
    }
    state
}

#[tokio::test]
async fn nodes_all_none_or_one() {
    let addr = common::start().await;
    // The course network's three neurons, named as `nnlab step` names them.
    let id = common::session(addr, &json!({})).await;
    let all = common::get(addr, &format!("/api/sessions/{id}?row=1"))
        .await
        .json();
    assert_eq!(nodes_explained(&all), ["node 1", "node 2", "node 3"]);
    let explicit = common::get(addr, &format!("/api/sessions/{id}?row=1&nodes=all"))
        .await
        .json();
    assert_eq!(explicit, all);
    let none = common::get(addr, &format!("/api/sessions/{id}?row=1&nodes=none"))
        .await
        .json();
    assert_eq!(nodes_explained(&none), Vec::<String>::new());
    // The forward equations stay (the diagram's tooltips), and everything else.
    assert_eq!(
        none["step"]["nodes"][0]["equation"],
        all["step"]["nodes"][0]["equation"]
    );
    assert_eq!(without_backward(none), without_backward(all.clone()));
    // One node: exactly its equations of the full report.
    let two = common::get(addr, &format!("/api/sessions/{id}?row=1&nodes=node%202"))
        .await
        .json();
    assert_eq!(nodes_explained(&two), ["node 2"]);
    assert_eq!(two["step"]["nodes"][1], all["step"]["nodes"][1]);
    assert_eq!(without_backward(two), without_backward(all));
}

#[tokio::test]
async fn a_change_answers_with_the_factors_asked_for() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({})).await;
    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/step?factors=b3&since=0"),
        &json!({"unit": "sample", "count": 1}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(factor_names(&r.json()), ["b3"]);
    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/undo?factors=none"),
        &json!(null),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(factor_names(&r.json()), Vec::<String>::new());
    // An option the state does not have is refused, naming it.
    let r = common::get(addr, &format!("/api/sessions/{id}?factor=w5")).await;
    assert_eq!(r.status, 400);
    assert!(r.error().contains("factor"), "{}", r.error());
}

/// At 10-16-16-1 on `builtin:diabetes` (465 parameters) the factors and the plain-SGD step
/// are 40% of a state: 276 KB, 200 KB with `factors=none`, 162 KB also with `sgd=false`
/// when measured for BENCHMARKS.md (the rest: the node equations, the update preview); the
/// nodes' backward equations (`nodes=none` leaves them out) are a tenth of what is left.
#[tokio::test]
async fn a_big_state_without_factors_and_sgd_step() {
    let addr = common::start().await;
    let id = common::session(
        addr,
        &json!({"data": {"source": "builtin:diabetes"}, "model": {"arch": "10-16-16-1"}}),
    )
    .await;
    let size = |q: &'static str| {
        let id = id.clone();
        async move {
            common::get(addr, &format!("/api/sessions/{id}?row=1{q}"))
                .await
                .body
                .len()
        }
    };
    let all = common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json();
    assert_eq!(factor_names(&all).len(), 465);
    let (full, none, lean, leaner) = (
        size("").await,
        size("&factors=none").await,
        size("&factors=none&sgd=false").await,
        size("&factors=none&sgd=false&nodes=none").await,
    );
    assert!(
        10 * none < 8 * full,
        "{none} bytes without factors, {full} with"
    );
    assert!(
        10 * lean < 65 * full / 10,
        "{lean} bytes lean, {full} in full"
    );
    // The 33 neurons' backward equations: 18 KB of this 147 KB state before any step (26 KB
    // of 170 after three epochs, when measured for API.md).
    assert!(
        10 * leaner < 9 * lean,
        "{leaner} bytes without the backward equations, {lean} with"
    );
}

#[tokio::test]
async fn sgd_false_leaves_out_the_plain_sgd_step() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({})).await;
    let full = common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json();
    let lean = common::get(addr, &format!("/api/sessions/{id}?sgd=false"))
        .await
        .json();
    let mut expected = full.clone();
    for k in ["update", "after", "change"] {
        assert_eq!(full["step"][k].as_object().map(|m| m.len()), Some(9), "{k}");
        expected["step"][k] = json!({});
    }
    assert_eq!(lean, expected);
    let r = common::get(addr, &format!("/api/sessions/{id}?sgd=maybe")).await;
    assert_eq!(r.status, 400);
    assert!(r.error().contains("sgd"), "{}", r.error());
}

#[tokio::test]
async fn the_event_stream_sends_the_factors_asked_for() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({})).await;
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET /api/sessions/{id}/events?factors=w2 HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    // The first event is the state now; read until it is complete (a blank line ends it).
    let mut seen = String::new();
    let mut buf = [0u8; 65536];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !seen.contains("event: state") || !seen.contains("}\n\n") {
        let n = tokio::time::timeout_at(deadline, s.read(&mut buf))
            .await
            .expect("an event in time")
            .unwrap();
        assert!(n > 0, "stream closed");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let data = seen
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("a data line");
    let state: Value = serde_json::from_str(data).expect("a state");
    assert_eq!(factor_names(&state), ["w2"]);
}
