//! The end-of-run summary a terminal user reads: configuration, data, status, loss at the
//! first and last epoch, the outcome, parameters side by side (largest change first), metrics,
//! diagnostics and a small loss plot.

use std::fmt::Write as _;

use nnlab_report::{num, Table};
use nnlab_train::{ClassMetrics, Metrics, TrainStatus};

use crate::diagnostics::Severity;
use crate::result::{RunResult, SetMetrics};

/// Renders the summary; `plot_width` 0 leaves the terminal plot out.
pub fn render_summary(r: &RunResult, plot_width: usize) -> String {
    let mut s = String::new();
    let c = &r.config;
    let (d_seed, i_seed, s_seed) = c.seeds();
    let _ = writeln!(s, "Configuration");
    let _ = writeln!(
        s,
        "  network {} ({}), loss {}, optimizer {}, lr {}, schedule {}, batch {}, epochs {}",
        c.model.arch,
        c.model.activation,
        c.train.loss,
        c.train.optimizer,
        num(c.train.lr),
        c.train.schedule,
        c.train.batch_size,
        c.train.epochs
    );
    let _ = writeln!(
        s,
        "  seeds: data {d_seed}, init {i_seed}, shuffle {s_seed}; scaling {}; shuffle {}",
        c.data.scale, c.train.shuffle
    );
    // By their display names, however they were typed (`w5` or `L2.w[1][1]`).
    let net = &r.initial_network;
    let frozen: Vec<String> = c
        .train
        .frozen_params(net)
        .unwrap_or_default()
        .into_iter()
        .map(|id| net.param_name(id))
        .collect();
    if !frozen.is_empty() {
        let _ = writeln!(s, "  frozen: {}", frozen.join(", "));
    }
    let _ = writeln!(s, "Data");
    let _ = writeln!(s, "  {}", r.data.source);
    let _ = writeln!(
        s,
        "  inputs {} -> target {}; {} rows ({} train, {} test{})",
        r.data.inputs.join(", "),
        r.data.target,
        r.data.rows,
        r.data.train_rows,
        r.data.test_rows,
        if r.data.rows_skipped > 0 {
            format!(", {} skipped", r.data.rows_skipped)
        } else {
            String::new()
        }
    );
    for e in &r.data.encoding {
        let _ = writeln!(s, "  encoding: {e}");
    }

    let _ = writeln!(s, "Result");
    let restored = c.train.early_stopping.is_some_and(|e| e.restore_best);
    let epochs_run = r.epochs_run();
    let epoch_loss = r.epoch_loss();
    let _ = writeln!(s, "  {}", status_line(&r.status, epochs_run, restored));
    if let (Some(first), Some(last)) = (epoch_loss.first(), epoch_loss.last()) {
        let _ = writeln!(
            s,
            "  train loss: epoch 1 {} -> epoch {} {}",
            num(*first),
            epochs_run,
            num(*last)
        );
    }
    if let Some(t) = &r.test_loss() {
        if let (Some(first), Some(last)) = (t.first(), t.last()) {
            let _ = writeln!(
                s,
                "  test loss:  epoch 1 {} -> epoch {} {}",
                num(*first),
                epochs_run,
                num(*last)
            );
        }
    }

    let _ = writeln!(s, "Outcome");
    let _ = writeln!(s, "  {}: {}", r.verdict.outcome, r.verdict.reason);

    let _ = writeln!(s, "Parameters (largest change first)");
    let final_params = r.final_params();
    let mut rows: Vec<(String, f64, f64, f64)> = r
        .initial_params()
        .0
        .iter()
        .map(|(n, a)| {
            let b = final_params.get(n).unwrap_or(f64::NAN);
            (n.clone(), *a, b, b - a)
        })
        .collect();
    rows.sort_by(|x, y| y.3.abs().total_cmp(&x.3.abs()));
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|(n, a, b, d)| {
            let name = if frozen.contains(n) {
                format!("{n} (frozen)")
            } else {
                n.clone()
            };
            vec![name, num(*a), num(*b), num(*d)]
        })
        .collect();
    s.push_str(&aligned(&["param", "initial", "final", "change"], &table));

    let _ = writeln!(s, "Metrics (scaled units | original units)");
    let mut mrows = vec![metric_row("train", &r.metrics.train)];
    if let Some(t) = &r.metrics.test {
        mrows.push(metric_row("test", t));
    }
    s.push_str(&aligned(
        &["set", "mse", "rmse", "mae", "r2", "mape %"],
        &mrows,
    ));
    classification(&mut s, r);

    let _ = writeln!(s, "Diagnostics");
    let warned = r
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Warning);
    // "No problems" needs both: no warning and an outcome that did what training is for.
    if !warned && r.verdict.outcome.is_healthy() {
        let _ = writeln!(s, "  no problems found");
    } else if !warned {
        let _ = writeln!(
            s,
            "  no warning, but the outcome is {} (see Outcome)",
            r.verdict.outcome
        );
    }
    for d in &r.diagnostics {
        let tag = match d.severity {
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let _ = writeln!(s, "  {tag}: {}", d.message);
    }
    if plot_width > 0 && !epoch_loss.is_empty() {
        let _ = writeln!(s, "Train loss per epoch");
        // A log axis when the loss spans more than a decade, so the tail is not a flat line.
        let finite: Vec<f64> = epoch_loss
            .iter()
            .copied()
            .filter(|v| v.is_finite() && *v > 0.0)
            .collect();
        let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = finite.iter().copied().fold(0.0, f64::max);
        let log_y = hi / lo > 10.0;
        s.push_str(&nnlab_plot::terminal_plot(
            &epoch_loss,
            plot_width,
            10,
            log_y,
        ));
        if !s.ends_with('\n') {
            s.push('\n');
        }
    }
    s
}

