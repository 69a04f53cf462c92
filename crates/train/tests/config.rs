//! The config: TOML round trips, the short CLI forms, validation and input errors.

use nnlab_core::{course, Loss};
use nnlab_train::{
    train, BatchSize, EarlyStopping, Kernel, Optimizer, Samples, Schedule, TrainConfig, TrainError,
};

#[test]
fn defaults_are_the_course_settings() {
    let cfg: TrainConfig = toml::from_str("").unwrap();
    assert_eq!(cfg, TrainConfig::default());
    assert_eq!(cfg.epochs, 300);
    assert_eq!(cfg.lr, 0.01);
    assert_eq!(cfg.batch_size, BatchSize::Rows(1));
    assert!(!cfg.shuffle);
    assert_eq!(cfg.loss, Loss::SquaredError);
    assert_eq!(cfg.optimizer, Optimizer::Sgd);
    assert_eq!(cfg.schedule, Schedule::Constant);
}

#[test]
fn toml_round_trip_of_every_field() {
    let configs = [
        TrainConfig::default(),
        TrainConfig {
            epochs: 50,
            lr: 0.001,
            batch_size: BatchSize::Full,
            shuffle: true,
            shuffle_seed: 7,
            loss: Loss::Huber { delta: 0.5 },
            l1: 0.001,
            l2: 0.25,
            optimizer: Optimizer::Momentum {
                momentum: 0.8,
                nesterov: true,
            },
            schedule: Schedule::Plateau {
                factor: 0.5,
                patience: 3,
                min_delta: 0.001,
                cooldown: 1,
                min_lr: 1e-5,
            },
            early_stopping: Some(EarlyStopping {
                patience: 4,
                min_delta: 0.01,
                restore_best: true,
            }),
            freeze: vec!["b1".into(), "L1.w[2][1]".into()],
            kernel: Kernel::General,
        },
        TrainConfig {
            batch_size: BatchSize::Rows(16),
            optimizer: "adam:0.8,0.99,1e-8".parse().unwrap(),
            schedule: "exponential:0.96,10".parse().unwrap(),
            ..TrainConfig::default()
        },
        TrainConfig {
            schedule: "step:100,0.5".parse().unwrap(),
            ..TrainConfig::default()
        },
    ];
    for cfg in configs {
        let text = toml::to_string(&cfg).unwrap();
        let back: TrainConfig = toml::from_str(&text).unwrap();
        assert_eq!(back, cfg, "{text}");
        let json = serde_json::to_string(&cfg).unwrap();
        assert_eq!(serde_json::from_str::<TrainConfig>(&json).unwrap(), cfg);
    }
}

#[test]
fn short_strings_and_tables_read_the_same() {
    let short: TrainConfig = toml::from_str(
        r#"
        optimizer = "momentum:0.9"
        schedule = "plateau"
        batch_size = 8
        "#,
    )
    .unwrap();
    let table: TrainConfig = toml::from_str(
        r#"
        batch_size = "8"
        [optimizer]
        kind = "momentum"
        [schedule]
        kind = "plateau"
        "#,
    )
    .unwrap();
    assert_eq!(short, table);
    assert_eq!(
        short.optimizer,
        Optimizer::Momentum {
            momentum: 0.9,
            nesterov: false
        }
    );
    assert_eq!(short.schedule, nnlab_train::PLATEAU_DEFAULT);
    let adam: TrainConfig = toml::from_str("[optimizer]\nkind = \"adam\"\nbeta_2 = 0.99").unwrap();
    assert_eq!(
        adam.optimizer,
        Optimizer::Adam {
            beta_1: 0.9,
            beta_2: 0.99,
            epsilon: 1e-7
        }
    );
}

#[test]
fn unknown_fields_and_bad_values_are_refused() {
    for text in [
        "epoch = 3",
        "[optimizer]\nkind = \"adam\"\nbeta1 = 0.9",
        "optimizer = \"rmsprop\"",
        "schedule = \"step:0,0.5\"",
        "batch_size = -1",
        "batch_size = \"half\"",
        "[optimizer]\nkind = \"momentum\"\nmomentum = 1.5",
        "[early_stopping]\npatience = 2\nwait = 1",
    ] {
        assert!(toml::from_str::<TrainConfig>(text).is_err(), "{text}");
    }
}

