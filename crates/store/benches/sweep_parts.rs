//! Where the run store's cost on the 1000-run sweep of `sweep_ab` goes: the process CPU
//! time of the sweep without a sink, with a sink that drops the run details (their cost
//! on the workers), with a sink that hands them to a thread that drops them (the hand-over),
//! with the store, of `SweepWriter::start` + `finish` alone, and of encoding the 1000 runs'
//! chunks alone ([`nnlab_store::chunk::encode_chunk`], 64 runs a chunk). One of each per
//! round, in turn; medians of the rounds after 3 warm-up rounds.
//!
//! `ROUNDS=15 cargo bench -p nnlab-store --bench sweep_parts`

mod common;

use std::sync::mpsc::channel;
use std::sync::Mutex;
use std::time::Duration;

use nnlab_lab::sweep::{run_sweep, run_sweep_with, RunDetail};
use nnlab_store::SweepWriter;

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

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

const PARTS: [&str; 6] = [
    "sweep, no sink",
    "details, dropped",
    "details, to a thread",
    "sweep with the store",
    "writer start + finish",
    "encoding 1000 runs",
];

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    let spec = common::course_sweep(Some(100));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("parts.sqlite");
    let all = Mutex::new(Vec::new());
    run_sweep_with(
        &spec,
        None,
        Some(&|r: Vec<RunDetail>| all.lock().unwrap().extend(r)),
    )
    .expect("runs");
    let all = all.into_inner().unwrap();
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); PARTS.len()];
    for round in 0..rounds + 3 {
        for (k, t) in times.iter_mut().enumerate() {
            let c = cpu();
            match k {
                0 => drop(run_sweep(&spec, None).expect("runs")),
                1 => drop(run_sweep_with(&spec, None, Some(&|r| drop(r))).expect("runs")),
                2 => {
                    let (tx, rx) = channel::<Vec<RunDetail>>();
                    let sink = std::thread::spawn(move || while rx.recv().is_ok() {});
                    let tx = Mutex::new(tx);
                    let send = |r| drop(tx.lock().unwrap().send(r));
                    drop(run_sweep_with(&spec, None, Some(&send)).expect("runs"));
                    drop(tx);
                    sink.join().unwrap();
                }
                3 => {
                    let w = SweepWriter::start(&path, None, "parts", &spec, None).expect("store");
                    drop(run_sweep_with(&spec, None, Some(&|r| w.add(r))).expect("runs"));
                    w.finish().expect("written");
                }
                4 => {
                    let w = SweepWriter::start(&path, None, "parts", &spec, None).expect("store");
                    w.finish().expect("written");
                }
                _ => {
                    for c in all.chunks(64) {
                        std::hint::black_box(nnlab_store::chunk::encode_chunk(c).unwrap());
                    }
                }
            }
            if round >= 3 {
                t.push((cpu() - c).as_secs_f64() * 1e3);
            }
        }
    }
    println!("the 1000-run sweep's store, part by part ({rounds} rounds, median CPU)");
    for (name, t) in PARTS.iter().zip(times) {
        println!("  {name:24} {:7.2} ms", median(t));
    }
}
