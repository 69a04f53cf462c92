//! The chain-rule explanations: course-style equations checked character by character
//! against a hand derivation, and for every network the printed factors multiply to the
//! library's gradient exactly.

use nnlab_core::values::{build_network, ParamValues};
use nnlab_core::{course, rng::Rng, Activation, Loss, Network};
use nnlab_report::{num, StepReport};

// Hand derivation for the course example (w = 1,0.5,1,-1,1,1, b = 0.5,0,0.5, x = (1, 0),
// y = 2): z1 = 1.5, z2 = 0.5, y_hat = 2.5, dL/dy_hat = 2(2.5 - 2) = 1, relu' = 1 everywhere.
#[test]
fn course_equations_read_like_the_course() {
    let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
    let r = StepReport::new(&net, &[1.0, 0.0], &[2.0], 0.01, Loss::SquaredError).unwrap();
    let eq: Vec<&str> = r.nodes.iter().map(|n| n.equation.as_str()).collect();
    assert_eq!(
        eq,
        [
            "z1 = 1·1 + 0·1 + 0.5 = 1.5 -> relu -> a1 = 1.5",
            "z2 = 1·0.5 + 0·(-1) + 0 = 0.5 -> relu -> a2 = 0.5",
            "z3 = 1.5·1 + 0.5·1 + 0.5 = 2.5 -> relu -> y_hat = 2.5",
        ]
    );
    let g = |name: &str| {
        r.gradient_factors
            .iter()
            .find(|g| g.name == name)
            .unwrap()
            .equation()
    };
    assert_eq!(
        g("w5"),
        "dL/dw5 = 2(y_hat - y) · relu'(z3) · a1 = 1 · 1 · 1.5 = 1.5"
    );
    assert_eq!(
        g("w1"),
        "dL/dw1 = 2(y_hat - y) · relu'(z3) · w5 · relu'(z1) · x1 = 1 · 1 · 1 · 1 · 1 = 1"
    );
    assert_eq!(
        g("w4"),
        "dL/dw4 = 2(y_hat - y) · relu'(z3) · w6 · relu'(z2) · x2 = 1 · 1 · 1 · 1 · 0 = 0"
    );
    assert_eq!(
        g("b1"),
        "dL/db1 = 2(y_hat - y) · relu'(z3) · w5 · relu'(z1) = 1 · 1 · 1 · 1 = 1"
    );
    assert_eq!(g("b3"), "dL/db3 = 2(y_hat - y) · relu'(z3) = 1 · 1 = 1");
    assert_eq!(
        r.nodes[2].dl_da_equation,
        "dL/dy_hat = 2(y_hat - y) = 2(2.5 - 2) = 1"
    );
    assert_eq!(
        r.nodes[0].dl_da_equation,
        "dL/da1 = dL/dz3 · w5 = 1 · 1 = 1"
    );
    assert_eq!(
        r.nodes[0].dl_dz_equation,
        "dL/dz1 = dL/da1 · relu'(z1) = 1 · 1 = 1"
    );
    assert_eq!(r.loss_equation, "loss = (y_hat - y)^2 = (2.5 - 2)^2 = 0.25");
}

