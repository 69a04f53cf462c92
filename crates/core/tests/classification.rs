//! The classification losses and outputs: values by hand, the extremes (no NaN or infinity
//! for any finite logit), and the combinations that are refused.

use nnlab_core::output::{output_gradient, sample_loss};
use nnlab_core::{Activation, CoreError, Layer, Loss, Network, PROB_EPSILON};

/// A one-layer network `z = w·x + b` per output with activation `act`.
fn single_layer(weights: Vec<Vec<f64>>, biases: Vec<f64>, act: Activation) -> Network {
    Network::from_layers(vec![Layer::new(weights, biases, act).unwrap()]).unwrap()
}

// By hand: σ(0) = 1/2, so BCE(y = 1) = -ln(1/2) = ln 2 and dL/dz = 1/2 - 1 = -1/2.
// z = ln 3: σ = 3/4; y = 0 -> L = -ln(1/4) = ln 4 (the logit form max(z,0) - z·y +
// ln(1 + e^-|z|) = ln 3 + ln(4/3) = ln 4); dL/dz = 3/4.
#[test]
fn binary_cross_entropy_by_hand() {
    let bce = Loss::BinaryCrossEntropy;
    assert_eq!(bce.f_logit(0.0, 1.0), 2f64.ln());
    assert!((bce.f_logit(3f64.ln(), 0.0) - 4f64.ln()).abs() < 1e-15);
    let net = single_layer(vec![vec![1.0]], vec![0.0], Activation::Sigmoid);
    let (trace, loss, back, grads) = net.backprop(&[3f64.ln()], &[0.0], bce).unwrap();
    assert!((trace.output()[0] - 0.75).abs() < 1e-15);
    assert!((loss - 4f64.ln()).abs() < 1e-15);
    // dL/dz = y_hat - y exactly (no division by y_hat(1 - y_hat)); dL/dw = dL/dz · x.
    assert_eq!(back.dl_dz[0][0], trace.output()[0] - 0.0);
    assert_eq!(grads.layers[0].dw[0], back.dl_dz[0][0] * 3f64.ln());
    // The probability form agrees away from the clip: -ln(1 - 3/4) = ln 4.
    assert!((bce.f(0.75, 0.0) - 4f64.ln()).abs() < 1e-15);
    assert!((bce.df(0.75, 0.0) - 4.0).abs() < 1e-14, "1/(1 - p) = 4");
}

// By hand: softmax(0, ln 3) = (1/4, 3/4); CCE with class 1 = -ln(3/4) = ln(4/3);
// dL/dz = (1/4, 3/4) - (0, 1) = (1/4, -1/4). Two classes, one sample: one number, not a mean.
#[test]
fn softmax_and_categorical_cross_entropy_by_hand() {
    let mut a = [0.0; 2];
    Activation::Softmax.forward_layer(&[0.0, 3f64.ln()], &mut a);
    assert!(
        (a[0] - 0.25).abs() < 1e-16 && (a[1] - 0.75).abs() < 1e-16,
        "{a:?}"
    );
    let net = single_layer(
        vec![vec![0.0], vec![1.0]],
        vec![0.0, 0.0],
        Activation::Softmax,
    );
    let cce = Loss::CategoricalCrossEntropy;
    let (trace, loss, back, _) = net.backprop(&[3f64.ln()], &[0.0, 1.0], cce).unwrap();
    assert!((loss - (4.0f64 / 3.0).ln()).abs() < 1e-15, "{loss}");
    assert_eq!(
        back.dl_dz[0],
        vec![trace.output()[0], trace.output()[1] - 1.0]
    );
    // Softmax of equal logits is uniform; the shift by max z changes nothing.
    Activation::Softmax.forward_layer(&[5.0, 5.0], &mut a);
    assert_eq!(a, [0.5, 0.5]);
}

// Softmax's full Jacobian by hand: a = (1/4, 3/4), dL/da = (1, 0):
// dL/dz_i = a_i·(dL/da_i - Σ a_j dL/da_j) = (1/4·(1 - 1/4), 3/4·(0 - 1/4)) = (3/16, -3/16).
#[test]
fn softmax_backward_uses_the_full_jacobian() {
    let mut dz = [0.0; 2];
    Activation::Softmax.backward_layer(&[0.0, 3f64.ln()], &[0.25, 0.75], &[1.0, 0.0], &mut dz);
    assert_eq!(dz, [3.0 / 16.0, -3.0 / 16.0]);
}

// z = ±1000: σ(1000) rounds to 1 and σ(-1000) to 0, where ln p or ln(1 - p) would be
// -inf. From the logit: y = 1, z = 1000 -> 1000 - 1000 + ln(1 + e^-1000) = 0; y = 0,
// z = 1000 -> 1000; z = -1000, y = 1 -> 0 + 1000 + 0 = 1000; y = 0 -> 0. dL/dz = p - y is
// 0, 1, -1, 0: all finite, and so is every gradient.
#[test]
fn binary_cross_entropy_at_the_extremes() {
    let bce = Loss::BinaryCrossEntropy;
    let net = |z: f64| single_layer(vec![vec![z]], vec![0.0], Activation::Sigmoid);
    for (z, y, loss, dz) in [
        (1000.0, 1.0, 0.0, 0.0),
        (1000.0, 0.0, 1000.0, 1.0),
        (-1000.0, 1.0, 1000.0, -1.0),
        (-1000.0, 0.0, 0.0, 0.0),
    ] {
        let (_, l, back, grads) = net(z).backprop(&[1.0], &[y], bce).unwrap();
        assert_eq!((l, back.dl_dz[0][0]), (loss, dz), "z = {z}, y = {y}");
        assert!(grads.flat().iter().all(|g| g.is_finite()));
        assert!(back.dl_da[0][0].is_finite(), "dL/da is the clipped form");
    }
}

