//! Choosing the compiled copy of the epoch loop ([`LaneKernel`]) and calling it ([`epoch`]).

use super::layout::{LaneRow, Lanes};
use super::step::epoch_body;
use super::LANES;

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
