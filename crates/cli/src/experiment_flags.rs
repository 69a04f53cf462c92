//! The experiment's options as flags, generated from the one table of keys in
//! `nnlab_lab::KEYS`, so `--lr`, the TOML key `lr` and `--vary lr=...` can never drift apart.
//!
//! A key with a value is `--lr 0.1`; a boolean key is a switch pair that never takes a
//! value: `--shuffle` / `--no-shuffle` (the last one given wins). Help texts show the
//! default read from `Experiment::default()`.

use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};
use nnlab_lab::{Experiment, LabError, Syntax, KEYS};

/// The id of a switch's negation: `no_shuffle`.
fn negation(key: &str) -> String {
    format!("no_{key}")
}

/// clap keeps `&'static str` names; the table is built once per process.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Which keys of the table a command takes as flags.
pub trait KeySet: std::fmt::Debug + Clone + Default + Send + Sync + 'static {
    /// `None`: every key.
    const KEYS: Option<&'static [&'static str]>;
    /// The help section the flags are listed under.
    const HEADING: &'static str;
    fn has(key: &str) -> bool {
        match Self::KEYS {
            None => true,
            Some(keys) => keys.contains(&key),
        }
    }
}

/// Every option (`train`, `sweep`).
#[derive(Debug, Clone, Default)]
pub struct AllKeys;
impl KeySet for AllKeys {
    const KEYS: Option<&'static [&'static str]> = None;
    const HEADING: &'static str = "Experiment (also TOML keys and --vary names)";
}

/// The options of one step on one example: the model section, its seed, `lr` and `loss`.
#[derive(Debug, Clone, Default)]
pub struct StepKeys;
impl KeySet for StepKeys {
    const KEYS: Option<&'static [&'static str]> = Some(&nnlab_lab::config::keys::STEP_KEYS);
    const HEADING: &'static str =
        "Network and update (the options of the same name in nnlab train)";
}

/// The flags of every option (`nnlab train`, `nnlab sweep`).
pub type ExperimentFlags = Flags<AllKeys>;

/// The values the user typed, in table order, to apply over a configuration.
#[derive(Debug, Clone, Default)]
pub struct Flags<S: KeySet> {
    pub values: Vec<(&'static str, String)>,
    keys: std::marker::PhantomData<S>,
}

impl<S: KeySet> Flags<S> {
    /// Applies every flag over `exp`; an error names the flag and the value. A flag that
    /// does not apply to the chosen data (`--rows` with a CSV) is an error naming it.
    pub fn apply(&self, exp: &mut Experiment) -> Result<(), LabError> {
        exp.apply(&self.values, Syntax::Flag)
    }

    /// True when the command line sets `key`.
    pub fn gives(&self, key: &str) -> bool {
        self.values.iter().any(|(k, _)| *k == key)
    }

    /// `err` naming its option as the user gave it: a flag when a flag set it, else its
    /// TOML path when a file was read.
    pub fn name_in_error(&self, err: LabError, from_file: bool) -> LabError {
        let flag = match &err {
            LabError::Config { key, .. } | LabError::Conflict { key, .. } => self.gives(key),
            _ => true,
        };
        err.in_syntax(if flag || !from_file {
            Syntax::Flag
        } else {
            Syntax::Toml
        })
    }
}

impl<S: KeySet> FromArgMatches for Flags<S> {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let given = |id: &str| m.value_source(id) == Some(ValueSource::CommandLine);
        let mut values = Vec::new();
        for k in KEYS.iter().filter(|k| S::has(k.key)) {
            if k.switch {
                // `overrides_with` leaves only the last of the pair set.
                if given(k.key) && m.get_flag(k.key) {
                    values.push((k.key, "true".to_string()));
                } else if given(&negation(k.key)) && m.get_flag(&negation(k.key)) {
                    values.push((k.key, "false".to_string()));
                }
            } else if let Some(v) = m.get_one::<String>(k.key) {
                values.push((k.key, v.clone()));
            }
        }
        Ok(Flags {
            values,
            keys: std::marker::PhantomData,
        })
    }
    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl<S: KeySet> Args for Flags<S> {
    fn augment_args(mut cmd: Command) -> Command {
        for k in KEYS.iter().filter(|k| S::has(k.key)) {
            let long = leak(k.flag().trim_start_matches("--").to_string());
            let arg = Arg::new(k.key)
                .long(long)
                .help(k.help_with_default())
                .help_heading(S::HEADING);
            cmd = if k.switch {
                let no = leak(negation(k.key));
                cmd.arg(arg.action(ArgAction::SetTrue).overrides_with(no))
                    .arg(
                        Arg::new(no)
                            .long(leak(format!("no-{long}")))
                            .help(format!("Turn --{long} off"))
                            .action(ArgAction::SetTrue)
                            .overrides_with(k.key)
                            .help_heading(S::HEADING),
                    )
            } else {
                cmd.arg(
                    arg.action(ArgAction::Set)
                        .value_name(leak(k.key.to_uppercase()))
                        .allow_hyphen_values(true),
                )
            };
        }
        cmd
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}
