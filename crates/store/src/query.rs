//! Configuration keys of stored runs: `--where lr=0.01`, and the flat columns of an export.
//!
//! A key is a flat key of [`nnlab_lab::KEYS`] (`lr`, `rows`) or a dotted path in the
//! configuration (`train.lr`, `data.generator.rows`). Values compare numerically when both
//! sides are numbers (`lr=0.010` matches a stored `0.01`), else as text.

use serde_json::Value;

use nnlab_lab::flat::{lookup, text};
use nnlab_lab::KEYS;

use crate::StoreError;

/// One `KEY=VALUE` condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The dotted configuration path the key stands for.
    pub path: String,
    pub value: String,
}

impl Condition {
    /// Reads `KEY=VALUE`; an unknown key is an error listing the known ones.
    pub fn parse(text: &str) -> Result<Condition, StoreError> {
        let bad = |message: String| StoreError::Input {
            key: "--where".into(),
            message,
        };
        let (key, value) = text
            .split_once('=')
            .ok_or_else(|| bad(format!("'{text}' is not KEY=VALUE")))?;
        let key = key.trim();
        let path = config_path(key).ok_or_else(|| {
            bad(format!(
                "unknown key '{key}' (known: {}, or a dotted path such as train.lr)",
                KEYS.iter().map(|k| k.key).collect::<Vec<_>>().join(", ")
            ))
        })?;
        Ok(Condition {
            path,
            value: value.trim().to_string(),
        })
    }

    /// True when the configuration's value at the key equals the wanted value.
    pub fn matches(&self, config: &Value) -> bool {
        lookup(config, &self.path).is_some_and(|v| equal(v, &self.value))
    }
}

/// The dotted path of a flat key, or the key itself when it is already a path.
pub fn config_path(key: &str) -> Option<String> {
    KEYS.iter()
        .find(|k| k.key == key || k.path == key)
        .map(|k| k.path.to_string())
        .or_else(|| key.contains('.').then(|| key.to_string()))
}

fn equal(stored: &Value, wanted: &str) -> bool {
    if let (Some(a), Ok(b)) = (stored.as_f64(), wanted.parse::<f64>()) {
        return a == b;
    }
    text(stored) == wanted
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numeric_values_compare_as_numbers() {
        let config = json!({"train": {"lr": 0.01, "loss": "squared_error"}, "seed": 3});
        assert!(Condition::parse("lr=0.010").unwrap().matches(&config));
        assert!(Condition::parse("lr=1e-2").unwrap().matches(&config));
        assert!(!Condition::parse("lr=0.1").unwrap().matches(&config));
        assert!(Condition::parse("seed=3").unwrap().matches(&config));
        assert!(Condition::parse("loss=squared_error")
            .unwrap()
            .matches(&config));
        assert!(Condition::parse("train.lr=0.01").unwrap().matches(&config));
    }

    #[test]
    fn bad_conditions_name_the_flag() {
        let e = Condition::parse("lr").unwrap_err().to_string();
        assert!(e.starts_with("--where: 'lr' is not KEY=VALUE"), "{e}");
        let e = Condition::parse("speed=3").unwrap_err().to_string();
        assert!(e.contains("unknown key 'speed'"), "{e}");
    }
}
