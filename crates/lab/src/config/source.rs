//! `data.source`: where the rows come from, typed once. Written as today: `generate`,
//! `builtin:NAME` or a CSV path, in flags, TOML and JSON alike.
//!
//! ```
//! use nnlab_lab::config::{DataKind, Source};
//! let s: Source = "builtin:diabetes".parse().unwrap();
//! assert_eq!((s.to_string(), s.kind()), ("builtin:diabetes".to_string(), DataKind::Builtin));
//! assert_eq!("runs/x.csv".parse::<Source>().unwrap().kind(), DataKind::Csv);
//! assert!("builtin:nope".parse::<Source>().is_err());
//! ```

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use nnlab_data::BUILTIN_NAMES;

use crate::serde_util::serde_as_text;

/// Where a run's rows come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Source {
    /// The course's generator (`data.generator`).
    #[default]
    Generate,
    /// A table shipped with the program (one of `nnlab_data::BUILTIN_NAMES`).
    Builtin(String),
    /// A CSV file with a header (`data.inputs`, `data.target` choose its columns).
    Csv(PathBuf),
}

/// The kinds of data an option may apply to (see [`crate::config::keys::AppliesTo`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    Generated,
    Builtin,
    Csv,
}

impl Source {
    pub fn kind(&self) -> DataKind {
        match self {
            Source::Generate => DataKind::Generated,
            Source::Builtin(_) => DataKind::Builtin,
            Source::Csv(_) => DataKind::Csv,
        }
    }
}

impl FromStr for Source {
    type Err = String;
    /// `generate` (or nothing), `builtin:NAME` (checked now, so a typo fails before anything
    /// runs), else a CSV path.
    fn from_str(s: &str) -> Result<Source, String> {
        let t = s.trim();
        if t.is_empty() || t == "generate" {
            return Ok(Source::Generate);
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
            Source::Generate => f.write_str("generate"),
            Source::Builtin(name) => write!(f, "builtin:{name}"),
            Source::Csv(path) => write!(f, "{}", path.display()),
        }
    }
}

serde_as_text!(Source);
