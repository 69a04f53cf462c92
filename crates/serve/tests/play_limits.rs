//! Play and undo at their limits (issue 13): Play with every epoch run is refused, naming
//! why, without saving an undo point (it saved one and did nothing); undo with nothing to
//! undo stays a 409 that says so, and the page disables both buttons then
//! (`browser_defects.rs`).

mod common;

use serde_json::json;

#[tokio::test]
async fn play_after_the_last_epoch_is_refused_without_an_undo_point() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({"train": {"epochs": 2}})).await;
    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/step"),
        &json!({"unit": "epoch", "count": 2}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.json()["epoch"].clone(), r.json()["undo"].clone()),
        (json!(2), json!(1))
    );
    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/play"),
        &json!({"epochs_per_second": 10}),
    )
    .await;
    assert_eq!(
        (r.status, r.error()),
        (
            409,
            "all 2 epochs have run: raise epochs, step on, or reset".to_string()
        )
    );
    let state = common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json();
    assert_eq!(
        (state["undo"].clone(), state["playing"].clone()),
        (json!(1), json!(null))
    );
    // Before the limit Play starts (and saves its one undo point).
    let id = common::session(addr, &json!({"train": {"epochs": 2}})).await;
    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/play"),
        &json!({"epochs_per_second": 10}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["undo"], json!(1));
}

#[tokio::test]
async fn undo_with_nothing_to_undo_says_so() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({})).await;
    let r = common::post(addr, &format!("/api/sessions/{id}/undo"), &json!({})).await;
    assert_eq!((r.status, r.error()), (409, "nothing to undo".to_string()));
}

/// A run of edits of one parameter (a slider drag) is one undo point; another parameter or a
/// step starts a new one.
#[tokio::test]
async fn edits_of_one_parameter_share_an_undo_point() {
    let addr = common::start().await;
    let id = common::session(addr, &json!({})).await;
    let put = |name: &'static str, value: f64| {
        let path = format!("/api/sessions/{id}/params");
        async move { common::put(addr, &path, &json!({"name": name, "value": value})).await }
    };
    let w1 = common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json()["params"]["w1"]
        .clone();
    for v in [1.2, 1.6, 1.9] {
        assert_eq!(put("w1", v).await.status, 200);
    }
    let state = common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json();
    assert_eq!(
        (state["undo"].clone(), state["params"]["w1"].clone()),
        (json!(1), json!(1.9))
    );
    assert_eq!(put("w2", 0.3).await.status, 200);
    assert_eq!(put("w1", 2.0).await.status, 200);
    let state = common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json();
    assert_eq!(state["undo"], json!(3));
    // Undo three times: back to the start, w1 as it began.
    for _ in 0..3 {
        let r = common::post(addr, &format!("/api/sessions/{id}/undo"), &json!({})).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let state = common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json();
    assert_eq!(
        (state["undo"].clone(), state["params"]["w1"].clone()),
        (json!(0), w1)
    );
}
