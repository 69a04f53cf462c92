//! The course's classic traps, each run as a student runs it (`nnlab train --no-store`), and
//! what the verdict and the diagnostics must say about it, in the text and in `--json`
//! (issue 12). The outcomes were measured with `nnlab train --json --no-store ARGS`; each
//! test says why the run must end that way.

use std::process::{Command, Output};

use serde_json::Value;

fn nnlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args(args)
        .output()
        .expect("run nnlab")
}

/// The text summary and the JSON result of `nnlab train --no-store ARGS`.
fn train(args: &[&str]) -> (String, Value) {
    let text = nnlab(&[&["train", "--no-store", "-q"], args].concat());
    assert!(
        text.status.success(),
        "{}",
        String::from_utf8_lossy(&text.stderr)
    );
    let json = nnlab(&[&["train", "--no-store", "--json"], args].concat());
    assert!(json.status.success());
    let v: Value = serde_json::from_slice(&json.stdout).expect("--json prints JSON");
    (String::from_utf8_lossy(&text.stdout).into_owned(), v)
}

fn outcome(v: &Value) -> &str {
    v["outcome"].as_str().unwrap_or("")
}

/// The diagnostics of kind `kind` in the JSON result.
fn of_kind<'a>(v: &'a Value, kind: &str) -> Vec<&'a Value> {
    v["diagnostics"]
        .as_array()
        .map(|l| l.iter().filter(|d| d["kind"] == kind).collect())
        .unwrap_or_default()
}

fn warnings(v: &Value) -> Vec<&str> {
    v["diagnostics"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter(|d| d["severity"] == "warning")
                .filter_map(|d| d["kind"].as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// The Diagnostics section of the text summary.
fn diagnostics_text(text: &str) -> &str {
    let start = text.find("Diagnostics\n").unwrap_or(0);
    let end = text[start..]
        .find("Train loss per epoch")
        .map_or(text.len(), |e| start + e);
    &text[start..end]
}

/// The default run learns (R² 0.7851 on the train set) and nothing is wrong with it.
#[test]
fn the_healthy_default_learns_with_no_warning() {
    let (text, v) = train(&[]);
    assert_eq!(outcome(&v), "learned");
    assert!(warnings(&v).is_empty(), "{:?}", warnings(&v));
    assert!(text.contains("no problems found"), "{text}");
    assert!(text.contains("R² is 0.7851 on the train set"), "{text}");
}

/// All weights equal: the two hidden neurons start as copies and stay copies. The run still
/// fits (one neuron is enough for this target) so the outcome is learned, yet the summary
/// must not say "no problems found".
#[test]
fn identical_weights_are_named_symmetric() {
    let (text, v) = train(&["--init", "identical"]);
    assert_eq!(outcome(&v), "learned");
    let sym = of_kind(&v, "symmetry");
    assert_eq!(sym.len(), 1);
    assert_eq!(sym[0]["involved"], serde_json::json!(["node 1", "node 2"]));
    let diag = diagnostics_text(&text);
    assert!(!diag.contains("no problems found"), "{diag}");
    assert!(diag.contains("node 1 and node 2 started equal"), "{diag}");
}

/// Weights around 100 make z huge, the first update enormous (dL/db1 in the millions at
/// lr 0.01), and every ReLU dies in the first sample: every prediction is 0.
#[test]
fn weights_around_100_give_a_dead_constant_network() {
    let (text, v) = train(&["--weights", "normal:100,10"]);
    assert_eq!(outcome(&v), "stuck");
    let c = of_kind(&v, "constant_output");
    assert_eq!(c.len(), 1, "{:?}", v["diagnostics"]);
    let msg = c[0]["message"].as_str().unwrap_or("");
    assert!(
        msg.starts_with("100% of the 100 train rows get the same prediction, 0"),
        "{msg}"
    );
    assert!(msg.contains("node 3's z is <= 0"), "{msg}");
    let dead = of_kind(&v, "dead_relu");
    assert_eq!(dead.len(), 3, "{dead:?}");
    assert!(dead.iter().all(|d| d["epoch"] == 1 && d["sample"] == 1));
    assert!(
        diagnostics_text(&text).contains("node 1 died in epoch 1 at sample 1"),
        "{text}"
    );
}

/// lr 1: the first update (sample 1 of epoch 1) pushes b1 and w5 down by about 3, which
/// turns node 1 and the output ReLU off for every row; the output is 0 from then on.
#[test]
fn lr_1_kills_relus_and_says_which_update() {
    let (text, v) = train(&["--lr", "1"]);
    assert_eq!(outcome(&v), "stuck");
    let dead = of_kind(&v, "dead_relu");
    assert!(!dead.is_empty());
    for d in &dead {
        assert_eq!(
            (d["epoch"].as_u64(), d["sample"].as_u64()),
            (Some(1), Some(1))
        );
        let msg = d["message"].as_str().unwrap_or("");
        assert!(
            msg.contains("died in epoch 1 at sample 1: the update of"),
            "{msg}"
        );
        assert!(msg.contains(", lr 1) pushed its z below 0"), "{msg}");
    }
    // The update named is the one the parameter table shows: b1 moved by -3.025.
    assert!(
        text.contains("the update of b1 by -3.025 (dL/db1 = 3.025, lr 1)"),
        "{text}"
    );
    assert_eq!(of_kind(&v, "constant_output").len(), 1);
}

/// lr 0.00005: the loss still falls about 0.04% an epoch at the end: still improving, and
/// slow learning says so.
#[test]
fn a_tiny_rate_is_still_improving_and_slow() {
    let (text, v) = train(&["--lr", "0.00005"]);
    assert_eq!(outcome(&v), "still_improving");
    let slow = of_kind(&v, "slow_learning");
    assert_eq!(slow.len(), 1);
    let diag = diagnostics_text(&text);
    assert!(
        diag.contains("training is slow: the training loss still falls 0.03758% per epoch"),
        "{diag}"
    );
    assert!(!diag.contains("no problems found"));
}

/// A fixed bias by mistake: b3 held at 0.5 leaves R² at 0.3623 (plateaued). The header and
/// the table mark it, and the warning gives the gradient it would get.
#[test]
fn a_frozen_bias_is_marked_and_explained() {
    let (text, v) = train(&["--freeze", "b3"]);
    assert_eq!(outcome(&v), "plateaued");
    let f = of_kind(&v, "frozen");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["involved"], serde_json::json!(["b3"]));
    let header = &text[..text.find("Data\n").unwrap_or(text.len())];
    assert!(header.contains("  frozen: b3\n"), "{header}");
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("b3 (frozen)")),
        "{text}"
    );
    assert!(
        text.contains("b3 was frozen at 0.5: at the end dL/db3 = 0.2028"),
        "{text}"
    );
    // Stagnation does not say it again.
    assert!(of_kind(&v, "stagnation").is_empty());
}

