//! End-to-end runs through the lab: defaults, real data, configuration round trips, output
//! files, divergence and bad input.

use nnlab_core::course::CourseParams;
use nnlab_lab::diagnostics::{Kind, Severity};
use nnlab_lab::output::{write_outputs, PlotOptions};
use nnlab_lab::result::RunOptions;
use nnlab_lab::{run, Experiment, LabError};
use nnlab_train::TrainStatus;

/// The repository's copy of the insurance table, read as a CSV file (`builtin:insurance` is
/// the same text).
const INSURANCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/data/insurance.csv");

fn quiet(exp: &Experiment) -> nnlab_lab::RunResult {
    run(exp, &mut |_| {}).unwrap()
}

/// The default run is the course's notebook: 100 generated rows, min-max scaled, 300 epochs
/// of per-sample SGD at lr 0.01 from the course's start. Reference: an independent scalar
/// loop over the same scaled rows with `CourseParams::sgd_step` (itself held to the course's
/// equations bit for bit by nnlab-core's tests), so the lab adds nothing to the arithmetic.
#[test]
fn default_run_equals_a_plain_loop_over_the_same_rows() {
    let exp = Experiment::default();
    let r = quiet(&exp);
    assert_eq!(r.epochs_run(), 300);
    assert_eq!(r.status, TrainStatus::Completed);
    let loaded = nnlab_lab::load_data(&exp).unwrap();
    let scaler = nnlab_data::Scaler::fit(&loaded.all, nnlab_data::ScaleKind::MinMax).unwrap();
    let d = scaler.transform(&loaded.all).unwrap();
    let mut p = CourseParams {
        w: [1.0, 0.5, 1.0, -1.0, 1.0, 1.0],
        b: [0.5, 0.0, 0.5],
    };
    for epoch in 0..300 {
        let mut sum = 0.0;
        for i in 0..d.n_rows() {
            sum += p.sgd_step(d.x[2 * i], d.x[2 * i + 1], d.y[i], 0.01);
        }
        assert_eq!(
            (sum / 100.0).to_bits(),
            r.epoch_loss()[epoch].to_bits(),
            "epoch {}",
            epoch + 1
        );
    }
    let fin: Vec<f64> = r.final_params().values().collect();
    let want: Vec<f64> = p.w.iter().chain(&p.b).copied().collect();
    assert_eq!(fin, want);
    // A healthy run: the loss falls and no warning is raised.
    assert!(r.epoch_loss()[299] < r.epoch_loss()[0] / 10.0);
    assert!(
        r.diagnostics.iter().all(|d| d.severity == Severity::Info),
        "{:?}",
        r.diagnostics
    );
}

/// The resolved configuration saved as TOML reruns to the same bits.
#[test]
fn config_toml_reruns_to_the_same_bits() {
    let mut exp = Experiment::default();
    exp.set("seed", "7").unwrap();
    exp.set("test_fraction", "0.25").unwrap();
    exp.set("shuffle", "true").unwrap();
    exp.set("weights", "uniform:-1,1,round=2").unwrap();
    exp.set("epochs", "40").unwrap();
    let a = quiet(&exp);
    let text = a.config.to_toml().unwrap();
    let back = Experiment::from_toml_str(&text).unwrap();
    assert_eq!(back, a.config);
    let b = quiet(&back);
    assert_eq!(a.epoch_loss().len(), b.epoch_loss().len());
    for (x, y) in a.epoch_loss().iter().zip(&b.epoch_loss()) {
        assert_eq!(x.to_bits(), y.to_bits());
    }
    assert_eq!(a.final_params(), b.final_params());
    assert_eq!(a.data.test_rows, 25);
}

/// The insurance table: 1338 rows, smoker encoded 0/1, and metrics in dollars equal the
/// scaled metrics mapped back (min-max: error_orig = error_scaled · (max - min), so
/// rmse_orig = rmse_scaled · (63770.42801 - 1121.8739) within rounding).
#[test]
fn insurance_table_with_metrics_in_dollars() {
    let mut exp = Experiment::default();
    exp.set("data", INSURANCE).unwrap();
    exp.set("inputs", "age,bmi,smoker").unwrap();
    exp.set("target", "charges").unwrap();
    exp.set("arch", "3-4-1").unwrap();
    exp.set("activation", "relu,identity").unwrap();
    exp.set("epochs", "20").unwrap();
    exp.set("test_fraction", "0.2").unwrap();
    let r = quiet(&exp);
    assert_eq!(r.data.rows, 1338);
    assert_eq!(r.data.test_rows, 268);
    assert!(
        r.data.encoding.iter().any(|e| e == "smoker: no=0, yes=1"),
        "{:?}",
        r.data.encoding
    );
    let m = &r.metrics.train;
    // The train split's charges range fixes the scale; it is within the table's range.
    let ratio = m.original.rmse / m.scaled.rmse;
    assert!(
        ratio > 50_000.0 && ratio <= 63770.42801 - 1121.8739 + 1e-6,
        "{ratio}"
    );
    assert!(
        (m.original.r2 - m.scaled.r2).abs() < 1e-9,
        "R² is scale-free"
    );
    assert!(r.metrics.test.is_some());
    assert_eq!(r.predictions.len(), 1338);
}

