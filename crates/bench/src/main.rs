//! `nnlab-bench`: nnlab's side of bench/compare. Reads the data and starting parameters
//! that bench/compare/compare.py wrote (raw little-endian `f64`, so both sides start from
//! the same bits), trains with nnlab's library, and prints one JSON
//! object: the wall time of every repetition (seconds; and the training thread's on-CPU
//! time, on Linux), the epoch losses and the final
//! parameters, which compare.py checks against the Python side before reporting a time.
//!
//! ```text
//! nnlab-bench course  --data DIR --epochs E --lr LR [--full-batch] --reps R
//! nnlab-bench sweep   --data DIR --epochs E --threads T --reps R
//! nnlab-bench general --data DIR --epochs E --lr LR --batch B [--kernel auto|general|batched] --reps R
//! nnlab-bench classify --data DIR --epochs E --lr LR --loss LOSS [--l1 R] [--l2 R] --reps R
//! ```

mod files;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use nnlab_core::lanes::{train_lanes, RunData, LANES};
use nnlab_core::Network;
use nnlab_train::{train, BatchSize, Kernel, Optimizer, Samples, TrainConfig, TrainStatus};
use rayon::prelude::*;
use serde_json::{json, Value};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// The course network from DIR/params.f64 (w1..w6, b1..b3) on DIR/x.f64, DIR/y.f64 (per-sample SGD, or
    /// full-batch gradient descent with --full-batch).
    Course {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        epochs: usize,
        #[arg(long)]
        lr: f64,
        #[arg(long)]
        full_batch: bool,
        #[arg(long, default_value_t = 5)]
        reps: usize,
    },
    /// Every run of DIR/lrs.f64 (one lr per run) and DIR/params.f64 (9 numbers per run) on
    /// the one data set DIR/x.f64, DIR/y.f64, through `nnlab_core::lanes` on T threads.
    Sweep {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        epochs: usize,
        #[arg(long)]
        threads: usize,
        #[arg(long, default_value_t = 5)]
        reps: usize,
    },
    /// The network of DIR/network.json (shape) and DIR/params.f64, mini-batches of B rows, Adam with nnlab's defaults.
    General {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        epochs: usize,
        #[arg(long)]
        lr: f64,
        #[arg(long)]
        batch: usize,
        /// Which engine: auto (what `train` picks: the batched engine at this size), general
        /// (one sample at a time) or batched.
        #[arg(long, default_value = "auto", value_parser = parse_kernel)]
        kernel: Kernel,
        #[arg(long, default_value_t = 3)]
        reps: usize,
    },
    /// The network of DIR/network.json and DIR/params.f64 with a chosen loss and L1/L2
    /// penalty: per-sample SGD in row order (bench/compare/classification.py).
    Classify {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        epochs: usize,
        #[arg(long)]
        lr: f64,
        #[arg(long)]
        loss: nnlab_core::Loss,
        #[arg(long, default_value_t = 0.0)]
        l1: f64,
        #[arg(long, default_value_t = 0.0)]
        l2: f64,
        #[arg(long, default_value_t = 1)]
        reps: usize,
    },
}

fn main() -> Result<()> {
    let out = match Cli::parse().cmd {
        Cmd::Course {
            data,
            epochs,
            lr,
            full_batch,
            reps,
        } => {
            let net =
                files::course_params(&files::read_f64s(&data.join("params.f64"))?)?.to_network();
            let cfg = TrainConfig {
                epochs,
                lr,
                batch_size: if full_batch {
                    BatchSize::Full
                } else {
                    BatchSize::Rows(1)
                },
                ..TrainConfig::default()
            };
            run_train(&data, &net, &cfg, reps)?
        }
        Cmd::General {
            data,
            epochs,
            lr,
            batch,
            kernel,
            reps,
        } => {
            let net = files::network_in(&data)?;
            let cfg = TrainConfig {
                epochs,
                lr,
                batch_size: BatchSize::Rows(batch),
                optimizer: Optimizer::adam(),
                kernel,
                ..TrainConfig::default()
            };
            run_train(&data, &net, &cfg, reps)?
        }
        Cmd::Classify {
            data,
            epochs,
            lr,
            loss,
            l1,
            l2,
            reps,
        } => {
            let net = files::network_in(&data)?;
            let cfg = TrainConfig {
                epochs,
                lr,
                loss,
                l1,
                l2,
                ..TrainConfig::default()
            };
            run_train(&data, &net, &cfg, reps)?
        }
        Cmd::Sweep {
            data,
            epochs,
            threads,
            reps,
        } => run_sweep(&data, epochs, threads, reps)?,
    };
    println!("{out}");
    Ok(())
}

