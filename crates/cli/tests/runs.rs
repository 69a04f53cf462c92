//! `nnlab runs` and the recording of `nnlab train`, run as the real binary against a store
//! in a temporary directory (never the user's: every command gets `NNLAB_STORE`).

use std::path::Path;
use std::process::{Command, Output};

fn nnlab(store: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args(args)
        .current_dir(dir)
        .env("NNLAB_STORE", store)
        .output()
        .unwrap()
}

fn ok(store: &Path, dir: &Path, args: &[&str]) -> String {
    let out = nnlab(store, dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// 20 rows, 20 epochs: quick, and enough for two distinguishable loss curves.
const SMALL: &[&str] = &["train", "-q", "--rows", "20", "--epochs", "20"];

fn train(store: &Path, dir: &Path, extra: &[&str]) {
    let args: Vec<&str> = SMALL.iter().chain(extra).copied().collect();
    ok(store, dir, &args);
}

fn python(script: &str, arg: &Path) -> Output {
    Command::new("python3")
        .args(["-c", script])
        .arg(arg)
        .output()
        .unwrap()
}

#[test]
fn train_twice_then_list_compare_rerun_export() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path(), tmp.path().join("runs.sqlite"));
    train(&store, dir, &[]);
    train(&store, dir, &["--lr", "0.05", "--experiment", "fast"]);

    let list = ok(&store, dir, &["runs", "list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 4, "{list}");
    assert!(
        lines[2].starts_with("2 ") && lines[2].contains("fast"),
        "{list}"
    );
    assert!(
        lines[3].starts_with("1 ") && lines[3].contains("completed"),
        "{list}"
    );
    let fast = ok(
        &store,
        dir,
        &["runs", "list", "--where", "lr=0.050", "--json"],
    );
    let fast: serde_json::Value = serde_json::from_str(&fast).unwrap();
    assert_eq!(fast.as_array().unwrap().len(), 1);
    assert_eq!(fast[0]["id"], 2);

    let table = ok(&store, dir, &["runs", "compare", "1", "2", "--out", "cmp"]);
    assert!(
        table.contains("config.train.lr") && table.contains("0.05"),
        "{table}"
    );
    // Only differing configuration keys are listed: both runs used 20 rows.
    assert!(!table.contains("config.data.generator.rows"), "{table}");
    for f in ["compare.csv", "compare.png", "compare.svg"] {
        assert!(
            dir.join("cmp").join(f).metadata().unwrap().len() > 100,
            "{f}"
        );
    }
    let csv = std::fs::read_to_string(dir.join("cmp/compare.csv")).unwrap();
    assert!(
        csv.starts_with("key,run 1,run 2\nstatus,completed,completed\n"),
        "{csv}"
    );

    let rerun = ok(&store, dir, &["runs", "rerun", "2"]);
    assert_eq!(
        rerun,
        "run 2: identical (20 epoch losses and 9 parameters, bit for bit)\n"
    );

    ok(
        &store,
        dir,
        &["runs", "export", "--format", "csv", "--out", "runs.csv"],
    );
    // pandas when installed, else the standard library's csv module.
    let check = python(
        "import sys\n\
         try:\n    import pandas as pd\n    rows = pd.read_csv(sys.argv[1]).to_dict('records')\n\
         except ImportError:\n    import csv\n    rows = list(csv.DictReader(open(sys.argv[1])))\n\
         print(len(rows), sorted(float(r['config.train.lr']) for r in rows), {r['status'] for r in rows})",
        &dir.join("runs.csv"),
    );
    assert_eq!(
        String::from_utf8_lossy(&check.stdout),
        "2 [0.01, 0.05] {'completed'}\n",
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&store, dir, &["runs", "export", "--format", "json"])).unwrap();
    assert_eq!(json[1]["config.train.lr"], 0.01);
}

#[test]
fn rerun_of_a_tampered_run_lists_the_difference_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path(), tmp.path().join("runs.sqlite"));
    train(&store, dir, &[]);
    let tamper = python(
        "import sqlite3, sys\n\
         c = sqlite3.connect(sys.argv[1])\n\
         import struct\n\
         (blob,) = c.execute('SELECT train_loss FROM runs WHERE id = 1').fetchone()\n\
         h = list(struct.unpack('<%dd' % (len(blob) // 8), blob))\n\
         h[6] *= 2\n\
         c.execute('UPDATE runs SET train_loss = ? WHERE id = 1', (struct.pack('<%dd' % len(h), *h),))\n\
         c.commit()",
        &store,
    );
    assert!(
        tamper.status.success(),
        "{}",
        String::from_utf8_lossy(&tamper.stderr)
    );
    let out = nnlab(&store, dir, &["runs", "rerun", "1"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("run 1: differs\n  epoch 7 train_loss: stored "),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2, "{text}");
}

