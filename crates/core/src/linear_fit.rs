//! The straight-line baseline: ordinary least squares with an intercept, the fit a network
//! with no hidden layer and an identity output converges to under squared error. A verdict
//! compares a run's R² with it ("as good as a straight line", "worse than a straight line").
//!
//! ```text
//! β = argmin Σ_i (y_i − β_0 − Σ_j β_j x_ij)²,   solved from the normal equations
//! (AᵀA) β = Aᵀy,   A = [1 | X]
//! ```
//!
//! by Gaussian elimination with partial pivoting; a pivot below `1e-12` of the matrix's
//! largest diagonal entry means a constant or collinear column, and then there is no unique
//! fit (`None`).

/// Intercept and one coefficient per input.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearFit {
    pub intercept: f64,
    pub coef: Vec<f64>,
}

impl LinearFit {
    /// The least-squares fit of `y` on the rows of `x` (row-major, `n_inputs` per row);
    /// `None` with fewer rows than unknowns, a singular system or non-finite values.
    pub fn fit(x: &[f64], y: &[f64], n_inputs: usize) -> Option<LinearFit> {
        let p = n_inputs + 1;
        let n = y.len();
        if n_inputs == 0 || x.len() != n * n_inputs || n < p {
            return None;
        }
        // The augmented normal equations [AᵀA | Aᵀy], p × (p + 1).
        let mut m = vec![0.0; p * (p + 1)];
        for (row, &t) in x.chunks_exact(n_inputs).zip(y) {
            let a = |j: usize| if j == 0 { 1.0 } else { row[j - 1] };
            for r in 0..p {
                let ar = a(r);
                for c in 0..p {
                    m[r * (p + 1) + c] += ar * a(c);
                }
                m[r * (p + 1) + p] += ar * t;
            }
        }
        if m.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let scale = (0..p).map(|i| m[i * (p + 1) + i]).fold(0.0, f64::max);
        for col in 0..p {
            let piv = (col..p).max_by(|&a, &b| {
                m[a * (p + 1) + col]
                    .abs()
                    .total_cmp(&m[b * (p + 1) + col].abs())
            })?;
            if m[piv * (p + 1) + col].abs() <= 1e-12 * scale {
                return None;
            }
            for c in 0..=p {
                m.swap(col * (p + 1) + c, piv * (p + 1) + c);
            }
            for r in 0..p {
                if r != col {
                    let f = m[r * (p + 1) + col] / m[col * (p + 1) + col];
                    for c in col..=p {
                        m[r * (p + 1) + c] -= f * m[col * (p + 1) + c];
                    }
                }
            }
        }
        let beta: Vec<f64> = (0..p)
            .map(|i| m[i * (p + 1) + p] / m[i * (p + 1) + i])
            .collect();
        Some(LinearFit {
            intercept: beta[0],
            coef: beta[1..].to_vec(),
        })
    }

    /// `β_0 + Σ_j β_j x_j`.
    pub fn predict(&self, row: &[f64]) -> f64 {
        self.intercept + self.coef.iter().zip(row).map(|(b, x)| b * x).sum::<f64>()
    }

    /// `1 − SS_res / SS_tot` of this fit on the rows `x`, `y` (NaN for constant targets).
    pub fn r2(&self, x: &[f64], y: &[f64]) -> f64 {
        let n = y.len() as f64;
        let mean = y.iter().sum::<f64>() / n;
        let (mut res, mut tot) = (0.0, 0.0);
        for (row, &t) in x.chunks_exact(self.coef.len().max(1)).zip(y) {
            let e = t - self.predict(row);
            res += e * e;
            tot += (t - mean) * (t - mean);
        }
        if tot == 0.0 {
            f64::NAN
        } else {
            1.0 - res / tot
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Points (0, 1), (1, 2), (2, 2) by hand: x̄ = 1, ȳ = 5/3,
    // slope = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)² = ((−1)(−2/3) + 0 + (1)(1/3)) / 2 = 1/2,
    // intercept = ȳ − slope·x̄ = 7/6. Residuals −1/6, 1/3, −1/6: SS_res = 1/6,
    // SS_tot = 4/9 + 1/9 + 1/9 = 2/3, R² = 1 − (1/6)/(2/3) = 3/4.
    #[test]
    fn three_points_by_hand() {
        let f = LinearFit::fit(&[0.0, 1.0, 2.0], &[1.0, 2.0, 2.0], 1).unwrap();
        assert!((f.intercept - 7.0 / 6.0).abs() < 1e-12, "{}", f.intercept);
        assert!((f.coef[0] - 0.5).abs() < 1e-12, "{:?}", f.coef);
        let r2 = f.r2(&[0.0, 1.0, 2.0], &[1.0, 2.0, 2.0]);
        assert!((r2 - 0.75).abs() < 1e-12, "{r2}");
    }

    // y = 3 − x1 + 2·x2 exactly on four rows: the fit recovers it (to rounding) and R² = 1.
    #[test]
    fn exact_plane_is_recovered() {
        let x = [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 2.0, 3.0];
        let y: Vec<f64> = x.chunks(2).map(|r| 3.0 - r[0] + 2.0 * r[1]).collect();
        let f = LinearFit::fit(&x, &y, 2).unwrap();
        assert!((f.intercept - 3.0).abs() < 1e-12);
        assert!((f.coef[0] + 1.0).abs() < 1e-12 && (f.coef[1] - 2.0).abs() < 1e-12);
        assert!((f.r2(&x, &y) - 1.0).abs() < 1e-12);
    }

    // A copy of a column (x2 = 2·x1) has no unique fit; nor do fewer rows than unknowns.
    #[test]
    fn collinear_or_too_few_rows_give_none() {
        let x = [0.0, 0.0, 1.0, 2.0, 2.0, 4.0];
        assert_eq!(LinearFit::fit(&x, &[1.0, 2.0, 3.0], 2), None);
        assert_eq!(LinearFit::fit(&[1.0], &[1.0], 1), None);
        assert_eq!(LinearFit::fit(&[1.0, f64::NAN], &[1.0, 2.0], 1), None);
    }
}