/// `--kernel`: the names of the TOML `kernel` key.
fn parse_kernel(s: &str) -> Result<Kernel, String> {
    match s {
        "auto" => Ok(Kernel::Auto),
        "general" => Ok(Kernel::General),
        "batched" => Ok(Kernel::Batched),
        _ => Err(format!(
            "unknown kernel '{s}': expected auto, general or batched"
        )),
    }
}

/// `train` `reps` times from `net` on DIR's data; the timed part is the whole `train` call.
fn run_train(dir: &Path, net: &Network, cfg: &TrainConfig, reps: usize) -> Result<Value> {
    let x = files::read_f64s(&dir.join("x.f64"))?;
    let y = files::read_f64s(&dir.join("y.f64"))?;
    let data = Samples::new(&x, &y, net.n_inputs(), net.n_outputs())?;
    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    let mut last = None;
    for _ in 0..reps.max(1) {
        let mut n = net.clone();
        let c = thread_cpu_ns();
        let t = Instant::now();
        let out = train(&mut n, &data, None, cfg, &mut |_| {})?;
        times.push(t.elapsed().as_secs_f64());
        if let (Some(c0), Some(c1)) = (c, thread_cpu_ns()) {
            cpu_times.push(c1.saturating_sub(c0) as f64 * 1e-9);
        }
        if out.status != TrainStatus::Completed {
            bail!("training did not complete: {:?}", out.status);
        }
        last = Some((out, n));
    }
    let (out, n) = last.context("no repetition ran")?;
    Ok(json!({
        "times_s": times,
        // On-CPU time of the training thread (empty where the kernel does not report it):
        // on a shared machine, wall time also counts the time other work held the core.
        "cpu_times_s": cpu_times,
        "epoch_losses": out.history.iter().map(|r| r.train_loss).collect::<Vec<_>>(),
        // The course network in the course's order w1..w6, b1..b3; any other network in
        // `Network::params_flat` order (each layer's weights row-major, then its biases).
        "params": match nnlab_core::course::params(&n) {
            Some((w, b)) => w.iter().chain(&b).copied().collect(),
            None => n.params_flat(),
        },
        "fast_kernel": out.fast_kernel,
        "sample_steps": out.sample_steps,
    }))
}

/// Nanoseconds this thread has run on a CPU, from Linux's `/proc/thread-self/schedstat`
/// (its first field); `None` elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// All runs of the sweep, in chunks of whole lane groups spread over a pool of `threads`.
fn run_sweep(dir: &Path, epochs: usize, threads: usize, reps: usize) -> Result<Value> {
    let x = files::read_f64s(&dir.join("x.f64"))?;
    let y = files::read_f64s(&dir.join("y.f64"))?;
    let lrs = files::read_f64s(&dir.join("lrs.f64"))?;
    let params = files::read_f64s(&dir.join("params.f64"))?
        .chunks(9)
        .map(files::course_params)
        .collect::<Result<Vec<_>>>()?;
    if params.len() != lrs.len() {
        bail!(
            "sweep: {} lrs for {} parameter sets",
            lrs.len(),
            params.len()
        );
    }
    let x1: Vec<f64> = x.iter().step_by(2).copied().collect();
    let x2: Vec<f64> = x.iter().skip(1).step_by(2).copied().collect();
    let one = RunData {
        x1: &x1,
        x2: &x2,
        y: &y,
    };
    let data = vec![one; params.len()];
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()?;
    // Whole lane groups per chunk, about one chunk per thread.
    let groups = params.len().div_ceil(LANES);
    let chunk = groups.div_ceil(threads.max(1)) * LANES;
    let mut times = Vec::new();
    let mut results = Vec::new();
    for _ in 0..reps.max(1) {
        let t = Instant::now();
        let chunks: Vec<_> = pool.install(|| {
            params
                .par_chunks(chunk)
                .zip(lrs.par_chunks(chunk))
                .zip(data.par_chunks(chunk))
                .map(|((p, l), d)| train_lanes(p, l, d, epochs))
                .collect()
        });
        times.push(t.elapsed().as_secs_f64());
        results = Vec::new();
        for c in chunks {
            results.extend(c?);
        }
    }
    Ok(json!({
        "times_s": times,
        "final_losses": results.iter().map(|r| r.epoch_losses.last().copied().unwrap_or(f64::NAN)).collect::<Vec<_>>(),
        "diverged": results.iter().filter(|r| r.diverged_at.is_some()).count(),
    }))
}
