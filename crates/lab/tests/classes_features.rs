//! Issue 14's data in the lab pipeline: TF Playground's two-class sets as `data.source`, class
//! targets decided by the loss (`targets_for_loss`), and feature crosses (`data.features`)
//! computed before scaling.

use nnlab_data::{Pattern, ScaleKind, TwoClass};
use nnlab_lab::{load_data, Experiment, Prepared};

fn experiment(settings: &[(&str, &str)]) -> Experiment {
    let mut exp = Experiment::default();
    for (key, value) in settings {
        exp.set(key, value).unwrap();
    }
    exp
}

fn error(settings: &[(&str, &str)]) -> String {
    let exp = experiment(settings);
    match exp.validate() {
        Err(e) => e.to_string(),
        Ok(()) => Prepared::new(&exp, None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default(),
    }
}

// `--data generate:circle --rows 40 --noise 0.1 --seed 3` is TwoClass with those settings: the
// seed reaches the generator as the data seed, the single number is TF's noise.
#[test]
fn a_two_class_source_takes_rows_noise_and_the_data_seed() {
    let exp = experiment(&[
        ("data", "generate:circle"),
        ("rows", "40"),
        ("noise", "0.1"),
        ("seed", "3"),
    ]);
    exp.validate().unwrap();
    let expected = TwoClass {
        pattern: Pattern::Circle,
        rows: 40,
        noise: 0.1,
        seed: 3,
    }
    .generate()
    .unwrap();
    // The noise key shows the two-class number, and TOML keeps it as `class_noise`.
    let noise = nnlab_lab::config::keys::find("noise").unwrap();
    assert_eq!((noise.get)(&exp).as_deref(), Some("0.1"));
    let toml = exp.to_toml().unwrap();
    assert!(toml.contains("class_noise = 0.1"), "{toml}");
    assert_eq!(Experiment::from_toml_str(&toml).unwrap(), exp);
    let loaded = load_data(&exp).unwrap().all;
    assert_eq!(loaded, expected);
    // Under a regression loss the 0/1 targets are numbers (TF Playground regresses them).
    assert!(loaded.classes().is_none());
    // The course's own rows as before, also under their long name.
    let quadratic = experiment(&[("data", "generate:quadratic")]);
    assert_eq!(quadratic.data.source.to_string(), "generate");
    assert_eq!(load_data(&quadratic).unwrap().all.n_rows(), 100);
}

#[test]
fn quadratic_settings_and_the_wrong_noise_form_are_refused_for_two_class_sets() {
    assert_eq!(
        error(&[("data", "generate:xor"), ("x1", "0,3")]),
        "x1: does not apply to a two-class set (data = generate:xor)"
    );
    assert_eq!(
        error(&[("data", "generate:xor"), ("noise", "0,5")]),
        "noise: --noise takes one number from 0 to 0.5 for generate:xor (TF Playground's noise), not the range [0, 5)"
    );
    assert!(error(&[("noise", "0.2")]).contains("--noise takes a range LO,HI for generate"));
    assert!(error(&[("data", "generate:gauss"), ("noise", "0.7")]).contains("noise is 0.7"));
}

// Integer labels become classes under a cross-entropy: the xor set's 0/1 under binary
// cross-entropy; the targets are never scaled (min-max of 0/1 would be the identity anyway,
// standard scaling would not).
#[test]
fn a_cross_entropy_makes_integer_labels_classes_left_unscaled() {
    let exp = experiment(&[
        ("data", "generate:xor"),
        ("loss", "binary_cross_entropy"),
        ("activation", "relu,sigmoid"),
        ("scale", "standard"),
        ("test_fraction", "0.25"),
    ]);
    let p = Prepared::new(&exp, None).unwrap();
    assert_eq!(p.train.classes(), Some(&["0".to_string(), "1".into()][..]));
    assert_eq!(p.summary.encoding, vec!["target class: 0=0, 1=1"]);
    let original = p.original().unwrap();
    assert_eq!(p.train.y, original.train.y);
    assert!(p.train.y.iter().all(|&y| y == 0.0 || y == 1.0));
    assert_eq!(p.scaler.kind, ScaleKind::Standard);
    // The inputs are standardized as before.
    let mean = p.train.input_column(0).iter().sum::<f64>() / p.train.n_rows() as f64;
    assert!(mean.abs() < 1e-12, "{mean}");
}

// penguins: 3 species, 333 rows, one-hot (crates/data/data/README.md).
#[test]
fn penguins_need_the_categorical_loss() {
    let exp = experiment(&[
        ("data", "builtin:penguins"),
        ("arch", "4-3-3"),
        ("activation", "tanh,softmax"),
        ("loss", "categorical_cross_entropy"),
    ]);
    let p = Prepared::new(&exp, None).unwrap();
    assert_eq!((p.train.n_rows(), p.train.n_targets()), (333, 3));
    assert_eq!(p.train.target_row(0), &[1.0, 0.0, 0.0]);
    assert_eq!(
        error(&[("data", "builtin:penguins"), ("arch", "4-3-3")]),
        "loss: 'squared_error' is a regression loss, but the target 'species' (--target) \
         holds class labels (3 classes: Adelie, Chinstrap, Gentoo); use --loss \
         binary_cross_entropy for 2 classes, categorical_cross_entropy for more"
    );
    assert_eq!(
        error(&[
            ("data", "builtin:penguins"),
            ("arch", "4-3-1"),
            ("activation", "tanh,sigmoid"),
            ("loss", "bce")
        ]),
        "loss: --loss binary_cross_entropy does not fit the target 'species' (--target) with 3 \
         classes: Adelie, Chinstrap, Gentoo; use --loss categorical_cross_entropy (one softmax \
         output per class)"
    );
    let e = error(&[
        ("data", "builtin:penguins"),
        ("inputs", "bill_depth_mm,body_mass_g"),
        ("target", "bill_length_mm"),
        ("arch", "2-3-3"),
        ("activation", "tanh,softmax"),
        ("loss", "cce"),
    ]);
    // Line 2 of penguins.csv: bill_length_mm 39.1.
    assert_eq!(
        e,
        "the target 'bill_length_mm' (--target) holds 39.1 in data row 1: the class labels of \
         a cross-entropy --loss must be integers or text (or choose a regression --loss)"
    );
}

// Feature crosses on the raw values, then scaled: row 0 of the circle set (seed 0) gives
// x1^2 = x1·x1 etc. in original units, and the scaled column is min-max of that column.
#[test]
fn features_are_computed_before_scaling_and_named_in_the_summary() {
    let all = "x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)";
    let exp = experiment(&[
        ("data", "generate:circle"),
        ("features", all),
        ("arch", "7-2-1"),
    ]);
    exp.validate().unwrap();
    let p = Prepared::new(&exp, None).unwrap();
    let names: Vec<String> = all.split(',').map(String::from).collect();
    assert_eq!(p.summary.inputs, names);
    assert_eq!(p.train.input_names, names);
    let raw = TwoClass {
        pattern: Pattern::Circle,
        rows: 100,
        noise: 0.0,
        seed: 0,
    }
    .generate()
    .unwrap();
    let (x1, x2) = (raw.row(0)[0], raw.row(0)[1]);
    let row = &p.original().unwrap().train.row(0).to_vec();
    assert_eq!(
        row,
        &[x1, x2, x1 * x1, x2 * x2, x1 * x2, x1.sin(), x2.sin()]
    );
    let squares = p.original().unwrap().train.input_column(2);
    let (lo, hi) = squares
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    assert_eq!(p.train.row(0)[2], (x1 * x1 - lo) / (hi - lo));
    // TOML and JSON name the same key.
    let toml = Experiment::from_toml_str(
        "[data]\nsource = \"generate:spiral\"\nfeatures = [\"x1\", \"x1*x2\"]\n",
    )
    .unwrap();
    assert_eq!(
        (toml.data.features.len(), toml.data.source.to_string()),
        (2, "generate:spiral".to_string())
    );
    let json =
        Experiment::from_json(serde_json::json!({"data": {"features": "x2,sin(x2)"}})).unwrap();
    assert_eq!(json.data.features, ["x2", "sin(x2)"]);
}

#[test]
fn a_bad_feature_is_named() {
    assert_eq!(
        error(&[("features", "x1,x3*x1"), ("arch", "2-2-1")]),
        "--features item 'x3*x1': no input named 'x3' (the inputs are: x1, x2)"
    );
}
