//! Building networks and examples from flag text, and the reports built on them
//! (`StepsReport`, `CheckReport`, the renderers).

use nnlab_core::{course, Loss};
use nnlab_report::setup::{load_network, parse_example, NetworkSpec};
use nnlab_report::{render_markdown, render_steps_text, CheckReport, ReportError, StepsReport};

fn spec() -> NetworkSpec {
    NetworkSpec::default()
}

#[test]
fn defaults_are_the_course_example() {
    let net = spec().build().unwrap();
    assert_eq!(
        net,
        course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5])
    );
    let preset = NetworkSpec {
        init: Some("high-high".into()),
        ..spec()
    }
    .build()
    .unwrap();
    assert_eq!(
        preset,
        course::network([3.0, 1.5, 3.0, -2.0, 1.5, 3.0], [3.0, 2.0, 3.0])
    );
}

// Elsewhere than 2-2-1 the default is glorot weights (|w| < sqrt(6/(2+3)) in layer 1) and
// zero biases, the same for the same seed.
#[test]
fn general_defaults_are_seeded_glorot() {
    let s = NetworkSpec {
        arch: Some("2-3-1".into()),
        seed: Some("5".into()),
        ..spec()
    };
    let net = s.build().unwrap();
    assert_eq!(net.sizes(), [2, 3, 1]);
    assert!(net.layers()[0]
        .weights_flat()
        .iter()
        .all(|w| w.abs() < (6.0f64 / 5.0).sqrt()));
    assert!(net
        .layers()
        .iter()
        .all(|l| l.biases().iter().all(|&b| b == 0.0)));
    assert_eq!(s.build().unwrap(), net);
}

#[test]
fn errors_name_the_flag() {
    let msg = |s: NetworkSpec| s.build().unwrap_err().to_string();
    assert_eq!(
        msg(NetworkSpec {
            arch: Some("2-3-1".into()),
            weights: Some("1,2".into()),
            ..spec()
        }),
        "--weights: expected 9 values (L1.w[1][1]..L2.w[1][3]), got 2"
    );
    assert_eq!(
        msg(NetworkSpec { init: Some("huge".into()), ..spec() }),
        "--init: unknown preset 'huge' (expected course, course-start, small-small, small-medium, small-high, medium-small, medium-medium, medium-high, high-small, high-medium, high-high, identical, unique, mixed)"
    );
    assert_eq!(
        msg(NetworkSpec {
            init: Some("mixed".into()),
            weights: Some("1,1,1,1,1,1".into()),
            ..spec()
        }),
        "--init: a preset sets both weights and biases; leave out --weights and --biases"
    );
    assert_eq!(
        msg(NetworkSpec {
            params: Some("net.json".into()),
            arch: Some("2-3-1".into()),
            ..spec()
        }),
        "--params: the file holds the whole network; leave out --arch"
    );
    let net = spec().build().unwrap();
    let err = parse_example(&net, "1", "2").unwrap_err();
    assert_eq!(
        err.to_string(),
        "--input: expected 2 values (x1, x2), got 1"
    );
    assert!(err.is_input_error());
}

#[test]
fn params_file_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.json");
    let net = course::network(
        [0.48000000000000004, 0.5, 1.0, -1.0, 1.0, 1.0],
        [0.5, 0.0, 0.5],
    );
    std::fs::write(&path, serde_json::to_string(&net).unwrap()).unwrap();
    assert_eq!(load_network("--params", &path).unwrap(), net);
    let spec = NetworkSpec {
        params: Some(path.clone()),
        ..spec()
    };
    assert_eq!(spec.build().unwrap(), net);
    std::fs::write(&path, "[]").unwrap();
    assert!(matches!(
        load_network("--params", &path),
        Err(ReportError::File { .. })
    ));
}

// Row 0 is the start (the course's 2.5, loss 0.25); row 1 is the published lr 0.01 update.
#[test]
fn steps_rows_follow_the_updates() {
    let net = spec().build().unwrap();
    let r = StepsReport::new(&net, &[1.0, 0.0], &[2.0], 0.01, Loss::SquaredError, 2).unwrap();
    assert_eq!(
        (r.rows[0].prediction.clone(), r.rows[0].loss),
        (vec![2.5], 0.25)
    );
    assert_eq!(r.rows[1].params, r.first.after);
    assert_eq!(r.rows[1].params.get("w5"), Some(0.985));
    assert_eq!(
        r.rows.iter().map(|row| row.step).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    assert!(StepsReport::new(&net, &[1.0, 0.0], &[2.0], 0.01, Loss::SquaredError, 0).is_err());
    let text = render_steps_text(&r);
    assert!(text.contains("\n  1                2.4254  0.18096515999999982  "));
}

#[test]
fn check_is_in_display_order_and_passes() {
    let net = spec().build().unwrap();
    let mut r =
        nnlab_report::StepReport::new(&net, &[1.0, 0.0], &[2.0], 0.01, Loss::SquaredError).unwrap();
    let check = CheckReport::new(&net, &[1.0, 0.0], &[2.0], Loss::SquaredError).unwrap();
    let names: Vec<&str> = check.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
    );
    assert!(check.passed && check.max_rel_error < 1e-6);
    for (e, (_, g)) in check.entries.iter().zip(&r.gradients.0) {
        assert_eq!(e.backprop, *g, "{}", e.name);
    }
    r.check = Some(check);
    let md = render_markdown(&r);
    assert!(md.contains("\n## Gradient check\n\n"));
    assert!(md.contains("| param | backprop |"));
}
