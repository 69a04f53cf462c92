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

use crate::course::CourseParams;
use crate::CoreError;

/// How many runs advance together. One run's step is a chain of ~50 cycles of dependent
/// latency; more lanes give the CPU more independent work to fill it, until the state (nine
/// parameters per lane) no longer fits the vector registers and spills dominate. Measured
/// on an AMD EPYC (Zen 3, AVX2) with `benches/lanes.rs`, ns per run-sample-step:
/// 4 lanes 3.9, 8 lanes 2.8, 12 lanes 2.3, 16 lanes 2.5. On an AVX-512 EPYC (Zen 5) the
/// AVX-512 copy at 16 lanes (two 512-bit registers per parameter, 32 registers) took
/// ~0.65× the time of the AVX2 copy at 12 lanes (24 lanes: about the same as 16; 32 lanes:
/// slower, spills), so 16 it is: AVX2-only CPUs lose ~8%, AVX-512 ones gain ~50%.
pub const LANES: usize = 16;

/// The nine parameters and the learning rate of [`LANES`] runs, one array entry per run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lanes {
    pub w1: [f64; LANES],
    pub w2: [f64; LANES],
    pub w3: [f64; LANES],
    pub w4: [f64; LANES],
    pub w5: [f64; LANES],
    pub w6: [f64; LANES],
    pub b1: [f64; LANES],
    pub b2: [f64; LANES],
    pub b3: [f64; LANES],
    pub lr: [f64; LANES],
}

impl Lanes {
    /// All parameters and learning rates zero. A zero lane on zero data stays zero, so it is
    /// the padding of a group with fewer than [`LANES`] runs: it costs no extra time
    /// (no subnormals, no NaN) and its results are dropped.
    pub fn zeros() -> Lanes {
        let z = [0.0; LANES];
        Lanes {
            w1: z,
            w2: z,
            w3: z,
            w4: z,
            w5: z,
            w6: z,
            b1: z,
            b2: z,
            b3: z,
            lr: z,
        }
    }

    /// Puts run `p` with learning rate `lr` into lane `lane`. Panics if `lane >= LANES`.
    pub fn set(&mut self, lane: usize, p: CourseParams, lr: f64) {
        let [w1, w2, w3, w4, w5, w6] = p.w;
        let [b1, b2, b3] = p.b;
        self.w1[lane] = w1;
        self.w2[lane] = w2;
        self.w3[lane] = w3;
        self.w4[lane] = w4;
        self.w5[lane] = w5;
        self.w6[lane] = w6;
        self.b1[lane] = b1;
        self.b2[lane] = b2;
        self.b3[lane] = b3;
        self.lr[lane] = lr;
    }

    /// The parameters of lane `lane`. Panics if `lane >= LANES`.
    pub fn get(&self, lane: usize) -> CourseParams {
        let l = lane;
        CourseParams {
            w: [
                self.w1[l], self.w2[l], self.w3[l], self.w4[l], self.w5[l], self.w6[l],
            ],
            b: [self.b1[l], self.b2[l], self.b3[l]],
        }
    }
}

/// One data row of [`LANES`] runs: `x1[lane]`, `x2[lane]`, `y[lane]`. Each run has its own
/// data (each seed draws its own), so a lane's rows are interleaved with the other lanes'.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LaneRow {
    pub x1: [f64; LANES],
    pub x2: [f64; LANES],
    pub y: [f64; LANES],
}

/// One run's training data, rows in the order SGD visits them: `(x1[k], x2[k], y[k])`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunData<'a> {
    pub x1: &'a [f64],
    pub x2: &'a [f64],
    pub y: &'a [f64],
}

impl RunData<'_> {
    /// The number of rows, checked to be the same for `x1`, `x2` and `y`.
    pub fn n_rows(&self) -> Result<usize, CoreError> {
        let n = self.x1.len();
        for (what, len) in [("x2", self.x2.len()), ("y", self.y.len())] {
            if len != n {
                return Err(CoreError::WrongCount {
                    what,
                    expected: n,
                    found: len,
                });
            }
        }
        Ok(n)
    }
}

