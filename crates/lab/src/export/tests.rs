use super::*;
use crate::{run, Experiment};

fn course_run(extra: &[(&str, &str)]) -> RunResult {
    let mut exp = Experiment::default();
    exp.set("rows", "5").unwrap();
    exp.set("epochs", "3").unwrap();
    for (k, v) in extra {
        exp.set(k, v).unwrap();
    }
    run(&exp, &mut |_| {}).unwrap()
}

#[test]
fn the_course_export_holds_its_starting_weights_rate_and_scaled_rows() {
    let r = course_run(&[]);
    let prepared = Prepared::new(&r.config, None).unwrap();
    let files = export_files(&r, &prepared.train, Framework::Keras).unwrap();
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["replay.py", "initial.json", "train.csv"]);
    assert!(files[0].1.contains("keras.optimizers.SGD"));
    let spec: serde_json::Value = serde_json::from_str(&files[1].1).unwrap();
    assert_eq!(
        (spec["inputs"].as_u64(), spec["epochs"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(spec["lr"].as_f64(), Some(0.01));
    // The course's start (README): h1 = relu(w1·x1 + w3·x2 + b1) with w1 = 1, w3 = 1,
    // b1 = 0.5; h2 with w2 = 0.5, w4 = -1, b2 = 0; out with w5 = w6 = 1, b3 = 0.5.
    assert_eq!(
        spec["layers"][0]["weights"],
        serde_json::json!([[1.0, 1.0], [0.5, -1.0]])
    );
    assert_eq!(spec["layers"][0]["biases"], serde_json::json!([0.5, 0.0]));
    assert_eq!(
        spec["layers"][1]["weights"],
        serde_json::json!([[1.0, 1.0]])
    );
    assert_eq!(spec["layers"][1]["activation"], "relu");
    let lines: Vec<&str> = files[2].1.lines().collect();
    assert_eq!(lines[0], "x1,x2,y");
    assert_eq!(lines.len(), 6);
    // Row i is the scaled training row i, its numbers reading back to the same bits.
    for (i, line) in lines[1..].iter().enumerate() {
        let cells: Vec<f64> = line.split(',').map(|c| c.parse().unwrap()).collect();
        let mut want = prepared.train.row(i).to_vec();
        want.extend(prepared.train.target_row(i));
        assert_eq!(cells, want);
        // min-max scaling puts every value in [0, 1].
        assert!(cells.iter().all(|v| (0.0..=1.0).contains(v)));
    }
}

#[test]
fn a_run_the_scripts_cannot_replay_is_refused_naming_the_option() {
    let cases = [
        ("batch_size", "2", "train.batch_size: is 2, not 1"),
        ("shuffle", "true", "train.shuffle: is true"),
        ("optimizer", "adam", "train.optimizer: is adam"),
        ("loss", "absolute_error", "train.loss: is absolute_error"),
    ];
    for (key, value, message) in cases {
        let r = course_run(&[(key, value)]);
        let e = check_exportable(&r).unwrap_err().to_string();
        assert!(e.starts_with(message), "{key}={value}: {e}");
        assert!(
            e.ends_with("an export replays plain per-row SGD only"),
            "{e}"
        );
    }
}

#[test]
fn write_export_writes_the_three_files_and_reads_back_through_result_json() {
    let dir = std::env::temp_dir().join(format!("nnlab-export-test-{}", std::process::id()));
    let r = course_run(&[]);
    std::fs::create_dir_all(&dir).unwrap();
    crate::output::write_outputs(&dir, &r, Default::default()).unwrap();
    let again = read_run_dir(&dir).unwrap();
    let out = dir.join("torch");
    let written = write_export(&again, None, Framework::Torch, &out).unwrap();
    assert_eq!(written.len(), 3);
    let script = std::fs::read_to_string(out.join("replay.py")).unwrap();
    assert!(script.contains("torch.optim.SGD"));
    assert_eq!("pytorch".parse::<Framework>(), Ok(Framework::Torch));
    assert_eq!(
        "jax".parse::<Framework>().unwrap_err(),
        "'jax' is not a framework (one of: keras, torch)"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
