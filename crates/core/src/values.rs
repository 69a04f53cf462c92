//! Where a network's starting values come from: an explicit list or an [`Init`] strategy.
//!
//! The same spelling serves `--weights`, `--biases`, TOML and the web page:
//! `1,0.5,1,-1,1,1` is a list; `const:1`, `uniform:-10,10,round=2`, `glorot` are strategies.
//!
//! ```
//! use nnlab_core::values::{build_network, ParamValues};
//! use nnlab_core::{rng::Rng, Activation};
//! let w: ParamValues = "1,0.5,1,-1,1,1".parse().unwrap();
//! let b: ParamValues = "0.5,0,0.5".parse().unwrap();
//! let net = build_network(&[2, 2, 1], &[Activation::Relu; 2], &w, &b, &mut Rng::new(0)).unwrap();
//! assert_eq!(net.predict(&[1.0, 0.0]).unwrap(), vec![2.5]);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::init::{initialize, Init, InitSource};
use crate::{Activation, CoreError, Network, ParamId};

/// An explicit list of values or a strategy to draw them.
///
/// In TOML and JSON a list is an array of numbers (`[1, 0.5]`) and a strategy its text
/// (`"glorot"`); a string is read like a flag, so `"1,0.5"` is a list too. Anything else is
/// refused with one message saying what is expected (not serde's "did not match any variant").
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValues {
    List(Vec<f64>),
    Init(Init),
}

/// What a `ParamValues` field takes, for error messages.
const EXPECTED_VALUES: &str =
    "a list of numbers (1,0.5,...) or an initializer (const:C, uniform:LO,HI, normal:M,SD, glorot, he)";

impl Serialize for ParamValues {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ParamValues::List(v) => v.serialize(s),
            ParamValues::Init(i) => s.collect_str(i),
        }
    }
}

impl<'de> Deserialize<'de> for ParamValues {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ParamValues;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(EXPECTED_VALUES)
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<ParamValues, E> {
                s.parse().map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ParamValues, E> {
                Ok(ParamValues::List(vec![v]))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ParamValues, E> {
                Ok(ParamValues::List(vec![v as f64]))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ParamValues, E> {
                Ok(ParamValues::List(vec![v as f64]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ParamValues, A::Error> {
                let mut values = Vec::new();
                while let Some(v) = seq.next_element::<f64>()? {
                    values.push(v);
                }
                Ok(ParamValues::List(values))
            }
        }
        d.deserialize_any(V)
    }
}

impl FromStr for ParamValues {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let looks_numeric = s
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == '.');
        if looks_numeric {
            let mut values = Vec::new();
            for part in s.split(',') {
                let part = part.trim();
                let v: f64 = part.parse().map_err(|_| CoreError::InvalidInit {
                    spec: s.to_string(),
                    reason: format!("'{part}' is not a number"),
                })?;
                if !v.is_finite() {
                    return Err(CoreError::NotFinite {
                        what: format!("value '{part}'"),
                        value: v,
                    });
                }
                values.push(v);
            }
            Ok(ParamValues::List(values))
        } else {
            s.parse().map(ParamValues::Init)
        }
    }
}

impl fmt::Display for ParamValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValues::List(v) => {
                let parts: Vec<String> = v.iter().map(|x| format!("{x:?}")).collect();
                f.write_str(&parts.join(","))
            }
            ParamValues::Init(i) => i.fmt(f),
        }
    }
}

/// Builds a network of the given sizes: weights and biases from lists or strategies.
///
/// Lists follow the display order of [`Network::named_param_ids`]: `w1..w6` and `b1..b3` on
/// the course network; elsewhere layer by layer, weights row-major (`L1.w[1][1]`,
/// `L1.w[1][2]`, ...), biases likewise. Strategies draw weights first, then biases.
pub fn build_network(
    sizes: &[usize],
    activations: &[Activation],
    weights: &ParamValues,
    biases: &ParamValues,
    rng: &mut impl InitSource,
) -> Result<Network, CoreError> {
    let mut net = Network::zeros(sizes, activations)?;
    // Strategies first (one draw order for both), then lists overwrite their part.
    let w_init = match weights {
        ParamValues::Init(i) => *i,
        ParamValues::List(_) => Init::Const(0.0),
    };
    let b_init = match biases {
        ParamValues::Init(i) => *i,
        ParamValues::List(_) => Init::Const(0.0),
    };
    initialize(&mut net, w_init, b_init, rng);
    let ids = net.named_param_ids();
    let (w_ids, b_ids): (Vec<_>, Vec<_>) = ids
        .into_iter()
        .map(|(_, id)| id)
        .partition(|id| matches!(id, ParamId::Weight { .. }));
    // A strategy can draw what no flag could type (`uniform:-1e308,1e308`: hi - lo
    // overflows): refused here, as what it is, before anything trains on it.
    for (what, values, ids) in [("weights", weights, &w_ids), ("biases", biases, &b_ids)] {
        if let ParamValues::Init(init) = values {
            if let Some(&id) = ids.iter().find(|&&id| !net.get(id).is_finite()) {
                return Err(CoreError::InitNotFinite {
                    what,
                    init: init.to_string(),
                    param: net.param_name(id),
                    value: net.get(id),
                });
            }
        }
    }
    if let ParamValues::List(values) = weights {
        set_all(&mut net, &w_ids, values, "weights")?;
    }
    if let ParamValues::List(values) = biases {
        set_all(&mut net, &b_ids, values, "biases")?;
    }
    Ok(net)
}

