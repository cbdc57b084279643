//! Template values passed by position: [`Slot`] for Rust callers, and the UTF-16 form in
//! which the JavaScript bindings pass them.
//!
//! Crossing into Rust costs more per object property, and per string conversion, than a whole
//! small render, so the facade writes just the values the template reads, in the order of
//! [`Template::variables`](super::Template::variables), as UTF-16 code units straight into a
//! buffer the core reads in place (no transcoding, no validation, lone surrogates kept):
//!
//! ```text
//! slots := slot*                          exactly one per variable
//! slot  := tag length:u32 unit*           length = number of units; u32 as two u16, low first
//! tag   := 's'                            a string, inserted as it is
//!        | 'j'                            any other value, as the JSON text JSON.stringify wrote
//!        | 'u'                            no value (absent, undefined, or a function); length 0
//! ```

use crate::error::{Error, ErrorKind, Result};
use crate::json::write_js_json;
use serde_json::Value;
use smallvec::SmallVec;
use std::ops::Deref;

/// One variable's value, by position, for Rust callers.
#[derive(Debug, Clone, Copy)]
pub enum Slot<'a> {
    /// The data has no value for the variable.
    Missing,
    /// A string, inserted as it is.
    Text(&'a str),
    /// A non-string value already written as JSON text (by `JSON.stringify`), inserted as it is.
    Json(&'a str),
    /// A non-string value, written as `JSON.stringify` would write it.
    Value(&'a Value),
}

impl Slot<'_> {
    /// Appends the slot's text to `out`; `false` if the slot is [`Slot::Missing`].
    pub(crate) fn write_to(self, out: &mut String) -> bool {
        match self {
            Slot::Text(text) | Slot::Json(text) => out.push_str(text),
            Slot::Value(value) => write_js_json(out, value),
            Slot::Missing => return false,
        }
        true
    }
}

/// One variable's value in the UTF-16 form: the units of its text.
#[derive(Debug, Clone, Copy)]
pub enum Slot16<'a> {
    /// The data has no value for the variable.
    Missing,
    /// A string, inserted as it is.
    Text(&'a [u16]),
    /// A non-string value as the JSON text `JSON.stringify` wrote, inserted as it is.
    Json(&'a [u16]),
}

/// Decoded UTF-16 slots: up to eight live on the stack, so a render allocates nothing here.
#[derive(Debug, Clone, Default)]
pub struct Slots16<'a>(SmallVec<[Slot16<'a>; 8]>);

impl<'a> Deref for Slots16<'a> {
    type Target = [Slot16<'a>];

    fn deref(&self) -> &[Slot16<'a>] {
        &self.0
    }
}

const TAG_STRING: u16 = b's' as u16;
const TAG_JSON: u16 = b'j' as u16;
const TAG_MISSING: u16 = b'u' as u16;

/// Decodes the UTF-16 form described in the [module docs](self) into `count` slots.
///
/// ```
/// use bridle::template::{decode_utf16_slots, Slot16};
/// let units: Vec<u16> = [b's' as u16, 3, 0, b'A' as u16, b'd' as u16, b'a' as u16, b'u' as u16, 0, 0].to_vec();
/// let slots = decode_utf16_slots(&units, 2)?;
/// assert!(matches!(slots[0], Slot16::Text(t) if t == [65, 100, 97]));
/// assert!(matches!(slots[1], Slot16::Missing));
/// # Ok::<(), bridle::Error>(())
/// ```
pub fn decode_utf16_slots(encoded: &[u16], count: usize) -> Result<Slots16<'_>> {
    let mut slots = SmallVec::with_capacity(count);
    let mut rest = encoded;
    while let [tag, low, high, tail @ ..] = rest {
        let length = (usize::from(*high) << 16) | usize::from(*low);
        if length > tail.len() {
            return Err(malformed("a value runs past the end"));
        }
        let (units, after) = tail.split_at(length);
        slots.push(match *tag {
            TAG_STRING => Slot16::Text(units),
            TAG_JSON => Slot16::Json(units),
            TAG_MISSING if length == 0 => Slot16::Missing,
            _ => return Err(malformed("unknown tag")),
        });
        rest = after;
    }
    if !rest.is_empty() {
        return Err(malformed("a truncated header at the end"));
    }
    if slots.len() != count {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("expected {count} template values (one per variable), got {}", slots.len()),
        ));
    }
    Ok(Slots16(slots))
}

fn malformed(what: &str) -> Error {
    Error::new(ErrorKind::InvalidArgument, format!("malformed template values: {what}"))
}

/// Encodes slots in the UTF-16 form; what the facade does in JavaScript, here for Rust tests
/// and tools. `None` stands for a missing value; `Some((true, text))` for JSON text.
pub fn encode_utf16_slots<'a>(values: impl IntoIterator<Item = Option<(bool, &'a str)>>) -> Vec<u16> {
    let mut out = Vec::new();
    for value in values {
        match value {
            None => out.extend_from_slice(&[TAG_MISSING, 0, 0]),
            Some((is_json, text)) => {
                let start = out.len();
                out.extend_from_slice(&[if is_json { TAG_JSON } else { TAG_STRING }, 0, 0]);
                out.extend(text.encode_utf16());
                let length = out.len() - start - 3;
                out[start + 1] = length as u16;
                out[start + 2] = (length >> 16) as u16;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_tag() {
        let encoded = encode_utf16_slots([Some((false, "")), Some((false, "a\0é😀")), Some((true, "null")), None]);
        let slots = decode_utf16_slots(&encoded, 4).unwrap();
        assert!(matches!(slots[0], Slot16::Text([])));
        assert!(matches!(slots[1], Slot16::Text(t) if String::from_utf16(t).unwrap() == "a\0é😀"));
        assert!(matches!(slots[2], Slot16::Json(t) if String::from_utf16(t).unwrap() == "null"));
        assert!(matches!(slots[3], Slot16::Missing));
    }

    #[test]
    fn lengths_above_16_bits_are_read_whole() {
        let long = "x".repeat(70_000);
        let encoded = encode_utf16_slots([Some((false, long.as_str()))]);
        assert!(matches!(decode_utf16_slots(&encoded, 1).unwrap()[0], Slot16::Text(t) if t.len() == 70_000));
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        let bad = |units: &[u16], count| decode_utf16_slots(units, count).unwrap_err().kind();
        assert!(decode_utf16_slots(&[], 0).unwrap().is_empty());
        assert_eq!(bad(&[TAG_STRING, 5, 0, 1], 1), ErrorKind::InvalidArgument);
        assert_eq!(bad(&[b'x' as u16, 0, 0], 1), ErrorKind::InvalidArgument);
        assert_eq!(bad(&[TAG_MISSING, 1, 0, 1], 1), ErrorKind::InvalidArgument);
        assert_eq!(bad(&[TAG_STRING, 0], 1), ErrorKind::InvalidArgument);
        assert_eq!(bad(&[TAG_STRING, 0, 0], 2), ErrorKind::InvalidArgument);
        assert_eq!(bad(&[TAG_STRING, 0xffff, 0xffff], 1), ErrorKind::InvalidArgument);
    }
}