/// Networks of several shapes, activations and losses, with non-round parameters.
fn networks() -> Vec<(Network, Vec<f64>, Vec<f64>, Loss)> {
    let mut out = Vec::new();
    for (name, w, b) in course::PRESETS {
        let _ = name;
        out.push((
            course::network(w, b),
            vec![1.0, 0.0],
            vec![2.0],
            Loss::SquaredError,
        ));
        out.push((
            course::network(w, b),
            vec![0.7, -1.3],
            vec![0.4],
            Loss::Huber { delta: 0.5 },
        ));
    }
    let shapes: [(&[usize], &[Activation], Loss); 4] = [
        (
            &[2, 2, 1],
            &[Activation::Sigmoid, Activation::Tanh],
            Loss::SquaredError,
        ),
        (
            &[2, 3, 1],
            &[Activation::Tanh, Activation::Identity],
            Loss::SquaredError,
        ),
        (
            &[3, 4, 2],
            &[Activation::LeakyRelu { slope: 0.1 }, Activation::Sigmoid],
            Loss::SquaredError,
        ),
        (
            &[2, 3, 3, 2],
            &[Activation::Tanh, Activation::Relu, Activation::Identity],
            Loss::AbsoluteError,
        ),
    ];
    for (seed, (sizes, acts, loss)) in shapes.into_iter().enumerate() {
        let init = |s: &str| s.parse::<ParamValues>().unwrap();
        let net = build_network(
            sizes,
            acts,
            &init("uniform:-1.5,1.5"),
            &init("uniform:-0.5,0.5"),
            &mut Rng::new(seed as u64),
        )
        .unwrap();
        let x: Vec<f64> = (0..sizes[0]).map(|i| 0.3 + 0.45 * i as f64).collect();
        let y: Vec<f64> = (0..*sizes.last().unwrap())
            .map(|j| 1.0 - 0.6 * j as f64)
            .collect();
        out.push((net, x, y, loss));
    }
    out
}

/// The factors are the values backprop multiplied, in its order: their product (and the
/// product of the printed factors, read back) is the gradient to the last bit.
#[test]
fn printed_factors_multiply_to_the_gradient() {
    for (net, x, y, loss) in networks() {
        let r = StepReport::new(&net, &x, &y, 0.1, loss).unwrap();
        assert_eq!(r.gradient_factors.len(), net.n_params());
        for g in &r.gradient_factors {
            assert_eq!(
                g.product().to_bits(),
                g.value.to_bits(),
                "{} {}",
                r.arch,
                g.equation()
            );
            let printed: Vec<f64> = g.factors.iter().map(|&f| num(f).parse().unwrap()).collect();
            let product = printed[1..].iter().fold(printed[0], |acc, f| acc * f);
            assert_eq!(product.to_bits(), g.value.to_bits(), "{}", g.equation());
            assert_eq!(r.gradients.get(&g.name), Some(g.value));
            assert_eq!(g.symbols.len(), g.factors.len());
        }
        // dL/dz = dL/da · f'(z) per node, with the core's own f' (the output of a
        // cross-entropy takes the shortcut instead: `classification_outputs_explained`).
        for (n, node) in r.nodes.iter().enumerate() {
            if r.logit_gradient && node.layer == r.n_layers() {
                continue;
            }
            let act = net.layers()[node.layer - 1].activation;
            assert_eq!(
                node.dl_da * act.df(node.z),
                node.dl_dz,
                "node {n} of {}",
                r.arch
            );
        }
    }
}

// General names: in a 2-3-1 network, dL/dL1.w[2][1] = dL/dz(L1.n2) · x1.
#[test]
fn general_equations_use_layer_names() {
    let (net, x, y, loss) = networks().remove(29);
    assert_eq!(net.arch_string(), "2-3-1");
    let r = StepReport::new(&net, &x, &y, 0.1, loss).unwrap();
    let g = r
        .gradient_factors
        .iter()
        .find(|g| g.name == "L1.w[2][1]")
        .unwrap();
    assert_eq!(g.formula, "dL/dz(L1.n2) · x1");
    assert_eq!(g.factors, [r.nodes[1].dl_dz, 0.3]);
    assert!(r.nodes[1]
        .dl_da_equation
        .starts_with("dL/da(L1.n2) = dL/dz(L2.n1) · L2.w[1][2] = "));
    assert_eq!(r.nodes[1].name, "L1.n2");
    assert!(r.nodes[3].equation.ends_with(&format!(
        "-> identity -> y_hat = {}",
        nnlab_report::num_short(r.prediction[0])
    )));
    assert!(r.gradients.names().next() == Some("L1.w[1][1]"));
}

