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
        Either::One(s) => split_list(&s),
    })
}

/// `"age, bmi,"` as `["age", "bmi"]`: a comma list, trimmed, empty parts dropped.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Serde for a type through its `Display` and `FromStr`: files hold the same text a flag
/// takes (`arch = "2-2-1"`), and a bad string's error is the parser's own message.
macro_rules! serde_as_text {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use serde_as_text;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_commas() {
        assert_eq!(split_list(" age, bmi,"), ["age", "bmi"]);
        assert!(split_list("").is_empty());
    }
}
