//! The one key table: defaults read from `Experiment::default()` alone, every key through
//! flag text, TOML and JSON, the model section's rules, and options that do not apply.

use nnlab_core::course;
use nnlab_lab::config::keys::{find, spell, AppliesTo};
use nnlab_lab::{schema, Experiment, ModelConfig, Syntax, KEYS};

/// A non-default value for every key (the round trip must change something to prove it).
fn other_value(key: &str) -> &'static str {
    match key {
        "seed" | "data_seed" | "init_seed" | "shuffle_seed" => "7",
        "data" => "builtin:diabetes",
        "features" => "x2,x1^2,x1*x2",
        "inputs" => "age,bmi",
        "target" => "charges",
        "skip_bad_rows" => "true",
        "scale" => "standard",
        "test_fraction" => "0.2",
        "rows" => "30",
        "x1" => "-50,50",
        "x2" => "0,20",
        "noise" => "0,1.5",
        "integer" => "false",
        "distribution" => "skewed",
        "skew" => "3",
        "rng" => "numpy",
        "arch" => "2-8-8-1",
        "activation" => "relu,tanh,identity",
        "init" => "mixed",
        "init_rng" => "python",
        "weights" => "uniform:-10,10,round=2",
        "biases" => "0.5,-1,2",
        "epochs" => "50",
        "lr" => "0.1",
        "batch_size" => "full",
        "shuffle" => "true",
        "loss" => "huber:2.0",
        "l1" => "0.001",
        "l2" => "0.5",
        "optimizer" => "adam:0.9,0.999,1e-7",
        "schedule" => "step:10,0.5",
        "early_stopping" => "{patience = 5, min_delta = 0.001, restore_best = true}",
        "freeze" => "b1,w5",
        "kernel" => "general",
        other => panic!("no test value for key {other}"),
    }
}

// The defaults shown in help, `--print-config` and `/api/schema` are `get` of
// `Experiment::default()`, and setting each default text back changes nothing.
#[test]
fn defaults_come_from_default_alone() {
    let d = Experiment::default();
    for k in KEYS {
        assert!(
            !k.help.contains("[default"),
            "{}: the help writes its own default",
            k.key
        );
        let shown = k.help_with_default();
        match k.default_text() {
            Some(text) => {
                assert!(
                    shown.ends_with(&format!("[default: {text}]")) || text.is_empty(),
                    "{shown}"
                );
                let mut e = Experiment::default();
                e.set(k.key, &text).unwrap();
                assert_eq!(e, d, "{}: default text {text:?} does not read back", k.key);
            }
            None => assert!(
                shown.ends_with(&format!("[default: {}]", k.unset)),
                "{shown}"
            ),
        }
    }
    // Spot values against the structs' own defaults.
    let s = schema();
    let default_of = |key: &str| {
        s.keys
            .iter()
            .find(|k| k.key == key)
            .unwrap()
            .default
            .clone()
    };
    assert_eq!(default_of("lr"), Some(d.train.lr.to_string()));
    assert_eq!(default_of("rows").as_deref(), Some("100"));
    assert_eq!(default_of("x1").as_deref(), Some("0,5"));
    assert_eq!(default_of("init"), None);
    assert_eq!(s.keys.len(), KEYS.len());
}

// Every key: text -> set -> get gives the text; the experiment survives TOML and JSON.
#[test]
fn every_key_round_trips_through_text_toml_and_json() {
    for k in KEYS {
        let text = other_value(k.key);
        let mut e = Experiment::default();
        (k.set)(&mut e, text).unwrap_or_else(|m| panic!("{}={text}: {m}", k.key));
        assert_ne!(e, Experiment::default(), "{} did not change", k.key);
        let shown = (k.get)(&e).unwrap();
        let mut again = Experiment::default();
        (k.set)(&mut again, &shown).unwrap();
        assert_eq!(again, e, "{}: {text:?} shows as {shown:?}", k.key);
        let toml = e.to_toml().unwrap();
        assert_eq!(
            Experiment::from_toml_str(&toml).unwrap(),
            e,
            "{}: {toml}",
            k.key
        );
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(Experiment::from_json(json).unwrap(), e, "{}", k.key);
    }
}

