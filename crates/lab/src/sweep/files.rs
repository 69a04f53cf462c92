//! The files of `nnlab sweep --out DIR`, each written atomically, and merging shards.
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
//! [`merge`] makes shard outputs into the files of one unsharded sweep.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use nnlab_report::num;

use super::engine::SweepResult;
use super::grid::{Shard, SweepSpec};
use super::plots;
use super::record::{kind_name, Status, SweepRun, KINDS};
use super::summary::{summarize, GroupSummary};
use crate::files::write_atomic;
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

fn read(path: &Path) -> Result<String, LabError> {
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
fn parse_line(line: &str) -> Vec<String> {
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

/// `curves.csv` (see the module doc).
pub fn curves_csv(runs: &[SweepRun]) -> String {
    let mut s = String::from("index,epoch,train_loss,test_loss\n");
    for r in runs {
        let test = r.test_epoch_loss.as_deref().unwrap_or(&[]);
        for (e, l) in r.epoch_loss.iter().enumerate() {
            let t = test.get(e).map(|&t| num(t)).unwrap_or_default();
            let _ = writeln!(s, "{},{},{},{t}", r.index, e + 1, num(*l));
        }
    }
    s
}

/// Writes every file of the sweep (plots too) into `dir`; returns the paths written.
pub fn write_sweep(dir: &Path, result: &SweepResult) -> Result<Vec<PathBuf>, LabError> {
    let mut written = Vec::new();
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), LabError> {
        let path = dir.join(name);
        write_atomic(&path, bytes)?;
        written.push(path);
        Ok(())
    };
    put("sweep.toml", spec_toml(&result.spec)?.as_bytes())?;
    put("runs.csv", runs_csv(&result.spec, &result.runs).as_bytes())?;
    put("curves.csv", curves_csv(&result.runs).as_bytes())?;
    if result.shard.is_none() {
        put(
            "summary.csv",
            summary_csv(&result.spec, &summarize(result)).as_bytes(),
        )?;
        for (name, chart) in plots::factor_charts(result) {
            put(&format!("{name}.svg"), chart.to_svg(900, 560)?.as_bytes())?;
            put(&format!("{name}.png"), &chart.to_png(900, 560)?)?;
        }
    }
    Ok(written)
}

fn bad(path: &Path, line: usize, message: impl Into<String>) -> LabError {
    LabError::Config {
        key: format!("{}:{line}", path.display()),
        message: message.into(),
    }
}

fn parse_f64(path: &Path, line: usize, s: &str) -> Result<f64, LabError> {
    s.parse::<f64>()
        .map_err(|_| bad(path, line, format!("'{s}' is not a number")))
}

/// Reads the records of a sweep folder (`runs.csv` and `curves.csv`) written for `spec`.
pub fn read_runs(dir: &Path, spec: &SweepSpec) -> Result<Vec<SweepRun>, LabError> {
    let path = dir.join("runs.csv");
    let text = read(&path)?;
    let k = spec.vary.len();
    let mut runs = Vec::new();
    let mut lines = text.lines().enumerate();
    let expected = runs_csv(spec, &[]);
    match lines.next() {
        Some((_, h)) if format!("{h}\n") == expected => {}
        _ => {
            return Err(bad(
                &path,
                1,
                "the header does not match sweep.toml's factors",
            ))
        }
    }
    // The accuracy columns of a classification sweep sit before `diagnostics`.
    let extra = if spec.is_classification() { 2 } else { 0 };
    let width = k + 12 + extra;
    for (i, line) in lines {
        let n = i + 1;
        let f = parse_line(line);
        if f.len() != width {
            return Err(bad(
                &path,
                n,
                format!("{} fields, expected {width}", f.len()),
            ));
        }
        let int = |s: &str| {
            s.parse::<usize>()
                .map_err(|_| bad(&path, n, format!("'{s}' is not a whole number")))
        };
        let optf = |s: &str| -> Result<Option<f64>, LabError> {
            if s.is_empty() {
                Ok(None)
            } else {
                parse_f64(&path, n, s).map(Some)
            }
        };
        let status = &f[k + 1];
        let outcome = Outcome::parse(&f[k + 2])
            .ok_or_else(|| bad(&path, n, format!("unknown outcome '{}'", f[k + 2])))?;
        let rest = &f[k + 2..];
        let diagnostics = rest[9 + extra]
            .split(';')
            .filter(|s| !s.is_empty())
            .map(|s| {
                KINDS
                    .into_iter()
                    .find(|&kd| kind_name(kd) == s)
                    .ok_or_else(|| bad(&path, n, format!("unknown diagnostic '{s}'")))
            })
            .collect::<Result<_, _>>()?;
        runs.push(SweepRun {
            index: int(&f[0])?,
            values: f[1..=k].to_vec(),
            status: Status::parse(status)
                .ok_or_else(|| bad(&path, n, format!("unknown status '{status}'")))?,
            outcome,
            diverged_epoch: if rest[1].is_empty() {
                None
            } else {
                Some(int(&rest[1])?)
            },
            epochs_run: int(&rest[2])?,
            train_loss: parse_f64(&path, n, &rest[3])?,
            test_loss: optf(&rest[4])?,
            train_r2: parse_f64(&path, n, &rest[5])?,
            test_r2: optf(&rest[6])?,
            train_mape: optf(&rest[7])?,
            test_mape: optf(&rest[8])?,
            train_accuracy: if extra > 0 { optf(&rest[9])? } else { None },
            test_accuracy: if extra > 0 { optf(&rest[10])? } else { None },
            diagnostics,
            epoch_loss: Vec::new(),
            test_epoch_loss: None,
        });
    }
    let position: std::collections::HashMap<usize, usize> =
        runs.iter().enumerate().map(|(p, r)| (r.index, p)).collect();
    let curves = dir.join("curves.csv");
    let text = read(&curves)?;
    for (i, line) in text.lines().enumerate().skip(1) {
        let f = parse_line(line);
        let (Some(idx), Some(loss), Some(test)) = (f.first(), f.get(2), f.get(3)) else {
            return Err(bad(
                &curves,
                i + 1,
                "expected index,epoch,train_loss,test_loss",
            ));
        };
        let idx: usize = idx
            .parse()
            .map_err(|_| bad(&curves, i + 1, format!("'{idx}' is not a run index")))?;
        let loss = parse_f64(&curves, i + 1, loss)?;
        let p = *position
            .get(&idx)
            .ok_or_else(|| bad(&curves, i + 1, format!("run {idx} is not in runs.csv")))?;
        runs[p].epoch_loss.push(loss);
        if !test.is_empty() {
            let t = parse_f64(&curves, i + 1, test)?;
            runs[p].test_epoch_loss.get_or_insert_with(Vec::new).push(t);
        }
    }
    Ok(runs)
}

/// Combines shard folders into one sweep: every folder must hold the same `sweep.toml`,
/// and together they must hold every run of the grid exactly once.
pub fn merge(dirs: &[PathBuf]) -> Result<SweepResult, LabError> {
    let first = dirs.first().ok_or_else(|| LabError::Config {
        key: "sweep merge".into(),
        message: "no shard folders given".into(),
    })?;
    let spec = read_spec(&first.join("sweep.toml"))?;
    let mut runs = Vec::new();
    for d in dirs {
        let path = d.join("sweep.toml");
        if read_spec(&path)? != spec {
            return Err(LabError::Config {
                key: path.display().to_string(),
                message: format!(
                    "a different sweep than {}",
                    first.join("sweep.toml").display()
                ),
            });
        }
        runs.extend(read_runs(d, &spec)?);
    }
    runs.sort_by_key(|r| r.index);
    let n = spec.n_runs();
    for (i, r) in runs.iter().enumerate() {
        if r.index != i {
            let message = if r.index < i {
                format!("run {} appears in two shards", r.index)
            } else {
                format!("run {i} is in no shard (the grid has {n} runs)")
            };
            return Err(LabError::Config {
                key: "sweep merge".into(),
                message,
            });
        }
    }
    if runs.len() != n {
        return Err(LabError::Config {
            key: "sweep merge".into(),
            message: format!("{} of the grid's {n} runs found", runs.len()),
        });
    }
    Ok(SweepResult {
        spec,
        shard: None::<Shard>,
        runs,
        lane_runs: 0,
    })
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