/// Everything frozen: nothing moves, so there is no "moved most" line.
#[test]
fn nothing_moved_means_no_movers_line() {
    let (text, v) = train(&["--freeze", "w1,w2,w3,w4,w5,w6,b1,b2,b3", "--epochs", "5"]);
    assert!(of_kind(&v, "largest_movers").is_empty());
    assert!(!text.contains("moved most"), "{text}");
    assert_eq!(of_kind(&v, "frozen").len(), 9);
}

/// Biases of -5: z = w·x - 5 < 0 on every scaled row for every ReLU, dead from the start.
#[test]
fn a_very_negative_bias_kills_neurons_from_the_start() {
    let (text, v) = train(&["--biases", "const:-5"]);
    assert_eq!(outcome(&v), "stuck");
    let dead = of_kind(&v, "dead_relu");
    assert_eq!(dead.len(), 3);
    assert!(
        text.contains("node 1 is a dead ReLU from the start"),
        "{text}"
    );
    assert_eq!(of_kind(&v, "constant_output").len(), 1);
}

/// The 2-2-1 network started with high weights and high biases predicts 0 for 96 of the
/// 100 rows: stuck, and the constant output names node 3 as the cause.
#[test]
fn high_high_init_is_a_constant_output() {
    let (text, v) = train(&["--init", "high-high"]);
    assert_eq!(outcome(&v), "stuck");
    let diag = diagnostics_text(&text);
    assert!(!diag.contains("no problems found"), "{diag}");
    assert!(
        diag.contains("96% of the 100 train rows get the same prediction, 0 (scaled units): node 3's z is <= 0 for them"),
        "{diag}"
    );
}

/// 30 rows against 500, each with 20% held out: both are judged on the test set and say
/// so; with 6 test rows R² is 0.6452, with 100 it is 0.7843.
#[test]
fn runs_with_a_test_set_are_judged_on_it() {
    for (rows, r2) in [("30", "0.6452"), ("500", "0.7843")] {
        let (text, v) = train(&["--rows", rows, "--test-fraction", "0.2"]);
        assert_eq!(v["verdict"]["judged_on"], "test", "{rows} rows");
        assert!(
            text.contains(&format!("R² is {r2} on the test set")),
            "{rows} rows:\n{text}"
        );
    }
}

/// `runs show` prints each stored diagnostic whole: a lane-sweep run's dead-ReLU sentence
/// once ended at a dangling semicolon.
#[test]
fn runs_show_prints_dead_relu_sentences_whole() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = dir.path().join("runs.sqlite");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_nnlab"))
            .args(args)
            .env("NNLAB_STORE", &store)
            .output()
            .expect("run nnlab")
    };
    let sweep = run(&[
        "sweep",
        "--vary",
        "lr=0.01",
        "--vary",
        "biases=const:-5",
        "--out",
        dir.path().join("sweep").to_str().unwrap_or("sweep"),
    ]);
    assert!(
        sweep.status.success(),
        "{}",
        String::from_utf8_lossy(&sweep.stderr)
    );
    let shown = run(&["runs", "show", "1"]);
    let out = String::from_utf8_lossy(&shown.stdout);
    let line = out
        .lines()
        .find(|l| l.contains("node 1 is a dead ReLU"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.ends_with(
            "its z is <= 0 for every training row, so its gradient is 0 and it outputs 0"
        ),
        "{line}"
    );
}

/// "No problems found" needs a healthy outcome too: a straight line from age alone to the
/// diabetes progression fits as well as least squares can (train R² 0.0313, the line's
/// 0.0353), nothing is broken, yet less than a quarter of the variance is explained:
/// plateaued. The same line from bmi reaches R² 0.3404 and learns.
#[test]
fn no_problems_needs_a_healthy_outcome() {
    let line = |input| {
        train(&[
            "--data",
            "builtin:diabetes",
            "--inputs",
            input,
            "--arch",
            "1-1",
            "--activation",
            "identity",
        ])
    };
    let (text, v) = line("age");
    assert_eq!(outcome(&v), "plateaued");
    assert!(warnings(&v).is_empty(), "{:?}", warnings(&v));
    let diag = diagnostics_text(&text);
    assert!(!diag.contains("no problems found"), "{diag}");
    assert!(
        diag.contains("no warning, but the outcome is plateaued"),
        "{diag}"
    );
    let (text, v) = line("bmi");
    assert_eq!(outcome(&v), "learned");
    assert!(
        diagnostics_text(&text).contains("no problems found"),
        "{text}"
    );
}