#[test]
fn choices_parse_and_keys_are_found_by_every_name() {
    for k in KEYS {
        assert_eq!(find(k.key).map(|f| f.key), Some(k.key));
        assert_eq!(find(k.path).map(|f| f.key), Some(k.key));
        assert_eq!(find(&k.flag()).map(|f| f.key), Some(k.key));
        for c in k.choices.map(|c| c()).unwrap_or_default() {
            // Schedules with arguments are named by kind; their help gives the arguments.
            let text = match c.as_str() {
                "step" => "step:10,0.5",
                "exponential" => "exponential:0.9,10",
                _ => &c,
            };
            let mut e = Experiment::default();
            (k.set)(&mut e, text).unwrap_or_else(|m| panic!("{}={c}: {m}", k.key));
        }
    }
    assert_eq!(spell("lr", Syntax::Flag), "--lr");
    assert_eq!(spell("lr", Syntax::Json), "train.lr");
    assert_eq!(
        spell("early_stopping.min_delta", Syntax::Toml),
        "train.early_stopping.min_delta"
    );
    assert_eq!(find("skip_bad_rows").map(|k| k.switch), Some(true));
    assert_eq!(
        find("rows").map(|k| k.applies_to),
        Some(AppliesTo::Generated)
    );
}

// Issue 11: `--lr abc` said "invalid type: string, expected f64" without the option.
#[test]
fn bad_values_name_the_option_in_each_syntax() {
    let mut e = Experiment::default();
    let err = e.set("lr", "abc").unwrap_err();
    assert_eq!(err.to_string(), "lr: 'abc' is not a number");
    assert_eq!(
        err.in_syntax(Syntax::Flag).to_string(),
        "--lr: 'abc' is not a number"
    );
    let err = Experiment::from_toml_str("[train]\nlr = \"abc\"\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "train.lr: invalid type: string \"abc\", expected f64 (line 2, column 6)"
    );
    let err = Experiment::from_json(serde_json::json!({"train": {"lr": "abc"}})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "train.lr: invalid type: string \"abc\", expected f64"
    );
    let err = Experiment::from_toml_str("[model]\nweights = true\n").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("model.weights: invalid type: boolean `true`, expected a list of numbers"),
        "{err}"
    );
    // lr must be above 0 for every command.
    e.set("lr", "0").unwrap();
    assert_eq!(
        e.validate()
            .unwrap_err()
            .in_syntax(Syntax::Flag)
            .to_string(),
        "--lr: '0' must be finite and above 0"
    );
}

// Issue 11: `--rows 30` with a CSV was silently ignored.
#[test]
fn options_for_other_data_are_errors() {
    let mut e = Experiment::default();
    e.set("data", "builtin:diabetes").unwrap();
    e.set("arch", "10-8-1").unwrap();
    e.validate().unwrap();
    e.set("rows", "30").unwrap();
    assert_eq!(
        e.validate()
            .unwrap_err()
            .in_syntax(Syntax::Toml)
            .to_string(),
        "data.generator.rows: does not apply to a built-in table (data = builtin:diabetes)"
    );
    let mut g = Experiment::default();
    g.set("target", "charges").unwrap();
    assert_eq!(
        g.validate()
            .unwrap_err()
            .in_syntax(Syntax::Flag)
            .to_string(),
        "--target: does not apply to generated data (data = generate)"
    );
    assert_eq!(g.inapplicable(), ["target"]);
}

