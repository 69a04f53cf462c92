//! Backpropagation against central finite differences on random networks of several shapes
//! and activations (the independent check of every derivative; tolerance 1e-6 relative).

use nnlab_core::init::{initialize, Init};
use nnlab_core::rng::Rng;
use nnlab_core::{course, gradient_check, Activation, Loss, Network};

fn random_samples(n_in: usize, n_out: usize, n: usize, rng: &mut Rng) -> Vec<(Vec<f64>, Vec<f64>)> {
    (0..n)
        .map(|_| {
            let x = (0..n_in).map(|_| rng.uniform_range(-2.0, 2.0)).collect();
            let y = (0..n_out).map(|_| rng.uniform_range(-1.0, 1.0)).collect();
            (x, y)
        })
        .collect()
}

#[test]
fn smooth_networks_of_several_shapes() {
    use Activation::*;
    let cases: [(&[usize], &[Activation]); 5] = [
        (&[2, 2, 1], &[Tanh, Identity]),
        (&[3, 5, 1], &[Sigmoid, Identity]),
        (&[2, 4, 3, 1], &[Tanh, Sigmoid, Identity]),
        (&[4, 6, 2], &[Tanh, Tanh]),
        (&[1, 8, 8, 3], &[Sigmoid, Tanh, Sigmoid]),
    ];
    let mut rng = Rng::new(2026);
    for (sizes, acts) in cases {
        for loss in [Loss::SquaredError, Loss::Huber { delta: 5.0 }] {
            let mut net = Network::zeros(sizes, acts).unwrap();
            initialize(
                &mut net,
                Init::Glorot,
                Init::Uniform {
                    lo: -0.5,
                    hi: 0.5,
                    round: None,
                },
                &mut rng,
            );
            let samples = random_samples(sizes[0], sizes[sizes.len() - 1], 3, &mut rng);
            let check = gradient_check(&net, &samples, loss, 1e-5).unwrap();
            assert!(
                check.max_rel_error < 1e-6,
                "{sizes:?} {loss}: {} off by {}",
                check.worst,
                check.max_rel_error
            );
        }
    }
}

/// Piecewise-linear activations: away from the kinks the finite differences are exact up to
/// rounding, so the same tolerance holds. Seeds where a z lands within h of 0 would not be a
/// fair test; these seeds were checked to keep every |z| > 1e-3.
#[test]
fn relu_and_leaky_networks() {
    use Activation::*;
    let cases: [(&[usize], &[Activation]); 3] = [
        (&[2, 2, 1], &[Relu, Relu]),
        (&[3, 4, 1], &[LeakyRelu { slope: 0.1 }, Identity]),
        (&[2, 6, 4, 1], &[Relu, LeakyRelu { slope: 0.2 }, Identity]),
    ];
    let mut rng = Rng::new(7);
    for (sizes, acts) in cases {
        let mut net = Network::zeros(sizes, acts).unwrap();
        initialize(&mut net, Init::He, Init::Const(0.1), &mut rng);
        let samples = random_samples(sizes[0], 1, 2, &mut rng);
        for (x, _) in &samples {
            let trace = net.forward(x).unwrap();
            assert!(
                trace.z.iter().flatten().all(|z| z.abs() > 1e-3),
                "a kink is too near"
            );
        }
        let check = gradient_check(&net, &samples, Loss::SquaredError, 1e-6).unwrap();
        assert!(
            check.max_rel_error < 1e-6,
            "{sizes:?}: {} {}",
            check.worst,
            check.max_rel_error
        );
    }
}

/// A wrong gradient must be caught. Input (1, 0.3) keeps every z away from 0 (z1 = 1.8,
/// z2 = 0.2, z3 = 2.5); with target 1, d = 1.5, so the squared-error slope 2d = 3 differs
/// from the absolute-error slope sign(d) = 1, and the check must report that mismatch.
#[test]
fn the_check_can_fail() {
    let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
    let samples = vec![(vec![1.0, 0.3], vec![1.0])];
    let good = gradient_check(&net, &samples, Loss::SquaredError, 1e-6).unwrap();
    assert!(good.max_rel_error < 1e-6);
    // Backprop of absolute error compared with the numeric slope of the same loss is fine,
    // but the squared-error gradient is not the absolute-error slope: the check must see it.
    let bp = nnlab_core::mean_gradients(&net, &samples, Loss::SquaredError)
        .unwrap()
        .flat();
    let numeric: Vec<f64> = gradient_check(&net, &samples, Loss::AbsoluteError, 1e-6)
        .unwrap()
        .entries
        .iter()
        .map(|e| e.numeric)
        .collect();
    let worst = bp
        .iter()
        .zip(&numeric)
        .map(|(a, b)| (a - b).abs() / a.abs().max(b.abs()).max(1e-12))
        .fold(0.0, f64::max);
    assert!(worst > 0.1, "a wrong gradient went unnoticed: {worst}");
}

/// A NaN must fail the check, not be passed over. With w4 = f64::MAX (the largest f64) and
/// input (1, 0), backprop is finite (x2 = 0 zeroes dL/dw4), but the probe w4 + h, with
/// h = 1e-6·|w4|, overflows to inf and inf·0 = NaN makes both probe losses NaN: the numeric
/// dL/dw4 and its relative error are NaN. Every other entry agrees to about 1e-10, so a fold
/// that skips NaN (as `f64::max` does) would report a pass with w1 the worst.
#[test]
fn a_nan_gradient_fails_the_check() {
    let net = course::network([1.0, 0.5, 1.0, f64::MAX, 1.0, 1.0], [0.5, -10.0, 0.5]);
    let samples = vec![(vec![1.0, 0.0], vec![3.0])];
    let check = gradient_check(&net, &samples, Loss::SquaredError, 1e-6).unwrap();
    let w4 = check.entries.iter().find(|e| e.name == "w4").unwrap();
    assert_eq!(w4.backprop, 0.0);
    assert!(w4.numeric.is_nan() && w4.rel_error.is_nan() && !w4.is_finite());
    assert_eq!(check.worst, "w4");
    assert!(check.max_rel_error.is_nan());
    assert!(!check.passes(1e-6));
    // Not even an infinite tolerance passes it.
    assert!(!check.passes(f64::INFINITY));
    let others_agree = check
        .entries
        .iter()
        .filter(|e| e.name != "w4")
        .all(|e| e.is_finite() && e.rel_error < 1e-6);
    assert!(others_agree, "{check:?}");
}

/// The verdict of a finite check: `passes` compares each relative error with the tolerance.
/// On the course's example every error is below 1e-6 (see `the_check_can_fail` for the
/// numbers), and no error is below 0, so a tolerance of 0 fails.
#[test]
fn passes_compares_every_error_with_the_tolerance() {
    let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
    let samples = vec![(vec![1.0, 0.3], vec![1.0])];
    let check = gradient_check(&net, &samples, Loss::SquaredError, 1e-6).unwrap();
    assert!(check.passes(1e-6));
    assert!(!check.passes(0.0));
    assert!(check.entries.iter().all(|e| e.is_finite()));
}
