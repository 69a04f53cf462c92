//! The course's published results, input (1, 0), target 2, reproduced by `StepReport`:
//! every row of the forward-pass table (lr 0.01) and of the one-update table (from
//! w = 1,0.5,1,-1,1,1, b = 0.5,0,0.5), compared as exact f64 and as `num()` strings.

use nnlab_core::{course, Loss};
use nnlab_report::{num, StepReport};

const X: [f64; 2] = [1.0, 0.0];
const Y: [f64; 1] = [2.0];

/// (case, w1..w6, b1..b3, node 1 = a1, node 2 = a2, prediction, loss), as published.
#[allow(clippy::type_complexity)]
const FORWARD: [(&str, [f64; 6], [f64; 3], &str, &str, &str, &str); 13] = [
    (
        "course start (w4=-0.5)",
        [1.0, 0.5, 1.0, -0.5, 1.0, 1.0],
        [0.5, 0.0, 0.5],
        "1.5",
        "0.5",
        "2.5",
        "0.25",
    ),
    (
        "small w, small b",
        [0.3, 0.1, 0.3, -0.2, 0.5, 0.3],
        [0.2, 0.0, 0.2],
        "0.5",
        "0.1",
        "0.48000000000000004",
        "2.3104",
    ),
    (
        "small w, medium b",
        [0.3, 0.1, 0.3, -0.2, 0.5, 0.3],
        [0.8, 0.4, 0.8],
        "1.1",
        "0.5",
        "1.5",
        "0.25",
    ),
    (
        "small w, high b",
        [0.3, 0.1, 0.3, -0.2, 0.5, 0.3],
        [3.0, 0.5, 3.0],
        "3.3",
        "0.6",
        "4.83",
        "8.0089",
    ),
    (
        "medium w, small b",
        [1.0, 0.5, 1.0, 0.8, 1.0, 0.8],
        [0.5, 0.0, 0.5],
        "1.5",
        "0.5",
        "2.4",
        "0.15999999999999992",
    ),
    (
        "medium w, medium b",
        [1.0, 0.5, 1.0, 0.8, 1.0, 0.8],
        [1.5, 0.5, 1.5],
        "2.5",
        "1.0",
        "4.8",
        "7.839999999999999",
    ),
    (
        "medium w, high b",
        [1.0, 0.5, 1.0, 0.8, 1.0, 0.8],
        [3.0, 2.0, 3.0],
        "4.0",
        "2.5",
        "9.0",
        "49.0",
    ),
    (
        "high w, small b",
        [3.0, 1.5, 3.0, -2.0, 1.5, 3.0],
        [0.5, 0.0, 0.5],
        "3.5",
        "1.5",
        "10.25",
        "68.0625",
    ),
    (
        "high w, medium b",
        [3.0, 1.5, 3.0, -2.0, 1.5, 3.0],
        [1.5, 1.0, 1.5],
        "4.5",
        "2.5",
        "15.75",
        "189.0625",
    ),
    (
        "high w, high b",
        [3.0, 1.5, 3.0, -2.0, 1.5, 3.0],
        [3.0, 2.0, 3.0],
        "6.0",
        "3.5",
        "22.5",
        "420.25",
    ),
    (
        "all identical 0.5",
        [0.5; 6],
        [0.5; 3],
        "1.0",
        "1.0",
        "1.5",
        "0.25",
    ),
    (
        "all unique",
        [1.5, 0.5, 1.0, -1.0, 1.2, 0.7],
        [0.3, 0.4, 0.7],
        "1.8",
        "0.9",
        "3.49",
        "2.220100000000001",
    ),
    (
        "mixed (exact fit)",
        [0.5, 0.5, 1.0, -1.0, 1.0, 1.0],
        [0.5, 0.0, 0.5],
        "1.0",
        "0.5",
        "2.0",
        "0.0",
    ),
];

