//! The run pipeline's stages and the result's JSON: an uploaded CSV's text is the same data
//! as the file it came from, the stages composed by hand give `run`'s result, and
//! `result.json` / `--json` keep the keys the README documents.

use nnlab_lab::output::{write_outputs, PlotOptions};
use nnlab_lab::{assemble, run, train_prepared, CsvText, Experiment, Prepared, RunResult};

/// A small table with a text column and a row the target cannot read, written out by hand:
/// `y = 2·a + b` on eight rows, `kind` encoded (a=0, b=1 in order of appearance).
const CSV: &str = "\
a,b,kind,y
1,2,a,4
2,1,b,5
3,0,a,6
4,2,b,10
5,1,a,11
6,0,b,12
7,2,a,16
8,x,b,17
9,1,a,19
";

fn csv_experiment(source: &str) -> Experiment {
    let mut exp = Experiment::default();
    exp.set("data", source).unwrap();
    exp.set("inputs", "a,b").unwrap();
    exp.set("target", "y").unwrap();
    exp.set("skip_bad_rows", "true").unwrap();
    exp.set("test_fraction", "0.25").unwrap();
    exp.set("epochs", "6").unwrap();
    exp
}

fn json(r: &RunResult) -> String {
    serde_json::to_string(r).unwrap()
}

/// The same text from a file and as `CsvText` named by that file's path: the same rows,
/// split, scaler, skipped-row count and so the same run, to the bit (JSON text compares
/// every f64 by its shortest round-trip digits, i.e. its bits).
#[test]
fn uploaded_csv_text_equals_the_same_csv_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("table.csv");
    std::fs::write(&path, CSV).unwrap();
    let exp = csv_experiment(&path.display().to_string()).resolved();
    let from_file = Prepared::new(&exp, None).unwrap();
    let from_text = Prepared::new(&exp, Some(CsvText(CSV))).unwrap();
    assert_eq!(from_text, from_file);
    // Row `8,x,b,17` is skipped; 8 rows left, round(8 · 0.25) = 2 of them test rows.
    let s = &from_text.summary;
    assert_eq!(
        (s.rows, s.rows_skipped, s.train_rows, s.test_rows),
        (8, 1, 6, 2)
    );
    let bits = |p: &Prepared| -> Vec<u64> { p.train.x.iter().map(|v| v.to_bits()).collect() };
    assert_eq!(bits(&from_text), bits(&from_file));

    // Through the stages: the text's run is the file's run.
    let by_text = {
        let trained = train_prepared(&exp, &from_text, &mut |_| {}).unwrap();
        assemble(exp.clone(), &from_text, trained)
    };
    let by_file = run(&exp, &mut |_| {}).unwrap();
    assert_eq!(json(&by_text), json(&by_file));
    assert_eq!(by_text.predictions.len(), 8);
}

/// CSV text under a name that is not a CSV's is refused, naming the option.
#[test]
fn csv_text_needs_a_csv_name() {
    let exp = csv_experiment("builtin:diabetes");
    let e = Prepared::new(&exp, Some(CsvText(CSV)))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("data.source: CSV text was given"), "{e}");
}

/// The keys of `nnlab train --json` (the result serialized) and of `result.json`, in
/// order, as before `RunResult` kept each fact once; the derived ones agree with the facts.
#[test]
fn result_json_keeps_its_documented_keys() {
    const KEYS: [&str; 18] = [
        "config",
        "data",
        "status",
        "epochs_run",
        "epoch_loss",
        "test_loss",
        "history",
        "initial",
        "final",
        "initial_network",
        "final_network",
        "metrics",
        "outcome",
        "verdict",
        "diagnostics",
        "scaler",
        "predictions",
        "sample_steps",
    ];
    let mut exp = Experiment::default();
    exp.set("rows", "20").unwrap();
    exp.set("epochs", "3").unwrap();
    exp.set("test_fraction", "0.2").unwrap();
    let r = run(&exp, &mut |_| {}).unwrap();
    let text = serde_json::to_string_pretty(&r).unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_outputs(dir.path(), &r, PlotOptions::default()).unwrap();
    let file = std::fs::read_to_string(dir.path().join("result.json")).unwrap();
    assert_eq!(file, format!("{text}\n"));
    // `preserve_order` is off: read the top-level keys in document order from the text.
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \"") && !l.starts_with("   "))
        .filter_map(|l| l.trim_start().strip_prefix('"')?.split('"').next())
        .collect();
    assert_eq!(keys, KEYS);

    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["epochs_run"], 3);
    let losses: Vec<f64> = r.history.iter().map(|h| h.train_loss).collect();
    assert_eq!(v["epoch_loss"], serde_json::json!(losses));
    let tests: Vec<Option<f64>> = r.history.iter().map(|h| h.test_loss).collect();
    assert_eq!(v["test_loss"], serde_json::json!(tests));
    // The course network's parameters by name, before and after.
    assert_eq!(v["initial"]["w1"], 1.0);
    assert_eq!(v["initial"]["b1"], 0.5);
    assert_eq!(v["final"]["w1"], r.final_network.params_flat()[0]);

    // Read back, it is the same result.
    let back: RunResult = serde_json::from_str(&text).unwrap();
    assert_eq!(json(&back), json(&r));
}

/// Without a test split `test_loss` is null, as before.
#[test]
fn no_test_set_no_test_loss() {
    let mut exp = Experiment::default();
    exp.set("rows", "10").unwrap();
    exp.set("epochs", "2").unwrap();
    let r = run(&exp, &mut |_| {}).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert!(v["test_loss"].is_null());
    assert!(r.test_loss().is_none() && !r.has_test_set());
    assert_eq!(r.epochs_run(), 2);
}
