//! Issue 17, found items 5 to 7: inputs past the schema's limits are refused before anything
//! is allocated for them, as errors (exit 2) naming the option, the value and the limit.
//!
//! Each command runs under `ulimit -v` (512 MiB of address space) and `ulimit -t` (20 CPU
//! seconds), so the bounds hold by construction: before the fix these aborted on a 128 GB
//! allocation (exit 134), panicked (101), or ran until killed, which here fails the test
//! with another exit code; a run that takes longer or more memory than the bound cannot pass.

use std::process::{Command, Output};

/// `nnlab ARGS` with no store, bounded in memory and CPU time (see the module docs).
fn bounded(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 524288 && ulimit -t 20 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_nnlab"))
        .args(args)
        .current_dir(dir.path())
        .env("NNLAB_STORE", dir.path().join("runs.sqlite"))
        .output()
        .unwrap()
}

/// Runs `args`, expects exit 2 and `error: MESSAGE` as the whole standard error.
fn refused(args: &[&str], message: &str) {
    let out = bounded(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim_end(), format!("error: {message}"), "{args:?}");
}

// `train --arch 2-1000000000-1` aborted (exit 134: "memory allocation of 128000000032 bytes
// failed"); `2-10000000-1` took 25 s and 4.9 GB. 10000 is LIMITS.max_width.
#[test]
fn a_network_past_the_limits_is_refused_before_it_is_built() {
    refused(
        &["train", "--arch", "2-1000000000-1"],
        "--arch: '2-1000000000-1' has 1000000000 neurons in layer 2, more than the limit of 10000",
    );
    refused(
        &["train", "--arch", "2-10000000-1"],
        "--arch: '2-10000000-1' has 10000000 neurons in layer 2, more than the limit of 10000",
    );
    // Width within the limit, parameters not: (2·10000 + 10000) + (10000·10000 + 10000)
    // + (10000 + 1) = 100,050,001.
    refused(
        &["step", "--arch", "2-10000-10000-1"],
        "--arch: '2-10000-10000-1' has 100050001 parameters, more than the limit of 10000000",
    );
}

// `sweep` panicked ("capacity overflow", exit 101), `train` grew ~90 MB/s, `experiment run`
// ran on; 1000000 is LIMITS.max_epochs.
#[test]
fn epochs_past_the_limit_are_refused_everywhere() {
    let epochs = "9223372036854775807";
    let message = format!("--epochs: '{epochs}' is more than the limit of 1000000 epochs");
    refused(&["train", "--epochs", epochs], &message);
    refused(&["sweep", "--epochs", epochs], &message);
    refused(
        &["experiment", "run", "seeds", "--epochs", epochs],
        &message,
    );
    // A grid point past it names the point.
    refused(
        &["sweep", "--vary", &format!("epochs=5,{epochs}")],
        &format!(
            "--vary epochs={epochs}: epochs: '{epochs}' is more than the limit of 1000000 epochs"
        ),
    );
}

// `--x1=-1e308,1e308` hung: hi - lo is inf, so no draw ever landed inside the range.
#[test]
fn ranges_past_the_magnitude_limit_are_refused() {
    refused(
        &["train", "--x1=-1e308,1e308"],
        "--x1: range bound -1e308 is beyond the limit of ±1e100",
    );
    refused(
        &["train", "--x2=0,1e308", "--distribution", "normal"],
        "--x2: range bound 1e308 is beyond the limit of ±1e100",
    );
    refused(
        &["train", "--noise=-1e101,0", "--no-integer"],
        "--noise: range bound -1e101 is beyond the limit of ±1e100",
    );
    refused(
        &["sweep", "--vary", "x1=0,5;-1e308,1e308"],
        "--vary x1=-1e308,1e308: x1: range bound -1e308 is beyond the limit of ±1e100",
    );
}

// `--data /dev/zero` read the endless file into one 4 GB allocation; the header, one endless
// record, now stops at 16 MiB (MAX_RECORD_BYTES).
#[test]
fn an_endless_data_file_stops_at_the_record_limit() {
    refused(
        &["train", "--data", "/dev/zero", "--inputs", "a", "--target", "b"],
        "cannot read '/dev/zero': the record starting on line 1 is longer than the limit of 16777216 bytes (16 MiB)",
    );
}

// A grid of 10^14 runs was refused only after expanding 2·10^7 values (87 s, 1.3 GB).
#[test]
fn a_grid_past_the_limit_is_refused_from_its_size() {
    refused(
        &[
            "sweep",
            "--vary",
            "seed=0..10000000",
            "--vary",
            "init_seed=0..10000000",
        ],
        "--vary: the grid has 100000000000000 runs, more than the limit of 1000000",
    );
}

// `train --arch 2-100000-1` ran for minutes in the diagnostics (`twins` compared every pair
// of neurons). A 2-10000-1 network from `const:0.5` weights has one group of 10000 equal
// neurons: reported as one finding, in linear time, within the CPU bound.
#[test]
fn diagnostics_of_a_wide_symmetric_network_are_linear() {
    let out = bounded(&[
        "train",
        "--no-store",
        "--json",
        "--arch",
        "2-10000-1",
        "--activation",
        "relu,identity",
        "--weights",
        "const:0.5",
        "--epochs",
        "1",
        "--rows",
        "10",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sym: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "symmetry")
        .collect();
    assert_eq!(sym.len(), 1);
    assert_eq!(
        sym[0]["message"],
        "L1.n1, L1.n2, L1.n3, ... and L1.n10000 (10000 neurons) started equal and receive equal gradients: they will never learn different things"
    );
}
