//! Packed values: the binary form in which the JavaScript facade passes a structured value
//! (a list, an object) to the engines that walk data, instead of JSON text. The facade walks
//! the value as `JSON.stringify` would and writes strings with a bulk UTF-8 encoder; reading it
//! here is a matter of lengths, with no escapes to parse.
//!
//! ```text
//! value := 0 null | 1 false | 2 true
//!        | 3 f64 (8 bytes)         a number that is not a 32-bit integer
//!        | 4 i32 (4 bytes)         a 32-bit integer
//!        | 5 len:u32 utf8*         a string
//!        | 6 count:u32 value*      a list
//!        | 7 count:u32 (5 len:u32 utf8*, value)*   an object: keys are strings
//! ```
//!
//! Integers are little-endian; the f64 is in the platform's byte order (JavaScript writes it
//! through a `Float64Array`). The values built are the ones the JSON text would have given:
//! integral numbers in range become integers, as `serde_json` reads them.

use super::SlotValue;
use crate::error::{Error, ErrorKind, Result};

/// How deep a packed value may nest (the facade refuses deeper values first).
pub(crate) const MAX_DEPTH: usize = 512;

/// Decodes one packed value from `bytes`, which it must fill exactly.
pub(crate) fn decode<V: SlotValue>(bytes: &[u8]) -> Result<V> {
    let mut reader = Reader { bytes, at: 0 };
    let value = reader.value(0)?;
    if reader.at != bytes.len() {
        return Err(malformed("bytes left after the value"));
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len()).ok_or_else(|| malformed("truncated"))?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn u32(&mut self) -> Result<usize> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn str(&mut self) -> Result<&'a str> {
        let length = self.u32()?;
        std::str::from_utf8(self.take(length)?).map_err(|_| malformed("a string is not UTF-8"))
    }

    fn value<V: SlotValue>(&mut self, depth: usize) -> Result<V> {
        if depth > MAX_DEPTH {
            return Err(Error::new(ErrorKind::InvalidData, format!("a value nests deeper than {MAX_DEPTH} levels")));
        }
        let tag = self.take(1)?[0];
        Ok(match tag {
            0 => V::null(),
            1 => V::bool(false),
            2 => V::bool(true),
            3 => {
                let b = self.take(8)?;
                V::number(f64::from_ne_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
            }
            4 => {
                let b = self.take(4)?;
                V::integer(i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            }
            5 => V::from_text(self.str()?.to_owned()),
            6 => {
                let count = self.u32()?;
                // Each item takes at least a byte: a count past the bytes left is malformed.
                if count > self.bytes.len() - self.at {
                    return Err(malformed("a list longer than its bytes"));
                }
                let mut items = Vec::with_capacity(count);
                for _ in 0..count {
                    items.push(self.value(depth + 1)?);
                }
                V::list(items)
            }
            7 => {
                let count = self.u32()?;
                if count > self.bytes.len() - self.at {
                    return Err(malformed("an object longer than its bytes"));
                }
                let mut entries = Vec::with_capacity(count);
                for _ in 0..count {
                    if self.take(1)?[0] != 5 {
                        return Err(malformed("an object key is not a string"));
                    }
                    let key = self.str()?;
                    entries.push((key, self.value(depth + 1)?));
                }
                V::object(entries)
            }
            _ => return Err(malformed("unknown tag")),
        })
    }
}

fn malformed(what: &str) -> Error {
    Error::new(ErrorKind::InvalidArgument, format!("malformed packed value: {what}"))
}

/// Encodes a JSON value packed, as the facade does: for tests and Rust tools.
pub fn encode(value: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    fn string(text: &str, out: &mut Vec<u8>) {
        out.push(5);
        out.extend_from_slice(&(text.len() as u32).to_le_bytes());
        out.extend_from_slice(text.as_bytes());
    }
    match value {
        Value::Null => out.push(0),
        Value::Bool(b) => out.push(if *b { 2 } else { 1 }),
        Value::Number(n) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
            Some(i) => {
                out.push(4);
                out.extend_from_slice(&i.to_le_bytes());
            }
            None => {
                out.push(3);
                out.extend_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_ne_bytes());
            }
        },
        Value::String(text) => string(text, out),
        Value::Array(items) => {
            out.push(6);
            out.extend_from_slice(&(items.len() as u32).to_le_bytes());
            for item in items {
                encode(item, out);
            }
        }
        Value::Object(map) => {
            out.push(7);
            out.extend_from_slice(&(map.len() as u32).to_le_bytes());
            for (key, item) in map {
                string(key, out);
                encode(item, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn round_trips_what_json_would_give() {
        let value = json!({"a": [1, -2, 2.5, 1e21, 4294967296u64, -9007199254740992i64, null, true, false],
                           "é": {"nested": "text 😀", "": ""}});
        let mut bytes = Vec::new();
        encode(&value, &mut bytes);
        assert_eq!(decode::<Value>(&bytes).unwrap(), value);
        // Integral floats become integers, as serde_json reads `4294967296` and `-3`.
        let mut bytes = vec![6, 3, 0, 0, 0, 3];
        bytes.extend_from_slice(&4294967296f64.to_ne_bytes());
        bytes.push(3);
        bytes.extend_from_slice(&(-3f64).to_ne_bytes());
        bytes.push(3);
        bytes.extend_from_slice(&0.5f64.to_ne_bytes());
        assert_eq!(decode::<Value>(&bytes).unwrap(), json!([4294967296u64, -3, 0.5]));
    }

    #[test]
    fn malformed_bytes_are_errors_not_panics() {
        for bad in [
            &[][..],
            &[9],
            &[5, 9, 0, 0, 0, b'a'],
            &[6, 255, 255, 255, 255],
            &[7, 1, 0, 0, 0, 0, 0],
            &[5, 1, 0, 0, 0, 0xff],
            &[0, 0],
        ] {
            assert_eq!(decode::<Value>(bad).unwrap_err().kind(), ErrorKind::InvalidArgument, "{bad:?}");
        }
        let mut deep = [6, 1, 0, 0, 0].repeat(MAX_DEPTH + 2);
        deep.push(0);
        assert_eq!(decode::<Value>(&deep).unwrap_err().kind(), ErrorKind::InvalidData);
    }
}
