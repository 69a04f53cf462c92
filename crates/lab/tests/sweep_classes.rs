//! A classification sweep's files: `runs.csv` gains `train_accuracy,test_accuracy` and
//! `summary.csv` `median_accuracy` (a regression sweep's files keep their columns; the
//! sweep parity tests hold them byte for byte), and both read back.

use nnlab_lab::sweep::files::{read_runs, runs_csv, summary_csv, write_sweep};
use nnlab_lab::sweep::summary::summary_table;
use nnlab_lab::sweep::{run_sweep, summarize, SweepSpec};
use nnlab_lab::{run, Experiment};

fn xor_spec() -> SweepSpec {
    let mut base = Experiment::default();
    for (k, v) in [
        ("data", "generate:xor"),
        ("arch", "2-4-1"),
        ("activation", "tanh,sigmoid"),
        ("loss", "bce"),
        ("test_fraction", "0.3"),
        ("epochs", "20"),
    ] {
        base.set(k, v).unwrap_or_else(|e| panic!("{k}={v}: {e}"));
    }
    SweepSpec::parse(base, &["lr=0.05,0.5".into(), "seed=1,2,3".into()]).unwrap()
}

#[test]
fn a_classification_sweep_lists_its_accuracies() {
    let spec = xor_spec();
    assert!(spec.is_classification());
    let result = run_sweep(&spec, None).unwrap();
    let csv = runs_csv(&spec, &result.runs);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "index,lr,seed,status,outcome,diverged_epoch,epochs_run,train_loss,test_loss,train_r2,\
         test_r2,train_mape,test_mape,train_accuracy,test_accuracy,diagnostics"
    );
    // Each run's accuracies are those of the same experiment run alone.
    let mut by_lr: Vec<Vec<f64>> = vec![Vec::new(), Vec::new()];
    for (line, r) in lines.zip(&result.runs) {
        let alone = run(&spec.experiment(&spec.point(r.index)).unwrap(), &mut |_| {}).unwrap();
        let acc = |m: &nnlab_lab::result::SetMetrics| m.classification.as_ref().unwrap().accuracy;
        let (train, test) = (
            acc(&alone.metrics.train),
            acc(alone.metrics.test.as_ref().unwrap()),
        );
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[13].parse::<f64>().unwrap(), train, "{line}");
        assert_eq!(cells[14].parse::<f64>().unwrap(), test, "{line}");
        by_lr[r.index / 3].push(test);
    }
    // The summary's median accuracy: the middle of each lr's three seeds' test accuracies
    // (the judged set: every run held out 30%).
    let groups = summarize(&result);
    for (g, mut accs) in groups.iter().zip(by_lr) {
        accs.sort_by(f64::total_cmp);
        assert_eq!(g.stats.median_accuracy, Some(accs[1]), "{:?}", g.settings);
    }
    let summary = summary_csv(&spec, &groups);
    assert!(
        summary
            .lines()
            .next()
            .unwrap()
            .ends_with(",median_diverged_epoch,median_accuracy"),
        "{summary}"
    );
    let table = summary_table(&groups).text("");
    assert!(table.contains("median test accuracy"), "{table}");

    // Written and read back, the files are the same bytes.
    let dir = std::env::temp_dir().join(format!("nnlab-sweep-classes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    write_sweep(&dir, &result).unwrap();
    let back = read_runs(&dir, &spec).unwrap();
    assert_eq!(runs_csv(&spec, &back), csv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_regression_sweep_has_no_accuracy_columns() {
    let spec = SweepSpec::parse(Experiment::default(), &["lr=0.01".into()]).unwrap();
    assert!(!spec.is_classification());
    assert_eq!(
        runs_csv(&spec, &[]),
        "index,lr,status,outcome,diverged_epoch,epochs_run,train_loss,test_loss,train_r2,\
         test_r2,train_mape,test_mape,diagnostics\n"
    );
}
