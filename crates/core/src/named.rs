//! Parameter values keyed by name, in display order (`w1..w6, b1..b3`), serialized as a JSON
//! object whose keys keep that order.
//!
//! serde_json's own map sorts keys unless its `preserve_order` feature is on, which the
//! workspace does not enable; a list of pairs with a hand-written `Serialize` keeps the
//! course's reading order in the JSON a student opens.
//!
//! ```
//! use nnlab_core::NamedValues;
//! let v = NamedValues(vec![("w2".into(), 0.5), ("w1".into(), 1.0)]);
//! assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"w2":0.5,"w1":1.0}"#);
//! assert_eq!(v.get("w1"), Some(1.0));
//! ```

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `(name, value)` pairs in display order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NamedValues(pub Vec<(String, f64)>);

impl NamedValues {
    /// Every parameter of `net` by its display name (`w1..w6, b1..b3` on the course
    /// network), in display order.
    pub fn of(net: &crate::Network) -> NamedValues {
        NamedValues(
            net.named_param_ids()
                .into_iter()
                .map(|(name, id)| (name, net.get(id)))
                .collect(),
        )
    }

    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.0.iter().find(|(n, _)| n == name).map(|&(_, v)| v)
    }
    /// The names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(n, _)| n.as_str())
    }
    /// The values in order.
    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.0.iter().map(|&(_, v)| v)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for NamedValues {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for NamedValues {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairsVisitor;
        impl<'de> Visitor<'de> for PairsVisitor {
            type Value = NamedValues;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of parameter names to numbers")
            }
            // Entries arrive in document order, which is the order we keep.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NamedValues, A::Error> {
                let mut pairs = Vec::new();
                while let Some((name, value)) = map.next_entry::<String, f64>()? {
                    pairs.push((name, value));
                }
                Ok(NamedValues(pairs))
            }
        }
        deserializer.deserialize_map(PairsVisitor)
    }
}
