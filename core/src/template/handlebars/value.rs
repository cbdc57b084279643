//! Values during a render, and how JavaScript would treat them: property lookup (own
//! properties only, as handlebars.js 4.6+ allows), truthiness, `String(value)` and
//! `escapeExpression`.

use super::ir::{array_index, Segment};
use crate::template::host::function_id;
use serde_json::{Map, Value};

/// A value met while rendering: borrowed from the data or the template where possible.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    /// JavaScript's `undefined`.
    Undef,
    Ref(&'a Value),
    Str(&'a str),
    Int(i64),
    Bool(bool),
    Owned(Box<Value>),
    /// A helper's `SafeString`: printed as it is.
    Safe(Box<str>),
}

impl<'a> Val<'a> {
    pub(crate) fn from_value(value: Value) -> Val<'a> {
        match value {
            Value::Bool(b) => Val::Bool(b),
            other => Val::Owned(Box::new(other)),
        }
    }

    /// The value behind `Ref` and `Owned`.
    pub(crate) fn value(&self) -> Option<&Value> {
        match self {
            Val::Ref(value) => Some(value),
            Val::Owned(value) => Some(value),
            _ => None,
        }
    }

    pub(crate) fn is_nullish(&self) -> bool {
        match self {
            Val::Undef => true,
            Val::Ref(value) => value.is_null(),
            Val::Owned(value) => value.is_null(),
            _ => false,
        }
    }

    /// The host's number for the function this value stands for.
    pub(crate) fn function(&self) -> Option<u32> {
        self.value().and_then(function_id)
    }

    /// JavaScript truthiness.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Val::Undef => false,
            Val::Ref(value) => truthy(value),
            Val::Owned(value) => truthy(value),
            Val::Str(text) => !text.is_empty(),
            Val::Int(n) => *n != 0,
            Val::Bool(b) => *b,
            Val::Safe(_) => true,
        }
    }

    /// handlebars.js's `isEmpty`: falsy but not `0`, or an empty array.
    pub(crate) fn is_empty(&self) -> bool {
        let zero = match self {
            Val::Int(0) => true,
            Val::Ref(Value::Number(n)) => n.as_f64() == Some(0.0),
            Val::Owned(value) => matches!(&**value, Value::Number(n) if n.as_f64() == Some(0.0)),
            _ => false,
        };
        if !self.truthy() && !zero {
            return true;
        }
        matches!(self.value(), Some(Value::Array(items)) if items.is_empty())
    }

    /// An owned JSON value (`undefined` becomes `null`).
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Val::Undef => Value::Null,
            Val::Ref(value) => (*value).clone(),
            Val::Owned(value) => (**value).clone(),
            Val::Str(text) => Value::String((*text).to_owned()),
            Val::Int(n) => Value::from(*n),
            Val::Bool(b) => Value::Bool(*b),
            Val::Safe(text) => Value::String(text.to_string()),
        }
    }

    pub(crate) fn into_value(self) -> Value {
        match self {
            Val::Owned(value) => *value,
            Val::Safe(text) => Value::String(text.into()),
            other => other.to_value(),
        }
    }

    /// The value as a host call's argument: `undefined` stays distinguishable from `null`.
    pub(crate) fn into_argument(self) -> Value {
        match self {
            Val::Undef => crate::template::host::undefined(),
            other => other.into_value(),
        }
    }

    /// `String(value)`, as for a partial name or a property key.
    pub(crate) fn to_js_string(&self) -> String {
        match self {
            Val::Undef => "undefined".to_owned(),
            Val::Ref(Value::Null) => "null".to_owned(),
            Val::Owned(value) if value.is_null() => "null".to_owned(),
            other => {
                let mut out = String::new();
                write_val(&mut out, other, false);
                out
            }
        }
    }

    /// `lookupProperty(this, key)`: an own property of an object, an array's element or
    /// `length`, a string's `length` or character.
    pub(crate) fn child(&self, segment: &Segment) -> Val<'a> {
        match self {
            Val::Ref(value) => child_ref(value, segment),
            Val::Str(text) => string_child(text, segment),
            Val::Owned(value) => match child_ref(value, segment) {
                Val::Ref(found) => Val::Owned(Box::new(found.clone())),
                Val::Str(text) => Val::Owned(Box::new(Value::String(text.to_owned()))),
                Val::Owned(found) => Val::Owned(found),
                Val::Int(n) => Val::Int(n),
                Val::Bool(b) => Val::Bool(b),
                Val::Safe(text) => Val::Safe(text),
                Val::Undef => Val::Undef,
            },
            Val::Safe(_) | Val::Undef | Val::Int(_) | Val::Bool(_) => Val::Undef,
        }
    }

    /// Whether `key in this` holds (strict mode's check on the last segment).
    pub(crate) fn has(&self, segment: &Segment) -> bool {
        match self.value() {
            Some(Value::Object(map)) => map.contains_key(&*segment.name),
            Some(Value::Array(items)) => segment.index.is_some_and(|i| i < items.len()) || &*segment.name == "length",
            _ => false,
        }
    }
}

