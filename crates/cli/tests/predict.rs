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

/// `nnlab predict ID`: a stored run predicts its own rows as its folder does (the scaler
/// refitted on the same generated rows, the stored final parameters); an unknown id and a
/// changed data file are input errors naming the run.
#[test]
fn a_stored_run_predicts_as_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("d.csv"),
        "a,b,y\n1,2,3\n2,1,5\n3,3,12\n4,0,16\n0,4,4\n",
    )
    .unwrap();
    ok(
        d,
        &[
            "train", "-q", "--epochs", "20", "--data", "d.csv", "--inputs", "a,b", "--target", "y",
            "--out", "run", "--store", "s.sqlite",
        ],
    );
    let rows = ["--row", "2,3", "--row", "5,-1"];
    let from_folder = ok(d, &[&["predict", "run"][..], &rows].concat());
    assert!(
        from_folder.starts_with("a,b,prediction\n2.0,3.0,"),
        "{from_folder}"
    );
    let stored = ok(
        d,
        &[&["predict", "1", "--store", "s.sqlite"][..], &rows].concat(),
    );
    assert_eq!(stored, from_folder);
    let unknown = nnlab(
        d,
        &[&["predict", "7", "--store", "s.sqlite"][..], &rows].concat(),
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("no run with id 7"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
    std::fs::write(
        d.join("d.csv"),
        "a,b,y\n1,2,3\n2,1,5\n3,3,12\n4,0,17\n0,4,4\n",
    )
    .unwrap();
    let changed = nnlab(
        d,
        &[&["predict", "1", "--store", "s.sqlite"][..], &rows].concat(),
    );
    assert_eq!(changed.status.code(), Some(2));
    let err = String::from_utf8_lossy(&changed.stderr);
    assert!(
        err.starts_with("error: run 1: its data (d.csv) are not the rows it was trained on"),
        "{err}"
    );
}
