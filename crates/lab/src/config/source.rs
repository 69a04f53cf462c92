//! `data.source`: where the rows come from, typed once. Written `generate` (or
//! `generate:quadratic`), `generate:circle|xor|gauss|spiral`, `builtin:NAME` or a CSV path, in
//! flags, TOML and JSON alike.
//!
//! ```
//! use nnlab_lab::config::{DataKind, Source};
//! let s: Source = "builtin:diabetes".parse().unwrap();
//! assert_eq!((s.to_string(), s.kind()), ("builtin:diabetes".to_string(), DataKind::Builtin));
//! assert_eq!("runs/x.csv".parse::<Source>().unwrap().kind(), DataKind::Csv);
//! assert!("builtin:nope".parse::<Source>().is_err());
//! let xor: Source = "generate:xor".parse().unwrap();
//! assert_eq!((xor.to_string(), xor.kind()), ("generate:xor".to_string(), DataKind::TwoClass));
//! assert_eq!("generate:quadratic".parse::<Source>().unwrap().to_string(), "generate");
//! ```

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use nnlab_data::{Pattern, BUILTIN_NAMES};

use crate::serde_util::serde_as_text;

/// Where a run's rows come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Generated rows (`data.generator`): the course's quadratic rows (the default), or one
    /// of TF Playground's two-class sets.
    Generate(Pattern),
    /// A table shipped with the program (one of `nnlab_data::BUILTIN_NAMES`).
    Builtin(String),
    /// A CSV file with a header (`data.inputs`, `data.target` choose its columns).
    Csv(PathBuf),
}

impl Default for Source {
    fn default() -> Source {
        Source::Generate(Pattern::Quadratic)
    }
}

/// The kinds of data an option may apply to (see [`crate::config::keys::AppliesTo`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// The course's quadratic rows (`generate`).
    Generated,
    /// A two-class set (`generate:circle`, ...).
    TwoClass,
    Builtin,
    Csv,
}

impl Source {
    pub fn kind(&self) -> DataKind {
        match self {
            Source::Generate(p) if p.is_two_class() => DataKind::TwoClass,
            Source::Generate(_) => DataKind::Generated,
            Source::Builtin(_) => DataKind::Builtin,
            Source::Csv(_) => DataKind::Csv,
        }
    }
}

impl FromStr for Source {
    type Err = String;
    /// `generate` (or nothing), `generate:PATTERN`, `builtin:NAME` (both checked now, so a
    /// typo fails before anything runs), else a CSV path.
    fn from_str(s: &str) -> Result<Source, String> {
        let t = s.trim();
        if t.is_empty() || t == "generate" {
            return Ok(Source::default());
        }
        if let Some(name) = t.strip_prefix("generate:") {
            return name
                .parse()
                .map(Source::Generate)
                .map_err(|e: nnlab_data::DataError| e.to_string());
        }
        if let Some(name) = t.strip_prefix("builtin:") {
            if !BUILTIN_NAMES.contains(&name) {
                return Err(format!(
                    "unknown built-in data set '{name}' (available: {})",
                    BUILTIN_NAMES.join(", ")
                ));
            }
            return Ok(Source::Builtin(name.to_string()));
        }
        Ok(Source::Csv(PathBuf::from(t)))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Generate(Pattern::Quadratic) => f.write_str("generate"),
            Source::Generate(p) => write!(f, "generate:{p}"),
            Source::Builtin(name) => write!(f, "builtin:{name}"),
            Source::Csv(path) => write!(f, "{}", path.display()),
        }
    }
}

serde_as_text!(Source);