/// `map[key]`. Small objects, the usual template data, are scanned: comparing a few key
/// lengths is cheaper than hashing the key.
#[inline]
pub(crate) fn get<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if map.len() <= 16 {
        map.iter().find(|(k, _)| k.len() == key.len() && k.as_bytes() == key.as_bytes()).map(|(_, v)| v)
    } else {
        map.get(key)
    }
}

fn child_ref<'a>(value: &'a Value, segment: &Segment) -> Val<'a> {
    match value {
        Value::Object(map) => get(map, &segment.name).map_or(Val::Undef, Val::Ref),
        Value::Array(items) => match segment.index {
            Some(index) => items.get(index).map_or(Val::Undef, Val::Ref),
            None if &*segment.name == "length" => Val::Int(items.len() as i64),
            None => Val::Undef,
        },
        Value::String(text) => string_child(text, segment),
        _ => Val::Undef,
    }
}

fn string_child<'a>(text: &str, segment: &Segment) -> Val<'a> {
    if &*segment.name == "length" {
        return Val::Int(text.encode_utf16().count() as i64);
    }
    match segment.index.and_then(|index| text.encode_utf16().nth(index)) {
        Some(unit) => Val::Owned(Box::new(Value::String(String::from_utf16_lossy(&[unit])))),
        None => Val::Undef,
    }
}

/// A property key from any value (`lookup`'s field): `String(key)`.
pub(crate) fn segment_of(key: &Val<'_>) -> Segment {
    let name = key.to_js_string();
    let index = array_index(&name);
    Segment { name: name.into(), index }
}

/// JavaScript truthiness of a JSON value.
pub(crate) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0 && !n.is_nan()),
        Value::String(text) => !text.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// JavaScript's `==` between two contexts, as handlebars.js compares a program's new context
/// with the current one: the same object, or equal primitives.
pub(crate) fn loose_eq(a: &Value, b: &Value) -> bool {
    if std::ptr::eq(a, b) {
        return true;
    }
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            let trimmed = s.trim();
            let parsed = if trimmed.is_empty() { Some(0.0) } else { trimmed.parse::<f64>().ok() };
            parsed.is_some() && parsed == n.as_f64()
        }
        _ => false,
    }
}

/// Appends `value` as `String(value)` would, HTML-escaped when `escape` (never a `Safe`).
pub(crate) fn write_val(out: &mut String, value: &Val<'_>, escape: bool) {
    match value {
        Val::Undef => {}
        Val::Ref(value) => write_value(out, value, escape),
        Val::Owned(value) => write_value(out, value, escape),
        Val::Str(text) => push_text(out, text, escape),
        Val::Int(n) => push_int(out, *n),
        Val::Bool(true) => out.push_str("true"),
        Val::Bool(false) => out.push_str("false"),
        Val::Safe(text) => out.push_str(text),
    }
}

