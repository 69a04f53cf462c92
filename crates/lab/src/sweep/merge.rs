//! Merging the folders of a sharded sweep (`nnlab sweep merge DIR... --out DIR`), and
//! reading a sweep folder back.
//!
//! A shard folder is refused, with its file, the run and the line named, unless its files
//! agree with each other and with the grid: every folder holds the same `sweep.toml` (the
//! spec itself is compared, which is what a hash of it would stand for); `runs.csv` holds
//! each grid index at most once and none outside the grid; `curves.csv` is whole (its
//! header, a newline at the end: a file cut off mid-line is refused), holds each run's rows
//! together, numbered `1..=epochs_run`, exactly `epochs_run` of them, the last one's
//! `train_loss` equal to the one in `runs.csv`, and a `test_loss` on every row of a run
//! with a test set and on none without; across folders each run of the grid appears once.
//! (A merge used to take a curves file cut in half and write a merged `curves.csv` short by
//! thousands of rows, issue 17.)

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::engine::SweepResult;
use super::files::{parse_line, read, read_spec, runs_csv, CURVES_HEADER};
use super::grid::{Shard, SweepSpec};
use super::record::{kind_name, Status, SweepRun, KINDS};
use crate::verdict::Outcome;
use crate::LabError;

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

/// Reads the records of a sweep folder (`runs.csv` and `curves.csv`) written for `spec`,
/// refusing a folder whose files do not agree (see the module docs).
pub fn read_runs(dir: &Path, spec: &SweepSpec) -> Result<Vec<SweepRun>, LabError> {
    let mut runs = read_rows(&dir.join("runs.csv"), spec)?;
    read_curves(&dir.join("curves.csv"), &dir.join("runs.csv"), &mut runs)?;
    Ok(runs)
}

/// The rows of `runs.csv` (curves empty), each run of the grid of `spec` at most once.
fn read_rows(path: &Path, spec: &SweepSpec) -> Result<Vec<SweepRun>, LabError> {
    let path = path.to_path_buf();
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
        let index = int(&f[0])?;
        if index >= spec.n_runs() {
            return Err(bad(
                &path,
                n,
                format!(
                    "run {index} is not in the grid of sweep.toml ({} runs)",
                    spec.n_runs()
                ),
            ));
        }
        if runs.iter().any(|r: &SweepRun| r.index == index) {
            return Err(bad(&path, n, format!("run {index} appears twice")));
        }
        runs.push(SweepRun {
            index,
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
    Ok(runs)
}

/// Where a run's curve rows stand while `curves.csv` is read.
struct Curve {
    /// The run's position in `runs`.
    at: usize,
    /// The line of its first row.
    first_line: usize,
}

/// Reads `curves.csv` at `path` into the runs of `runs.csv` (at `rows_path`), checking each
/// run's rows against its row there (see the module docs).
fn read_curves(path: &Path, rows_path: &Path, runs: &mut [SweepRun]) -> Result<(), LabError> {
    let text = read(path)?;
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h == CURVES_HEADER => {}
        _ => return Err(bad(path, 1, format!("expected the header {CURVES_HEADER}"))),
    }
    let n_lines = text.lines().count();
    if !text.ends_with('\n') {
        return Err(bad(
            path,
            n_lines,
            "the file is cut off (its last line has no newline)",
        ));
    }
    let position: HashMap<usize, usize> =
        runs.iter().enumerate().map(|(p, r)| (r.index, p)).collect();
    let mut done = vec![false; runs.len()];
    let mut current: Option<Curve> = None;
    for (i, line) in lines {
        let n = i + 1;
        let f = parse_line(line);
        let [idx, epoch, loss, test] = f.as_slice() else {
            return Err(bad(path, n, format!("expected {CURVES_HEADER}")));
        };
        let idx: usize = idx
            .parse()
            .map_err(|_| bad(path, n, format!("'{idx}' is not a run index")))?;
        let at = *position.get(&idx).ok_or_else(|| {
            bad(
                path,
                n,
                format!("run {idx} is not in {}", rows_path.display()),
            )
        })?;
        if current.as_ref().map(|c| c.at) != Some(at) {
            if let Some(c) = current.take() {
                end_curve(path, rows_path, runs, &c, n)?;
                done[c.at] = true;
            }
            if done[at] {
                return Err(bad(
                    path,
                    n,
                    format!("the rows of run {idx} are not together"),
                ));
            }
            current = Some(Curve { at, first_line: n });
        }
        let run = &mut runs[at];
        let want = run.epoch_loss.len() + 1;
        if epoch.parse::<usize>().ok() != Some(want) {
            return Err(bad(
                path,
                n,
                format!("run {idx}: epoch '{epoch}' where epoch {want} belongs"),
            ));
        }
        run.epoch_loss.push(parse_f64(path, n, loss)?);
        match (run.has_test_set(), test.is_empty()) {
            (true, false) => {
                let t = parse_f64(path, n, test)?;
                run.test_epoch_loss.get_or_insert_with(Vec::new).push(t);
            }
            (false, true) => {}
            (true, true) => {
                return Err(bad(
                    path,
                    n,
                    format!("run {idx} has a test set but no test_loss here"),
                ))
            }
            (false, false) => {
                return Err(bad(
                    path,
                    n,
                    format!("run {idx} has no test set but a test_loss here"),
                ))
            }
        }
    }
    if let Some(c) = current.take() {
        end_curve(path, rows_path, runs, &c, n_lines + 1)?;
        done[c.at] = true;
    }
    for (r, done) in runs.iter().zip(done) {
        if !done && r.epochs_run > 0 {
            return Err(bad(
                path,
                n_lines + 1,
                format!(
                    "run {} has no rows; {} says it ran {} epochs",
                    r.index,
                    rows_path.display(),
                    r.epochs_run
                ),
            ));
        }
    }
    Ok(())
}

/// Checks the rows of a run's curve that ended before line `next`: as many as its epochs,
/// the last loss the one in `runs.csv`.
fn end_curve(
    path: &Path,
    rows_path: &Path,
    runs: &[SweepRun],
    c: &Curve,
    next: usize,
) -> Result<(), LabError> {
    let r = &runs[c.at];
    let rows = r.epoch_loss.len();
    if rows != r.epochs_run {
        return Err(bad(
            path,
            next,
            format!(
                "run {} has {rows} rows (from line {}), {} says it ran {} epochs",
                r.index,
                c.first_line,
                rows_path.display(),
                r.epochs_run
            ),
        ));
    }
    let last = r.epoch_loss.last().copied().unwrap_or(f64::NAN);
    let same = last.to_bits() == r.train_loss.to_bits() || (last.is_nan() && r.train_loss.is_nan());
    if !same {
        return Err(bad(
            path,
            next - 1,
            format!(
                "run {}: the last train_loss {last:?} is not {:?}, the train_loss in {}",
                r.index,
                r.train_loss,
                rows_path.display()
            ),
        ));
    }
    Ok(())
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
mod tests;
