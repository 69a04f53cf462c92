//! JSON as flat `(dotted key, value)` leaves and values as one cell of text: how stored
//! configurations and metrics are compared (`runs compare`), listed and exported.
//!
//! ```
//! use nnlab_lab::flat::{flatten, text};
//! use serde_json::json;
//! let leaves = flatten(&json!({"train": {"lr": 0.01}, "arch": "2-2-1"}));
//! assert_eq!(leaves[1], ("train.lr".to_string(), json!(0.01)));
//! assert_eq!(text(&json!(["relu", "identity"])), "relu,identity");
//! ```

use serde_json::Value;

/// A value as one cell of text: strings bare, lists comma-joined, null empty, others as JSON.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// Every leaf of `v` as `(dotted path, value)`, in key order (lists are leaves).
pub fn flatten(v: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}

fn walk(v: &Value, prefix: String, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                walk(child, path, out);
            }
        }
        leaf => out.push((prefix, leaf.clone())),
    }
}

/// The value at a dotted path (`train.lr`).
pub fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, part| v.get(part))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flatten_gives_dotted_leaves() {
        let v = json!({"a": {"b": 1, "c": [1, 2]}, "d": "x"});
        let flat = flatten(&v);
        assert_eq!(
            flat,
            vec![
                ("a.b".to_string(), json!(1)),
                ("a.c".to_string(), json!([1, 2])),
                ("d".to_string(), json!("x"))
            ]
        );
        assert_eq!(text(&json!([1, 2])), "1,2");
        assert_eq!(text(&Value::Null), "");
        assert_eq!(lookup(&v, "a.b"), Some(&json!(1)));
        assert_eq!(lookup(&v, "a.x"), None);
    }
}