// The model section: the course's start by default, presets only alone, counts named.
#[test]
fn one_route_from_text_to_network() {
    let start = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
    assert_eq!(ModelConfig::default().network(0).unwrap(), start);
    let mut e = Experiment::default();
    e.set("init", "high-high").unwrap();
    assert_eq!(
        e.initial_network().unwrap(),
        course::network([3.0, 1.5, 3.0, -2.0, 1.5, 3.0], [3.0, 2.0, 3.0])
    );
    e.set("weights", "1,1,1,1,1,1").unwrap();
    assert_eq!(
        e.validate()
            .unwrap_err()
            .in_syntax(Syntax::Flag)
            .to_string(),
        "--init and --weights cannot both be given: a preset sets both weights and biases"
    );
    let mut g = Experiment::default();
    g.set("arch", "2-3-1").unwrap();
    g.set("weights", "1,2").unwrap();
    assert_eq!(
        g.initial_network()
            .unwrap_err()
            .in_syntax(Syntax::Flag)
            .to_string(),
        "--weights: expected 9 values (L1.w[1][1]..L2.w[1][3]), got 2"
    );
    // Elsewhere than 2-2-1: glorot weights (|w| < sqrt(6/(2+3)) in layer 1), zero biases,
    // the same for the same init seed.
    g.set("weights", "off").unwrap();
    g.set("seed", "5").unwrap();
    let net = g.initial_network().unwrap();
    assert!(net.layers()[0]
        .weights_flat()
        .iter()
        .all(|w| w.abs() < (6.0f64 / 5.0).sqrt()));
    assert!(net
        .layers()
        .iter()
        .all(|l| l.biases().iter().all(|&b| b == 0.0)));
    assert_eq!(g.initial_network().unwrap(), net);
    let mut p = Experiment::default();
    p.set("init", "unique").unwrap();
    p.set("arch", "2-3-1").unwrap();
    assert_eq!(
        p.validate()
            .unwrap_err()
            .in_syntax(Syntax::Flag)
            .to_string(),
        "--init: presets are for the course's 2-2-1 network, not 2-3-1"
    );
}

// `--print-config` shows every option: the ones off by default as comments.
#[test]
fn print_config_lists_every_option() {
    let text = Experiment::default()
        .resolved()
        .to_toml_commented()
        .unwrap();
    for k in KEYS {
        let leaf = k.path.rsplit('.').next().unwrap();
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{leaf} = "))
                || l.starts_with(&format!("# {leaf} = "))
                || l == format!("[{}]", k.path)),
            "{} missing from\n{text}",
            k.key
        );
    }
    assert!(text.contains("[model]\n# init = ...  # off: "), "{text}");
    // The comments are TOML comments: the text reads back to the same experiment.
    assert_eq!(
        Experiment::from_toml_str(&text).unwrap(),
        Experiment::default().resolved()
    );
}

// Issue 14: the classification keys. `l1`/`l2` reach `train.l1`/`train.l2` (TOML and JSON
// alike) and must be at least 0; a cross-entropy after the wrong output names `--loss` and
// `--activation`; softmax before the last layer names `--activation`.
#[test]
fn classification_keys_and_their_refusals() {
    let e = Experiment::from_toml_str("[train]\nl1 = 0.01\nl2 = 0.5\n").unwrap();
    assert_eq!((e.train.l1, e.train.l2), (0.01, 0.5));
    let j = Experiment::from_json(serde_json::json!({"train": {"l2": 0.25}})).unwrap();
    assert_eq!((j.train.l1, j.train.l2), (0.0, 0.25));
    let mut e = Experiment::default();
    e.set("l2", "-1").unwrap();
    assert_eq!(
        e.validate()
            .unwrap_err()
            .in_syntax(Syntax::Toml)
            .to_string(),
        "train.l2: '-1' must be finite and at least 0"
    );
    let mut e = Experiment::default();
    e.set("loss", "bce").unwrap();
    assert_eq!(
        e.validate().unwrap_err().in_syntax(Syntax::Flag).to_string(),
        "--loss: binary_cross_entropy needs a sigmoid output layer (the last activation), not the default relu: set the activation to relu,sigmoid"
    );
    // An activation the user chose is named as the other side of the conflict.
    e.set("activation", "tanh").unwrap();
    assert_eq!(
        e.validate().unwrap_err().in_syntax(Syntax::Flag).to_string(),
        "--loss and --activation cannot both be given: loss binary_cross_entropy needs a sigmoid output layer (the last activation), not tanh"
    );
    e.set("activation", "relu,sigmoid").unwrap();
    e.validate().unwrap();
    e.set("loss", "categorical_cross_entropy").unwrap();
    e.set("arch", "2-4-3").unwrap();
    e.set("activation", "softmax").unwrap();
    assert_eq!(
        e.validate().unwrap_err().in_syntax(Syntax::Flag).to_string(),
        "--activation: invalid architecture '2-4-3': softmax is only valid as the last layer's activation (layer 1 of 2)"
    );
    e.set("activation", "tanh,softmax").unwrap();
    e.validate().unwrap();
}