fn status_line(status: &TrainStatus, epochs: usize, restored: bool) -> String {
    match status {
        TrainStatus::Completed => format!("completed {epochs} epochs"),
        TrainStatus::StoppedEarly { epoch, best_epoch } if restored => format!(
            "stopped early after epoch {epoch}; the parameters of the best epoch, {best_epoch}, were restored"
        ),
        TrainStatus::StoppedEarly { epoch, best_epoch } => format!(
            "stopped early after epoch {epoch} (best epoch {best_epoch}); the parameters are epoch {epoch}'s"
        ),
        TrainStatus::Diverged {
            epoch,
            sample,
            parameter,
            value,
            suggestion,
            ..
        } => format!(
            "DIVERGED at epoch {epoch}, sample {sample}: the loss became non-finite; {parameter} went first ({}). {suggestion}",
            num(*value)
        ),
    }
}

/// Metrics with 6 significant digits: `scaled | original`.
fn metric_row(set: &str, m: &SetMetrics) -> Vec<String> {
    let pair = |f: fn(&Metrics) -> f64| format!("{} | {}", sig(f(&m.scaled)), sig(f(&m.original)));
    let mape = |x: &Metrics| x.mape.unwrap_or(f64::NAN);
    vec![
        set.to_string(),
        pair(|x| x.mse),
        pair(|x| x.rmse),
        pair(|x| x.mae),
        pair(|x| x.r2),
        pair(mape),
    ]
}

/// The classification metrics of both sets and the judged set's confusion matrix, for a
/// run whose target is classes (nothing otherwise).
fn classification(s: &mut String, r: &RunResult) {
    let sets = [
        ("train", Some(&r.metrics.train)),
        ("test", r.metrics.test.as_ref()),
    ];
    let rows: Vec<(&str, &ClassMetrics)> = sets
        .iter()
        .filter_map(|(name, m)| Some((*name, m.as_ref()?.classification.as_ref()?)))
        .collect();
    let Some(&(judged, last)) = rows.last() else {
        return;
    };
    let names = class_names(&r.data.classes, last.confusion.len());
    let averaged = if names.len() == 2 {
        format!(
            "precision, recall and f1 of the positive class {}",
            names[1]
        )
    } else {
        format!(
            "precision, recall and f1 averaged over the {} classes",
            names.len()
        )
    };
    let _ = writeln!(s, "Classification ({averaged})");
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|(set, m)| {
            let cells = [
                m.accuracy,
                m.majority,
                m.precision,
                m.recall,
                m.f1,
                m.log_loss,
            ];
            std::iter::once(set.to_string())
                .chain(cells.iter().map(|v| sig(*v)))
                .collect()
        })
        .collect();
    let header = [
        "set",
        "accuracy",
        "majority",
        "precision",
        "recall",
        "f1",
        "log-loss",
    ];
    s.push_str(&aligned(&header, &table));
    let _ = writeln!(
        s,
        "Confusion matrix ({judged} set; rows: true class, columns: predicted)"
    );
    let mut header = vec!["true \\ predicted"];
    header.extend(names.iter().map(String::as_str));
    let table: Vec<Vec<String>> = last
        .confusion
        .iter()
        .zip(&names)
        .map(|(row, name)| {
            std::iter::once(name.clone())
                .chain(row.iter().map(|c| c.to_string()))
                .collect()
        })
        .collect();
    s.push_str(&aligned(&header, &table));
}

/// The data's class names, or the class indices `0..k` when it has none for `k` classes.
pub fn class_names(classes: &[String], k: usize) -> Vec<String> {
    if classes.len() == k {
        classes.to_vec()
    } else {
        (0..k).map(|c| c.to_string()).collect()
    }
}

/// A number to 6 significant digits for tables of metrics.
pub fn sig(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "n/a".into()
        } else {
            format!("{v}")
        };
    }
    if v == 0.0 {
        return "0".into();
    }
    let mag = v.abs().log10().floor() as i32;
    if !(-4..6).contains(&mag) {
        return format!("{v:.5e}");
    }
    let decimals = (5 - mag).max(0) as usize;
    let t = format!("{v:.decimals$}");
    if t.contains('.') {
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        t
    }
}

/// A table with a left-aligned first column and right-aligned others, indented by two spaces.
pub fn aligned(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut t = Table::new(header);
    for r in rows {
        t.push(r.clone());
    }
    t.text("  ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits() {
        assert_eq!(sig(0.011623456), "0.0116235");
        assert_eq!(sig(12345.678), "12345.7");
        assert_eq!(sig(2.0), "2");
        assert_eq!(sig(1.5e-7), "1.50000e-7");
        assert_eq!(sig(f64::NAN), "n/a");
    }

    #[test]
    fn columns_line_up() {
        let t = aligned(&["a", "bb"], &[vec!["xyz".into(), "1".into()]]);
        assert_eq!(t, "  a    bb\n  ---  --\n  xyz   1\n");
    }
}
