//! The key table as data for clients: `GET /api/schema` serves [`schema()`], from which the
//! page builds its form (names, help, defaults, choices), holding none of its own.
//!
//! ```
//! let s = nnlab_lab::config::schema();
//! let lr = s.keys.iter().find(|k| k.key == "lr").unwrap();
//! assert_eq!((lr.flag.as_str(), lr.path, lr.default.as_deref()), ("--lr", "train.lr", Some("0.01")));
//! ```

use serde::Serialize;

use super::keys::{AppliesTo, Group, KEYS};
use super::Experiment;

/// `{"keys": [...]}`.
#[derive(Debug, Clone, Serialize)]
pub struct Schema {
    pub keys: Vec<SchemaKey>,
}

/// One option: `{"key":"lr","flag":"--lr","path":"train.lr","help":"...","default":"0.01",
/// "switch":false,"choices":null,"group":"train","applies_to":"any"}`. `default` is `null`
/// for an option that is off by default (its help says what off means).
#[derive(Debug, Clone, Serialize)]
pub struct SchemaKey {
    pub key: &'static str,
    pub flag: String,
    pub path: &'static str,
    pub help: String,
    pub default: Option<String>,
    pub switch: bool,
    pub choices: Option<Vec<String>>,
    pub group: Group,
    pub applies_to: AppliesTo,
}

/// Every key of [`KEYS`], in order, with its default read from `Experiment::default()`.
pub fn schema() -> Schema {
    Schema {
        keys: KEYS
            .iter()
            .map(|k| SchemaKey {
                key: k.key,
                flag: k.flag(),
                path: k.path,
                help: k.help_with_default(),
                default: k.default_text(),
                switch: k.switch,
                choices: k.choices.map(|c| c()),
                group: k.group,
                applies_to: k.applies_to,
            })
            .collect(),
    }
}

/// Every key's text in `exp` (`null` where the option is off), in [`KEYS`] order, as the
/// page's form and the flags spell them: what a client fills its fields from (after an
/// import, say) without a mapping of its own from the configuration's JSON.
///
/// ```
/// let mut e = nnlab_lab::Experiment::default();
/// e.set("lr", "0.05").unwrap();
/// let s = nnlab_lab::config::settings(&e);
/// assert_eq!(s.0.iter().find(|(k, _)| *k == "lr").unwrap().1.as_deref(), Some("0.05"));
/// ```
pub fn settings(exp: &Experiment) -> Settings {
    Settings(KEYS.iter().map(|k| (k.key, (k.get)(exp))).collect())
}

/// `(key, text)` pairs; JSON `{"lr": "0.05", "init": null, ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings(pub Vec<(&'static str, Option<String>)>);

impl Serialize for Settings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}
