//! Dead ReLUs, and when and how each died.
//!
//! A ReLU neuron is dead when its `z` is `<= 0` for every training row: its output is 0 and
//! so is every gradient through it, so nothing brings it back. The end-of-epoch snapshots
//! tell in which epoch it died; with [`Depth::Full`] the run is replayed (the trainer gives
//! the same bits as `train()`) up to that epoch and then sample by sample through it, to
//! name the update that pushed `z` below 0: at most one rerun, and only when a ReLU died
//! during training.

use std::collections::HashMap;

use nnlab_core::{Network, ParamId, Trace};
use nnlab_report::sig4;
use nnlab_train::{ParamUpdate, Trainer, Unit, UpdatePreview};

use super::cause::{off_among, off_for};
use super::{node_name, with_params, Depth, Diagnostic, Evidence, Kind};

/// When a neuron died, as the snapshots tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Died {
    /// Dead at the initial parameters.
    FromTheStart,
    /// Alive at the end of epoch `e - 1`, dead at the end of epoch `e`.
    InEpoch(usize),
    /// No snapshots to tell.
    Unknown,
}

/// The update that killed a neuron.
#[derive(Debug, Clone, PartialEq)]
struct Moment {
    epoch: usize,
    sample: usize,
    /// The parameter that moved most in that update (the neuron's own when one moved).
    param: String,
    change: f64,
    gradient: f64,
    lr: f64,
    batch: usize,
}

pub(super) fn dead_relu(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    let net = ev.final_net;
    let x = ev.train.x;
    if ev.train.n_rows() == 0 || net.n_inputs() == 0 {
        return;
    }
    let dead = off_for(net, x, |_| true);
    if dead.is_empty() {
        return;
    }
    let died = died(ev, &dead);
    let moments = if ev.depth == Depth::Full && !ev.diverged() {
        replay(ev, &dead, &died)
    } else {
        vec![None; dead.len()]
    };
    for ((&(l, j), when), moment) in dead.iter().zip(&died).zip(moments) {
        let name = node_name(net, l, j);
        let what = "its z is <= 0 for every training row, so its gradient is 0 and it outputs 0";
        let d = match (when, moment) {
            (_, Some(m)) => Diagnostic::warning(
                Kind::DeadRelu,
                vec![name.clone(), m.param.clone()],
                format!(
                    "{name} died in epoch {} at sample {}: the update of {p} by {} (dL/d{p} = {}{}, lr {}) pushed its z below 0 for every training row, so its gradient is 0 from then on",
                    m.epoch,
                    m.sample,
                    sig4(m.change),
                    sig4(m.gradient),
                    if m.batch > 1 { format!(" over its batch of {}", m.batch) } else { String::new() },
                    sig4(m.lr),
                    p = m.param,
                ),
            )
            .at(Some(m.epoch), Some(m.sample)),
            (Died::FromTheStart, None) => Diagnostic::warning(
                Kind::DeadRelu,
                vec![name.clone()],
                format!("{name} is a dead ReLU from the start: {what}"),
            )
            .at(Some(1), None),
            (Died::InEpoch(e), None) => Diagnostic::warning(
                Kind::DeadRelu,
                vec![name.clone()],
                format!("{name} is a dead ReLU since epoch {e}: {what}"),
            )
            .at(Some(*e), None),
            (Died::Unknown, None) => Diagnostic::warning(
                Kind::DeadRelu,
                vec![name.clone()],
                format!("{name} is a dead ReLU: {what}"),
            ),
        };
        out.push(d);
    }
}

/// In which epoch each ReLU of `dead` died, from the snapshots: one pass over the rows per
/// snapshot for all the neurons still undecided, stopping when none is left.
fn died(ev: &Evidence, dead: &[(usize, usize)]) -> Vec<Died> {
    if ev.snapshots.is_empty() {
        return vec![Died::Unknown; dead.len()];
    }
    let x = ev.train.x;
    let mut trace = Trace::new(ev.initial);
    let mut out: Vec<Died> = off_among(ev.initial, x, dead, &mut trace)
        .into_iter()
        .map(|off| {
            if off {
                Died::FromTheStart
            } else {
                Died::Unknown
            }
        })
        .collect();
    let mut pending: Vec<usize> = (0..dead.len())
        .filter(|&i| out[i] == Died::Unknown)
        .collect();
    for (e, s) in ev.snapshots.iter().enumerate() {
        if pending.is_empty() {
            break;
        }
        let net = with_params(ev.initial, s);
        let candidates: Vec<(usize, usize)> = pending.iter().map(|&i| dead[i]).collect();
        let off = off_among(&net, x, &candidates, &mut trace);
        for (&i, _) in pending.iter().zip(&off).filter(|(_, &o)| o) {
            out[i] = Died::InEpoch(e + 1);
        }
        pending = pending
            .into_iter()
            .zip(off)
            .filter_map(|(i, o)| (!o).then_some(i))
            .collect();
    }
    out
}

