//! Small serde helpers for friendly configuration values.

use serde::{Deserialize, Deserializer};

/// Accepts `["age", "bmi"]` or `"age,bmi"`.
pub fn string_or_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        List(Vec<String>),
        One(String),
    }
    Ok(match Either::deserialize(d)? {
        Either::List(v) => v,
        Either::One(s) => s
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
    })
}

/// Reads what a user typed for one option as a TOML value: `0.01` and `1e-3` are floats,
/// `100` an integer, `true` a boolean, `0,20` the array `[0, 20]`, anything else a string.
pub fn parse_value(text: &str) -> toml::Value {
    let text = text.trim();
    let as_toml = |s: &str| -> Option<toml::Value> {
        let doc: toml::Table = toml::from_str(&format!("v = {s}")).ok()?;
        doc.get("v").cloned()
    };
    if let Some(v) = as_toml(text) {
        return v;
    }
    if text.contains(',') {
        if let Some(v @ toml::Value::Array(_)) = as_toml(&format!("[{text}]")) {
            return v;
        }
    }
    toml::Value::String(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values() {
        assert_eq!(parse_value("0.01"), toml::Value::Float(0.01));
        assert_eq!(parse_value("1e-3"), toml::Value::Float(0.001));
        assert_eq!(parse_value("100"), toml::Value::Integer(100));
        assert_eq!(parse_value("true"), toml::Value::Boolean(true));
        assert_eq!(
            parse_value("0,20"),
            toml::Value::Array(vec![toml::Value::Integer(0), toml::Value::Integer(20)])
        );
        assert_eq!(parse_value("skewed"), toml::Value::String("skewed".into()));
        assert_eq!(
            parse_value("uniform:-10,10,round=2"),
            toml::Value::String("uniform:-10,10,round=2".into())
        );
        assert_eq!(
            parse_value("relu,identity"),
            toml::Value::String("relu,identity".into())
        );
    }
}