/// Interleaves the rows of up to [`LANES`] runs of equal length; lanes past `runs.len()`
/// are zero rows (padding).
pub fn pack_rows(runs: &[RunData<'_>]) -> Result<Vec<LaneRow>, CoreError> {
    if runs.len() > LANES {
        return Err(CoreError::WrongCount {
            what: "runs in one lane group",
            expected: LANES,
            found: runs.len(),
        });
    }
    let n = match runs.first() {
        Some(r) => r.n_rows()?,
        None => 0,
    };
    for r in runs {
        let found = r.n_rows()?;
        if found != n {
            return Err(CoreError::WrongCount {
                what: "rows of a run in one lane group",
                expected: n,
                found,
            });
        }
    }
    let zero = [0.0; LANES];
    let mut rows = vec![
        LaneRow {
            x1: zero,
            x2: zero,
            y: zero
        };
        n
    ];
    for (lane, r) in runs.iter().enumerate() {
        for (k, row) in rows.iter_mut().enumerate() {
            row.x1[lane] = r.x1[k];
            row.x2[lane] = r.x2[k];
            row.y[lane] = r.y[k];
        }
    }
    Ok(rows)
}

/// Which compiled copy of the epoch loop runs. All give the same bits; the AVX2 copy does
/// four lanes per instruction instead of two, the AVX-512 copy eight.
///
/// A `LaneKernel` that selects AVX2 (AVX-512) can only be made by [`LaneKernel::avx2`]
/// ([`LaneKernel::avx512`]) or [`LaneKernel::detect`] after the CPU reported the feature, which is
/// what makes calling that copy sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneKernel(KernelKind);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KernelKind {
    Portable,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

impl LaneKernel {
    /// The copy compiled for the build's baseline target (SSE2 on x86-64); runs everywhere.
    pub fn portable() -> LaneKernel {
        LaneKernel(KernelKind::Portable)
    }

    /// The AVX2 copy, if this CPU has AVX2.
    pub fn avx2() -> Option<LaneKernel> {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            return Some(LaneKernel(KernelKind::Avx2));
        }
        None
    }

    /// The AVX-512 copy, if this CPU has AVX-512F.
    pub fn avx512() -> Option<LaneKernel> {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f") {
            return Some(LaneKernel(KernelKind::Avx512));
        }
        None
    }

    /// The fastest copy this CPU runs.
    pub fn detect() -> LaneKernel {
        LaneKernel::avx512()
            .or_else(LaneKernel::avx2)
            .unwrap_or_else(LaneKernel::portable)
    }

    /// Every copy this CPU runs, portable first (for tests and benchmarks).
    pub fn available() -> Vec<LaneKernel> {
        let mut k = vec![LaneKernel::portable()];
        k.extend(LaneKernel::avx2());
        k.extend(LaneKernel::avx512());
        k
    }

    /// `"portable"` or `"avx2"`.
    pub fn name(self) -> &'static str {
        match self.0 {
            KernelKind::Portable => "portable",
            #[cfg(target_arch = "x86_64")]
            KernelKind::Avx2 => "avx2",
            #[cfg(target_arch = "x86_64")]
            KernelKind::Avx512 => "avx512",
        }
    }
}

/// One epoch of per-sample SGD for every lane: for each row in order, the step in the module
/// docs. Returns each lane's loss sum `((0 + loss_1) + loss_2) + ... + loss_n`, left to right
/// as the scalar trainer sums it; the epoch's mean loss is that sum `/ rows.len() as f64`.
///
/// Every lane is computed to the end of the epoch, NaN and infinity included: a lane that
/// diverged keeps computing what the scalar kernel would, and the caller decides what to keep.
pub fn epoch(kernel: LaneKernel, lanes: &mut Lanes, rows: &[LaneRow]) -> [f64; LANES] {
    match kernel.0 {
        KernelKind::Portable => epoch_portable(lanes, rows),
        // SAFETY: a `LaneKernel` holding `Avx2` is only built by `LaneKernel::avx2` after
        // `is_x86_feature_detected!("avx2")` returned true, so this CPU runs AVX2 code.
        #[cfg(target_arch = "x86_64")]
        KernelKind::Avx2 => unsafe { epoch_avx2(lanes, rows) },
        // SAFETY: as above, with `LaneKernel::avx512` and `avx512f`.
        #[cfg(target_arch = "x86_64")]
        KernelKind::Avx512 => unsafe { epoch_avx512(lanes, rows) },
    }
}

fn epoch_portable(lanes: &mut Lanes, rows: &[LaneRow]) -> [f64; LANES] {
    epoch_body(lanes, rows)
}

/// The same loop compiled with AVX2 enabled (256-bit registers, four `f64` per operation).
/// `fma` is deliberately not enabled, and Rust does not contract `a*b + c` into an FMA on
/// its own, so each operation rounds exactly as in the scalar kernel.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn epoch_avx2(lanes: &mut Lanes, rows: &[LaneRow]) -> [f64; LANES] {
    epoch_body(lanes, rows)
}

