//! Template values passed by position, and the compact text form in which the JavaScript
//! bindings send them.
//!
//! Crossing into Rust costs more per object property than a whole f-string render, so the
//! facade sends one string holding just the values the template reads, in the order of
//! [`Template::variables`](super::Template::variables):
//!
//! ```text
//! encoded := slot ( "\0" slot )*      one slot per variable; "" when there are none
//! slot    := "s" TEXT                 a string, inserted as it is (it holds no NUL)
//!          | "e" JSON                 a string written as a JSON string literal (it held a NUL)
//!          | "j" JSON                 any other value, as the JSON text JSON.stringify wrote
//!          | "u"                      no value (absent, undefined, or a function)
//! ```

use crate::error::{Error, ErrorKind, Result};
use serde_json::Value;
use smallvec::SmallVec;
use std::ops::Deref;

/// One variable's value, by position. Borrowed throughout, so decoding allocates nothing.
#[derive(Debug, Clone, Copy)]
pub enum Slot<'a> {
    /// The data has no value for the variable.
    Missing,
    /// A string, inserted as it is.
    Text(&'a str),
    /// A string given as a JSON string literal (`"a\u0000b"`), inserted unescaped; the form
    /// for strings holding NUL, which separates slots.
    EscapedText(&'a str),
    /// A non-string value already written as JSON text (by `JSON.stringify`), inserted as it is.
    Json(&'a str),
    /// A non-string value, written as `JSON.stringify` would write it.
    Value(&'a Value),
}

impl Slot<'_> {
    /// Appends the slot's text to `out`; `Ok(false)` if the slot is [`Slot::Missing`].
    pub(crate) fn write_to(self, out: &mut String) -> Result<bool> {
        match self {
            Slot::Text(text) | Slot::Json(text) => out.push_str(text),
            Slot::EscapedText(literal) => out.push_str(&unescape(literal)?),
            Slot::Value(value) => crate::json::write_js_json(out, value),
            Slot::Missing => return Ok(false),
        }
        Ok(true)
    }
}

fn unescape(literal: &str) -> Result<String> {
    serde_json::from_str::<String>(literal).map_err(|e| {
        Error::new(ErrorKind::InvalidArgument, "malformed template value: bad JSON string").with_source(e)
    })
}

/// Decoded slots: up to eight live on the stack, so the common render allocates nothing here.
#[derive(Debug, Clone, Default)]
pub struct Slots<'a>(SmallVec<[Slot<'a>; 8]>);

impl<'a> Deref for Slots<'a> {
    type Target = [Slot<'a>];

    fn deref(&self) -> &[Slot<'a>] {
        &self.0
    }
}

/// Decodes the text form described in the [module docs](self) into `count` slots.
///
/// ```
/// use bridle::template::{decode_slots, Slot};
/// let slots = decode_slots("sAda\0j[1,2]\0u", 3)?;
/// assert!(matches!(slots[0], Slot::Text("Ada")));
/// assert!(matches!(slots[1], Slot::Json("[1,2]")));
/// assert!(matches!(slots[2], Slot::Missing));
/// # Ok::<(), bridle::Error>(())
/// ```
pub fn decode_slots(encoded: &str, count: usize) -> Result<Slots<'_>> {
    let mut slots = SmallVec::with_capacity(count);
    if count == 0 && encoded.is_empty() {
        return Ok(Slots(slots));
    }
    let bytes = encoded.as_bytes();
    let mut start = 0;
    loop {
        let end = bytes[start..].iter().position(|&b| b == 0).map_or(bytes.len(), |p| start + p);
        // NUL is ASCII, so `start..end` lies on character boundaries.
        slots.push(decode_slot(&encoded[start..end])?);
        if end == bytes.len() {
            break;
        }
        start = end + 1;
    }
    if slots.len() != count {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("expected {count} template values (one per variable), got {}", slots.len()),
        ));
    }
    Ok(Slots(slots))
}

fn decode_slot(piece: &str) -> Result<Slot<'_>> {
    // The tag is one ASCII byte, so `piece[1..]` starts on a character boundary.
    Ok(match piece.as_bytes().first() {
        Some(b's') => Slot::Text(&piece[1..]),
        Some(b'j') => Slot::Json(&piece[1..]),
        Some(b'u') if piece.len() == 1 => Slot::Missing,
        Some(b'e') => {
            // Checked here so a malformed literal fails even if no render reaches it.
            unescape(&piece[1..])?;
            Slot::EscapedText(&piece[1..])
        }
        _ => {
            let tag: String = piece.chars().take(1).collect();
            return Err(Error::new(ErrorKind::InvalidArgument, format!("malformed template value: unknown tag {tag:?}")));
        }
    })
}

/// [`decode_slots`] over UTF-8 bytes, as the bindings receive them in a shared buffer.
pub fn decode_slots_utf8(encoded: &[u8], count: usize) -> Result<Slots<'_>> {
    let text = std::str::from_utf8(encoded).map_err(|e| {
        Error::new(ErrorKind::InvalidArgument, "malformed template values: not UTF-8").with_source(e)
    })?;
    decode_slots(text, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_tag() {
        let slots = decode_slots("s\0e\"a\\u0000b\"\0jnull\0u", 4).unwrap();
        assert!(matches!(slots[0], Slot::Text("")));
        let mut out = String::new();
        assert!(slots[1].write_to(&mut out).unwrap());
        assert_eq!(out, "a\0b");
        assert!(matches!(slots[2], Slot::Json("null")));
        assert!(matches!(slots[3], Slot::Missing));
    }

    #[test]
    fn decodes_utf8_bytes_and_rejects_invalid_ones() {
        let slots = decode_slots_utf8("sZoë\0u".as_bytes(), 2).unwrap();
        assert!(matches!(slots[0], Slot::Text("Zoë")));
        assert_eq!(decode_slots_utf8(b"s\xff", 1).unwrap_err().kind(), ErrorKind::InvalidArgument);
    }

    #[test]
    fn rejects_wrong_counts_and_tags() {
        assert!(decode_slots("", 0).unwrap().is_empty());
        assert_eq!(decode_slots("sa", 2).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(decode_slots("xa", 1).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(decode_slots("", 1).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(decode_slots("e\"unterminated", 1).unwrap_err().kind(), ErrorKind::InvalidArgument);
        // A multi-byte first character is an unknown tag, not a panic.
        assert_eq!(decode_slots("éa", 1).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(decode_slots("ux", 1).unwrap_err().kind(), ErrorKind::InvalidArgument);
    }
}
