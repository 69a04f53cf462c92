//! Examples and network files from flag text, and the reports built on them
//! (`StepsReport`, `CheckReport`, the renderers).

use nnlab_core::{course, Loss};
use nnlab_report::setup::{load_network, parse_example, COURSE_INPUT, COURSE_TARGET};
use nnlab_report::{render_markdown, render_steps_text, CheckReport, ReportError, StepsReport};

/// The course's network from the course's start (`w = 1,0.5,1,-1,1,1`, `b = 0.5,0,0.5`).
fn course_start() -> nnlab_core::Network {
    course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5])
}

#[test]
fn example_counts_name_the_field() {
    let net = course_start();
    let err = parse_example(&net, ("--input", "1"), ("--target", "2")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "--input: expected 2 values (x1, x2), got 1"
    );
    assert!(err.is_input_error());
    // The step API names its JSON fields.
    let err = parse_example(&net, ("input", "1,0"), ("target", "x")).unwrap_err();
    assert_eq!(err.to_string(), "target: 'x' is not a number");
    let (x, y) =
        parse_example(&net, ("--input", COURSE_INPUT), ("--target", COURSE_TARGET)).unwrap();
    assert_eq!((x, y), (vec![1.0, 0.0], vec![2.0]));
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
    std::fs::write(&path, "[]").unwrap();
    assert!(matches!(
        load_network("--params", &path),
        Err(ReportError::File { .. })
    ));
}

// Row 0 is the start (the course's 2.5, loss 0.25); row 1 is the published lr 0.01 update.
#[test]
fn steps_rows_follow_the_updates() {
    let net = course_start();
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
    let net = course_start();
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
