//! Sessions drive `nnlab_train::Trainer`, the trainer `nnlab train` runs: stepped by
//! epochs, or by a mix of samples, batches and epochs, a session gives the bits of
//! `nnlab_lab::run` (what `nnlab train` does) on the same experiment, for SGD, momentum and
//! Adam, batch 1, 10 and full, with shuffling, a plateau schedule, early stopping with
//! restore_best and a test set, with the same verdict; and each state's `update` is what the
//! next step does.

mod common;

use nnlab_lab::Experiment;
use nnlab_serve::{Session, StepRequest};
use nnlab_train::{EarlyStopping, EpochRecord, TrainStatus, Unit};
use serde_json::{json, Value};

const EPOCHS: usize = 25;

fn experiment(optimizer: &str, batch: &str, arch: Option<(&str, &str)>) -> Experiment {
    let mut exp = Experiment::default();
    let mut pairs = vec![
        ("optimizer", optimizer),
        ("batch_size", batch),
        ("shuffle", "true"),
        ("seed", "4"),
        ("lr", "0.05"),
        ("test_fraction", "0.2"),
        ("schedule", "plateau:0.5,2,0.001,0,0"),
    ];
    if let Some((a, act)) = arch {
        pairs.extend([("arch", a), ("activation", act)]);
    }
    for (k, v) in pairs {
        exp.set(k, v).expect("a valid setting");
    }
    exp.train.epochs = EPOCHS;
    exp.train.early_stopping = Some(EarlyStopping {
        patience: 4,
        min_delta: 1e-4,
        restore_best: true,
    });
    exp
}

fn bits(h: &[EpochRecord]) -> Vec<(u64, Option<u64>, u64)> {
    h.iter()
        .map(|r| {
            (
                r.train_loss.to_bits(),
                r.test_loss.map(f64::to_bits),
                r.lr.to_bits(),
            )
        })
        .collect()
}

/// Steps `s` by `pattern`, repeated, until it has run `EPOCHS` epochs or ended.
fn drive(s: &mut Session, pattern: &[(Unit, usize)]) {
    loop {
        for &(unit, count) in pattern {
            let t = s.trainer();
            if !t.is_running() || t.epoch() == EPOCHS {
                return;
            }
            // Sample and batch steps stay inside the run's epochs.
            let left = (EPOCHS - t.epoch()) * t.n_rows() - t.position();
            let count = match unit {
                Unit::Sample => count.min(left),
                Unit::Batch => count.min(left.div_ceil(t.batch_rows())),
                Unit::Epoch => count.min(EPOCHS - t.epoch()),
            };
            s.step(StepRequest { unit, count }).expect("a step");
        }
    }
}

#[test]
fn sessions_give_the_bits_of_nnlab_train() {
    let mixed = [
        (Unit::Sample, 5),
        (Unit::Batch, 1),
        (Unit::Epoch, 2),
        (Unit::Sample, 31),
        (Unit::Batch, 3),
    ];
    let (mut stopped, mut reduced) = (0, 0);
    for arch in [None, Some(("2-3-1", "tanh,identity"))] {
        for optimizer in ["sgd", "momentum", "adam"] {
            for batch in ["1", "10", "full"] {
                let exp = experiment(optimizer, batch, arch);
                let want = nnlab_lab::run(&exp, &mut |_| {}).expect("the run");
                stopped += usize::from(matches!(want.status, TrainStatus::StoppedEarly { .. }));
                reduced += usize::from(want.history.iter().any(|r| r.lr != 0.05));
                for pattern in [&[(Unit::Epoch, EPOCHS)][..], &mixed] {
                    let what = format!("{arch:?} {optimizer} batch {batch} {pattern:?}");
                    let mut s = Session::new(&exp, None).expect("a session");
                    drive(&mut s, pattern);
                    let t = s.trainer();
                    assert_eq!(bits(t.history()), bits(&want.history), "{what}");
                    assert_eq!(t.network(), &want.final_network, "{what}");
                    let got: Vec<u64> = t
                        .network()
                        .params_flat()
                        .iter()
                        .map(|v| v.to_bits())
                        .collect();
                    let expected: Vec<u64> = want
                        .final_network
                        .params_flat()
                        .iter()
                        .map(|v| v.to_bits())
                        .collect();
                    assert_eq!(got, expected, "{what}");
                    assert_eq!(t.status(), &want.status, "{what}");
                    // The page's outcome is the one `nnlab train` prints for the same run.
                    let state = s
                        .state("parity", &nnlab_serve::StateOptions::default())
                        .expect("a state");
                    assert_eq!(state.verdict.as_ref(), Some(&want.verdict), "{what}");
                }
            }
        }
    }
    assert!(
        stopped > 0 && reduced > 0,
        "stopped {stopped}, reduced {reduced}"
    );
}

/// Bits of the parameters a state shows, by name.
fn params(state: &Value) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = state["params"]
        .as_object()
        .expect("params")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_f64().expect("a number").to_bits()))
        .collect();
    v.sort();
    v
}

// The math panel's numbers: with momentum at batch 4 (shuffled), the state's `update` says samples
// 1..3 only add to the batch's sum (nothing moves), and sample 4's `after` is exactly what
// the step then writes (not the plain-SGD `step.after` of one sample).
#[tokio::test]
async fn the_state_shows_what_the_next_step_really_does() {
    let addr = common::start().await;
    let exp =
        json!({"train": {"optimizer": "momentum", "batch_size": 4, "lr": 0.1, "shuffle": true}});
    let id = common::session(addr, &exp).await;
    let mut state = common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json();
    for k in 1..=8 {
        let u = state["update"].clone();
        // The selected row defaults to the one the step visits, a shuffled epoch's first too.
        assert_eq!(state["row"], u["row"]);
        assert_eq!(u["batch_sample"], json!((k - 1) % 4 + 1));
        assert_eq!(u["batch_size"], json!(4));
        assert_eq!(u["updates"], json!(k % 4 == 0));
        assert!(u["formula"]
            .as_str()
            .expect("a formula")
            .starts_with("v = momentum·v - lr·g"));
        let r = common::post(
            addr,
            &format!("/api/sessions/{id}/step"),
            &json!({"unit": "sample"}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let next = r.json();
        let mut shown: Vec<(String, u64)> = u["params"]
            .as_array()
            .expect("params")
            .iter()
            .map(|p| {
                let name = p["name"].as_str().expect("a name").to_string();
                (name, p["after"].as_f64().expect("after").to_bits())
            })
            .collect();
        shown.sort();
        assert_eq!(shown, params(&next), "sample {k}");
        if k % 4 != 0 {
            assert_eq!(params(&next), params(&state), "no update at sample {k}");
            assert!(u["params"][0]["sum"].is_number());
        } else {
            assert!(u["params"][0]["velocity"].is_number());
            // The plain-SGD single-sample `after` differs from the momentum batch update.
            assert_ne!(state["step"]["after"], next["params"]);
        }
        state = next;
    }
}
