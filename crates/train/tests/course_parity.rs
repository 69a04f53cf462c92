//! The bit-exact parity the course demands: `train` (fast kernel and general path) against
//! an independent scalar implementation of the course's equations (tests/common).

mod common;

use common::{course_data, Course, START_B, START_W};
use nnlab_core::course;
use nnlab_train::{train, Event, Kernel, Samples, TrainConfig, TrainStatus};

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn run(kernel: Kernel) -> (Vec<f64>, [f64; 9], usize) {
    let (x, y) = course_data(100, 2024);
    let data = Samples::new(&x, &y, 2, 1).unwrap();
    let mut net = course::network(START_W, START_B);
    let cfg = TrainConfig {
        epochs: 300,
        lr: 0.01,
        kernel,
        ..TrainConfig::default()
    };
    let mut events = 0;
    let mut params_events = 0;
    let out = train(&mut net, &data, None, &cfg, &mut |e: &Event| match e {
        Event::Params { .. } => params_events += 1,
        _ => events += 1,
    })
    .unwrap();
    // One parameter snapshot per epoch, for the diagnostics that follow parameters over time.
    assert_eq!(params_events, 300);
    assert_eq!(out.status, TrainStatus::Completed);
    assert_eq!(out.sample_steps, 30_000);
    assert_eq!(out.fast_kernel, kernel == Kernel::Auto);
    let losses = out.history.iter().map(|r| r.train_loss).collect();
    let (w, b) = course::params(&net).unwrap();
    let mut all = [0.0; 9];
    all[..6].copy_from_slice(&w);
    all[6..].copy_from_slice(&b);
    (losses, all, events)
}

#[test]
fn fast_and_general_paths_match_the_course_equations_bit_for_bit() {
    let (x, y) = course_data(100, 2024);
    let mut reference = Course::new(START_W, START_B);
    let ref_losses = reference.train(&x, &y, 0.01, 300);
    // The run must actually learn, or the comparison would prove little.
    assert!(ref_losses[299] < ref_losses[0] / 2.0);

    for kernel in [Kernel::Auto, Kernel::General] {
        let (losses, params, events) = run(kernel);
        assert_eq!(losses.len(), 300);
        assert_eq!(bits(&losses), bits(&ref_losses), "{kernel:?} epoch losses");
        assert_eq!(
            bits(&params),
            bits(&reference.all()),
            "{kernel:?} parameters"
        );
        // Start + one per epoch + Finished: never an event per sample.
        assert_eq!(events, 302);
    }
}

#[test]
fn test_loss_is_the_mean_over_test_rows_with_end_of_epoch_parameters() {
    let (x, y) = course_data(100, 7);
    let (train_x, test_x) = x.split_at(160);
    let (train_y, test_y) = y.split_at(80);
    let data = Samples::new(train_x, train_y, 2, 1).unwrap();
    let test = Samples::new(test_x, test_y, 2, 1).unwrap();
    for kernel in [Kernel::Auto, Kernel::General] {
        let mut net = course::network(START_W, START_B);
        let cfg = TrainConfig {
            epochs: 3,
            kernel,
            ..TrainConfig::default()
        };
        let out = train(&mut net, &data, Some(&test), &cfg, &mut |_| {}).unwrap();
        let mut r = Course::new(START_W, START_B);
        for rec in &out.history {
            let train_loss = r.train(train_x, train_y, 0.01, 1)[0];
            let mut sum = 0.0;
            for (xr, &yr) in test_x.chunks(2).zip(test_y) {
                let d = r.predict(xr[0], xr[1]) - yr;
                sum += d * d;
            }
            assert_eq!(rec.train_loss.to_bits(), train_loss.to_bits());
            assert_eq!(rec.test_loss.unwrap().to_bits(), (sum / 20.0).to_bits());
        }
    }
}

#[test]
fn shuffled_runs_agree_between_kernels() {
    let (x, y) = course_data(100, 5);
    let data = Samples::new(&x, &y, 2, 1).unwrap();
    let results: Vec<_> = [Kernel::Auto, Kernel::General]
        .into_iter()
        .map(|kernel| {
            let mut net = course::network(START_W, START_B);
            let cfg = TrainConfig {
                epochs: 20,
                shuffle: true,
                shuffle_seed: 9,
                kernel,
                ..TrainConfig::default()
            };
            let out = train(&mut net, &data, None, &cfg, &mut |_| {}).unwrap();
            let losses: Vec<f64> = out.history.iter().map(|r| r.train_loss).collect();
            (bits(&losses), bits(&net.params_flat()))
        })
        .collect();
    assert_eq!(results[0], results[1]);
}
