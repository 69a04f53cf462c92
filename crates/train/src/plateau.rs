//! Keras's ReduceLROnPlateau: the trainer's state machine for [`Schedule::Plateau`].

use crate::Schedule;

/// Keras's ReduceLROnPlateau as a state machine, fed the monitored loss after each epoch.
///
/// ```text
/// if cooldown_counter > 0:  cooldown_counter -= 1; wait = 0
/// if loss < best - min_delta:  best = loss; wait = 0
/// elif cooldown_counter == 0:
///     wait += 1
///     if wait >= patience and lr > min_lr:
///         lr = max(lr·factor, min_lr); cooldown_counter = cooldown; wait = 0
/// ```
///
/// (Keras compares `lr > float32(min_lr)`; here both are `f64`.) A reduction decided at the
/// end of epoch `e` applies from epoch `e + 1`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlateauState {
    factor: f64,
    patience: usize,
    min_delta: f64,
    cooldown: usize,
    min_lr: f64,
    /// The current learning rate.
    pub lr: f64,
    /// The best monitored loss so far (`+inf` at the start).
    best: f64,
    wait: usize,
    cooldown_counter: usize,
}

impl PlateauState {
    /// The state at the start of training; `None` unless `schedule` is a plateau.
    pub(crate) fn new(schedule: &Schedule, lr: f64) -> Option<PlateauState> {
        match *schedule {
            Schedule::Plateau {
                factor,
                patience,
                min_delta,
                cooldown,
                min_lr,
            } => Some(PlateauState {
                factor,
                patience,
                min_delta,
                cooldown,
                min_lr,
                lr,
                best: f64::INFINITY,
                wait: 0,
                cooldown_counter: 0,
            }),
            _ => None,
        }
    }

    /// Feeds one epoch's monitored loss; returns the new learning rate when it was reduced.
    pub(crate) fn update(&mut self, loss: f64) -> Option<f64> {
        if self.cooldown_counter > 0 {
            self.cooldown_counter -= 1;
            self.wait = 0;
        }
        if loss < self.best - self.min_delta {
            self.best = loss;
            self.wait = 0;
        } else if self.cooldown_counter == 0 {
            self.wait += 1;
            if self.wait >= self.patience && self.lr > self.min_lr {
                self.lr = (self.lr * self.factor).max(self.min_lr);
                self.cooldown_counter = self.cooldown;
                self.wait = 0;
                return Some(self.lr);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plateau(factor: f64, patience: usize, cooldown: usize, min_lr: f64) -> PlateauState {
        let s = Schedule::Plateau {
            factor,
            patience,
            min_delta: 0.0,
            cooldown,
            min_lr,
        };
        PlateauState::new(&s, 1.0).expect("a plateau schedule")
    }

    /// Feeds `losses` (epochs 1, 2, ...) and lists (epoch, new lr) for every reduction.
    fn reductions(mut p: PlateauState, losses: &[f64]) -> Vec<(usize, f64)> {
        losses
            .iter()
            .enumerate()
            .filter_map(|(i, &l)| p.update(l).map(|lr| (i + 1, lr)))
            .collect()
    }

    // Patience 2, factor 0.5, by hand: e1 1.0 and e2 0.9 improve; e3 0.95 (wait 1), e4 0.92
    // (wait 2) -> lr 0.5; e5 0.8 improves; e6, e7 -> lr 0.25; e8, e9 -> lr 0.125.
    #[test]
    fn plateau_reduces_after_patience_epochs_without_improvement() {
        let losses = [1.0, 0.9, 0.95, 0.92, 0.8, 0.85, 0.86, 0.87, 0.88];
        assert_eq!(
            reductions(plateau(0.5, 2, 0, 0.0), &losses),
            vec![(4, 0.5), (7, 0.25), (9, 0.125)]
        );
    }

    // min_delta: an improvement must beat best - min_delta. With min_delta 0.1, 0.95 after
    // 1.0 is no improvement, so patience 1 reduces at e2.
    #[test]
    fn plateau_min_delta() {
        let s = Schedule::Plateau {
            factor: 0.5,
            patience: 1,
            min_delta: 0.1,
            cooldown: 0,
            min_lr: 0.0,
        };
        let p = PlateauState::new(&s, 1.0).expect("a plateau schedule");
        assert_eq!(reductions(p, &[1.0, 0.95, 0.8]), vec![(2, 0.5)]);
    }

    // Keras's cooldown on a flat loss, patience 2, factor 0.5.
    // Without cooldown: reductions at e3 (wait 1, 2), e5, e7, e9.
    // Cooldown 2: after e3 the counter is 2; e4 counts it down to 1 (no waiting), e5 to 0
    // and, no longer in cooldown, waits 1; e6 waits 2 -> reduce; likewise e9.
    #[test]
    fn plateau_cooldown_follows_keras() {
        let flat = [1.0; 10];
        let none = reductions(plateau(0.5, 2, 0, 0.0), &flat);
        assert_eq!(
            none.iter().map(|r| r.0).collect::<Vec<_>>(),
            vec![3, 5, 7, 9]
        );
        let cooled = reductions(plateau(0.5, 2, 2, 0.0), &flat);
        assert_eq!(cooled, vec![(3, 0.5), (6, 0.25), (9, 0.125)]);
    }

    // min_lr 0.05, factor 0.1, patience 1, from lr 1: 1 -> 0.1 (e2) -> max(0.01, 0.05) =
    // 0.05 (e3), then lr is no longer above min_lr: no more changes.
    #[test]
    fn plateau_min_lr_is_a_floor() {
        let mut p = plateau(0.1, 1, 0, 0.05);
        let got = reductions(p.clone(), &[1.0; 6]);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, 2);
        assert!((got[0].1 - 0.1).abs() < 1e-17);
        assert_eq!(got[1], (3, 0.05));
        for _ in 0..6 {
            p.update(1.0);
        }
        assert_eq!(p.lr, 0.05);
    }
}
