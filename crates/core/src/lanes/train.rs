//! Training many runs to their end: grouping them into lanes, running the epochs, and
//! finding where a lane diverged ([`train_lanes`]).

use super::kernel::{epoch, LaneKernel};
use super::layout::{pack_rows, Lanes, RunData};
use super::LANES;
use crate::course::CourseParams;
use crate::CoreError;

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
