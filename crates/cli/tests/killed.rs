//! Issue 16: the first command after a `kill -9` of a sweep shows every run of the killed
//! process: the ones it wrote intact, every other one `interrupted` (none `running`, none
//! missing), with the real binary killed mid-sweep.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_first_list_after_a_killed_sweep_shows_its_unwritten_runs_interrupted() {
    const RUNS: usize = 3000;
    const EPOCHS: u64 = 40;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("runs.sqlite");
    // Momentum keeps every run off the lanes: about a second per thousand runs here, so
    // the kill lands mid-sweep.
    let seeds = format!("seed=0..{RUNS}");
    let epochs = EPOCHS.to_string();
    let args = [
        "sweep",
        "--optimizer",
        "momentum",
        "--rows",
        "200",
        "--epochs",
        &epochs,
        "--vary",
        &seeds,
    ];
    let mut sweep = Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args(args)
        .env("NNLAB_STORE", &store)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // A chunk's file is written inside its transaction and the writer commits one chunk
    // before it writes the next: two files mean at least one committed chunk.
    let chunks = dir.path().join("runs.sqlite-chunks");
    let started = Instant::now();
    while std::fs::read_dir(&chunks).map_or(0, |d| d.count()) < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no chunk written"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    sweep.kill().unwrap(); // SIGKILL
    sweep.wait().unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args(["runs", "list", "--json"])
        .env("NNLAB_STORE", &store)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let runs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), RUNS);
    let status = |s: &str| runs.iter().filter(|r| r["status"] == s).count();
    let (completed, interrupted) = (status("completed"), status("interrupted"));
    assert!(completed > 0 && interrupted > 0, "{completed} completed");
    assert_eq!(status("running"), 0);
    for r in runs.iter().filter(|r| r["status"] == "completed") {
        assert_eq!(r["epochs_run"].as_u64(), Some(EPOCHS), "{r}");
        assert!(r["final_loss"].as_f64().is_some_and(f64::is_finite), "{r}");
    }
}