/// `builtin:insurance` is the same table as the file: with the same columns, the same rows
/// to the bit; with none chosen, the course's inputs age, bmi, children, smoker -> charges.
#[test]
fn builtin_insurance_is_the_csv_file() {
    let mut file = Experiment::default();
    file.set("data", INSURANCE).unwrap();
    file.set("inputs", "age,sex,smoker").unwrap();
    file.set("target", "bmi").unwrap();
    let mut builtin = file.clone();
    builtin.set("data", "builtin:insurance").unwrap();
    let (a, b) = (
        nnlab_lab::load_data(&file).unwrap().all,
        nnlab_lab::load_data(&builtin).unwrap().all,
    );
    assert_eq!((&a.x, &a.y, &a.input_names), (&b.x, &b.y, &b.input_names));
    assert_eq!(a.encoding, b.encoding);
    // Columns apply to a built-in table as to a file; bad rows only to a file.
    assert!(
        builtin.inapplicable().is_empty(),
        "{:?}",
        builtin.inapplicable()
    );
    builtin.set("skip_bad_rows", "true").unwrap();
    assert_eq!(builtin.inapplicable(), ["skip_bad_rows"]);
    let mut defaults = Experiment::default();
    defaults.set("data", "builtin:insurance").unwrap();
    let d = nnlab_lab::load_data(&defaults).unwrap().all;
    assert_eq!(d.input_names, ["age", "bmi", "children", "smoker"]);
    assert_eq!(d.target_name, "charges");
    // Line 2 of insurance.csv: 19,female,27.9,0,yes,southwest,16884.924.
    assert_eq!((d.row(0), d.y[0]), (&[19.0, 27.9, 0.0, 1.0][..], 16884.924));
}

#[test]
fn bundled_diabetes_table() {
    let mut exp = Experiment::default();
    exp.set("data", "builtin:diabetes").unwrap();
    exp.set("arch", "10-8-1").unwrap();
    exp.set("activation", "relu,identity").unwrap();
    exp.set("epochs", "30").unwrap();
    let r = quiet(&exp);
    assert_eq!(r.data.rows, 442);
    assert!(r.epoch_loss()[29] < r.epoch_loss()[0]);
}

/// lr 1 on a linear output diverges in the first epoch; the run stops, says where, and the
/// diagnostics name it.
#[test]
fn divergence_is_reported_not_raised() {
    let mut exp = Experiment::default();
    exp.set("activation", "identity").unwrap();
    exp.set("lr", "1").unwrap();
    let r = quiet(&exp);
    match &r.status {
        TrainStatus::Diverged {
            epoch, suggestion, ..
        } => {
            assert_eq!(*epoch, 1);
            assert!(suggestion.contains("0.1"), "{suggestion}");
        }
        other => panic!("expected divergence, got {other:?}"),
    }
    assert!(r.epoch_loss().iter().all(|l| l.is_finite()));
    assert!(r.diagnostics.iter().any(|d| d.kind == Kind::Divergence));
    // Its files are still written whole; with no finite epoch there is no loss plot.
    let dir = tempfile::tempdir().unwrap();
    let written = write_outputs(dir.path(), &r, PlotOptions::default()).unwrap();
    assert_eq!(written.len(), 5);
    assert!(!dir.path().join("loss.png").exists());
}

#[test]
fn symmetric_start_is_diagnosed() {
    let mut exp = Experiment::default();
    exp.set("init", "identical").unwrap();
    exp.set("epochs", "20").unwrap();
    let r = quiet(&exp);
    let sym: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::Symmetry)
        .collect();
    assert_eq!(sym.len(), 1);
    assert_eq!(sym[0].involved, vec!["node 1", "node 2"]);
    // And the two hidden neurons really are still equal (the diagnostic's claim).
    assert_eq!(r.final_params().get("w1"), r.final_params().get("w2"));
    assert_eq!(r.final_params().get("b1"), r.final_params().get("b2"));
}

#[test]
fn dead_relu_is_diagnosed() {
    let mut exp = Experiment::default();
    exp.set("biases", "-5,-5,0.5").unwrap();
    exp.set("epochs", "5").unwrap();
    let r = quiet(&exp);
    let dead: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::DeadRelu)
        .collect();
    // z1 = x1·1 + x2·1 - 5 <= 2 - 5 < 0 on scaled rows in [0, 1]; z2 likewise: both dead
    // from the start, so their parameters never change (epoch 1 onward).
    assert_eq!(dead.len(), 2, "{:?}", r.diagnostics);
    assert_eq!(dead[0].epoch, Some(1));
}

