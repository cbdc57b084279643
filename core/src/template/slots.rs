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
//!        | 'S' | 'J'                      as 's' and 'j', but the text is UTF-8 and `length` counts its
//!                                         bytes, two per unit in the platform's byte order (the last
//!                                         unit padded): long texts, which JavaScript encodes in bulk.
//!                                         Only the engines that walk data accept these, not f-strings.
//!        | 'P'                            a structured value packed (see `template::packed`): `length`
//!                                         counts bytes, packed two per unit like 'S'. Data-walking
//!                                         engines only.
//! ```
//!
//! A Mustache template may also take a root that is not an object (a list, a string, a
//! number): then one more `j` slot follows the variables' slots, holding the whole root.
//!
//! The bindings share one scratch buffer per thread for this. A render call carries no
//! arguments at all: its header sits at the start of the buffer ([`read_call`]):
//!
//! ```text
//! scratch := handle:u32 units:u32 slots   units = the length of `slots`; each u32 as two u16, low first
//! ```

use crate::error::{Error, ErrorKind, Result};
use crate::json::write_js_json;
use serde_json::Value;

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

const TAG_STRING: u16 = b's' as u16;
const TAG_JSON: u16 = b'j' as u16;
const TAG_MISSING: u16 = b'u' as u16;
const TAG_STRING_UTF8: u16 = b'S' as u16;
const TAG_JSON_UTF8: u16 = b'J' as u16;
const TAG_PACKED: u16 = b'P' as u16;

/// The bytes packed into `units` (tags `S`, `J` and `P`), `bytes` long.
pub(crate) fn unpack_bytes(units: &[u16], bytes: usize) -> Vec<u8> {
    let mut packed = vec![0u8; units.len() * 2];
    for (pair, unit) in packed.chunks_exact_mut(2).zip(units) {
        pair.copy_from_slice(&unit.to_ne_bytes());
    }
    packed.truncate(bytes);
    packed
}

/// The UTF-8 text packed into `units` (tags `S` and `J`), `bytes` long.
pub(crate) fn unpack_utf8(units: &[u16], bytes: usize) -> Result<String> {
    String::from_utf8(unpack_bytes(units, bytes)).map_err(|e| malformed("a UTF-8 value is not UTF-8").with_source(e))
}

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
pub fn decode_utf16_slots(encoded: &[u16], count: usize) -> Result<Vec<Slot16<'_>>> {
    let mut spans = vec![Span::MISSING; count];
    scan_utf16_slots(encoded, &mut spans)?;
    Ok(spans
        .iter()
        .map(|span| match encoded.get(span.start..span.end) {
            Some(_) if span.utf8_bytes.is_some() => Slot16::Missing,
            Some(units) if span.json => Slot16::Json(units),
            Some(units) => Slot16::Text(units),
            None => Slot16::Missing,
        })
        .collect())
}

/// Where one slot's text lies in the encoded units, for the renderer's allocation-free path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Whether the text is JSON (tag `j`/`J`) rather than a string (tag `s`/`S`).
    pub(crate) json: bool,
    /// For tags `S`, `J` and `P`: the length in bytes, packed two per unit.
    pub(crate) utf8_bytes: Option<usize>,
    /// Whether the value is packed (tag `P`).
    pub(crate) packed: bool,
}

impl Span {
    /// The span of a missing value (no value can end before it starts).
    pub(crate) const MISSING: Span = Span { start: 1, end: 0, json: false, utf8_bytes: None, packed: false };
}

/// Checks the UTF-16 form and records where each slot's text lies in `spans`, which must be
/// as long as the expected count: no allocation, nothing to match on later.
pub(crate) fn scan_utf16_slots(encoded: &[u16], spans: &mut [Span]) -> Result<()> {
    let count = scan_utf16_slots_up_to(encoded, spans)?;
    if count != spans.len() {
        return Err(count_error(spans.len(), count));
    }
    Ok(())
}

fn count_error(expected: usize, count: usize) -> Error {
    Error::new(ErrorKind::InvalidArgument, format!("expected {expected} template values (one per variable), got {count}"))
}

/// [`scan_utf16_slots`] for up to `spans.len()` slots; returns how many there were.
pub(crate) fn scan_utf16_slots_up_to(encoded: &[u16], spans: &mut [Span]) -> Result<usize> {
    let mut at = 0;
    let mut count = 0;
    while at < encoded.len() {
        let Some(&[tag, low, high]) = encoded.get(at..at + 3) else {
            return Err(malformed("a truncated header at the end"));
        };
        let start = at + 3;
        let length = (usize::from(high) << 16) | usize::from(low);
        let utf8 = tag == TAG_STRING_UTF8 || tag == TAG_JSON_UTF8 || tag == TAG_PACKED;
        let end = start + if utf8 { length.div_ceil(2) } else { length };
        if end > encoded.len() {
            return Err(malformed("a value runs past the end"));
        }
        let span = match tag {
            TAG_STRING | TAG_JSON => Span { start, end, json: tag == TAG_JSON, utf8_bytes: None, packed: false },
            TAG_STRING_UTF8 | TAG_JSON_UTF8 => {
                Span { start, end, json: tag == TAG_JSON_UTF8, utf8_bytes: Some(length), packed: false }
            }
            TAG_PACKED => Span { start, end, json: true, utf8_bytes: Some(length), packed: true },
            TAG_MISSING if end == start => Span::MISSING,
            _ => return Err(malformed("unknown tag")),
        };
        if let Some(slot) = spans.get_mut(count) {
            *slot = span;
        }
        count += 1;
        at = end;
    }
    if count > spans.len() {
        return Err(count_error(spans.len(), count));
    }
    Ok(count)
}

/// The length of the call header at the start of the scratch buffer, in units.
pub const CALL_HEADER_UNITS: usize = 4;

/// Reads a render call from the scratch buffer (see the [module docs](self)): the template
/// handle and the slots that follow the header.
pub fn read_call(scratch: &[u16]) -> Result<(u32, &[u16])> {
    let [handle_low, handle_high, units_low, units_high, rest @ ..] = scratch else {
        return Err(malformed("the scratch buffer is shorter than the call header"));
    };
    let handle = u32::from(*handle_low) | (u32::from(*handle_high) << 16);
    let units = usize::from(*units_low) | (usize::from(*units_high) << 16);
    let slots = rest.get(..units).ok_or_else(|| malformed("the slots run past the scratch buffer"))?;
    Ok((handle, slots))
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
    fn reads_the_call_header() {
        let scratch = [7, 1, 2, 0, b'u' as u16, 0, 99];
        let (handle, slots) = read_call(&scratch).unwrap();
        assert_eq!(handle, 0x1_0007);
        assert_eq!(slots, &[b'u' as u16, 0]);
        assert_eq!(read_call(&[1, 0, 9, 0, 0]).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(read_call(&[1, 0]).unwrap_err().kind(), ErrorKind::InvalidArgument);
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
