//! The course's published numbers, reproduced to the last bit by the general network.
//!
//! Origin: the course's published forward-pass and one-update tables (input (1, 0),
//! target 2), as quoted in issue 2. Every comparison is exact f64 equality.

use nnlab_core::{course, Loss};

const X: [f64; 2] = [1.0, 0.0];
const Y: [f64; 1] = [2.0];

/// (case, w1..w6, b1..b3, node1 a1, node2 a2, prediction, loss)
#[allow(clippy::type_complexity)]
const FORWARD: [(&str, [f64; 6], [f64; 3], f64, f64, f64, f64); 13] = [
    (
        "course start (w4=-0.5)",
        [1.0, 0.5, 1.0, -0.5, 1.0, 1.0],
        [0.5, 0.0, 0.5],
        1.5,
        0.5,
        2.5,
        0.25,
    ),
    (
        "small w, small b",
        [0.3, 0.1, 0.3, -0.2, 0.5, 0.3],
        [0.2, 0.0, 0.2],
        0.5,
        0.1,
        0.48000000000000004,
        2.3104,
    ),
    (
        "small w, medium b",
        [0.3, 0.1, 0.3, -0.2, 0.5, 0.3],
        [0.8, 0.4, 0.8],
        1.1,
        0.5,
        1.5,
        0.25,
    ),
    (
        "small w, high b",
        [0.3, 0.1, 0.3, -0.2, 0.5, 0.3],
        [3.0, 0.5, 3.0],
        3.3,
        0.6,
        4.83,
        8.0089,
    ),
    (
        "medium w, small b",
        [1.0, 0.5, 1.0, 0.8, 1.0, 0.8],
        [0.5, 0.0, 0.5],
        1.5,
        0.5,
        2.4,
        0.15999999999999992,
    ),
    (
        "medium w, medium b",
        [1.0, 0.5, 1.0, 0.8, 1.0, 0.8],
        [1.5, 0.5, 1.5],
        2.5,
        1.0,
        4.8,
        7.839999999999999,
    ),
    (
        "medium w, high b",
        [1.0, 0.5, 1.0, 0.8, 1.0, 0.8],
        [3.0, 2.0, 3.0],
        4.0,
        2.5,
        9.0,
        49.0,
    ),
    (
        "high w, small b",
        [3.0, 1.5, 3.0, -2.0, 1.5, 3.0],
        [0.5, 0.0, 0.5],
        3.5,
        1.5,
        10.25,
        68.0625,
    ),
    (
        "high w, medium b",
        [3.0, 1.5, 3.0, -2.0, 1.5, 3.0],
        [1.5, 1.0, 1.5],
        4.5,
        2.5,
        15.75,
        189.0625,
    ),
    (
        "high w, high b",
        [3.0, 1.5, 3.0, -2.0, 1.5, 3.0],
        [3.0, 2.0, 3.0],
        6.0,
        3.5,
        22.5,
        420.25,
    ),
    ("all identical 0.5", [0.5; 6], [0.5; 3], 1.0, 1.0, 1.5, 0.25),
    (
        "all unique",
        [1.5, 0.5, 1.0, -1.0, 1.2, 0.7],
        [0.3, 0.4, 0.7],
        1.8,
        0.9,
        3.49,
        2.220100000000001,
    ),
    (
        "mixed (exact fit)",
        [0.5, 0.5, 1.0, -1.0, 1.0, 1.0],
        [0.5, 0.0, 0.5],
        1.0,
        0.5,
        2.0,
        0.0,
    ),
];

#[test]
fn forward_pass_table() {
    for (case, w, b, a1, a2, prediction, loss) in FORWARD {
        let net = course::network(w, b);
        let (trace, l, _, _) = net.backprop(&X, &Y, Loss::SquaredError).unwrap();
        assert_eq!(trace.a[0], vec![a1, a2], "{case}: hidden activations");
        assert_eq!(trace.output(), &[prediction], "{case}: prediction");
        assert_eq!(l, loss, "{case}: loss");
    }
}

/// The presets carry the same values as the forward table (by name).
#[test]
fn presets_match_the_table() {
    let pairs = [
        ("course-start", 0),
        ("small-small", 1),
        ("small-medium", 2),
        ("small-high", 3),
        ("medium-small", 4),
        ("medium-medium", 5),
        ("medium-high", 6),
        ("high-small", 7),
        ("high-medium", 8),
        ("high-high", 9),
        ("identical", 10),
        ("unique", 11),
        ("mixed", 12),
    ];
    for (name, row) in pairs {
        let (w, b) = course::preset(name).unwrap();
        assert_eq!((w, b), (FORWARD[row].1, FORWARD[row].2), "{name}");
    }
}

/// (lr, w1..w6, b1..b3 after one update from the course's example)
const UPDATE: [(f64, [f64; 6], [f64; 3]); 6] = [
    (
        0.005,
        [0.995, 0.495, 1.0, -1.0, 0.9925, 0.9975],
        [0.495, -0.005, 0.495],
    ),
    (
        0.01,
        [0.99, 0.49, 1.0, -1.0, 0.985, 0.995],
        [0.49, -0.01, 0.49],
    ),
    (
        0.02,
        [0.98, 0.48, 1.0, -1.0, 0.97, 0.99],
        [0.48, -0.02, 0.48],
    ),
    (
        0.05,
        [0.95, 0.45, 1.0, -1.0, 0.925, 0.975],
        [0.45, -0.05, 0.45],
    ),
    (0.1, [0.9, 0.4, 1.0, -1.0, 0.85, 0.95], [0.4, -0.1, 0.4]),
    (
        0.25,
        [0.75, 0.25, 1.0, -1.0, 0.625, 0.875],
        [0.25, -0.25, 0.25],
    ),
];

#[test]
fn one_update_table() {
    let (w0, b0) = course::preset("course").unwrap();
    for (lr, w, b) in UPDATE {
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
