//! `nnlab step` on classification (issue 14): a one-step golden test of the 2-2-1
//! relu/sigmoid network with binary cross-entropy, every number derived by hand below and
//! compared exactly with `nnlab step --json`; the same step with an L1 and an L2 penalty;
//! the text's shortcut line; a one-hot target with softmax.

use std::process::Command;

use serde_json::{json, Value};

/// The network of the golden step: w = 1, 0.5, 1, -1, 1, -1, b = 0.5, 0, -1, relu hidden
/// layer, sigmoid output, x = (1, 0), y = 1, lr = 0.1.
const NET: [&str; 14] = [
    "step",
    "--activation",
    "relu,sigmoid",
    "--loss",
    "binary_cross_entropy",
    "--weights",
    "1,0.5,1,-1,1,-1",
    "--biases",
    "0.5,0,-1",
    "--input",
    "1,0",
    "--target",
    "1",
    "--lr",
];

fn nnlab(extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args(NET)
        .arg("0.1")
        .args(extra)
        .output()
        .expect("the nnlab binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && out.stderr.is_empty(), "{stderr}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn json_of(extra: &[&str]) -> Value {
    let mut all = extra.to_vec();
    all.push("--json");
    serde_json::from_str(&nnlab(&all)).expect("valid JSON")
}

/// Every number by hand:
///
/// ```text
/// forward   z1 = 1·1 + 0·1 + 0.5 = 1.5, a1 = relu(1.5) = 1.5
///           z2 = 1·0.5 + 0·(-1) + 0 = 0.5, a2 = 0.5
///           z3 = 1.5·1 + 0.5·(-1) + (-1) = 0, y_hat = σ(0) = 1/2
/// loss      max(0, 0) - 0·1 + ln(1 + e^0) = ln 2 = 0.6931471805599453 (Python math.log(2))
/// backward  dL/dy_hat = (1/2 - 1) / (1/2·1/2) = -2 (shown, not used)
///           dL/dz3 = y_hat - y = -1/2 (the shortcut)
///           dL/dw5 = -1/2·a1 = -0.75, dL/dw6 = -1/2·a2 = -0.25, dL/db3 = -0.5
///           dL/da1 = dL/dz3·w5 = -0.5, dL/dz1 = -0.5·relu'(1.5) = -0.5
///           dL/da2 = dL/dz3·w6 = 0.5,  dL/dz2 = 0.5
///           dL/dw1 = dz1·x1 = -0.5, dL/dw2 = dz2·x1 = 0.5,
///           dL/dw3 = dz1·x2 = -0.5·0 = -0.0, dL/dw4 = 0.5·0 = 0.0, dL/db1 = -0.5, dL/db2 = 0.5
/// update    p - 0.1·g, and -0.1·g written `0 - lr·g` (Python reprs):
///           w1 1 - 0.1·(-0.5) = 1.05, w2 0.5 - 0.05 = 0.45, w3 1 (0.1·-0.0), w4 -1,
///           w5 1 + 0.07500000000000001 = 1.075, w6 -1 + 0.025 = -0.975,
///           b1 0.55, b2 -0.05, b3 -1 + 0.05 = -0.95
/// change    after - before: 1.05 - 1 = 0.050000000000000044, 0.45 - 0.5 = -0.04999999999999999,
///           1.075 - 1 = 0.07499999999999996, -0.975 + 1 = 0.025000000000000022,
///           0.55 - 0.5 = 0.050000000000000044, -0.05 - 0 = -0.05, -0.95 + 1 = 0.050000000000000044
/// ```
#[test]
fn golden_bce_step_of_the_course_network() {
    let r = json_of(&[]);
    let nodes = r["nodes"].as_array().expect("nodes");
    let node = |k: usize| {
        let n = &nodes[k];
        (
            n["z"].clone(),
            n["a"].clone(),
            n["dl_da"].clone(),
            n["dl_dz"].clone(),
        )
    };
    assert_eq!(node(0), (json!(1.5), json!(1.5), json!(-0.5), json!(-0.5)));
    assert_eq!(node(1), (json!(0.5), json!(0.5), json!(0.5), json!(0.5)));
    assert_eq!(node(2), (json!(0.0), json!(0.5), json!(-2.0), json!(-0.5)));
    assert_eq!(r["prediction"], json!(0.5));
    // ln 2 exactly as Python prints math.log(2): the constant, to the bit.
    assert_eq!(r["loss"], json!(std::f64::consts::LN_2));
    assert_eq!(r["logit_gradient"], json!(true));
    assert_eq!(r["dl_dy_hat"], json!(-2.0));
    assert_eq!(
        r["gradients"],
        json!({"w1": -0.5, "w2": 0.5, "w3": -0.0, "w4": 0.0, "w5": -0.75, "w6": -0.25,
               "b1": -0.5, "b2": 0.5, "b3": -0.5})
    );
    assert_eq!(
        r["update"],
        json!({"w1": 0.05, "w2": -0.05, "w3": 0.0, "w4": 0.0, "w5": 0.07500000000000001,
               "w6": 0.025, "b1": 0.05, "b2": -0.05, "b3": 0.05})
    );
    assert_eq!(
        r["after"],
        json!({"w1": 1.05, "w2": 0.45, "w3": 1.0, "w4": -1.0, "w5": 1.075, "w6": -0.975,
               "b1": 0.55, "b2": -0.05, "b3": -0.95})
    );
    assert_eq!(
        r["change"],
        json!({"w1": 0.050000000000000044, "w2": -0.04999999999999999, "w3": 0.0, "w4": 0.0,
               "w5": 0.07499999999999996, "w6": 0.025000000000000022, "b1": 0.050000000000000044,
               "b2": -0.05, "b3": 0.050000000000000044})
    );
    assert_eq!(
        r["loss_equation"],
        json!("loss = -(y·ln(y_hat) + (1 - y)·ln(1 - y_hat)) = max(z3, 0) - z3·y + ln(1 + e^-|z3|) = max(0, 0) - 0·1 + ln(1 + e^-|0|) = 0.6931471805599453")
    );
    assert_eq!(
        nodes[2]["dl_dz_equation"],
        json!("sigmoid + binary cross-entropy: dL/dz3 = y_hat - y = 0.5 - 1 = -0.5 (dL/dy_hat · sigmoid'(z3) simplified: exact, also where sigmoid saturates)")
    );
    // The chain starts at dL/dz3 = y_hat - y: one factor where squared error has two.
    let w1 = &r["gradient_factors"][0];
    assert_eq!(w1["formula"], json!("(y_hat - y) · w5 · relu'(z1) · x1"));
    assert_eq!(w1["factors"], json!([-0.5, 1.0, 1.0, 1.0]));
    assert!(r.get("penalty").is_none(), "no penalty without --l1/--l2");
}

/// The golden step with `--l1 0.01 --l2 0.1`. Σ|w| = 1 + 0.5 + 1 + 1 + 1 + 1 = 5.5 and
/// Σw² = 1 + 0.25 + 1 + 1 + 1 + 1 = 5.25, so the penalty is 0.01·5.5 + 0.1·5.25 =
/// 0.5800000000000001 and the loss ln 2 + that = 1.2731471805599455 (Python). Each weight's
/// gradient gains 0.01·sign(w) + 2·0.1·w: w1 -0.5 + 0.21000000000000002 = -0.29, w2 0.5 +
/// 0.11 = 0.61, w3 0.21000000000000002, w4 -0.21000000000000002, w5 -0.75 + 0.21... = -0.54,
/// w6 -0.25 - 0.21... = -0.46; biases unchanged. After: 1 - 0.1·(-0.29) = 1.029, 0.439, 0.979,
/// -0.979, 1.054, -0.954, and the biases of the plain step.
#[test]
fn golden_step_with_l1_and_l2() {
    let r = json_of(&["--l1", "0.01", "--l2", "0.1"]);
    assert_eq!(
        r["penalty"],
        json!({"l1": 0.01, "l2": 0.1, "sum_abs_w": 5.5, "sum_sq_w": 5.25,
               "value": 0.5800000000000001, "data_loss": std::f64::consts::LN_2})
    );
    assert_eq!(r["loss"], json!(1.2731471805599455));
    assert_eq!(
        r["gradients"],
        json!({"w1": -0.29, "w2": 0.61, "w3": 0.21000000000000002, "w4": -0.21000000000000002,
               "w5": -0.54, "w6": -0.46, "b1": -0.5, "b2": 0.5, "b3": -0.5})
    );
    assert_eq!(
        r["after"],
        json!({"w1": 1.029, "w2": 0.439, "w3": 0.979, "w4": -0.979, "w5": 1.054, "w6": -0.954,
               "b1": 0.55, "b2": -0.05, "b3": -0.95})
    );
    assert!(r["loss_equation"].as_str().expect("text").ends_with(
        "; with the weight penalty: loss = data loss + λ1·Σ|w| + λ2·Σw² = 0.6931471805599453 + 0.01·5.5 + 0.1·5.25 = 1.2731471805599455"
    ));
    let w4 = &r["gradient_factors"][3];
    assert_eq!(
        w4["penalty"],
        json!({"formula": "λ1·sign(w4) + 2λ2·w4", "numbers": "0.01·(-1) + 2·0.1·(-1)",
               "value": -0.21000000000000002})
    );
    assert!(
        r["gradient_factors"][8].get("penalty").is_none(),
        "b3 has none"
    );
    let text = nnlab(&["--l1", "0.01", "--l2", "0.1"]);
    assert!(
        text.contains("  dL/dw5 = (y_hat - y) · a1 + λ1·sign(w5) + 2λ2·w5 = (-0.5) · 1.5 + 0.01·1 + 2·0.1·1 = -0.54\n"),
        "{text}"
    );
}

// The text shows the shortcut right after dL/dy_hat, before the products that start at it.
#[test]
fn text_shows_where_the_shortcut_applies() {
    let text = nnlab(&[]);
    let expected = "\
Backward pass (chain rule)
  dL/dy_hat = (y_hat - y) / (y_hat(1 - y_hat)) = (0.5 - 1) / (0.5·(1 - 0.5)) = -2
  sigmoid + binary cross-entropy: dL/dz3 = y_hat - y = 0.5 - 1 = -0.5 (dL/dy_hat · sigmoid'(z3) simplified: exact, also where sigmoid saturates)
  dL/dw1 = (y_hat - y) · w5 · relu'(z1) · x1 = (-0.5) · 1 · 1 · 1 = -0.5
";
    assert!(text.contains(expected), "{text}");
}

// A one-hot target with a softmax output: softmax(0, 0, 0) = 1/3 each (zero weights), so
// the loss is -ln(1/3) = ln 3 = 1.0986122886681098 (Python math.log(3)) and
// dL/dz = y_hat - y = (1/3, 1/3 - 1, 1/3).
#[test]
fn one_hot_target_with_softmax() {
    let out = Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args([
            "step",
            "--arch",
            "2-2-3",
            "--activation",
            "relu,softmax",
            "--weights",
        ])
        .args([
            "const:0", "--loss", "cce", "--input", "1,2", "--target", "0,1,0", "--json",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(r["loss"], json!(1.0986122886681098));
    let third = 1.0 / 3.0;
    let dz: Vec<f64> = (2..5)
        .map(|k| r["nodes"][k]["dl_dz"].as_f64().unwrap())
        .collect();
    assert_eq!(dz, [third, third - 1.0, third]);
}
