//! Every run of a sweep gives the record `nnlab train` gives for the same settings
//! (`SweepRun::from_result(run(...))`), whichever path it took (lanes or `run_on`) and
//! however many threads ran it. Records are compared through `{:?}`, which prints every f64
//! as its shortest round-trip text, so equal strings mean equal bits (NaN included).

use nnlab_lab::sweep::{run_sweep, Status, SweepRun, SweepSpec};
use nnlab_lab::{run, Experiment};

fn reference(spec: &SweepSpec, i: usize) -> SweepRun {
    let point = spec.point(i);
    let exp = spec.experiment(&point).unwrap();
    let result = run(&exp, &mut |_| {}).unwrap();
    SweepRun::from_result(i, point.values, &result)
}

fn assert_parity(spec: &SweepSpec) -> (usize, Vec<SweepRun>) {
    let got = run_sweep(spec, None).unwrap();
    assert_eq!(got.runs.len(), spec.n_runs());
    for (i, rec) in got.runs.iter().enumerate() {
        let want = reference(spec, i);
        assert_eq!(
            format!("{rec:?}"),
            format!("{want:?}"),
            "run {i}: {}",
            spec.describe(&spec.point(i))
        );
    }
    (got.lane_runs, got.runs)
}

fn base(pairs: &[(&str, &str)]) -> Experiment {
    let mut e = Experiment::default();
    for (k, v) in pairs {
        e.set(k, v).unwrap();
    }
    e
}

#[test]
fn lane_runs_match_nnlab_train_across_lrs_and_seeds() {
    // lr = 1 on the default scaled data: some seeds' runs blow up, others die; both must match.
    let spec = SweepSpec::parse(
        base(&[("epochs", "40"), ("rows", "30")]),
        &["lr=0.001,0.05,0.5,1,3".into(), "seed=0..8".into()],
    )
    .unwrap();
    let (lanes, runs) = assert_parity(&spec);
    assert!(lanes >= 20, "only {lanes} runs took the lanes");
    assert!(runs.iter().any(|r| r.status == Status::Completed));
}

#[test]
fn diverging_lane_runs_fall_back_and_match() {
    // A ReLU net at a large rate mostly dies rather than diverging, so, as in the core
    // lanes tests, unscaled inputs of size 1e20 and 1e60 (targets x1² up to 1e120) make the updates overflow: the
    // lane result is not kept and the scalar path decides where it diverged, exactly as
    // `nnlab train` does. Positive random starts keep the output ReLU alive long enough to overflow.
    let spec = SweepSpec::parse(
        base(&[
            ("epochs", "30"),
            ("rows", "20"),
            ("scale", "none"),
            ("integer", "false"),
            ("weights", "uniform:0,3"),
            ("biases", "uniform:0,1"),
        ]),
        &[
            "lr=0.0001,0.01,1".into(),
            "x1=0,5;0,1e20;0,1e60".into(),
            "seed=0..6".into(),
        ],
    )
    .unwrap();
    let (_, runs) = assert_parity(&spec);
    let diverged = runs.iter().filter(|r| r.status == Status::Diverged).count();
    assert!(diverged >= 6, "only {diverged} runs diverged");
}

#[test]
fn general_path_runs_match_too() {
    // Adam, a test split, shuffling, a plateau schedule: none of these take the lanes.
    let spec = SweepSpec::parse(
        base(&[("epochs", "15"), ("rows", "40")]),
        &[
            "optimizer=sgd,adam".into(),
            "test_fraction=0,0.25".into(),
            "shuffle=false,true".into(),
            "schedule=constant,plateau".into(),
            "seed=3,4".into(),
        ],
    )
    .unwrap();
    let (lanes, runs) = assert_parity(&spec);
    // Only sgd, no split, no shuffle, constant: 2 seeds.
    assert_eq!(lanes, 2);
    assert!(runs.iter().any(|r| r.test_loss.is_some()));
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let spec = SweepSpec::parse(
        base(&[("epochs", "25"), ("rows", "25")]),
        &[
            "lr=0.01,0.2,1".into(),
            "init=course,identical".into(),
            "seed=0..13".into(),
        ],
    )
    .unwrap();
    let many = run_sweep(&spec, None).unwrap();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| run_sweep(&spec, None).unwrap());
    assert_eq!(format!("{:?}", many.runs), format!("{:?}", one.runs));
}
