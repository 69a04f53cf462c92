//! Diagnostics that name what went wrong in a run, in plain words.
//!
//! Each finding is a [`Diagnostic`]: a kind, a severity, the epoch it refers to, the
//! neurons or parameters involved and one sentence. Warnings point at a problem
//! (symmetry, dead ReLU, divergence, exploding loss, oscillation, stagnation); the one
//! `info` entry lists the parameters that moved most and least. A healthy run has no
//! warnings.

use serde::{Deserialize, Serialize};

use nnlab_core::{Activation, Network, ParamId, Trace};
use nnlab_train::{EpochRecord, TrainStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Symmetry,
    DeadRelu,
    Divergence,
    Exploding,
    Oscillation,
    Stagnation,
    LargestMovers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub kind: Kind,
    pub severity: Severity,
    /// The epoch (1-based) the finding refers to, when there is one.
    pub epoch: Option<usize>,
    /// Neurons (`node 1`, `L1.n2`) or parameters (`w1`, `L1.w[2][1]`) involved.
    pub involved: Vec<String>,
    pub message: String,
}

/// What the diagnostics look at.
pub struct Evidence<'a> {
    pub initial: &'a Network,
    pub final_net: &'a Network,
    pub history: &'a [EpochRecord],
    pub status: &'a TrainStatus,
    /// Training inputs, row-major.
    pub train_x: &'a [f64],
    /// Parameters flat ([`Network::params_flat`] order) at the end of each epoch.
    pub snapshots: &'a [Vec<f64>],
    pub frozen: &'a [String],
}

/// A loss that grew by this factor over its starting value is "exploding".
pub const EXPLODING_FACTOR: f64 = 1e3;
/// Share of epochs whose loss rose, above which the run "oscillates".
pub const OSCILLATION_SHARE: f64 = 0.25;
/// A relative change of the loss over the whole run below this is "not moving".
pub const STAGNATION_CHANGE: f64 = 1e-3;

/// Every finding, warnings first, in a fixed order.
pub fn diagnose(ev: &Evidence) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    divergence(ev, &mut out);
    symmetry(ev, &mut out);
    dead_relu(ev, &mut out);
    oscillation(ev, &mut out);
    stagnation(ev, &mut out);
    largest_movers(ev, &mut out);
    out
}

fn node_name(net: &Network, layer: usize, neuron: usize) -> String {
    if net.is_course_shape() {
        format!("node {}", layer * 2 + neuron + 1)
    } else {
        format!("L{}.n{}", layer + 1, neuron + 1)
    }
}

fn divergence(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    if let TrainStatus::Diverged {
        epoch,
        sample,
        parameter,
        value,
        ..
    } = ev.status
    {
        out.push(Diagnostic {
            kind: Kind::Divergence,
            severity: Severity::Warning,
            epoch: Some(*epoch),
            involved: vec![parameter.clone()],
            message: format!(
                "the loss became non-finite at epoch {epoch}, sample {sample}; {parameter} blew up first ({value}): the learning rate is too large for these weights"
            ),
        });
        return;
    }
    let losses: Vec<f64> = ev.history.iter().map(|r| r.train_loss).collect();
    if let (Some(&first), Some((i, &peak))) = (
        losses.first(),
        losses.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)),
    ) {
        if first > 0.0 && peak / first >= EXPLODING_FACTOR {
            out.push(Diagnostic {
                kind: Kind::Exploding,
                severity: Severity::Warning,
                epoch: Some(i + 1),
                involved: vec![],
                message: format!(
                    "the loss grew {:.0}-fold from epoch 1 to epoch {}: updates are overshooting",
                    peak / first,
                    i + 1
                ),
            });
        }
    }
}

