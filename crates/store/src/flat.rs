//! A run's facts as two parts (chunk format 2, [`crate::chunk`]): its *shape* (the field
//! names, map keys, enum variants, sequence lengths and kinds of value, the same for nearly
//! every run of a sweep, so a chunk keeps each distinct shape once) and its *leaves* (the
//! numbers as raw little-endian `f64`/`u64`/`i64`, the strings with their lengths).
//!
//! Why: CBOR wrote every field name with every run (about 1.1 KB of facts a course-network
//! run, 4 µs to write); the leaves of the same run take about half the bytes and no name is
//! written. [`decode`] rebuilds exactly the JSON value `serde_json::to_value` gives for the
//! same data (a non-finite `f64` is `null` there too), with every `f64` exact.
//!
//! Shape tokens: `{` … `}` an object, whose entries are `k` (a u8 length and the key's
//! bytes) then a value; `[` … `]` a sequence; `v` (u8 length, bytes) a unit variant (a
//! JSON string); `n` null; leaves `f`, `u`, `i` (8 bytes each), `b` (1 byte), `s` (a u32
//! length and the bytes).

use serde::ser::{self, Serialize};
use serde_json::{Map, Value};

/// Writes `value`'s shape into `shape` and its leaves into `leaves`.
pub fn encode<T: Serialize + ?Sized>(
    value: &T,
    shape: &mut Vec<u8>,
    leaves: &mut Vec<u8>,
) -> Result<(), String> {
    value
        .serialize(&mut Flat { shape, leaves })
        .map_err(|e| e.0)
}

/// An error of the flat serializer (only custom ones: writing into a `Vec` cannot fail).
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Error {
        Error(msg.to_string())
    }
}

struct Flat<'a> {
    shape: &'a mut Vec<u8>,
    leaves: &'a mut Vec<u8>,
}

impl Flat<'_> {
    /// A name in the shape: its length as one byte, then its bytes.
    fn name(&mut self, token: u8, name: &str) -> Result<(), Error> {
        let len = u8::try_from(name.len())
            .map_err(|_| Error(format!("a name of {} bytes: {name:.40}", name.len())))?;
        self.shape.push(token);
        self.shape.push(len);
        self.shape.extend_from_slice(name.as_bytes());
        Ok(())
    }

    fn leaf(&mut self, token: u8, bytes: &[u8]) -> Result<(), Error> {
        self.shape.push(token);
        self.leaves.extend_from_slice(bytes);
        Ok(())
    }

    /// `{variant: ...}`: how serde_json writes a variant with data.
    fn variant(&mut self, variant: &str) -> Result<(), Error> {
        self.shape.push(b'{');
        self.name(b'k', variant)
    }
}

type R = Result<(), Error>;

