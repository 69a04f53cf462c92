//! What the parameters say: symmetric twins, frozen parameters (and the gradient they would
//! get) and which parameters moved most and least.

use nnlab_core::Network;
use nnlab_report::sig4;
use nnlab_train::curvature;

use super::{named_values, node_name, Diagnostic, Evidence, Kind, Severity};

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

pub(super) fn symmetry(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    let at_end = twins(ev.final_net);
    for (l, j, k) in twins(ev.initial) {
        if at_end.contains(&(l, j, k)) {
            let (a, b) = (node_name(ev.initial, l, j), node_name(ev.initial, l, k));
            out.push(
                Diagnostic::warning(
                    Kind::Symmetry,
                    vec![a.clone(), b.clone()],
                    format!(
                        "{a} and {b} started equal and receive equal gradients: they will never learn different things"
                    ),
                )
                .at(Some(1), None),
            );
        }
    }
}

/// Each frozen parameter, the value it was held at and `dL/dp` of the mean training loss
/// at the end: what training it would have done.
pub(super) fn frozen(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    let frozen = ev.frozen_ids();
    if frozen.is_empty() || ev.diverged() || ev.train.n_rows() == 0 {
        return;
    }
    let net = ev.final_net;
    let grads = curvature::mean_gradient(net, &ev.train, ev.cfg.loss).flat();
    for (name, id, g) in named_values(net, &grads) {
        if !frozen.contains(&id) {
            continue;
        }
        let effect = if g == 0.0 {
            "so training it would not change the loss (to first order)".to_string()
        } else {
            let dir = if g > 0.0 { "lowering" } else { "raising" };
            format!("so training it would lower the loss (by {dir} {name})")
        };
        out.push(Diagnostic::warning(
            Kind::Frozen,
            vec![name.clone()],
            format!(
                "{name} was frozen at {}: at the end dL/d{name} = {}, {effect}",
                sig4(net.get(id)),
                sig4(g)
            ),
        ));
    }
}

pub(super) fn largest_movers(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    let mut moves: Vec<(String, f64)> = ev
        .final_net
        .named_param_ids()
        .into_iter()
        .map(|(n, id)| (n, (ev.final_net.get(id) - ev.initial.get(id)).abs()))
        .filter(|(_, d)| d.is_finite())
        .collect();
    // Nothing moved (before training, or everything frozen or dead): nothing to rank.
    if moves.iter().all(|(_, d)| *d == 0.0) {
        return;
    }
    moves.sort_by(|a, b| b.1.total_cmp(&a.1));
    let show = |m: &[(String, f64)]| -> String {
        m.iter()
            .map(|(n, d)| format!("{n} ({})", sig4(*d)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let top = &moves[..moves.len().min(3)];
    // The least movers not already named as the most (a small network has few).
    let least: Vec<(String, f64)> = moves[top.len()..].iter().rev().take(3).cloned().collect();
    let mut message = format!("moved most: {}", show(top));
    if !least.is_empty() {
        message.push_str(&format!("; moved least: {}", show(&least)));
    }
    out.push(Diagnostic {
        severity: Severity::Info,
        ..Diagnostic::warning(
            Kind::LargestMovers,
            moves.iter().map(|(n, _)| n.clone()).collect(),
            message,
        )
    });
}
