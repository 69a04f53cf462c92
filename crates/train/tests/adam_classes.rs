//! Adam on a classification loss against its formula applied by hand, independent of the
//! optimizer's code: Kingma & Ba (2015), Algorithm 1, with Keras's epsilon outside the root:
//!
//! ```text
//! m_t = b1·m + (1 - b1)·g          v_t = b2·v + (1 - b2)·g²
//! m_hat = m_t / (1 - b1^t)         v_hat = v_t / (1 - b2^t)
//! p -= lr · m_hat / (sqrt(v_hat) + eps)          b1 = 0.9, b2 = 0.999, eps = 1e-7
//! ```
//!
//! on one sigmoid neuron under binary cross-entropy, whose gradients are
//! `dL/dz = sigmoid(z) - y`, `dL/dw = dL/dz · x`, `dL/db = dL/dz`.

use nnlab_core::{Activation, Layer, Loss, Network};
use nnlab_train::{train, BatchSize, Samples, TrainConfig};

/// Adam's state of one parameter, stepped by the formula above.
struct Moments {
    m: f64,
    v: f64,
}

impl Moments {
    fn step(&mut self, p: f64, g: f64, t: i32, lr: f64) -> f64 {
        let (b1, b2, eps) = (0.9, 0.999, 1e-7);
        self.m = b1 * self.m + (1.0 - b1) * g;
        self.v = b2 * self.v + (1.0 - b2) * g * g;
        let m_hat = self.m / (1.0 - f64::powi(b1, t));
        let v_hat = self.v / (1.0 - f64::powi(b2, t));
        p - lr * m_hat / (v_hat.sqrt() + eps)
    }
}

// Two rows (x = 2, y = 1) and (x = -1, y = 0), one row per step in order, three epochs: six
// Adam steps from w = 0.5, b = 0 at lr 0.1.
#[test]
fn adam_on_bce_is_the_formula_by_hand() {
    let (xs, ys) = ([2.0, -1.0], [1.0, 0.0]);
    let layer = Layer::new(vec![vec![0.5]], vec![0.0], Activation::Sigmoid).unwrap();
    let mut net = Network::from_layers(vec![layer]).unwrap();
    let data = Samples::new(&xs, &ys, 1, 1).unwrap();
    let cfg = TrainConfig {
        epochs: 3,
        lr: 0.1,
        batch_size: BatchSize::Rows(1),
        shuffle: false,
        loss: Loss::BinaryCrossEntropy,
        optimizer: "adam".parse().unwrap(),
        ..TrainConfig::default()
    };
    train(&mut net, &data, None, &cfg, &mut |_| {}).unwrap();

    let (mut w, mut b) = (0.5, 0.0);
    let (mut mw, mut mb) = (Moments { m: 0.0, v: 0.0 }, Moments { m: 0.0, v: 0.0 });
    let mut t = 0;
    for _epoch in 0..3 {
        for (x, y) in xs.iter().zip(ys) {
            t += 1;
            let p = 1.0 / (1.0 + f64::exp(-(w * x + b)));
            let dz = p - y;
            w = mw.step(w, dz * x, t, cfg.lr);
            b = mb.step(b, dz, t, cfg.lr);
        }
    }
    // Adam's first step moves each parameter by lr·sign(g) (m_hat/sqrt(v_hat) = g/|g|), so
    // six steps move w by at most 0.6; here every step pushes w up (both rows' gradients
    // have dL/dw < 0 while w·x separates them), so w ends near 0.5 + 0.6.
    let got = (
        net.layers()[0].weights_flat()[0],
        net.layers()[0].biases()[0],
    );
    assert!((got.0 - w).abs() < 1e-12, "w {} by hand {w}", got.0);
    assert!((got.1 - b).abs() < 1e-12, "b {} by hand {b}", got.1);
    assert!(w > 1.0 && w < 1.1, "{w}");
}
