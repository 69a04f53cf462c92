//! Running the real binary in a temporary folder, for the CLI tests that share it.

// Each test binary compiles this module and uses a part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The sweeps' usual grid: three learning rates, five seeds, 30 epochs, no test set.
pub const GRID: &[&str] = &[
    "--vary",
    "lr=0.01,0.1,1",
    "--vary",
    "seed=0..5",
    "--epochs",
    "30",
];

/// `nnlab ARGS` in `dir`, recording into `dir/runs.sqlite` (never the user's store).
pub fn nnlab(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args(args)
        .current_dir(dir)
        .env("NNLAB_STORE", dir.join("runs.sqlite"))
        .output()
        .unwrap()
}

/// [`nnlab`]'s standard output, after checking it succeeded (else its stderr is the panic).
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let out = nnlab(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
