//! The two written forms of an optimizer or a schedule in a config file: a short string
//! (`optimizer = "adam"`, `schedule = "step:100,0.5"`, the same text as the CLI flag) or a
//! table with a `kind` (`[optimizer]` / `kind = "momentum"` / `momentum = 0.9`).
//!
//! Both read back to the same value; the table form is what gets written, so every field
//! is visible in a saved config.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Reads `T` from either its [`FromStr`] text or its table form `Table`.
pub(crate) fn str_or_table<'de, D, T, Table>(d: D, expecting: &'static str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
    Table: Deserialize<'de> + TryInto<T>,
    <Table as TryInto<T>>::Error: fmt::Display,
{
    struct V<T, Table>(&'static str, PhantomData<(T, Table)>);
    impl<'de, T, Table> Visitor<'de> for V<T, Table>
    where
        T: FromStr,
        T::Err: fmt::Display,
        Table: Deserialize<'de> + TryInto<T>,
        <Table as TryInto<T>>::Error: fmt::Display,
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.0)
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
            s.parse().map_err(E::custom)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            let table = Table::deserialize(de::value::MapAccessDeserializer::new(map))?;
            table.try_into().map_err(de::Error::custom)
        }
    }
    d.deserialize_any(V::<T, Table>(expecting, PhantomData))
}

/// Splits `name:a,b,c` into the lower-cased name and its arguments (none without a colon).
pub(crate) fn split_args(s: &str) -> (String, Vec<&str>) {
    match s.trim().split_once(':') {
        Some((head, args)) => (
            head.trim().to_ascii_lowercase(),
            args.split(',').map(str::trim).collect(),
        ),
        None => (s.trim().to_ascii_lowercase(), Vec::new()),
    }
}
