//! Which ReLU neurons are off (`z <= 0`) for a set of rows, and the constant output they
//! cause.

use nnlab_core::{Activation, Network, Trace};
use nnlab_report::sig4;
use nnlab_train::predict_all;

use super::{join_capped, node_name, Diagnostic, Evidence, Kind};
use crate::verdict::{JudgedOn, Spread, STUCK_SAME_SHARE, STUCK_SPREAD};

/// A ReLU with this `z` passes a gradient. A NaN `z` counts as on: it is not "dead",
/// divergence reports it.
fn is_on(z: f64) -> bool {
    z > 0.0 || z.is_nan()
}

/// The ReLU neurons `(layer, neuron)` of `net` whose `z` is `<= 0` for every row of `x`
/// (row-major, `net.n_inputs()` wide) picked by `keep`; none when no row is picked.
pub(super) fn off_for(
    net: &Network,
    x: &[f64],
    keep: impl Fn(usize) -> bool,
) -> Vec<(usize, usize)> {
    let n_in = net.n_inputs();
    if n_in == 0 {
        return Vec::new();
    }
    let mut on: Vec<Vec<bool>> = net
        .layers()
        .iter()
        .map(|l| vec![l.activation != Activation::Relu; l.n_out()])
        .collect();
    let mut trace = Trace::new(net);
    let mut any = false;
    let picked = x
        .chunks_exact(n_in)
        .enumerate()
        .filter(|(r, _)| keep(*r))
        .map(|(_, row)| row);
    for row in picked {
        any = true;
        net.forward_into(row, &mut trace);
        for (l, zs) in trace.z.iter().enumerate() {
            for (j, &z) in zs.iter().enumerate() {
                if is_on(z) {
                    on[l][j] = true;
                }
            }
        }
        // Every ReLU was on for some row: a healthy network costs a few forward passes.
        if on.iter().all(|l| l.iter().all(|&o| o)) {
            return Vec::new();
        }
    }
    if !any {
        return Vec::new();
    }
    on.iter()
        .enumerate()
        .flat_map(|(l, ns)| {
            ns.iter()
                .enumerate()
                .filter(|(_, &o)| !o)
                .map(move |(j, _)| (l, j))
        })
        .collect()
}

/// For each ReLU neuron `(l, j)` of `candidates`, whether `net` has its `z <= 0` for every
/// row of `x`: one forward pass per row for all of them (not one per neuron, which made the
/// diagnostics quadratic in the width), stopping at the row by which every candidate was on,
/// so live neurons cost about one forward pass in all.
pub(super) fn off_among(
    net: &Network,
    x: &[f64],
    candidates: &[(usize, usize)],
    trace: &mut Trace,
) -> Vec<bool> {
    let n_in = net.n_inputs();
    let mut off = vec![!(n_in == 0 || x.is_empty()); candidates.len()];
    let mut left = off.iter().filter(|&&o| o).count();
    for row in x.chunks_exact(n_in.max(1)) {
        if left == 0 {
            break;
        }
        net.forward_into(row, trace);
        for (k, &(l, j)) in candidates.iter().enumerate() {
            if off[k] && is_on(trace.z[l][j]) {
                off[k] = false;
                left -= 1;
            }
        }
    }
    off
}

/// The output is (almost) the same for (almost) every training row: says how many rows and
/// which ReLUs are off for them.
pub(super) fn constant_output(ev: &Evidence, out: &mut Vec<Diagnostic>) {
    let net = ev.final_net;
    if ev.diverged() || net.n_outputs() != 1 || ev.train.n_rows() == 0 {
        return;
    }
    // Targets that are all equal (a one-row table such as `builtin:course`) are fitted by a
    // constant: a constant output is then no fault (the verdict says the fit cannot be judged).
    if ev.train.y.windows(2).all(|w| w[0] == w[1]) {
        return;
    }
    // The verdict measured the spread already when it judged the training rows: a run whose
    // output varies (nearly every run of a sweep) needs no second pass over them.
    if let Some(v) = ev.verdict.filter(|v| v.judged_on == JudgedOn::Train) {
        if v.spread.same_share < STUCK_SAME_SHARE
            && (v.spread.ratio >= STUCK_SPREAD || v.spread.ratio.is_nan())
        {
            return;
        }
    }
    let pred = predict_all(net, &ev.train);
    let sp = Spread::of(&pred, ev.train.y);
    let n = pred.len();
    let same = |r: usize| pred[r].to_bits() == sp.same_value.to_bits();
    let (lead, off) = if sp.same_share >= STUCK_SAME_SHARE {
        (
            format!(
                "{}% of the {n} train rows get the same prediction, {} (scaled units)",
                sig4(sp.same_share * 100.0),
                sig4(sp.same_value)
            ),
            off_for(net, ev.train.x, same),
        )
    } else if sp.ratio < STUCK_SPREAD {
        (
            format!(
                "the predictions on the {n} train rows vary {}% as much as the targets",
                sig4(sp.ratio * 100.0)
            ),
            off_for(net, ev.train.x, |_| true),
        )
    } else {
        return;
    };
    let names: Vec<String> = off.iter().map(|&(l, j)| node_name(net, l, j)).collect();
    let last = net.layers().len() - 1;
    let hidden_all_off = (0..last).find(|&l| {
        let width = net.layers()[l].n_out();
        off.iter().filter(|&&(ol, _)| ol == l).count() == width
    });
    let cause = if off.iter().any(|&(l, _)| l == last) {
        format!(
            "{}'s z is <= 0 for them, so the output ReLU gives 0",
            node_name(net, last, 0)
        )
    } else if let Some(l) = hidden_all_off {
        let layer: Vec<String> = (0..net.layers()[l].n_out())
            .map(|j| node_name(net, l, j))
            .collect();
        format!(
            "every neuron of hidden layer {} ({}) has z <= 0 for them, so the output sees only the biases after it",
            l + 1,
            join_capped(&layer)
        )
    } else if !names.is_empty() {
        format!("{} have z <= 0 for them", join_capped(&names))
    } else {
        "no ReLU is off for them: the output barely depends on the inputs".into()
    };
    out.push(Diagnostic::warning(
        Kind::ConstantOutput,
        names,
        format!("{lead}: {cause}"),
    ));
}
