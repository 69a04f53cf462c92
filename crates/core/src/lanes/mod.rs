//! Many independent runs of the course network advanced together, [`LANES`] at a time.
//!
//! A sweep (learning rates × seeds) trains thousands of small, independent runs. One run
//! alone is a chain of dependent operations, so the CPU waits on latency most of the time.
//! Here [`LANES`] runs are kept side by side as a structure of arrays ([`Lanes`]): every
//! parameter is an array with one entry per run, and one row of every run's data is one
//! [`LaneRow`]. The step of [`CourseParams::sgd_step`] is written once over `l in 0..LANES`,
//! so the compiler turns it into vector instructions that advance all lanes at once, and
//! the independent lanes fill the gaps each other's latency leaves.
//!
//! Each lane gives exactly the bits `CourseParams::sgd_step` gives for that run trained
//! alone: the same operations in the same order, per lane:
//!
//! ```text
//! z1 = x1*w1 + x2*w3 + b1      a1 = relu(z1)      relu(z) = z if z > 0 or z is NaN, else +0
//! z2 = x1*w2 + x2*w4 + b2      a2 = relu(z2)      relu'(z) = 1 if z > 0, else 0
//! z3 = a1*w5 + a2*w6 + b3      y_hat = relu(z3)
//! d = y_hat - y                loss = d*d
//! dl_dz3 = 2*d*relu'(z3)       dl_dz1 = dl_dz3*w5*relu'(z1)    dl_dz2 = dl_dz3*w6*relu'(z2)
//! w1 -= lr*(dl_dz1*x1)   w2 -= lr*(dl_dz2*x1)   w3 -= lr*(dl_dz1*x2)   w4 -= lr*(dl_dz2*x2)
//! w5 -= lr*(dl_dz3*a1)   w6 -= lr*(dl_dz3*a2)   b1 -= lr*dl_dz1   b2 -= lr*dl_dz2   b3 -= lr*dl_dz3
//! ```
//!
//! No fused multiply-add is used: Rust never contracts `a*b + c` on its own (the AVX2
//! kernel enables `avx2` only; the AVX-512 one implies `fma`, which only makes the
//! instruction available: nothing here calls it and LLVM does not contract without a
//! fast-math flag Rust never emits).
//!
//! ```
//! use nnlab_core::course::CourseParams;
//! use nnlab_core::lanes::{train_lanes, RunData};
//!
//! // Two runs of the course's example (input (1, 0), target 2) at two learning rates.
//! let p = CourseParams { w: [1.0, 0.5, 1.0, -1.0, 1.0, 1.0], b: [0.5, 0.0, 0.5] };
//! let (x1, x2, y) = ([1.0], [0.0], [2.0]);
//! let data = RunData { x1: &x1, x2: &x2, y: &y };
//! let runs = train_lanes(&[p, p], &[0.01, 0.1], &[data, data], 1).unwrap();
//! // The course's published first loss, and after one step at lr 0.01 its published weights.
//! assert_eq!(runs[0].epoch_losses, vec![0.25]);
//! assert_eq!(runs[0].params.w, [0.99, 0.49, 1.0, -1.0, 0.985, 0.995]);
//! // Each lane is the scalar kernel, bit for bit.
//! let mut alone = p;
//! alone.sgd_step(1.0, 0.0, 2.0, 0.1);
//! assert_eq!(runs[1].params, alone);
//! ```
//!
//! [`CourseParams::sgd_step`]: crate::course::CourseParams::sgd_step

mod kernel;
mod layout;
mod step;
mod train;

pub use kernel::{epoch, LaneKernel};
pub use layout::{pack_rows, LaneRow, Lanes, RunData};
pub use train::{train_lanes, train_lanes_with, LaneDivergence, LaneResult};

/// How many runs advance together. One run's step is a chain of ~50 cycles of dependent
/// latency; more lanes give the CPU more independent work to fill it, until the state (nine
/// parameters per lane) no longer fits the vector registers and spills dominate. Measured
/// on an AMD EPYC (Zen 3, AVX2) with `benches/lanes.rs`, ns per run-sample-step:
/// 4 lanes 3.9, 8 lanes 2.8, 12 lanes 2.3, 16 lanes 2.5. On an AVX-512 EPYC (Zen 5) the
/// AVX-512 copy at 16 lanes (two 512-bit registers per parameter, 32 registers) took
/// ~0.65× the time of the AVX2 copy at 12 lanes (24 lanes: about the same as 16; 32 lanes:
/// slower, spills), so 16 it is: AVX2-only CPUs lose ~8%, AVX-512 ones gain ~50%.
pub const LANES: usize = 16;
