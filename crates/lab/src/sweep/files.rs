//! The files of `nnlab sweep --out DIR`, written as one set ([`crate::files::OutSet`]);
//! merging shards is [`super::merge`].
//!
//! | file | what |
//! |---|---|
//! | `runs.csv` | one row per run: `index`, the varied keys, `status`, `outcome`, `diverged_epoch`, `epochs_run`, `train_loss`, `test_loss` (last epoch), `train_r2`, `test_r2`, `train_mape`, `test_mape` (original units; the test columns empty without a test set), for a classification sweep `train_accuracy`, `test_accuracy`, then `diagnostics` (kinds joined by `;`) |
//! | `summary.csv` | one row per combination of the non-seed factors: the spread over seeds ([`super::summary`]); a classification sweep's ends with `median_accuracy` |
//! | `curves.csv` | `index,epoch,train_loss,test_loss`: every run's loss curves (`test_loss` empty without a test set) (long format, `pd.read_csv`) |
//! | `sweep.toml` | the base experiment and the factors: `nnlab sweep DIR/sweep.toml` reruns it |
//! | `loss_by_<key>.png`, `.svg` | per non-seed factor, its values' median curves with min–max bands |
//!
//! Numbers are the shortest text that reads back to the same `f64` (`nan`, `inf` included),
//! so files read back and written again are byte-identical: that is how
//! [`merge`](super::merge::merge) makes shard outputs into the files of one unsharded sweep.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use nnlab_report::num;

use super::engine::SweepResult;
use super::grid::SweepSpec;
pub use super::merge::{merge, read_runs};
use super::plots;
use super::record::{kind_name, SweepRun};
use super::summary::{summarize, GroupSummary};
use crate::files::OutSet;
use crate::report::REPORT_FILES;
use crate::verdict::Outcome;
use crate::LabError;

/// The text of `sweep.toml`.
pub fn spec_toml(spec: &SweepSpec) -> Result<String, LabError> {
    toml::to_string(spec).map_err(|e| LabError::Config {
        key: "sweep.toml".into(),
        message: e.to_string(),
    })
}

/// Reads a `sweep.toml`; errors name the file and the line.
pub fn read_spec(path: &Path) -> Result<SweepSpec, LabError> {
    parse_spec(&read(path)?, &path.display().to_string())
}

/// Reads the text of a `sweep.toml` ([`spec_toml`]'s); errors are keyed by `origin`.
pub fn parse_spec(text: &str, origin: &str) -> Result<SweepSpec, LabError> {
    toml::from_str(text).map_err(|e| LabError::Config {
        key: origin.to_string(),
        message: e.message().to_string(),
    })
}

