//! `nnlab train` run as a user runs it: the real binary in a temporary folder.

use std::process::{Command, Output};

/// Runs nnlab recording into a store of its own, removed afterwards (a store shared by
/// every checkout, as a fixed path in the temp dir was, breaks the older checkouts' tests
/// as soon as a newer one migrates it to a schema they do not know).
fn nnlab(args: &[&str]) -> Output {
    let store = tempfile::tempdir().expect("a temporary directory");
    Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args(args)
        .env("NNLAB_STORE", store.path().join("runs.sqlite"))
        .output()
        .expect("run nnlab")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The main job with no arguments: the course network on the generated data.
#[test]
fn default_train_shows_everything_a_student_wants() {
    let o = nnlab(&["train", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for part in [
        "Configuration",
        "network 2-2-1 (relu), loss squared_error, optimizer sgd, lr 0.01",
        "generated: 100 rows of y = x1^2 + x2 + noise",
        "completed 300 epochs",
        "Parameters (largest change first)",
        "Metrics (scaled units | original units)",
        "Diagnostics",
        "Train loss per epoch",
    ] {
        assert!(out.contains(part), "missing '{part}' in\n{out}");
    }
    // Parameters: the initial values are the course's (w4 = -1.0, b2 = 0.0).
    assert!(out
        .lines()
        .any(|l| l.trim_start().starts_with("w4") && l.contains("-1.0")));
}

#[test]
fn json_has_the_documented_keys_and_reruns_bit_identically() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("run");
    let o = nnlab(&[
        "train",
        "-q",
        "--json",
        "--epochs",
        "25",
        "--test-fraction",
        "0.2",
        "--seed",
        "3",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for key in [
        "epoch_loss",
        "test_loss",
        "initial",
        "final",
        "metrics",
        "diagnostics",
        "config",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["epoch_loss"].as_array().unwrap().len(), 25);
    for set in ["train", "test"] {
        for m in ["mse", "rmse", "mae", "r2", "mape"] {
            assert!(v["metrics"][set].get(m).is_some(), "metrics.{set}.{m}");
        }
    }
    let names: Vec<&String> = v["final"].as_object().unwrap().keys().collect();
    assert_eq!(names.len(), 9);
    for f in [
        "config.toml",
        "history.csv",
        "params.json",
        "predictions.csv",
        "loss.png",
        "loss.svg",
    ] {
        assert!(out_dir.join(f).is_file(), "{f}");
    }
    // `nnlab train DIR/config.toml` reruns to the same bits.
    let again = nnlab(&[
        "train",
        "-q",
        "--json",
        out_dir.join("config.toml").to_str().unwrap(),
    ]);
    assert!(again.status.success(), "{}", stderr(&again));
    let w: serde_json::Value = serde_json::from_str(&stdout(&again)).unwrap();
    assert_eq!(v["epoch_loss"], w["epoch_loss"]);
    assert_eq!(v["final"], w["final"]);
}

#[test]
fn print_config_shows_the_defaults_as_toml() {
    let o = nnlab(&["train", "--print-config"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.contains("epochs = 300") && text.contains("lr = 0.01") && text.contains("rows = 100")
    );
    assert!(text.contains("[data.generator]"));
}

#[test]
fn flags_override_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("run.toml");
    std::fs::write(&cfg, "[train]\nepochs = 7\nlr = 0.05\n").unwrap();
    let o = nnlab(&[
        "train",
        "-q",
        "--json",
        cfg.to_str().unwrap(),
        "--epochs",
        "4",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["epoch_loss"].as_array().unwrap().len(), 4);
    assert_eq!(v["config"]["train"]["lr"], 0.05);
}

#[test]
fn insurance_example() {
    let o = nnlab(&[
        "train",
        "-q",
        "--data",
        "builtin:insurance",
        "--inputs",
        "age,bmi,smoker",
        "--target",
        "charges",
        "--arch",
        "3-4-1",
        "--activation",
        "relu,identity",
        "--epochs",
        "10",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("1338 rows") && out.contains("encoding: smoker: no=0, yes=1"),
        "{out}"
    );
}

/// A diverging run: a message that says where, exit code 3, and outputs still written.
#[test]
fn divergence_exits_3_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let o = nnlab(&[
        "train",
        "-q",
        "--activation",
        "tanh,identity",
        "--weights",
        "const:100",
        "--lr",
        "1",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("diverged at epoch 3") && err.contains("smaller learning rate"),
        "{err}"
    );
    assert!(dir.path().join("history.csv").is_file());
    let history = std::fs::read_to_string(dir.path().join("history.csv")).unwrap();
    assert_eq!(
        history.lines().count(),
        3,
        "two complete epochs before the divergence"
    );
}

/// Bad input: one line on stderr naming the flag or file, exit code 2, nothing on stdout.
#[test]
fn bad_input_gets_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad_csv = dir.path().join("bad.csv");
    std::fs::write(&bad_csv, "a,b,y\n1,2,3\n4,oops,6\n").unwrap();
    let constant = dir.path().join("const.csv");
    std::fs::write(&constant, "a,b,y\n1,2,3\n1,5,6\n").unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--lr", "abc"], "--lr"),
        (vec!["--epochs", "-3"], "--epochs"),
        (vec!["--rows", "0"], "rows"),
        (vec!["--activation", "softmax"], "softmax"),
        (vec!["--arch", "3-2-1"], "3 inputs"),
        (vec!["--weights", "1,2,3"], "weights"),
        (
            vec!["--weights", "1,nan,1,1,1,1"],
            "--weights: 'nan' is not finite",
        ),
        (vec!["--init", "giant"], "giant"),
        (
            vec!["--data", "/no/such.csv", "--inputs", "a", "--target", "b"],
            "/no/such.csv",
        ),
        (
            vec![
                "--data",
                bad_csv.to_str().unwrap(),
                "--inputs",
                "a,b",
                "--target",
                "y",
            ],
            "line 3",
        ),
        (
            vec![
                "--data",
                constant.to_str().unwrap(),
                "--inputs",
                "a,b",
                "--target",
                "y",
            ],
            "'a' is constant",
        ),
        (vec!["--freeze", "w9"], "w9"),
        (vec!["/no/such/config.toml"], "config.toml"),
    ];
    for (args, needle) in cases {
        let mut full = vec!["train", "-q"];
        full.extend(args.iter().copied());
        let o = nnlab(&full);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: '{needle}' not in {err}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

/// A small CSV of two inputs and a target (`y = a + b`), written into `dir`.
fn small_csv(dir: &std::path::Path) -> String {
    let path = dir.join("small.csv");
    let mut text = String::from("a,b,y\n");
    for i in 0..12 {
        text.push_str(&format!("{i},{},{}\n", i % 3, i + i % 3));
    }
    text.push_str("5,,7\n"); // one bad row, for --skip-bad-rows
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// Issue 11: boolean options are switches that never take the next word
/// (`--shuffle --epochs 50` read `--epochs` as the value of `--shuffle`, then `50` as a
/// config file: "50: No such file or directory").
#[test]
fn switches_never_take_a_value() {
    let dir = tempfile::tempdir().unwrap();
    let csv = small_csv(dir.path());
    let runs: Vec<(Vec<&str>, &str, serde_json::Value)> = vec![
        (
            vec!["--shuffle", "--epochs", "5"],
            "/train/shuffle",
            true.into(),
        ),
        (
            vec!["--shuffle", "-q", "--epochs", "5"],
            "/train/shuffle",
            true.into(),
        ),
        (
            vec!["--shuffle", "--no-shuffle", "--epochs", "5"],
            "/train/shuffle",
            false.into(),
        ),
        (
            vec!["--integer", "--rows", "50", "--epochs", "5"],
            "/data/generator/rows",
            50.into(),
        ),
        (
            vec!["--no-integer", "--epochs", "5"],
            "/data/generator/integer",
            false.into(),
        ),
        (
            vec![
                "--skip-bad-rows",
                "--data",
                &csv,
                "--inputs",
                "a,b",
                "--target",
                "y",
                "--epochs",
                "5",
            ],
            "/data/skip_bad_rows",
            true.into(),
        ),
    ];
    for (args, pointer, expected) in runs {
        let mut full = vec!["train", "--json"];
        full.extend(&args);
        if !args.contains(&"-q") {
            full.push("-q");
        }
        let o = nnlab(&full);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["config"].pointer(pointer), Some(&expected), "{args:?}");
    }
    // `--shuffle` with a value is a usage error (clap's, exit 2), not a file name.
    let o = nnlab(&["train", "-q", "--shuffle", "true"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("true"), "{}", stderr(&o));
}

/// Issue 11's bad input, each one line naming the option and the value as typed, exit 2.
#[test]
fn errors_name_the_option_in_the_users_syntax() {
    let dir = tempfile::tempdir().unwrap();
    let csv = small_csv(dir.path());
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[train]\nlr = \"abc\"\n").unwrap();
    let cfg = cfg.to_str().unwrap().to_string();
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec!["--lr", "abc"], "--lr: 'abc' is not a number".into()),
        (
            vec!["--lr", "0"],
            "--lr: '0' must be finite and above 0".into(),
        ),
        (
            vec!["--weights", "1"],
            "--weights: expected 6 values (w1..w6), got 1".into(),
        ),
        (
            vec!["--init", "mixed", "--weights", "1,1,1,1,1,1"],
            "--init and --weights cannot both be given: a preset sets both weights and biases"
                .into(),
        ),
        (
            vec![&cfg],
            format!(
                "{cfg}: train.lr: invalid type: string \"abc\", expected f64 (line 2, column 6)"
            ),
        ),
        (
            vec![
                "--rows", "30", "--data", &csv, "--inputs", "a,b", "--target", "y",
            ],
            format!("--rows: does not apply to a CSV file (data = {csv})"),
        ),
        (
            vec!["--x1", "0,20", "--data", "builtin:diabetes"],
            "--x1: does not apply to a built-in table (data = builtin:diabetes)".into(),
        ),
        (
            vec!["--target", "y"],
            "--target: does not apply to generated data (data = generate)".into(),
        ),
    ];
    for (args, message) in cases {
        let mut full = vec!["train", "-q"];
        full.extend(&args);
        let o = nnlab(&full);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), format!("error: {message}\n"), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

/// Issue 11: `--print-config` ("every option with its default") left out `weights`,
/// `biases`, `init` and `early_stopping`; the ones that are off are commented lines.
#[test]
fn print_config_shows_every_option() {
    let o = nnlab(&["train", "--print-config"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for line in [
        "# init = ...",
        "# weights = ...",
        "# biases = ...",
        "# early_stopping = ...",
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
    // What it prints reads back as a configuration.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("printed.toml");
    std::fs::write(&cfg, &text).unwrap();
    let again = nnlab(&["train", cfg.to_str().unwrap(), "--print-config"]);
    assert_eq!(stdout(&again), text);
}

/// Issue 11: an output that cannot be written is not bad input: exit 1, naming the path.
#[test]
fn an_unwritable_out_is_exit_1_naming_it() {
    let o = nnlab(&["train", "-q", "--epochs", "2", "--out", "/proc/nope"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: writing /proc/nope: /proc/nope"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// Issue 13: the course's worked example as data (`builtin:course`, one row x = (1, 0),
/// y = 2). One epoch of per-sample SGD on one row is one step, so the trained parameters
/// equal what `nnlab step` (whose defaults are that example, the `course` preset and the
/// same lr) writes, bit for bit; the verdict and diagnostics say a single row cannot be
/// judged instead of calling a perfect fit stuck.
#[test]
fn the_course_example_trains_as_one_step_per_epoch() {
    // The one-row table as it trains: unscaled (a constant column cannot be min-max
    // scaled), every row in training.
    let course = |more: &[&'static str]| {
        let mut args = vec![
            "train",
            "-q",
            "--data",
            "builtin:course",
            "--scale",
            "none",
            "--test-fraction",
            "0",
        ];
        args.extend(more);
        nnlab(&args)
    };
    let o = course(&["--json", "--epochs", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let run: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let s = nnlab(&["step", "--json"]);
    assert!(s.status.success(), "{}", stderr(&s));
    let step: serde_json::Value = serde_json::from_str(&stdout(&s)).unwrap();
    assert_eq!(run["final"], step["after"]);
    assert_eq!(run["initial"], step["before"]);
    // The course's hand computation: y_hat = 2.5, L = (2.5 - 2)^2 = 0.25.
    assert_eq!(run["epoch_loss"], serde_json::json!([0.25]));
    assert_eq!(step["loss"], 0.25);
    assert_eq!(run["data"]["train_rows"], 1);

    let o = course(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("no_better_than_mean: the train set's targets are all equal (one row, or one value repeated), so R² and the spread of the predictions are undefined"),
        "{out}"
    );
    assert!(!out.contains("same prediction"), "{out}");
    // The table is among the choices `--data` lists (from nnlab_data::BUILTIN_NAMES).
    let help = stdout(&nnlab(&["train", "--help"]));
    assert!(
        help.contains("builtin:diabetes, builtin:insurance, builtin:course, builtin:penguins)"),
        "{help}"
    );

    // The defaults that need more than one row say so (exit 2, one line naming the cause).
    for (args, message) in [
        (vec![], "error: column 'x1' is constant (every value is 1): min-max scaling would divide by zero; leave it out of the inputs or turn scaling off (--scale none)"),
        (
            vec!["--scale", "none", "--test-fraction", "0.5"],
            "error: cannot split 1 row(s) into a training and a test set: at least 2 rows are needed",
        ),
    ] {
        let mut all = vec!["train", "-q", "--data", "builtin:course"];
        all.extend(args);
        let o = nnlab(&all);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert_eq!(stderr(&o).trim_end(), message);
    }
}

/// Issue 16: `--json` leaves the per-row predictions out unless `--predictions` (on 30,000
/// rows they were 5 MB and 3x the training's time); `--out` still writes them all.
#[test]
fn json_prints_predictions_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("run");
    let base = ["train", "-q", "--json", "--rows", "20", "--epochs", "3"];
    let preds = |args: &[&str]| {
        let o = nnlab(args);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        v["predictions"].as_array().unwrap().clone()
    };
    assert!(preds(&base).is_empty());
    let with_out = [&base[..], &["--out", out_dir.to_str().unwrap()]].concat();
    assert!(preds(&with_out).is_empty());
    // 20 rows, no test split: one prediction per row, as predictions.csv has them.
    let csv = std::fs::read_to_string(out_dir.join("predictions.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 20);
    let all = preds(&[&base[..], &["--predictions"]].concat());
    assert_eq!(all.len(), 20);
    // Rows are numbered from 1, as in predictions.csv.
    assert_eq!((&all[0]["row"], &all[19]["row"]), (&1.into(), &20.into()));
    // Without --json there is nothing to print them in: a usage error.
    let o = nnlab(&["train", "-q", "--predictions"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--json"), "{}", stderr(&o));
}
