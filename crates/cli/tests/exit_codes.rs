//! Issue 17: every documented exit code (README "Exit codes", `--help`) through the real
//! binary, and the errors that used to be unclear: each test names the command, the exit
//! code and the whole stderr line.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::nnlab;

/// Exit code and stderr of `nnlab ARGS` in a fresh folder (its own store).
fn code_and_stderr(args: &[&str]) -> (Option<i32>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = nnlab(tmp.path(), args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn code_0_success() {
    let (code, err) = code_and_stderr(&["step"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err, "");
}

#[test]
fn code_1_an_output_that_cannot_be_written() {
    let (code, err) = code_and_stderr(&[
        "train",
        "-q",
        "--no-store",
        "--epochs",
        "2",
        "--out",
        "/proc/nope",
    ]);
    // Checked before any training (`nnlab_lab::files::check_out_dir`): /proc takes no new
    // folder.
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "error: writing /proc/nope: /proc/nope: cannot write into /proc: No such file or directory (os error 2)\n"
    );
}

#[test]
fn code_2_bad_input() {
    let (code, err) = code_and_stderr(&["step", "--lr", "abc"]);
    assert_eq!(code, Some(2));
    assert_eq!(err, "error: --lr: 'abc' is not a number\n");
}

// relu then identity at lr 10 on the default data: the identity output's updates grow
// without bound (measured: non-finite at epoch 2, sample 22, b3 first).
#[test]
fn code_3_training_diverged() {
    let (code, err) = code_and_stderr(&[
        "train",
        "-q",
        "--no-store",
        "--activation",
        "relu,identity",
        "--lr",
        "10",
        "--epochs",
        "50",
    ]);
    assert_eq!(code, Some(3));
    assert_eq!(
        err,
        "error: training diverged at epoch 2, sample 22 (b3 went first); try a smaller learning rate, e.g. lr = 1\n"
    );
}

// The course's example has dL/dw5 = 1.5: lr 1.5e308 makes the update 2.25e308, past f64's
// 1.8e308, so w5 = 1 - inf = -inf after the step. It exited 0; the help says 3.
#[test]
fn code_3_a_step_that_overflows() {
    let (code, err) = code_and_stderr(&["step", "--lr", "1.5e308"]);
    assert_eq!(code, Some(3));
    assert_eq!(
        err,
        "error: the step diverged: w5 became -inf after step 1; a smaller --lr keeps the update finite\n"
    );
    let (code, _) = code_and_stderr(&["step", "--lr", "1.5e308", "--steps", "3", "--json"]);
    assert_eq!(code, Some(3));
}

// Biases of 1e300 make y_hat ≈ 3e300 and its squared error inf before any update: not a
// divergence (no learning rate helps), bad input named as given (exit 2), in step and train.
#[test]
fn a_start_that_overflows_is_named_not_blamed_on_the_rate() {
    let (code, err) = code_and_stderr(&["step", "--biases", "1e300,1e300,1e300"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: --biases: '1e300,1e300,1e300' gives a loss of inf on example row 1 before any update (the largest starting value is b1 = 1e300): the start overflows, so no learning rate helps\n"
    );
    let (code, err) =
        code_and_stderr(&["train", "-q", "--no-store", "--biases", "1e300,1e300,1e300"]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("error: --biases: '1e300,1e300,1e300' gives a loss of inf on training row 1 before any update"),
        "{err}"
    );
    // hi - lo = 2e308 overflows: the initializer itself drew inf.
    let (code, err) = code_and_stderr(&[
        "train",
        "-q",
        "--no-store",
        "--weights",
        "uniform:-1e308,1e308",
    ]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: --weights: initializer 'uniform:-1e308,1e308' drew w1 = inf before training: a starting value must be finite\n"
    );
    // round=400 (10^400 is inf) made every value NaN; now rounding past f64 keeps the value.
    let (code, err) = code_and_stderr(&["step", "--weights", "uniform:0,1,round=400"]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn value_errors_say_what_is_expected() {
    let (code, err) = code_and_stderr(&["step", "--weights", "uniform:10,-10"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: --weights: invalid initializer 'uniform:10,-10': the low end 10 is above the high end -10 (expected LO < HI)\n"
    );
    let (_, err) = code_and_stderr(&["step", "--biases", "normal:0,-1"]);
    assert_eq!(
        err,
        "error: --biases: invalid initializer 'normal:0,-1': the standard deviation -1 is below 0\n"
    );
    let tmp = tempfile::tempdir().unwrap();
    let toml = tmp.path().join("x1.toml");
    std::fs::write(&toml, "[data.generator]\nx1 = 1\n").unwrap();
    let out = nnlab(
        tmp.path(),
        &["train", "-q", "--no-store", toml.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: {}: data.generator.x1: invalid type: integer `1`, expected a range LO,HI: two numbers [lo, hi] or the text \"lo,hi\" (line 2, column 6)\n",
            toml.display()
        )
    );
}

// `--epochs 0` was reported as `--vary lr=0.00005`, the first grid value it met.
#[test]
fn a_bad_option_is_named_as_given_not_as_the_first_varied_value() {
    let (code, err) = code_and_stderr(&[
        "experiment",
        "run",
        "learning-rate",
        "--epochs",
        "0",
        "--no-store",
    ]);
    assert_eq!(code, Some(2));
    assert_eq!(err, "error: --epochs: '0' must be at least 1\n");
    let (code, err) =
        code_and_stderr(&["sweep", "--epochs", "0", "--vary", "lr=0.1,1", "--no-store"]);
    assert_eq!(code, Some(2));
    assert_eq!(err, "error: --epochs: '0' must be at least 1\n");
}

// A 5 MB TOML value made a 5 MB error line: the value is cut to its first characters and
// its length, the line stays short.
#[test]
fn a_huge_value_gives_a_short_error_line() {
    let tmp = tempfile::tempdir().unwrap();
    let toml = tmp.path().join("big.toml");
    std::fs::write(
        &toml,
        format!("[train]\nlr = \"{}x\"\n", "1".repeat(5_000_000)),
    )
    .unwrap();
    let out = nnlab(
        tmp.path(),
        &["train", "-q", "--no-store", toml.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.len() < 400, "{} bytes", err.len());
    assert!(
        err.contains("…(5000004 characters) expected f64 (line 2, column 6)"),
        "{err}"
    );
}

// `nnlab step --steps 3000` prints about 600 KB, far past a pipe's buffer: the reader
// takes 10 bytes and closes, the next write fails with EPIPE. It printed "Broken pipe" and
// exited 1; a closed pipe is the reader's choice, so it ends quietly with 0.
#[test]
fn a_closed_pipe_ends_quietly_with_0() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["step", "--steps", "3000"][..],
        &["step", "--steps", "3000", "--json"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nnlab"))
            .args(args)
            .current_dir(tmp.path())
            .env("NNLAB_STORE", tmp.path().join("runs.sqlite"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut head = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

// `--store /nonexistent/dir/x.sqlite` created /nonexistent/dir; only the default
// location's folder is created, a user's missing folder is named.
#[test]
fn a_store_in_a_missing_folder_is_refused_not_created() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("missing/dir/x.sqlite");
    let out = nnlab(
        tmp.path(),
        &[
            "train",
            "-q",
            "--epochs",
            "2",
            "--store",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: store: {}: the folder {} does not exist; create it, or choose a file in an existing folder with --store PATH or NNLAB_STORE\n",
            path.display(),
            path.parent().unwrap().display()
        )
    );
    assert!(!tmp.path().join("missing").exists());
}

// The codes above are documented in every command's --help (runs, serve, experiment and
// sweep had none), the same text as the README's table.
#[test]
fn every_command_documents_its_exit_codes() {
    for cmd in [
        "step",
        "train",
        "serve",
        "runs",
        "sweep",
        "experiment",
        "predict",
        "export",
    ] {
        let (code, _) = code_and_stderr(&[cmd, "--help"]);
        assert_eq!(code, Some(0), "{cmd}");
        let tmp = tempfile::tempdir().unwrap();
        let help = String::from_utf8(nnlab(tmp.path(), &[cmd, "--help"]).stdout).unwrap();
        assert!(
            help.contains("Exit codes:\n  0  success\n  1  unexpected failure")
                && help.contains("A closed pipe (nnlab runs list | head -1) ends quietly with 0."),
            "{cmd}:\n{help}"
        );
    }
}