pub(super) fn read(path: &Path) -> Result<String, LabError> {
    std::fs::read_to_string(path).map_err(|source| LabError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// A CSV field, quoted when it holds a comma or a quote (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The fields of one CSV line written by [`field`].
pub(super) fn parse_line(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

/// `runs.csv` (see the module doc).
pub fn runs_csv(spec: &SweepSpec, runs: &[SweepRun]) -> String {
    let mut s = String::from("index");
    for f in &spec.vary {
        s.push(',');
        s.push_str(&field(&f.key));
    }
    let classes = spec.is_classification();
    s.push_str(
        ",status,outcome,diverged_epoch,epochs_run,train_loss,test_loss,train_r2,test_r2,train_mape,test_mape",
    );
    if classes {
        s.push_str(",train_accuracy,test_accuracy");
    }
    s.push_str(",diagnostics\n");
    for r in runs {
        let _ = write!(s, "{}", r.index);
        for v in &r.values {
            let _ = write!(s, ",{}", field(v));
        }
        let kinds: Vec<&str> = r.diagnostics.iter().map(|&k| kind_name(k)).collect();
        let _ = write!(
            s,
            ",{},{},{},{},{},{},{},{},{},{}",
            r.status.name(),
            r.outcome.name(),
            r.diverged_epoch.map(|e| e.to_string()).unwrap_or_default(),
            r.epochs_run,
            num(r.train_loss),
            opt(r.test_loss),
            num(r.train_r2),
            opt(r.test_r2),
            opt(r.train_mape),
            opt(r.test_mape),
        );
        if classes {
            let _ = write!(s, ",{},{}", opt(r.train_accuracy), opt(r.test_accuracy));
        }
        let _ = writeln!(s, ",{}", kinds.join(";"));
    }
    s
}

/// `summary.csv` (see the module doc and [`super::summary`]).
pub fn summary_csv(spec: &SweepSpec, groups: &[GroupSummary]) -> String {
    let mut s = String::new();
    for &f in &spec.setting_factors() {
        let _ = write!(s, "{},", field(&spec.vary[f].key));
    }
    s.push_str("n,");
    for o in Outcome::ALL {
        let _ = write!(s, "{o},");
    }
    s.push_str("min,median,max,mean,std,median_diverged_epoch");
    let classes = spec.is_classification();
    if classes {
        s.push_str(",median_accuracy");
    }
    s.push('\n');
    for g in groups {
        for (_, v) in &g.settings {
            let _ = write!(s, "{},", field(v));
        }
        let t = &g.stats;
        let _ = write!(s, "{},", t.n);
        for (_, n) in t.outcomes.all() {
            let _ = write!(s, "{n},");
        }
        let _ = write!(
            s,
            "{},{},{},{},{},{}",
            num(t.min),
            num(t.median),
            num(t.max),
            num(t.mean),
            num(t.std),
            t.median_diverged_epoch
                .map(|e| e.to_string())
                .unwrap_or_default()
        );
        if classes {
            let _ = write!(s, ",{}", opt(t.median_accuracy));
        }
        s.push('\n');
    }
    s
}

/// The header line of `curves.csv`.
pub(super) const CURVES_HEADER: &str = "index,epoch,train_loss,test_loss";

/// `curves.csv` (see the module doc).
pub fn curves_csv(runs: &[SweepRun]) -> String {
    let mut s = format!("{CURVES_HEADER}\n");
    for r in runs {
        let test = r.test_epoch_loss.as_deref().unwrap_or(&[]);
        for (e, l) in r.epoch_loss.iter().enumerate() {
            let t = test.get(e).map(|&t| num(t)).unwrap_or_default();
            let _ = writeln!(s, "{},{},{},{t}", r.index, e + 1, num(*l));
        }
    }
    s
}

/// True for a file of a sweep's set (what [`put_sweep`] and a report write): those of an
/// earlier sweep in the folder that the new one does not write are removed (another sweep's
/// `loss_by_lr.png`, a report of the last sweep when this one has none).
pub fn is_sweep_file(name: &str) -> bool {
    ["sweep.toml", "runs.csv", "curves.csv", "summary.csv"].contains(&name)
        || REPORT_FILES.contains(&name)
        || (name.starts_with("loss_by_") && (name.ends_with(".png") || name.ends_with(".svg")))
}

/// Puts every file of the sweep (plots too) into `set`.
pub fn put_sweep(set: &mut OutSet, result: &SweepResult) -> Result<(), LabError> {
    set.put("sweep.toml", spec_toml(&result.spec)?.as_bytes())?;
    set.put("runs.csv", runs_csv(&result.spec, &result.runs).as_bytes())?;
    set.put("curves.csv", curves_csv(&result.runs).as_bytes())?;
    if result.shard.is_none() {
        set.put(
            "summary.csv",
            summary_csv(&result.spec, &summarize(result)).as_bytes(),
        )?;
        for (name, chart) in plots::factor_charts(result) {
            set.put(&format!("{name}.svg"), chart.to_svg(900, 560)?.as_bytes())?;
            set.put(&format!("{name}.png"), &chart.to_png(900, 560)?)?;
        }
    }
    Ok(())
}

/// Writes every file of the sweep into `dir` as one set; returns the paths written.
pub fn write_sweep(dir: &Path, result: &SweepResult) -> Result<Vec<PathBuf>, LabError> {
    let mut set = OutSet::begin(dir)?;
    put_sweep(&mut set, result)?;
    set.commit(&is_sweep_file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_round_trip() {
        for s in ["plain", "0,5", "say \"hi\", twice", ""] {
            let line = format!("a,{},b", field(s));
            assert_eq!(parse_line(&line), ["a", s, "b"]);
        }
    }
}
