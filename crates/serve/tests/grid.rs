//! `GET /api/sessions/{id}/grid`: the output over the input plane, each hidden neuron's `a`
//! over the same grid (`neurons=true`) and the data's rows (`points=true`), checked against
//! the course network worked by hand.

mod common;

use serde_json::{json, Value};

/// Five rows of two inputs, unscaled, one of them held out for testing.
const CSV: &str = "a,b,y\n0,0,0\n1,0,1\n0,1,1\n2,3,2\n1,2,5\n";

/// A session on [`CSV`]; `init` is a course preset, or `None` for the default start.
async fn session(addr: std::net::SocketAddr, init: Option<&str>, arch: &str) -> String {
    let mut model = json!({ "arch": arch });
    if let Some(init) = init {
        model["init"] = json!(init);
    }
    let body = json!({
        "experiment": {
            "data": {"source": "t.csv", "inputs": ["a", "b"], "target": "y",
                     "scale": "none", "test_fraction": 0.2},
            "model": model,
        },
        "csv": CSV,
    });
    common::session(addr, &body).await
}

#[tokio::test]
async fn each_hidden_neuron_s_output_over_the_grid_is_the_forward_pass_by_hand() {
    let addr = common::start().await;
    let id = session(addr, Some("high-small"), "2-2-1").await;
    let g = common::get(addr, &format!("/api/sessions/{id}/grid?n=3&neurons=true"))
        .await
        .json();
    // All five rows span a in [0, 2] and b in [0, 3].
    assert_eq!(g["x1"], json!([0.0, 1.0, 2.0]));
    assert_eq!(g["x2"], json!([0.0, 1.5, 3.0]));
    let n = g["neurons"].as_array().expect("neurons");
    assert_eq!(
        n.len(),
        2,
        "the two hidden neurons of 2-2-1, not the output"
    );
    assert_eq!((&n[0]["layer"], &n[0]["neuron"]), (&json!(1), &json!(1)));
    assert_eq!((&n[1]["layer"], &n[1]["neuron"]), (&json!(1), &json!(2)));
    // The preset high-small: w1..w6 = 3, 1.5, 3, -2, 1.5, 3 and b1..b3 = 0.5, 0, 0.5
    // (nnlab_core::course::PRESETS). w1 and w3 feed neuron 1 from x1 and x2, w2 and w4
    // neuron 2 (course.rs: z1 = x1*w1 + x2*w3 + b1). No scaling, so the grid's inputs go in
    // as they are. a[j][i] is at (x1[i], x2[j]).
    // At (1, 1.5): z1 = 1·3 + 1.5·3 + 0.5 = 8 -> a1 = 8;
    //              z2 = 1·1.5 + 1.5·(-2) + 0 = -1.5 -> a2 = relu(-1.5) = 0.
    assert_eq!(n[0]["a"][1][1], json!(8.0));
    assert_eq!(n[1]["a"][1][1], json!(0.0));
    // At (2, 0): z1 = 6 + 0 + 0.5 = 6.5 -> a1 = 6.5; z2 = 3 + 0 + 0 = 3 -> a2 = 3;
    //            z3 = a1·w5 + a2·w6 + b3 = 6.5·1.5 + 3·3 + 0.5 = 19.25 = y_hat.
    assert_eq!(n[0]["a"][0][2], json!(6.5));
    assert_eq!(n[1]["a"][0][2], json!(3.0));
    assert_eq!(g["z"][0][2], json!(19.25));
    // At (0, 0) only the biases: a1 = 0.5, a2 = 0.
    assert_eq!(n[0]["a"][0][0], json!(0.5));
    assert_eq!(n[1]["a"][0][0], json!(0.0));
    // Without the flags the answer carries neither (the chart asks for them only when shown).
    let plain = common::get(addr, &format!("/api/sessions/{id}/grid?n=3"))
        .await
        .json();
    assert!(plain.get("neurons").is_none() && plain.get("points").is_none());
    assert_eq!(plain["z"], g["z"]);
}

#[tokio::test]
async fn the_grid_lists_the_neurons_of_every_hidden_layer_in_order() {
    let addr = common::start().await;
    let id = session(addr, None, "2-3-2-1").await;
    let g = common::get(addr, &format!("/api/sessions/{id}/grid?n=4&neurons=true"))
        .await
        .json();
    let ids: Vec<(Value, Value)> = g["neurons"]
        .as_array()
        .expect("neurons")
        .iter()
        .map(|k| (k["layer"].clone(), k["neuron"].clone()))
        .collect();
    let want: Vec<(Value, Value)> = [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2)]
        .iter()
        .map(|&(l, j)| (json!(l), json!(j)))
        .collect();
    assert_eq!(ids, want);
    for k in g["neurons"].as_array().expect("neurons") {
        let a = k["a"].as_array().expect("a");
        assert_eq!(a.len(), 4);
        assert!(a.iter().all(|row| row.as_array().map(Vec::len) == Some(4)));
    }
}

#[tokio::test]
async fn the_points_are_every_row_in_original_units_and_lie_on_the_grid() {
    let addr = common::start().await;
    let id = session(addr, Some("course"), "2-2-1").await;
    let state = common::get(addr, &format!("/api/sessions/{id}?row=1"))
        .await
        .json();
    let g = common::get(addr, &format!("/api/sessions/{id}/grid?n=3&points=true"))
        .await
        .json();
    let points = g["points"].as_array().expect("points");
    let count = |set: &str| points.iter().filter(|p| p["set"] == set).count();
    // 5 rows, test_fraction 0.2: one test row, four training rows (as the state says).
    assert_eq!(count("train"), 4);
    assert_eq!(count("test"), 1);
    assert_eq!(json!(count("train")), state["data"]["train_rows"]);
    // Every row of the CSV once, with its target.
    let mut rows: Vec<(f64, f64, f64)> = points
        .iter()
        .map(|p| {
            let f = |k: &str| p[k].as_f64().expect("a number");
            (f("x1"), f("x2"), f("y"))
        })
        .collect();
    rows.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
    let want = [
        (0.0, 0.0, 0.0),
        (0.0, 1.0, 1.0),
        (1.0, 0.0, 1.0),
        (1.0, 2.0, 5.0),
        (2.0, 3.0, 2.0),
    ];
    assert_eq!(rows, want);
    // The training rows' first one is the state's row 1 (original units).
    let first = points.iter().find(|p| p["set"] == "train").expect("a row");
    assert_eq!(json!([first["x1"], first["x2"]]), state["row_input"]);
    // The grid spans all rows, the test row included.
    assert_eq!(g["x1"], json!([0.0, 1.0, 2.0]));
    assert_eq!(g["x2"], json!([0.0, 1.5, 3.0]));
}