#[test]
fn cli_forms_round_trip_through_display() {
    for s in [
        "sgd",
        "momentum:0.9",
        "momentum:0.5,nesterov",
        "adam:0.9,0.999,1e-7",
    ] {
        assert_eq!(s.parse::<Optimizer>().unwrap().to_string(), s);
    }
    assert_eq!(
        "nesterov".parse::<Optimizer>().unwrap().to_string(),
        "momentum:0.9,nesterov"
    );
    assert_eq!(
        "adam".parse::<Optimizer>().unwrap().to_string(),
        "adam:0.9,0.999,1e-7"
    );
    for s in [
        "constant",
        "step:100,0.5",
        "exponential:0.96,10.0",
        "plateau:0.5,5,0.0001,0,0.0",
    ] {
        assert_eq!(s.parse::<Schedule>().unwrap().to_string(), s);
    }
    assert_eq!(
        "plateau:0.5,5".parse::<Schedule>().unwrap(),
        Schedule::Plateau {
            factor: 0.5,
            patience: 5,
            min_delta: 1e-4,
            cooldown: 0,
            min_lr: 0.0
        }
    );
    for bad in ["adam:0.001", "momentum:x", "sgd:1", ""] {
        assert!(matches!(
            bad.parse::<Optimizer>(),
            Err(TrainError::Parse { .. })
        ));
    }
    for bad in [
        "step",
        "step:10",
        "exponential:0.9",
        "plateau:2,3",
        "cosine",
    ] {
        assert!(bad.parse::<Schedule>().is_err(), "{bad}");
    }
    assert_eq!("full".parse::<BatchSize>().unwrap(), BatchSize::Full);
    assert_eq!("32".parse::<BatchSize>().unwrap(), BatchSize::Rows(32));
}

fn try_train(cfg: &TrainConfig, x: &[f64], y: &[f64]) -> Result<(), TrainError> {
    let mut net = course::network([1.0; 6], [0.0; 3]);
    let data = Samples {
        x,
        y,
        n_inputs: 2,
        n_outputs: 1,
    };
    train(&mut net, &data, None, cfg, &mut |_| {}).map(|_| ())
}

#[test]
fn invalid_inputs_are_errors_not_panics() {
    let ok = TrainConfig::default();
    let (x, y) = ([0.5, 0.5, 1.0, 0.0], [1.0, 2.0]);
    assert!(try_train(&ok, &x, &y).is_ok());
    assert_eq!(
        try_train(&ok, &[], &[]),
        Err(TrainError::EmptySamples { set: "train" })
    );
    let err = try_train(&ok, &[0.5, 0.5, 1.0, f64::NAN], &y).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the train set, row 2, input column 2 is not finite: NaN"
    );
    assert!(matches!(
        try_train(&ok, &x, &[1.0, f64::INFINITY]),
        Err(TrainError::NotFinite {
            row: 2,
            what: "target",
            ..
        })
    ));
    assert!(matches!(
        try_train(&ok, &x[..3], &y),
        Err(TrainError::RaggedSamples { len: 3, .. })
    ));
    assert!(matches!(
        try_train(&ok, &x, &y[..1]),
        Err(TrainError::RowCountMismatch {
            x_rows: 2,
            y_rows: 1,
            ..
        })
    ));
    let cases: Vec<(TrainConfig, &str)> = vec![
        (
            TrainConfig {
                lr: 0.0,
                ..ok.clone()
            },
            "lr",
        ),
        (
            TrainConfig {
                lr: -0.1,
                ..ok.clone()
            },
            "lr",
        ),
        (
            TrainConfig {
                lr: f64::NAN,
                ..ok.clone()
            },
            "lr",
        ),
        (
            TrainConfig {
                lr: f64::INFINITY,
                ..ok.clone()
            },
            "lr",
        ),
        (
            TrainConfig {
                epochs: 0,
                ..ok.clone()
            },
            "epochs",
        ),
        (
            TrainConfig {
                batch_size: BatchSize::Rows(0),
                ..ok.clone()
            },
            "batch_size",
        ),
        (
            TrainConfig {
                optimizer: Optimizer::Adam {
                    beta_1: 0.9,
                    beta_2: 0.999,
                    epsilon: 0.0,
                },
                ..ok.clone()
            },
            "optimizer.epsilon",
        ),
    ];
    for (cfg, field) in cases {
        match try_train(&cfg, &x, &y) {
            Err(TrainError::InvalidConfig { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let cfg = TrainConfig {
        freeze: vec!["w7".into()],
        ..ok.clone()
    };
    assert_eq!(
        try_train(&cfg, &x, &y),
        Err(TrainError::UnknownParameter { name: "w7".into() })
    );
    // Three inputs per row for a two-input network.
    let mut net = course::network([1.0; 6], [0.0; 3]);
    let wide = Samples::new(&[1.0, 2.0, 3.0], &[1.0], 3, 1).unwrap();
    assert!(matches!(
        train(&mut net, &wide, None, &ok, &mut |_| {}),
        Err(TrainError::WidthMismatch {
            network: 2,
            data: 3,
            ..
        })
    ));
    // An invalid test set is refused too, named as such.
    let good = Samples::new(&x, &y, 2, 1).unwrap();
    let bad = Samples {
        x: &[],
        y: &[],
        n_inputs: 2,
        n_outputs: 1,
    };
    assert_eq!(
        train(&mut net, &good, Some(&bad), &ok, &mut |_| {}).unwrap_err(),
        TrainError::EmptySamples { set: "test" }
    );
}
