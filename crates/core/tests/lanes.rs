//! `lanes` gives, run by run, exactly the bits of `CourseParams::sgd_step` trained alone.
//!
//! Origin of every expected number: the scalar reference below, a plain loop of
//! `CourseParams::sgd_step` per run (itself held to the general network's bits by
//! `fast_kernel.rs`). Every comparison is `to_bits()` equality, NaN and infinity included.

use nnlab_core::course::CourseParams;
use nnlab_core::lanes::{
    epoch, pack_rows, train_lanes, train_lanes_with, LaneDivergence, LaneKernel, LaneResult, Lanes,
    RunData, LANES,
};
use nnlab_core::rng::Rng;
use nnlab_core::CoreError;

/// 37 runs: not a multiple of `LANES`, so the last group is padded.
const RUNS: usize = 37;
const ROWS: usize = 20;
const EPOCHS: usize = 60;

struct Run {
    p: CourseParams,
    lr: f64,
    x1: Vec<f64>,
    x2: Vec<f64>,
    y: Vec<f64>,
}

impl Run {
    fn data(&self) -> RunData<'_> {
        RunData {
            x1: &self.x1,
            x2: &self.x2,
            y: &self.y,
        }
    }
}

/// Run `i`: its own seed's data and start, and a learning rate log-spaced from 0.00005
/// (run 0) to 1 (run 36). A ReLU network at a too-large rate mostly dies (every unit
/// negative, gradients zero) rather than diverging, so every fourth run has data scaled by
/// 1e150: its first updates overflow, the loss goes to infinity and then NaN (10 of the 37
/// runs diverge, one of them only in epoch 9). Every fifth row has an input and the target
/// exactly 0 and starts are mixed in sign, so the zero and -0 paths of relu and its slope run.
fn runs() -> Vec<Run> {
    (0..RUNS)
        .map(|i| {
            let seed = 1000 + i as u64;
            let mut data = Rng::for_purpose(seed, "data");
            let mut init = Rng::for_purpose(seed, "init");
            let p = CourseParams {
                w: std::array::from_fn(|_| init.uniform_range(-3.0, 3.0)),
                b: std::array::from_fn(|_| init.uniform_range(-1.0, 1.0)),
            };
            let lr = 0.00005 * (1.0f64 / 0.00005).powf(i as f64 / (RUNS - 1) as f64);
            let mut r = Run {
                p,
                lr,
                x1: Vec::new(),
                x2: Vec::new(),
                y: Vec::new(),
            };
            let scale = [1.0, 1e40, 1.0, 1e150][i % 4];
            for k in 0..ROWS {
                let zero = k % 5 == 0;
                let (x1, x2, y) = (
                    scale * data.uniform_range(-1.0, 2.0),
                    scale * data.uniform_range(-1.0, 2.0),
                    scale * data.uniform_range(0.0, 3.0),
                );
                r.x1.push(if zero { 0.0 } else { x1 });
                r.x2.push(x2);
                r.y.push(if zero { 0.0 } else { y });
            }
            r
        })
        .collect()
}

/// The scalar reference, as `train_lanes` documents it: per epoch the left-to-right sum of
/// the sample losses divided by the row count; at the first non-finite sample loss, stop
/// with the parameters from before that sample.
fn scalar(run: &Run, epochs: usize) -> LaneResult {
    let mut p = run.p;
    let mut epoch_losses = Vec::new();
    for e in 0..epochs {
        let mut sum = 0.0;
        for k in 0..run.x1.len() {
            let before = p;
            let loss = p.sgd_step(run.x1[k], run.x2[k], run.y[k], run.lr);
            if !loss.is_finite() {
                return LaneResult {
                    params: before,
                    epoch_losses,
                    diverged_at: Some(LaneDivergence {
                        epoch: e,
                        sample: k,
                    }),
                };
            }
            sum += loss;
        }
        epoch_losses.push(sum / run.x1.len() as f64);
    }
    LaneResult {
        params: p,
        epoch_losses,
        diverged_at: None,
    }
}

