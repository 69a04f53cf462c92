//! Values for the options of the one table ([`KEYS`]): what a user could type for each.

use nnlab_lab::config::keys::STEP_KEYS;
use nnlab_lab::config::AppliesTo;
use nnlab_lab::{Experiment, LabError, Syntax, KEYS};
use proptest::prelude::*;

/// Every case starts here: 3 epochs of 8 generated rows, so that a case runs in
/// milliseconds unless it is about `epochs` or `rows` (it then sets them itself).
pub const SMALL: [(&str, &str); 2] = [("epochs", "3"), ("rows", "8")];

/// Numbers at the edges of what the parsers take: zero, signs, the largest and smallest
/// `f64`, NaN and infinities, `i64`/`u64` limits and one past them, and any `f64` at all.
fn number() -> BoxedStrategy<String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "0", "-0", "1", "-1", "2", "0.5", "1e-320", "1e308", "-1e308", "1.7976931348623157e308",
            "NaN", "nan", "inf", "-inf", "infinity", "9223372036854775807", "-9223372036854775808",
            "18446744073709551615", "18446744073709551616", "4294967296", "1e20", "0x10", "1_000",
        ])
        .prop_map(String::from),
        1 => any::<f64>().prop_map(|v| format!("{v:?}")),
        1 => any::<i64>().prop_map(|v| v.to_string()),
        2 => (0u32..40).prop_map(|v| v.to_string()),
    ]
    .boxed()
}

/// Text no option takes as it is: empty, separators alone, control characters, long.
fn malformed() -> BoxedStrategy<String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            " ",
            ",",
            ",,",
            ":",
            "-",
            "--",
            "..",
            "=",
            "abc",
            "true",
            "off",
            "none",
            "\u{0}",
            "\n",
            "é",
            "{",
            "}",
            "[1,2]",
            "{patience = }",
        ])
        .prop_map(String::from),
        "[a-z0-9:,.=\\-]{0,16}",
        Just("9".repeat(400)),
    ]
    .boxed()
}

/// `A,B` of two numbers (ranges, lists).
fn pair() -> BoxedStrategy<String> {
    (number(), number())
        .prop_map(|(a, b)| format!("{a},{b}"))
        .boxed()
}

/// `NAME` or `NAME:ARGS` for names of a fixed set, with up to three numbers as arguments
/// and, for initializers, a `round=K`.
fn named(names: Vec<String>) -> BoxedStrategy<String> {
    let args = prop::collection::vec(number(), 0..=3);
    (
        prop::sample::select(names),
        args,
        prop::option::of(number()),
    )
        .prop_map(|(name, args, round)| {
            let mut parts = args;
            if let Some(k) = round {
                parts.push(format!("round={k}"));
            }
            if parts.is_empty() {
                name
            } else {
                format!("{name}:{}", parts.join(","))
            }
        })
        .boxed()
}

/// Layer sizes `A-B-...`, from none to huge.
fn arch() -> BoxedStrategy<String> {
    let size = prop_oneof![
        4 => 0usize..5,
        1 => prop::sample::select(vec![16usize, 1000, 100_000, 1_000_000_000, usize::MAX]),
    ];
    prop::collection::vec(size, 1..=5)
        .prop_map(|s| s.iter().map(usize::to_string).collect::<Vec<_>>().join("-"))
        .boxed()
}

/// Forms that only some options take, beyond their table's choices.
fn special(key: &str) -> Option<BoxedStrategy<String>> {
    let texts = |v: Vec<&'static str>| prop::sample::select(v).prop_map(String::from).boxed();
    Some(match key {
        "arch" => arch(),
        "weights" | "biases" => prop_oneof![
            named(
                ["const", "uniform", "normal", "glorot", "he"]
                    .map(String::from)
                    .to_vec()
            ),
            prop::collection::vec(number(), 1..=9).prop_map(|v| v.join(",")),
        ]
        .boxed(),
        "data" => texts(vec![
            "builtin:nope",
            "generate:nope",
            "generate:quadratic",
            "/nonexistent/x.csv",
            "/dev/null",
            "/",
            "builtin:",
            "generate:",
            "builtin:course",
            "builtin:penguins",
        ]),
        "features" | "inputs" | "target" => texts(vec![
            "x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)",
            "x9",
            "x1^",
            "sin(",
            "*",
            "x1,x1",
            "age,sex",
            "bmi",
            "species",
            "charges",
            "progression",
            "x1*x2*x1",
        ]),
        "freeze" => texts(vec![
            "b1,b2",
            "w1",
            "L1.w[1][2]",
            "L9.w[99][99]",
            "L1.b[0]",
            "w99",
            "w1,w1",
        ]),
        "early_stopping" => texts(vec![
            "5",
            "0",
            "{patience = 0}",
            "{patience = 3, min_delta = -1}",
            "{patience = 1, restore_best = true}",
            "{patience = 18446744073709551616}",
            "{min_delta = nan}",
        ]),
        "batch_size" => texts(vec!["full", "0", "1", "2", "3", "7", "8", "9"]),
        _ => return None,
    })
}

