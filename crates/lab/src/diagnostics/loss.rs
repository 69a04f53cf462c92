//! What the training loss curve says: divergence, an exploding loss, oscillation,
//! overshooting (with the rate that would not overshoot), stagnation and slow learning.

use nnlab_report::sig4;
use nnlab_train::{curvature, TrainStatus};

use super::{join, with_params, Depth, Diagnostic, Evidence, Kind};
use crate::verdict::{Outcome, Pace};

/// A loss that grew by this factor over its starting value is "exploding".
pub const EXPLODING_FACTOR: f64 = 1e3;
/// Share of epochs whose loss rose, above which the run "oscillates".
pub const OSCILLATION_SHARE: f64 = 0.25;
/// A relative change of the loss over the whole run below this is "not moving".
pub const STAGNATION_CHANGE: f64 = 1e-3;
/// A rise of the epoch loss by more than this share of the epoch before is an overshoot;
/// smaller rises are the noise of per-sample steps.
pub const OVERSHOOT_RISE: f64 = 0.01;

pub(super) fn divergence(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    if let TrainStatus::Diverged {
        epoch,
        sample,
        parameter,
        value,
        ..
    } = ev.status
    {
        out.push(
            Diagnostic::warning(
                Kind::Divergence,
                vec![parameter.clone()],
                format!(
                    "the loss became non-finite at epoch {epoch}, sample {sample}: {parameter} blew up first ({}), the learning rate is too large for these weights",
                    sig4(*value)
                ),
            )
            .at(Some(*epoch), Some(*sample)),
        );
        return;
    }
    let losses = ev.train_loss();
    if let (Some(&first), Some((i, &peak))) = (
        losses.first(),
        losses.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)),
    ) {
        if first > 0.0 && peak / first >= EXPLODING_FACTOR {
            out.push(
                Diagnostic::warning(
                    Kind::Exploding,
                    vec![],
                    format!(
                        "the training loss grew {}-fold from epoch 1 to epoch {}: updates are overshooting",
                        sig4(peak / first),
                        i + 1
                    ),
                )
                .at(Some(i + 1), None),
            );
        }
    }
}

pub(super) fn oscillation(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    if ev.diverged() || ev.history.len() < 10 {
        return;
    }
    let losses = ev.train_loss();
    let rises = losses
        .windows(2)
        .filter(|w| w[1] > w[0] * (1.0 + 1e-9))
        .count();
    let share = rises as f64 / (losses.len() - 1) as f64;
    if rises >= 5 && share >= OSCILLATION_SHARE {
        let first_rise = losses.windows(2).position(|w| w[1] > w[0] * (1.0 + 1e-9));
        out.push(
            Diagnostic::warning(
                Kind::Oscillation,
                vec![],
                format!(
                    "the training loss went up in {rises} of {} epochs: the steps overshoot the minimum (try a smaller learning rate)",
                    losses.len() - 1
                ),
            )
            .at(first_rise.map(|i| i + 2), None),
        );
    }
}

/// The epoch steps `i -> i + 1` (0-based into the history) in which the training loss rose
/// by more than [`OVERSHOOT_RISE`] of its value.
pub fn overshoots(loss: &[f64]) -> Vec<usize> {
    (0..loss.len().saturating_sub(1))
        .filter(|&i| loss[i + 1] > loss[i] * (1.0 + OVERSHOOT_RISE) && loss[i + 1].is_finite())
        .collect()
}