/// Replays the run through the epochs in which the `dead` neurons died and returns, for
/// each, the update after which it was off for every row.
fn replay(ev: &Evidence, dead: &[(usize, usize)], died: &[Died]) -> Vec<Option<Moment>> {
    let mut found: Vec<Option<Moment>> = vec![None; dead.len()];
    let epochs: Vec<usize> = died
        .iter()
        .filter_map(|d| match d {
            Died::InEpoch(e) => Some(*e),
            _ => None,
        })
        .collect();
    let (Some(&first), Some(&last)) = (epochs.iter().min(), epochs.iter().max()) else {
        return found;
    };
    let test = ev.test.as_ref();
    let Ok(mut t) = Trainer::new(ev.initial.clone(), ev.cfg, &ev.train, test) else {
        return found;
    };
    if first > 1
        && t.step(&ev.train, test, Unit::Epoch, first - 1, &mut |_| {})
            .is_err()
    {
        return found;
    }
    let pending: Vec<usize> = (0..dead.len())
        .filter(|&i| matches!(died[i], Died::InEpoch(_)))
        .collect();
    let mut trace = Trace::new(ev.final_net);
    while t.is_running() && t.epoch() < last && pending.iter().any(|&i| found[i].is_none()) {
        let before = t.snapshot();
        let params = t.network().params_flat();
        if t.step(&ev.train, test, Unit::Sample, 1, &mut |_| {})
            .is_err()
        {
            break;
        }
        let net = t.network();
        if same_bits(&net.params_flat(), &params) {
            continue;
        }
        let open: Vec<usize> = pending
            .iter()
            .copied()
            .filter(|&i| found[i].is_none())
            .collect();
        let candidates: Vec<(usize, usize)> = open.iter().map(|&i| dead[i]).collect();
        let off = off_among(net, ev.train.x, &candidates, &mut trace);
        let newly: Vec<usize> = open
            .into_iter()
            .zip(off)
            .filter_map(|(i, o)| o.then_some(i))
            .collect();
        if newly.is_empty() {
            continue;
        }
        // What the killing step did: preview it from the state just before it.
        let mut probe = t.clone();
        probe.restore(before);
        let Ok(Some(preview)) = probe.preview(&ev.train) else {
            break;
        };
        let killed: Vec<(usize, usize)> = newly.iter().map(|&i| dead[i]).collect();
        let moments = moments(&preview, probe.network(), &killed);
        for (i, m) in newly.into_iter().zip(moments) {
            found[i] = m;
        }
    }
    found
}

fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// The killing update of each neuron `(l, j)` of `killed` (all killed by the update `p`):
/// the parameter that moved most, the neuron's own (incoming weights and bias) when one of
/// them moved. One pass over the parameters for all of them, not one per neuron.
fn moments(p: &UpdatePreview, net: &Network, killed: &[(usize, usize)]) -> Vec<Option<Moment>> {
    let index: HashMap<(usize, usize), usize> =
        killed.iter().enumerate().map(|(k, &n)| (n, k)).collect();
    let size = |u: &ParamUpdate| (u.after - u.before).abs();
    let larger = |best: Option<&ParamUpdate>, u: &ParamUpdate| {
        best.is_none_or(|b| size(u).total_cmp(&size(b)).is_ge())
    };
    let mut own: Vec<Option<&ParamUpdate>> = vec![None; killed.len()];
    let mut any: Option<&ParamUpdate> = None;
    for ((_, id), u) in net.named_param_ids().into_iter().zip(&p.params) {
        if u.after.to_bits() == u.before.to_bits() {
            continue;
        }
        if larger(any, u) {
            any = Some(u);
        }
        let (ParamId::Weight { layer, neuron, .. } | ParamId::Bias { layer, neuron }) = id;
        if let Some(&k) = index.get(&(layer, neuron)) {
            if larger(own[k], u) {
                own[k] = Some(u);
            }
        }
    }
    own.into_iter()
        .map(|o| {
            let u = o.or(any)?;
            Some(Moment {
                epoch: p.epoch,
                sample: p.sample,
                param: u.name.clone(),
                change: u.after - u.before,
                gradient: u.gradient.unwrap_or(f64::NAN),
                lr: p.lr,
                batch: p.batch_size,
            })
        })
        .collect()
}
