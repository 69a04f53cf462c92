//! `nnlab export --framework keras|torch DIR`: the replay folder of a run folder, as the
//! real binary.

mod common;

use common::{nnlab, ok};

/// The default run (100 generated rows, lr 0.01) exported for Keras: the three files, the
/// starting network of the course and one scaled row per training row.
#[test]
fn exports_a_run_folder_for_keras() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &["train", "-q", "--epochs", "4", "--out", "run", "--no-store"],
    );
    let out = ok(dir.path(), &["export", "--framework", "keras", "run"]);
    assert_eq!(
        out,
        "wrote run/export-keras/replay.py\nwrote run/export-keras/initial.json\n\
         wrote run/export-keras/train.csv\nrun: python run/export-keras/replay.py\n"
    );
    let spec = std::fs::read_to_string(dir.path().join("run/export-keras/initial.json")).unwrap();
    let spec: serde_json::Value = serde_json::from_str(&spec).unwrap();
    assert_eq!(
        (spec["epochs"].as_u64(), spec["lr"].as_f64()),
        (Some(4), Some(0.01))
    );
    // The course's w1, w3 (neuron 1) and w2, w4 (neuron 2).
    assert_eq!(
        spec["layers"][0]["weights"],
        serde_json::json!([[1.0, 1.0], [0.5, -1.0]])
    );
    let csv = std::fs::read_to_string(dir.path().join("run/export-keras/train.csv")).unwrap();
    assert_eq!(csv.lines().next(), Some("x1,x2,y"));
    assert_eq!(csv.lines().count(), 101);
}

#[test]
fn a_bad_framework_or_run_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &[
            "train",
            "-q",
            "--epochs",
            "1",
            "--batch-size",
            "2",
            "--out",
            "run",
            "--no-store",
        ],
    );
    for (args, message) in [
        (
            vec!["export", "--framework", "jax", "run"],
            "error: --framework: 'jax' is not a framework (one of: keras, torch)\n",
        ),
        (
            vec!["export", "--framework", "torch", "run"],
            "error: train.batch_size: is 2, not 1; an export replays plain per-row SGD only\n",
        ),
    ] {
        let out = nnlab(dir.path(), &args);
        assert_eq!(String::from_utf8_lossy(&out.stderr), message, "{args:?}");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}
