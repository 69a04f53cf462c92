//! Diagnostics that name what went wrong in a run, and why, in plain words.
//!
//! Each finding is a [`Diagnostic`]: a kind, a severity, the epoch and sample it refers to,
//! the neurons or parameters involved and one sentence whose numbers have 4 significant
//! digits (`nnlab_report::sig4`). Warnings point at a problem: divergence, an exploding
//! loss, a constant output (and which neurons make it so), symmetry, a dead ReLU (and the
//! update that killed it), a frozen parameter (and the gradient it would get), oscillation,
//! overshooting (and the learning rate that would not overshoot), stagnation, slow learning;
//! for a classification run a class never predicted and all outputs saturated.
//! The one `info` entry lists the parameters that moved most and least. A healthy run has
//! no warnings.
//!
//! Two depths ([`Depth`]): [`Depth::Full`] (`nnlab train`, `run_on`) replays the run once
//! when a ReLU died, to find the sample and update that killed it, and estimates the
//! curvature of the loss when it overshoots; [`Depth::Kinds`] (the lane sweep, the
//! playground) finds the same kinds without those two, so it costs about one pass over the
//! rows.

mod cause;
mod classes;
mod death;
mod loss;
mod params;

use serde::{Deserialize, Serialize};

use nnlab_core::{Network, ParamId};
use nnlab_train::{EpochRecord, Samples, TrainConfig, TrainStatus};

use crate::verdict::Verdict;

pub use classes::{saturated_logit, SATURATED_P};
pub use loss::{
    overshoots, EXPLODING_FACTOR, OSCILLATION_SHARE, OVERSHOOT_RISE, STAGNATION_CHANGE,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Symmetry,
    DeadRelu,
    ConstantOutput,
    Divergence,
    Exploding,
    Oscillation,
    Overshooting,
    Stagnation,
    SlowLearning,
    Frozen,
    NeverPredicted,
    Saturated,
    LargestMovers,
}

impl Kind {
    /// Every kind (for reading `runs.csv` back and for counting kinds over runs).
    pub const ALL: [Kind; 13] = [
        Kind::Symmetry,
        Kind::DeadRelu,
        Kind::ConstantOutput,
        Kind::Divergence,
        Kind::Exploding,
        Kind::Oscillation,
        Kind::Overshooting,
        Kind::Stagnation,
        Kind::SlowLearning,
        Kind::Frozen,
        Kind::NeverPredicted,
        Kind::Saturated,
        Kind::LargestMovers,
    ];

    /// The snake_case name (as in `result.json` and `runs.csv`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Symmetry => "symmetry",
            Kind::DeadRelu => "dead_relu",
            Kind::ConstantOutput => "constant_output",
            Kind::Divergence => "divergence",
            Kind::Exploding => "exploding",
            Kind::Oscillation => "oscillation",
            Kind::Overshooting => "overshooting",
            Kind::Stagnation => "stagnation",
            Kind::SlowLearning => "slow_learning",
            Kind::Frozen => "frozen",
            Kind::NeverPredicted => "never_predicted",
            Kind::Saturated => "saturated",
            Kind::LargestMovers => "largest_movers",
        }
    }

    /// The outcome this kind of finding says again in other words (a slow-learning warning
    /// is the cause of `still_improving`), so a report quoting both says it once.
    pub fn restates(self) -> Option<crate::verdict::Outcome> {
        use crate::verdict::Outcome;
        match self {
            Kind::SlowLearning => Some(Outcome::StillImproving),
            Kind::ConstantOutput => Some(Outcome::Stuck),
            Kind::Divergence => Some(Outcome::Diverged),
            Kind::Oscillation => Some(Outcome::Oscillating),
            _ => None,
        }
    }

    /// The kind named `s` (as written by [`Kind::name`]).
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
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
    /// The sample (1-based, within `epoch`) the finding refers to, when there is one.
    /// Stored runs from before it was added read as `None`.
    #[serde(default)]
    pub sample: Option<usize>,
    /// Neurons (`node 1`, `L1.n2`) or parameters (`w1`, `L1.w[2][1]`) involved.
    pub involved: Vec<String>,
    pub message: String,
}

impl Diagnostic {
    /// A warning about the whole run (no epoch or sample).
    fn warning(kind: Kind, involved: Vec<String>, message: String) -> Diagnostic {
        Diagnostic {
            kind,
            severity: Severity::Warning,
            epoch: None,
            sample: None,
            involved,
            message,
        }
    }

