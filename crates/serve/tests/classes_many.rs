//! A playground session on a target of more than two classes: `builtin:penguins` (3 species,
//! one-hot) with a softmax output trains as `nnlab train` does and shows its state, plane
//! and predictions.

mod common;

use nnlab_lab::Experiment;
use serde_json::{json, Value};

/// `--data builtin:penguins --inputs bill_length_mm,bill_depth_mm --arch 2-4-3 --activation
/// tanh,softmax --loss cce --test-fraction 0.3 --epochs 2`.
fn penguins() -> Experiment {
    let mut exp = Experiment::default();
    for (k, v) in [
        ("data", "builtin:penguins"),
        ("inputs", "bill_length_mm,bill_depth_mm"),
        ("arch", "2-4-3"),
        ("activation", "tanh,softmax"),
        ("loss", "cce"),
        ("test_fraction", "0.3"),
        ("epochs", "2"),
    ] {
        exp.set(k, v).unwrap_or_else(|e| panic!("{k}={v}: {e}"));
    }
    exp
}

#[tokio::test]
async fn a_three_class_session_trains_as_nnlab_train_does() {
    let addr = common::start().await;
    let exp = penguins();
    let expected = nnlab_lab::run(&exp, &mut |_| {}).expect("the run");
    let id = common::session(addr, &serde_json::to_value(&exp).unwrap()).await;
    let state = common::get(addr, &format!("/api/sessions/{id}")).await;
    assert_eq!(state.status, 200, "{}", state.body);
    let state = state.json();
    // The step shows the row's three outputs against its one-hot target, and the row's
    // class index as its target.
    let target = state["step"]["target"]
        .as_array()
        .expect("a one-hot target");
    assert_eq!(target.len(), 3);
    let hot = target
        .iter()
        .position(|t| t == &json!(1.0))
        .expect("a hot index");
    assert_eq!(state["row_target"], json!(hot as f64));
    assert!(state["train_loss"].as_f64().is_some_and(f64::is_finite));
    // The math panel's loss line is the categorical cross-entropy itself (the report's
    // `loss_equation`), not a regression form of `y_hat - y`.
    let equation = state["step"]["loss_equation"].as_str().unwrap();
    assert!(
        equation.starts_with("loss = -Σ_k y[k]·ln(y_hat[k]) = -("),
        "{equation}"
    );

    let r = common::post(
        addr,
        &format!("/api/sessions/{id}/step"),
        &json!({"unit": "epoch", "count": 2}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let state = r.json();
    for (name, value) in &expected.final_params().0 {
        assert_eq!(
            state["params"][name].as_f64().map(f64::to_bits),
            Some(value.to_bits()),
            "{name}"
        );
    }

    // The plane: each cell's class among the three, the points' classes as the data's
    // (146 Adelie, 68 Chinstrap, 119 Gentoo in penguins.csv).
    let g = common::get(addr, &format!("/api/sessions/{id}/grid?n=5&points=true")).await;
    assert_eq!(g.status, 200, "{}", g.body);
    let g = g.json();
    assert_eq!(g["classes"], json!(["Adelie", "Chinstrap", "Gentoo"]));
    let cells: Vec<&Value> = g["class"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .collect();
    assert_eq!(cells.len(), 25);
    assert!(cells.iter().all(|c| c[0].as_u64().is_some_and(|k| k < 3)));
    let mut per_class = [0usize; 3];
    for p in g["points"].as_array().unwrap() {
        per_class[p["y"].as_f64().unwrap() as usize] += 1;
    }
    assert_eq!(per_class, [146, 68, 119]);

    // The predictions: one per row, the true and the predicted class index.
    let p = common::get(addr, &format!("/api/sessions/{id}/predictions")).await;
    assert_eq!(p.status, 200, "{}", p.body);
    let p = p.json();
    let rows = p["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 333);
    let mut per_class = [0usize; 3];
    for row in rows {
        per_class[row["target"].as_f64().unwrap() as usize] += 1;
        assert!(row["prediction"]
            .as_f64()
            .is_some_and(|c| [0.0, 1.0, 2.0].contains(&c)));
    }
    assert_eq!(per_class, [146, 68, 119]);
}

// A network whose outputs do not match the target's one per class is refused by name.
#[tokio::test]
async fn a_session_with_too_few_outputs_for_the_classes_is_refused() {
    let addr = common::start().await;
    let mut exp = penguins();
    exp.set("arch", "2-4-2").unwrap();
    let r = common::post(addr, "/api/sessions", &serde_json::to_value(&exp).unwrap()).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        r.error(),
        "arch: the network 2-4-2 does not fit data with 2 inputs and 3 targets"
    );
}
