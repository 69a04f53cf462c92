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