pub(crate) fn write_value(out: &mut String, value: &Value, escape: bool) {
    match value {
        Value::Null => {}
        Value::String(text) => push_text(out, text, escape),
        Value::Bool(_) | Value::Number(_) => crate::json::write_js_json(out, value),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item, escape);
            }
        }
        Value::Object(_) => out.push_str("[object Object]"),
    }
}

fn push_int(out: &mut String, n: i64) {
    crate::json::write_js_json(out, &Value::from(n));
}

fn push_text(out: &mut String, text: &str, escape: bool) {
    if escape {
        escape_html(out, text);
    } else {
        out.push_str(text);
    }
}

/// handlebars.js's `escapeExpression`: `& < > " ' \` =`.
pub(crate) fn escape_html(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut clean = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            b'`' => "&#x60;",
            b'=' => "&#x3D;",
            _ => continue,
        };
        out.push_str(&text[clean..i]);
        out.push_str(replacement);
        clean = i + 1;
    }
    out.push_str(&text[clean..]);
}

/// The keys of an object in `Object.keys` order: array-index keys first, ascending, then the
/// others in insertion order.
pub(crate) fn js_keys(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    if entries.iter().any(|(key, _)| array_index(key).is_some()) {
        entries.sort_by_key(|(key, _)| match array_index(key) {
            Some(index) => (0, index),
            None => (1, 0),
        });
    }
    entries
}

/// A number or boolean that handlebars.js's generated code still holds as such, so that
/// JavaScript's `+` would add it to a neighbour rather than concatenate.
#[derive(Debug, Clone)]
pub(crate) enum Prim {
    Num(serde_json::Number),
    Bool(bool),
}

impl Prim {
    /// The primitive a value is, if it is a number or a boolean.
    pub(crate) fn of(value: &Value) -> Option<Prim> {
        match value {
            Value::Number(n) => Some(Prim::Num(n.clone())),
            Value::Bool(b) => Some(Prim::Bool(*b)),
            _ => None,
        }
    }

    fn number(&self) -> f64 {
        match self {
            Prim::Bool(b) => f64::from(u8::from(*b)),
            Prim::Num(n) => n.as_f64().unwrap_or(f64::NAN),
        }
    }

    /// Appends `String(self)`.
    pub(crate) fn write(&self, out: &mut String) {
        match self {
            Prim::Num(n) => crate::json::write_js_json(out, &Value::Number(n.clone())),
            Prim::Bool(true) => out.push_str("true"),
            Prim::Bool(false) => out.push_str("false"),
        }
    }
}

/// A value in the arithmetic of handlebars.js's generated code: a string or a primitive.
#[derive(Debug)]
pub(crate) enum JsVal {
    Str(String),
    Prim(Prim),
}

/// JavaScript's `+` on these values.
pub(crate) fn js_add(a: JsVal, b: JsVal) -> JsVal {
    match (a, b) {
        (JsVal::Prim(x), JsVal::Prim(y)) => {
            let sum = x.number() + y.number();
            let number = if sum.fract() == 0.0 && sum.abs() < 9_007_199_254_740_992.0 {
                serde_json::Number::from(sum as i64)
            } else {
                // Finite: sums of finite JSON numbers beyond f64's range are not expected.
                serde_json::Number::from_f64(sum).unwrap_or_else(|| serde_json::Number::from(0))
            };
            JsVal::Prim(Prim::Num(number))
        }
        (JsVal::Str(mut s), JsVal::Prim(y)) => {
            y.write(&mut s);
            JsVal::Str(s)
        }
        (JsVal::Prim(x), JsVal::Str(t)) => {
            let mut s = String::new();
            x.write(&mut s);
            s.push_str(&t);
            JsVal::Str(s)
        }
        (JsVal::Str(mut s), JsVal::Str(t)) => {
            s.push_str(&t);
            JsVal::Str(s)
        }
    }
}