// Several outputs: dL/dy_hat[j] = 2(y_hat[j] - y[j]) / 2, and the loss is the mean.
#[test]
fn several_outputs_show_the_mean() {
    let (net, x, y, loss) = networks().remove(30);
    assert_eq!(net.arch_string(), "3-4-2");
    let r = StepReport::new(&net, &x, &y, 0.1, loss).unwrap();
    assert_eq!(r.prediction.len(), 2);
    let out = &r.nodes[4];
    assert_eq!(out.a_name, "y_hat[1]");
    assert!(out
        .dl_da_equation
        .starts_with("dL/dy_hat[1] = 2(y_hat[1] - y[1]) / 2 = 2("));
    assert!(r
        .loss_equation
        .starts_with("loss = mean over j of (y_hat[j] - y[j])^2 = (("));
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["prediction"].is_array());
}

/// Sizes, activations, loss and target of one network.
type Case = (
    &'static [usize],
    &'static [Activation],
    Loss,
    &'static [f64],
);

/// Sigmoid + BCE on the course network and on 3 outputs, softmax + CCE, softmax with
/// squared error, each with an L1 and L2 penalty: the printed chain's product plus the
/// penalty's part is each gradient to the bit, the shortcut nodes have `dL/dz = y_hat - y`
/// (divided by the outputs for BCE), and the penalty is in the loss.
#[test]
fn classification_outputs_explained() {
    let init = |s: &str| s.parse::<ParamValues>().unwrap();
    let cases: [Case; 4] = [
        (
            &[2, 2, 1],
            &[Activation::Relu, Activation::Sigmoid],
            Loss::BinaryCrossEntropy,
            &[1.0],
        ),
        (
            &[2, 3, 3],
            &[Activation::Tanh, Activation::Sigmoid],
            Loss::BinaryCrossEntropy,
            &[1.0, 0.0, 1.0],
        ),
        (
            &[2, 3, 3],
            &[Activation::Tanh, Activation::Softmax],
            Loss::CategoricalCrossEntropy,
            &[0.0, 0.0, 1.0],
        ),
        (
            &[2, 3, 3],
            &[Activation::Tanh, Activation::Softmax],
            Loss::SquaredError,
            &[0.0, 1.0, 0.0],
        ),
    ];
    let reg = nnlab_core::Regularization { l1: 0.01, l2: 0.05 };
    for (seed, (sizes, acts, loss, y)) in cases.into_iter().enumerate() {
        let net = build_network(
            sizes,
            acts,
            &init("uniform:-1.5,1.5"),
            &init("uniform:-0.5,0.5"),
            &mut Rng::new(40 + seed as u64),
        )
        .unwrap();
        let x = [0.3, -0.8];
        let r = StepReport::regularized(&net, &x, y, 0.1, loss, reg).unwrap();
        let plain = StepReport::new(&net, &x, y, 0.1, loss).unwrap();
        let p = r.penalty.as_ref().expect("a penalty");
        assert_eq!(r.loss, plain.loss + p.value, "{loss}");
        for g in &r.gradient_factors {
            let extra = g.penalty.as_ref().map_or(0.0, |t| t.value);
            assert_eq!(g.product() + extra, g.value, "{}", g.equation());
            assert_eq!(
                g.penalty.is_some(),
                g.name.contains(".w[") || g.name.starts_with('w')
            );
        }
        let last = r.n_layers();
        let n = y.len() as f64;
        for (j, node) in r.layer_nodes(last).enumerate() {
            let shortcut = node.a - y[j];
            match loss {
                Loss::BinaryCrossEntropy if n > 1.0 => assert_eq!(node.dl_dz, shortcut / n),
                Loss::BinaryCrossEntropy | Loss::CategoricalCrossEntropy => {
                    assert_eq!(node.dl_dz, shortcut)
                }
                _ => assert!(node.dl_dz_equation.ends_with("(softmax's Jacobian)")),
            }
        }
        assert_eq!(r.logit_gradient, loss.is_classification(), "{loss}");
    }
}