pub(super) fn overshooting(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    if ev.diverged() {
        return;
    }
    let loss = ev.train_loss();
    let ups = overshoots(&loss);
    let Some(&worst) = ups
        .iter()
        .max_by(|&&a, &&b| (loss[a + 1] / loss[a]).total_cmp(&(loss[b + 1] / loss[b])))
    else {
        return;
    };
    let (from, to) = (worst + 1, worst + 2);
    let mut message = format!(
        "the training loss rose in {} of {} epoch steps, most from epoch {from} to {to} ({} -> {}, +{}%): the updates overshoot",
        ups.len(),
        loss.len() - 1,
        sig4(loss[worst]),
        sig4(loss[worst + 1]),
        sig4((loss[worst + 1] / loss[worst] - 1.0) * 100.0)
    );
    if ev.depth == Depth::Full {
        // The parameters the rising epoch started from: those at the end of epoch `from`.
        let (net_at, when) = match ev.snapshots.get(worst) {
            Some(s) => (
                with_params(ev.final_net, s),
                format!("the end of epoch {from}"),
            ),
            None => (ev.final_net.clone(), "the end".to_string()),
        };
        let frozen = ev.frozen_ids();
        let trainable: Vec<bool> = net_at
            .param_ids()
            .iter()
            .map(|id| !frozen.contains(id))
            .collect();
        if let Some(lambda) = curvature::top_eigenvalue(&net_at, &ev.train, ev.cfg.loss, &trainable)
            .filter(|l| l.is_finite() && *l > 0.0)
        {
            // The rate the rising epoch ran at (a schedule may have changed it).
            let (lr, inv) = (ev.history[worst + 1].lr, 1.0 / lambda);
            let advice = if lr > 2.0 * inv {
                format!(
                    "lr {} is above 2/λ = {}, where steps along it diverge: a learning rate below 1/λ = {} would not overshoot",
                    sig4(lr),
                    sig4(2.0 * inv),
                    sig4(inv)
                )
            } else if lr > inv {
                format!(
                    "lr {} is above 1/λ: a learning rate below 1/λ = {} would not overshoot",
                    sig4(lr),
                    sig4(inv)
                )
            } else {
                format!(
                    "lr {} is already below 1/λ = {}: the rises come from single samples' steps, each steeper than the mean (a smaller rate or larger batches would smooth them)",
                    sig4(lr),
                    sig4(inv)
                )
            };
            message.push_str(&format!(
                ". The loss curves most steeply at {}: λ = {} (largest eigenvalue of its Hessian); {advice}",
                when,
                sig4(lambda)
            ));
        }
    }
    out.push(Diagnostic::warning(Kind::Overshooting, vec![], message).at(Some(to), None));
}

pub(super) fn stagnation(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    if ev.diverged() {
        return;
    }
    let (Some(first), Some(last)) = (ev.history.first(), ev.history.last()) else {
        return;
    };
    let frozen = ev.frozen_ids();
    // Frozen parameters are the `frozen` warning's; these are the ones that could move.
    let unchanged: Vec<String> = ev
        .final_net
        .named_param_ids()
        .into_iter()
        .filter(|(_, id)| {
            !frozen.contains(id) && ev.initial.get(*id).to_bits() == ev.final_net.get(*id).to_bits()
        })
        .map(|(n, _)| n)
        .collect();
    let change = (first.train_loss - last.train_loss).abs() / first.train_loss.abs().max(1e-300);
    let loss_flat = first.train_loss > 0.0 && change < STAGNATION_CHANGE && ev.history.len() > 1;
    if !loss_flat && unchanged.is_empty() {
        return;
    }
    let mut parts = Vec::new();
    if loss_flat {
        parts.push(format!(
            "the training loss barely moved ({} -> {}, {} relative)",
            sig4(first.train_loss),
            sig4(last.train_loss),
            sig4(change)
        ));
    }
    if !unchanged.is_empty() {
        parts.push(format!(
            "{} never changed (their gradient stayed 0)",
            join(&unchanged)
        ));
    }
    out.push(Diagnostic::warning(
        Kind::Stagnation,
        unchanged,
        parts.join(", and "),
    ));
}

/// The run is still improving (its verdict says so): how fast, and what would help.
pub(super) fn slow_learning(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    if ev.verdict.map(|v| v.outcome) != Some(Outcome::StillImproving) {
        return;
    }
    let loss = ev.train_loss();
    let Some(pace) = Pace::of(&loss) else {
        return;
    };
    out.push(
        Diagnostic::warning(
            Kind::SlowLearning,
            vec![],
            format!(
                "training is slow: the training loss still falls {}% per epoch over the last {} epochs (median), {}% more in another {} epochs at that pace; at lr {} more epochs or a larger learning rate would help",
                sig4(pace.per_epoch * 100.0),
                pace.window,
                sig4(pace.projected(loss.len()) * 100.0),
                loss.len(),
                sig4(ev.cfg.lr)
            ),
        )
        .at(Some(loss.len()), None),
    );
}