fn bits(p: &CourseParams) -> Vec<u64> {
    p.w.iter().chain(&p.b).map(|v| v.to_bits()).collect()
}

fn assert_same(got: &LaneResult, want: &LaneResult, what: &str) {
    assert_eq!(got.diverged_at, want.diverged_at, "{what}");
    assert_eq!(bits(&got.params), bits(&want.params), "{what}");
    let g: Vec<u64> = got.epoch_losses.iter().map(|v| v.to_bits()).collect();
    let w: Vec<u64> = want.epoch_losses.iter().map(|v| v.to_bits()).collect();
    assert_eq!(g, w, "{what}");
}

fn kernels() -> Vec<LaneKernel> {
    LaneKernel::available()
}

#[test]
fn every_run_matches_the_scalar_reference_bitwise() {
    let runs = runs();
    let params: Vec<_> = runs.iter().map(|r| r.p).collect();
    let lrs: Vec<_> = runs.iter().map(|r| r.lr).collect();
    let data: Vec<_> = runs.iter().map(Run::data).collect();
    let want: Vec<_> = runs.iter().map(|r| scalar(r, EPOCHS)).collect();

    // The batch must cover both outcomes, or the comparison proves less than it claims.
    let diverged = want.iter().filter(|r| r.diverged_at.is_some()).count();
    assert!(diverged >= 5, "only {diverged} runs diverged");
    assert!(
        want.iter()
            .any(|r| r.diverged_at.is_some_and(|d| d.epoch > 0)),
        "no run diverged after completing an epoch"
    );
    assert!(
        RUNS - diverged >= 10,
        "only {} runs converged",
        RUNS - diverged
    );

    for kernel in kernels() {
        let got = train_lanes_with(kernel, &params, &lrs, &data, EPOCHS).unwrap();
        assert_eq!(got.len(), RUNS);
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_same(g, w, &format!("{} kernel, run {i}", kernel.name()));
        }
    }
    // The default entry point picks one of the two.
    let got = train_lanes(&params, &lrs, &data, EPOCHS).unwrap();
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_same(g, w, &format!("train_lanes, run {i}"));
    }
}

/// `epoch` keeps computing a lane after it diverged; those values too are the scalar
/// kernel's, to the bit, through infinity and NaN.
#[test]
fn epoch_matches_sgd_step_through_inf_and_nan() {
    let runs = runs();
    // The fastest rates: most of these diverge within a few epochs.
    let group: Vec<&Run> = runs.iter().rev().take(LANES).collect();
    let data: Vec<_> = group.iter().map(|r| r.data()).collect();
    let rows = pack_rows(&data).unwrap();

    for kernel in kernels() {
        let mut lanes = Lanes::zeros();
        for (l, r) in group.iter().enumerate() {
            lanes.set(l, r.p, r.lr);
        }
        let mut alone: Vec<CourseParams> = group.iter().map(|r| r.p).collect();
        let mut saw_nan = false;
        for e in 0..EPOCHS {
            let sums = epoch(kernel, &mut lanes, &rows);
            for (l, r) in group.iter().enumerate() {
                let p = &mut alone[l];
                let mut sum = 0.0;
                for k in 0..ROWS {
                    sum += p.sgd_step(r.x1[k], r.x2[k], r.y[k], r.lr);
                }
                let what = format!("{} kernel, epoch {e}, lane {l}", kernel.name());
                assert_eq!(sums[l].to_bits(), sum.to_bits(), "{what}");
                assert_eq!(bits(&lanes.get(l)), bits(p), "{what}");
                saw_nan |= sum.is_nan() && p.w.iter().any(|w| w.is_nan());
            }
        }
        assert!(
            saw_nan,
            "no lane reached NaN; the test covers less than it says"
        );
    }
}