#[test]
fn rerun_of_an_interrupted_run_trains_it_and_exits_0() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path(), tmp.path().join("runs.sqlite"));
    train(&store, dir, &[]);
    // Run 1 as a run killed mid-training leaves it: interrupted, no outcome stored.
    let tamper = python(
        "import sqlite3, sys\n\
         c = sqlite3.connect(sys.argv[1])\n\
         c.execute(\"UPDATE runs SET status = 'interrupted', finished = NULL, \
             status_detail = NULL, epochs_run = NULL, initial_params = NULL, \
             final_params = NULL, metrics = NULL, diagnostics = NULL, final_loss = NULL, \
             train_loss = NULL, test_loss = NULL, lr = NULL WHERE id = 1\")\n\
         c.commit()",
        &store,
    );
    assert!(
        tamper.status.success(),
        "{}",
        String::from_utf8_lossy(&tamper.stderr)
    );
    let text = ok(&store, dir, &["runs", "rerun", "1"]);
    assert!(
        text.starts_with(
            "run 1: stored interrupted with no outcome, nothing to compare; trained it now: "
        ),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[test]
fn show_delete_prune_and_no_store() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path(), tmp.path().join("runs.sqlite"));
    // identity activation with lr 1 diverges in epoch 1 (exit 3), and is still recorded.
    let out = nnlab(
        &store,
        dir,
        &["train", "-q", "--activation", "identity", "--lr", "1"],
    );
    assert_eq!(out.status.code(), Some(3));
    train(&store, dir, &[]);
    let show = ok(&store, dir, &["runs", "show", "1"]);
    assert!(show.starts_with("run 1 (diverged), nnlab "), "{show}");
    assert!(show.contains("lr = 1.0"), "{show}");
    let diverged = ok(&store, dir, &["runs", "list", "--status", "diverged"]);
    assert_eq!(diverged.lines().count(), 3, "{diverged}");
    assert_eq!(
        ok(&store, dir, &["runs", "prune", "--status", "diverged"]),
        "deleted 1 runs\n"
    );
    // Issue 16: by age (run 2 finished moments ago) and size; a bad age names its flag.
    assert_eq!(
        ok(&store, dir, &["runs", "prune", "--older-than", "7d"]),
        "deleted 0 runs\n"
    );
    assert_eq!(
        ok(&store, dir, &["runs", "prune", "--max-size", "1GB"]),
        "deleted 0 runs\n"
    );
    let out = nnlab(&store, dir, &["runs", "prune", "--older-than", "7x"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--older-than: '7x' is not an age (unknown unit"),
        "{err}"
    );
    assert_eq!(
        ok(&store, dir, &["runs", "delete", "2", "9"]),
        "deleted 1 of 2 runs\n"
    );
    assert_eq!(ok(&store, dir, &["runs", "list", "--json"]).trim(), "[]");

    let other = dir.join("never.sqlite");
    let args: Vec<&str> = SMALL.iter().copied().chain(["--no-store"]).collect();
    ok(&other, dir, &args);
    assert!(!other.exists());
}

#[test]
fn a_file_that_is_not_a_store_is_bad_input_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let notes = dir.join("notes.txt");
    let text = "not a database at all, just notes that are long enough\n".repeat(4);
    std::fs::write(&notes, &text).unwrap();
    for args in [&["runs", "list"][..], SMALL] {
        let out = nnlab(&notes, dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("error: store: "), "{err}");
        assert!(err.contains("notes.txt: not an nnlab run store"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), text);
    let out = nnlab(&notes, dir, &["runs", "list", "--status", "lost"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Issue 6: every run of an experiment is recorded, tagged with its name, and a stored lane
/// run (the course network through the sweep's SIMD lanes) reruns to the same bits.
#[test]
fn issue_6_experiment_runs_are_recorded_and_rerun_identically() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("runs.sqlite");
    // learning-rate: 8 rates × 20 seeds = 160 runs; 5 epochs keep it quick.
    ok(
        &store,
        dir.path(),
        &["experiment", "run", "learning-rate", "--epochs", "5"],
    );
    let listed = ok(
        &store,
        dir.path(),
        &["runs", "list", "--experiment", "learning-rate", "--json"],
    );
    let runs: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 160);
    let sweep = runs[0]["sweep"].as_str().unwrap();
    assert!(runs.iter().all(|r| r["sweep"] == sweep));
    assert!(runs
        .iter()
        .all(|r| r["epochs_run"] == 5 || r["status"] == "diverged"));
    // lr 0.01, seed 3: a lane run that completes.
    let lane = runs
        .iter()
        .find(|r| r["config"]["train"]["lr"] == 0.01 && r["config"]["seed"] == 3)
        .unwrap();
    let id = lane["id"].to_string();
    let rerun = ok(&store, dir.path(), &["runs", "rerun", &id]);
    assert!(rerun.contains("identical"), "{rerun}");
    // lr 1, seed 0: its steps overshoot; the record and the rerun agree however it ended.
    let wild = runs
        .iter()
        .find(|r| r["config"]["train"]["lr"] == 1.0 && r["config"]["seed"] == 0)
        .unwrap();
    let rerun = ok(
        &store,
        dir.path(),
        &["runs", "rerun", &wild["id"].to_string()],
    );
    assert!(rerun.contains("identical"), "{rerun}");
}

#[test]
fn a_sweep_records_its_runs_unless_no_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("runs.sqlite");
    let grid = [
        "sweep",
        "--vary",
        "lr=0.01,0.1",
        "--vary",
        "seed=0..3",
        "--epochs",
        "4",
    ];
    let mut args = grid.to_vec();
    args.extend(["--experiment", "tagged"]);
    ok(&store, dir.path(), &args);
    let listed = ok(
        &store,
        dir.path(),
        &["runs", "list", "--experiment", "tagged", "--json"],
    );
    let runs: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(runs.as_array().unwrap().len(), 6);
    let mut args = grid.to_vec();
    args.push("--no-store");
    ok(&store, dir.path(), &args);
    let all = ok(&store, dir.path(), &["runs", "list", "--json"]);
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 6);
}

