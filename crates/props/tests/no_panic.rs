//! Issue 17: no input of the schema makes `nnlab train`, `nnlab step` or `nnlab sweep` panic,
//! hang or allocate past a bound. Each case draws options of the one table
//! ([`nnlab_lab::KEYS`]) with values from [`nnlab_props::value`] (choices, edge numbers,
//! malformed text), applies them as flags do, and runs the command's library entry points:
//! the case passes when they end in `Ok` or `Err` within [`DEADLINE`] while live memory stays
//! under [`CAP`]. A failure prints the case as flags; rerun it with `nnlab <command>`.

use nnlab_lab::config::keys::spell;
use nnlab_lab::sweep::{run_sweep, SweepSpec};
use nnlab_lab::{Experiment, Syntax};
use nnlab_props::{
    bounded, experiment, settings, step_settings, vary, CappedAlloc, Outcome, DEADLINE,
};
use nnlab_report::setup::parse_example;
use nnlab_report::{CheckReport, StepReport};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// Live memory a case may hold: the small cases hold a few MB; a huge network or epoch
/// count that is not refused before allocating passes this quickly.
const CAP: usize = 1 << 30;

#[global_allocator]
static ALLOC: CappedAlloc = CappedAlloc::new(CAP);

/// The case as a command line (`--lr 0.1 --arch 2-2-1`), to rerun it.
fn command(settings: &[(&'static str, String)]) -> String {
    settings
        .iter()
        .map(|(k, v)| format!("{} {v:?}", spell(k, Syntax::Flag)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sizes the schema's limits allow but a debug build cannot run within [`DEADLINE`]: a case
/// giving one of these keys a number past 10,000 is skipped, so the rest of the space stays
/// tested. The findings this test made (a `2-1000000000-1` network allocated before any
/// check, `epochs=744603773410629013` reserving a curve of that length, `--x1=-1e308,1e308`
/// never ending) are refused by the limits now (`crates/lab/src/config/limits.rs`,
/// `crates/cli/tests/limits.rs`), so `x1`, `x2` and `noise` are drawn whole again.
/// - `arch`: up to 10,000 neurons a layer and 10,000,000 parameters are allowed, and such
///   a network's diagnostics take longer than the deadline in a debug build.
/// - `epochs`: up to 1,000,000 epochs are allowed.
/// - `rows`: up to 10,000,000 generated rows are allowed.
const OPEN_FINDINGS: [&str; 3] = ["arch", "epochs", "rows"];

/// True when a setting `key=text` of the case is in [`OPEN_FINDINGS`] with a number past
/// 10,000 in its text (`2-100000-1`, `-1e308,1e308`, `NaN` does not count).
fn open_finding(key: &str, text: &str) -> bool {
    OPEN_FINDINGS.contains(&key)
        && text
            .split(['-', ',', ';', ':', '='])
            .filter_map(|t| t.trim().parse::<f64>().ok())
            .any(|v| v.abs() > 10_000.0)
}

fn opens(settings: &[(&'static str, String)]) -> bool {
    settings.iter().any(|(k, v)| open_finding(k, v))
}

/// Runs `run` on `cases` draws of `strategy` (`PROPTEST_CASES` to change, 96 by default),
/// each under [`bounded`]; fails on a panic (shrunk to a small case) or a hang (not
/// shrunk: each try would leave one more thread spinning), naming the case as the command
/// `describe` writes. Counts the cases whose command succeeded: a property whose every case
/// is refused by the parsers never reached the run, and fails too.
fn property<S>(
    strategy: S,
    skip: fn(&S::Value) -> bool,
    describe: fn(&S::Value) -> String,
    run: fn(S::Value) -> Result<(), String>,
) where
    S: Strategy,
    S::Value: Send + 'static,
{
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(96);
    let config = ProptestConfig {
        cases,
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    };
    let ran = Arc::new(AtomicU32::new(0));
    let hung: Arc<Mutex<Option<String>>> = Arc::default();
    let (counted, hang) = (ran.clone(), hung.clone());
    let result = TestRunner::new(config).run(&strategy, move |value| {
        if hang.lock().map_or(true, |h| h.is_some()) {
            return Ok(()); // one hang is the finding; stop here
        }
        if skip(&value) {
            return Ok(());
        }
        let case = describe(&value);
        match bounded(&case, DEADLINE, move || run(value)) {
            Outcome::Done(Ok(())) => {
                counted.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            Outcome::Done(Err(_)) => Ok(()),
            Outcome::Panicked(m) => Err(TestCaseError::fail(format!("{case}: panicked: {m}"))),
            Outcome::Hung => {
                if let Ok(mut h) = hang.lock() {
                    *h = Some(case);
                }
                Ok(())
            }
        }
    });
    if let Some(case) = hung.lock().ok().and_then(|h| h.clone()) {
        panic!("{case}: still running after {DEADLINE:?}");
    }
    if let Err(e) = result {
        panic!("{e}");
    }
    let ran = ran.load(Ordering::Relaxed);
    // One in twenty: the draws mix valid and refused values (about one case in ten runs
    // a sweep to its end, more for train and step); far fewer means the strategies stopped
    // reaching the run.
    assert!(
        ran * 20 >= cases,
        "only {ran} of {cases} cases ran the command to the end"
    );
}

/// `nnlab train`: the flags over the defaults, `validate`, then `nnlab_lab::run`.
fn train(settings: Vec<(&'static str, String)>) -> Result<(), String> {
    let exp = experiment(&settings, Syntax::Flag).map_err(|e| e.to_string())?;
    exp.validate().map_err(|e| e.to_string())?;
    nnlab_lab::run(&exp, &mut |_| {}).map_err(|e| e.to_string())?;
    Ok(())
}

/// `nnlab step`: the step flags, the network they make, the example, then the report and
/// its finite-difference check.
fn step(
    settings: Vec<(&'static str, String)>,
    input: String,
    target: String,
) -> Result<(), String> {
    let mut exp = Experiment::default();
    exp.apply(&settings, Syntax::Flag)
        .map_err(|e| e.to_string())?;
    let net = exp.initial_network().map_err(|e| e.to_string())?;
    let (x, y) = parse_example(&net, ("--input", &input), ("--target", &target))
        .map_err(|e| e.to_string())?;
    exp.check_train(&net).map_err(|e| e.to_string())?;
    let (lr, loss, reg) = (exp.train.lr, exp.train.loss, exp.train.regularization());
    StepReport::regularized(&net, &x, &y, lr, loss, reg).map_err(|e| e.to_string())?;
    CheckReport::regularized(&net, &x, &y, loss, reg).map_err(|e| e.to_string())?;
    Ok(())
}

/// `nnlab sweep`: the flags as the base, the `--vary` factors (`SweepSpec::parse` checks
/// every value and the grid's size), then every run.
fn sweep(settings: Vec<(&'static str, String)>, vary: Vec<String>) -> Result<(), String> {
    let base = experiment(&settings, Syntax::Flag).map_err(|e| e.to_string())?;
    let spec = SweepSpec::parse(base, &vary).map_err(|e| e.to_string())?;
    run_sweep(&spec, None).map_err(|e| e.to_string())?;
    Ok(())
}

/// An example's `n` numbers as `--input`/`--target` text (2-2-1 takes two inputs and one
/// target), some of other lengths, some edge values and malformed text.
fn example(n: usize) -> BoxedStrategy<String> {
    let join = |v: Vec<String>| v.join(",");
    prop_oneof![
        6 => prop::collection::vec((-5.0f64..5.0).prop_map(|x| format!("{x:?}")), n).prop_map(join),
        1 => prop::collection::vec((-5.0f64..5.0).prop_map(|x| format!("{x:?}")), 1..=4).prop_map(join),
        1 => prop::collection::vec(nnlab_props::value("lr"), 1..=3).prop_map(join),
    ]
    .boxed()
}

#[test]
fn no_train_flags_panic_or_hang() {
    property(
        settings(4),
        |s| opens(s),
        |s| format!("nnlab train {}", command(s)),
        train,
    );
}

#[test]
fn no_step_flags_panic_or_hang() {
    property(
        (step_settings(4), example(2), example(1)),
        |(s, _, _)| opens(s),
        |(s, input, target)| {
            format!(
                "nnlab step --input {input:?} --target {target:?} {}",
                command(s)
            )
        },
        |(s, input, target)| step(s, input, target),
    );
}

#[test]
fn no_sweep_flags_panic_or_hang() {
    property(
        (settings(1), vary()),
        |(s, v)| {
            opens(s)
                || v.iter().any(|f| {
                    f.split_once('=')
                        .is_some_and(|(k, values)| open_finding(k, values))
                })
        },
        |(s, v)| {
            let varied: Vec<String> = v.iter().map(|f| format!("--vary {f:?}")).collect();
            format!("nnlab sweep {} {}", command(s), varied.join(" "))
        },
        |(s, v)| sweep(s, v),
    );
}
