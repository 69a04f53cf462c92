//! Issue 12 in `nnlab sweep`: the table and `--json` count outcomes and show the warnings,
//! `summary.csv` counts each outcome, and a sweep with a test set writes its test losses,
//! reads them back and merges from shards into the same files and the same JSON.

mod common;
use common::{ok, GRID};

use std::path::Path;

use serde_json::Value;

/// `nnlab sweep --no-store` with the arguments of every part.
fn sweep(dir: &Path, parts: &[&[&str]]) -> String {
    let mut args = vec!["sweep", "--no-store"];
    for p in parts {
        args.extend_from_slice(p);
    }
    ok(dir, &args)
}

fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

/// Two learning rates, four seeds, 30 epochs.
const PAIR: &[&str] = &[
    "--vary",
    "lr=0.01,1",
    "--vary",
    "seed=0..4",
    "--epochs",
    "30",
];

/// A quarter of the rows held out as a test set.
const HELD_OUT: &[&str] = &["--test-fraction", "0.25"];

#[test]
fn the_table_counts_outcomes_names_the_set_and_shows_the_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    // This build's output, pasted. Independent checks: the counts are those of runs.csv's
    // outcome column (`summary_csv_counts_each_outcome`, `--json` below), and lr 1 is stuck
    // in every run, as issue 12 measured for `nnlab train --lr 1` (every row predicts 0).
    let table = sweep(tmp.path(), &[GRID]);
    assert_eq!(
        table,
        "\
lr    n  outcomes                      median train loss       min      max  diagnostics
----  -  ----------------------------  -----------------  --------  -------  --------------------------------------------
0.01  5  3 still_improving, 2 learned            0.01204  0.009212  0.01408  slow_learning 3
0.1   5  4 learned, 1 still_improving            0.01221   0.01152  0.01526  dead_relu 2, oscillation 1, slow_learning 1
1     5  5 stuck                                  0.2356    0.2165   0.2695  dead_relu 5, constant_output 5, stagnation 4
"
    );
    // With held-out rows the losses are test losses, and the header says so.
    let table = sweep(tmp.path(), &[PAIR, HELD_OUT]);
    let header: Vec<&str> = table.lines().next().unwrap().split("  ").collect();
    assert!(header.contains(&"median test loss"), "{table}");
}

/// The outcomes of `runs` with `lr`, counted by hand from the per-run records.
fn count(runs: &[Value], lr: &str, field: &str, value: &str) -> usize {
    runs.iter()
        .filter(|r| r["values"]["lr"] == lr)
        .filter(|r| match &r[field] {
            Value::Array(kinds) => kinds.iter().any(|k| k == value),
            v => v == value,
        })
        .count()
}

#[test]
fn json_counts_outcomes_per_combination_and_keeps_each_runs_metrics() {
    let tmp = tempfile::tempdir().unwrap();
    let v: Value =
        serde_json::from_str(&sweep(tmp.path(), &[PAIR, HELD_OUT, &["--json"]])).unwrap();
    assert_eq!(v["judged_on"], "test");
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 8);
    for g in v["groups"].as_array().unwrap() {
        let lr = g["settings"][0][1].as_str().unwrap();
        let outcomes = g["stats"]["outcomes"].as_object().unwrap();
        // A map over every outcome, zeros included, that adds up to the runs.
        assert_eq!(outcomes.len(), 8);
        let total: u64 = outcomes.values().map(|n| n.as_u64().unwrap()).sum();
        assert_eq!(total, g["stats"]["n"].as_u64().unwrap());
        for (o, n) in outcomes {
            assert_eq!(n.as_u64().unwrap() as usize, count(runs, lr, "outcome", o));
        }
        for (k, n) in g["diagnostics"].as_object().unwrap() {
            assert_eq!(
                n.as_u64().unwrap() as usize,
                count(runs, lr, "diagnostics", k)
            );
        }
    }
    // Issue 12: lr 1 is stuck, with the output ReLU dead in every run.
    assert_eq!(v["groups"][1]["stats"]["outcomes"]["stuck"], 4);
    assert_eq!(v["groups"][1]["diagnostics"]["dead_relu"], 4);
    // Run 6 (lr 1, seed 2) is what `nnlab train` gives for the same settings, bit for bit
    // (a sweep's records equal train's: sweep/engine.rs).
    let r = &runs[6];
    assert_eq!(r["values"], serde_json::json!({"lr": "1", "seed": "2"}));
    let t: Value = serde_json::from_str(&ok(
        tmp.path(),
        &[
            "train",
            "--json",
            "--no-store",
            "--lr",
            "1",
            "--seed",
            "2",
            "--epochs",
            "30",
            "--test-fraction",
            "0.25",
        ],
    ))
    .unwrap();
    assert_eq!(r["outcome"], t["outcome"]);
    assert_eq!(r["outcome"], "stuck");
    assert_eq!(r["train_r2"], t["metrics"]["train"]["original"]["r2"]);
    assert_eq!(r["test_r2"], t["metrics"]["test"]["original"]["r2"]);
    assert_eq!(r["train_mape"], t["metrics"]["train"]["original"]["mape"]);
    assert_eq!(r["test_mape"], t["metrics"]["test"]["original"]["mape"]);
    let last = |k: &str| t[k].as_array().unwrap().last().unwrap().clone();
    assert_eq!(r["train_loss"], last("epoch_loss"));
    assert_eq!(r["test_loss"], last("test_loss"));
    assert_eq!(r["epochs_run"], 30);
}