/// The same loop compiled with AVX-512F enabled (512-bit registers, eight `f64` per
/// operation, 32 registers, compares into mask registers). `avx512f` implies `fma` in Rust's
/// feature table, but Rust still never contracts `a*b + c` (LLVM contracts only under a
/// fast-math flag Rust does not emit), so each operation rounds as in the scalar kernel;
/// `tests/lanes.rs` checks every copy against the scalar reference bit for bit.
///
/// # Safety
/// The CPU must support AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn epoch_avx512(lanes: &mut Lanes, rows: &[LaneRow]) -> [f64; LANES] {
    epoch_body(lanes, rows)
}

/// The epoch loop, inlined into each compiled copy.
#[inline(always)]
fn epoch_body(lanes: &mut Lanes, rows: &[LaneRow]) -> [f64; LANES] {
    // Local copies, so the state is not re-read through `lanes` after every store.
    let Lanes {
        mut w1,
        mut w2,
        mut w3,
        mut w4,
        mut w5,
        mut w6,
        mut b1,
        mut b2,
        mut b3,
        lr,
    } = *lanes;
    let mut loss_sum = [0.0; LANES];
    for row in rows {
        // The whole step lane by lane; LLVM vectorizes the lane loop. (Written statement by
        // statement across all lanes instead, it measured 3-15% slower.)
        for l in 0..LANES {
            let (x1, x2, y) = (row.x1[l], row.x2[l], row.y[l]);
            let z1 = x1 * w1[l] + x2 * w3[l] + b1[l];
            let z2 = x1 * w2[l] + x2 * w4[l] + b2[l];
            let (a1, da1) = relu_and_slope(z1);
            let (a2, da2) = relu_and_slope(z2);
            let z3 = a1 * w5[l] + a2 * w6[l] + b3[l];
            let (y_hat, dy_hat) = relu_and_slope(z3);
            let d = y_hat - y;
            loss_sum[l] += d * d;
            let dl_dz3 = 2.0 * d * dy_hat;
            let dl_dz1 = dl_dz3 * w5[l] * da1;
            let dl_dz2 = dl_dz3 * w6[l] * da2;
            w1[l] -= lr[l] * (dl_dz1 * x1);
            w2[l] -= lr[l] * (dl_dz2 * x1);
            w3[l] -= lr[l] * (dl_dz1 * x2);
            w4[l] -= lr[l] * (dl_dz2 * x2);
            w5[l] -= lr[l] * (dl_dz3 * a1);
            w6[l] -= lr[l] * (dl_dz3 * a2);
            b1[l] -= lr[l] * dl_dz1;
            b2[l] -= lr[l] * dl_dz2;
            b3[l] -= lr[l] * dl_dz3;
        }
    }
    *lanes = Lanes {
        w1,
        w2,
        w3,
        w4,
        w5,
        w6,
        b1,
        b2,
        b3,
        lr,
    };
    loss_sum
}

/// `(relu(z), s)` from one compare: `relu(z) = z if z > 0 or z is NaN, else +0` is the scalar
/// kernel's relu exactly (NaN stays NaN, -0 becomes +0); `!(z <= 0)` is that condition as a
/// single unordered compare, and the select becomes compare + and.
///
/// `s` is `relu'(z) = 1 if z > 0, else 0` except that it is 1, not 0, for NaN z. Every `s`
/// only ever multiplies a value that is already NaN when its `z` is NaN (z1 or z2 NaN makes
/// a1 or a2, then z3, y_hat, d and dl_dz3 NaN; z3 NaN makes d NaN), and `NaN * 1` and
/// `NaN * 0` are the same NaN. So the products, and every lane's bits, equal the scalar
/// kernel's, and one compare per neuron is saved. Like the scalar kernel, `s` is multiplied
/// in rather than selected: `inf * 0` must stay NaN and `-x * 0` must stay -0.
#[inline(always)]
#[allow(clippy::neg_cmp_op_on_partial_ord)]
fn relu_and_slope(z: f64) -> (f64, f64) {
    let pos_or_nan = !(z <= 0.0);
    if pos_or_nan {
        (z, 1.0)
    } else {
        (0.0, 0.0)
    }
}

/// Where a run diverged: the first sample whose loss was not finite (0-based `epoch`, and
/// 0-based `sample` within that epoch, which is also the row index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneDivergence {
    pub epoch: usize,
    pub sample: usize,
}

/// One run's outcome, as the scalar reference loop would report it.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneResult {
    /// After the last epoch; for a diverged run, just before the update of the sample whose
    /// loss was not finite (that update is not applied, as the scalar reference stops there).
    pub params: CourseParams,
    /// The mean loss `(sum of the epoch's sample losses, left to right) / n_rows` of every
    /// completed epoch. A diverged run has exactly `diverged_at.epoch` entries.
    pub epoch_losses: Vec<f64>,
    pub diverged_at: Option<LaneDivergence>,
}