/// The course's published first step (input (1, 0), target 2, lr 0.01, start
/// w = 1,0.5,1,-1,1,1, b = 0.5,0,0.5): loss 0.25, then w = 0.99,0.49,1,-1,0.985,0.995 and
/// b = 0.49,-0.01,0.49 (`golden.rs`'s one-update table, lr 0.01 row).
#[test]
fn course_example_in_every_lane() {
    let p = CourseParams {
        w: [1.0, 0.5, 1.0, -1.0, 1.0, 1.0],
        b: [0.5, 0.0, 0.5],
    };
    let (x1, x2, y) = ([1.0], [0.0], [2.0]);
    let d = RunData {
        x1: &x1,
        x2: &x2,
        y: &y,
    };
    for kernel in kernels() {
        let got = train_lanes_with(
            kernel,
            &[p; LANES + 1],
            &[0.01; LANES + 1],
            &[d; LANES + 1],
            1,
        )
        .unwrap();
        for r in got {
            assert_eq!(r.epoch_losses, vec![0.25]);
            assert_eq!(r.params.w, [0.99, 0.49, 1.0, -1.0, 0.985, 0.995]);
            assert_eq!(r.params.b, [0.49, -0.01, 0.49]);
            assert_eq!(r.diverged_at, None);
        }
    }
}

/// A caller may split the runs into chunks (one per thread) and concatenate the results.
#[test]
fn chunks_give_the_same_results_as_the_whole() {
    let runs = runs();
    let params: Vec<_> = runs.iter().map(|r| r.p).collect();
    let lrs: Vec<_> = runs.iter().map(|r| r.lr).collect();
    let data: Vec<_> = runs.iter().map(Run::data).collect();
    let whole = train_lanes(&params, &lrs, &data, EPOCHS).unwrap();
    let mut parts = Vec::new();
    for (range_start, range_end) in [(0, 5), (5, 5 + LANES), (5 + LANES, RUNS)] {
        let r = range_start..range_end;
        parts.extend(train_lanes(&params[r.clone()], &lrs[r.clone()], &data[r], EPOCHS).unwrap());
    }
    assert_eq!(whole.len(), parts.len());
    for (i, (w, p)) in whole.iter().zip(&parts).enumerate() {
        assert_same(p, w, &format!("run {i}"));
    }
}

/// Runs of different lengths go to different groups and still match the reference.
#[test]
fn runs_of_different_lengths() {
    let mut runs = runs();
    for (i, r) in runs.iter_mut().enumerate() {
        let n = ROWS - i % 3 * 4;
        r.x1.truncate(n);
        r.x2.truncate(n);
        r.y.truncate(n);
    }
    let params: Vec<_> = runs.iter().map(|r| r.p).collect();
    let lrs: Vec<_> = runs.iter().map(|r| r.lr).collect();
    let data: Vec<_> = runs.iter().map(Run::data).collect();
    let got = train_lanes(&params, &lrs, &data, EPOCHS).unwrap();
    for (i, (g, r)) in got.iter().zip(&runs).enumerate() {
        assert_same(g, &scalar(r, EPOCHS), &format!("run {i}"));
    }
}

#[test]
fn mismatched_lengths_are_errors() {
    let p = CourseParams {
        w: [0.0; 6],
        b: [0.0; 3],
    };
    let (x1, x2, y) = ([1.0, 2.0], [0.0, 1.0], [2.0]);
    let bad = RunData {
        x1: &x1,
        x2: &x2,
        y: &y,
    };
    assert_eq!(
        train_lanes(&[p], &[0.1], &[bad], 1),
        Err(CoreError::WrongCount {
            what: "y",
            expected: 2,
            found: 1
        })
    );
    let good = RunData {
        x1: &x1,
        x2: &x2,
        y: &x1,
    };
    assert_eq!(
        train_lanes(&[p, p], &[0.1], &[good, good], 1),
        Err(CoreError::WrongCount {
            what: "learning rates",
            expected: 2,
            found: 1
        })
    );
    assert_eq!(
        pack_rows(&[good; LANES + 1]),
        Err(CoreError::WrongCount {
            what: "runs in one lane group",
            expected: LANES,
            found: LANES + 1
        })
    );
}

