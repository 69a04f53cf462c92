//! # Sweeps: one experiment over a grid of settings
//!
//! A [`SweepSpec`] is a base [`crate::Experiment`] and the keys it varies
//! (`--vary lr=0.001,0.01,0.1 --vary seed=0..100`, see [`grid`] for the value syntax). The
//! grid is the cartesian product, in a fixed order; [`run_sweep`] runs it on every core and
//! gives one [`SweepRun`] per run, the same bits `nnlab train` gives for that run's
//! settings. Runs of the course network with the fast kernel's settings advance together
//! in SIMD lanes ([`fast`]); all others run one by one through [`crate::run_on`].
//!
//! [`summary`] condenses the records: per combination of the non-seed factors, the spread of
//! the final loss over the seeds. [`files`] writes `runs.csv`, `summary.csv`, `curves.csv`,
//! `sweep.toml` (rerunnable) and the loss plot ([`plots`]), and merges shards; [`json`] is
//! what `nnlab sweep --json` prints.
//!
//! ## Sharding (Slurm arrays)
//!
//! `--shard K/N` runs only the runs `i` with `i % N == K - 1` (1-based `K`) and writes their
//! files; `nnlab sweep merge DIR1 DIR2 ... --out DIR` combines the shard folders into the files
//! of one unsharded sweep, byte for byte. With a Slurm job array:
//!
//! ```text
//! #SBATCH --array=0-9
//! nnlab sweep --vary lr=0.001,0.01,0.1 --vary seed=0..1000 \
//!     --shard $((SLURM_ARRAY_TASK_ID+1))/$SLURM_ARRAY_TASK_COUNT --out shards/$SLURM_ARRAY_TASK_ID
//! # then, once all tasks are done:
//! nnlab sweep merge shards/* --out sweep
//! ```
//!
//! ## Example
//!
//! ```
//! use nnlab_lab::sweep::{run_sweep, SweepSpec};
//! use nnlab_lab::Experiment;
//! let mut base = Experiment::default();
//! base.set("epochs", "20").unwrap();
//! let spec = SweepSpec::parse(base, &["lr=0.01,0.1".into(), "seed=0..3".into()]).unwrap();
//! let result = run_sweep(&spec, None).unwrap();
//! assert_eq!(result.runs.len(), 6);
//! assert_eq!(result.runs[4].values, ["0.1", "1"]);
//! ```

pub mod detail;
mod engine;
pub mod fast;
pub mod files;
pub mod grid;
pub mod json;
pub mod merge;
pub mod plots;
pub mod record;
pub mod summary;
mod warnings;

pub use detail::{RunDetail, Sink};
pub use engine::{run_sweep, run_sweep_with, SweepResult};
pub use grid::{Factor, Shard, SweepSpec, SEED_KEYS};
pub use record::{Status, SweepRun};
pub use summary::{summarize, GroupSummary, Stats};