/// Trains every run (`params[i]` at rate `lrs[i]` on `data[i]`) for `epochs` epochs of
/// per-sample SGD in row order, [`LANES`] runs at a time, with the fastest [`LaneKernel`].
///
/// Each result equals, bit for bit, this scalar reference:
///
/// ```text
/// for epoch in 0..epochs {
///     sum = 0
///     for k in 0..n_rows {
///         before = p
///         loss = p.sgd_step(x1[k], x2[k], y[k], lr)
///         if loss is not finite { p = before; diverged_at = (epoch, k); stop }
///         sum += loss
///     }
///     epoch_losses.push(sum / n_rows)
/// }
/// ```
///
/// A mean loss can still be infinite without divergence when a finite sum overflows; such an
/// epoch is recorded and training goes on, as in the reference. With no rows every mean is
/// `0/0 = NaN`, again as in the reference.
///
/// Runs are grouped in input order: up to [`LANES`] consecutive runs with the same number of
/// rows form a group, padded with zero lanes. Groups are independent, so a caller may split
/// the runs into chunks (best a multiple of [`LANES`] long) and train the chunks on different
/// threads; the results do not depend on the split.
///
/// Errors: `lrs` or `data` not as long as `params`, or a run whose `x1`, `x2`, `y` lengths
/// differ.
pub fn train_lanes(
    params: &[CourseParams],
    lrs: &[f64],
    data: &[RunData<'_>],
    epochs: usize,
) -> Result<Vec<LaneResult>, CoreError> {
    train_lanes_with(LaneKernel::detect(), params, lrs, data, epochs)
}

/// [`train_lanes`] with a chosen [`LaneKernel`] (both give the same bits).
pub fn train_lanes_with(
    kernel: LaneKernel,
    params: &[CourseParams],
    lrs: &[f64],
    data: &[RunData<'_>],
    epochs: usize,
) -> Result<Vec<LaneResult>, CoreError> {
    for (what, len) in [("learning rates", lrs.len()), ("data sets", data.len())] {
        if len != params.len() {
            return Err(CoreError::WrongCount {
                what,
                expected: params.len(),
                found: len,
            });
        }
    }
    let mut results = Vec::with_capacity(params.len());
    let mut start = 0;
    while start < params.len() {
        let n = data[start].n_rows()?;
        let mut end = start + 1;
        while end < params.len() && end - start < LANES && data[end].n_rows()? == n {
            end += 1;
        }
        train_group(
            kernel,
            &params[start..end],
            &lrs[start..end],
            &data[start..end],
            epochs,
            &mut results,
        )?;
        start = end;
    }
    Ok(results)
}

/// Trains up to [`LANES`] runs of equal length together and appends their results.
fn train_group(
    kernel: LaneKernel,
    params: &[CourseParams],
    lrs: &[f64],
    data: &[RunData<'_>],
    epochs: usize,
    results: &mut Vec<LaneResult>,
) -> Result<(), CoreError> {
    let rows = pack_rows(data)?;
    let n_rows = rows.len();
    let mut lanes = Lanes::zeros();
    for (lane, (&p, &lr)) in params.iter().zip(lrs).enumerate() {
        lanes.set(lane, p, lr);
    }
    let first = results.len();
    results.extend(params.iter().map(|&p| LaneResult {
        params: p,
        epoch_losses: Vec::with_capacity(epochs),
        diverged_at: None,
    }));
    let runs = &mut results[first..];
    let mut active = runs.len();
    for e in 0..epochs {
        if active == 0 {
            // Every run diverged; the remaining epochs would only compute dropped values.
            break;
        }
        let start = lanes;
        let sums = epoch(kernel, &mut lanes, &rows);
        for (lane, run) in runs.iter_mut().enumerate() {
            if run.diverged_at.is_some() {
                continue;
            }
            // The losses are >= 0 or NaN, so the sum is finite exactly when every loss was,
            // unless a finite sum overflowed. Only then is this lane's epoch replayed alone
            // to find the sample and the parameters before it.
            if !sums[lane].is_finite() {
                let mut p = start.get(lane);
                let d = data[lane];
                for k in 0..n_rows {
                    let before = p;
                    let loss = p.sgd_step(d.x1[k], d.x2[k], d.y[k], lanes.lr[lane]);
                    if !loss.is_finite() {
                        run.params = before;
                        run.diverged_at = Some(LaneDivergence {
                            epoch: e,
                            sample: k,
                        });
                        active -= 1;
                        break;
                    }
                }
                if run.diverged_at.is_some() {
                    continue;
                }
            }
            run.epoch_losses.push(sums[lane] / n_rows as f64);
        }
    }
    for (lane, run) in runs.iter_mut().enumerate() {
        if run.diverged_at.is_none() {
            run.params = lanes.get(lane);
        }
    }
    Ok(())
}
