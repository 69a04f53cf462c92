//! The shape of the mean training loss `L(θ) = (1/n) Σᵢ ℓ(f(xᵢ; θ), yᵢ)` around a point:
//! its gradient over all rows, a Hessian-vector product by central differences of that
//! gradient, `H·v ≈ (∇L(θ + εv) − ∇L(θ − εv)) / 2ε`, and the largest eigenvalue λ of the
//! Hessian by power iteration on those products.
//!
//! Gradient descent with rate `lr` overshoots the minimum along the eigenvector of λ when
//! `lr > 1/λ` and diverges along it when `lr > 2/λ` (on the quadratic `½λt²` one step maps
//! `t` to `(1 − lr·λ)t`), so λ says which rates are safe.
//!
//! ```
//! use nnlab_core::{Activation, Loss, Network};
//! use nnlab_train::{curvature, Samples};
//! // y_hat = w·x + b on the rows x = 1, 3: H = (2/n)·Σ [x 1]ᵀ[x 1] = [[10, 4], [4, 2]],
//! // (trace 12, determinant 4: eigenvalues 6 ± √32).
//! let net = Network::zeros(&[1, 1], &[Activation::Identity]).unwrap();
//! let s = Samples::new(&[1.0, 3.0], &[0.0, 0.0], 1, 1).unwrap();
//! let lambda = curvature::top_eigenvalue(&net, &s, Loss::SquaredError, &[true, true]).unwrap();
//! assert!((lambda - (6.0 + 32f64.sqrt())).abs() < 1e-6);
//! ```

use nnlab_core::{Backward, Gradients, Loss, Network, Trace};

use crate::Samples;

/// Power iterations at most; the estimate usually settles in a few dozen.
pub const POWER_ITERATIONS: usize = 50;
/// The relative change of λ between two iterations below which it has settled.
pub const POWER_TOLERANCE: f64 = 1e-6;
/// The central-difference step, relative to the largest parameter (at least 1).
pub const HVP_STEP: f64 = 1e-5;

/// `∇L`: the gradient of the mean loss of `net` over every row of `train`, summed in row
/// order then divided by n.
pub fn mean_gradient(net: &Network, train: &Samples, loss: Loss) -> Gradients {
    let mut total = Gradients::zeros(net);
    let mut one = Gradients::zeros(net);
    let mut trace = Trace::new(net);
    let mut back = Backward::new(net);
    let n = train.n_rows();
    for r in 0..n {
        net.forward_into(train.x_row(r), &mut trace);
        net.backward_into(&trace, train.y_row(r), loss, &mut back, &mut one);
        total.add_assign(&one);
    }
    if n > 0 {
        total.scale(1.0 / n as f64);
    }
    total
}

/// `H·v` at the parameters of `net` (flat, [`Network::params_flat`] order) by central
/// differences of [`mean_gradient`]; `None` when `v` does not fit the network.
pub fn hessian_vector(net: &Network, train: &Samples, loss: Loss, v: &[f64]) -> Option<Vec<f64>> {
    let theta = net.params_flat();
    if v.len() != theta.len() {
        return None;
    }
    let scale = theta.iter().fold(1.0f64, |m, p| m.max(p.abs()));
    let eps = HVP_STEP * scale;
    let at = |sign: f64| -> Option<Vec<f64>> {
        let moved: Vec<f64> = theta
            .iter()
            .zip(v)
            .map(|(p, d)| p + sign * eps * d)
            .collect();
        let mut shifted = net.clone();
        shifted.set_params_flat(&moved).ok()?;
        Some(mean_gradient(&shifted, train, loss).flat())
    };
    let (plus, minus) = (at(1.0)?, at(-1.0)?);
    Some(
        plus.iter()
            .zip(&minus)
            .map(|(a, b)| (a - b) / (2.0 * eps))
            .collect(),
    )
}

