//! `nnlab step --features`: the network's inputs crossed from the raw `--input` by the data
//! crate's features (as `nnlab train --features` computes them) and named in the trace.

mod common;

use std::process::Output;

use serde_json::{json, Value};

/// `nnlab ARGS` (a step records nothing; the temporary folder keeps the user's store out).
fn nnlab(args: &[&str]) -> Output {
    common::nnlab(&std::env::temp_dir(), args)
}

fn stdout_of(args: &[&str]) -> String {
    common::ok(&std::env::temp_dir(), args)
}

/// One linear neuron with every weight 1 and bias 0: `y_hat` is the sum of its inputs.
const SUM: [&str; 9] = [
    "step",
    "--arch",
    "4-1",
    "--activation",
    "identity",
    "--weights",
    "const:1",
    "--biases",
    "const:0",
];

// By hand, from the raw input (3, 0.5): x1 = 3, x1^2 = 9, x1*x2 = 1.5, sin(x2) = sin(0.5);
// y_hat = 3 + 9 + 1.5 + sin(0.5).
#[test]
fn the_crossed_inputs_are_computed_from_the_raw_input_and_named() {
    let mut args = SUM.to_vec();
    args.extend(["--features", "x1,x1^2,x1*x2,sin(x2)", "--input", "3,0.5"]);
    let text = stdout_of(&args);
    let line = text.lines().nth(1).unwrap();
    assert_eq!(
        line,
        "input x = (3.0, 9.0, 1.5, 0.479425538604203) from the raw input (3.0, 0.5): x1 = 3, \
         x1^2 = 9, x1*x2 = 1.5, sin(x2) = 0.479425538604203, target y = 2.0"
    );
    args.push("--json");
    let r: Value = serde_json::from_str(&stdout_of(&args)).unwrap();
    assert_eq!(r["input"], json!([3.0, 9.0, 1.5, 0.5f64.sin()]));
    assert_eq!(r["features"]["raw"], json!([3.0, 0.5]));
    assert_eq!(
        r["features"]["names"],
        json!(["x1", "x1^2", "x1*x2", "sin(x2)"])
    );
    assert_eq!(r["prediction"], json!(3.0 + 9.0 + 1.5 + 0.5f64.sin()));
    // Without --features the report has no such key.
    let plain: Value = serde_json::from_str(&stdout_of(&["step", "--json"])).unwrap();
    assert!(plain.get("features").is_none());
}

#[test]
fn bad_features_name_the_flag() {
    let error = |args: &[&str]| {
        let out = nnlab(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        String::from_utf8(out.stderr).unwrap()
    };
    assert_eq!(
        error(&["step", "--features", "x1,x2,x1^2", "--input", "1,0"]),
        "error: --features: x1, x2, x1^2 give 3 inputs, but the network 2-2-1 takes 2 (give --arch)\n"
    );
    assert_eq!(
        error(&["step", "--features", "x1,x3", "--input", "1,0"]),
        "error: --features item 'x3': no input named 'x3' (the inputs are: x1, x2)\n"
    );
}
