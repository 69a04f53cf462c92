//! The experiment's options as flags, generated from the one table of keys in
//! `nnlab_lab::KEYS`, so `--lr`, the TOML key `lr` and `--vary lr=...` can never drift apart.

use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};
use nnlab_lab::{Experiment, LabError, KEYS};

/// Keys that are switches: `--shuffle` alone means `--shuffle true`.
const SWITCHES: &[&str] = &["shuffle", "skip_bad_rows", "integer"];

/// Keys that stay out of the flag list (aliases of another flag).
const HIDDEN: &[&str] = &["source"];

/// The flag spelling of a key: `test_fraction` -> `test-fraction`.
pub fn flag_name(key: &str) -> String {
    key.replace('_', "-")
}

/// The values the user typed, in table order, to apply over a configuration.
#[derive(Debug, Clone, Default)]
pub struct ExperimentFlags {
    pub values: Vec<(&'static str, String)>,
}

impl ExperimentFlags {
    /// Applies every flag over `exp`; an error names the flag and the value.
    pub fn apply(&self, exp: &mut Experiment) -> Result<(), LabError> {
        for (key, value) in &self.values {
            exp.set(key, value).map_err(|e| match e {
                LabError::Config { message, .. } => LabError::Config {
                    key: format!("--{}", flag_name(key)),
                    message,
                },
                other => other,
            })?;
        }
        Ok(())
    }
}

impl FromArgMatches for ExperimentFlags {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut values = Vec::new();
        for (key, _, _) in KEYS {
            if HIDDEN.contains(key) {
                continue;
            }
            if let Some(v) = m.get_one::<String>(key) {
                values.push((*key, v.clone()));
            }
        }
        Ok(ExperimentFlags { values })
    }
    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for ExperimentFlags {
    fn augment_args(mut cmd: Command) -> Command {
        for (key, _, help) in KEYS {
            if HIDDEN.contains(key) {
                continue;
            }
            let mut arg = Arg::new(*key)
                // clap keeps `&'static str` names; the table is built once per process.
                .long(&*Box::leak(flag_name(key).into_boxed_str()))
                .help(*help)
                .action(ArgAction::Set)
                .allow_hyphen_values(true)
                .help_heading("Experiment (also TOML keys and --vary names)");
            if SWITCHES.contains(key) {
                arg = arg.num_args(0..=1).default_missing_value("true");
            }
            cmd = cmd.arg(arg);
        }
        cmd
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}
