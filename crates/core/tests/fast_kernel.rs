//! The fast course kernel and the general network give the same bits, sample after sample.

use nnlab_core::course::{self, CourseParams};
use nnlab_core::rng::Rng;
use nnlab_core::Loss;

#[test]
fn fast_kernel_matches_general_network_bitwise() {
    let mut rng = Rng::new(11);
    for trial in 0..200 {
        let w: [f64; 6] = std::array::from_fn(|_| rng.uniform_range(-3.0, 3.0));
        let b: [f64; 3] = std::array::from_fn(|_| rng.uniform_range(-1.0, 1.0));
        let mut net = course::network(w, b);
        let mut fast = CourseParams { w, b };
        let lr = [0.00005, 0.01, 0.1, 0.5][trial % 4];
        for _ in 0..20 {
            let x = [rng.uniform_range(-1.0, 2.0), rng.uniform_range(-1.0, 2.0)];
            let y = rng.uniform_range(0.0, 3.0);
            let (_, loss, _, grads) = net.backprop(&x, &[y], Loss::SquaredError).unwrap();
            net.apply_gradients(&grads, lr);
            let fast_loss = fast.sgd_step(x[0], x[1], y, lr);
            assert_eq!(loss.to_bits(), fast_loss.to_bits());
            let (gw, gb) = course::params(&net).unwrap();
            for (g, f) in gw.iter().chain(&gb).zip(fast.w.iter().chain(&fast.b)) {
                assert_eq!(g.to_bits(), f.to_bits(), "trial {trial}");
            }
            assert_eq!(
                fast.predict(x[0], x[1]).to_bits(),
                net.predict(&x).unwrap()[0].to_bits()
            );
        }
    }
}