fn set_all(
    net: &mut Network,
    ids: &[ParamId],
    values: &[f64],
    what: &'static str,
) -> Result<(), CoreError> {
    if values.len() != ids.len() {
        return Err(CoreError::WrongCount {
            what,
            expected: ids.len(),
            found: values.len(),
        });
    }
    for (&id, &v) in ids.iter().zip(values) {
        // A file or TOML array can carry nan/inf where a flag's parser would refuse them.
        if !v.is_finite() {
            return Err(CoreError::NotFinite {
                what: format!("{what} value {}", net.param_name(id)),
                value: v,
            });
        }
        net.set(id, v);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn lists_and_strategies_parse() {
        assert_eq!(
            "1,-0.5, 2".parse::<ParamValues>().unwrap(),
            ParamValues::List(vec![1.0, -0.5, 2.0])
        );
        assert_eq!(
            "const:1".parse::<ParamValues>().unwrap(),
            ParamValues::Init(Init::Const(1.0))
        );
        assert!("1,x".parse::<ParamValues>().is_err());
        assert!("1,inf".parse::<ParamValues>().is_err());
        assert!("bogus".parse::<ParamValues>().is_err());
    }

    // The three spellings a file may use, and the one message for anything else (issue 11:
    // `--weights 1` used to print "data did not match any variant of untagged enum").
    #[test]
    fn serde_reads_arrays_strings_and_numbers() {
        let read = |json: &str| serde_json::from_str::<ParamValues>(json);
        assert_eq!(read("[1, 0.5]").unwrap(), ParamValues::List(vec![1.0, 0.5]));
        assert_eq!(
            read("\"1,0.5\"").unwrap(),
            ParamValues::List(vec![1.0, 0.5])
        );
        assert_eq!(read("2").unwrap(), ParamValues::List(vec![2.0]));
        assert_eq!(read("\"glorot\"").unwrap(), ParamValues::Init(Init::Glorot));
        let err = read("true").unwrap_err().to_string();
        assert!(
            err.starts_with("invalid type: boolean `true`, expected a list of numbers"),
            "{err}"
        );
        let back = serde_json::to_string(&ParamValues::Init(Init::Const(1.0))).unwrap();
        assert_eq!(back, "\"const:1.0\"");
    }

    // Issue 17: hi - lo = 2e308 overflows to inf, so the draw lo + inf·u is inf (or NaN).
    #[test]
    fn a_strategy_that_draws_a_non_finite_value_is_refused() {
        let w: ParamValues = "uniform:-1e308,1e308".parse().unwrap();
        let b: ParamValues = "0,0,0".parse().unwrap();
        let err = build_network(&[2, 2, 1], &[Activation::Relu; 2], &w, &b, &mut Rng::new(0))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "weights: initializer 'uniform:-1e308,1e308' drew w1 = inf: a starting value must be finite"
        );
    }

    #[test]
    fn wrong_count_names_what_and_how_many() {
        let err = build_network(
            &[2, 2, 1],
            &[Activation::Relu; 2],
            &"1,2,3".parse().unwrap(),
            &"0,0,0".parse().unwrap(),
            &mut Rng::new(0),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "weights has 3 values, expected 6");
    }

    // Course order: the list 1..6 lands as w1 = 1 (into node 1 from x1), w3 = 3 (node 1 from x2).
    #[test]
    fn course_lists_follow_course_names() {
        let net = build_network(
            &[2, 2, 1],
            &[Activation::Relu; 2],
            &"1,2,3,4,5,6".parse().unwrap(),
            &"7,8,9".parse().unwrap(),
            &mut Rng::new(0),
        )
        .unwrap();
        let l1 = &net.layers()[0];
        assert_eq!(l1.weights_of(0), &[1.0, 3.0]);
        assert_eq!(l1.weights_of(1), &[2.0, 4.0]);
        assert_eq!(net.layers()[1].weights_of(0), &[5.0, 6.0]);
        assert_eq!(net.layers()[1].b(0), 9.0);
    }
}
