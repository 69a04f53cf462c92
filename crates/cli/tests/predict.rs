//! `nnlab predict DIR`: a run folder's final network on new rows, as the real binary.

mod common;

use common::{nnlab, ok};

/// The rows of the run's own predictions.csv predict exactly the numbers that file holds
/// (the same network, scaler and shortest round-trip text), with the CLI's CSV header.
#[test]
fn predicts_a_run_folders_own_rows_to_the_bit() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &["train", "-q", "--epochs", "5", "--out", "run", "--no-store"],
    );
    let csv = std::fs::read_to_string(dir.path().join("run/predictions.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .take(3)
        .map(|l| l.split(',').collect())
        .collect();
    // set,row,x1,x2,y,prediction
    let mut args = vec!["predict", "run"];
    let texts: Vec<String> = rows.iter().map(|r| format!("{},{}", r[2], r[3])).collect();
    for t in &texts {
        args.extend(["--row", t.as_str()]);
    }
    let mut expected = String::from("x1,x2,prediction\n");
    for r in &rows {
        expected.push_str(&format!("{},{},{}\n", r[2], r[3], r[5]));
    }
    assert_eq!(ok(dir.path(), &args), expected);
}

#[test]
fn bad_rows_and_folders_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &["train", "-q", "--epochs", "1", "--out", "run", "--no-store"],
    );
    for (args, message) in [
        (
            vec!["predict", "run", "--row", "2"],
            "error: --row: row 1 has 1 values but the network takes 2 (x1, x2)\n",
        ),
        (
            vec!["predict", "run"],
            "error: --row: give one or more rows of x1,x2\n",
        ),
        (
            vec!["predict", "run", "--row", "2,abc"],
            "error: --row: 'abc' is not a number\n",
        ),
    ] {
        let out = nnlab(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), message, "{args:?}");
        assert!(out.stdout.is_empty());
    }
    let out = nnlab(dir.path(), &["predict", "nope", "--row", "1,2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: nope/params.json: "));
}
