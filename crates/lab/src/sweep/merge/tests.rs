//! Shards damaged the ways issue 17 found (a curves file cut in half or emptied) and the
//! other disagreements between a shard's files: each is refused, naming the file, the run
//! and the line. The grid: 2 learning rates x 2 seeds, 10 epochs, no test set, in 2 shards
//! (shard 1/2 holds runs 0 and 2, shard 2/2 runs 1 and 3: `i % 2 == K - 1`), so each
//! shard's curves.csv has a header and 2 x 10 rows.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;
use crate::sweep::files::write_sweep;
use crate::sweep::run_sweep;
use crate::Experiment;

/// Writes the two shard folders into `root`; returns them.
fn shards(root: &Path) -> [PathBuf; 2] {
    let mut base = Experiment::default();
    base.set("epochs", "10").unwrap();
    let spec = SweepSpec::parse(base, &["lr=0.01,0.1".into(), "seed=0..2".into()]).unwrap();
    [1, 2].map(|k| {
        let dir = root.join(format!("s{k}"));
        let result = run_sweep(&spec, Some(Shard { k, n: 2 })).unwrap();
        write_sweep(&dir, &result).unwrap();
        dir
    })
}

fn merge_error(dirs: &[PathBuf]) -> String {
    merge(dirs).unwrap_err().to_string()
}

/// Rewrites `file` with `edit` applied to its lines (the newline at the end kept).
fn edit_lines(file: &Path, edit: impl FnOnce(&mut Vec<String>)) {
    let mut lines: Vec<String> = fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    edit(&mut lines);
    fs::write(file, lines.join("\n") + "\n").unwrap();
}

#[test]
fn whole_shards_merge_with_every_curve_row() {
    let tmp = tempfile::tempdir().unwrap();
    let merged = merge(&shards(tmp.path())).unwrap();
    assert_eq!(merged.runs.len(), 4);
    for r in &merged.runs {
        assert_eq!(
            (r.epochs_run, r.epoch_loss.len()),
            (10, 10),
            "run {}",
            r.index
        );
    }
}

#[test]
fn a_curves_file_cut_in_half_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = shards(tmp.path());
    let curves = dirs[1].join("curves.csv");
    let text = fs::read(&curves).unwrap();
    // Half the bytes: the cut falls inside a line.
    fs::write(&curves, &text[..text.len() / 2]).unwrap();
    let err = merge_error(&dirs);
    assert!(err.contains("s2/curves.csv:"), "{err}");
    assert!(err.contains("cut off"), "{err}");
}

#[test]
fn a_curves_file_cut_at_a_line_names_the_run_that_lost_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = shards(tmp.path());
    // Header, the 10 rows of run 1 and 5 of run 3's 10 (lines 12..=16), then the cut.
    edit_lines(&dirs[1].join("curves.csv"), |l| l.truncate(16));
    let err = merge_error(&dirs);
    assert!(
        err.contains("s2/curves.csv:17: run 3 has 5 rows (from line 12)"),
        "{err}"
    );
    assert!(err.contains("runs.csv says it ran 10 epochs"), "{err}");
}

#[test]
fn an_emptied_curves_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = shards(tmp.path());
    let curves = dirs[0].join("curves.csv");
    fs::write(&curves, "").unwrap();
    let err = merge_error(&dirs);
    assert!(
        err.contains("s1/curves.csv:1: expected the header"),
        "{err}"
    );
    // The header alone: both runs of the shard lost every row; the first is named.
    fs::write(&curves, "index,epoch,train_loss,test_loss\n").unwrap();
    let err = merge_error(&dirs);
    assert!(
        err.contains("s1/curves.csv:2: run 0 has no rows") && err.contains("10 epochs"),
        "{err}"
    );
}

#[test]
fn rows_out_of_order_or_of_another_value_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = shards(tmp.path());
    let curves = dirs[0].join("curves.csv");
    let original = fs::read_to_string(&curves).unwrap();
    // Lines 2 and 3 (epochs 1 and 2 of run 0) swapped.
    edit_lines(&curves, |l| l.swap(1, 2));
    let err = merge_error(&dirs);
    assert!(
        err.contains("s1/curves.csv:2: run 0: epoch '2' where epoch 1 belongs"),
        "{err}"
    );
    // Run 0's last loss (line 11) changed: no longer the train_loss of runs.csv.
    fs::write(&curves, &original).unwrap();
    edit_lines(&curves, |l| l[10] = "0,10,0.5,".into());
    let err = merge_error(&dirs);
    assert!(
        err.contains("s1/curves.csv:11: run 0: the last train_loss 0.5 is not"),
        "{err}"
    );
    // A test loss for a run without a test set.
    fs::write(&curves, &original).unwrap();
    edit_lines(&curves, |l| l[1].push_str("0.25"));
    let err = merge_error(&dirs);
    assert!(
        err.contains("s1/curves.csv:2: run 0 has no test set but a test_loss here"),
        "{err}"
    );
}

#[test]
fn runs_outside_the_grid_or_twice_in_a_shard_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = shards(tmp.path());
    let runs = dirs[0].join("runs.csv");
    let original = fs::read_to_string(&runs).unwrap();
    // Line 3 is run 2; as run 7 it is outside the 4-run grid.
    edit_lines(&runs, |l| l[2] = l[2].replacen('2', "7", 1));
    let err = merge_error(&dirs);
    assert!(
        err.contains("s1/runs.csv:3: run 7 is not in the grid of sweep.toml (4 runs)"),
        "{err}"
    );
    fs::write(&runs, &original).unwrap();
    edit_lines(&runs, |l| l[2] = l[2].replacen('2', "0", 1));
    let err = merge_error(&dirs);
    assert!(err.contains("s1/runs.csv:3: run 0 appears twice"), "{err}");
}