#[test]
fn frozen_biases_never_move() {
    let mut exp = Experiment::default();
    exp.set("freeze", "b1,b2").unwrap();
    exp.set("epochs", "10").unwrap();
    let r = quiet(&exp);
    assert_eq!(r.final_params().get("b1"), Some(0.5));
    assert_eq!(r.final_params().get("b2"), Some(0.0));
    assert_ne!(r.final_params().get("b3"), Some(0.5));
}

#[test]
fn output_files_are_complete_and_readable() {
    let mut exp = Experiment::default();
    exp.set("epochs", "12").unwrap();
    exp.set("test_fraction", "0.2").unwrap();
    let r = quiet(&exp);
    let dir = tempfile::tempdir().unwrap();
    let written = write_outputs(dir.path(), &r, PlotOptions { log_y: true }).unwrap();
    assert_eq!(written.len(), 7);
    let history = std::fs::read_to_string(dir.path().join("history.csv")).unwrap();
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines[0], "epoch,train_loss,test_loss,lr");
    assert_eq!(lines.len(), 13);
    let first: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(
        first[1].parse::<f64>().unwrap().to_bits(),
        r.epoch_loss()[0].to_bits()
    );
    let preds = std::fs::read_to_string(dir.path().join("predictions.csv")).unwrap();
    assert!(preds.starts_with("set,row,x1,x2,y,prediction\n"));
    assert_eq!(preds.lines().count(), 101);
    let params: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("params.json")).unwrap())
            .unwrap();
    assert_eq!(params["initial"]["w4"], -1.0);
    let png = std::fs::read(dir.path().join("loss.png")).unwrap();
    assert_eq!(&png[..8], &nnlab_plot::PNG_SIGNATURE);
    let svg = std::fs::read_to_string(dir.path().join("loss.svg")).unwrap();
    assert!(svg.contains("epoch") && svg.contains("test loss"));
    let rerun = Experiment::from_toml_file(&dir.path().join("config.toml")).unwrap();
    assert_eq!(rerun, r.config);
}

#[test]
fn bad_input_is_an_error_naming_what() {
    let mut exp = Experiment::default();
    let e = exp.set("lr", "abc").unwrap_err();
    assert!(e.to_string().starts_with("lr: 'abc'"), "{e}");
    assert!(matches!(
        exp.set("learning_rate", "1"),
        Err(LabError::UnknownKey { .. })
    ));
    let e = Experiment::from_toml_str("[train]\nepochz = 3\n").unwrap_err();
    assert!(
        e.to_string().contains("epochz") && e.to_string().contains("line 2"),
        "{e}"
    );
    exp.set("arch", "3-2-1").unwrap();
    let e = run(&exp, &mut |_| {}).unwrap_err();
    assert!(
        e.to_string().contains("takes 3 inputs but the data has 2"),
        "{e}"
    );
    let mut exp = Experiment::default();
    exp.set("x1", "3,4").unwrap();
    exp.set("integer", "true").unwrap();
    let e = run(&exp, &mut |_| {}).unwrap_err();
    assert!(e.to_string().contains("constant"), "{e}");
    let mut exp = Experiment::default();
    assert!(exp
        .set("init", "huge-huge")
        .unwrap_err()
        .to_string()
        .contains("unknown preset"));
}

/// Without predictions (what `nnlab train` runs when neither `--out` nor `--json` shows
/// them) the data is split and scaled where it was loaded instead of copied: the run must
/// be the same to the bit, only without the per-row predictions. Insurance with a test
/// split and a text column covers the in-place split, both sets and the encoding.
#[test]
fn a_run_without_predictions_is_the_same_run_without_the_rows() {
    let mut exp = Experiment::default();
    exp.set("data", INSURANCE).unwrap();
    exp.set("inputs", "age,bmi,smoker").unwrap();
    exp.set("target", "charges").unwrap();
    exp.set("arch", "3-4-1").unwrap();
    exp.set("activation", "relu,identity").unwrap();
    exp.set("epochs", "5").unwrap();
    exp.set("test_fraction", "0.2").unwrap();
    let full = quiet(&exp);
    let lean = RunOptions { predictions: false }
        .run(&exp, &mut |_| {})
        .unwrap();
    assert_eq!(full.predictions.len(), 1338);
    assert!(lean.predictions.is_empty());
    let same = nnlab_lab::RunResult {
        predictions: full.predictions.clone(),
        ..lean
    };
    // PartialEq on f64 would take NaN != NaN (an undefined R²); JSON text compares bits.
    assert_eq!(
        serde_json::to_string(&same).unwrap(),
        serde_json::to_string(&full).unwrap()
    );
}
