//! Outcomes counted over a group of runs (a sweep's combination, a factor's value).

use serde::{Deserialize, Serialize};

use super::Outcome;

/// How many runs of a group had each outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutcomeCounts([usize; 8]);

impl OutcomeCounts {
    /// The counts of `outcomes`.
    pub fn of(outcomes: impl IntoIterator<Item = Outcome>) -> OutcomeCounts {
        let mut c = OutcomeCounts::default();
        for o in outcomes {
            c.0[o as usize] += 1;
        }
        c
    }

    pub fn get(&self, o: Outcome) -> usize {
        self.0[o as usize]
    }

    /// Every outcome with its count, zeros included, in [`Outcome::ALL`] order.
    pub fn all(&self) -> impl Iterator<Item = (Outcome, usize)> + '_ {
        Outcome::ALL.into_iter().map(|o| (o, self.get(o)))
    }

    /// The outcomes seen, most frequent first (ties in [`Outcome::ALL`] order).
    pub fn seen(&self) -> Vec<(Outcome, usize)> {
        let mut v: Vec<(Outcome, usize)> = self.all().filter(|&(_, n)| n > 0).collect();
        v.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        v
    }

    /// `"18 learned, 2 stuck"`: the outcomes seen, most frequent first.
    pub fn describe(&self) -> String {
        self.seen()
            .iter()
            .map(|(o, n)| format!("{n} {o}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Serialize for OutcomeCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(8))?;
        for (o, n) in self.all() {
            m.serialize_entry(o.name(), &n)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for OutcomeCounts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<OutcomeCounts, D::Error> {
        let map = std::collections::BTreeMap::<String, usize>::deserialize(d)?;
        let mut c = OutcomeCounts::default();
        for (k, n) in map {
            let o = Outcome::parse(&k)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown outcome '{k}'")))?;
            c.0[o as usize] = n;
        }
        Ok(c)
    }
}