    fn at(mut self, epoch: Option<usize>, sample: Option<usize>) -> Diagnostic {
        self.epoch = epoch;
        self.sample = sample;
        self
    }
}

/// How much work the diagnostics may do (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// The kinds and what one pass over the rows tells.
    Kinds,
    /// Also replay the run (at most once, only when a ReLU died) and estimate the loss's
    /// curvature (only when it overshoots).
    Full,
}

/// What the diagnostics look at.
pub struct Evidence<'a> {
    pub initial: &'a Network,
    pub final_net: &'a Network,
    pub history: &'a [EpochRecord],
    pub status: &'a TrainStatus,
    /// The run's verdict, when it has one (a playground session in progress has none).
    pub verdict: Option<&'a Verdict>,
    /// The training rows (scaled), the rows the network was trained on.
    pub train: Samples<'a>,
    /// The test rows (scaled), for the replay (its early stopping reads the test loss).
    pub test: Option<Samples<'a>>,
    /// The training configuration: rate, loss, frozen parameters; the replay runs it.
    pub cfg: &'a TrainConfig,
    /// Parameters flat ([`Network::params_flat`] order) at the end of each epoch.
    pub snapshots: &'a [Vec<f64>],
    pub depth: Depth,
}

impl Evidence<'_> {
    fn diverged(&self) -> bool {
        matches!(self.status, TrainStatus::Diverged { .. })
    }

    /// The mean training loss of each completed epoch.
    fn train_loss(&self) -> Vec<f64> {
        self.history.iter().map(|r| r.train_loss).collect()
    }

    /// The parameters the configuration freezes (none when it does not fit the network).
    /// A set, so asking about every parameter stays linear in the network's size.
    fn frozen_ids(&self) -> std::collections::HashSet<ParamId> {
        (self.cfg.frozen_params(self.final_net).unwrap_or_default())
            .into_iter()
            .collect()
    }
}

/// Every finding, warnings first, in a fixed order.
pub fn diagnose(ev: &Evidence) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    loss::divergence(ev, &mut out);
    cause::constant_output(ev, &mut out);
    params::symmetry(ev, &mut out);
    death::dead_relu(ev, &mut out);
    params::frozen(ev, &mut out);
    loss::oscillation(ev, &mut out);
    loss::overshooting(ev, &mut out);
    loss::stagnation(ev, &mut out);
    loss::slow_learning(ev, &mut out);
    classes::classes(ev, &mut out);
    params::largest_movers(ev, &mut out);
    out
}

/// A neuron's name: `node 3` in the course network, `L2.n1` otherwise.
fn node_name(net: &Network, layer: usize, neuron: usize) -> String {
    if net.is_course_shape() {
        format!("node {}", layer * 2 + neuron + 1)
    } else {
        format!("L{}.n{}", layer + 1, neuron + 1)
    }
}

/// `a, b and c`.
fn join(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `a and b`, `a, b and c` up to five names; past that the first three, the last and the
/// count (`L1.n1, L1.n2, L1.n3, ... and L1.n100000 (100000 neurons)`), so a message stays a
/// line long however wide the layer.
fn join_capped(names: &[String]) -> String {
    match names {
        [first, second, third, .., last] if names.len() > 5 => {
            format!(
                "{first}, {second}, {third}, ... and {last} ({} neurons)",
                names.len()
            )
        }
        _ => join(names),
    }
}

/// Each parameter of `net` in display order (`w1..w6, b1..b3` on the course network) with
/// its name, id and its entry of `flat` (given in [`Network::param_ids`] order, as
/// [`Network::params_flat`] and `Gradients::flat` are).
fn named_values(net: &Network, flat: &[f64]) -> Vec<(String, ParamId, f64)> {
    let ids = net.param_ids();
    net.named_param_ids()
        .into_iter()
        .enumerate()
        .map(|(k, (name, id))| {
            // Display order is flat order except on the course network (9 parameters).
            let pos = if ids.get(k) == Some(&id) {
                k
            } else {
                ids.iter().position(|x| *x == id).unwrap_or(k)
            };
            (name, id, flat.get(pos).copied().unwrap_or(f64::NAN))
        })
        .collect()
}

/// The network with the flat parameters `params` (a copy of `like` otherwise).
fn with_params(like: &Network, params: &[f64]) -> Network {
    let mut net = like.clone();
    // A snapshot always has the network's length; were it not, the copy stays as it was.
    let _ = net.set_params_flat(params);
    net
}
