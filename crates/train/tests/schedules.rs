//! Learning-rate schedules and early stopping through `train` (the state machines on
//! scripted loss sequences are unit tests beside them, in `src/schedule.rs` and
//! `src/early_stop.rs`).

use nnlab_core::course;
use nnlab_train::{train, EarlyStopping, Event, Samples, Schedule, TrainConfig, TrainStatus};

// Step: lr·factor^floor((e-1)/every). Exponential: lr·rate^((e-1)/steps); e = 3 with
// rate 0.5, steps 2 is exactly 0.01·0.5 = 0.005, e = 2 is 0.01/sqrt(2) = 0.00707106781186547...
#[test]
fn step_and_exponential_by_hand() {
    let step = Schedule::Step {
        every: 2,
        factor: 0.5,
    };
    let lrs: Vec<f64> = (1..=5).map(|e| step.lr_at(0.01, e)).collect();
    assert_eq!(lrs, vec![0.01, 0.01, 0.005, 0.005, 0.0025]);
    let exp = Schedule::Exponential {
        decay_rate: 0.5,
        decay_steps: 2.0,
    };
    assert_eq!(exp.lr_at(0.01, 1), 0.01);
    assert!((exp.lr_at(0.01, 2) - 0.007_071_067_811_865_475).abs() < 1e-17);
    assert_eq!(exp.lr_at(0.01, 3), 0.005);
    assert_eq!(Schedule::Constant.lr_at(0.01, 1000), 0.01);
}

// A dead course network (b3 = -5 makes z3 < 0, so y_hat = 0 and every gradient is 0) has a
// flat loss: plateau patience 2, factor 0.5 reduces after epochs 3, 5, 7 (as above), so the
// rates per epoch are 0.01 ×3, 0.005 ×2, 0.0025 ×2, 0.00125.
#[test]
fn plateau_through_train_on_a_flat_loss() {
    let x = [0.5, 0.5, 1.0, 0.0];
    let y = [1.0, 2.0];
    let data = Samples::new(&x, &y, 2, 1).unwrap();
    let mut net = course::network([1.0; 6], [0.0, 0.0, -5.0]);
    let cfg = TrainConfig {
        epochs: 8,
        schedule: "plateau:0.5,2,0,0,0".parse().unwrap(),
        ..TrainConfig::default()
    };
    let mut changes = Vec::new();
    let out = train(&mut net, &data, None, &cfg, &mut |e| {
        if let Event::LrChanged { epoch, lr } = e {
            changes.push((*epoch, *lr));
        }
    })
    .unwrap();
    let lrs: Vec<f64> = out.history.iter().map(|r| r.lr).collect();
    assert_eq!(
        lrs,
        vec![0.01, 0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025, 0.00125]
    );
    assert_eq!(changes, vec![(4, 0.005), (6, 0.0025), (8, 0.00125)]);
    // Flat loss (1 + 4)/2 = 2.5 every epoch.
    assert!(out.history.iter().all(|r| r.train_loss == 2.5));
}

#[test]
fn step_schedule_through_train_reports_its_drops() {
    let data = Samples::new(&[0.5, 0.5], &[1.0], 2, 1).unwrap();
    let mut net = course::network([1.0; 6], [0.0; 3]);
    let cfg = TrainConfig {
        epochs: 5,
        schedule: "step:2,0.5".parse().unwrap(),
        ..TrainConfig::default()
    };
    let mut changes = Vec::new();
    let out = train(&mut net, &data, None, &cfg, &mut |e| {
        if let Event::LrChanged { epoch, lr } = e {
            changes.push((*epoch, *lr));
        }
    })
    .unwrap();
    let lrs: Vec<f64> = out.history.iter().map(|r| r.lr).collect();
    assert_eq!(lrs, vec![0.01, 0.01, 0.005, 0.005, 0.0025]);
    assert_eq!(changes, vec![(3, 0.005), (5, 0.0025)]);
}

// Training pulls y_hat at x = (1, 0) from 2.5 (the course start) down toward 1; the test
// target 1.8 is passed on the way, so the test loss falls, then rises: early stopping on the
// test loss stops `patience` epochs after its best epoch. With restore_best the parameters
// are those after `best_epoch` epochs (the same bits as a run of that many epochs).
#[test]
fn early_stopping_through_train_with_restore() {
    let train_set = Samples::new(&[1.0, 0.0], &[1.0], 2, 1).unwrap();
    let test_set = Samples::new(&[1.0, 0.0], &[1.8], 2, 1).unwrap();
    let start = course::network([1.0, 0.5, 1.0, -0.5, 1.0, 1.0], [0.5, 0.0, 0.5]);
    let run = |epochs: usize, es: Option<EarlyStopping>| {
        let mut net = start.clone();
        let cfg = TrainConfig {
            epochs,
            early_stopping: es,
            ..TrainConfig::default()
        };
        let mut stopped = None;
        let out = train(&mut net, &train_set, Some(&test_set), &cfg, &mut |e| {
            if let Event::StoppedEarly { epoch, best_epoch } = e {
                stopped = Some((*epoch, *best_epoch));
            }
        })
        .unwrap();
        (out, net, stopped)
    };
    for restore_best in [false, true] {
        let es = EarlyStopping {
            patience: 3,
            min_delta: 0.0,
            restore_best,
        };
        let (out, net, stopped) = run(300, Some(es));
        let TrainStatus::StoppedEarly { epoch, best_epoch } = out.status else {
            panic!("expected an early stop, got {:?}", out.status);
        };
        assert!(best_epoch > 1, "the test loss must fall first");
        assert_eq!(epoch, best_epoch + 3);
        assert_eq!(stopped, Some((epoch, best_epoch)));
        assert_eq!(out.history.len(), epoch);
        assert_eq!(out.best_epoch, Some(best_epoch));
        let losses: Vec<f64> = out.history.iter().map(|r| r.test_loss.unwrap()).collect();
        assert!(losses[best_epoch..]
            .iter()
            .all(|&l| l >= losses[best_epoch - 1]));
        let expected_epochs = if restore_best { best_epoch } else { epoch };
        let (_, reference, _) = run(expected_epochs, None);
        assert_eq!(net, reference);
        assert_eq!(out.final_net, reference);
    }
}
