//! `nnlab sweep` and `nnlab experiment`, run as the real binary in a temporary folder.

mod common;
use common::{nnlab, GRID};

use std::path::Path;
use std::process::Output;

fn sweep(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["sweep"];
    args.extend_from_slice(GRID);
    args.extend_from_slice(extra);
    let out = nnlab(dir, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn read(p: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

#[test]
fn shards_merge_into_the_unsharded_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let whole = sweep(d, &["--out", "whole"]);
    let table = String::from_utf8(whole.stdout).unwrap();
    assert!(table.starts_with("lr "), "{table}");
    assert_eq!(table.lines().count(), 2 + 3);
    for k in 1..=3 {
        sweep(
            d,
            &["--shard", &format!("{k}/3"), "--out", &format!("s{k}")],
        );
    }
    let out = nnlab(d, &["sweep", "merge", "s1", "s2", "s3", "--out", "merged"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "runs.csv",
        "summary.csv",
        "curves.csv",
        "sweep.toml",
        "loss_by_lr.svg",
    ] {
        assert_eq!(
            read(d.join("whole").join(f)),
            read(d.join("merged").join(f)),
            "{f}"
        );
    }
    // A missing shard is an error naming the gap.
    let out = nnlab(d, &["sweep", "merge", "s1", "s3", "--out", "bad"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is in no shard"));
    // Issue 17: a shard's curves.csv cut in half was merged ("wrote 6 files", exit 0) into
    // a curves.csv short by its lost rows. Now it is refused, naming the file and line.
    let curves = d.join("s2").join("curves.csv");
    let text = read(&curves);
    std::fs::write(&curves, &text[..text.len() / 2]).unwrap();
    let out = nnlab(d, &["sweep", "merge", "s1", "s2", "s3", "--out", "cut"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("s2/curves.csv:") && err.contains("cut off"),
        "{err}"
    );
    assert!(!d.join("cut").exists());
}

#[test]
fn sweep_toml_reruns_the_same_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    sweep(d, &["--out", "a", "--report"]);
    let out = nnlab(d, &["sweep", "a/sweep.toml", "--out", "b"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(read(d.join("a/runs.csv")), read(d.join("b/runs.csv")));
    let html = String::from_utf8(read(d.join("a/report.html"))).unwrap();
    assert!(html.contains("<h3>lr</h3>"));
    assert!(d.join("a/report.md").exists() && d.join("a/loss_by_lr.png").exists());
    let runs = String::from_utf8(read(d.join("a/runs.csv"))).unwrap();
    assert_eq!(runs.lines().count(), 1 + 15);
    assert!(runs.starts_with("index,lr,seed,status,"));
}

#[test]
fn bad_vary_is_exit_2_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = nnlab(tmp.path(), &["sweep", "--vary", "lrate=1,2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown option 'lrate'"));
    let out = nnlab(tmp.path(), &["sweep", "--vary", "init=course,bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--vary init=bogus"));
    let out = nnlab(tmp.path(), &["sweep", "--vary", "lr=1", "--shard", "4/3"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn json_prints_the_summary_and_the_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = sweep(tmp.path(), &["--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Three learning rates of five seeds each (GRID); the shape is in sweep/json.rs.
    assert_eq!(v["judged_on"], "train");
    assert_eq!(v["groups"].as_array().unwrap().len(), 3);
    assert_eq!(v["groups"][0]["stats"]["n"], 5);
    assert_eq!(v["runs"].as_array().unwrap().len(), 15);
}

#[test]
fn experiment_list_and_run() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let out = nnlab(d, &["experiment", "list"]);
    let text = String::from_utf8(out.stdout).unwrap();
    // The catalogue's 15 experiments, one line each (13 regression ones, then issue 14's
    // `xor` and `regularization`).
    assert_eq!(text.lines().count(), 15);
    assert!(text.contains("dead-relu"));
    assert!(text.contains("xor") && text.contains("regularization"));
    let out = nnlab(
        d,
        &[
            "experiment",
            "run",
            "dead-relu",
            "--epochs",
            "5",
            "--out",
            "dr",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("dead_relu"), "{text}");
    assert!(d.join("dr/report.html").exists() && d.join("dr/report.md").exists());
    let out = nnlab(d, &["experiment", "run", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A few rows with the insurance table's columns (the smoker column as text).
fn insurance_like(dir: &Path) -> String {
    let mut text = String::from("age,sex,bmi,children,smoker,region,charges\n");
    for i in 0..20 {
        let smoker = if i % 3 == 0 { "yes" } else { "no" };
        text.push_str(&format!(
            "{},female,{}.5,{},{smoker},southwest,{}.25\n",
            20 + i,
            22 + i % 7,
            i % 4,
            1000 + 137 * i
        ));
    }
    let path = dir.join("ins.csv");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// Issue 11: `--vary rows=...` on a CSV was silently ignored.
#[test]
fn vary_of_an_option_for_other_data_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = insurance_like(tmp.path());
    let out = nnlab(
        tmp.path(),
        &[
            "sweep",
            "--data",
            &csv,
            "--inputs",
            "age,bmi",
            "--target",
            "charges",
            "--vary",
            "rows=30,100",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("error: --vary rows: does not apply to a CSV file (data = {csv})\n")
    );
}

/// Issue 11: `experiment run learning-rate --data FILE` ran on generated data. Now the
/// experiments that can take a data set run on it (a file without the insurance columns
/// fails naming the column, which proves it is read), and the others refuse `--data`.
#[test]
fn experiments_use_or_refuse_data() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let csv = insurance_like(d);
    let run = |name: &str, data: &str| {
        nnlab(
            d,
            &[
                "experiment",
                "run",
                name,
                "--data",
                data,
                "--epochs",
                "2",
                "--no-store",
            ],
        )
    };
    let out = run("learning-rate", &csv);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let other = d.join("other.csv");
    std::fs::write(&other, "a,b,y\n1,2,3\n4,5,6\n").unwrap();
    let out = run("learning-rate", other.to_str().unwrap());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("age"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run("symmetry", &csv);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: --data: experiment 'symmetry' runs on its own data; --data is for learning-rate, dataset-size, optimizer, schedule, seeds, real-data\n"
    );
}
