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

fn check<T>(case: String, outcome: Outcome<T>) -> Result<(), TestCaseError> {
    match outcome {
        Outcome::Done(_) => Ok(()),
        Outcome::Panicked(m) => Err(TestCaseError::fail(format!("{case}: panicked: {m}"))),
        Outcome::Hung => Err(TestCaseError::fail(format!(
            "{case}: still running after {DEADLINE:?}"
        ))),
    }
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

/// An example's numbers as `--input`/`--target` text: mostly short lists of small numbers
/// (2-2-1 takes two inputs and one target), some edge values and malformed text.
fn example() -> BoxedStrategy<String> {
    prop_oneof![
        4 => prop::collection::vec(-5.0f64..5.0, 1..=3).prop_map(|v| v.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(",")),
        1 => prop::collection::vec(nnlab_props::value("lr"), 1..=3).prop_map(|v| v.join(",")),
    ]
    .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_train_flags_panic_or_hang(s in settings(4)) {
        let case = format!("nnlab train {}", command(&s));
        check(case.clone(), bounded(&case, DEADLINE, move || train(s)))?;
    }

    #[test]
    fn no_step_flags_panic_or_hang(s in step_settings(4), input in example(), target in example()) {
        let case = format!("nnlab step --input {input:?} --target {target:?} {}", command(&s));
        check(case.clone(), bounded(&case, DEADLINE, move || step(s, input, target)))?;
    }

    #[test]
    fn no_sweep_flags_panic_or_hang(s in settings(2), v in vary()) {
        let varied: Vec<String> = v.iter().map(|f| format!("--vary {f:?}")).collect();
        let case = format!("nnlab sweep {} {}", command(&s), varied.join(" "));
        check(case.clone(), bounded(&case, DEADLINE, move || sweep(s, v)))?;
    }
}
