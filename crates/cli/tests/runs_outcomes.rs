//! Issue 12 in `nnlab runs`: every recorded run (of `train` and of a `sweep`) keeps its
//! outcome; `list` shows it and filters by it, `show` gives the reason, `export` and
//! `compare` carry it. Run as the real binary against a store in a temporary directory.

mod common;
use common::{nnlab, ok};

use serde_json::Value;

/// The `outcome` cell of each line of `runs list` (the 4th column), by run id.
fn listed(table: &str) -> Vec<(String, String)> {
    table
        .lines()
        .skip(2)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[0].to_string(), f[3].to_string())
        })
        .collect()
}

#[test]
fn train_runs_keep_their_outcome_in_list_show_export_and_compare() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // Issue 12's measurements: the defaults learn (R² 0.7851); lr 1 is stuck (every row
    // predicts 0).
    ok(d, &["train", "-q"]);
    ok(d, &["train", "-q", "--lr", "1"]);
    let list = ok(d, &["runs", "list"]);
    assert!(list.starts_with("id  started"), "{list}");
    let header: Vec<&str> = list.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(&header[..5], ["id", "started", "status", "outcome", "tag"]);
    let pair = |id: &str, o: &str| (id.to_string(), o.to_string());
    assert_eq!(listed(&list), [pair("2", "stuck"), pair("1", "learned")]);
    assert_eq!(
        listed(&ok(d, &["runs", "list", "--outcome", "stuck"])),
        [pair("2", "stuck")]
    );
    let json: Value =
        serde_json::from_str(&ok(d, &["runs", "list", "--outcome", "learned", "--json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["outcome"], "learned");
    // No run is oscillating: an empty list, said on stderr.
    let none = nnlab(d, &["runs", "list", "--outcome", "oscillating"]);
    assert!(none.status.success() && none.stdout.is_empty());

    // `show` gives the reason `nnlab train --json` judges for the same settings.
    for (id, lr) in [("1", "0.01"), ("2", "1")] {
        let fresh: Value =
            serde_json::from_str(&ok(d, &["train", "--json", "--no-store", "--lr", lr])).unwrap();
        let line = format!(
            "\noutcome {}: {}\n",
            fresh["outcome"].as_str().unwrap(),
            fresh["verdict"]["reason"].as_str().unwrap()
        );
        let show = ok(d, &["runs", "show", id]);
        assert!(show.contains(&line), "{line}\n{show}");
    }
    let show = ok(d, &["runs", "show", "1"]);
    assert!(
        show.contains("\noutcome learned: the loss has settled and R² is 0.7851"),
        "{show}"
    );
    let show = ok(d, &["runs", "show", "2"]);
    assert!(
        show.contains(
            "\noutcome stuck: 100% of the train rows get the same prediction (0 in scaled units)"
        ),
        "{show}"
    );
    let full: Value = serde_json::from_str(&ok(d, &["runs", "show", "2", "--json"])).unwrap();
    assert_eq!(full["outcome"], "stuck");
    assert_eq!(full["verdict"]["judged_on"], "train");
    assert_eq!(full["verdict"]["spread"]["same_share"], 1.0);

    let csv = ok(d, &["runs", "export"]);
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("id,status,outcome,"), "{csv}");
    assert!(rows[1].starts_with("2,completed,stuck,"), "{csv}");
    assert!(rows[2].starts_with("1,completed,learned,"), "{csv}");

    let cmp = ok(d, &["runs", "compare", "1", "2"]);
    let row: Vec<&str> = cmp.lines().nth(3).unwrap().split_whitespace().collect();
    assert_eq!(row, ["outcome", "learned", "stuck"], "{cmp}");
}

#[test]
fn an_unknown_outcome_is_exit_2_naming_the_option_and_value() {
    let tmp = tempfile::tempdir().unwrap();
    let out = nnlab(tmp.path(), &["runs", "list", "--outcome", "converged"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--outcome: 'converged' is not an outcome (known: diverged, stuck,"),
        "{err}"
    );
}

#[test]
fn sweep_runs_are_stored_with_the_outcomes_of_runs_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(
        d,
        &[
            "sweep",
            "--vary",
            "lr=0.01,1",
            "--vary",
            "seed=0..3",
            "--epochs",
            "30",
            "--out",
            "o",
        ],
    );
    // runs.csv: index,lr,seed,status,outcome,... ; the store lists newest first, and the
    // runs of one sweep in any order, so compare the (lr, seed, outcome) triples.
    let csv = std::fs::read_to_string(d.join("o/runs.csv")).unwrap();
    let mut from_csv: Vec<(String, String, String)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[1].to_string(), f[2].to_string(), f[4].to_string())
        })
        .collect();
    let stored: Value = serde_json::from_str(&ok(d, &["runs", "list", "--json"])).unwrap();
    let mut from_store: Vec<(String, String, String)> = stored
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let lr = r["config"]["train"]["lr"].as_f64().unwrap();
            (
                if lr == 1.0 { "1" } else { "0.01" }.to_string(),
                r["seeds"][1].to_string(),
                r["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    from_csv.sort();
    from_store.sort();
    assert_eq!(from_csv.len(), 6);
    assert_eq!(from_store, from_csv);
    // lr 1: stuck in each of its 3 runs (issue 12).
    let stuck = ok(d, &["runs", "list", "--outcome", "stuck"]);
    assert_eq!(listed(&stuck).len(), 3, "{stuck}");
}
