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
use serde_json::Value;

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

#[path = "flat_read.rs"]
mod read;
pub use read::Fields;

#[cfg(test)]
#[path = "flat_tests.rs"]
mod tests;
