//! `nnlab step` run as a real binary: whole outputs, JSON for every row of the course's
//! published tables (input (1, 0), target 2), other formats and networks, and every kind of
//! bad input (exit code 2, one line on stderr, nothing on stdout).

use std::process::{Command, Output};

use nnlab_fixtures::{num, FORWARD, NAMES, UPDATE};
use nnlab_report::StepReport;
use serde_json::Value;

fn nnlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args(args)
        .output()
        .expect("the nnlab binary runs")
}

/// Runs a command that must succeed and returns its stdout.
fn stdout_of(args: &[&str]) -> String {
    let out = nnlab(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?} failed: {stderr}");
    assert!(out.stderr.is_empty(), "{args:?} wrote to stderr: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

fn json_of(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    serde_json::from_str(&stdout_of(&all)).expect("valid JSON")
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

/// Checked by hand line by line against the course's example (w = 1,0.5,1,-1,1,1,
/// b = 0.5,0,0.5, x = (1, 0), y = 2, lr 0.01): a1 = 1.5, a2 = 0.5, y_hat = 2.5, loss 0.25,
/// dL/dy_hat = 1, gradients w1..b3 = 1, 1, 0, 0, 1.5, 0.5, 1, 1, 1; the `after` column is
/// the lr 0.01 row of the published update table; `change` is Python's
/// `repr(0.99 - 1) = '-0.010000000000000009'`, `repr(0.985 - 1) = '-0.015000000000000013'`,
/// `repr(0.995 - 1) = '-0.0050000000000000044'`, `repr(0.49 - 0.5) = '-0.010000000000000009'`.
const DEFAULT_TEXT: &str = "\
One gradient-descent step: network 2-2-1 (relu, relu), loss squared_error, learning rate 0.01
input x = (1.0, 0.0), target y = 2.0

Forward pass (z = inputs·weights + bias, a = activation(z))
  node 1: z1 = 1·1 + 0·1 + 0.5 = 1.5 -> relu -> a1 = 1.5
  node 2: z2 = 1·0.5 + 0·(-1) + 0 = 0.5 -> relu -> a2 = 0.5
  node 3: z3 = 1.5·1 + 0.5·1 + 0.5 = 2.5 -> relu -> y_hat = 2.5

Prediction and loss
  prediction y_hat = 2.5, target y = 2.0
  loss = (y_hat - y)^2 = (2.5 - 2)^2 = 0.25

Backward pass (chain rule)
  dL/dy_hat = 2(y_hat - y) = 2(2.5 - 2) = 1
  dL/dw1 = 2(y_hat - y) · relu'(z3) · w5 · relu'(z1) · x1 = 1 · 1 · 1 · 1 · 1 = 1
  dL/dw2 = 2(y_hat - y) · relu'(z3) · w6 · relu'(z2) · x1 = 1 · 1 · 1 · 1 · 1 = 1
  dL/dw3 = 2(y_hat - y) · relu'(z3) · w5 · relu'(z1) · x2 = 1 · 1 · 1 · 1 · 0 = 0
  dL/dw4 = 2(y_hat - y) · relu'(z3) · w6 · relu'(z2) · x2 = 1 · 1 · 1 · 1 · 0 = 0
  dL/dw5 = 2(y_hat - y) · relu'(z3) · a1 = 1 · 1 · 1.5 = 1.5
  dL/dw6 = 2(y_hat - y) · relu'(z3) · a2 = 1 · 1 · 0.5 = 0.5
  dL/db1 = 2(y_hat - y) · relu'(z3) · w5 · relu'(z1) = 1 · 1 · 1 · 1 = 1
  dL/db2 = 2(y_hat - y) · relu'(z3) · w6 · relu'(z2) = 1 · 1 · 1 · 1 = 1
  dL/db3 = 2(y_hat - y) · relu'(z3) = 1 · 1 = 1

Update: p_new = p - lr·dL/dp with lr = 0.01
  param  before  gradient  -lr·gradient  after                  change
  -----  ------  --------  ------------  -----  ----------------------
  w1        1.0       1.0         -0.01   0.99   -0.010000000000000009
  w2        0.5       1.0         -0.01   0.49   -0.010000000000000009
  w3        1.0       0.0           0.0    1.0                     0.0
  w4       -1.0       0.0           0.0   -1.0                     0.0
  w5        1.0       1.5        -0.015  0.985   -0.015000000000000013
  w6        1.0       0.5        -0.005  0.995  -0.0050000000000000044
  b1        0.5       1.0         -0.01   0.49   -0.010000000000000009
  b2        0.0       1.0         -0.01  -0.01                   -0.01
  b3        0.5       1.0         -0.01   0.49   -0.010000000000000009
";

#[test]
fn default_text_output() {
    assert_eq!(stdout_of(&["step"]), DEFAULT_TEXT);
    // The defaults are the course's: spelling them out changes nothing.
    let explicit = [
        "step",
        "--weights",
        "1,0.5,1,-1,1,1",
        "--biases",
        "0.5,0,0.5",
        "--input",
        "1,0",
        "--target",
        "2",
        "--lr",
        "0.01",
        "--init",
        "course",
    ];
    let mut without_init = explicit.to_vec();
    without_init.truncate(11);
    assert_eq!(stdout_of(&without_init), DEFAULT_TEXT);
    assert_eq!(stdout_of(&["step", "--init", "course"]), DEFAULT_TEXT);
}

#[test]
fn json_forward_table_every_row() {
    // The course's published forward-pass table (shared fixture), lr 0.01.
    for row in FORWARD {
        let (preset, w, b) = (row.preset, row.weights_flag(), row.biases_flag());
        let [a1, a2, prediction, loss] = [row.a1, row.a2, row.prediction, row.loss].map(num);
        let by_values = json_of(&["step", "--weights", &w, "--biases", &b]);
        let by_preset = json_of(&["step", "--init", preset]);
        assert_eq!(by_values, by_preset, "{preset}");
        let nodes = by_values["nodes"].as_array().unwrap();
        // Every published node value is positive, so relu passes z through: z = a.
        for (node, expected) in nodes.iter().zip([a1, a2, prediction]) {
            assert_eq!(f(&node["a"]), expected, "{preset} {}", node["name"]);
            assert_eq!(f(&node["z"]), expected, "{preset} {}", node["name"]);
        }
        assert_eq!(nodes[0]["name"], "node 1");
        assert_eq!(nodes[2]["a_name"], "y_hat");
        assert_eq!(f(&by_values["prediction"]), prediction, "{preset}");
        assert_eq!(f(&by_values["loss"]), loss, "{preset}");
        assert_eq!(by_values["arch"], "2-2-1");
    }
}

#[test]
fn json_update_table_every_row() {
    // The course's published one-update table (shared fixture).
    for row in UPDATE {
        let (lr, after) = (row.lr, row.after.map(num));
        let r = json_of(&["step", "--lr", lr]);
        // Keys come in the course's reading order, not sorted: read the JSON back into the
        // report type, whose maps keep document order (serde_json's Value would sort them).
        let text = stdout_of(&["step", "--lr", lr, "--json"]);
        let report: StepReport = serde_json::from_str(&text).unwrap();
        assert_eq!(report.after.names().collect::<Vec<_>>(), NAMES);
        assert_eq!(report.gradients.names().collect::<Vec<_>>(), NAMES);
        for (name, expected) in NAMES.iter().zip(after) {
            assert_eq!(f(&r["after"][name]), expected, "lr {lr}, {name}");
        }
        assert_eq!(f(&r["lr"]), lr.parse::<f64>().unwrap());
        assert_eq!(f(&r["gradients"]["w5"]), 1.5);
        let w5 = &r["gradient_factors"][4];
        assert_eq!(w5["formula"], "2(y_hat - y) · relu'(z3) · a1");
        assert_eq!(w5["factors"], serde_json::json!([1.0, 1.0, 1.5]));
    }
}

#[test]
fn exact_fit_json_never_moves() {
    for lr in ["0.005", "0.01", "0.25", "1"] {
        let r = json_of(&["step", "--init", "mixed", "--lr", lr]);
        assert_eq!(r["after"], r["before"], "lr {lr}");
        assert_eq!(f(&r["loss"]), 0.0);
    }
}

#[test]
fn markdown_output() {
    let md = stdout_of(&["step", "--format", "markdown"]);
    assert!(md.starts_with("# One gradient-descent step\n\nNetwork 2-2-1 (relu, relu), loss squared_error, learning rate 0.01; input x = (1.0, 0.0), target y = 2.0.\n"));
    assert!(md.contains("```text\nnode 1: z1 = 1·1 + 0·1 + 0.5 = 1.5 -> relu -> a1 = 1.5\n"));
    assert!(md.contains("\n| param | before | gradient | -lr·gradient | after |                 change |\n| :---- | -----: | -------: | -----------: | ----: | ---------------------: |\n| w1    |    1.0 |      1.0 |        -0.01 |  0.99 |  -0.010000000000000009 |\n"));
    assert!(md.contains("dL/dw5 = 2(y_hat - y) · relu'(z3) · a1 = 1 · 1 · 1.5 = 1.5\n"));
    // Fences are balanced.
    assert_eq!(md.matches("```").count() % 2, 0);
}

#[test]
fn three_steps() {
    let r = json_of(&["step", "--steps", "3"]);
    let rows = r["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(f(&rows[0]["prediction"]), 2.5);
    assert_eq!(f(&rows[0]["loss"]), 0.25);
    // Row 1 holds the parameters after one step: the lr 0.01 row of the published table.
    for (name, expected) in NAMES.iter().zip(UPDATE[1].after.map(num)) {
        assert_eq!(f(&rows[1]["params"][name]), expected, "{name}");
    }
    assert_eq!(rows[1]["params"], r["first"]["after"]);
    let losses: Vec<f64> = rows.iter().map(|row| f(&row["loss"])).collect();
    assert!(losses.windows(2).all(|w| w[1] < w[0]), "{losses:?}");
    let text = stdout_of(&["step", "--steps", "3"]);
    assert!(text.starts_with("One gradient-descent step: network 2-2-1"));
    assert!(text.contains("\nSteps: 3 steps on the same example with lr = 0.01; row k is the state after k steps\n  step          prediction                 loss  "));
    assert!(text.contains("\n  0                    2.5                 0.25  "));
    let md = stdout_of(&["step", "--steps", "3", "--format", "markdown"]);
    assert!(md.contains("\n## Steps\n"));
}

#[test]
fn general_network_with_seed() {
    let args = [
        "step",
        "--arch",
        "2-3-1",
        "--activation",
        "tanh,identity",
        "--seed",
        "1",
    ];
    let r = json_of(&args);
    assert_eq!(r["arch"], "2-3-1");
    assert_eq!(r["activations"], serde_json::json!(["tanh", "identity"]));
    assert_eq!(r["gradients"].as_object().unwrap().len(), 3 * 2 + 3 + 3 + 1);
    assert_eq!(r["nodes"][1]["name"], "L1.n2");
    assert_eq!(r["gradient_factors"][2]["formula"], "dL/dz(L1.n2) · x1");
    // Same seed, same network; another seed, another.
    assert_eq!(json_of(&args), r);
    let other = json_of(&[
        "step",
        "--arch",
        "2-3-1",
        "--activation",
        "tanh,identity",
        "--seed",
        "2",
    ]);
    assert_ne!(other["before"], r["before"]);
    // Default initialization elsewhere than 2-2-1: glorot weights, zero biases.
    assert_eq!(f(&r["before"]["L1.b[2]"]), 0.0);
    let text = stdout_of(&args);
    assert!(text.contains("\n  layer 1:\n    dL/da(L1.n1) = dL/dz(L2.n1) · L2.w[1][1] = "));
}

#[test]
fn params_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.json");
    // The course network, w1 = 1 (node 1 from x1), w3 = 1 (node 1 from x2), w2 = 0.5, w4 = -1.
    let json = r#"{"layers":[
        {"activation":"relu","weights":[[1,1],[0.5,-1]],"biases":[0.5,0]},
        {"activation":"relu","weights":[[1,1]],"biases":[0.5]}]}"#;
    std::fs::write(&path, json).unwrap();
    let path = path.to_str().unwrap();
    assert_eq!(stdout_of(&["step", "--params", path]), DEFAULT_TEXT);
    let r = json_of(&["step", "--params", path, "--lr", "0.25"]);
    for (name, expected) in NAMES.iter().zip(UPDATE[5].after.map(num)) {
        assert_eq!(f(&r["after"][name]), expected, "{name}");
    }
}

#[test]
fn gradient_check() {
    for args in [
        vec!["step", "--check"],
        vec![
            "step",
            "--check",
            "--arch",
            "2-3-1",
            "--activation",
            "tanh,identity",
            "--seed",
            "1",
        ],
    ] {
        let r = json_of(&args);
        assert!(f(&r["check"]["max_rel_error"]) < 1e-6, "{args:?}");
        assert_eq!(r["check"]["passed"], true);
        let text = stdout_of(&args);
        assert!(text.contains("\nGradient check: central differences"));
        assert!(text.contains("tolerance 1e-06: PASS"));
    }
    assert!(json_of(&["step"]).get("check").is_none());
}

/// Bad input: exit code 2, exactly one line on stderr naming the flag and the value, nothing
/// on stdout.
#[test]
fn bad_input_is_one_line_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad_json = dir.path().join("bad.json");
    std::fs::write(&bad_json, "{\"layers\": [").unwrap();
    let bad_json = bad_json.to_str().unwrap().to_string();
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec!["--weights", "1,2,3,4,5"], "--weights: expected 6 values (w1..w6), got 5".into()),
        (vec!["--biases", "1,2"], "--biases: expected 3 values (b1..b3), got 2".into()),
        (vec!["--input", "abc"], "--input: 'abc' is not a number".into()),
        (vec!["--input", "1,0,3"], "--input: expected 2 values (x1, x2), got 3".into()),
        (vec!["--target", "1,2"], "--target: expected 1 value (y), got 2".into()),
        (vec!["--input", "nan,0"], "--input: 'nan' is not finite".into()),
        (vec!["--target", "inf"], "--target: 'inf' is not finite".into()),
        (vec!["--weights", "-inf,1,1,1,1,1"], "--weights: '-inf' is not finite".into()),
        (vec!["--biases", "0.5,NaN,0.5"], "--biases: 'NaN' is not finite".into()),
        (vec!["--lr", "fast"], "--lr: 'fast' is not a number".into()),
        // One rule for `step` and `train` (issue 11): lr above 0.
        (vec!["--lr", "-0.1"], "--lr: '-0.1' must be finite and above 0".into()),
        (vec!["--lr", "0"], "--lr: '0' must be finite and above 0".into()),
        (
            vec!["--init", "mixed", "--weights", "1,1,1,1,1,1"],
            "--init and --weights cannot both be given: a preset sets both weights and biases".into(),
        ),
        (
            vec!["--activation", "softmin"],
            "--activation: unknown activation 'softmin' (expected relu, leaky_relu[:slope], sigmoid, tanh, identity or softmax)".into(),
        ),
        (
            vec!["--activation", "softmax"],
            "--activation: invalid architecture '2-2-1': softmax is only valid as the last layer's activation (layer 1 of 2)".into(),
        ),
        (
            vec!["--activation", "relu,softmax"],
            "--activation: invalid architecture '2-2-1': softmax needs at least 2 output neurons (for one output use sigmoid)".into(),
        ),
        (
            vec!["--loss", "bce"],
            "--loss: binary_cross_entropy needs a sigmoid output layer (the last activation), not the default relu: set the activation to relu,sigmoid".into(),
        ),
        (
            vec!["--loss", "bce", "--activation", "tanh"],
            "--loss and --activation cannot both be given: loss binary_cross_entropy needs a sigmoid output layer (the last activation), not tanh".into(),
        ),
        (
            vec!["--l2", "-0.5"],
            "--l2: '-0.5' must be finite and at least 0".into(),
        ),
        (
            vec!["--loss", "hinge"],
            "--loss: unknown loss 'hinge' (expected squared_error, absolute_error, huber[:delta], binary_cross_entropy (bce) or categorical_cross_entropy (cce))".into(),
        ),
        (vec!["--steps", "0"], "--steps: '0' is not a whole number of at least 1".into()),
        (vec!["--steps", "1000001"], "--steps: '1000001' is more than the 100000 steps a report can show".into()),
        (vec!["--arch", "2-x-1"], "--arch: '2-x-1' is not an architecture like 2-3-1 (sizes of at least 1, input first)".into()),
        (vec!["--init", "high-high", "--arch", "2-3-1"], "--init: presets are for the course's 2-2-1 network, not 2-3-1".into()),
        (
            vec!["--params", "/nonexistent/net.json"],
            "--params: /nonexistent/net.json: cannot read it: No such file or directory (os error 2)".into(),
        ),
        (
            vec!["--params", &bad_json],
            format!("--params: {bad_json}: not a network: EOF while parsing a list at line 1 column 12"),
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["step"];
        all.extend(&args);
        let out = nnlab(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
        assert_eq!(
            String::from_utf8(out.stderr).unwrap(),
            format!("error: {message}\n"),
            "{args:?}"
        );
    }
    let prefix = nnlab(&["step", "--weights", "bogus"]);
    assert_eq!(prefix.status.code(), Some(2));
    assert!(String::from_utf8(prefix.stderr)
        .unwrap()
        .starts_with("error: --weights: invalid initializer 'bogus'"));
    // clap's own usage errors also exit with 2.
    let usage = nnlab(&["step", "--format", "pdf"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(usage.stdout.is_empty());
}

#[test]
fn help_documents_exit_codes() {
    let help = stdout_of(&["step", "--help"]);
    assert!(help.contains("Exit codes:\n  0  success\n  1  unexpected failure, or an output that could not be written (the message names the path);\n     runs rerun: the run no longer reproduces bit for bit\n  2  bad input"));
    assert!(help.contains("--weights <WEIGHTS>"));
}

/// Issue 11: the gradient check used to skip NaN, print `nan` for w4 and then PASS. The probe
/// w4 + h overflows (w4 is the largest f64), so w4's numeric gradient is NaN and the check
/// fails, naming it. The report itself is printed in full, so the exit code is 0; `passed`
/// is false in the JSON, and `non_finite` names w4 (JSON has no NaN: the error is `null`).
#[test]
fn a_nan_in_the_gradient_check_fails_it() {
    let args = [
        "step",
        "--weights",
        "1,0.5,1,1.7976931348623157e308,1,1",
        "--biases",
        "0.5,-10,0.5",
        "--target",
        "3",
        "--check",
    ];
    let out = nnlab(&args);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let verdict = text.lines().last().unwrap_or_default();
    assert_eq!(
        verdict,
        "  largest relative error nan (w4), tolerance 1e-06: FAIL, not a finite number for w4 \
         (the loss, or the parameter moved by h, overflows)"
    );
    assert!(!text.contains("PASS"), "{text}");
    let r = json_of(&args);
    assert_eq!(r["check"]["passed"], false);
    assert_eq!(r["check"]["non_finite"], serde_json::json!(["w4"]));
    assert!(r["check"]["max_rel_error"].is_null());
}