#[test]
fn forward_pass_table() {
    for (case, w, b, a1, a2, prediction, loss) in FORWARD {
        let net = course::network(w, b);
        let r = StepReport::new(&net, &X, &Y, 0.01, Loss::SquaredError).unwrap();
        // Exact f64 equality with the published value (parsed from its repr) ...
        let f = |s: &str| s.parse::<f64>().unwrap();
        assert_eq!(r.nodes[0].a, f(a1), "{case}: node 1");
        assert_eq!(r.nodes[1].a, f(a2), "{case}: node 2");
        assert_eq!(r.prediction, [f(prediction)], "{case}: prediction");
        assert_eq!(r.loss, f(loss), "{case}: loss");
        // ... and the same digits when printed.
        assert_eq!(num(r.nodes[0].a), a1, "{case}");
        assert_eq!(num(r.nodes[1].a), a2, "{case}");
        assert_eq!(num(r.prediction[0]), prediction, "{case}");
        assert_eq!(num(r.loss), loss, "{case}");
        assert_eq!(
            (r.nodes[0].name.as_str(), r.nodes[2].a_name.as_str()),
            ("node 1", "y_hat")
        );
    }
}

/// (lr, w1..w6 and b1..b3 after one update), as published.
const UPDATE: [(f64, [&str; 9]); 6] = [
    (
        0.005,
        [
            "0.995", "0.495", "1.0", "-1.0", "0.9925", "0.9975", "0.495", "-0.005", "0.495",
        ],
    ),
    (
        0.01,
        [
            "0.99", "0.49", "1.0", "-1.0", "0.985", "0.995", "0.49", "-0.01", "0.49",
        ],
    ),
    (
        0.02,
        [
            "0.98", "0.48", "1.0", "-1.0", "0.97", "0.99", "0.48", "-0.02", "0.48",
        ],
    ),
    (
        0.05,
        [
            "0.95", "0.45", "1.0", "-1.0", "0.925", "0.975", "0.45", "-0.05", "0.45",
        ],
    ),
    (
        0.1,
        [
            "0.9", "0.4", "1.0", "-1.0", "0.85", "0.95", "0.4", "-0.1", "0.4",
        ],
    ),
    (
        0.25,
        [
            "0.75", "0.25", "1.0", "-1.0", "0.625", "0.875", "0.25", "-0.25", "0.25",
        ],
    ),
];

#[test]
fn one_update_table() {
    let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
    for (lr, after) in UPDATE {
        let r = StepReport::new(&net, &X, &Y, lr, Loss::SquaredError).unwrap();
        let names: Vec<&str> = r.after.names().collect();
        assert_eq!(
            names,
            ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
        );
        for ((name, value), expected) in r.after.0.iter().zip(after) {
            assert_eq!(num(*value), expected, "lr {lr}, {name}");
            assert_eq!(*value, expected.parse::<f64>().unwrap(), "lr {lr}, {name}");
        }
        // before + (-lr·gradient) is the update the core applied, bit for bit.
        for (k, (name, before)) in r.before.0.iter().enumerate() {
            assert_eq!(before + r.update.0[k].1, r.after.0[k].1, "lr {lr}, {name}");
            assert_eq!(r.after.0[k].1 - before, r.change.0[k].1, "lr {lr}, {name}");
        }
    }
}

/// The exact-fit case has loss 0 and zero gradients, so no learning rate moves it.
#[test]
fn exact_fit_never_moves() {
    let (w, b) = course::preset("mixed").unwrap();
    let net = course::network(w, b);
    for lr in [0.005, 0.01, 0.25, 1.0] {
        let r = StepReport::new(&net, &X, &Y, lr, Loss::SquaredError).unwrap();
        assert_eq!(r.loss, 0.0);
        assert_eq!(r.after, r.before, "lr {lr}");
        assert!(r.change.values().all(|c| c == 0.0), "lr {lr}");
        assert!(r.gradients.values().all(|g| g == 0.0), "lr {lr}");
    }
}
