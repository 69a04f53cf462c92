//! The store's cost on the issue-4 sweep (the sweep of `benches/sweep.rs`: 10 learning
//! rates × 100 seeds of the course network, 100 rows × 300 epochs), measured so that it
//! holds on a shared machine: each round runs the sweep once without the store and once
//! recording it through a [`SweepWriter`] (alternating which goes first), so load from
//! other processes falls on both alike. Criterion's `sweep` bench runs all of one before
//! all of the other, and a neighbour's job starting in between moved its ratio from 1.6
//! to 3.2 on the 2-core development machine.
//!
//! Prints the medians of wall time and of process CPU time (all threads, the store's
//! writer included) of each, and the median of the per-round ratios (issue 6: at most
//! 1.10). The store file persists across rounds, so it grows as a real one does.
//!
//! `CARGO_TARGET_DIR=/tmp/target-sweep cargo bench -p nnlab-store --bench sweep_ab`
//! (`ROUNDS=N` sets the number of rounds, 30 by default).

use std::time::{Duration, Instant};

use nnlab_lab::sweep::{run_sweep, run_sweep_with, SweepSpec};
use nnlab_lab::Experiment;
use nnlab_store::SweepWriter;

/// CPU time of the whole process so far.
fn cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    assert_eq!(rc, 0, "clock_gettime");
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// (wall, cpu) of one call, in milliseconds.
fn measure(f: &mut dyn FnMut()) -> (f64, f64) {
    let (w, c) = (Instant::now(), cpu());
    f();
    let cpu_ms = (cpu() - c).as_secs_f64() * 1e3;
    (w.elapsed().as_secs_f64() * 1e3, cpu_ms)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let spec = SweepSpec::parse(
        Experiment::default(),
        &[
            "lr=0.0005,0.001,0.002,0.005,0.01,0.02,0.05,0.1,0.2,0.5".into(),
            "seed=0..100".into(),
        ],
    )
    .expect("a valid sweep");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.sqlite");
    let mut plain = || {
        run_sweep(&spec, None).expect("the sweep runs");
    };
    let mut stored = || {
        let w = SweepWriter::start(&path, None, "bench", &spec, None).expect("store");
        let r = run_sweep_with(&spec, None, Some(&|runs| w.add(runs))).expect("runs");
        let ids = w.finish().expect("written");
        assert_eq!(ids.len(), r.runs.len());
    };
    for _ in 0..3 {
        plain();
        stored();
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        if round % 2 == 0 {
            a.push(measure(&mut plain));
            b.push(measure(&mut stored));
        } else {
            b.push(measure(&mut stored));
            a.push(measure(&mut plain));
        }
    }
    let col = |v: &[(f64, f64)], k: usize| v.iter().map(|x| [x.0, x.1][k]).collect::<Vec<_>>();
    let ratios = |k: usize| {
        median(
            a.iter()
                .zip(&b)
                .map(|(x, y)| [y.0 / x.0, y.1 / x.1][k])
                .collect(),
        )
    };
    println!("sweep_1000_runs, {rounds} rounds (medians)");
    for (k, what) in ["wall", "cpu"].iter().enumerate() {
        let (ma, mb) = (median(col(&a, k)), median(col(&b, k)));
        println!(
            "  {what:4}  no_store {ma:7.2} ms  store {mb:7.2} ms  ratio of medians {:.3}  median ratio {:.3}",
            mb / ma,
            ratios(k)
        );
    }
}
