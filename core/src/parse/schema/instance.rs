//! What the validator needs from an instance, as a trait, so that one validator walks both a
//! `serde_json::Value` and a document borrowed from JSON text ([`super::borrowed`]) without
//! converting either into the other.
//!
//! Implementors are cheap handles (`Copy`): `&Value`, or a pointer into the borrowed arena.
//! Objects never hold a key twice (the borrowed parser keeps the first place and the last
//! value, as `serde_json` and `JSON.parse` do), which `required` counting relies on.

use serde_json::{Number, Value};

/// The JSON type of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Null,
    Bool,
    Object,
    Array,
    Number,
    String,
}

/// A JSON value as the validator reads it. Accessors for another kind answer `None`, `0` or an
/// empty iterator.
pub(crate) trait Instance<'a>: Copy {
    /// An object's entries, in document order.
    type Entries: Iterator<Item = (&'a str, Self)>;
    /// An array's items, in order.
    type Items: Iterator<Item = Self>;

    fn kind(self) -> Kind;
    fn as_bool(self) -> Option<bool>;
    fn as_str(self) -> Option<&'a str>;
    /// The number exactly as `serde_json` would hold it (so integer checks and comparisons
    /// give the same answers whichever the instance).
    fn as_number(self) -> Option<Number>;
    /// The number of entries of an object or items of an array (0 for the other kinds).
    fn len(self) -> usize;
    fn entries(self) -> Self::Entries;
    fn get(self, key: &str) -> Option<Self>;
    fn items(self) -> Self::Items;
}

/// The entries of a `Value` (none unless it is an object).
pub(crate) struct ValueEntries<'a>(Option<serde_json::map::Iter<'a>>);

impl<'a> Iterator for ValueEntries<'a> {
    type Item = (&'a str, &'a Value);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.as_mut()?.next().map(|(k, v)| (k.as_str(), v))
    }
}

impl<'a> Instance<'a> for &'a Value {
    type Entries = ValueEntries<'a>;
    type Items = std::slice::Iter<'a, Value>;

    #[inline]
    fn kind(self) -> Kind {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Object(_) => Kind::Object,
            Value::Array(_) => Kind::Array,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
        }
    }

    #[inline]
    fn as_bool(self) -> Option<bool> {
        Value::as_bool(self)
    }

    #[inline]
    fn as_str(self) -> Option<&'a str> {
        Value::as_str(self)
    }

    #[inline]
    fn as_number(self) -> Option<Number> {
        match self {
            Value::Number(n) => Some(n.clone()),
            _ => None,
        }
    }

    #[inline]
    fn len(self) -> usize {
        match self {
            Value::Object(map) => map.len(),
            Value::Array(items) => items.len(),
            _ => 0,
        }
    }

    #[inline]
    fn entries(self) -> ValueEntries<'a> {
        ValueEntries(self.as_object().map(|map| map.iter()))
    }

    #[inline]
    fn get(self, key: &str) -> Option<Self> {
        self.as_object()?.get(key)
    }

    #[inline]
    fn items(self) -> Self::Items {
        self.as_array().map_or(&[][..], Vec::as_slice).iter()
    }
}
