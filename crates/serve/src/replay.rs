//! The session's action log, which a share link carries so that opening it gives the
//! trained session bit for bit: the parameters, the history, the position in the epoch and
//! the optimizer's state, hand-set parameters and resized networks included.
//!
//! A session is deterministic given its configuration and the actions taken since its start
//! (steps, parameter edits, architecture changes): replaying them with the same library
//! calls gives the same bits. The log is kept short by merging: consecutive steps of one
//! unit are one entry (`e300` for ten plays of 30 epochs: stepping by epochs in any chunks
//! gives the same bits), consecutive edits of one parameter keep the last value. Its text
//! is the entries joined by `,`:
//!
//! - `e300`, `b2`, `s3`: 300 epochs, 2 batches, 3 samples;
//! - `w5=0.30000000000000004`, `L1.w[2][1]=-1.5`: a parameter set by hand, at full
//!   precision (the shortest text that reads back as the same `f64`);
//! - `arch=2-3-1`: the network resized.
//!
//! A session resumed from an import that did not replay has no log (its optimizer state is
//! lost): its link can carry only the setup.

use std::fmt;
use std::str::FromStr;

use nnlab_lab::config::Arch;
use nnlab_train::Unit;

use crate::limits::{MAX_EPOCHS, MAX_SAMPLE_STEPS};
use crate::session::{ParamEdit, Session};
use crate::ApiError;

/// One logged action.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Step(Unit, usize),
    Edit(String, f64),
    Arch(Arch),
}

/// Appends `action` to `log`, merging it into the last entry when that is the same kind of
/// step or an edit of the same parameter.
pub(crate) fn record(log: &mut Vec<Action>, action: Action) {
    match (log.last_mut(), action) {
        (Some(Action::Step(u, n)), Action::Step(unit, count)) if *u == unit => *n += count,
        (Some(Action::Edit(name, v)), Action::Edit(new, value)) if *name == new => *v = value,
        (_, action) => log.push(action),
    }
}

fn unit_letter(unit: Unit) -> char {
    match unit {
        Unit::Epoch => 'e',
        Unit::Batch => 'b',
        Unit::Sample => 's',
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Step(unit, n) => write!(f, "{}{n}", unit_letter(*unit)),
            // `{:?}` is the shortest text that parses back to the same bits.
            Action::Edit(name, v) => write!(f, "{name}={v:?}"),
            Action::Arch(arch) => write!(f, "arch={arch}"),
        }
    }
}

impl FromStr for Action {
    type Err = String;
    fn from_str(s: &str) -> Result<Action, String> {
        let bad = || format!("'{s}' is not an action (e3, b2, s1, w5=0.3, arch=2-3-1)");
        if let Some((name, value)) = s.split_once('=') {
            if name == "arch" {
                return value.parse().map(Action::Arch);
            }
            let v: f64 = value.parse().map_err(|_| bad())?;
            return Ok(Action::Edit(name.to_string(), v));
        }
        let unit = match s.chars().next() {
            Some('e') => Unit::Epoch,
            Some('b') => Unit::Batch,
            Some('s') => Unit::Sample,
            _ => return Err(bad()),
        };
        match s[1..].parse::<usize>() {
            Ok(n) if n > 0 => Ok(Action::Step(unit, n)),
            _ => Err(bad()),
        }
    }
}

/// The log's text (entries joined by `,`).
pub(crate) fn log_text(log: &[Action]) -> String {
    log.iter()
        .map(Action::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Parses a log's text; an error names the `replay` field and the entry.
pub(crate) fn parse_log(text: &str) -> Result<Vec<Action>, ApiError> {
    text.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.parse().map_err(|e| ApiError::bad(format!("replay: {e}"))))
        .collect()
}

/// The sample steps a replay of `log` runs at most, with `rows` training rows and `batch`
/// rows a batch (an upper bound: a run that ends early stops sooner).
pub(crate) fn replay_cost(log: &[Action], rows: usize, batch: usize) -> usize {
    log.iter()
        .map(|a| match *a {
            Action::Step(Unit::Epoch, n) => n.saturating_mul(rows),
            Action::Step(Unit::Batch, n) => n.saturating_mul(batch),
            Action::Step(Unit::Sample, n) => n,
            _ => 0,
        })
        .fold(0, usize::saturating_add)
}

impl Session {
    /// Runs the actions of `text` (a log, see the module doc) on this fresh session with the
    /// calls that made them, so it ends where the logged session was; leaves nothing to
    /// undo. At most [`MAX_SAMPLE_STEPS`] sample steps and [`MAX_EPOCHS`] epochs in all.
    /// An error names `replay` and the action.
    pub fn replay(&mut self, text: &str) -> Result<(), ApiError> {
        let log = parse_log(text)?;
        // Sizes change with `arch=`, but rows and batch do not.
        let rows = self.trainer().n_rows();
        let cost = replay_cost(&log, rows, self.trainer().batch_rows());
        if cost > MAX_SAMPLE_STEPS {
            return Err(ApiError::bad(format!(
                "replay: {cost} sample steps exceed the {MAX_SAMPLE_STEPS} a request may run"
            )));
        }
        // Every epoch is at least one sample step of each row, so this bounds the epochs.
        if cost.div_ceil(rows.max(1)) > MAX_EPOCHS {
            return Err(ApiError::bad(format!(
                "replay: more than the {MAX_EPOCHS} epochs a session may run"
            )));
        }
        for action in log {
            let text = action.to_string();
            let done = match action {
                // A logged step that ran into the run's end stopped there; so does this.
                Action::Step(unit, n) if self.trainer().is_running() => {
                    self.advance(unit, n).map(|_| ())
                }
                Action::Step(..) => Ok(()),
                Action::Edit(name, value) => self.edit(&ParamEdit { name, value }),
                Action::Arch(arch) => self.set_arch(&arch.to_string()),
            };
            done.map_err(|e| ApiError {
                status: e.status,
                message: format!("replay: {text}: {}", e.message),
            })?;
        }
        self.forget_undo();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_and_round_trips() {
        let mut log = Vec::new();
        for a in [
            "e30",
            "e30",
            "s2",
            "w5=1.5",
            "w5=0.1",
            "w6=2",
            "arch=2-3-1",
            "e1",
        ] {
            record(&mut log, a.parse().unwrap());
        }
        // 0.1 + 0.2 prints as its shortest round trip, 0.30000000000000004.
        record(&mut log, Action::Edit("L1.b[3]".into(), 0.1 + 0.2));
        let text = log_text(&log);
        assert_eq!(
            text,
            "e60,s2,w5=0.1,w6=2.0,arch=2-3-1,e1,L1.b[3]=0.30000000000000004"
        );
        assert_eq!(parse_log(&text).unwrap(), log);
        let Action::Edit(_, v) = &log[6] else {
            panic!("an edit")
        };
        assert_eq!(v.to_bits(), (0.1f64 + 0.2).to_bits());
        for bad in ["x3", "e0", "e", "w5=abc", "arch=2-0-1"] {
            let e = parse_log(bad).unwrap_err();
            assert!(e.message.starts_with("replay: "), "{bad}: {}", e.message);
        }
        // 60 + 1 epochs of 10 rows and 2 samples: 612 sample steps.
        assert_eq!(replay_cost(&log, 10, 5), 612);
    }
}
