//! The store across processes: a writer (or a sweep) killed with SIGKILL leaves a
//! consistent file keeping every run it finished, and two processes (two sweeps) writing at
//! once lose nothing.
//!
//! The test binary is its own child: run with `writer PATH TAG COUNT` it records runs (see
//! [`writer`]), with `sweeper PATH TAG COUNT` it records a sweep (see [`sweeper`]); run without arguments it runs the tests (a custom harness, `harness = false`,
//! because libtest has no way to start a test binary in a child role).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use nnlab_lab::sweep::{run_sweep_with, SweepSpec};
use nnlab_lab::{run, Experiment};
use nnlab_store::clock::now_rfc3339;
use nnlab_store::{Filter, RunRecord, RunStatus, Store, SweepWriter};

/// Epochs of every run a writer records (its history rows per run).
const EPOCHS: usize = 15;

/// Child role: records `count` copies of one small run tagged with sweep `tag`, one
/// transaction each (`count` = 0: forever). After the 30th it also begins a run that it never
/// finishes and prints `begun` so the parent knows a `running` row exists.
fn writer(path: &str, tag: &str, count: usize) {
    let mut exp = Experiment::default();
    exp.set("rows", "20").unwrap();
    exp.set("epochs", &EPOCHS.to_string()).unwrap();
    let result = run(&exp, &mut |_| {}).unwrap();
    let mut store = Store::open(Path::new(path)).unwrap();
    let mut i = 0;
    while count == 0 || i < count {
        let record = RunRecord::finished(&result, now_rfc3339(), now_rfc3339())
            .unwrap()
            .tagged(None, Some(tag));
        store.record(&record).unwrap();
        i += 1;
        if count == 0 && i == 30 {
            store
                .begin(&RunRecord::starting(&exp, now_rfc3339()).unwrap())
                .unwrap();
            println!("begun");
        }
    }
}

/// Child role: a sweep of `count` runs (momentum, so each goes through `run_on` and is
/// handed to the writer as it finishes) recorded through a `SweepWriter` tagged `tag`.
fn sweeper(path: &str, tag: &str, count: usize) {
    let mut base = Experiment::default();
    base.set("rows", "200").unwrap();
    base.set("epochs", &EPOCHS.to_string()).unwrap();
    base.set("optimizer", "momentum").unwrap();
    let spec = SweepSpec::parse(base, &[format!("seed=0..{count}")]).unwrap();
    let writer = SweepWriter::start(Path::new(path), None, tag, &spec, None).unwrap();
    run_sweep_with(&spec, None, Some(&|runs| writer.add(runs))).unwrap();
    writer.finish().unwrap();
}

fn sweep_child(path: &Path, tag: &str, count: usize) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["sweeper", path.to_str().unwrap(), tag, &count.to_string()]);
    cmd
}

fn tagged(store: &Store, tag: &str) -> usize {
    let f = Filter {
        sweep: Some(tag.into()),
        ..Filter::default()
    };
    store.list(&f).unwrap().len()
}

/// `(rows, distinct grid indices, interrupted rows)` of the runs tagged `tag`, by SQL
/// (listing 20,000 runs would rebuild each configuration).
fn sweep_rows(path: &Path, tag: &str) -> (usize, usize, usize) {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT count(*), count(DISTINCT sweep_index), count(*) FILTER
                 (WHERE status = 'interrupted') FROM runs WHERE sweep = ?1",
            [tag],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

/// Issue 6: `kill -9` in the middle of a sweep keeps every run that finished (each one
/// whole), the store stays consistent, and the next open marks the runs it never
/// finished `interrupted`: finished + interrupted = the sweep's planned runs, once.
fn killed_sweep_keeps_its_finished_runs() {
    // ~5 s of training on two cores: the kill lands long before the end.
    const RUNS: usize = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    let mut sweep = sweep_child(&path, "killed", RUNS).spawn().unwrap();
    // Wait until some runs are stored, then kill it mid-sweep.
    let started = std::time::Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        if path.exists() && tagged(&Store::open(&path).unwrap(), "killed") >= 20 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no runs stored"
        );
    }
    sweep.kill().unwrap(); // SIGKILL on Unix
    sweep.wait().unwrap();
    assert_eq!(integrity(&path), "ok");
    let store = Store::open(&path).unwrap();
    let (rows, indices, interrupted) = sweep_rows(&path, "killed");
    let kept = rows - interrupted;
    assert!((20..RUNS).contains(&kept), "{kept} runs kept");
    // Every planned run (the whole grid: no shard) is there once, finished or interrupted.
    assert_eq!((rows, indices), (RUNS, RUNS));
    assert_whole(&store);
    assert_eq!(integrity(&path), "ok");
    drop(store);
    // The sweep was marked finished: a second open adds nothing.
    let store = Store::open(&path).unwrap();
    assert_eq!(sweep_rows(&path, "killed"), (rows, indices, interrupted));
    let listed = store
        .list(&Filter {
            status: Some(RunStatus::Interrupted),
            sweep: Some("killed".into()),
            limit: Some(1),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(listed.len(), 1);
}

/// Issue 6: two sweeps recording into one store at once lose nothing.
fn two_sweeps_lose_nothing() {
    const N: usize = 150;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    let mut a = sweep_child(&path, "a", N).spawn().unwrap();
    let mut b = sweep_child(&path, "b", N).spawn().unwrap();
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let store = Store::open(&path).unwrap();
    assert_eq!((tagged(&store, "a"), tagged(&store, "b")), (N, N));
    // Both finished normally: no run of theirs is interrupted.
    assert_eq!(sweep_rows(&path, "a"), (N, N, 0));
    assert_eq!(sweep_rows(&path, "b"), (N, N, 0));
    assert_whole(&store);
    assert_eq!(integrity(&path), "ok");
}

fn child(path: &Path, tag: &str, count: usize) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["writer", path.to_str().unwrap(), tag, &count.to_string()]);
    cmd
}

