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
use std::borrow::Cow;
use std::ops::Deref;

/// One variable's value, by position.
#[derive(Debug, Clone)]
pub enum Slot<'a> {
    /// The data has no value for the variable.
    Missing,
    /// A string, inserted as it is.
    Text(Cow<'a, str>),
    /// A non-string value already written as JSON text (by `JSON.stringify`), inserted as it is.
    Json(&'a str),
    /// A non-string value, written as `JSON.stringify` would write it.
    Value(&'a Value),
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
/// assert!(matches!(&slots[0], Slot::Text(t) if t == "Ada"));
/// assert!(matches!(slots[1], Slot::Json("[1,2]")));
/// assert!(matches!(slots[2], Slot::Missing));
/// # Ok::<(), bridle::Error>(())
/// ```
pub fn decode_slots(encoded: &str, count: usize) -> Result<Slots<'_>> {
    let mut slots = SmallVec::with_capacity(count);
    if count == 0 && encoded.is_empty() {
        return Ok(Slots(slots));
    }
    for piece in encoded.split('\0') {
        let (tag, body) = piece.split_at(piece.len().min(1));
        slots.push(match tag {
            "s" => Slot::Text(Cow::Borrowed(body)),
            "j" => Slot::Json(body),
            "u" => Slot::Missing,
            "e" => Slot::Text(Cow::Owned(serde_json::from_str::<String>(body).map_err(|e| {
                Error::new(ErrorKind::InvalidArgument, "malformed template value: bad JSON string").with_source(e)
            })?)),
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("malformed template value: unknown tag {tag:?}"),
                ))
            }
        });
    }
    if slots.len() != count {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("expected {count} template values (one per variable), got {}", slots.len()),
        ));
    }
    Ok(Slots(slots))
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
        assert!(matches!(&slots[0], Slot::Text(t) if t.is_empty()));
        assert!(matches!(&slots[1], Slot::Text(t) if t == "a\0b"));
        assert!(matches!(slots[2], Slot::Json("null")));
        assert!(matches!(slots[3], Slot::Missing));
    }

    #[test]
    fn decodes_utf8_bytes_and_rejects_invalid_ones() {
        let slots = decode_slots_utf8("sZoë\0u".as_bytes(), 2).unwrap();
        assert!(matches!(&slots[0], Slot::Text(t) if t == "Zoë"));
        assert_eq!(decode_slots_utf8(b"s\xff", 1).unwrap_err().kind(), ErrorKind::InvalidArgument);
    }

    #[test]
    fn rejects_wrong_counts_and_tags() {
        assert!(decode_slots("", 0).unwrap().is_empty());
        assert_eq!(decode_slots("sa", 2).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(decode_slots("xa", 1).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(decode_slots("", 1).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(decode_slots("e\"unterminated", 1).unwrap_err().kind(), ErrorKind::InvalidArgument);
    }
}
