//! A classification run's results end to end: the classification metrics in the result and
//! its JSON, the summary's tables, `decision.png/.svg`, the verdict by accuracy; a regression
//! run's JSON and files without any of it.

use nnlab_lab::output::{write_outputs, PlotOptions};
use nnlab_lab::summary::render_summary;
use nnlab_lab::{run, Experiment, RunResult};
use nnlab_train::metrics::classify;

fn with(pairs: &[(&str, &str)]) -> RunResult {
    let mut exp = Experiment::default();
    for (k, v) in pairs {
        exp.set(k, v).unwrap_or_else(|e| panic!("{k}={v}: {e}"));
    }
    run(&exp, &mut |_| {}).unwrap()
}

/// The README's XOR run: `nnlab train --data generate:xor --arch 2-4-1 --activation
/// tanh,sigmoid --loss binary_cross_entropy --test-fraction 0.3`.
fn xor() -> RunResult {
    with(&[
        ("data", "generate:xor"),
        ("arch", "2-4-1"),
        ("activation", "tanh,sigmoid"),
        ("loss", "binary_cross_entropy"),
        ("test_fraction", "0.3"),
    ])
}

// The numbers were read off the run (`nnlab train ...` as above): every one of the 30 test
// rows right (16 of class 0, 14 of class 1), 66 of the 70 training rows. The metrics must be
// those of the predictions the result lists, recomputed here by `classify`.
#[test]
fn xor_run_reports_accuracy_and_the_confusion_matrix() {
    let r = xor();
    let test = r
        .metrics
        .test
        .as_ref()
        .unwrap()
        .classification
        .as_ref()
        .unwrap();
    assert_eq!(test.accuracy, 1.0);
    assert_eq!(test.confusion, vec![vec![16, 0], vec![0, 14]]);
    let train = r.metrics.train.classification.as_ref().unwrap();
    assert_eq!(train.n, 70);
    assert!(
        (train.accuracy - 66.0 / 70.0).abs() < 1e-15,
        "{}",
        train.accuracy
    );
    let (p, y): (Vec<f64>, Vec<f64>) = r
        .predictions
        .iter()
        .filter(|p| p.set == "train")
        .map(|p| (p.prediction, p.target))
        .unzip();
    assert_eq!(&classify(&p, &y, 1), train);
    assert_eq!(r.data.classes, vec!["0", "1"]);
    // Judged by accuracy: its reason quotes it, not R².
    let acc = r.verdict.accuracy.unwrap();
    assert_eq!((acc.accuracy, acc.majority), (1.0, 16.0 / 30.0));
    assert!(
        r.verdict
            .reason
            .contains("accuracy 1 (majority class 0.5333) on the test set"),
        "{}",
        r.verdict.reason
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["metrics"]["test"]["classification"]["accuracy"], 1.0);
    assert_eq!(json["data"]["classes"], serde_json::json!(["0", "1"]));
    let back: RunResult = serde_json::from_value(json).unwrap();
    assert_eq!(back.metrics, r.metrics);
}

#[test]
fn the_summary_shows_the_classification_table_and_matrix() {
    let s = render_summary(&xor(), 0);
    for line in [
        "Classification (precision, recall and f1 of the positive class 1)",
        "  set    accuracy  majority  precision    recall        f1  log-loss",
        "  test          1  0.533333          1         1         1  0.106569",
        "Confusion matrix (test set; rows: true class, columns: predicted)",
        "  true \\ predicted   0   1",
        "  0                 16   0",
        "  1                  0  14",
    ] {
        assert!(s.lines().any(|l| l == line), "missing {line:?} in\n{s}");
    }
}

#[test]
fn a_two_input_classifier_writes_its_decision_boundary() {
    let dir = std::env::temp_dir().join(format!("nnlab-decision-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let written = write_outputs(&dir, &xor(), PlotOptions::default()).unwrap();
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name()?.to_str().map(String::from))
        .collect();
    assert!(
        names.contains(&"decision.png".into()) && names.contains(&"decision.svg".into()),
        "{names:?}"
    );
    let svg = std::fs::read_to_string(dir.join("decision.svg")).unwrap();
    assert!(svg.contains("Decision boundary: 2-4-1 on generate:xor") && svg.contains("P(1)"));
    // A regression run writes no such file and its JSON has no classification keys.
    let reg_dir = dir.join("regression");
    std::fs::create_dir_all(&reg_dir).unwrap();
    let r = with(&[("epochs", "5")]);
    let written = write_outputs(&reg_dir, &r, PlotOptions::default()).unwrap();
    assert!(written.iter().all(|p| !p.ends_with("decision.png")));
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["metrics"]["train"].get("classification").is_none());
    assert!(json["data"].get("classes").is_none());
    assert!(json["verdict"].get("accuracy").is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

// With feature crosses the plane is still (x1, x2): the features are computed from each
// cell's raw point. The 7 inputs of TF Playground's set, a 7-4-1 network.
#[test]
fn feature_crosses_draw_on_the_raw_plane() {
    let r = with(&[
        ("data", "generate:circle"),
        ("features", "x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)"),
        ("arch", "7-4-1"),
        ("activation", "tanh,sigmoid"),
        ("loss", "binary_cross_entropy"),
        ("epochs", "20"),
    ]);
    let chart = nnlab_lab::decision::decision_chart(&r).expect("a chart");
    assert_eq!(
        (chart.x_label.as_str(), chart.y_label.as_str()),
        ("x1", "x2")
    );
    assert_eq!(chart.points.len(), r.predictions.len());
    // The cell under a row predicts the run's class for it wherever the run is sure
    // (p below 0.2 or above 0.8: the cell's centre is at most half a cell, 1/80 of the
    // plane, away from the row, too little to cross 0.5 from there).
    let n = nnlab_lab::decision::GRID;
    assert_eq!(chart.field.len(), n * n);
    let cell = |v: f64, (lo, hi): (f64, f64)| (((v - lo) / (hi - lo)) * n as f64) as usize;
    let mut checked = 0;
    for p in r
        .predictions
        .iter()
        .filter(|p| (p.prediction - 0.5).abs() > 0.3)
    {
        let (i, j) = (
            cell(p.inputs[0], chart.x_range),
            cell(p.inputs[1], chart.y_range),
        );
        let want = usize::from(p.prediction >= 0.5);
        assert_eq!(chart.field[j * n + i].0, want, "row {} of {}", p.row, p.set);
        checked += 1;
    }
    assert!(checked > 10, "{checked} sure rows");
}
