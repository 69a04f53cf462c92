//! Stepping a [`Trainer`] by samples, batches and epochs, and comparing its outcome with
//! `train`'s bit for bit (shared by `tests/trainer.rs` and `tests/classification.rs`).

use nnlab_core::Network;
use nnlab_train::{train, EpochRecord, Event, Samples, TrainConfig, TrainOutcome, Trainer, Unit};

/// How a run is stepped: each pattern is repeated until the run ends.
pub const PATTERNS: [&[(Unit, usize)]; 4] = [
    &[(Unit::Sample, 1)],
    &[(Unit::Batch, 1)],
    &[(Unit::Epoch, 1)],
    &[
        (Unit::Sample, 3),
        (Unit::Batch, 2),
        (Unit::Epoch, 1),
        (Unit::Sample, 17),
        (Unit::Epoch, 2),
        (Unit::Batch, 1),
    ],
];

/// Steps a trainer by `pattern` until `cfg.epochs` epochs ran or the run ended; returns
/// the outcome and the events of the steps.
pub fn stepped(
    net: &Network,
    cfg: &TrainConfig,
    train_set: &Samples,
    test_set: Option<&Samples>,
    pattern: &[(Unit, usize)],
) -> (TrainOutcome, Vec<Event>) {
    let mut t = Trainer::new(net.clone(), cfg, train_set, test_set).expect("a valid run");
    let mut events = Vec::new();
    'run: loop {
        for &(unit, count) in pattern {
            // Never past the configured epochs: sample and batch steps stop at its end.
            if !t.is_running() || t.epoch() == cfg.epochs {
                break 'run;
            }
            let count = match unit {
                Unit::Epoch => count.min(cfg.epochs - t.epoch()),
                _ => count.min(cfg.epochs * t.n_rows() - t.epoch() * t.n_rows() - t.position()),
            };
            let count = if unit == Unit::Batch {
                count.min((t.n_rows() - t.position()).div_ceil(t.batch_rows()))
            } else {
                count
            };
            t.step(train_set, test_set, unit, count, &mut |e| {
                events.push(e.clone())
            })
            .expect("same sets");
        }
    }
    let out = t.finish(&mut |_| {});
    (out, events)
}

pub fn bits(h: &[EpochRecord]) -> Vec<(usize, u64, Option<u64>, u64)> {
    h.iter()
        .map(|r| {
            (
                r.epoch,
                r.train_loss.to_bits(),
                r.test_loss.map(f64::to_bits),
                r.lr.to_bits(),
            )
        })
        .collect()
}

pub fn param_bits(net: &Network) -> Vec<u64> {
    net.params_flat().iter().map(|v| v.to_bits()).collect()
}

/// `train`'s outcome and events, without its `Start` and `Finished` framing.
pub fn reference(
    net: &Network,
    cfg: &TrainConfig,
    train_set: &Samples,
    test_set: Option<&Samples>,
) -> (TrainOutcome, Vec<Event>) {
    let mut net = net.clone();
    let mut events = Vec::new();
    let out = train(&mut net, train_set, test_set, cfg, &mut |e| {
        events.push(e.clone())
    })
    .expect("a valid run");
    events.retain(|e| {
        !matches!(
            e,
            Event::Start { .. }
                | Event::Finished
                | Event::StoppedEarly { .. }
                | Event::Diverged { .. }
        )
    });
    (out, events)
}

pub fn assert_same(a: &TrainOutcome, b: &TrainOutcome, what: &str) {
    assert_eq!(bits(&a.history), bits(&b.history), "{what}: history");
    assert_eq!(
        param_bits(&a.final_net),
        param_bits(&b.final_net),
        "{what}: final parameters"
    );
    assert_eq!(a.status, b.status, "{what}: status");
    assert_eq!(a.best_epoch, b.best_epoch, "{what}: best epoch");
    assert_eq!(a.sample_steps, b.sample_steps, "{what}: sample steps");
}
