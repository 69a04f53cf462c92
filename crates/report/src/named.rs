//! Serde helpers for report values. [`NamedValues`] lives in the core so that every crate
//! shares one ordered parameter map.

pub use nnlab_core::NamedValues;

/// Serde helper: a `Vec<f64>` written as a bare number when it holds one value (the
/// course's single prediction) and as a list otherwise; either form reads back.
pub(crate) mod one_or_many {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        One(f64),
        Many(Vec<f64>),
    }

    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        match v {
            [one] => one.serialize(s),
            many => many.serialize(s),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(match Form::deserialize(d)? {
            Form::One(x) => vec![x],
            Form::Many(v) => v,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_through_json() {
        let v = NamedValues(vec![
            ("w1".into(), 0.99),
            ("b1".into(), -0.01),
            ("a".into(), 2.0),
        ]);
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, r#"{"w1":0.99,"b1":-0.01,"a":2.0}"#);
        let back: NamedValues = serde_json::from_str(&json).unwrap();
        assert_eq!(back, v);
        assert_eq!(back.names().collect::<Vec<_>>(), ["w1", "b1", "a"]);
    }
}
