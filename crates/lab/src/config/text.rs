//! The text forms of option values: what a key's `set` reads and its `get` writes, each
//! error saying what is wrong with the value (the caller names the option).

use std::fmt::Display;
use std::str::FromStr;

use nnlab_core::init::Init;
use nnlab_core::values::ParamValues;
use nnlab_data::Range;
// A finite number: the same rule and message as `nnlab step`'s `--input`.
pub(super) use nnlab_report::input::finite as number;
use nnlab_train::EarlyStopping;
use serde::Serialize;

pub(super) fn parse<T: FromStr>(text: &str) -> Result<T, String>
where
    T::Err: Display,
{
    text.trim().parse().map_err(|e: T::Err| e.to_string())
}

pub(super) fn whole(text: &str) -> Result<usize, String> {
    let t = text.trim();
    t.parse()
        .map_err(|_| format!("'{t}' is not a whole number"))
}

pub(super) fn seed(text: &str) -> Result<u64, String> {
    let t = text.trim();
    t.parse()
        .map_err(|_| format!("'{t}' is not a seed (a whole number)"))
}

pub(super) fn boolean(text: &str) -> Result<bool, String> {
    match text.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        t => Err(format!("'{t}' is not true or false")),
    }
}

/// A list (`1,0.5`, or one number) or an initializer (`const:1`, `glorot`): text without a
/// `:` that is a comma list or a number (`nan` included, to be refused as not finite) is a
/// list, each value named when it is wrong (`'-inf' is not finite`).
pub(super) fn param_values(text: &str) -> Result<ParamValues, String> {
    let t = text.trim();
    if !t.contains(':') && (t.contains(',') || t.parse::<f64>().is_ok()) {
        t.split(',')
            .map(number)
            .collect::<Result<_, _>>()
            .map(ParamValues::List)
    } else {
        parse::<Init>(t).map(ParamValues::Init)
    }
}

pub(super) fn range(text: &str) -> Result<Range, String> {
    parse(text)
}

pub(super) fn show_range(r: Range) -> String {
    format!("{},{}", r.lo, r.hi)
}

/// `off` and `none` unset an optional option.
pub(super) fn is_off(text: &str) -> bool {
    matches!(text.trim(), "off" | "none")
}

pub(super) fn optional<T>(
    text: &str,
    f: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if is_off(text) {
        Ok(None)
    } else {
        f(text).map(Some)
    }
}

pub(super) fn list_or_none(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| v.join(","))
}

/// The text of a unit-variant enum as serde spells it (`auto`, `general`).
pub(super) fn serde_text<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

pub(super) fn from_serde_text<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_string()))
        .map_err(|e| e.to_string())
}

pub(super) fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

pub(super) fn names<T: Display>(values: &[T]) -> Vec<String> {
    values.iter().map(T::to_string).collect()
}

/// `10` (patience alone) or a TOML inline table `{patience = 10, min_delta = 0.001, restore_best = true}`.
pub(super) fn early_stopping(text: &str) -> Result<EarlyStopping, String> {
    let t = text.trim();
    if let Ok(patience) = t.parse::<usize>() {
        return Ok(EarlyStopping {
            patience,
            ..EarlyStopping::default()
        });
    }
    #[derive(serde::Deserialize)]
    struct Wrap {
        v: EarlyStopping,
    }
    toml::from_str::<Wrap>(&format!("v = {t}"))
        .map(|w| w.v)
        .map_err(|_| {
            format!("'{t}' is not PATIENCE, off, or {{patience = 10, min_delta = 0.0001, restore_best = true}}")
        })
}

pub(super) fn show_early_stopping(es: &EarlyStopping) -> String {
    if *es
        == (EarlyStopping {
            patience: es.patience,
            ..EarlyStopping::default()
        })
    {
        es.patience.to_string()
    } else {
        format!(
            "{{patience = {}, min_delta = {:?}, restore_best = {}}}",
            es.patience, es.min_delta, es.restore_best
        )
    }
}