// Probabilities of exactly 0 and 1 in the probability form: clipped to [1e-15, 1 - 1e-15],
// so the worst loss is -ln(1e-15) = 34.538776394910684 (= 15·ln 10), and a right answer
// costs about 1e-15, never a NaN (0·ln 0) or an infinity.
#[test]
fn probability_form_is_clipped_at_zero_and_one() {
    let bce = Loss::BinaryCrossEntropy;
    let worst = -PROB_EPSILON.ln();
    assert!((worst - 15.0 * 10f64.ln()).abs() < 1e-12);
    assert_eq!(bce.f(0.0, 1.0), worst);
    assert!(
        (bce.f(1.0, 0.0) - worst).abs() < 1e-3,
        "1 - (1 - 1e-15) is 1e-15 to rounding"
    );
    assert!(bce.f(1.0, 1.0) < 2e-15 && bce.f(0.0, 0.0) < 2e-15);
    for (p, y) in [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)] {
        assert!(bce.df(p, y).is_finite(), "{p} {y}");
        let cce = Loss::CategoricalCrossEntropy;
        assert!(
            cce.f(p, y).is_finite() && cce.df(p, y).is_finite(),
            "{p} {y}"
        );
    }
    assert_eq!(Loss::CategoricalCrossEntropy.f(0.0, 1.0), worst);
    assert_eq!(Loss::CategoricalCrossEntropy.f(0.0, 0.0), 0.0);
}

// Logits 1000, -1000, 0 with class 1: m = 1000, S = 1 + e^-2000 + e^-1000 = 1, ln S = 0,
// -ln p_1 = 0 - (-1000 - 1000) = 2000. softmax = (1, 0, 0), dL/dz = (1, -1, 0).
#[test]
fn categorical_cross_entropy_at_the_extremes() {
    let cce = Loss::CategoricalCrossEntropy;
    let z = [1000.0, -1000.0, 0.0];
    let mut a = [0.0; 3];
    Activation::Softmax.forward_layer(&z, &mut a);
    assert_eq!(a, [1.0, 0.0, 0.0]);
    assert_eq!(sample_loss(cce, &z, &a, &[0.0, 1.0, 0.0]), 2000.0);
    assert_eq!(sample_loss(cce, &z, &a, &[1.0, 0.0, 0.0]), 0.0);
    let (mut da, mut dz) = ([0.0; 3], [0.0; 3]);
    output_gradient(
        cce,
        Activation::Softmax,
        &z,
        &a,
        &[0.0, 1.0, 0.0],
        &mut da,
        &mut dz,
    );
    assert_eq!(dz, [1.0, -1.0, 0.0]);
    assert!(da.iter().all(|d| d.is_finite()), "{da:?}");
    // A whole network at the extremes: z = (1000, -1000) from x = 1.
    let net = single_layer(
        vec![vec![1000.0], vec![-1000.0]],
        vec![0.0, 0.0],
        Activation::Softmax,
    );
    let (_, l, _, grads) = net.backprop(&[1.0], &[0.0, 1.0], cce).unwrap();
    assert_eq!(l, 2000.0);
    assert_eq!(grads.flat(), vec![1.0, -1.0, 1.0, -1.0]);
}

// Mixed combinations are refused, naming the loss and both activations; softmax is refused
// before the last layer and with a single output.
#[test]
fn refused_combinations() {
    let relu_out = single_layer(vec![vec![1.0]], vec![0.0], Activation::Relu);
    let err = relu_out
        .backprop(&[1.0], &[1.0], Loss::BinaryCrossEntropy)
        .unwrap_err();
    assert_eq!(
        err,
        CoreError::LossNeedsOutput {
            loss: "binary_cross_entropy".into(),
            needs: "sigmoid",
            found: "relu".into()
        }
    );
    let sigmoid_out = single_layer(
        vec![vec![1.0], vec![2.0]],
        vec![0.0; 2],
        Activation::Sigmoid,
    );
    assert!(sigmoid_out
        .backprop(&[1.0], &[0.0, 1.0], Loss::CategoricalCrossEntropy)
        .is_err());
    let hidden = Network::zeros(&[2, 3, 2], &[Activation::Softmax, Activation::Softmax]);
    assert!(hidden
        .unwrap_err()
        .to_string()
        .contains("softmax is only valid as the last layer's activation"));
    let one = Network::zeros(&[2, 1], &[Activation::Softmax]).unwrap_err();
    assert!(one
        .to_string()
        .contains("softmax needs at least 2 output neurons"));
    assert!(Network::zeros(&[2, 3, 2], &[Activation::Relu, Activation::Softmax]).is_ok());
}