impl<'a, 'b> ser::Serializer for &'a mut Flat<'b> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Seq<'a, 'b>;
    type SerializeTuple = Seq<'a, 'b>;
    type SerializeTupleStruct = Seq<'a, 'b>;
    type SerializeTupleVariant = Seq<'a, 'b>;
    type SerializeMap = Seq<'a, 'b>;
    type SerializeStruct = Seq<'a, 'b>;
    type SerializeStructVariant = Seq<'a, 'b>;

    fn serialize_bool(self, v: bool) -> R {
        self.leaf(b'b', &[u8::from(v)])
    }
    fn serialize_i8(self, v: i8) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> R {
        self.leaf(b'i', &v.to_le_bytes())
    }
    fn serialize_u8(self, v: u8) -> R {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> R {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> R {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> R {
        self.leaf(b'u', &v.to_le_bytes())
    }
    fn serialize_f32(self, v: f32) -> R {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> R {
        self.leaf(b'f', &v.to_le_bytes())
    }
    fn serialize_char(self, v: char) -> R {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> R {
        let len = u32::try_from(v.len()).map_err(|_| Error("a string over 4 GB".into()))?;
        self.shape.push(b's');
        self.leaves.extend_from_slice(&len.to_le_bytes());
        self.leaves.extend_from_slice(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        // serde_json writes bytes as an array of numbers.
        self.shape.push(b'[');
        for b in v {
            self.leaf(b'u', &u64::from(*b).to_le_bytes())?;
        }
        self.shape.push(b']');
        Ok(())
    }
    fn serialize_none(self) -> R {
        self.shape.push(b'n');
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        self.name(b'v', variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> R {
        self.variant(variant)?;
        v.serialize(&mut *self)?;
        self.shape.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a, 'b>, Error> {
        self.shape.push(b'[');
        Ok(Seq {
            f: self,
            close: b']',
            variant: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a, 'b>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a, 'b>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Seq<'a, 'b>, Error> {
        self.variant(variant)?;
        self.shape.push(b'[');
        Ok(Seq {
            f: self,
            close: b']',
            variant: true,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Seq<'a, 'b>, Error> {
        self.shape.push(b'{');
        Ok(Seq {
            f: self,
            close: b'}',
            variant: false,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Seq<'a, 'b>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Seq<'a, 'b>, Error> {
        self.variant(variant)?;
        self.shape.push(b'{');
        Ok(Seq {
            f: self,
            close: b'}',
            variant: true,
        })
    }
}

/// A sequence or object being written, and what closes it: its bracket, then `}` again
/// when it is a variant's data (inside `{variant: ...}`).
pub struct Seq<'a, 'b> {
    f: &'a mut Flat<'b>,
    close: u8,
    variant: bool,
}

impl Seq<'_, '_> {
    fn end(self) -> R {
        self.f.shape.push(self.close);
        if self.variant {
            self.f.shape.push(b'}');
        }
        Ok(())
    }
}

macro_rules! seq_impl {
    ($trait:ident, $method:ident) => {
        impl ser::$trait for Seq<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
                v.serialize(&mut *self.f)
            }
            fn end(self) -> R {
                Seq::end(self)
            }
        }
    };
}

seq_impl!(SerializeSeq, serialize_element);
seq_impl!(SerializeTuple, serialize_element);
seq_impl!(SerializeTupleStruct, serialize_field);
seq_impl!(SerializeTupleVariant, serialize_field);

impl ser::SerializeMap for Seq<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> R {
        // serde_json's keys are strings; NamedValues' are its parameter names.
        let key = serde_json::to_value(key).map_err(|e| Error(e.to_string()))?;
        match key {
            Value::String(k) => self.f.name(b'k', &k),
            other => self.f.name(b'k', &other.to_string()),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        v.serialize(&mut *self.f)
    }
    fn end(self) -> R {
        Seq::end(self)
    }
}

macro_rules! struct_impl {
    ($trait:ident) => {
        impl ser::$trait for Seq<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> R {
                self.f.name(b'k', key)?;
                v.serialize(&mut *self.f)
            }
            fn end(self) -> R {
                Seq::end(self)
            }
        }
    };
}

struct_impl!(SerializeStruct);
struct_impl!(SerializeStructVariant);

struct Reader<'a> {
    shape: &'a [u8],
    leaves: &'a [u8],
    at: usize,
    leaf: usize,
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

    fn value(&mut self) -> Result<Value, String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    /// The value whose shape starts `shape` and whose leaves start `leaves`, with the bytes of
    /// each it used.
    fn decode(shape: &[u8], leaves: &[u8]) -> Result<(Value, usize, usize), String> {
        let mut r = Reader {
            shape,
            leaves,
            at: 0,
            leaf: 0,
        };
        let v = r.value()?;
        Ok((v, r.at, r.leaf))
    }

    #[derive(Serialize)]
    enum Status {
        Completed,
        Diverged { epoch: usize, param: Option<String> },
        Stopped(u32),
    }

    #[derive(Serialize)]
    struct Sample {
        status: Vec<Status>,
        r2: f64,
        nan: f64,
        mape: Option<f64>,
        seeds: (u64, i64),
        ok: bool,
        reason: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<f64>,
    }

    /// Every kind of value the facts hold reads back as `serde_json::to_value` writes it,
    /// each f64 with its bits (0.1 + 0.2 = 0.30000000000000004, which a decimal text
    /// round trip must also keep).
    #[test]
    fn values_read_back_as_serde_json_writes_them() {
        let s = Sample {
            status: vec![
                Status::Completed,
                Status::Diverged {
                    epoch: 3,
                    param: Some("w5".into()),
                },
                Status::Stopped(7),
            ],
            r2: 0.1 + 0.2,
            nan: f64::NAN,
            mape: None,
            seeds: (u64::MAX, -4),
            ok: true,
            reason: "stuck: 100% of the rows get 0".into(),
            skipped: None,
        };
        let (mut shape, mut leaves) = (Vec::new(), Vec::new());
        encode(&s, &mut shape, &mut leaves).unwrap();
        let (v, used_shape, used_leaves) = decode(&shape, &leaves).unwrap();
        assert_eq!(v, serde_json::to_value(&s).unwrap());
        assert_eq!((used_shape, used_leaves), (shape.len(), leaves.len()));
        assert_eq!(
            v["r2"].as_f64().unwrap().to_bits(),
            (0.1f64 + 0.2).to_bits()
        );
        // Leaves: 2 u64 (epoch 3, Stopped 7) + the string "w5" (4 + 2), 2 f64, 2 seeds,
        // 1 bool, the reason (4 + 29): 16 + 6 + 16 + 16 + 1 + 33 = 88 bytes.
        assert_eq!(leaves.len(), 88);
        assert!(decode(&shape[..shape.len() - 1], &leaves).is_err());
        assert!(decode(&shape, &leaves[..10]).is_err());
    }
}
