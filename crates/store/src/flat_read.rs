//! Reading facts written by [`super::encode`] back, as the JSON `serde_json::to_value`
//! gives for the same data.

use serde_json::{Map, Value};

/// Reads a value back from its shape and leaves, tracking how far it is in each.
pub(super) struct Reader<'a> {
    pub(super) shape: &'a [u8],
    pub(super) leaves: &'a [u8],
    pub(super) at: usize,
    pub(super) leaf: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.shape.get(self.at).ok_or("the shape ends early")?;
        self.at += 1;
        Ok(b)
    }

    fn name(&mut self) -> Result<String, String> {
        let len = self.byte()? as usize;
        let b = self
            .shape
            .get(self.at..self.at + len)
            .ok_or("the shape ends inside a name")?;
        self.at += len;
        String::from_utf8(b.to_vec()).map_err(|e| e.to_string())
    }

    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let b = self
            .leaves
            .get(self.leaf..self.leaf + n)
            .ok_or("the leaves end early")?;
        self.leaf += n;
        Ok(b)
    }

    fn eight(&mut self) -> Result<[u8; 8], String> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(a)
    }

    pub(super) fn value(&mut self) -> Result<Value, String> {
        Ok(match self.byte()? {
            b'n' => Value::Null,
            b'f' => Value::from(f64::from_le_bytes(self.eight()?)),
            b'u' => Value::from(u64::from_le_bytes(self.eight()?)),
            b'i' => Value::from(i64::from_le_bytes(self.eight()?)),
            b'b' => Value::Bool(self.take(1)?[0] != 0),
            b's' => {
                let len = u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "length")?);
                let b = self.take(len as usize)?;
                Value::String(String::from_utf8(b.to_vec()).map_err(|e| e.to_string())?)
            }
            b'v' => Value::String(self.name()?),
            b'[' => {
                let mut items = Vec::new();
                while self.shape.get(self.at) != Some(&b']') {
                    items.push(self.value()?);
                }
                self.at += 1;
                Value::Array(items)
            }
            b'{' => Value::Object(self.entries()?),
            t => return Err(format!("unknown shape token {t:#04x}")),
        })
    }

    fn entries(&mut self) -> Result<Map<String, Value>, String> {
        let mut map = Map::new();
        loop {
            match self.byte()? {
                b'}' => return Ok(map),
                b'k' => {
                    let k = self.name()?;
                    map.insert(k, self.value()?);
                }
                t => return Err(format!("shape token {t:#04x} where a key belongs")),
            }
        }
    }

    /// An object of numbers, its entries in stored order (a `serde_json::Map` sorts them).
    fn pairs(&mut self) -> Result<Vec<(String, f64)>, String> {
        if self.byte()? != b'{' {
            return Err("parameters are not an object".into());
        }
        let mut pairs = Vec::new();
        loop {
            match self.byte()? {
                b'}' => return Ok(pairs),
                b'k' => {
                    let k = self.name()?;
                    if self.byte()? != b'f' {
                        return Err(format!("parameter {k} is not a number"));
                    }
                    pairs.push((k, f64::from_le_bytes(self.eight()?)));
                }
                t => return Err(format!("shape token {t:#04x} where a key belongs")),
            }
        }
    }
}

/// Reads the fields of a struct written by [`encode`] in order: each call gives the next
/// field's value ([`Fields::value`]) or its parameters in stored order ([`Fields::pairs`]).
pub struct Fields<'a>(Reader<'a>);

impl<'a> Fields<'a> {
    pub fn new(shape: &'a [u8], leaves: &'a [u8]) -> Result<Fields<'a>, String> {
        let mut r = Reader {
            shape,
            leaves,
            at: 0,
            leaf: 0,
        };
        if r.byte()? != b'{' {
            return Err("the facts are not an object".into());
        }
        Ok(Fields(r))
    }

    fn key(&mut self, name: &str) -> Result<(), String> {
        if self.0.byte()? != b'k' || self.0.name()? != name {
            return Err(format!("field {name} is not where the shape says"));
        }
        Ok(())
    }

    /// The next field, named `name`, as JSON.
    pub fn value(&mut self, name: &str) -> Result<Value, String> {
        self.key(name)?;
        self.0.value()
    }

    /// The next field, named `name`, an object of numbers in stored order.
    pub fn pairs(&mut self, name: &str) -> Result<Vec<(String, f64)>, String> {
        self.key(name)?;
        self.0.pairs()
    }
}
