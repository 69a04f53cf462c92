//! `POST /api/step` answers with exactly what `nnlab step --json` prints.

mod common;

use serde_json::{json, Value};

/// The fixtures were printed by the real binary:
/// `nnlab step --json > tests/fixtures/step_course.json` and
/// `nnlab step --arch 2-3-1 --activation tanh,identity --seed 7 --input 1,0.5 --target 2 --lr 0.1 --json`.
fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

#[tokio::test]
async fn course_step_equals_the_cli_json() {
    let addr = common::start().await;
    // The course's defaults spelled out: w = 1,0.5,1,-1,1,1, b = 0.5,0,0.5, x = (1, 0), y = 2.
    let r = common::post(
        addr,
        "/api/step",
        &json!({"weights": [1, 0.5, 1, -1, 1, 1], "biases": "0.5,0,0.5", "input": [1, 0], "target": 2, "lr": 0.01}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let got = r.json();
    assert_eq!(got, fixture("step_course.json"));
    // The course's published numbers: y_hat = 2.5, loss 0.25, w5 -> 0.985.
    assert_eq!(got["prediction"], json!(2.5));
    assert_eq!(got["after"]["w5"], json!(0.985));
}

#[tokio::test]
async fn general_step_equals_the_cli_json() {
    let addr = common::start().await;
    let r = common::post(
        addr,
        "/api/step",
        &json!({"arch": "2-3-1", "activation": "tanh,identity", "seed": 7, "input": "1,0.5", "target": [2], "lr": 0.1}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), fixture("step_2-3-1.json"));
}

#[tokio::test]
async fn a_whole_network_as_params() {
    let addr = common::start().await;
    // z = 1·1 + 1·2 + 0 = 3 = y_hat (identity), y = 3: loss 0, every gradient 0.
    let net = json!({"layers": [{"activation": "identity", "weights": [[1, 1]], "biases": [0]}]});
    let r = common::post(
        addr,
        "/api/step",
        &json!({"params": net, "input": [1, 2], "target": 3}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["loss"], json!(0.0));
    let both = json!({"params": net, "arch": "2-1", "input": [1, 2], "target": 3});
    let r = common::post(addr, "/api/step", &both).await;
    assert_eq!(
        (r.status, r.error()),
        (
            400,
            "params: the network is given whole; leave out arch".to_string()
        )
    );
}

#[tokio::test]
async fn bad_step_requests_get_a_json_400() {
    let addr = common::start().await;
    let cases = [
        (
            json!({"weights": [1, 2], "input": [1, 0], "target": 2}),
            // JSON clients get the request's field names, not flags (issue 11).
            "weights: expected 6 values (w1..w6), got 2",
        ),
        (
            json!({"input": [1, 0], "target": 2, "lr": -1}),
            "lr: '-1' must be finite and above 0",
        ),
        (
            json!({"input": [1], "target": 2}),
            "input: expected 2 values (x1, x2), got 1",
        ),
        (
            json!({"arch": "2-17-1", "input": [1, 0], "target": 2}),
            "arch: the server allows at most 6 layers of at most 16 neurons",
        ),
        (json!({"input": [1, 0], "target": 2, "loss": "cubic"}), ""),
        (
            json!({"input": [1, 0]}),
            "request body: missing field `target` at line 1 column 15",
        ),
        (json!({"input": [1, 0], "target": 2, "bogus": 1}), ""),
    ];
    for (body, message) in cases {
        let r = common::post(addr, "/api/step", &body).await;
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        if !message.is_empty() {
            assert_eq!(r.error(), message, "{body}");
        } else {
            assert!(!r.error().is_empty());
        }
    }
    let r = common::request(addr, "POST", "/api/step", Some("{not json")).await;
    assert_eq!(r.status, 400);
    assert!(r.error().starts_with("request body: "), "{}", r.body);
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_json_413() {
    let addr = common::start().await;
    let big = format!(
        "{{\"input\": [1, 0], \"target\": 2, \"pad\": \"{}\"}}",
        "x".repeat(nnlab_serve::limits::MAX_BODY_BYTES)
    );
    let r = common::request(addr, "POST", "/api/step", Some(&big)).await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(!r.error().is_empty());
}

#[tokio::test]
async fn the_page_and_unknown_routes() {
    let addr = common::start().await;
    let r = common::get(addr, "/").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<svg id=\"net\""));
    assert!(common::get(addr, "/app.js")
        .await
        .body
        .contains("EventSource"));
    // The page's other scripts, in the order index.html loads them before app.js.
    assert!(common::get(addr, "/present.js")
        .await
        .body
        .contains("function eqElement"));
    assert!(common::get(addr, "/draw.js")
        .await
        .body
        .contains("function drawMath"));
    assert!(common::get(addr, "/network.js")
        .await
        .body
        .contains("function drawNetwork"));
    assert!(common::get(addr, "/charts.js")
        .await
        .body
        .contains("function drawLoss"));
    let r = common::get(addr, "/api/nothing").await;
    assert_eq!(
        (r.status, r.error()),
        (404, "no such page or API route".to_string())
    );
}

/// `GET /api/schema`: every option of the key table, in the shape the page's form reads,
/// with defaults from `Experiment::default()` (lr 0.01, rows 100: the course's).
#[tokio::test]
async fn schema_lists_every_option_with_its_default() {
    let addr = common::start().await;
    let r = common::get(addr, "/api/schema").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let keys = r.json()["keys"].as_array().cloned().unwrap_or_default();
    assert_eq!(keys.len(), nnlab_lab::KEYS.len());
    // The limits the page's +/− buttons stop at (API.md: at most 6 layers after the input
    // of at most 16 neurons, 10,000 rows, 100,000 epochs, 1,000 units a step request).
    assert_eq!(
        r.json()["limits"],
        json!({"max_layers": 6, "max_width": 16, "max_rows": 10000, "max_epochs": 100000, "max_count": 1000})
    );
    let key = |name: &str| keys.iter().find(|k| k["key"] == name).cloned().unwrap();
    assert_eq!(
        key("lr"),
        json!({"key": "lr", "flag": "--lr", "path": "train.lr",
               "help": "Learning rate (above 0) [default: 0.01]", "default": "0.01",
               "switch": false, "choices": null, "group": "train", "applies_to": "any"})
    );
    assert_eq!(key("shuffle")["switch"], json!(true));
    assert_eq!(key("rows")["applies_to"], json!("generated"));
    // The course generator's own ranges do not apply to TF Playground's two-class sets.
    assert_eq!(key("x1")["applies_to"], json!("quadratic"));
    // Columns apply to any table (a CSV or a built-in one), bad rows only to a file.
    assert_eq!(key("inputs")["applies_to"], json!("table"));
    assert_eq!(key("skip_bad_rows")["applies_to"], json!("csv"));
    assert_eq!(
        key("data")["choices"],
        json!([
            "generate",
            "generate:circle",
            "generate:xor",
            "generate:gauss",
            "generate:spiral",
            "builtin:diabetes",
            "builtin:insurance",
            "builtin:course",
            "builtin:penguins"
        ])
    );
    assert_eq!(key("init")["default"], Value::Null);
    assert_eq!(
        key("optimizer")["choices"],
        json!(["sgd", "momentum", "adam"])
    );
}

/// Issue 11: the step API's rules are the command line's (lr above 0 for both, a preset
/// alone), its messages name the request's fields.
#[tokio::test]
async fn step_rules_are_the_train_rules() {
    let addr = common::start().await;
    let cases = [
        (
            json!({"input": [1, 0], "target": 2, "lr": 0}),
            "lr: '0' must be finite and above 0",
        ),
        (
            json!({"input": [1, 0], "target": 2, "lr": "abc"}),
            "lr: 'abc' is not a number",
        ),
        (
            json!({"input": [1, 0], "target": 2, "init": "mixed", "weights": [1, 1, 1, 1, 1, 1]}),
            "init and weights cannot both be given: a preset sets both weights and biases",
        ),
        (
            json!({"input": [1, 0], "target": 2, "arch": "2-x-1"}),
            "arch: '2-x-1' is not an architecture like 2-3-1 (sizes of at least 1, input first)",
        ),
    ];
    for (body, message) in cases {
        let r = common::post(addr, "/api/step", &body).await;
        assert_eq!((r.status, r.error()), (400, message.to_string()), "{body}");
    }
}

/// Issue 11: session bodies get errors naming the JSON field by its path.
#[tokio::test]
async fn session_errors_name_the_json_field() {
    let addr = common::start().await;
    let cases = [
        (
            json!({"train": {"lr": "abc"}}),
            "train.lr: invalid type: string \"abc\", expected f64",
        ),
        (json!({"train": {"lr": 0}}), "train.lr: '0' must be finite and above 0"),
        (
            json!({"data": {"source": "builtin:diabetes", "generator": {"rows": 30}}, "model": {"arch": "10-8-1"}}),
            "data.generator.rows: does not apply to a built-in table (data = builtin:diabetes)",
        ),
        (
            json!({"model": {"init": "mixed", "biases": [0, 0, 0]}}),
            "model.init and model.biases cannot both be given: a preset sets both weights and biases",
        ),
    ];
    for (body, message) in cases {
        let r = common::post(addr, "/api/sessions", &body).await;
        assert_eq!((r.status, r.error()), (400, message.to_string()), "{body}");
    }
}
