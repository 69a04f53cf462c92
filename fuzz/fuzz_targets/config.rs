//! The one schema's two text faces: a TOML config (`nnlab train --config FILE.toml`,
//! `Experiment::from_toml_str`) and the flags (`nnlab train --lr 0.1`, `Experiment::apply`
//! with `Syntax::Flag`), then `Experiment::validate`, all a command does before loading
//! data; and `--vary KEY=VALUES` (`SweepSpec::parse`, the grid's size).
//!
//! Input: the first byte picks the face. Even: the rest is TOML. Odd: the rest is lines
//! `KEY=VALUE` (a flag and its value) or `vary KEY=VALUES`.
//! Properties: nothing panics; a TOML config that reads back is printed (`--print-config`)
//! as TOML that reads back to the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nnlab_lab::sweep::SweepSpec;
use nnlab_lab::{Experiment, Syntax};

/// Longer inputs are skipped (a config or command line is short).
const MAX_INPUT: usize = 64 * 1024;

fuzz_target!(|data: &[u8]| {
    let Some((&face, rest)) = data.split_first() else {
        return;
    };
    if rest.len() > MAX_INPUT {
        return;
    }
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let exp = if face % 2 == 0 {
        let Ok(exp) = Experiment::from_toml_str(text) else {
            return;
        };
        let printed = exp
            .to_toml()
            .expect("a config read from TOML prints as TOML");
        let again = Experiment::from_toml_str(&printed)
            .unwrap_or_else(|e| panic!("printed config does not read back: {e}\n{printed}"));
        assert_eq!(again.to_toml().ok().as_deref(), Some(printed.as_str()));
        exp
    } else {
        let mut flags = Vec::new();
        let mut vary = Vec::new();
        for line in text.lines() {
            match line.strip_prefix("vary ") {
                Some(v) => vary.push(v.to_string()),
                None => flags.push(line.split_once('=').unwrap_or((line, ""))),
            }
        }
        let mut exp = Experiment::default();
        if exp.apply(&flags, Syntax::Flag).is_err() {
            return;
        }
        if !vary.is_empty() {
            // `parse` checks every value and the grid's size.
            let _ = SweepSpec::parse(exp.clone(), &vary);
        }
        exp
    };
    let _ = exp.validate();
});