/// A value a user could type for `key`: one of its choices (with arguments), a number, a
/// pair, a form of its own, or malformed text; `true`/`false` (and others) for a switch.
pub fn value(key: &'static str) -> BoxedStrategy<String> {
    let Some(k) = KEYS.iter().find(|k| k.key == key) else {
        return malformed();
    };
    let mut options: Vec<(u32, BoxedStrategy<String>)> =
        vec![(1, malformed()), (2, number()), (1, pair())];
    if k.switch {
        options.push((
            4,
            prop::sample::select(vec!["true", "false"])
                .prop_map(String::from)
                .boxed(),
        ));
    }
    if let Some(choices) = k.choices {
        options.push((4, named(choices())));
    }
    if let Some(s) = special(key) {
        options.push((4, s));
    }
    if let Some(d) = k.default_text() {
        options.push((2, Just(d).boxed()));
    }
    proptest::strategy::Union::new_weighted(options).boxed()
}

/// Up to `max` options of the whole table with values, as `(flat key, text)`.
pub fn settings(max: usize) -> BoxedStrategy<Vec<(&'static str, String)>> {
    let keys: Vec<&'static str> = KEYS.iter().map(|k| k.key).collect();
    of_keys(keys, max)
}

/// Up to `max` of the options `nnlab step` takes.
pub fn step_settings(max: usize) -> BoxedStrategy<Vec<(&'static str, String)>> {
    of_keys(STEP_KEYS.to_vec(), max)
}

fn of_keys(keys: Vec<&'static str>, max: usize) -> BoxedStrategy<Vec<(&'static str, String)>> {
    let one = prop::sample::select(keys).prop_flat_map(|k| value(k).prop_map(move |v| (k, v)));
    prop::collection::vec(one, 0..=max).boxed()
}

/// One or two `--vary KEY=V1;V2` factors of two values each (4 runs at most).
pub fn vary() -> BoxedStrategy<Vec<String>> {
    let keys: Vec<&'static str> = KEYS.iter().map(|k| k.key).collect();
    // Half the values are the key's default: a grid runs only when all its values are
    // valid, which two random draws of two factors rarely are.
    let either = |k: &'static str| {
        let default = KEYS
            .iter()
            .find(|x| x.key == k)
            .and_then(|x| x.default_text());
        prop_oneof![value(k), Just(default.unwrap_or_default())]
    };
    let factor = prop::sample::select(keys).prop_flat_map(move |k| {
        (either(k), either(k)).prop_map(move |(a, b)| format!("{k}={a};{b}"))
    });
    prop::collection::vec(factor, 1..=2).boxed()
}

/// [`SMALL`], then `settings` as flags ([`Experiment::apply`] with `syntax`); `rows` goes
/// back to its default when the data is not generated (where it must not be given) and the
/// settings did not give it.
pub fn experiment(settings: &[(&str, String)], syntax: Syntax) -> Result<Experiment, LabError> {
    let mut exp = Experiment::default();
    for (key, text) in SMALL {
        exp.set(key, text)?;
    }
    exp.apply(settings, syntax)?;
    let gives_rows = settings.iter().any(|(k, _)| *k == "rows");
    if !gives_rows && !AppliesTo::Generated.allows(exp.data.source.kind()) {
        exp.data.generator.rows = Experiment::default().data.generator.rows;
    }
    Ok(exp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn small_is_three_epochs_of_eight_rows() {
        let exp = experiment(&[], Syntax::Flag).unwrap();
        assert_eq!((exp.train.epochs, exp.data.generator.rows), (3, 8));
        // A built-in table takes no `rows`: it goes back to the default, 100.
        let exp = experiment(&[("data", "builtin:course".into())], Syntax::Flag).unwrap();
        assert_eq!(
            exp.data.generator.rows,
            Experiment::default().data.generator.rows
        );
        assert!(exp.validate().is_ok());
    }

    /// The defaults with data the key applies to: a table of two inputs for `inputs`, a CSV for
    /// `skip_bad_rows` (`validate` reads no file).
    fn base_for(applies_to: AppliesTo) -> Experiment {
        let mut e = Experiment::default();
        match applies_to {
            AppliesTo::Table => {
                // Two inputs, for the default 2-2-1 network.
                e.set("data", "builtin:insurance").unwrap();
                e.set("inputs", "age,bmi").unwrap();
            }
            AppliesTo::Csv => e.set("data", "rows.csv").unwrap(),
            _ => {}
        }
        e
    }

    #[test]
    fn every_key_draws_values_that_set_it_and_values_that_are_refused() {
        // 200 draws per key reach both (set and valid, or refused): a strategy that only drew valid (or only invalid)
        // text would not test the parser's two sides.
        let mut runner = TestRunner::deterministic();
        for k in KEYS {
            let strategy = value(k.key);
            let (mut ok, mut refused) = (0, 0);
            for _ in 0..200 {
                let text = strategy.new_tree(&mut runner).unwrap().current();
                // Names are checked later: `freeze` by `validate`, column names
                // (`features`, `inputs`, `target`) when the data is loaded. (Other keys'
                // `validate` is left out: it builds the network, whatever its size.)
                let mut e = base_for(k.applies_to);
                let checked = e.set(k.key, &text).and_then(|()| match k.key {
                    "freeze" => e.validate(),
                    "features" | "inputs" | "target" => {
                        e.train.epochs = 1;
                        nnlab_lab::run(&e, &mut |_| {}).map(|_| ())
                    }
                    _ => Ok(()),
                });
                match checked {
                    Ok(()) => ok += 1,
                    Err(_) => refused += 1,
                }
            }
            assert!(
                ok > 0 && refused > 0,
                "{}: {ok} set, {refused} refused",
                k.key
            );
        }
    }
}
