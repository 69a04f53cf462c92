//! The text `nnlab runs list` and `nnlab runs show` print.

use std::fmt::Write as _;

use nnlab_report::Table;

use crate::read::{RunSummary, StoredRun};
use nnlab_lab::flat::{flatten, lookup, text};
use nnlab_lab::verdict::Outcome;

/// A run's outcome as listed: its name, or `unknown` (unfinished, or recorded before
/// schema v6 kept outcomes).
pub fn outcome_name(r: &RunSummary) -> &'static str {
    r.outcome.map_or("unknown", Outcome::name)
}

/// One line per run: id, start, status, outcome, tag, epochs, lr, final loss.
pub fn list_table(runs: &[RunSummary]) -> String {
    let mut t = Table::new(&[
        "id",
        "started",
        "status",
        "outcome",
        "tag",
        "epochs",
        "lr",
        "final loss",
    ]);
    t.align[1] = nnlab_report::Align::Left;
    t.align[2] = nnlab_report::Align::Left;
    t.align[3] = nnlab_report::Align::Left;
    t.align[4] = nnlab_report::Align::Left;
    for r in runs {
        let tag = match (&r.experiment, &r.sweep) {
            (Some(e), Some(s)) => format!("{e}/{s}"),
            (Some(e), None) => e.clone(),
            (None, Some(s)) => format!("sweep {s}"),
            (None, None) => String::new(),
        };
        t.push(vec![
            r.id.to_string(),
            r.started.clone(),
            r.status.to_string(),
            outcome_name(r).to_string(),
            tag,
            r.epochs_run.map_or(String::new(), |n| n.to_string()),
            lookup(&r.config, "train.lr").map_or(String::new(), text),
            r.final_loss.map_or(String::new(), |l| l.to_string()),
        ]);
    }
    t.text("")
}

/// Everything about one run: header, outcome and its reason, configuration, metrics,
/// diagnostics, history summary.
pub fn show(run: &StoredRun) -> String {
    let s = &run.summary;
    let mut out = String::new();
    let _ = writeln!(out, "run {} ({}), nnlab {}", s.id, s.status, s.version);
    let _ = writeln!(
        out,
        "started {}, finished {}",
        s.started,
        s.finished.as_deref().unwrap_or("-")
    );
    if let Some(e) = &s.experiment {
        let _ = writeln!(out, "experiment {e}");
    }
    if let Some(w) = &s.sweep {
        let _ = writeln!(out, "sweep {w}");
    }
    let _ = writeln!(
        out,
        "seeds: data {}, init {}, shuffle {}",
        s.seeds.0, s.seeds.1, s.seeds.2
    );
    match (s.outcome, lookup(&run.verdict, "reason")) {
        (Some(o), Some(reason)) => {
            let _ = writeln!(out, "outcome {o}: {}", text(reason));
        }
        (Some(o), None) => {
            let _ = writeln!(out, "outcome {o}");
        }
        (None, _) if s.finished.is_some() => {
            let _ = writeln!(
                out,
                "outcome unknown (recorded before the store kept outcomes)"
            );
        }
        (None, _) => {}
    }
    if let Some(msg) = lookup(&run.status_detail, "suggestion") {
        let _ = writeln!(out, "diverged: {}", text(msg));
    }
    let _ = writeln!(out, "\nconfiguration:");
    for line in run.config_toml.lines() {
        let _ = writeln!(out, "  {line}");
    }
    if !s.metrics.is_null() {
        let _ = writeln!(out, "\nfinal metrics:");
        for (k, v) in flatten(&s.metrics) {
            let _ = writeln!(out, "  {k} = {}", text(&v));
        }
    }
    if let Some(list) = run.diagnostics.as_array().filter(|l| !l.is_empty()) {
        let _ = writeln!(out, "\ndiagnostics:");
        for d in list {
            let sev = lookup(d, "severity").map_or(String::new(), text);
            let msg = lookup(d, "message").map_or(String::new(), text);
            let _ = writeln!(out, "  [{sev}] {msg}");
        }
    }
    if let (Some(first), Some(last)) = (run.history.first(), run.history.last()) {
        // The best epoch by training loss; NaN never wins (`<` is false for it).
        let best = run.history.iter().fold(
            first,
            |b, h| if h.train_loss < b.train_loss { h } else { b },
        );
        let _ = writeln!(out, "\nhistory: {} epochs", run.history.len());
        let _ = writeln!(
            out,
            "  epoch {}: train loss {}",
            first.epoch, first.train_loss
        );
        let _ = writeln!(
            out,
            "  epoch {}: train loss {} (lowest)",
            best.epoch, best.train_loss
        );
        let _ = writeln!(
            out,
            "  epoch {}: train loss {}",
            last.epoch, last.train_loss
        );
        if let Some(t) = last.test_loss {
            let _ = writeln!(out, "  epoch {}: test loss {t}", last.epoch);
        }
    }
    out
}