/// The eigenvalue of the Hessian of the mean loss largest in size, over the parameters
/// marked `true` in `trainable` (flat order; the others held fixed), by power iteration from
/// the all-ones direction. `None` when it does not settle to a finite number or nothing is
/// trainable.
pub fn top_eigenvalue(
    net: &Network,
    train: &Samples,
    loss: Loss,
    trainable: &[bool],
) -> Option<f64> {
    let mask = |v: &mut Vec<f64>| {
        for (x, &t) in v.iter_mut().zip(trainable) {
            if !t {
                *x = 0.0;
            }
        }
    };
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let mut v: Vec<f64> = trainable.iter().map(|&t| f64::from(u8::from(t))).collect();
    let n0 = norm(&v);
    if n0 == 0.0 {
        return None;
    }
    v.iter_mut().for_each(|x| *x /= n0);
    let mut lambda = f64::NAN;
    for _ in 0..POWER_ITERATIONS {
        let mut w = hessian_vector(net, train, loss, &v)?;
        mask(&mut w);
        // The Rayleigh quotient vᵀHv (|v| = 1).
        let next: f64 = v.iter().zip(&w).map(|(a, b)| a * b).sum();
        let nw = norm(&w);
        if !(next.is_finite() && nw.is_finite()) {
            return None;
        }
        if nw == 0.0 {
            return Some(0.0);
        }
        let settled = (next - lambda).abs() <= POWER_TOLERANCE * next.abs();
        lambda = next;
        if settled {
            return Some(lambda);
        }
        v = w.into_iter().map(|x| x / nw).collect();
    }
    lambda.is_finite().then_some(lambda)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab_core::Activation;

    /// `y_hat = w1·x1 + w2·x2 + b` with squared error on three rows. The loss is quadratic,
    /// so its Hessian is the same everywhere: `H = (2/n)·Σ [x 1]ᵀ[x 1]`. With the rows
    /// (1, 0), (0, 1), (1, 1) and n = 3, `Σ [x 1]ᵀ[x 1] = [[2, 1, 2], [1, 2, 2], [2, 2, 3]]`.
    fn linear() -> (Network, Vec<f64>, Vec<f64>) {
        let mut net = Network::zeros(&[2, 1], &[Activation::Identity]).unwrap();
        net.set_params_flat(&[0.3, -0.2, 0.1]).unwrap();
        (net, vec![1.0, 0.0, 0.0, 1.0, 1.0, 1.0], vec![1.0, 2.0, 0.5])
    }

    #[test]
    fn hessian_vector_of_a_linear_model_is_two_over_n_x_transpose_x() {
        let (net, x, y) = linear();
        let s = Samples::new(&x, &y, 2, 1).unwrap();
        // H·e1 = (2/3)·(2, 1, 2), the first column of the matrix above.
        let hv = hessian_vector(&net, &s, Loss::SquaredError, &[1.0, 0.0, 0.0]).unwrap();
        for (got, want) in hv.iter().zip([4.0 / 3.0, 2.0 / 3.0, 4.0 / 3.0]) {
            assert!((got - want).abs() < 1e-8, "{hv:?}");
        }
        assert_eq!(hessian_vector(&net, &s, Loss::SquaredError, &[1.0]), None);
    }

    #[test]
    fn the_largest_eigenvalue_matches_the_hand_computed_one() {
        let (net, x, y) = linear();
        let s = Samples::new(&x, &y, 2, 1).unwrap();
        // [[2, 1, 2], [1, 2, 2], [2, 2, 3]] has characteristic polynomial
        // -t³ + 7t² - 7t + 1 = -(t - 1)(t² - 6t + 1): eigenvalues 1 and 3 ± 2√2. The largest
        // of H = (2/3)·that matrix is (2/3)(3 + 2√2) = 3.8856...
        let want = 2.0 / 3.0 * (3.0 + 2.0 * 2f64.sqrt());
        let got = top_eigenvalue(&net, &s, Loss::SquaredError, &[true; 3]).unwrap();
        assert!((got - want).abs() < 1e-6, "{got} vs {want}");
        // Holding b fixed leaves (2/3)·[[2, 1], [1, 2]]: eigenvalues 2/3 and 2.
        let held = top_eigenvalue(&net, &s, Loss::SquaredError, &[true, true, false]).unwrap();
        assert!((held - 2.0).abs() < 1e-6, "{held}");
        assert_eq!(
            top_eigenvalue(&net, &s, Loss::SquaredError, &[false; 3]),
            None
        );
    }

    #[test]
    fn mean_gradient_is_the_average_of_the_rows() {
        let (net, x, y) = linear();
        let s = Samples::new(&x, &y, 2, 1).unwrap();
        // Residuals y_hat - y: (0.4 - 1, -0.1 - 2, 0.2 - 0.5) = (-0.6, -2.1, -0.3); dL/db is
        // the mean of 2·residual = 2·(-3)/3 = -2, dL/dw1 = 2·(-0.6 - 0.3)/3 = -0.6.
        let g = mean_gradient(&net, &s, Loss::SquaredError).flat();
        assert!((g[0] + 0.6).abs() < 1e-12, "{g:?}");
        assert!((g[2] + 2.0).abs() < 1e-12, "{g:?}");
    }
}
