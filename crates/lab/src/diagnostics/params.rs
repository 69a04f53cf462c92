//! What the parameters say: symmetric twins, frozen parameters (and the gradient they would
//! get) and which parameters moved most and least.

use std::collections::HashMap;

use nnlab_core::Network;
use nnlab_report::sig4;
use nnlab_train::curvature;

use super::{join_capped, named_values, node_name, Diagnostic, Evidence, Kind, Severity};

/// What makes a hidden neuron `j` of layer `l` a copy of another: its incoming weights, its
/// bias and its outgoing weights, as bits (with `-0` read as `0`, so the key is equal exactly
/// when the values are `==`); `None` when one is NaN (NaN equals nothing).
fn signature(net: &Network, l: usize, j: usize) -> Option<Vec<u64>> {
    let (layer, next) = (&net.layers()[l], &net.layers()[l + 1]);
    let values = layer.weights_of(j).iter().copied().chain([layer.b(j)]);
    let values = values.chain((0..next.n_out()).map(|m| next.w(m, j)));
    values
        .map(|v| (!v.is_nan()).then_some((v + 0.0).to_bits()))
        .collect()
}

/// The groups of two or more hidden neurons of one layer that are exact copies (same
/// incoming weights, bias and outgoing weights), so every gradient they receive is the same:
/// `(layer, neurons)` in neuron order. One pass keyed by each neuron's [`signature`], so the
/// cost is linear in the parameters (comparing every pair was quadratic in the width: minutes
/// for `2-100000-1`).
fn twins(net: &Network) -> Vec<(usize, Vec<usize>)> {
    let mut found = Vec::new();
    for l in 0..net.layers().len().saturating_sub(1) {
        let mut groups: HashMap<Vec<u64>, Vec<usize>> = HashMap::new();
        for j in 0..net.layers()[l].n_out() {
            if let Some(sig) = signature(net, l, j) {
                groups.entry(sig).or_default().push(j);
            }
        }
        let mut copies: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
        copies.sort_unstable();
        found.extend(copies.into_iter().map(|g| (l, g)));
    }
    found
}

pub(super) fn symmetry(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    // Neurons that started as copies and are still copies at the end: within each starting
    // group, those whose end signature is the same.
    for (l, group) in twins(ev.initial) {
        let mut still: HashMap<Vec<u64>, Vec<usize>> = HashMap::new();
        for &j in &group {
            if let Some(sig) = signature(ev.final_net, l, j) {
                still.entry(sig).or_default().push(j);
            }
        }
        let mut copies: Vec<Vec<usize>> = still.into_values().filter(|g| g.len() > 1).collect();
        copies.sort_unstable();
        for g in copies {
            let names: Vec<String> = g.iter().map(|&j| node_name(ev.initial, l, j)).collect();
            let message = format!(
                "{} started equal and receive equal gradients: they will never learn different things",
                join_capped(&names)
            );
            out.push(Diagnostic::warning(Kind::Symmetry, names, message).at(Some(1), None));
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

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab_core::Activation;

    // A 2-4-1 network whose hidden neurons 1, 2 and 4 are copies: incoming (1, 2), bias 0
    // (neuron 4's is -0.0, `==` to 0.0 as the old pairwise comparison had it), outgoing 3.
    // Neuron 3 has bias 0.5 and outgoing 4. One group {0, 1, 3}, found in one pass.
    #[test]
    fn twins_are_grouped_by_their_values() {
        let mut net =
            Network::zeros(&[2, 4, 1], &[Activation::Relu, Activation::Identity]).unwrap();
        let layers = net.layers_mut();
        for j in 0..4 {
            layers[0].set_w(j, 0, 1.0);
            layers[0].set_w(j, 1, 2.0);
            layers[1].set_w(0, j, 3.0);
        }
        layers[0].set_b(3, -0.0);
        layers[0].set_b(2, 0.5);
        layers[1].set_w(0, 2, 4.0);
        assert_eq!(twins(&net), vec![(0, vec![0, 1, 3])]);
        // A NaN equals nothing: neuron 2 (index 1) with a NaN weight is no one's twin.
        net.layers_mut()[0].set_w(1, 0, f64::NAN);
        assert_eq!(twins(&net), vec![(0, vec![0, 3])]);
    }

    #[test]
    fn long_name_lists_are_capped() {
        let names: Vec<String> = (1..=6).map(|j| format!("L1.n{j}")).collect();
        assert_eq!(join_capped(&names[..3]), "L1.n1, L1.n2 and L1.n3");
        assert_eq!(
            join_capped(&names),
            "L1.n1, L1.n2, L1.n3, ... and L1.n6 (6 neurons)"
        );
    }
}