/// A sum of finite losses may overflow: with all weights and biases 0 the prediction is
/// relu(0) = 0 and every gradient is 0 (relu'(0) = 0), so each row's loss is y² = 1e308,
/// finite, and the second row's addition overflows to inf. By the reference that is no
/// divergence: the epoch's mean loss is inf and training goes on, parameters unchanged.
#[test]
fn overflowing_sum_is_recorded_not_divergence() {
    let p = CourseParams {
        w: [0.0; 6],
        b: [0.0; 3],
    };
    let (x1, x2, y) = ([1.0, 2.0, 3.0], [1.0, 0.5, 0.0], [1e154; 3]);
    let d = RunData {
        x1: &x1,
        x2: &x2,
        y: &y,
    };
    for kernel in kernels() {
        let got = train_lanes_with(kernel, &[p], &[0.1], &[d], 2).unwrap();
        assert_eq!(got[0].epoch_losses, vec![f64::INFINITY; 2]);
        assert_eq!(got[0].diverged_at, None);
        assert_eq!(bits(&got[0].params), bits(&p));
    }
}

/// Two steps worked by hand where only the scalar relu's exact edge semantics give the
/// right bits (the random batch rarely reaches them).
///
/// A: w = -1,1,0,0,-0,1, b = 0,0,0, x = (1, 0), y = 5, lr = 0.1. z1 = -1 so a1 = relu(-1) =
/// +0; z2 = 1, a2 = 1; z3 = (+0)(-0) + 1 + 0 = 1 = y_hat; d = -4, loss 16, dl_dz3 = -8;
/// w5 = -0 - 0.1·(-8·(+0)) = -0 - (-0) = +0. (A relu giving -0 for negative z would leave -0.)
///
/// B: w = -1e300,0,0,0,1,1, b = 0,0,1, x = (1e300, 0), y = 2, lr = 0.1. z1 = -1e600 = -inf,
/// a1 = relu(-inf) = 0; z2 = 0, a2 = 0; y_hat = z3 = 1; d = -1, loss 1 (finite, no
/// divergence); dl_dz3 = -2; b3 = 1 - 0.1·(-2) = 1.2, everything else unchanged.
/// (A relu computed as z·[z > 0] would give -inf·0 = NaN here.)
#[test]
fn signed_zero_and_infinite_preactivation_by_hand() {
    let a = CourseParams {
        w: [-1.0, 1.0, 0.0, 0.0, -0.0, 1.0],
        b: [0.0, 0.0, 0.0],
    };
    let b = CourseParams {
        w: [-1e300, 0.0, 0.0, 0.0, 1.0, 1.0],
        b: [0.0, 0.0, 1.0],
    };
    let (xa1, xa2, ya) = ([1.0], [0.0], [5.0]);
    let (xb1, xb2, yb) = ([1e300], [0.0], [2.0]);
    let data = [
        RunData {
            x1: &xa1,
            x2: &xa2,
            y: &ya,
        },
        RunData {
            x1: &xb1,
            x2: &xb2,
            y: &yb,
        },
    ];
    for kernel in kernels() {
        let got = train_lanes_with(kernel, &[a, b], &[0.1, 0.1], &data, 1).unwrap();
        assert_eq!(got[0].epoch_losses, vec![16.0]);
        assert_eq!(got[0].params.w[4].to_bits(), 0.0f64.to_bits(), "w5 = +0");
        assert_eq!(got[1].epoch_losses, vec![1.0]);
        assert_eq!(got[1].diverged_at, None);
        assert_eq!(got[1].params.b, [0.0, 0.0, 1.2]);
        assert_eq!(bits(&got[1].params)[..6], bits(&b)[..6]);
    }
}
