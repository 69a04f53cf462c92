//! Issue 14's data flags run as a user runs them: `--data generate:PATTERN`, class targets,
//! `builtin:penguins` and `--features`, with their help and their one-line errors.

mod common;

/// The standard output of a successful `nnlab train -q ARGS` (run in a temporary folder).
fn train(args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut all = vec!["train", "-q"];
    all.extend(args);
    common::ok(dir.path(), &all)
}

/// The one line on stderr of a refused `nnlab train -q ARGS`, which must exit 2.
fn refused(args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut all = vec!["train", "-q"];
    all.extend(args);
    let o = common::nnlab(dir.path(), &all);
    let err = String::from_utf8_lossy(&o.stderr).trim_end().to_string();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    err
}

#[test]
fn help_lists_the_sets_the_table_and_features() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let help = common::ok(dir.path(), &["train", "--help"]);
    for text in [
        "generate:circle, generate:xor, generate:gauss, generate:spiral, builtin:diabetes",
        "builtin:penguins)",
        "--features <FEATURES>",
        "NAME, NAME^2, A*B, sin(NAME)",
        "one number from 0 to 0.5 (TF Playground's noise",
    ] {
        assert!(help.contains(text), "{text} missing from\n{help}");
    }
}

// The summary's data block for the xor set under binary cross-entropy: 70/30 split of the
// 100 rows (round(100 · 0.3) = 30), the 0/1 targets as classes.
#[test]
fn a_two_class_set_trains_with_binary_cross_entropy() {
    let out = train(&[
        "--data",
        "generate:xor",
        "--arch",
        "2-4-1",
        "--activation",
        "tanh,sigmoid",
        "--loss",
        "binary_cross_entropy",
        "--test-fraction",
        "0.3",
        "--epochs",
        "5",
    ]);
    for line in [
        "  generated: 100 rows of TF Playground's xor (class 1 where x1 x2 >= 0, quadrants 1 and 3; |x1|, |x2| in [0.3, 5.3]), noise 0, seed 0",
        "  inputs x1, x2 -> target class; 100 rows (70 train, 30 test)",
        "  encoding: target class: 0=0, 1=1",
    ] {
        assert!(out.contains(line), "{line} missing from\n{out}");
    }
}

#[test]
fn penguins_and_features_name_their_columns() {
    let out = train(&[
        "--data",
        "builtin:penguins",
        "--arch",
        "4-3-3",
        "--activation",
        "tanh,softmax",
        "--loss",
        "cce",
        "--epochs",
        "2",
    ]);
    assert!(out.contains("  inputs bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g -> target species; 333 rows"), "{out}");
    assert!(out.contains("  encoding: target species: one-hot, 3 columns species=Adelie, species=Chinstrap, species=Gentoo"), "{out}");
    let out = train(&[
        "--data",
        "generate:circle",
        "--noise",
        "0.1",
        "--features",
        "x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)",
        "--arch",
        "7-2-1",
        "--epochs",
        "2",
    ]);
    assert!(
        out.contains("  inputs x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2) -> target class;"),
        "{out}"
    );
    assert!(
        out.contains("noise 0.1, seed 0; features x1, x2, x1^2"),
        "{out}"
    );
}

#[test]
fn bad_data_flags_get_one_line_naming_them() {
    assert_eq!(
        refused(&["--data", "generate:moons"]),
        "error: --data: unknown generated data 'generate:moons' (expected generate, or generate: followed by quadratic, circle, xor, gauss, spiral)"
    );
    assert_eq!(
        refused(&["--data", "generate:xor", "--x1", "0,3"]),
        "error: --x1: does not apply to a two-class set (data = generate:xor)"
    );
    assert_eq!(
        refused(&["--features", "x1,x3"]),
        "error: --features item 'x3': no input named 'x3' (the inputs are: x1, x2)"
    );
    assert_eq!(
        refused(&["--features", "x1,tan(x2)", "--arch", "2-2-1"]),
        "error: --features item 'tan(x2)': is not NAME, NAME^2, A*B or sin(NAME) (TF Playground's features)"
    );
    assert!(refused(&["--data", "builtin:penguins", "--arch", "4-2-1"])
        .starts_with("error: --loss: 'squared_error' is a regression loss, but the target 'species' (--target) holds class labels (3 classes: Adelie, Chinstrap, Gentoo)"));
    assert!(refused(&["--data", "generate:spiral", "--noise", "2"])
        .contains("generator: noise is 2, must be a number from 0 to 0.5 for generate:spiral"));
}
