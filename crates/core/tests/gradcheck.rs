//! Backpropagation against central finite differences on random networks of several shapes
//! and activations (the independent check of every derivative; tolerance 1e-6 relative).

use nnlab_core::init::{initialize, Init};
use nnlab_core::rng::Rng;
use nnlab_core::{
    course, gradient_check, gradient_check_regularized, Activation, Loss, Network, Regularization,
};

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

/// A random network of `sizes` with `acts`, Glorot weights and biases in [-0.5, 0.5].
fn random_net(sizes: &[usize], acts: &[Activation], rng: &mut Rng) -> Network {
    let mut net = Network::zeros(sizes, acts).unwrap();
    let bias = Init::Uniform {
        lo: -0.5,
        hi: 0.5,
        round: None,
    };
    initialize(&mut net, Init::Glorot, bias, rng);
    net
}

/// Class targets: one output -> 0 or 1; several -> one-hot of a random class.
fn class_samples(n_in: usize, n_out: usize, n: usize, rng: &mut Rng) -> Vec<(Vec<f64>, Vec<f64>)> {
    (0..n)
        .map(|_| {
            let x = (0..n_in).map(|_| rng.uniform_range(-2.0, 2.0)).collect();
            let class = (rng.uniform_range(0.0, 1.0) * n_out.max(2) as f64) as usize;
            let y = if n_out == 1 {
                vec![class.min(1) as f64]
            } else {
                (0..n_out).map(|k| f64::from(k == class)).collect()
            };
            (x, y)
        })
        .collect()
}

/// The classification outputs: sigmoid + binary cross-entropy (one and several outputs,
/// where `dL/dz = (y_hat - y)/n`), softmax + categorical cross-entropy (`dL/dz = y_hat - y`),
/// softmax with squared error (through softmax's full Jacobian) and a sigmoid output with
/// squared error (the elementwise chain). Every one against central differences of the
/// loss computed from the logits, to 1e-6 relative.
#[test]
fn classification_outputs_and_losses() {
    use Activation::*;
    let cases: [(&[usize], &[Activation], Loss); 7] = [
        (&[2, 2, 1], &[Relu, Sigmoid], Loss::BinaryCrossEntropy),
        (&[3, 5, 1], &[Tanh, Sigmoid], Loss::BinaryCrossEntropy),
        (&[2, 4, 3], &[Tanh, Sigmoid], Loss::BinaryCrossEntropy),
        (&[2, 4, 3], &[Tanh, Softmax], Loss::CategoricalCrossEntropy),
        (
            &[4, 6, 5, 4],
            &[Sigmoid, Tanh, Softmax],
            Loss::CategoricalCrossEntropy,
        ),
        (&[3, 5, 3], &[Tanh, Softmax], Loss::SquaredError),
        (&[2, 3, 1], &[Tanh, Sigmoid], Loss::SquaredError),
    ];
    let mut rng = Rng::new(14);
    for (sizes, acts, loss) in cases {
        let net = random_net(sizes, acts, &mut rng);
        let n_out = sizes[sizes.len() - 1];
        let samples = class_samples(sizes[0], n_out, 4, &mut rng);
        let check = gradient_check(&net, &samples, loss, 1e-5).unwrap();
        assert!(
            check.passes(1e-6),
            "{sizes:?} {acts:?} {loss}: {} off by {}",
            check.worst,
            check.max_rel_error
        );
    }
}

/// L1 (away from w = 0, where |w| has its kink: the Glorot draws of this seed are all at
/// least 1e-3 from 0) and L2, alone and together, on a tanh regression network and on a
/// sigmoid/BCE one: the gradient of `mean loss + penalty` against central differences.
#[test]
fn l1_and_l2_penalties() {
    use Activation::*;
    let mut rng = Rng::new(41);
    let regs = [
        Regularization { l1: 0.03, l2: 0.0 },
        Regularization { l1: 0.0, l2: 0.2 },
        Regularization { l1: 0.05, l2: 0.1 },
    ];
    let cases: [(&[usize], &[Activation], Loss); 2] = [
        (&[3, 4, 2], &[Tanh, Identity], Loss::SquaredError),
        (&[2, 5, 1], &[Tanh, Sigmoid], Loss::BinaryCrossEntropy),
    ];
    for (sizes, acts, loss) in cases {
        let net = random_net(sizes, acts, &mut rng);
        let kink_free = net
            .layers()
            .iter()
            .all(|l| l.weights_flat().iter().all(|w| w.abs() > 1e-3));
        assert!(kink_free, "a weight is too near the kink of |w|");
        let samples = class_samples(sizes[0], sizes[sizes.len() - 1], 3, &mut rng);
        for reg in regs {
            let check = gradient_check_regularized(&net, &samples, loss, reg, 1e-6).unwrap();
            assert!(
                check.passes(1e-6),
                "{sizes:?} {reg:?}: {} off by {}",
                check.worst,
                check.max_rel_error
            );
            // The penalty really entered the gradient: without it, w1's gradient differs.
            let plain = gradient_check(&net, &samples, loss, 1e-6).unwrap();
            let w1 = |c: &nnlab_core::GradCheck| c.entries[0].backprop;
            assert!((w1(&check) - w1(&plain)).abs() > 1e-4, "{reg:?}");
        }
    }
}