fn integrity(path: &Path) -> String {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Every finished run has its whole history: no run is half-written.
fn assert_whole(store: &Store) {
    for r in store.list(&Filter::default()).unwrap() {
        if r.status == RunStatus::Completed {
            assert_eq!(store.history(r.id).unwrap().len(), EPOCHS, "run {}", r.id);
        }
    }
}

fn killed_writer_leaves_a_consistent_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    let mut writer = child(&path, "crash", 0)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(writer.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "begun");
    // Let it write on, so the kill lands mid-transaction more often than not.
    std::thread::sleep(Duration::from_millis(150));
    writer.kill().unwrap(); // SIGKILL on Unix
    writer.wait().unwrap();

    assert_eq!(integrity(&path), "ok");
    let store = Store::open(&path).unwrap();
    assert_eq!(integrity(&path), "ok");
    let runs = store.list(&Filter::default()).unwrap();
    assert!(runs.len() > 30, "{} runs", runs.len());
    let interrupted = Filter {
        status: Some(RunStatus::Interrupted),
        ..Filter::default()
    };
    // The run it began and never finished is seen as interrupted once its process is gone.
    assert_eq!(store.list(&interrupted).unwrap().len(), 1);
    assert_whole(&store);
}

fn two_writers_lose_nothing() {
    const N: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    // Both start on a file that does not exist yet: creation and migration race too.
    let mut a = child(&path, "a", N).spawn().unwrap();
    let mut b = child(&path, "b", N).spawn().unwrap();
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let store = Store::open(&path).unwrap();
    for tag in ["a", "b"] {
        let f = Filter {
            sweep: Some(tag.into()),
            ..Filter::default()
        };
        assert_eq!(store.list(&f).unwrap().len(), N, "writer {tag}");
    }
    assert_eq!(store.list(&Filter::default()).unwrap().len(), 2 * N);
    assert_whole(&store);
    assert_eq!(integrity(&path), "ok");
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 5 && args[1] == "writer" {
        writer(&args[2], &args[3], args[4].parse().unwrap());
        return ExitCode::SUCCESS;
    }
    if args.len() == 5 && args[1] == "sweeper" {
        sweeper(&args[2], &args[3], args[4].parse().unwrap());
        return ExitCode::SUCCESS;
    }
    let tests: [(&str, fn()); 4] = [
        (
            "killed_sweep_keeps_its_finished_runs",
            killed_sweep_keeps_its_finished_runs,
        ),
        ("two_sweeps_lose_nothing", two_sweeps_lose_nothing),
        (
            "killed_writer_leaves_a_consistent_store",
            killed_writer_leaves_a_consistent_store,
        ),
        ("two_writers_lose_nothing", two_writers_lose_nothing),
    ];
    let filter = args.iter().skip(1).find(|a| !a.starts_with('-'));
    let (mut passed, mut failed) = (0, 0);
    for (name, test) in tests {
        if filter.is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        let ok = std::panic::catch_unwind(test).is_ok();
        println!("test {name} ... {}", if ok { "ok" } else { "FAILED" });
        if ok {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
