//! `nnlab runs import` and `nnlab runs export --format parquet`, run as the real binary in a
//! temporary directory: whole outputs, and the errors naming what the user typed.

mod common;

use std::path::Path;

use common::{nnlab, ok};

fn train(dir: &Path, store: &str, lr: &str) {
    let args = ["train", "-q", "--rows", "20", "--epochs", "10", "--lr", lr];
    ok(dir, &[&args[..], &["--store", store]].concat());
}

#[test]
fn two_stores_import_once_then_nothing_more() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    train(dir, "a.sqlite", "0.01");
    train(dir, "a.sqlite", "0.05");
    train(dir, "b.sqlite", "0.1");
    let import = [
        "runs", "--store", "m.sqlite", "import", "a.sqlite", "b.sqlite",
    ];
    assert_eq!(
        ok(dir, &import),
        "a.sqlite: added 2 runs, 0 already here\nb.sqlite: added 1 runs, 0 already here\n"
    );
    assert_eq!(
        ok(dir, &import),
        "a.sqlite: added 0 runs, 2 already here\nb.sqlite: added 0 runs, 1 already here\n"
    );
    // The three runs, oldest first with ids 1..3; the rates tell them apart.
    let json = ok(
        dir,
        &["runs", "--store", "m.sqlite", "export", "--format", "json"],
    );
    let runs: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let rows: Vec<(i64, f64)> = runs
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                r["config.train.lr"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, [(3, 0.1), (2, 0.05), (1, 0.01)]);
}

#[test]
fn bad_import_and_export_arguments_are_input_errors_naming_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let out = nnlab(
        dir,
        &["runs", "--store", "m.sqlite", "import", "missing.sqlite"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing.sqlite: no such run store"), "{err}");
    assert!(!dir.join("missing.sqlite").exists());

    let out = nnlab(
        dir,
        &[
            "runs", "--store", "m.sqlite", "export", "--format", "parquet",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--format parquet: writes two files: give the folder with --out DIR"),
        "{err}"
    );

    train(dir, "m.sqlite", "0.1");
    let out = nnlab(
        dir,
        &[
            "runs", "--store", "m.sqlite", "export", "--format", "parquet", "--out", "pq",
        ],
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "wrote pq/runs.parquet\nwrote pq/curves.parquet\n"
    );
    // Parquet files open with the magic bytes PAR1 and end with them.
    let bytes = std::fs::read(dir.join("pq/curves.parquet")).unwrap();
    assert_eq!(
        (&bytes[..4], &bytes[bytes.len() - 4..]),
        (&b"PAR1"[..], &b"PAR1"[..])
    );
}
