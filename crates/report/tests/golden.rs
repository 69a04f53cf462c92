//! The course's published results, input (1, 0), target 2, reproduced by `StepReport`:
//! every row of the forward-pass table (lr 0.01) and of the one-update table (from
//! w = 1,0.5,1,-1,1,1, b = 0.5,0,0.5), compared as exact f64 and as `num()` strings. The
//! tables come from the shared fixture `nnlab-fixtures`, as the course printed them.

use nnlab_core::{course, Loss};
use nnlab_fixtures::{COURSE_B, COURSE_W, FORWARD, NAMES, UPDATE, X, Y};
use nnlab_report::{num, StepReport};

#[test]
fn forward_pass_table() {
    for row in FORWARD {
        let (case, a1, a2, prediction, loss) = (row.case, row.a1, row.a2, row.prediction, row.loss);
        let net = course::network(row.weights(), row.biases());
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

#[test]
fn one_update_table() {
    let net = course::network(
        COURSE_W.map(nnlab_fixtures::num),
        COURSE_B.map(nnlab_fixtures::num),
    );
    for row in UPDATE {
        let lr = nnlab_fixtures::num(row.lr);
        let r = StepReport::new(&net, &X, &Y, lr, Loss::SquaredError).unwrap();
        let names: Vec<&str> = r.after.names().collect();
        assert_eq!(names, NAMES);
        for ((name, value), expected) in r.after.0.iter().zip(row.after) {
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
