//! The README's classification commands (section "Classification results"), run as written:
//! each `nnlab train` line's flags set on an [`Experiment`] (a flag `--test-fraction` is the
//! key `test_fraction`, as the CLI maps it), and the test accuracy its comment promises
//! (`# test accuracy >= X`) checked on the result.

use nnlab_lab::{run, Experiment};

/// The `nnlab train` lines of the README's section `heading`, with their promised bound.
fn commands(heading: &str) -> Vec<(String, f64)> {
    let readme = include_str!("../../../README.md");
    let section = readme
        .split_once(heading)
        .map(|(_, rest)| rest)
        .expect("the section");
    let block = section
        .split("```")
        .nth(1)
        .expect("the section's first code block");
    block
        .lines()
        .filter(|l| l.starts_with("nnlab train "))
        .map(|l| {
            let (cmd, promise) = l.split_once('#').expect("a promise comment");
            let bound = promise
                .trim()
                .strip_prefix("test accuracy >= ")
                .and_then(|b| b.parse().ok())
                .expect("test accuracy >= X");
            (cmd.trim().to_string(), bound)
        })
        .collect()
}

/// The experiment of `nnlab train FLAGS`: `--key value` pairs, shell quotes removed.
fn experiment(cmd: &str) -> Experiment {
    let words: Vec<String> = cmd
        .split_whitespace()
        .skip(2)
        .map(|w| w.trim_matches('\'').to_string())
        .collect();
    let mut exp = Experiment::default();
    for pair in words.chunks(2) {
        let key = pair[0]
            .strip_prefix("--")
            .expect("a flag")
            .replace('-', "_");
        exp.set(&key, &pair[1])
            .unwrap_or_else(|e| panic!("{cmd}: {key} {}: {e}", pair[1]));
    }
    exp
}

#[test]
fn readme_classification_commands_reach_their_accuracy() {
    let cmds = commands("### Classification results");
    assert_eq!(cmds.len(), 2, "{cmds:?}");
    for (cmd, bound) in cmds {
        let r = run(&experiment(&cmd), &mut |_| {}).unwrap();
        let test = r.metrics.test.as_ref().expect("a test set");
        let acc = test
            .classification
            .as_ref()
            .expect("classification")
            .accuracy;
        assert!(acc >= bound, "{cmd}: test accuracy {acc} < {bound}");
    }
}
