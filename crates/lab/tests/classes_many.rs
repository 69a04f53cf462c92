//! A run with more than two classes end to end: `builtin:penguins` (3 species) under the
//! categorical cross-entropy with a softmax output, through the result's predictions,
//! metrics, `predictions.csv` and the decision chart's points.

use nnlab_lab::decision::decision_chart;
use nnlab_lab::output::predictions_csv;
use nnlab_lab::{run, Experiment, RunResult};
use nnlab_train::metrics::classify;

/// `nnlab train --data builtin:penguins --inputs bill_length_mm,bill_depth_mm --arch 2-4-3
/// --activation tanh,softmax --loss cce --test-fraction 0.3` (two raw inputs, so the run
/// also draws its decision boundary).
fn penguins() -> RunResult {
    let mut exp = Experiment::default();
    for (k, v) in [
        ("data", "builtin:penguins"),
        ("inputs", "bill_length_mm,bill_depth_mm"),
        ("arch", "2-4-3"),
        ("activation", "tanh,softmax"),
        ("loss", "cce"),
        ("test_fraction", "0.3"),
        ("epochs", "60"),
    ] {
        exp.set(k, v).unwrap_or_else(|e| panic!("{k}={v}: {e}"));
    }
    run(&exp, &mut |_| {}).unwrap()
}

// penguins.csv holds 146 Adelie, 68 Chinstrap and 119 Gentoo rows (`grep -c` on the file;
// crates/data/data/README.md): the rows of each true class over both sets are those counts,
// whatever the network learned.
#[test]
fn penguin_predictions_carry_every_class() {
    let r = penguins();
    assert_eq!(r.data.classes, vec!["Adelie", "Chinstrap", "Gentoo"]);
    assert_eq!(r.predictions.len(), 333);
    let mut per_class = [0usize; 3];
    for p in &r.predictions {
        let c = p.class.as_ref().expect("a class row");
        per_class[c.actual] += 1;
        // The target and the prediction of a K-class row are the two class indices.
        assert_eq!(
            (p.target, p.prediction),
            (c.actual as f64, c.predicted as f64)
        );
        // Softmax probabilities sum to 1; the predicted class is their first maximum.
        assert_eq!(c.probabilities.len(), 3);
        assert!((c.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert_eq!(nnlab_core::predicted_class(&c.probabilities), c.predicted);
    }
    assert_eq!(per_class, [146, 68, 119]);

    for (set, m) in [
        ("train", &r.metrics.train),
        ("test", r.metrics.test.as_ref().unwrap()),
    ] {
        let m = m.classification.as_ref().unwrap();
        let rows: Vec<_> = r.predictions.iter().filter(|p| p.set == set).collect();
        // 333 rows, 30% of them (99.9, rounded to 100) in the test set.
        assert_eq!(m.n, if set == "test" { 100 } else { 233 }, "{set}");
        assert_eq!(m.n, rows.len());
        // The confusion matrix counts every row once, each under its true class...
        let total: usize = m.confusion.iter().flatten().sum();
        assert_eq!(total, m.n, "{set}");
        for (t, row) in m.confusion.iter().enumerate() {
            let truly = rows
                .iter()
                .filter(|p| p.class.as_ref().unwrap().actual == t);
            assert_eq!(row.iter().sum::<usize>(), truly.count(), "{set} class {t}");
        }
        // ...and the accuracy is its diagonal over the rows.
        let diagonal: usize = (0..3).map(|c| m.confusion[c][c]).sum();
        assert_eq!(m.accuracy, diagonal as f64 / m.n as f64, "{set}");
        let right = rows
            .iter()
            .filter(|p| p.class.as_ref().is_some_and(|c| c.actual == c.predicted))
            .count();
        assert_eq!(right, diagonal, "{set}");
        // The metrics are those of the listed probabilities against one-hot targets.
        let (mut p, mut y) = (Vec::new(), Vec::new());
        for row in &rows {
            let c = row.class.as_ref().unwrap();
            p.extend(&c.probabilities);
            y.extend((0..3).map(|k| f64::from(u8::from(k == c.actual))));
        }
        assert_eq!(&classify(&p, &y, 3), m, "{set}");
    }
    // 60 epochs separate the species well on bill length and depth (read off the run).
    let test = r
        .metrics
        .test
        .as_ref()
        .unwrap()
        .classification
        .as_ref()
        .unwrap();
    assert!(test.accuracy > 0.9, "{}", test.accuracy);
}

#[test]
fn penguin_files_name_the_classes() {
    let r = penguins();
    let csv = predictions_csv(&r);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "set,row,bill_length_mm,bill_depth_mm,species,predicted,p(Adelie),p(Chinstrap),p(Gentoo)"
    );
    assert_eq!(csv.lines().count(), 334);
    // Every row: its true and predicted class by name, then three probabilities.
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 9, "{line}");
        for name in &cells[4..6] {
            assert!(["Adelie", "Chinstrap", "Gentoo"].contains(name), "{line}");
        }
    }
    // The chart's points are every row, coloured by its true class.
    let chart = decision_chart(&r).expect("two raw inputs: a chart");
    assert_eq!(chart.points.len(), 333);
    let mut per_class = [0usize; 3];
    for p in &chart.points {
        per_class[p.class] += 1;
    }
    assert_eq!(per_class, [146, 68, 119]);
    assert_eq!(chart.classes, vec!["Adelie", "Chinstrap", "Gentoo"]);
}