/// Hidden neurons `j < k` of one layer that are exact copies: same incoming weights, bias
/// and outgoing weights, so every gradient they receive is the same.
fn twins(net: &Network) -> Vec<(usize, usize, usize)> {
    let layers = net.layers();
    let mut found = Vec::new();
    for l in 0..layers.len().saturating_sub(1) {
        let layer = &layers[l];
        let next = &layers[l + 1];
        for j in 0..layer.n_out() {
            for k in j + 1..layer.n_out() {
                let same_in =
                    layer.weights_of(j) == layer.weights_of(k) && layer.b(j) == layer.b(k);
                let same_out = (0..next.n_out()).all(|m| next.w(m, j) == next.w(m, k));
                if same_in && same_out {
                    found.push((l, j, k));
                }
            }
        }
    }
    found
}

fn symmetry(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    let at_start = twins(ev.initial);
    let at_end = twins(ev.final_net);
    for (l, j, k) in at_start {
        if at_end.contains(&(l, j, k)) {
            let (a, b) = (node_name(ev.initial, l, j), node_name(ev.initial, l, k));
            out.push(Diagnostic {
                kind: Kind::Symmetry,
                severity: Severity::Warning,
                epoch: Some(1),
                involved: vec![a.clone(), b.clone()],
                message: format!(
                    "{a} and {b} started equal and receive equal gradients: they will never learn different things"
                ),
            });
        }
    }
}

fn dead_relu(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    let net = ev.final_net;
    let n_in = net.n_inputs();
    if n_in == 0 || ev.train_x.is_empty() {
        return;
    }
    let mut alive: Vec<Vec<bool>> = net
        .layers()
        .iter()
        .map(|l| vec![false; l.n_out()])
        .collect();
    let mut trace = Trace::new(net);
    for row in ev.train_x.chunks_exact(n_in) {
        net.forward_into(row, &mut trace);
        for (l, zs) in trace.z.iter().enumerate() {
            for (j, &z) in zs.iter().enumerate() {
                // NaN is not "dead": divergence reports it.
                if z > 0.0 || z.is_nan() {
                    alive[l][j] = true;
                }
            }
        }
    }
    let ids = net.param_ids();
    for (l, layer) in net.layers().iter().enumerate() {
        if layer.activation != Activation::Relu {
            continue;
        }
        for (j, _) in alive[l].iter().enumerate().filter(|(_, &alive)| !alive) {
            // The neuron's own parameters: its incoming weights and bias.
            let own: Vec<usize> = ids
                .iter()
                .enumerate()
                .filter(|(_, id)| match **id {
                    ParamId::Weight { layer, neuron, .. } | ParamId::Bias { layer, neuron } => {
                        layer == l && neuron == j
                    }
                })
                .map(|(i, _)| i)
                .collect();
            let since = frozen_since(ev.snapshots, &own);
            let name = node_name(net, l, j);
            let when = match since {
                Some(e) => format!(" its parameters have not changed since the end of epoch {e}"),
                None => String::new(),
            };
            out.push(Diagnostic {
                kind: Kind::DeadRelu,
                severity: Severity::Warning,
                epoch: since,
                involved: vec![name.clone()],
                message: format!(
                    "{name} is a dead ReLU: its z is <= 0 for every training row, so its gradient is 0 and it outputs 0;{when}"
                ),
            });
        }
    }
}

/// The first epoch (1-based) after which the given parameters never changed again.
fn frozen_since(snapshots: &[Vec<f64>], params: &[usize]) -> Option<usize> {
    let last = snapshots.last()?;
    let mut since = snapshots.len();
    for e in (0..snapshots.len()).rev() {
        if params
            .iter()
            .all(|&p| snapshots[e][p].to_bits() == last[p].to_bits())
        {
            since = e + 1;
        } else {
            break;
        }
    }
    Some(since)
}