/// Issue 11: `RunResult` keeps each fact once, but `nnlab train --json` (and `result.json`)
/// keep every documented key, derived ones included, and the recorded run reruns to the
/// bit from what the store kept (the lab's rerun over the store's plain data).
#[test]
fn issue_11_train_json_keeps_its_keys_and_the_run_reruns() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path(), tmp.path().join("runs.sqlite"));
    let args: Vec<&str> = SMALL
        .iter()
        .copied()
        .chain(["--json", "--test-fraction", "0.25"])
        .collect();
    let text = ok(&store, dir, &args);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "config",
            "data",
            "diagnostics",
            "epoch_loss",
            "epochs_run",
            "final",
            "final_network",
            "history",
            "initial",
            "initial_network",
            "metrics",
            "outcome",
            "predictions",
            "sample_steps",
            "scaler",
            "status",
            "test_loss",
            "verdict",
        ]
    );
    assert_eq!(v["epochs_run"], 20);
    assert_eq!(v["epoch_loss"][19], v["history"][19]["train_loss"]);
    assert_eq!(v["test_loss"][19], v["history"][19]["test_loss"]);
    assert_eq!(v["initial"]["w1"], 1.0);
    let rerun = ok(&store, dir, &["runs", "rerun", "1"]);
    assert!(rerun.starts_with("run 1: identical"), "{rerun}");
}