/// The counts of each outcome in runs.csv's `outcome` column (the 5th), per lr.
fn csv_counts(runs_csv: &str, lr: &str) -> Vec<usize> {
    let outcomes: Vec<&str> = runs_csv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[1] == lr).then_some(f[4])
        })
        .collect();
    nnlab_lab::verdict::Outcome::ALL
        .iter()
        .map(|o| outcomes.iter().filter(|&&s| s == o.name()).count())
        .collect()
}

#[test]
fn summary_csv_counts_each_outcome() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    sweep(d, &[PAIR, &["--out", "o"]]);
    let runs = read(d.join("o/runs.csv"));
    assert!(runs.starts_with("index,lr,seed,status,outcome,"), "{runs}");
    let summary = read(d.join("o/summary.csv"));
    let lines: Vec<&str> = summary.lines().collect();
    assert_eq!(
        lines[0],
        "lr,n,diverged,stuck,oscillating,still_improving,no_better_than_mean,\
         stopped_early,plateaued,learned,min,median,max,mean,std,median_diverged_epoch"
    );
    assert_eq!(lines.len(), 3);
    // lr 1: all four stuck (issue 12). lr 0.01: whatever runs.csv says, counted by hand.
    assert!(lines[2].starts_with("1,4,0,4,0,0,0,0,0,0,"), "{summary}");
    for (line, lr) in [(lines[1], "0.01"), (lines[2], "1")] {
        let cells: Vec<usize> = line
            .split(',')
            .skip(1)
            .take(9)
            .map(|c| c.parse().unwrap())
            .collect();
        assert_eq!(cells[0], 4);
        assert_eq!(cells[1..], csv_counts(&runs, lr)[..], "{line}");
    }
}

#[test]
fn a_test_set_sweep_keeps_its_test_curves_and_merges_from_shards_identically() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let whole = sweep(d, &[PAIR, HELD_OUT, &["--out", "whole", "--json"]]);
    let curves = read(d.join("whole/curves.csv"));
    let lines: Vec<&str> = curves.lines().collect();
    assert_eq!(lines[0], "index,epoch,train_loss,test_loss");
    // 8 runs of 30 epochs, each line with a test loss.
    assert_eq!(lines.len(), 1 + 8 * 30);
    assert!(lines[1..].iter().all(|l| !l.ends_with(',')), "{curves}");
    // Run 0's last test loss is runs.csv's test_loss (the 9th field) of run 0.
    let runs = read(d.join("whole/runs.csv"));
    let run0: Vec<&str> = runs.lines().nth(1).unwrap().split(',').collect();
    let last0 = lines[30].rsplit(',').next().unwrap();
    assert!(lines[30].starts_with("0,30,"));
    assert_eq!(run0[8], last0);
    for k in 1..=3 {
        sweep(
            d,
            &[
                PAIR,
                HELD_OUT,
                &["--shard", &format!("{k}/3"), "--out", &format!("s{k}")],
            ],
        );
    }
    let merged = ok(
        d,
        &[
            "sweep", "merge", "s1", "s2", "s3", "--out", "merged", "--json",
        ],
    );
    for f in ["runs.csv", "summary.csv", "curves.csv"] {
        assert_eq!(
            read(d.join("whole").join(f)),
            read(d.join("merged").join(f)),
            "{f}"
        );
    }
    // Read back from the shards' files, the runs judge and summarize as they did live.
    assert_eq!(merged, whole);
}