fn oscillation(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    if matches!(ev.status, TrainStatus::Diverged { .. }) || ev.history.len() < 10 {
        return;
    }
    let losses: Vec<f64> = ev.history.iter().map(|r| r.train_loss).collect();
    let rises = losses
        .windows(2)
        .filter(|w| w[1] > w[0] * (1.0 + 1e-9))
        .count();
    let share = rises as f64 / (losses.len() - 1) as f64;
    if rises >= 5 && share >= OSCILLATION_SHARE {
        let first_rise = losses.windows(2).position(|w| w[1] > w[0] * (1.0 + 1e-9));
        out.push(Diagnostic {
            kind: Kind::Oscillation,
            severity: Severity::Warning,
            epoch: first_rise.map(|i| i + 2),
            involved: vec![],
            message: format!(
                "the loss went up in {rises} of {} epochs: the steps overshoot the minimum (try a smaller learning rate)",
                losses.len() - 1
            ),
        });
    }
}

fn stagnation(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    if matches!(ev.status, TrainStatus::Diverged { .. }) {
        return;
    }
    let (Some(first), Some(last)) = (ev.history.first(), ev.history.last()) else {
        return;
    };
    let init = ev.initial.params_flat();
    let fin = ev.final_net.params_flat();
    let unchanged: Vec<String> = ev
        .final_net
        .named_param_ids()
        .into_iter()
        .filter(|(_, id)| {
            let k = ev
                .final_net
                .param_ids()
                .iter()
                .position(|x| x == id)
                .unwrap_or(0);
            init[k].to_bits() == fin[k].to_bits()
        })
        .map(|(n, _)| n)
        .collect();
    let change = (first.train_loss - last.train_loss).abs() / first.train_loss.abs().max(1e-300);
    let loss_flat = first.train_loss > 0.0 && change < STAGNATION_CHANGE && ev.history.len() > 1;
    if loss_flat || !unchanged.is_empty() {
        let frozen: Vec<&String> = unchanged.iter().filter(|n| ev.frozen.contains(n)).collect();
        let zero_grad: Vec<&String> = unchanged
            .iter()
            .filter(|n| !ev.frozen.contains(n))
            .collect();
        let mut parts = Vec::new();
        if loss_flat {
            parts.push(format!(
                "the loss barely moved ({} -> {}, {:.2e} relative)",
                first.train_loss, last.train_loss, change
            ));
        }
        if !zero_grad.is_empty() {
            parts.push(format!(
                "{} never changed (their gradient stayed 0)",
                join(&zero_grad)
            ));
        }
        if !frozen.is_empty() {
            parts.push(format!("{} were frozen", join(&frozen)));
        }
        out.push(Diagnostic {
            kind: Kind::Stagnation,
            severity: if loss_flat || !zero_grad.is_empty() {
                Severity::Warning
            } else {
                Severity::Info
            },
            epoch: None,
            involved: unchanged.clone(),
            message: parts.join("; "),
        });
    }
}

fn join(names: &[&String]) -> String {
    names
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn largest_movers(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    let init = ev.initial.params_flat();
    let fin = ev.final_net.params_flat();
    let ids = ev.final_net.param_ids();
    let mut moves: Vec<(String, f64)> = ev
        .final_net
        .named_param_ids()
        .into_iter()
        .filter_map(|(n, id)| {
            let k = ids.iter().position(|x| *x == id)?;
            Some((n, (fin[k] - init[k]).abs()))
        })
        .filter(|(_, d)| d.is_finite())
        .collect();
    if moves.is_empty() {
        return;
    }
    moves.sort_by(|a, b| b.1.total_cmp(&a.1));
    let top: Vec<String> = moves
        .iter()
        .take(3)
        .map(|(n, d)| format!("{n} ({d:.4})"))
        .collect();
    let least: Vec<String> = moves
        .iter()
        .rev()
        .take(3)
        .map(|(n, d)| format!("{n} ({d:.4})"))
        .collect();
    out.push(Diagnostic {
        kind: Kind::LargestMovers,
        severity: Severity::Info,
        epoch: None,
        involved: moves.iter().map(|(n, _)| n.clone()).collect(),
        message: format!(
            "moved most: {}; moved least: {}",
            top.join(", "),
            least.join(", ")
        ),
    });
}
