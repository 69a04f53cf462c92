//! The structure-of-arrays layout: [`LANES`] runs' parameters side by side ([`Lanes`]) and
//! their data rows interleaved ([`LaneRow`]).

use super::LANES;
use crate::course::CourseParams;
use crate::CoreError;

/// The nine parameters and the learning rate of [`LANES`] runs, one array entry per run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lanes {
    pub w1: [f64; LANES],
    pub w2: [f64; LANES],
    pub w3: [f64; LANES],
    pub w4: [f64; LANES],
    pub w5: [f64; LANES],
    pub w6: [f64; LANES],
    pub b1: [f64; LANES],
    pub b2: [f64; LANES],
    pub b3: [f64; LANES],
    pub lr: [f64; LANES],
}

impl Lanes {
    /// All parameters and learning rates zero. A zero lane on zero data stays zero, so it is
    /// the padding of a group with fewer than [`LANES`] runs: it costs no extra time
    /// (no subnormals, no NaN) and its results are dropped.
    pub fn zeros() -> Lanes {
        let z = [0.0; LANES];
        Lanes {
            w1: z,
            w2: z,
            w3: z,
            w4: z,
            w5: z,
            w6: z,
            b1: z,
            b2: z,
            b3: z,
            lr: z,
        }
    }

    /// Puts run `p` with learning rate `lr` into lane `lane`. Panics if `lane >= LANES`.
    pub fn set(&mut self, lane: usize, p: CourseParams, lr: f64) {
        let [w1, w2, w3, w4, w5, w6] = p.w;
        let [b1, b2, b3] = p.b;
        self.w1[lane] = w1;
        self.w2[lane] = w2;
        self.w3[lane] = w3;
        self.w4[lane] = w4;
        self.w5[lane] = w5;
        self.w6[lane] = w6;
        self.b1[lane] = b1;
        self.b2[lane] = b2;
        self.b3[lane] = b3;
        self.lr[lane] = lr;
    }

    /// The parameters of lane `lane`. Panics if `lane >= LANES`.
    pub fn get(&self, lane: usize) -> CourseParams {
        let l = lane;
        CourseParams {
            w: [
                self.w1[l], self.w2[l], self.w3[l], self.w4[l], self.w5[l], self.w6[l],
            ],
            b: [self.b1[l], self.b2[l], self.b3[l]],
        }
    }
}

/// One data row of [`LANES`] runs: `x1[lane]`, `x2[lane]`, `y[lane]`. Each run has its own
/// data (each seed draws its own), so a lane's rows are interleaved with the other lanes'.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LaneRow {
    pub x1: [f64; LANES],
    pub x2: [f64; LANES],
    pub y: [f64; LANES],
}

/// One run's training data, rows in the order SGD visits them: `(x1[k], x2[k], y[k])`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunData<'a> {
    pub x1: &'a [f64],
    pub x2: &'a [f64],
    pub y: &'a [f64],
}

impl RunData<'_> {
    /// The number of rows, checked to be the same for `x1`, `x2` and `y`.
    pub fn n_rows(&self) -> Result<usize, CoreError> {
        let n = self.x1.len();
        for (what, len) in [("x2", self.x2.len()), ("y", self.y.len())] {
            if len != n {
                return Err(CoreError::WrongCount {
                    what,
                    expected: n,
                    found: len,
                });
            }
        }
        Ok(n)
    }
}

/// Interleaves the rows of up to [`LANES`] runs of equal length; lanes past `runs.len()`
/// are zero rows (padding).
pub fn pack_rows(runs: &[RunData<'_>]) -> Result<Vec<LaneRow>, CoreError> {
    if runs.len() > LANES {
        return Err(CoreError::WrongCount {
            what: "runs in one lane group",
            expected: LANES,
            found: runs.len(),
        });
    }
    let n = match runs.first() {
        Some(r) => r.n_rows()?,
        None => 0,
    };
    for r in runs {
        let found = r.n_rows()?;
        if found != n {
            return Err(CoreError::WrongCount {
                what: "rows of a run in one lane group",
                expected: n,
                found,
            });
        }
    }
    let zero = [0.0; LANES];
    let mut rows = vec![
        LaneRow {
            x1: zero,
            x2: zero,
            y: zero
        };
        n
    ];
    for (lane, r) in runs.iter().enumerate() {
        for (k, row) in rows.iter_mut().enumerate() {
            row.x1[lane] = r.x1[k];
            row.x2[lane] = r.x2[k];
            row.y[lane] = r.y[k];
        }
    }
    Ok(rows)
}
