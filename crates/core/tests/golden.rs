//! The course's published numbers, reproduced to the last bit by the general network.
//!
//! Origin: the course's published forward-pass and one-update tables (input (1, 0),
//! target 2), as quoted in issue 2, from the shared fixture `nnlab-fixtures`. Every
//! comparison is exact f64 equality.

use nnlab_core::{course, Loss};
use nnlab_fixtures::{num, COURSE_B, COURSE_W, FORWARD, UPDATE, X, Y};

#[test]
fn forward_pass_table() {
    for row in FORWARD {
        let case = row.case;
        let net = course::network(row.weights(), row.biases());
        let (trace, l, _, _) = net.backprop(&X, &Y, Loss::SquaredError).unwrap();
        assert_eq!(
            trace.a[0],
            vec![num(row.a1), num(row.a2)],
            "{case}: hidden activations"
        );
        assert_eq!(trace.output(), &[num(row.prediction)], "{case}: prediction");
        assert_eq!(l, num(row.loss), "{case}: loss");
    }
}

/// The presets carry the same values as the forward table (by name).
#[test]
fn presets_match_the_table() {
    for row in FORWARD {
        let (w, b) = course::preset(row.preset).unwrap();
        assert_eq!((w, b), (row.weights(), row.biases()), "{}", row.preset);
    }
    let (w, b) = course::preset("course").unwrap();
    assert_eq!((w, b), (COURSE_W.map(num), COURSE_B.map(num)), "course");
}

#[test]
fn one_update_table() {
    let (w0, b0) = course::preset("course").unwrap();
    for row in UPDATE {
        let lr = num(row.lr);
        let after = row.after.map(num);
        let (w, b): ([f64; 6], [f64; 3]) = (
            after[..6].try_into().unwrap(),
            after[6..].try_into().unwrap(),
        );
        let mut net = course::network(w0, b0);
        let (_, _, _, grads) = net.backprop(&X, &Y, Loss::SquaredError).unwrap();
        net.apply_gradients(&grads, lr);
        assert_eq!(course::params(&net).unwrap(), (w, b), "lr {lr}");
        // The fast kernel gives the same bits.
        let mut fast = course::CourseParams { w: w0, b: b0 };
        let loss = fast.sgd_step(X[0], X[1], Y[0], lr);
        assert_eq!(loss, 0.25);
        assert_eq!((fast.w, fast.b), (w, b), "fast kernel, lr {lr}");
    }
}

// Hand derivation for the course example: y_hat = 2.5, dL/dy_hat = 2(2.5 - 2) = 1,
// z3 = 2.5 > 0 so dL/dz3 = 1; dL/dw5 = 1·a1 = 1.5, dL/dw6 = 1·a2 = 0.5; dL/dz1 = 1·w5·1 = 1,
// dL/dz2 = 1·w6·relu'(z2 = 0.5) = 1; dL/dw1 = 1·x1 = 1, dL/dw3 = 1·x2 = 0, dL/dw2 = 1, dL/dw4 = 0.
#[test]
fn gradients_by_hand() {
    let (w, b) = course::preset("course").unwrap();
    let net = course::network(w, b);
    let (_, _, back, grads) = net.backprop(&X, &Y, Loss::SquaredError).unwrap();
    assert_eq!(back.dl_da[1], vec![1.0]);
    assert_eq!(back.dl_dz[1], vec![1.0]);
    assert_eq!(back.dl_da[0], vec![1.0, 1.0]);
    let named: Vec<(String, f64)> = net
        .named_param_ids()
        .into_iter()
        .map(|(n, id)| {
            let flat = net.param_ids().iter().position(|&i| i == id).unwrap();
            (n, grads.flat()[flat])
        })
        .collect();
    let expect = [
        ("w1", 1.0),
        ("w2", 1.0),
        ("w3", 0.0),
        ("w4", 0.0),
        ("w5", 1.5),
        ("w6", 0.5),
        ("b1", 1.0),
        ("b2", 1.0),
        ("b3", 1.0),
    ];
    for ((n, g), (en, eg)) in named.iter().zip(expect) {
        assert_eq!((n.as_str(), *g), (en, eg));
    }
}

/// The exact-fit case has zero loss and zero gradient, so no learning rate moves it.
#[test]
fn exact_fit_never_moves() {
    let (w, b) = course::preset("mixed").unwrap();
    for lr in [0.00005, 0.005, 0.01, 0.25, 1.0] {
        let mut net = course::network(w, b);
        let (_, loss, _, grads) = net.backprop(&X, &Y, Loss::SquaredError).unwrap();
        assert_eq!(loss, 0.0);
        net.apply_gradients(&grads, lr);
        assert_eq!(course::params(&net).unwrap(), (w, b), "lr {lr}");
    }
}
